import { html, nothing, type PropertyValues } from "lit";

import { ApiError } from "../../kit/api/errors";
import type { Contact, PublicCard } from "../../api/types";
import { ContactAutosave } from "../contact-autosave";
import { draftOf, MAX_NOTE_LENGTH, noteRoom } from "../contact-draft";
import { formatMoment } from "../format";
import { t, problemText } from "../i18n";
import type { BadgeRef } from "../../kit/scanner/badge";
import { newClientId } from "../offline/ids";
import { cachedContact, cardForToken, contactWith, saveContact } from "../offline/cache";
import { applyCapture, captureOf, dropCapture, holdCapture, keepCapture, releaseCapture, type Typed } from "../offline/captures";
import { pendingEdit } from "../offline/edits";
import { leaveCaptureBehind } from "../offline/leaving";
import { queued, submit } from "../offline/outbox";
import { withUpdate } from "../contact-draft";
import { api, getState, onContactsChanged, queuedForLater, refreshContacts, refreshOutboxCounts } from "../state";
import { LightElement } from "../../kit/light-element";
import "./notes-lock";
import "./person-card";
import "./conversation-prompts";
import "./rating-input";
import "./save-status";
import "./tag-picker";
import "./new-contact.css";

/** recording: being sent; recorded: the server has it; queued: kept on the phone; refused: `lookupError` says why. */
type ScanState = "recording" | "recorded" | "queued" | "refused";

const BLANK: Typed = { note: "", tags: [], rating: null };

/**
 * After a scan (or a badge link): the person's card at once — from the cached directory,
 * then from the server — and the scan recorded at once, or queued on the phone offline.
 * Nothing to save: the note, tags and potential typed here are kept as they are typed.
 * Once the scan's contact is known they are an edit of it (contact-autosave.ts); until
 * then (offline) they wait beside the queued scan (offline/captures.ts) and become that
 * edit when the scan is acknowledged.
 */
export class NewContact extends LightElement {
  static override properties = {
    badge: { attribute: false },
    card: { state: true },
    lookupError: { state: true },
    metBefore: { state: true },
    scanState: { state: true },
    typed: { state: true },
    typedKept: { state: true },
  };

  badge: BadgeRef | null = null;
  card: PublicCard | null = null;
  lookupError = "";
  /** Met before this scan: when (or "" if the moment is unknown), null for a first meeting. */
  metBefore: string | null = null;
  scanState: ScanState = "recording";
  /** What is typed while the contact is not known yet. */
  typed: Typed = BLANK;
  /** What is typed is on the phone (beside the queued scan). */
  typedKept = false;
  private clientId = "";
  private readonly autosave = new ContactAutosave(this);
  private focused = false;
  private stopListening: (() => void) | null = null;

