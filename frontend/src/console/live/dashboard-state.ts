// The dashboard's figures as a pure function of the frames received
// (backend/rencontre/feed/schemas.py). A snapshot replaces everything; a delta
// newer than what we hold replaces the counts with its exact values (never
// adds) and the buckets it carries with their new totals, so a frame seen
// twice, or a resume that overlaps, cannot double-count. A delta that starts
// after what we hold means frames were missed: it asks for a resync.

export interface Counts {
  connections: number;
  unique_pairs: number;
  mutual: number;
  active_scanners: number;
  present: number;
  isolated: number;
}

export interface TimelineBucket {
  /** Start of the bucket, in ms since the epoch. */
  at: number;
  connections: number;
}

export interface Ranked {
  name: string;
  /** People met: sent only while the event shows names (a number per person would hint at pairs). */
  connections: number | null;
}

export interface Lonely extends Ranked {
  /** The attendee, for the "introduced" mark. */
  id: string;
  company: string;
  present_since: string;
}

export interface DashboardState {
  seq: number | null;
  counts: Counts;
  timeline: TimelineBucket[];
  bucketMinutes: number;
  top: Ranked[];
  isolated: Lonely[];
  /** When the last frame was applied (ms), for "last update" while disconnected. */
  updatedAt: number | null;
}

export interface Applied {
  state: DashboardState;
  /** Frames were missed: ask the server for a fresh snapshot. */
  resync: boolean;
}

const ZERO: Counts = { connections: 0, unique_pairs: 0, mutual: 0, active_scanners: 0, present: 0, isolated: 0 };

export function emptyState(): DashboardState {
  return { seq: null, counts: { ...ZERO }, timeline: [], bucketMinutes: 5, top: [], isolated: [], updatedAt: null };
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : 0;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function readCounts(value: unknown): Counts {
  const source = isObject(value) ? value : {};
  return {
    connections: count(source.connections),
    unique_pairs: count(source.unique_pairs),
    mutual: count(source.mutual),
    active_scanners: count(source.active_scanners),
    present: count(source.present),
    isolated: count(source.isolated),
  };
}

function readTimeline(value: unknown): TimelineBucket[] {
  if (!Array.isArray(value)) return [];
  const buckets: TimelineBucket[] = [];
  for (const item of value) {
    if (!isObject(item)) continue;
    const at = Date.parse(text(item.start));
    if (!Number.isNaN(at)) buckets.push({ at, connections: count(item.connections) });
  }
  return buckets.sort((a, b) => a.at - b.at);
}

function optionalCount(value: unknown): number | null {
  return typeof value === "number" ? count(value) : null;
}

function readTop(value: unknown): Ranked[] | null {
  if (!Array.isArray(value)) return null;
  return value.filter(isObject).map((item) => ({ name: text(item.name), connections: optionalCount(item.connections) }));
}

function readIsolated(value: unknown): Lonely[] | null {
  if (!Array.isArray(value)) return null;
  return value.filter(isObject).map((item) => ({
    id: text(item.id),
    name: text(item.name),
    company: text(item.company),
    present_since: text(item.present_since),
    connections: optionalCount(item.connections),
  }));
}

/** Buckets by start time, the incoming totals replacing ours (they are totals, not increments). */
function mergeTimeline(current: TimelineBucket[], changed: TimelineBucket[]): TimelineBucket[] {
  const byStart = new Map(current.map((bucket) => [bucket.at, bucket]));
  for (const bucket of changed) byStart.set(bucket.at, bucket);
  return [...byStart.values()].sort((a, b) => a.at - b.at);
}

export function applyFrame(state: DashboardState, frame: unknown, now = Date.now()): Applied {
  const unchanged = { state, resync: false };
  if (!isObject(frame) || typeof frame.seq !== "number") return unchanged;
  const seq = frame.seq;
  if (frame.type === "snapshot") {
    return {
      state: {
        seq,
        counts: readCounts(frame.counts),
        timeline: readTimeline(frame.timeline),
        bucketMinutes: count(frame.bucket_minutes) || 5,
        top: readTop(frame.top) ?? [],
        isolated: readIsolated(frame.isolated) ?? [],
        updatedAt: now,
      },
      resync: false,
    };
  }
  if (frame.type === "delta") {
    if (state.seq === null) return { state, resync: true };
    // Counts are absolute, so a delta at our own seq (presence or isolation changed,
    // or the answer to a resume that missed nothing) is applied, not skipped.
    if (seq < state.seq) return unchanged;
    const from = typeof frame.from_seq === "number" ? frame.from_seq : seq;
    if (from > state.seq) return { state, resync: true };
    return {
      state: {
        ...state,
        seq,
        counts: readCounts(frame.counts),
        timeline: mergeTimeline(state.timeline, readTimeline(frame.timeline)),
        top: readTop(frame.top) ?? state.top,
        isolated: readIsolated(frame.isolated) ?? state.isolated,
        updatedAt: now,
      },
      resync: false,
    };
  }
  return unchanged;
}
