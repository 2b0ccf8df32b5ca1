// The phone's live channel (backend/rencontre/live, protocol in its __init__): a fresh
// single-use ticket per connection, a hello carrying the versions the phone already
// shows (so a resumed channel sends only what changed), pings whose round trips set the
// clock offset, and reconnection with capped, jittered exponential backoff.
import type { MySession } from "../../api/types";
import { Retry } from "../../kit/retry";

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
/** A few quick pings after connecting sharpen the clock offset; then one now and then keeps the link alive. */
const FIRST_PINGS_MS = [0, 300, 900, 2_000];
const PING_EVERY_MS = 15_000;
const SILENCE_LIMIT_MS = 40_000;

export function liveUrl(where: { protocol: string; host: string } = window.location): string {
  return `${where.protocol === "https:" ? "wss:" : "ws:"}//${where.host}/api/me/live`;
}

export class LiveClient {
  private socket: WebSocket | null = null;
  private readonly retry = new Retry();
  private stopped = true;
  private pingTimers: number[] = [];
  private lastHeard = 0;
  private isLive = false;
  private readonly online = (): void => this.reconnectNow();
  private readonly offline = (): void => this.dropForOffline();
  private readonly visible = (): void => {
    if (document.visibilityState === "visible") this.reconnectNow();
  };

  constructor(private readonly options: LiveClientOptions) {}

  /** What the phone tells about its network and its screen, followed while the channel is wanted. */
  private follow(wanted: boolean): void {
    const signals: [EventTarget, string, () => void][] = [
      [window, "online", this.online],
      [window, "offline", this.offline],
      [document, "visibilitychange", this.visible],
    ];
    for (const [target, name, listener] of signals) {
      if (wanted) target.addEventListener(name, listener);
      else target.removeEventListener(name, listener);
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.follow(true);
    if (navigator.onLine === false) this.options.onStatus("offline");
    else void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.follow(false);
    this.retry.cancel();
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
    this.retry.cancel();
    this.retry.succeeded();
    void this.connect();
  }

  /** The phone says it lost the network: no retry until it says it is back. */
  private dropForOffline(): void {
    if (this.stopped) return;
    this.retry.cancel();
    this.drop(1000, "offline");
    this.options.onStatus("offline");
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const status: LiveStatus = navigator.onLine === false ? "offline" : "reconnecting";
    this.options.onStatus(status);
    if (status === "reconnecting") this.retry.later(() => void this.connect());
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.drop(1000, "reconnecting");
    this.options.onStatus(this.retry.fresh ? "connecting" : "reconnecting");
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
    this.retry.succeeded();
    if (!this.isLive) {
      this.isLive = true;
      this.options.onStatus("live");
    }
  }
}
