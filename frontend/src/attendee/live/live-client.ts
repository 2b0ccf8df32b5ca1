// The phone's live channel (backend/rencontre/live, protocol in its __init__): a fresh
// single-use ticket per connection, a hello carrying the versions the phone already
// shows (so a resumed channel sends only what changed), pings whose round trips set the
// clock offset, and reconnection with capped, jittered exponential backoff.
import type { MySession } from "../../api/types";

export type LiveStatus = "connecting" | "live" | "reconnecting" | "offline" | "stopped";

export interface LiveClientOptions {
  ticket(): Promise<string>;
  /** The versions shown now, by session id: sent in every hello. */
  versions(): Record<string, number>;
  onSession(session: MySession): void;
  onGone(sessionId: string): void;
  /** One ping's round trip: sent and received by this phone's clock, and the server's time. */
  onPong(sentAt: number, receivedAt: number, serverNow: string): void;
  onStatus(status: LiveStatus): void;
}

/** The ticket request was refused for good (signed out): retrying cannot help. */
export class LiveRefused extends Error {}

/** Close codes after which retrying cannot help: a bad hello, a foreign origin. */
const FINAL_CLOSE_CODES = new Set([4400, 4403]);
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
/** A few quick pings after connecting sharpen the clock offset; then one now and then keeps the link alive. */
const FIRST_PINGS_MS = [0, 300, 900, 2_000];
const PING_EVERY_MS = 15_000;
const SILENCE_LIMIT_MS = 40_000;

export function liveBackoff(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function liveUrl(where: { protocol: string; host: string } = window.location): string {
  return `${where.protocol === "https:" ? "wss:" : "ws:"}//${where.host}/api/me/live`;
}

export class LiveClient {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private stopped = true;
  private retryTimer = 0;
  private pingTimers: number[] = [];
  private lastHeard = 0;
  private isLive = false;
  private readonly online = (): void => this.reconnectNow();
  private readonly offline = (): void => this.dropForOffline();
  private readonly visible = (): void => {
    if (document.visibilityState === "visible") this.reconnectNow();
  };

  constructor(private readonly options: LiveClientOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener("online", this.online);
    window.addEventListener("offline", this.offline);
    document.addEventListener("visibilitychange", this.visible);
    if (navigator.onLine === false) this.options.onStatus("offline");
    else void this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener("online", this.online);
    window.removeEventListener("offline", this.offline);
    document.removeEventListener("visibilitychange", this.visible);
    window.clearTimeout(this.retryTimer);
    this.drop(1000, "signed out");
    this.options.onStatus("stopped");
  }

  private drop(code: number, reason: string): void {
    const socket = this.socket;
    this.socket = null;
    this.isLive = false;
    for (const timer of this.pingTimers) window.clearTimeout(timer);
    this.pingTimers = [];
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(code, reason);
  }

  /** Back online or back on screen: a dead link is replaced at once, a live one kept. */
  private reconnectNow(): void {
    if (this.stopped) return;
    if (this.socket && Date.now() - this.lastHeard < SILENCE_LIMIT_MS) return;
    window.clearTimeout(this.retryTimer);
    this.attempt = 0;
    void this.connect();
  }

  private dropForOffline(): void {
    if (this.stopped) return;
    window.clearTimeout(this.retryTimer);
    this.drop(1000, "offline");
    this.options.onStatus("offline");
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    if (navigator.onLine === false) {
      this.options.onStatus("offline");
      return;
    }
    const delay = liveBackoff(this.attempt);
    this.attempt += 1;
    this.options.onStatus("reconnecting");
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => void this.connect(), delay);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.drop(1000, "reconnecting");
    this.options.onStatus(this.attempt === 0 ? "connecting" : "reconnecting");
    let ticket: string;
    try {
      ticket = await this.options.ticket();
    } catch (error) {
      if (error instanceof LiveRefused) this.stop();
      else this.scheduleRetry();
      return;
    }
    if (this.stopped || this.socket) return;
    const socket = new WebSocket(liveUrl());
    this.socket = socket;
    this.lastHeard = Date.now();
    socket.addEventListener("open", () => {
      socket.send(JSON.stringify({ type: "auth", ticket, versions: this.options.versions() }));
      this.schedulePings(socket);
    });
    socket.addEventListener("message", (event: MessageEvent<unknown>) => {
      if (socket !== this.socket || typeof event.data !== "string") return;
      this.lastHeard = Date.now();
      this.handle(event.data);
    });
    socket.addEventListener("close", (event) => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.isLive = false;
      for (const timer of this.pingTimers) window.clearTimeout(timer);
      this.pingTimers = [];
      if (FINAL_CLOSE_CODES.has(event.code)) this.stop();
      else this.scheduleRetry();
    });
  }

  private schedulePings(socket: WebSocket): void {
    const ping = (): void => {
      if (socket !== this.socket || socket.readyState !== WebSocket.OPEN) return;
      if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
        this.drop(4000, "silent");
        this.scheduleRetry();
        return;
      }
      socket.send(JSON.stringify({ type: "ping", sent_at: Date.now() }));
    };
    this.pingTimers = FIRST_PINGS_MS.map((delay) => window.setTimeout(ping, delay));
    const every = (): void => {
      ping();
      if (socket === this.socket) this.pingTimers.push(window.setTimeout(every, PING_EVERY_MS));
    };
    this.pingTimers.push(window.setTimeout(every, PING_EVERY_MS));
  }

  private handle(text: string): void {
    let frame: { type?: unknown; session?: MySession; session_id?: string; sent_at?: number; server_now?: string };
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      return;
    }
    switch (frame.type) {
      case "session":
        if (frame.session) {
          this.markLive();
          this.options.onSession(frame.session);
        }
        break;
      case "session_gone":
        if (frame.session_id) this.options.onGone(frame.session_id);
        break;
      case "pong":
        this.markLive();
        if (typeof frame.sent_at === "number" && frame.server_now) {
          this.options.onPong(frame.sent_at, Date.now(), frame.server_now);
        }
        break;
      default:
        break;
    }
  }

  private markLive(): void {
    this.attempt = 0;
    if (!this.isLive) {
      this.isLive = true;
      this.options.onStatus("live");
    }
  }
}
