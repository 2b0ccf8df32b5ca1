// An edit of a contact as the user makes it, apart from any screen: the contact
// page and the queue of edits made offline both move a draft onto a newer version
// of the contact (meeting the person again appends to the note) the same way.
import type { Contact, ContactUpdate } from "../api/types";

export type FollowUp = "todo" | "done";

/** What an edit may write; a note that meeting again made longer may keep its length. */
export const MAX_NOTE_LENGTH = 5000;

/** The characters a note may still take, once few are left (null while there is room). */
export function noteRoom(note: string, limit = MAX_NOTE_LENGTH): number | null {
  const left = limit - note.length;
  return left <= 200 ? Math.max(left, 0) : null;
}

export interface Draft {
  note: string;
  tags: string[];
  rating: number | null;
  followUp: FollowUp;
}

export function draftOf(contact: Contact): Draft {
  return {
    note: contact.note ?? "",
    tags: [...(contact.tags ?? [])],
    rating: contact.rating ?? null,
    followUp: contact.follow_up ?? "todo",
  };
}

/** The draft that sending `update` on `base` would make. */
export function withUpdate(base: Contact, update: ContactUpdate): Draft {
  const draft = draftOf(base);
  if (update.note !== undefined && update.note !== null) draft.note = update.note;
  if (update.tags !== undefined && update.tags !== null) draft.tags = [...update.tags];
  if (update.rating !== undefined) draft.rating = update.rating;
  if (update.follow_up !== undefined && update.follow_up !== null) draft.followUp = update.follow_up;
  return draft;
}

export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((tag) => b.includes(tag));
}

/** Only what the user changed: a field sent back unchanged could undo what meeting again added. */
export function changes(base: Contact, draft: Draft): ContactUpdate {
  const update: ContactUpdate = {};
  if (draft.note !== base.note) update.note = draft.note;
  if (!sameTags(draft.tags, base.tags)) update.tags = draft.tags;
  if (draft.rating !== (base.rating ?? null)) update.rating = draft.rating;
  if (draft.followUp !== base.follow_up) update.follow_up = draft.followUp;
  return update;
}

/** The user's additions and removals of tags, applied on top of the tags the server has now. */
function mergeTags(base: readonly string[], mine: readonly string[], fresh: readonly string[]): string[] {
  const removed = base.filter((tag) => !mine.includes(tag));
  const added = mine.filter((tag) => !base.includes(tag));
  return [...fresh.filter((tag) => !removed.includes(tag)), ...added.filter((tag) => !fresh.includes(tag))];
}

export interface Rebased {
  draft: Draft;
  /** The note changed on both sides: the user's text is kept, and they must settle it. */
  noteConflict: boolean;
}

/**
 * Move a draft made on `base` onto `fresh` without losing anything typed: untouched
 * fields take the new values, tags are merged, a changed rating or follow-up is kept, and
 * a note changed on both sides is a conflict (the user's text stays in the draft).
 */
export function rebase(base: Contact, draft: Draft, fresh: Contact): Rebased {
  // A draft that starts with the current note keeps all of it (the user's own text, sent
  // while they went on typing): taking the draft loses nothing, so it is no conflict.
  const noteConflict =
    draft.note !== base.note && fresh.note !== base.note && !draft.note.startsWith(fresh.note);
  return {
    draft: {
      // The server trims what it stores: a space just typed at the end must not vanish.
      note: draft.note === base.note && fresh.note.trim() !== draft.note.trim() ? fresh.note : draft.note,
      tags: sameTags(draft.tags, base.tags) ? [...fresh.tags] : mergeTags(base.tags, draft.tags, fresh.tags),
      rating: draft.rating === (base.rating ?? null) ? (fresh.rating ?? null) : draft.rating,
      followUp: draft.followUp === base.follow_up ? fresh.follow_up : draft.followUp,
    },
    noteConflict,
  };
}

/** What meeting again appended to the note, when that is all that changed (it only ever appends). */
export function addedText(base: string, fresh: string): string | null {
  return fresh.length > base.length && fresh.startsWith(base) ? fresh.slice(base.length) : null;
}
