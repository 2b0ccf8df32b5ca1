// A session's countdown as every screen shows it: from the server's clock, never the
// device's. The phone and the wall screen each learn how far their own clock is from the
// server's (round trips), then count down locally to `phase_ends_at`, so they agree
// with each other without asking the server every second.

/** How a session's clock reads (the fields of the API's `Clock` that a countdown needs). */
export interface ClockReading {
  state: "draft" | "running" | "paused" | "ended";
  phase_ends_at?: string | null;
  seconds_left?: number | null;
}

/** Keeps the best estimate of (server clock − this device's clock), in milliseconds. */
export class ClockOffset {
  private best: { offset: number; roundTrip: number; at: number } | null = null;

  /** A reading with no round trip known (a pushed frame): used only until a real sample. */
  rough(serverNow: string, receivedAt = Date.now()): void {
    if (this.best) return;
    const server = Date.parse(serverNow);
    if (Number.isFinite(server)) this.best = { offset: server - receivedAt, roundTrip: Number.POSITIVE_INFINITY, at: receivedAt };
  }

  /**
   * One round trip: asked at `sentAt`, answered at `receivedAt` (both this device's clock),
   * the server's time in between. The shortest round trip is the most precise; an old one
   * gives way after a while (the device's clock may have been set meanwhile).
   */
  sample(sentAt: number, receivedAt: number, serverNow: string): void {
    const server = Date.parse(serverNow);
    const roundTrip = receivedAt - sentAt;
    if (!Number.isFinite(server) || roundTrip < 0) return;
    const offset = server - (sentAt + roundTrip / 2);
    const stale = this.best !== null && receivedAt - this.best.at > 120_000;
    if (!this.best || stale || roundTrip <= this.best.roundTrip) this.best = { offset, roundTrip, at: receivedAt };
  }

  get value(): number {
    return this.best?.offset ?? 0;
  }

  set value(offset: number) {
    this.best ??= { offset, roundTrip: Number.POSITIVE_INFINITY, at: Date.now() };
  }
}

/** Seconds left in the phase under way by the server's clock; null when nothing counts down. */
export function secondsLeft(clock: ClockReading, offsetMs: number, now = Date.now()): number | null {
  if (clock.state === "paused") return clock.seconds_left ?? null;
  if (clock.state !== "running" || !clock.phase_ends_at) return null;
  const ends = Date.parse(clock.phase_ends_at);
  if (!Number.isFinite(ends)) return null;
  return Math.max(0, (ends - (now + offsetMs)) / 1000);
}

/** 754.2 → "12:35" (a second started counts as a whole one); an hour or more → "1:02:35". */
export function formatCountdown(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}
