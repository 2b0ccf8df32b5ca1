import { html, nothing } from "lit";

import { ApiError, NetworkError } from "../../kit/api/errors";
import type { Contact, ContactUpdate } from "../../api/types";
import { LightElement } from "../../kit/light-element";
import { addedText, changes, draftOf, rebase, withUpdate, type Draft, type FollowUp } from "../contact-draft";
import "../components/follow-up-draft";
import "../components/notes-lock";
import "../components/person-card";
import "../components/rating-input";
import "../components/tag-picker";
import { followUpCountdown, formatMoment } from "../format";
import { phoneTimeDiffers } from "../device-time";
import { t, problemText } from "../i18n";
import { cachedContact, saveContact } from "../offline/cache";
import { dropEdit, pendingEdit, queueEdit } from "../offline/edits";
import { api, getState, queuedForLater } from "../state";
import "./contact.css";

// What an edit may write; a note that meeting again made longer may keep its length.
const MAX_NOTE_LENGTH = 5000;

/** The user's text followed by the appended one, a blank line between them as meeting again does. */
function withAddition(mine: string, added: string): string {
  const text = mine.trimEnd();
  const addition = added.trimStart();
  return text ? `${text}\n\n${addition}` : addition;
}

/** No answer, or the server cannot take it now: the edit waits on the phone. */
function keepForLater(error: unknown): boolean {
  return error instanceof NetworkError || (error instanceof ApiError && error.transient);
}

function describe(error: unknown): string {
  return error instanceof ApiError ? problemText(error) : t("error.generic");
}

/**
 * One contact: the card, the editable private note, follow-up state and helpers.
 *
 * `contact` is the version the drafts (note, tags, rating) were made on; an edit is
 * sent with that version as If-Match, so it never overwrites a note that meeting the
 * person again added meanwhile. On 412 the page loads the current contact and moves
 * the drafts onto it: the user's text is never dropped. Without network the edit is
 * kept on the phone (offline/edits.ts) and the page reopens on it until it is saved.
 */
export class ContactPage extends LightElement {
  static override properties = {
    contactId: { type: String, attribute: "contact-id" },
    contact: { state: true },
    note: { state: true },
    tags: { state: true },
    rating: { state: true },
    followUp: { state: true },
    conflictBase: { state: true },
    message: { state: true },
    error: { state: true },
    saving: { state: true },
    missing: { state: true },
  };

  contactId = "";
  contact: Contact | null = null;
  note = "";
  tags: string[] = [];
  rating: number | null = null;
  followUp: FollowUp = "todo";
  /** While the note conflicts: the note the user's text was written on (to find what was added). */
  conflictBase: string | null = null;
  message = "";
  error = "";
  saving = false;
  missing = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  /** Show `contact` with `draft` in the fields (none: as the server has it). */
  private use(contact: Contact, draft: Draft = draftOf(contact)): void {
    this.contact = contact;
    this.setDraft(draft);
    this.conflictBase = null;
  }

  private get draft(): Draft {
    return { note: this.note, tags: this.tags, rating: this.rating, followUp: this.followUp };
  }

  private setDraft(draft: Draft): void {
    this.note = draft.note;
    this.tags = [...draft.tags];
    this.rating = draft.rating;
    this.followUp = draft.followUp;
  }

  /** Move the drafts onto a newer version of the contact without losing anything typed. */
  private rebase(fresh: Contact): void {
    const base = this.contact;
    if (!base) {
      this.use(fresh);
      return;
    }
    const moved = rebase(base, this.draft, fresh);
    if (moved.noteConflict) this.conflictBase ??= base.note;
    else if (this.note === base.note || this.note === fresh.note) this.conflictBase = null;
    this.setDraft(moved.draft);
    this.contact = fresh;
    if (this.conflictBase !== null) this.revealConflict();
  }

  private async load(): Promise<void> {
    const edit = await pendingEdit(this.contactId);
    if (edit) {
      // An edit not yet saved: reopen on it, on the version it was made on, and send it now.
      this.use(edit.base, withUpdate(edit.base, edit.update));
      if (edit.state === "refused") this.error = t("contact.refused", { reason: edit.detail ?? "" });
      else await this.submit();
      return;
    }
    const cached = await cachedContact(this.contactId);
    if (cached) this.use(cached);
    try {
      const fresh = await api.contact(this.contactId);
      await saveContact(fresh);
      this.rebase(fresh);
    } catch (error) {
      if (cached) return;
      this.missing = error instanceof ApiError ? problemText(error) : t("contact.offline");
    }
  }