  /** The page is being left while what is typed waits beside a queued scan: keep it at once. */
  private readonly leaving = (): void => {
    const attendeeId = getState().session?.attendee_id;
    if (this.editing || this.typedKept || !this.clientId || !attendeeId || this.typed === BLANK) return;
    leaveCaptureBehind({ client_id: this.clientId, attendee_id: attendeeId, ...this.typed, updated_at: new Date().toISOString() });
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.stopListening = onContactsChanged(() => void this.acknowledgedMeanwhile());
    window.addEventListener("pagehide", this.leaving);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopListening?.();
    window.removeEventListener("pagehide", this.leaving);
    this.leave();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("badge") && this.badge) void this.capture(this.badge);
  }

  protected override updated(): void {
    const field = this.querySelector<HTMLTextAreaElement>("textarea[name=note]");
    if (field && !this.focused) {
      this.focused = true;
      field.focus();
    }
  }

  /** Done with this card: what was typed is saved (or waits on the phone), and the flush may send it. */
  private leave(): void {
    this.autosave.close();
    if (this.clientId) releaseCapture(this.clientId);
  }

  private get editing(): boolean {
    return this.autosave.contact !== null;
  }

  /** The badge was decoded: show the card and record the scan at once (or queue it). */
  private async capture(badge: BadgeRef): Promise<void> {
    this.leave();
    Object.assign(this, { card: null, lookupError: "", metBefore: null, scanState: "recording", typed: BLANK, typedKept: false, focused: false });
    this.clientId = "";
    const attendeeId = getState().session?.attendee_id;
    if (!attendeeId) return;
    const cached = await cardForToken(badge.token);
    if (cached && this.badge === badge) this.card = cached;
    const earlier = await contactWith({ badgeCode: badge.badgeCode, attendeeId: this.card?.attendee_id ?? null });
    if (this.badge !== badge) return;
    if (earlier) this.metBefore = earlier.met_at;

    // Scanned again while the first scan still waits on the phone: the same scan, not another.
    const waiting = (await queued(attendeeId)).find(
      (item) => item.qr === badge.qr || (badge.badgeCode && item.badge_code === badge.badgeCode),
    );
    if (waiting) {
      this.clientId = waiting.client_id;
      holdCapture(this.clientId);
      const capture = await captureOf(this.clientId);
      if (capture) this.typed = { note: capture.note, tags: capture.tags, rating: capture.rating };
      else await keepCapture(attendeeId, this.clientId, BLANK);
      this.scanState = "queued";
      if (!this.card) this.card = { name: waiting.name || t("card.unknown") };
      return;
    }

    this.clientId = newClientId();
    holdCapture(this.clientId);
    const now = new Date().toISOString();
    const result = await submit(api, {
      client_id: this.clientId,
      qr: badge.qr,
      device_at: now,
      attendee_id: attendeeId,
      queued_at: now,
      attempts: 0,
      badge_code: badge.badgeCode,
      name: this.card?.name ?? null,
    });
    if (this.badge !== badge) return;
    if (result.kind === "sent") {
      if (result.result.card) this.card = result.result.card;
      this.scanState = "recorded";
      void refreshContacts();
      if (result.result.contact_id) await this.contactKnown(result.result.contact_id);
    } else if (result.kind === "queued") {
      await keepCapture(attendeeId, this.clientId, this.typed);
      this.scanState = "queued";
      if (!this.card) {
        this.card = { name: t("card.unknown") };
        this.lookupError = t("scan.unknown.offline");
      }
      await queuedForLater();
    } else {
      this.scanState = "refused";
      this.card = null;
      this.lookupError = problemText(result.error);
    }
    await refreshOutboxCounts();
  }

  /** The scan's contact is known: what was typed becomes an edit of it, and so does what is typed next. */
  private async contactKnown(contactId: string): Promise<void> {
    const clientId = this.clientId;
    let contact: Contact | undefined;
    try {
      contact = await api.contact(contactId);
      await saveContact(contact);
    } catch (error) {
      contact = await cachedContact(contactId);
      if (!contact && error instanceof ApiError && !error.transient) this.lookupError = problemText(error);
    }
    // Not loaded (the network went): what is typed waits beside the scan, which knows its contact.
    if (!contact || this.clientId !== clientId) return;
    const edit = await pendingEdit(contact.id);
    const base = edit?.base ?? contact;
    const draft = applyCapture(edit ? withUpdate(edit.base, edit.update) : draftOf(contact), this.typed);
    this.autosave.open(base, draft);
    this.autosave.saveNow();
    await this.autosave.done;
    await dropCapture(clientId);
    releaseCapture(clientId);
  }

  /** A queued scan was sent while its card is open (the network came back): carry on with its contact. */
  private async acknowledgedMeanwhile(): Promise<void> {
    if (this.scanState !== "queued" || !this.clientId) return;
    const capture = await captureOf(this.clientId);
    if (!capture?.contact_id || this.scanState !== "queued") return;
    this.scanState = "recorded";
    await this.contactKnown(capture.contact_id);
  }

  private type(part: Partial<Typed>): void {
    if (this.editing) {
      const { note, tags, rating } = part;
      this.autosave.change(
        { ...(note !== undefined ? { note } : {}), ...(tags ? { tags } : {}), ...(rating !== undefined ? { rating } : {}) },
        note === undefined,
      );
      return;
    }
    const typed = (this.typed = { ...this.typed, ...part });
    this.typedKept = false;
    const attendeeId = getState().session?.attendee_id;
    if (attendeeId && this.clientId) {
      void keepCapture(attendeeId, this.clientId, typed).then(() => {
        if (this.typed === typed) this.typedKept = true;
      });
    }
  }

  private renderState(name: string) {
    const timeZone = getState().me?.event.timezone;
    const when = this.metBefore ? t("note.already.when", { time: formatMoment(this.metBefore, timeZone) }) : "";
    const again = this.metBefore !== null ? t("note.already", { name, when }) + " " : "";
    switch (this.scanState) {
      case "recording":
        return html`<p class="notice info scan-state" role="status">${t("capture.recording")}</p>`;
      case "recorded":
        return html`<p class="notice success scan-state" role="status">
          ${again ? again + t("capture.again") : t("capture.recorded", { name })}
        </p>`;
      case "queued":
        return html`<p class="notice pending scan-state" role="status">${again}${t("capture.queued")}</p>`;
      default:
        return nothing;
    }
  }

  private renderFields() {
    const contact = this.autosave.contact;
    const fields = this.autosave.draft ?? this.typed;
    const room = contact && contact.note.length <= MAX_NOTE_LENGTH ? noteRoom(fields.note) : null;
    if (contact?.notes_locked) {
      return html`<rc-notes-lock locked @notes-unlocked=${() => void this.contactKnown(contact.id)}></rc-notes-lock>`;
    }
    return html`<form class="note-form" @submit=${(event: Event) => { event.preventDefault(); this.autosave.saveNow(); }}>
      <div class="field">
        <label class="field-label" for="scan-note">${t("note.label")}</label>
        <textarea
          id="scan-note"
          name="note"
          rows="3"
          maxlength=${Math.max(MAX_NOTE_LENGTH, contact?.note.length ?? 0)}
          aria-describedby="note-hint"
          .value=${fields.note}
          @input=${(event: InputEvent) => this.type({ note: (event.target as HTMLTextAreaElement).value })}
          @blur=${() => this.autosave.saveNow()}
        ></textarea>
        <span class="field-hint" id="note-hint">${t("note.hint")}</span>
        ${room === null ? nothing : html`<span class="field-hint note-left" role="status">${t("note.left", { n: room })}</span>`}
      </div>
      <rc-tag-picker .selected=${fields.tags} @tags-change=${(event: CustomEvent<string[]>) => this.type({ tags: event.detail })}></rc-tag-picker>
      <rc-rating-input .value=${fields.rating} @rating-change=${(event: CustomEvent<number | null>) => this.type({ rating: event.detail })}></rc-rating-input>
    </form>`;
  }

  protected override render() {
    if (!this.badge) return nothing;
    const scanAgain = html`<button type="button" class="button primary" @click=${() => this.emit("scan-again")}>${t("note.again")}</button>`;
    if (!this.card) {
      return this.lookupError
        ? html`<div class="new-contact"><p class="notice error" role="alert">${this.lookupError}</p>${scanAgain}</div>`
        : html`<div class="new-contact"><p class="loading" role="status">…</p></div>`;
    }
    const name = this.card.name || t("card.unknown");
    const contact = this.autosave.contact;
    return html`
      <section class="new-contact" aria-labelledby="new-contact-title">
        <h2 id="new-contact-title" class="visually-hidden">${t("note.title", { name })}</h2>
        <rc-person-card .card=${this.card} heading-level="3" compact></rc-person-card>
        ${this.card.attendee_id ? html`<rc-conversation-prompts attendee-id=${this.card.attendee_id}></rc-conversation-prompts>` : nothing}
        ${this.lookupError ? html`<p class="notice pending" role="status">${this.lookupError}</p>` : nothing}
        ${this.renderState(name)}
        ${this.renderFields()}
        ${this.editing
          ? html`<rc-save-status .status=${this.autosave.status} .error=${this.autosave.error}></rc-save-status>`
          : html`<rc-save-status .status=${this.typed === BLANK ? "idle" : this.typedKept && this.scanState !== "recording" ? "kept" : "editing"}></rc-save-status>`}
        <div class="outcome">
          ${scanAgain}
          ${contact ? html`<a class="button secondary" href=${`/contacts/${encodeURIComponent(contact.id)}`}>${t("note.open")}</a>` : nothing}
        </div>
      </section>
    `;
  }
}
customElements.define("rc-new-contact", NewContact);
