// What is typed on a scan's card while the scan's contact is not known yet (the scan
// waits in the outbox, offline). The scan itself is sent as it was queued, so sending it
// again stays the same scan (idempotent on its client id); the typed note, tags and
// rating wait here. When the server acknowledges the scan, the outbox writes the
// contact's id onto the capture in the same transaction; the capture then becomes an
// ordinary contact edit (edits.ts), which is sent with the version it was made on.
import type { Api } from "../api";
import type { Contact } from "../../api/types";
import { draftOf, changes, withUpdate, type Draft } from "../contact-draft";
import { withLock } from "./lock";
import { saveContact } from "./cache";
import { db, type Capture } from "./db";
import { pendingEdit, queueEdit } from "./edits";

const LOCK = "rencontre-captures";

export type Typed = Pick<Capture, "note" | "tags" | "rating">;

export function isBlank(typed: Typed): boolean {
  return !typed.note.trim() && typed.tags.length === 0 && typed.rating === null;
}

// Scans whose card is open: that screen turns the capture into an edit itself once the
// scan is acknowledged (it holds what is being typed); a flush leaves them alone.
const onScreen = new Set<string>();

export function holdCapture(clientId: string): void {
  onScreen.add(clientId);
}

export function releaseCapture(clientId: string): void {
  onScreen.delete(clientId);
}

/**
 * Keep what was typed for the scan `clientId`, blank included: a capture is made when the
 * scan is queued, so its acknowledgement is noted on it even before anything is typed.
 */
export async function keepCapture(attendeeId: string, clientId: string, typed: Typed): Promise<void> {
  // One transaction, no lock: written at once even as the page is left, and atomic against
  // the outbox noting the scan's contact on it.
  const tx = (await db()).transaction("captures", "readwrite");
  const earlier = await tx.store.get(clientId);
  await tx.store.put({
    client_id: clientId,
    attendee_id: attendeeId,
    note: typed.note,
    tags: [...typed.tags],
    rating: typed.rating,
    updated_at: new Date().toISOString(),
    ...(earlier?.contact_id ? { contact_id: earlier.contact_id } : {}),
  });
  await tx.done;
}

export async function captureOf(clientId: string): Promise<Capture | undefined> {
  return (await db()).get("captures", clientId);
}

export async function dropCapture(clientId: string): Promise<void> {
  await withLock(LOCK, async () => {
    await (await db()).delete("captures", clientId);
  });
}

/**
 * What was typed on the card, laid on the contact the scan made or met again: the note
 * is added after the contact's own (never replacing it; not twice), tags join, a rating
 * chosen replaces the contact's.
 */
export function applyCapture(draft: Draft, typed: Typed): Draft {
  // What is typed keeps its end as it is: the attendee may be between two words.
  const typing = typed.note.trimStart();
  const note = typing.trim();
  const current = draft.note.trimEnd();
  return {
    ...draft,
    note: !note || current.includes(note) ? draft.note : current ? `${current}\n\n${typing}` : typing,
    tags: [...draft.tags, ...typed.tags.filter((tag) => !draft.tags.includes(tag))],
    rating: typed.rating ?? draft.rating,
  };
}

/**
 * Turn the captures whose scan was acknowledged into contact edits: the contact is read,
 * the capture laid on it (or on an edit already waiting for it), and queued as an edit.
 * Run online, after the outbox and before the edits are sent.
 */
export async function resolveCaptures(api: Api, attendeeId: string): Promise<void> {
  const waiting = (await (await db()).getAll("captures")).filter(
    (capture) => capture.attendee_id === attendeeId && capture.contact_id && !onScreen.has(capture.client_id),
  );
  for (const capture of waiting) {
    if (isBlank(capture)) {
      await dropCapture(capture.client_id);
      continue;
    }
    const contact = await api.contact(capture.contact_id as string);
    await saveContact(contact);
    await captureIntoEdit(attendeeId, capture, contact);
  }
}

/** Lay `capture` on `contact` (or on the edit already waiting for it) as one queued edit. */
export async function captureIntoEdit(attendeeId: string, capture: Typed & { client_id: string }, contact: Contact): Promise<void> {
  await withLock(LOCK, async () => {
    const edit = await pendingEdit(contact.id);
    const base = edit?.base ?? contact;
    const draft = applyCapture(edit ? withUpdate(edit.base, edit.update) : draftOf(contact), capture);
    const update = changes(base, draft);
    if (Object.keys(update).length) await queueEdit(attendeeId, base, update);
    await (await db()).delete("captures", capture.client_id);
  });
}
