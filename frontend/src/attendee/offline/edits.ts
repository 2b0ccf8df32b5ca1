// Contact edits made without network: one per contact, kept on the phone with the
// version of the contact they were made on, and sent with it as If-Match when the
// network returns. So an edit made offline never overwrites what meeting the person
// again added meanwhile: if the contact moved on, the edit is moved onto it (tags,
// rating, follow-up merge by themselves); if the note changed on both sides, the edit
// waits, marked, for the user to settle it on the contact's page.
import type { Api } from "../api";
import { ApiError } from "../../kit/api/errors";
import type { Contact, ContactUpdate } from "../../api/types";
import { changes, rebase, withUpdate } from "../contact-draft";
import { withLock } from "./lock";
import { saveContact } from "./cache";
import { db, type PendingEdit } from "./db";
import { announce } from "./outbox";

const LOCK = "rencontre-edits";

/** Keep (or replace) the edit of `base.id`; `base` is the version it was made on. */
export async function queueEdit(
  attendeeId: string,
  base: Contact,
  update: ContactUpdate,
  state: PendingEdit["state"] = "queued",
): Promise<void> {
  await withLock(LOCK, async () => {
    await (await db()).put("edits", {
      contact_id: base.id,
      attendee_id: attendeeId,
      base,
      update,
      queued_at: new Date().toISOString(),
      state,
    });
  });
  announce({ type: "changed" });
}

// Contacts open on a screen that saves them as the user types: that screen sends their
// edit itself, in order, so a flush must not send it behind its back (the screen would
// then save its next keystrokes on a version that is no longer the latest).
const onScreen = new Set<string>();

export function holdEdit(contactId: string): void {
  onScreen.add(contactId);
}

export function releaseEdit(contactId: string): void {
  onScreen.delete(contactId);
}

export async function pendingEdit(contactId: string): Promise<PendingEdit | undefined> {
  return (await db()).get("edits", contactId);
}

export async function pendingEdits(attendeeId?: string): Promise<PendingEdit[]> {
  const edits = await (await db()).getAll("edits");
  return attendeeId ? edits.filter((edit) => edit.attendee_id === attendeeId) : edits;
}

/** The edit was saved (or given up by the user): forget it. */
export async function dropEdit(contactId: string): Promise<void> {
  await withLock(LOCK, async () => {
    await (await db()).delete("edits", contactId);
  });
  announce({ type: "changed" });
}

/** A contact as it will be once its edit is sent, for lists shown meanwhile. */
export function withEdit(contact: Contact, edit: PendingEdit | undefined): Contact {
  if (!edit) return contact;
  const draft = withUpdate(edit.base, edit.update);
  return { ...contact, note: draft.note, tags: draft.tags, rating: draft.rating, follow_up: draft.followUp };
}

export interface EditsReport {
  saved: number;
  waiting: number;
  error: unknown;
}

/** Send the queued edits of this attendee, one by one, until done or the network fails. */
export async function flushEdits(api: Api, attendeeId: string): Promise<EditsReport> {
  const report: EditsReport = { saved: 0, waiting: 0, error: null };
  await withLock(LOCK, async () => {
    const database = await db();
    for (const edit of await pendingEdits(attendeeId)) {
      if (edit.state !== "queued" || onScreen.has(edit.contact_id)) {
        report.waiting += 1;
        continue;
      }
      try {
        const saved = await send(api, edit);
        if (saved) {
          await saveContact(saved);
          await database.delete("edits", edit.contact_id);
          report.saved += 1;
        } else {
          await database.put("edits", { ...edit, state: "conflict" });
          report.waiting += 1;
        }
      } catch (error) {
        if (error instanceof ApiError && error.code === "notes_locked") {
          // Made before the notes were locked (by a passkey added on another phone): it stays
          // queued, never dropped, and goes once this phone presents the passkey.
          report.waiting += 1;
          continue;
        }
        if (error instanceof ApiError && !error.transient && error.status !== 401) {
          await database.put("edits", { ...edit, state: "refused", detail: error.detail });
          report.waiting += 1;
          continue;
        }
        report.error = error;
        break;
      }
    }
  });
  if (report.saved || report.waiting) announce({ type: "changed" });
  return report;
}

export type SendOutcome =
  | { kind: "saved"; contact: Contact }
  /** No edit waits (nothing changed, or a flush sent it already). */
  | { kind: "none" }
  /** No answer, the server busy, or the notes locked: it waits on the phone. */
  | { kind: "kept"; locked: boolean }
  | { kind: "conflict" }
  | { kind: "refused"; error: ApiError };

/** Send the edit of one contact now (a screen saving as the user types), as a flush would. */
export async function sendEdit(api: Api, contactId: string): Promise<SendOutcome> {
  const outcome = await withLock(LOCK, async (): Promise<SendOutcome> => {
    const database = await db();
    const edit = await database.get("edits", contactId);
    if (!edit) return { kind: "none" };
    // The screen may keep a newer edit meanwhile (it writes on leaving without waiting for
    // this lock): only the edit sent is marked or dropped, never a newer one.
    const settle = async (next: PendingEdit | null): Promise<void> => {
      const tx = database.transaction("edits", "readwrite");
      const now = await tx.store.get(contactId);
      if (now?.queued_at === edit.queued_at) await (next ? tx.store.put(next) : tx.store.delete(contactId));
      await tx.done;
    };
    try {
      const saved = await send(api, edit);
      if (!saved) {
        await settle({ ...edit, state: "conflict" });
        return { kind: "conflict" };
      }
      await saveContact(saved);
      await settle(null);
      return { kind: "saved", contact: saved };
    } catch (error) {
      if (error instanceof ApiError && error.code === "notes_locked") return { kind: "kept", locked: true };
      if (error instanceof ApiError && !error.transient && error.status !== 401) {
        await settle({ ...edit, state: "refused", detail: error.detail });
        return { kind: "refused", error };
      }
      return { kind: "kept", locked: false };
    }
  });
  announce({ type: "changed" });
  return outcome;
}

/**
 * The contact once the edit is saved, or null when the note changed on both sides.
 * A contact that moved on is read again and the edit moved onto it, once.
 */
async function send(api: Api, edit: PendingEdit): Promise<Contact | null> {
  try {
    return await api.updateContact(edit.contact_id, edit.update, edit.base.version);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 412)) throw error;
  }
  const fresh = await api.contact(edit.contact_id);
  await saveContact(fresh);
  const moved = rebase(edit.base, withUpdate(edit.base, edit.update), fresh);
  if (moved.noteConflict) return null;
  const update = changes(fresh, moved.draft);
  if (Object.keys(update).length === 0) return fresh;
  try {
    return await api.updateContact(edit.contact_id, update, fresh.version);
  } catch (error) {
    if (error instanceof ApiError && error.status === 412) return null;
    throw error;
  }
}