  /** The passkey was presented: show the contact as it is, with its note. */
  private async unlocked(): Promise<void> {
    try {
      const fresh = await api.contact(this.contactId);
      await saveContact(fresh);
      this.use(fresh);
    } catch (error) {
      this.error = describe(error);
    }
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    await this.submit();
  }

  /** Send the user's changes on the version they were made on; a 412 is settled by `changedMeanwhile`. */
  private async submit(retry = true): Promise<void> {
    const base = this.contact;
    if (!base || this.saving) return;
    this.message = "";
    this.error = "";
    const update = changes(base, this.draft);
    if (Object.keys(update).length === 0) {
      this.conflictBase = null;
      await dropEdit(base.id);
      this.message = t("contact.saved");
      return;
    }
    this.saving = true;
    let stale = false;
    try {
      const updated = await api.updateContact(base.id, update, base.version);
      await saveContact(updated);
      await dropEdit(base.id);
      this.use(updated);
      this.message = t("contact.saved");
    } catch (error) {
      stale = error instanceof ApiError && error.status === 412;
      if (keepForLater(error)) await this.keep(base, update);
      else if (!stale) this.error = describe(error);
    } finally {
      this.saving = false;
    }
    if (stale) await this.changedMeanwhile(retry);
  }

  /** Keep the edit on the phone, to be sent (with the version it was made on) when the network returns. */
  private async keep(base: Contact, update: ContactUpdate): Promise<void> {
    const attendeeId = getState().session?.attendee_id;
    if (!attendeeId) return;
    await queueEdit(attendeeId, base, update);
    await queuedForLater();
    this.message = t("contact.queued");
  }

  /**
   * 412: the contact moved on since the version the edit was made on. Load the current one
   * and rebase the drafts. If no text of the user's is at stake (only tags or a rating, or a
   * rescan without a note), save again once; otherwise show the current note beside their
   * text. Never more than one automatic retry, so a contact that keeps changing cannot loop.
   */
  private async changedMeanwhile(retry: boolean): Promise<void> {
    if (!this.contact) return;
    let fresh: Contact;
    try {
      fresh = await api.contact(this.contact.id);
    } catch (error) {
      if (keepForLater(error)) await this.keep(this.contact, changes(this.contact, this.draft));
      else this.error = t("contact.conflict.unloaded");
      return;
    }
    await saveContact(fresh);
    this.rebase(fresh);
    if (this.conflictBase !== null) return;
    if (retry) await this.submit(false);
    else this.error = t("contact.changed");
  }

  /** The follow-up switch saves at once and alone: it never sends (so never overwrites) the note. */
  private async setFollowUp(state: FollowUp): Promise<void> {
    const base = this.contact;
    this.followUp = state;
    if (!base || this.saving) return;
    if (await pendingEdit(base.id)) {
      // An edit waits already: the switch joins it rather than race it.
      await this.submit();
      return;
    }
    this.saving = true;
    this.message = "";
    this.error = "";
    try {
      const updated = await api.updateContact(base.id, { follow_up: state });
      await saveContact(updated);
      this.rebase(updated);
      this.message = t("contact.saved");
    } catch (error) {
      if (keepForLater(error)) await this.keep(base, { follow_up: state });
      else this.error = describe(error);
    } finally {
      this.saving = false;
    }
  }

  /** Keep the user's text, add what meeting again appended, and save on the current version. */
  private async appendAndSave(added: string): Promise<void> {
    this.note = withAddition(this.note, added);
    this.conflictBase = null;
    await this.submit();
  }

  /** Drop the user's note edit for the current note, to make the edit again on it. */
  private async startFromCurrent(): Promise<void> {
    if (!this.contact) return;
    this.note = this.contact.note;
    this.conflictBase = null;
    this.error = "";
    await this.updateComplete;
    this.querySelector<HTMLTextAreaElement>("#contact-note")?.focus();
  }

  private revealConflict(): void {
    void this.updateComplete.then(() => this.querySelector(".note-conflict")?.scrollIntoView({ block: "start" }));
  }

