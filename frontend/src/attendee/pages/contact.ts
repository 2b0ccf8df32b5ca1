import { html, nothing } from "lit";

import { ApiError } from "../../kit/api/errors";
import type { Contact } from "../../api/types";
import { LightElement } from "../../kit/light-element";
import { ContactAutosave } from "../contact-autosave";
import { addedText, MAX_NOTE_LENGTH, noteRoom, withUpdate, type FollowUp } from "../contact-draft";
import "../components/follow-up-draft";
import "../components/next-step";
import "../components/keep-contact";
import "../components/notes-lock";
import "../components/person-card";
import "../components/rating-input";
import "../components/retry-button";
import "../components/save-status";
import "../components/tag-picker";
import { followUpCountdown, formatMoment } from "../format";
import { phoneTimeDiffers } from "../device-time";
import { t, problemText } from "../i18n";
import { cachedContact, saveContact } from "../offline/cache";
import { pendingEdit } from "../offline/edits";
import { api, getState } from "../state";
import "./contact.css";


/** The user's text followed by the appended one, a blank line between them as meeting again does. */
function withAddition(mine: string, added: string): string {
  const text = mine.trimEnd();
  const addition = added.trimStart();
  return text ? `${text}\n\n${addition}` : addition;
}

/**
 * One contact: the card, the private note, tags, potential, follow-up state and helpers.
 *
 * Everything saves as it is changed (contact-autosave.ts): kept on the phone at once, sent
 * a moment later with the version it was made on as If-Match, so it never overwrites a
 * note that meeting the person again added meanwhile. When the note changed on both sides,
 * the current note is shown beside the user's text until they settle it.
 */
export class ContactPage extends LightElement {
  static override properties = {
    contactId: { type: String, attribute: "contact-id" },
    error: { state: true },
    missing: { state: true },
    failure: { state: true },
  };

  contactId = "";
  error = "";
  missing = "";
  /** Why the contact could not be loaded: "Try again" is offered only if that can help. */
  failure: unknown = null;
  private readonly autosave = new ContactAutosave(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const edit = await pendingEdit(this.contactId);
    if (edit) {
      // An edit not yet saved: reopen on it, on the version it was made on, and send it now.
      // A refused one is sent again too: the page then says why, in the user's language.
      this.autosave.open(edit.base, withUpdate(edit.base, edit.update));
      this.autosave.saveNow();
      return;
    }
    this.missing = "";
    this.failure = null;
    const cached = await cachedContact(this.contactId);
    if (cached) this.autosave.open(cached);
    try {
      const fresh = await api.contact(this.contactId);
      await saveContact(fresh);
      if (this.autosave.contact) this.autosave.refresh(fresh);
      else this.autosave.open(fresh);
    } catch (error) {
      if (cached) return;
      this.failure = error;
      this.missing = error instanceof ApiError ? problemText(error) : t("contact.offline");
    }
  }

  /** The contact changed elsewhere (a next step agreed: followed up): show it, keeping what was typed. */
  private async refreshed(fresh: Contact): Promise<void> {
    await saveContact(fresh);
    this.autosave.refresh(fresh);
  }

  /** The passkey was presented: show the contact as it is, with its note. */
  private async unlocked(): Promise<void> {
    try {
      const fresh = await api.contact(this.contactId);
      await saveContact(fresh);
      this.autosave.open(fresh);
    } catch (error) {
      this.error = error instanceof ApiError ? problemText(error) : t("error.network");
    }
  }

  private change(part: Parameters<ContactAutosave["change"]>[0], atOnce = false): void {
    this.error = "";
    this.autosave.change(part, atOnce);
  }

  /** Drop the user's note edit for the current note, to make the edit again on it. */
  private async startFromCurrent(): Promise<void> {
    const contact = this.autosave.contact;
    if (!contact) return;
    this.autosave.settle(contact.note);
    await this.updateComplete;
    this.querySelector<HTMLTextAreaElement>("#contact-note")?.focus();
  }

  private revealConflict(): void {
    void this.updateComplete.then(() => this.querySelector(".note-conflict")?.scrollIntoView({ block: "start" }));
  }

  protected override updated(): void {
    if (this.autosave.status === "conflict" && !this.conflictShown) this.revealConflict();
    this.conflictShown = this.autosave.status === "conflict";
  }

  private conflictShown = false;

