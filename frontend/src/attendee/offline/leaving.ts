// What is typed as the page is left (reload, back out of the app, a link elsewhere): an
// IndexedDB write started then may be cut off with the page, so the last edit is also
// written to localStorage, which is synchronous, and moved into IndexedDB on the next start.
import type { Contact, ContactUpdate } from "../../api/types";
import { db, type PendingEdit } from "./db";

const KEY = "rencontre.leaving";

function read(): PendingEdit[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? "[]");
    return Array.isArray(value) ? (value as PendingEdit[]) : [];
  } catch {
    return [];
  }
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
  try {
    const others = read().filter((earlier) => earlier.contact_id !== edit.contact_id);
    localStorage.setItem(KEY, JSON.stringify([...others, edit]));
  } catch {
    // Storage full or refused: the IndexedDB write started alongside is all there is.
  }
}

/** On start: the edits left behind join the others, unless a newer one of the same contact is there. */
export async function takeLeftBehind(): Promise<void> {
  const left = read();
  if (!left.length) return;
  const tx = (await db()).transaction("edits", "readwrite");
  for (const edit of left) {
    const stored = await tx.store.get(edit.contact_id);
    if (!stored || stored.queued_at < edit.queued_at) await tx.store.put(edit);
  }
  await tx.done;
  localStorage.removeItem(KEY);
}
