// The live feed's websocket (backend/rencontre/feed): a fresh single-use ticket
// per connection, sent with the last sequence seen in the first message (never
// in the URL), pings to notice a dead link, and reconnection with capped,
// jittered exponential backoff.

export type FeedStatus = "connecting" | "live" | "reconnecting" | "offline" | "denied" | "stopped";

export interface FeedClientOptions {
  eventId: string;
  ticket(): Promise<string>;
  lastSeq(): number | null;
  onMessage(message: unknown): void;
  onStatus(status: FeedStatus, retryInMs?: number): void;
}

/** Close codes after which retrying cannot help: a bad hello, another event's ticket, no such event. */
const FINAL_CLOSE_CODES = new Set([4400, 4403, 4404]);
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
const PING_EVERY_MS = 20_000;
/** No frame (not even a pong) for this long: the link is dead even if the socket has not noticed. */
const SILENCE_LIMIT_MS = 50_000;

/** The server refused the ticket request for good (signed out, not your event). */
export class TicketRefused extends Error {}

export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function feedUrl(eventId: string, where: { protocol: string; host: string } = window.location): string {
  const scheme = where.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${where.host}/api/events/${encodeURIComponent(eventId)}/feed`;
}

export class FeedClient {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private live = false;
  private stopped = true;
  private retryTimer = 0;
  private pingTimer = 0;
  private lastHeard = 0;
  private readonly online = (): void => this.reconnectNow();
  private readonly offline = (): void => this.dropForOffline();

  constructor(private readonly options: FeedClientOptions) {}

  start(): void {
    this.stopped = false;
    window.addEventListener("online", this.online);
    window.addEventListener("offline", this.offline);
    if (navigator.onLine === false) this.options.onStatus("offline");
    else void this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener("online", this.online);
    window.removeEventListener("offline", this.offline);
    window.clearTimeout(this.retryTimer);
    this.drop(1000, "dashboard closed");
    this.options.onStatus("stopped");
  }

  /** Ask for a fresh snapshot (frames were missed). */
  resync(): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: "resync" }));
  }

  private drop(code: number, reason: string): void {
    const socket = this.socket;
    this.socket = null;
    this.live = false;
    window.clearInterval(this.pingTimer);
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(code, reason);
  }

  private reconnectNow(): void {
    if (this.stopped) return;
    window.clearTimeout(this.retryTimer);
    this.attempt = 0;
    if (!this.socket) void this.connect();
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
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    this.options.onStatus("reconnecting", delay);
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
      if (error instanceof TicketRefused) this.options.onStatus("denied");
      else this.scheduleRetry();
      return;
    }
    if (this.stopped || this.socket) return;
    const socket = new WebSocket(feedUrl(this.options.eventId));
    this.socket = socket;
    socket.addEventListener("open", () => {
      socket.send(JSON.stringify({ type: "auth", ticket, last_seq: this.options.lastSeq() }));
      this.lastHeard = Date.now();
      window.clearInterval(this.pingTimer);
      this.pingTimer = window.setInterval(() => this.heartbeat(socket), PING_EVERY_MS);
    });
    socket.addEventListener("message", (event) => {
      if (this.socket !== socket) return;
      this.lastHeard = Date.now();
      let message: unknown;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (!this.live) {
        this.live = true;
        this.attempt = 0;
        this.options.onStatus("live");
      }
      this.options.onMessage(message);
    });
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.live = false;
      window.clearInterval(this.pingTimer);
      if (FINAL_CLOSE_CODES.has(event.code)) this.options.onStatus("denied");
      else this.scheduleRetry();
    });
  }

  private heartbeat(socket: WebSocket): void {
    if (this.socket !== socket || socket.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
      this.drop(4000, "no answer");
      this.scheduleRetry();
      return;
    }
    socket.send(JSON.stringify({ type: "ping" }));
  }
}
