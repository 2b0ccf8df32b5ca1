// One rule for every screen that edits a contact (the contact page, the card shown after
// a scan): what the user changes is kept on the phone at once, as a contact edit
// (offline/edits.ts), and sent a moment later — or as soon as they leave the field, the
// screen or the app. Nothing waits for a "save" button, nothing is lost on back, reload
// or app switch: an edit not yet sent is on the phone, and the next flush sends it.
import type { ReactiveController, ReactiveControllerHost } from "lit";

import type { Contact } from "../api/types";
import { draftOf, changes, rebase, type Draft } from "./contact-draft";
import { problemText } from "./i18n";
import { cachedContact } from "./offline/cache";
import { dropEdit, holdEdit, queueEdit, releaseEdit, sendEdit } from "./offline/edits";
import { keepEditAsLeaving } from "./offline/leaving";
import { api, getState, queuedForLater, refreshOutboxCounts } from "./state";

/** Kept on the phone this long after the last keystroke, sent this long after. */
const KEEP_AFTER_MS = 250;
const SEND_AFTER_MS = 1200;
const RETRY_AFTER_MS = 20_000;

/**
 * idle: nothing changed yet; editing: a change not yet sent; saving: sending;
 * saved: the server has it; kept: on the phone, sent when the network returns;
 * locked: on the phone, sent once the notes are unlocked; conflict: the note changed
 * on both sides (the user settles it); refused: the server said no (`error` says why).
 */
export type SaveStatus = "idle" | "editing" | "saving" | "saved" | "kept" | "locked" | "conflict" | "refused";

/** One contact being edited: what the server has (`base`), what the fields hold (`draft`). */
interface Editing {
  base: Contact;
  draft: Draft;
  /** The draft as last kept on the phone (the edit a send carries). */
  kept: Draft | null;
  /** While the note conflicts: the version the user's text was written on, and its note. */
  conflict: { base: Contact } | null;
}

function copy(draft: Draft): Draft {
  return { ...draft, tags: [...draft.tags] };
}

/** `base` with the fields of `draft`: what the contact became once `draft` was saved on it. */
function asSaved(base: Contact, draft: Draft): Contact {
  return { ...base, note: draft.note, tags: [...draft.tags], rating: draft.rating, follow_up: draft.followUp };
}

