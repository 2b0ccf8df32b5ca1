// What is typed as the page is left (reload, back out of the app, a link elsewhere): an
// IndexedDB write started then may be cut off with the page, so the last edit (or what was
// typed on a queued scan's card) is also written to localStorage, which is synchronous,
// and moved into IndexedDB on the next start.
import type { Contact, ContactUpdate } from "../../api/types";
import { db, type Capture, type PendingEdit } from "./db";

const KEY = "rencontre.leaving";

interface LeftBehind {
  edits: PendingEdit[];
  captures: Capture[];
}

function read(): LeftBehind {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? "{}") as Partial<LeftBehind> | null;
    return {
      edits: Array.isArray(value?.edits) ? value.edits : [],
      captures: Array.isArray(value?.captures) ? value.captures : [],
    };
  } catch {
    return { edits: [], captures: [] };
  }
}

function write(left: LeftBehind): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(left));
  } catch {
    // Storage full or refused: the IndexedDB write started alongside is all there is.
  }
}

/** What was typed on a queued scan's card, kept at once as the page is left. */
export function leaveCaptureBehind(capture: Capture): void {
  const left = read();
  write({ ...left, captures: [...left.captures.filter((earlier) => earlier.client_id !== capture.client_id), capture] });
}

/**
 * The page is being left: keep the edit now, without waiting for a flush to finish. Only for
 * an edit held by its screen (offline/edits.ts `holdEdit`: no flush sends it meanwhile).
 */
export function keepEditAsLeaving(attendeeId: string, base: Contact, update: ContactUpdate, state: PendingEdit["state"]): void {
  const edit: PendingEdit = { contact_id: base.id, attendee_id: attendeeId, base, update, queued_at: new Date().toISOString(), state };
  const changed = Object.keys(update).length > 0;
  if (changed) leaveBehind(edit);
  void db().then(async (database) => {
    if (changed) await database.put("edits", edit);
    else await database.delete("edits", base.id);
  });
}

/** Keep `edit` at once (it replaces an earlier one of the same contact). */
function leaveBehind(edit: PendingEdit): void {
  const left = read();
  write({ ...left, edits: [...left.edits.filter((earlier) => earlier.contact_id !== edit.contact_id), edit] });
}

/** On start: what was left behind joins the rest, unless something newer of the same contact or scan is there. */
export async function takeLeftBehind(): Promise<void> {
  const left = read();
  if (!left.edits.length && !left.captures.length) return;
  const tx = (await db()).transaction(["edits", "captures", "outbox"], "readwrite");
  for (const edit of left.edits) {
    const stored = await tx.objectStore("edits").get(edit.contact_id);
    if (!stored || stored.queued_at < edit.queued_at) await tx.objectStore("edits").put(edit);
  }
  for (const capture of left.captures) {
    const stored = await tx.objectStore("captures").get(capture.client_id);
    // A capture already turned into an edit is gone from the store, and its scan from the outbox: not brought back.
    const waiting = stored ?? (await tx.objectStore("outbox").get(capture.client_id));
    if (!waiting) continue;
    if (!stored || stored.updated_at < capture.updated_at) {
      await tx.objectStore("captures").put({ ...capture, ...(stored?.contact_id ? { contact_id: stored.contact_id } : {}) });
    }
  }
  await tx.done;
  localStorage.removeItem(KEY);
}
