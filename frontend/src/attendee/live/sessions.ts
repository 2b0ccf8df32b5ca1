// The sessions (speed-meeting, walk & talk, reverse forum) as this phone knows them:
// what the live channel pushed last, kept in IndexedDB so that offline the seat stays on
// screen and the countdown keeps running from the last sync; the people met each round,
// until saved as contacts (an ordinary scan through the outbox) or skipped; and the
// vibrations at a round's start and a minute before its end.
import type { ReactiveController, ReactiveControllerHost } from "lit";

import type { MySession } from "../../api/types";
import { ApiError } from "../../kit/api/errors";
import { parseBadge } from "../../kit/scanner/badge";
import { ClockOffset, secondsLeft } from "../../kit/session-clock";
import { getValue, setValue, type OutboxItem } from "../offline/db";
import { newClientId } from "../offline/ids";
import { submit } from "../offline/outbox";
import { api, getState, queuedForLater, refreshContacts, subscribe } from "../state";
import { LiveClient, LiveRefused, type LiveStatus } from "./live-client";
import type { MetPerson } from "./met";

export type { MetPerson };


export interface LiveState {
  sessions: MySession[];
  status: LiveStatus;
  offsetMs: number;
  met: MetPerson[];
}

const VIBRATE_START = [250, 120, 250];
const VIBRATE_ONE_MINUTE = [500];
const WARNING_SECONDS = 60;

const state: LiveState = { sessions: [], status: "stopped", offsetMs: 0, met: [] };
const listeners = new Set<() => void>();
const offset = new ClockOffset();
const warnings = new Map<string, number>();
let client: LiveClient | null = null;
let owner: string | null = null;

function changed(): void {
  for (const listener of listeners) listener();
}

export function liveState(): Readonly<LiveState> {
  return state;
}

/** Re-renders a Lit element whenever a session, the channel or the people met change. */
export class LiveController implements ReactiveController {
  private readonly listener = (): void => this.host.requestUpdate();
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  hostConnected(): void {
    listeners.add(this.listener);
  }
  hostDisconnected(): void {
    listeners.delete(this.listener);
  }
  get value(): Readonly<LiveState> {
    return state;
  }
  /** The sessions worth a screen (see visibleSessions). */
  get visible(): MySession[] {
    return visibleSessions();
  }
}

/** Sessions worth a screen: those not ended, and ended ones where I met people (to save, or saved just now). */
export function visibleSessions(): MySession[] {
  return state.sessions.filter(
    (session) => session.clock.state !== "ended" || state.met.some((person) => person.session_id === session.id),
  );
}

/** The people met in rounds that are over, neither saved nor skipped yet. */
export function toSave(sessionId: string): MetPerson[] {
  const session = state.sessions.find((found) => found.id === sessionId);
  const clock = session?.clock;
  const underWay = clock?.state === "running" || clock?.state === "paused";
  const inRound = underWay && clock.phase === "round" ? clock.current_round : null;
  return state.met.filter(
    (person) => person.session_id === sessionId && person.outcome === null && person.mate.badge && person.round !== inRound,
  );
}

export function savedCount(sessionId: string): number {
  return state.met.filter((person) => person.session_id === sessionId && person.outcome !== null && person.outcome !== "skipped").length;
}

function persist(): void {
  void Promise.all([
    setValue("live.sessions", state.sessions),
    setValue("live.offset", state.offsetMs),
    setValue("live.met", state.met),
  ]).catch(() => undefined);
}

function vibrate(pattern: number[]): void {
  try {
    navigator.vibrate?.(pattern);
  } catch {
    // Some browsers refuse without a recent tap: the screen says it all the same.
  }
}

/** One timer per session, a minute before the round's end by the server's clock. */
function scheduleWarning(session: MySession): void {
  window.clearTimeout(warnings.get(session.id));
  warnings.delete(session.id);
  const clock = session.clock;
  if (clock.state !== "running" || clock.phase !== "round" || !session.seat) return;
  const left = secondsLeft(clock, state.offsetMs);
  if (left === null || left <= WARNING_SECONDS) return;
  warnings.set(
    session.id,
    window.setTimeout(() => vibrate(VIBRATE_ONE_MINUTE), (left - WARNING_SECONDS) * 1000),
  );
}

function remember(session: MySession): void {
  const seat = session.seat;
  if (!seat) return;
  for (const mate of seat.people) {
    const known = state.met.some(
      (person) => person.session_id === session.id && person.round === seat.round && person.mate.card.attendee_id === mate.card.attendee_id,
    );
    if (!known) state.met.push({ session_id: session.id, round: seat.round, table_name: seat.table_name, mate, outcome: null });
  }
}