  /** The current note beside the user's text, what meeting again added marked, and the ways out. */
  private renderConflict(contact: Contact, mine: string) {
    const conflictBase = this.autosave.conflictBase;
    if (conflictBase === null) return nothing;
    const added = addedText(conflictBase, contact.note);
    const kept = added === null ? contact.note : contact.note.slice(0, contact.note.length - added.length);
    return html`<div class="note-conflict">
      <p class="notice error" role="alert">${t("contact.conflict")}</p>
      <h2 class="current-note-title" id="current-note-title">${t("contact.conflict.current")}</h2>
      <div class="current-note" role="region" aria-labelledby="current-note-title" tabindex="0">${kept}${added === null ? nothing : html`<mark>${added}</mark>`}</div>
      <div class="conflict-actions">
        ${added === null
          ? nothing
          : html`<button type="button" class="button primary" @click=${() => this.autosave.settle(withAddition(mine, added))}>
              ${t("contact.conflict.append")}
            </button>`}
        <button type="button" class="button secondary" @click=${() => void this.startFromCurrent()}>
          ${t("contact.conflict.discard")}
        </button>
        <button type="button" class="button secondary" @click=${() => this.autosave.settle(mine)}>
          ${t("contact.conflict.replace")}
        </button>
      </div>
    </div>`;
  }

  protected override render() {
    const back = html`<a class="back-link" href="/contacts">← ${t("contact.back")}</a>`;
    const contact = this.autosave.contact;
    const draft = this.autosave.draft;
    if (!contact || !draft) {
      return html`${back}<h1 tabindex="-1">${t("contacts.title")}</h1>
        ${this.missing
          ? html`<p class="notice error" role="alert">${this.missing}</p>
              <rc-retry-button .error=${this.failure} @retry=${() => void this.load()}></rc-retry-button>`
          : html`<div class="spinner" role="status"></div>`}`;
    }
    const timeZone = getState().me?.event.timezone;
    const countdown = followUpCountdown({ ...contact, follow_up: draft.followUp });
    const grown = contact.note.length > MAX_NOTE_LENGTH;
    const room = grown ? null : noteRoom(draft.note);
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

      ${contact.person.deleted ? nothing : html`<rc-next-step contact-id=${contact.id} @contact-refreshed=${(e: CustomEvent<Contact>) => void this.refreshed(e.detail)}></rc-next-step>`}
      <section class="follow-up card" aria-labelledby="helpers-title">
        <h2 id="helpers-title">${t("contact.helpers")}</h2>
        ${locked
          ? html`<p class="field-hint">${t("contact.locked.hint")}</p>`
          : html`<rc-follow-up-draft contact-id=${contact.id} ?has-note=${contact.note.trim() !== ""} .person=${contact.person}></rc-follow-up-draft>`}
        <fieldset class="segmented">
          <legend>${t("contact.followup")}</legend>
          ${(["todo", "done"] as const).map(
            (state: FollowUp) => html`<label class="segment">
              <input
                type="radio"
                name="follow-up"
                .checked=${draft.followUp === state}
                @change=${() => this.change({ followUp: state }, true)}
              />
              <span>${t(`contact.followup.${state}`)}</span>
            </label>`,
          )}
        </fieldset>
      </section>

      <rc-keep-contact .contact=${contact}></rc-keep-contact>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      <form class="note-form" ?hidden=${locked} @submit=${(e: Event) => { e.preventDefault(); this.autosave.saveNow(); }}>
        ${this.renderConflict(contact, draft.note)}
        <div class="field">
          <label class="field-label" for="contact-note">${t("contact.note")}</label>
          <textarea
            id="contact-note"
            name="note"
            rows="5"
            maxlength=${Math.max(MAX_NOTE_LENGTH, contact.note.length)}
            aria-describedby=${grown ? "contact-note-hint" : nothing}
            .value=${draft.note}
            @input=${(e: Event) => this.change({ note: (e.target as HTMLTextAreaElement).value })}
            @blur=${() => this.autosave.saveNow()}
          ></textarea>
          ${grown ? html`<p class="field-hint" id="contact-note-hint">${t("contact.note.grown")}</p>` : nothing}
          ${room === null ? nothing : html`<p class="field-hint note-left" role="status">${t("note.left", { n: room })}</p>`}
        </div>
        <rc-tag-picker .selected=${draft.tags} label=${t("contact.tags")} @tags-change=${(e: CustomEvent<string[]>) => this.change({ tags: e.detail }, true)}></rc-tag-picker>
        <rc-rating-input .value=${draft.rating} @rating-change=${(e: CustomEvent<number | null>) => this.change({ rating: e.detail }, true)}></rc-rating-input>
      </form>
      <rc-save-status .status=${this.autosave.status} .error=${this.autosave.error}></rc-save-status>
    `;
  }
}
customElements.define("page-contact", ContactPage);