  /** The current note beside the user's text, what meeting again added marked, and the ways out. */
  private renderConflict(contact: Contact) {
    if (this.conflictBase === null) return nothing;
    const added = addedText(this.conflictBase, contact.note);
    const kept = added === null ? contact.note : contact.note.slice(0, contact.note.length - added.length);
    return html`<div class="note-conflict">
      <p class="notice error" role="alert">${t("contact.conflict")}</p>
      <h2 class="current-note-title" id="current-note-title">${t("contact.conflict.current")}</h2>
      <div class="current-note" role="region" aria-labelledby="current-note-title" tabindex="0">${kept}${added === null ? nothing : html`<mark>${added}</mark>`}</div>
      <div class="conflict-actions">
        ${added === null
          ? nothing
          : html`<button type="button" class="button primary" ?disabled=${this.saving} @click=${() => void this.appendAndSave(added)}>
              ${t("contact.conflict.append")}
            </button>`}
        <button type="button" class="button secondary" ?disabled=${this.saving} @click=${() => void this.startFromCurrent()}>
          ${t("contact.conflict.discard")}
        </button>
      </div>
    </div>`;
  }

  protected override render() {
    const back = html`<a class="back-link" href="/contacts">← ${t("contact.back")}</a>`;
    if (!this.contact) {
      return html`${back}<h1 tabindex="-1">${t("contacts.title")}</h1>
        ${this.missing ? html`<p class="notice error" role="alert">${this.missing}</p>` : html`<div class="spinner" role="status"></div>`}`;
    }
    const contact = this.contact;
    const timeZone = getState().me?.event.timezone;
    const countdown = followUpCountdown({ ...contact, follow_up: this.followUp });
    const grown = contact.note.length > MAX_NOTE_LENGTH;
    // Locked, the note, tags and rating are withheld: nothing to edit or quote, so no form to type in.
    const locked = contact.notes_locked;
    return html`
      ${back}
      <rc-notes-lock ?locked=${locked} @notes-unlocked=${() => void this.unlocked()}></rc-notes-lock>
      <rc-person-card .card=${contact.person} heading-level="1"></rc-person-card>
      <p class="contact-when">
        <span>${t("contact.met", { time: formatMoment(contact.met_at, timeZone) })}</span>
        ${phoneTimeDiffers(contact) ? html`<span class="device-time">${t("contact.device.time", { time: formatMoment(contact.device_at ?? "", timeZone) })}</span>` : nothing}
        ${contact.mutual ? html`<span class="badge mutual">${t("contacts.mutual")}</span>` : nothing}
        <span class="countdown ${countdown.state}">${countdown.label}</span>
      </p>

      <section class="follow-up card" aria-labelledby="helpers-title">
        <h2 id="helpers-title">${t("contact.helpers")}</h2>
        ${locked
          ? html`<p class="field-hint">${t("contact.locked.hint")}</p>`
          : html`<rc-follow-up-draft contact-id=${contact.id} ?has-note=${contact.note.trim() !== ""} .person=${contact.person}></rc-follow-up-draft>`}
        <fieldset class="segmented">
          <legend>${t("contact.followup")}</legend>
          ${(["todo", "done"] as const).map(
            (state) => html`<label class="segment">
              <input
                type="radio"
                name="follow-up"
                .checked=${this.followUp === state}
                @change=${() => void this.setFollowUp(state)}
              />
              <span>${t(`contact.followup.${state}`)}</span>
            </label>`,
          )}
        </fieldset>
      </section>

      ${locked && this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      <form class="note-form" ?hidden=${locked} @submit=${(e: Event) => this.save(e)}>
        ${this.renderConflict(contact)}
        <div class="field">
          <label class="field-label" for="contact-note">${t("contact.note")}</label>
          <textarea
            id="contact-note"
            name="note"
            rows="5"
            maxlength=${Math.max(MAX_NOTE_LENGTH, contact.note.length)}
            aria-describedby=${grown ? "contact-note-hint" : nothing}
            .value=${this.note}
            @input=${(e: Event) => (this.note = (e.target as HTMLTextAreaElement).value)}
          ></textarea>
          ${grown ? html`<p class="field-hint" id="contact-note-hint">${t("contact.note.grown")}</p>` : nothing}
        </div>
        <rc-tag-picker .selected=${this.tags} label=${t("contact.tags")} @tags-change=${(e: CustomEvent<string[]>) => (this.tags = e.detail)}></rc-tag-picker>
        <rc-rating-input .value=${this.rating} label=${t("contact.rating")} @rating-change=${(e: CustomEvent<number | null>) => (this.rating = e.detail)}></rc-rating-input>
        ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
        ${this.message ? html`<p class="notice success" role="status">${this.message}</p>` : nothing}
        <button type="submit" class="button primary large" ?disabled=${this.saving}>
          ${this.conflictBase !== null ? t("contact.conflict.replace") : t("contact.save")}
        </button>
      </form>
    `;
  }
}
customElements.define("page-contact", ContactPage);