/** A session's whole state for this phone, from the live channel or a join/leave answer. */
export function applySession(session: MySession): void {
  const index = state.sessions.findIndex((found) => found.id === session.id);
  const before = index >= 0 ? state.sessions[index] : undefined;
  if (before && before.clock.version > session.clock.version) return;
  offset.rough(session.clock.server_now);
  state.offsetMs = offset.value;
  if (index >= 0) state.sessions[index] = session;
  else state.sessions.push(session);
  remember(session);
  const clock = session.clock;
  const roundStarted =
    clock.state === "running" &&
    clock.phase === "round" &&
    !!session.seat &&
    (before?.clock.current_round !== clock.current_round || before.clock.phase !== "round" || !before.seat);
  if (roundStarted) vibrate(VIBRATE_START);
  scheduleWarning(session);
  persist();
  changed();
}

/** A deleted session goes, unless people met in it wait to be saved: then it shows as ended. */
function forget(sessionId: string): void {
  const session = state.sessions.find((found) => found.id === sessionId);
  if (session && toSave(sessionId).length > 0) {
    session.clock = { ...session.clock, state: "ended", phase_ends_at: null, seconds_left: null };
    session.seat = null;
  } else {
    state.sessions = state.sessions.filter((found) => found.id !== sessionId);
    state.met = state.met.filter((person) => person.session_id !== sessionId);
  }
  window.clearTimeout(warnings.get(sessionId));
  warnings.delete(sessionId);
  persist();
  changed();
}

export async function joinSession(sessionId: string): Promise<void> {
  applySession(await api.joinSession(sessionId));
}

export async function leaveSession(sessionId: string): Promise<void> {
  applySession(await api.leaveSession(sessionId));
}

export function skipPerson(person: MetPerson): void {
  person.outcome = "skipped";
  persist();
  changed();
}

/**
 * Save someone met as a contact: an ordinary scan of their badge, queued in the outbox
 * first (so offline it waits like any scan), mutual when they save me too.
 * Answers an error message when the server refused it, null otherwise.
 */
export async function savePerson(person: MetPerson, note: string): Promise<ApiError | null> {
  const session = getState().session;
  const badge = person.mate.badge ? parseBadge(person.mate.badge) : null;
  if (!session || !badge) return null;
  const now = new Date().toISOString();
  const item: OutboxItem = {
    client_id: newClientId(),
    qr: badge.qr,
    note: note.trim(),
    device_at: now,
    attendee_id: session.attendee_id,
    queued_at: now,
    attempts: 0,
    badge_code: badge.badgeCode,
    name: person.mate.card.name ?? null,
  };
  const outcome = await submit(api, item);
  if (outcome.kind === "refused") return outcome.error;
  person.outcome = outcome.kind === "sent" ? "saved" : "queued";
  if (outcome.kind === "sent") void refreshContacts();
  else await queuedForLater();
  persist();
  changed();
  return null;
}

async function ticket(): Promise<string> {
  try {
    return (await api.liveTicket()).ticket;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) throw new LiveRefused(error.detail);
    throw error;
  }
}

async function begin(attendeeId: string): Promise<void> {
  owner = attendeeId;
  const [sessions, offsetMs, met] = await Promise.all([getValue("live.sessions"), getValue("live.offset"), getValue("live.met")]);
  if (owner !== attendeeId) return;
  state.sessions = sessions ?? [];
  state.met = met ?? [];
  if (typeof offsetMs === "number") {
    offset.value = offsetMs;
    state.offsetMs = offsetMs;
  }
  for (const session of state.sessions) scheduleWarning(session);
  changed();
  client = new LiveClient({
    ticket,
    versions: () => Object.fromEntries(state.sessions.map((session) => [session.id, session.clock.version])),
    onSession: applySession,
    onGone: forget,
    onPong: (sentAt, receivedAt, serverNow) => {
      offset.sample(sentAt, receivedAt, serverNow);
      if (Math.abs(offset.value - state.offsetMs) < 5) return;
      state.offsetMs = offset.value;
      for (const session of state.sessions) scheduleWarning(session);
      persist();
      changed();
    },
    onStatus: (status) => {
      state.status = status;
      changed();
    },
  });
  client.start();
}

function end(): void {
  client?.stop();
  client = null;
  owner = null;
  for (const timer of warnings.values()) window.clearTimeout(timer);
  warnings.clear();
  Object.assign(state, { sessions: [], met: [], status: "stopped" });
  changed();
}

/** The channel follows the signed-in attendee: opened at sign-in, closed at sign-out. */
export function startLive(): void {
  const follow = (): void => {
    const { ready, session, sessionExpired } = getState();
    if (!ready) return;
    const attendeeId = session && !sessionExpired ? session.attendee_id : null;
    if (attendeeId === owner) return;
    end();
    if (attendeeId) void begin(attendeeId);
  };
  subscribe(follow);
  follow();
}
