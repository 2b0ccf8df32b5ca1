// Scans waiting for the server. An item leaves the outbox only when the server
// answered for it: acknowledged (removed) or refused for good (moved to
// `rejected`, shown to the user). A failed flush leaves every item where it
// was, at the head of the queue, with its client id, so a retry is recorded
// once by the server (idempotency on client_id).
import type { Api } from "../api";
import { ApiError } from "../../kit/api/errors";
import type { ScanRequest, ScanResult } from "../../api/types";
import { withLock } from "./lock";
import { db, type OutboxItem, type RejectedItem } from "./db";

const LOCK = "rencontre-outbox";
const BATCH = 100;
export const OUTBOX_CHANNEL = "rencontre-outbox";
/** The Background Sync tag: the service worker flushes the outbox when the browser fires it. */
export const SYNC_TAG = "rencontre-outbox";

export type OutboxMessage =
  | { type: "changed" }
  | { type: "acknowledged"; results: ScanResult[] };

/** Tell every page (and the other tabs) that what waits on this phone changed. */
export function announce(message: OutboxMessage): void {
  if (typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(OUTBOX_CHANNEL);
  channel.postMessage(message);
  channel.close();
}

export function toRequest(item: OutboxItem): ScanRequest {
  const request: ScanRequest = { client_id: item.client_id, qr: item.qr };
  if (item.note) request.note = item.note;
  if (item.tags?.length) request.tags = item.tags;
  if (item.rating) request.rating = item.rating;
  if (item.device_at) request.device_at = item.device_at;
  return request;
}

export async function enqueue(item: OutboxItem): Promise<void> {
  await withLock(LOCK, async () => {
    await (await db()).put("outbox", item);
  });
  announce({ type: "changed" });
}

/** Change a queued scan (the user re-scanned someone still waiting) while no flush holds it. */
export async function updateQueued(
  clientId: string,
  change: Pick<OutboxItem, "note" | "tags" | "rating">,
): Promise<boolean> {
  const updated = await withLock(LOCK, async () => {
    const database = await db();
    const item = await database.get("outbox", clientId);
    if (!item) return false;
    await database.put("outbox", { ...item, ...change });
    return true;
  });
  announce({ type: "changed" });
  return updated;
}

export async function queued(attendeeId?: string): Promise<OutboxItem[]> {
  const items = await (await db()).getAllFromIndex("outbox", "by-queued-at");
  return attendeeId ? items.filter((item) => item.attendee_id === attendeeId) : items;
}

export async function rejected(): Promise<RejectedItem[]> {
  return (await db()).getAll("rejected");
}

export async function dismissRejected(): Promise<void> {
  await (await db()).clear("rejected");
  announce({ type: "changed" });
}

/** The server's word on one item: acknowledged, refused for good, or try again later. */
export function verdict(result: ScanResult): "ack" | "refused" | "retry" {
  if (result.status !== "error" && !result.error) return "ack";
  const status = result.http_status ?? result.error?.status ?? 400;
  return status >= 500 || status === 429 || status === 408 ? "retry" : "refused";
}

function refusal(result: ScanResult): string {
  return result.error?.detail ?? result.detail ?? "Refused by the server.";
}

export interface FlushReport {
  acknowledged: ScanResult[];
  refused: number;
  remaining: number;
  error: unknown;
}

/** Send the queue with POST /api/scans/batch, in order, until it is empty or the network fails. */
export async function flush(api: Api, attendeeId: string): Promise<FlushReport> {
  const report: FlushReport = { acknowledged: [], refused: 0, remaining: 0, error: null };
  await withLock(LOCK, async () => {
    for (;;) {
      const batch = (await queued(attendeeId)).slice(0, BATCH);
      if (batch.length === 0) break;
      let results: ScanResult[];
      try {
        results = (await api.scanBatch(batch.map(toRequest))).results;
      } catch (error) {
        if (error instanceof ApiError && error.status === 422 && batch.length > 1) {
          // One malformed item must not hold the rest back: send them one by one.
          results = await sendOneByOne(api, batch);
        } else {
          report.error = error;
          break;
        }
      }
      const progressed = await settle(batch, results, report);
      if (!progressed) break;
    }
    report.remaining = (await queued(attendeeId)).length;
  });
  if (report.acknowledged.length) announce({ type: "acknowledged", results: report.acknowledged });
  announce({ type: "changed" });
  return report;
}

async function sendOneByOne(api: Api, batch: OutboxItem[]): Promise<ScanResult[]> {
  const results: ScanResult[] = [];
  for (const item of batch) {
    try {
      results.push({ ...(await api.scan(toRequest(item))), client_id: item.client_id });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      results.push({ client_id: item.client_id, status: "error", http_status: error.status, detail: error.detail });
    }
  }
  return results;
}

async function settle(batch: OutboxItem[], results: ScanResult[], report: FlushReport): Promise<boolean> {
  const byId = new Map(batch.map((item) => [item.client_id, item]));
  const database = await db();
  const tx = database.transaction(["outbox", "rejected", "captures"], "readwrite");
  let progressed = false;
  for (const result of results) {
    // The batch answers in the order sent; an item whose client id could not be read has only its index.
    const item =
      (result.client_id ? byId.get(result.client_id) : undefined) ??
      (typeof result.index === "number" ? batch[result.index] : undefined);
    if (!item) continue;
    const outcome = verdict(result);
    const capture = outcome === "retry" ? undefined : await tx.objectStore("captures").get(item.client_id);
    if (outcome === "ack") {
      await tx.objectStore("outbox").delete(item.client_id);
      // What was typed on its card now knows its contact: it becomes an edit of it (captures.ts).
      if (capture && result.contact_id) await tx.objectStore("captures").put({ ...capture, contact_id: result.contact_id });
      if (result.note_full && item.note) {
        // Recorded without its note (the contact's note is full): kept so the person still has it.
        const unsaved: RejectedItem = { ...item, detail: "", note_full: true, rejected_at: new Date().toISOString() };
        await tx.objectStore("rejected").put(unsaved);
      }
      report.acknowledged.push(result);
      progressed = true;
    } else if (outcome === "refused") {
      const refused: RejectedItem = {
        ...item,
        // The note typed on its card goes with it, so the person still sees it.
        ...(capture ? { note: capture.note, tags: capture.tags, rating: capture.rating } : {}),
        detail: refusal(result),
        rejected_at: new Date().toISOString(),
      };
      await tx.objectStore("rejected").put(refused);
      await tx.objectStore("outbox").delete(item.client_id);
      if (capture) await tx.objectStore("captures").delete(item.client_id);
      report.refused += 1;
      progressed = true;
    } else {
      await tx.objectStore("outbox").put({
        ...item,
        attempts: item.attempts + 1,
        last_error: refusal(result),
      });
    }
  }
  await tx.done;
  return progressed;
}

export type SubmitOutcome =
  | { kind: "sent"; result: ScanResult }
  | { kind: "queued"; error: unknown }
  | { kind: "refused"; error: ApiError };

/**
 * A live scan: kept in the outbox first (so closing the app mid-request loses
 * nothing), then sent at once with POST /api/scans. A network failure leaves
 * it queued; a refusal (bad badge, revoked…) takes it out and says why.
 */
export async function submit(api: Api, item: OutboxItem): Promise<SubmitOutcome> {
  const outcome = await withLock(LOCK, async (): Promise<SubmitOutcome> => {
    const database = await db();
    await database.put("outbox", item);
    try {
      const result = await api.scan(toRequest(item));
      const tx = database.transaction(["outbox", "captures"], "readwrite");
      await tx.objectStore("outbox").delete(item.client_id);
      const capture = await tx.objectStore("captures").get(item.client_id);
      if (capture && result.contact_id) await tx.objectStore("captures").put({ ...capture, contact_id: result.contact_id });
      await tx.done;
      return { kind: "sent", result: { ...result, client_id: item.client_id } };
    } catch (error) {
      if (error instanceof ApiError && !error.transient && error.status !== 401) {
        await database.delete("outbox", item.client_id);
        return { kind: "refused", error };
      }
      return { kind: "queued", error };
    }
  });
  if (outcome.kind === "sent") announce({ type: "acknowledged", results: [outcome.result] });
  announce({ type: "changed" });
  return outcome;
}