export class ContactAutosave implements ReactiveController {
  status: SaveStatus = "idle";
  error = "";
  private editing: Editing | null = null;
  private chain: Promise<void> = Promise.resolve();
  private keepTimer: ReturnType<typeof setTimeout> | null = null;
  private sendTimer: ReturnType<typeof setTimeout> | null = null;

  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  private readonly leaving = (): void => {
    this.keepAtOnce();
    this.saveNow();
  };
  /** Kept on the phone for want of network: the screen holds the edit, so it sends it itself when it can. */
  private readonly retry = (): void => {
    if (this.status === "kept") this.saveNow();
  };
  private readonly hidden = (): void => {
    if (document.visibilityState === "hidden") this.leaving();
  };

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener("pagehide", this.leaving);
    window.addEventListener("online", this.retry);
    document.addEventListener("visibilitychange", this.hidden);
  }

  hostDisconnected(): void {
    window.removeEventListener("pagehide", this.leaving);
    window.removeEventListener("online", this.retry);
    document.removeEventListener("visibilitychange", this.hidden);
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.close();
  }

  /** The contact as the server has it (in a note conflict: its current version). */
  get contact(): Contact | null {
    return this.editing?.base ?? null;
  }

  get draft(): Draft | null {
    return this.editing?.draft ?? null;
  }

  /** The note the user's text was written on, while it conflicts with the current one. */
  get conflictBase(): string | null {
    return this.editing?.conflict?.base.note ?? null;
  }

  /** Edit `contact`, the fields holding `draft` (none: as the server has it). The previous contact is saved first. */
  open(contact: Contact, draft: Draft = draftOf(contact)): void {
    if (this.editing?.base.id !== contact.id) this.close();
    holdEdit(contact.id);
    this.editing = { base: contact, draft: copy(draft), kept: null, conflict: null };
    this.status = "idle";
    this.error = "";
    this.host.requestUpdate();
  }

  /** A newer version of the contact came (read again): move the fields onto it, keeping what was typed. */
  refresh(fresh: Contact): void {
    const editing = this.editing;
    if (!editing || editing.base.id !== fresh.id) return;
    const moved = rebase(editing.base, editing.draft, fresh);
    if (moved.noteConflict) editing.conflict ??= { base: editing.base };
    editing.base = fresh;
    editing.draft = moved.draft;
    if (editing.conflict) this.status = "conflict";
    this.host.requestUpdate();
  }

  /** Stop editing: what was typed is kept and sent; the flush may send it from now on. */
  close(): void {
    const editing = this.editing;
    if (!editing) return;
    this.saveNow();
    this.editing = null;
    void this.chain.then(() => releaseEdit(editing.base.id));
  }

  /** The user changed a field: kept on the phone in a moment, sent a little later (`at once`: now). */
  change(part: Partial<Draft>, atOnce = false): void {
    const editing = this.editing;
    if (!editing) return;
    editing.draft = { ...editing.draft, ...part };
    if (this.status !== "conflict") this.status = "editing";
    this.error = "";
    this.host.requestUpdate();
    if (atOnce) {
      this.saveNow();
      return;
    }
    this.clearTimers();
    this.keepTimer = setTimeout(() => this.run(editing, () => this.keep(editing)), KEEP_AFTER_MS);
    this.sendTimer = setTimeout(() => this.run(editing, () => this.send(editing)), SEND_AFTER_MS);
  }

  /** Keep and send now: the user left the field, the screen or the app. */
  saveNow(): void {
    const editing = this.editing;
    this.clearTimers();
    if (editing) this.run(editing, () => this.send(editing));
  }

  /** The note conflict settled by the user (their text kept, or changed): save it on the current version. */
  settle(note: string): void {
    const editing = this.editing;
    if (!editing?.conflict) return;
    editing.conflict = null;
    this.status = "editing";
    this.change({ note }, true);
  }

  /** A promise that settles once everything asked so far is done (tests, leaving the page). */
  get done(): Promise<void> {
    return this.chain;
  }

  private clearTimers(): void {
    if (this.keepTimer !== null) clearTimeout(this.keepTimer);
    if (this.sendTimer !== null) clearTimeout(this.sendTimer);
    this.keepTimer = this.sendTimer = null;
  }

  /** One step after the other, so an edit is always made on the version the last one left. */
  private run(editing: Editing, step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch(() => {
      if (this.editing === editing) this.status = "kept";
    });
  }

  private show(editing: Editing, status: SaveStatus, error = ""): void {
    if (this.editing !== editing) return;
    this.status = status;
    this.error = error;
    this.host.requestUpdate();
  }

  /** The page is being left: the edit as it stands goes to the phone now, ahead of any step still waiting. */
  private keepAtOnce(): void {
    const editing = this.editing;
    const attendeeId = getState().session?.attendee_id;
    if (!editing || !attendeeId) return;
    const base = editing.conflict?.base ?? editing.base;
    keepEditAsLeaving(attendeeId, base, changes(base, editing.draft), editing.conflict ? "conflict" : "queued");
  }

  /** On the phone: the edit as it stands. While the note conflicts it stays marked so, on its old version. */
  private async keep(editing: Editing): Promise<void> {
    const attendeeId = getState().session?.attendee_id;
    if (!attendeeId) return;
    const draft = copy(editing.draft);
    const base = editing.conflict?.base ?? editing.base;
    const update = changes(base, draft);
    if (Object.keys(update).length === 0) await dropEdit(base.id);
    else await queueEdit(attendeeId, base, update, editing.conflict ? "conflict" : "queued");
    editing.kept = draft;
  }

  private async send(editing: Editing): Promise<void> {
    await this.keep(editing);
    if (editing.conflict) return;
    const sent = editing.kept;
    if (!sent) return;
    const hadChanges = Object.keys(changes(editing.base, sent)).length > 0;
    if (hadChanges) this.show(editing, "saving");
    const outcome = await sendEdit(api, editing.base.id);
    switch (outcome.kind) {
      case "saved":
        this.saved(editing, sent, outcome.contact);
        break;
      case "none": {
        if (!hadChanges) {
          // Changed back to what the server has: nothing to send, and nothing lost.
          if (this.status === "editing") this.show(editing, "saved");
          break;
        }
        // A flush sent it meanwhile: the contact as saved is in the cache.
        const stored = await cachedContact(editing.base.id);
        if (stored) this.saved(editing, sent, stored);
        break;
      }
      case "kept":
        await queuedForLater();
        this.show(editing, outcome.locked ? "locked" : "kept");
        // `online` does not fire when the Wi-Fi is up but the server is not: try again now and then.
        if (!outcome.locked && this.retryTimer === null) {
          this.retryTimer = setTimeout(() => {
            this.retryTimer = null;
            this.retry();
          }, RETRY_AFTER_MS);
        }
        break;
      case "conflict": {
        const current = (await cachedContact(editing.base.id)) ?? editing.base;
        const moved = rebase(asSaved(editing.base, sent), editing.draft, current);
        editing.conflict = { base: editing.base };
        editing.base = current;
        editing.draft = { ...moved.draft, note: editing.draft.note };
        this.show(editing, "conflict");
        break;
      }
      case "refused":
        this.show(editing, "refused", problemText(outcome.error));
        break;
    }
    await refreshOutboxCounts();
  }

  /** Saved as `sent`: the fields not changed since take the saved values (meeting again may have added to the note). */
  private saved(editing: Editing, sent: Draft, saved: Contact): void {
    const moved = rebase(asSaved(editing.base, sent), editing.draft, saved);
    editing.base = saved;
    editing.draft = moved.draft;
    editing.kept = null;
    const pending = Object.keys(changes(saved, editing.draft)).length > 0;
    this.show(editing, pending ? "editing" : "saved");
  }
}
