import { html, nothing, type PropertyValues } from "lit";

import { ApiError } from "../../kit/api/errors";
import type { Contact, PublicCard, ScanResult } from "../../api/types";
import { formatMoment } from "../format";
import { t, problemText } from "../i18n";
import type { BadgeRef } from "../../kit/scanner/badge";
import { newClientId } from "../offline/ids";
import { cardByBadgeCode, contactWith } from "../offline/cache";
import type { OutboxItem } from "../offline/db";
import { queued, submit, updateQueued } from "../offline/outbox";
import { api, getState, queuedForLater, refreshContacts, refreshOutboxCounts } from "../state";
import { LightElement } from "../../kit/light-element";
import "./person-card";
import "./conversation-prompts";
import "./rating-input";
import "./tag-picker";
import "./new-contact.css";

type Outcome =
  | { kind: "sent"; already: boolean; contactId: string | null; noteFull: boolean }
  | { kind: "queued" }
  | { kind: "updated" }
  | { kind: "error"; message: string };

/**
 * After a scan (or a badge link): the person's card at once — from the cached
 * directory, then from the server when online — and the private note form.
 */
export class NewContact extends LightElement {
  static override properties = {
    badge: { attribute: false },
    card: { state: true },
    lookupError: { state: true },
    known: { state: true },
    queuedItem: { state: true },
    note: { state: true },
    tags: { state: true },
    rating: { state: true },
    saving: { state: true },
    outcome: { state: true },
  };

  badge: BadgeRef | null = null;
  card: PublicCard | null = null;
  lookupError = "";
  known: Contact | null = null;
  queuedItem: OutboxItem | null = null;
  note = "";
  tags: string[] = [];
  rating: number | null = null;
  saving = false;
  outcome: Outcome | null = null;
  private focused = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("badge") && this.badge) void this.lookUp(this.badge);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has("outcome") && this.outcome && this.outcome.kind !== "error") window.scrollTo({ top: 0 });
    const field = this.querySelector<HTMLTextAreaElement>("textarea[name=note]");
    if (field && !this.focused) {
      this.focused = true;
      field.focus();
    }
  }

  private async lookUp(badge: BadgeRef): Promise<void> {
    Object.assign(this, { card: null, lookupError: "", known: null, queuedItem: null, outcome: null, focused: false });
    Object.assign(this, { note: "", tags: [], rating: null });
    if (badge.badgeCode) {
      const cached = await cardByBadgeCode(badge.badgeCode);
      if (cached && this.badge === badge) this.card = cached;
    }
    await this.findEarlierMeeting(badge);
    if (!getState().online && this.card) return;
    try {
      const card = await api.resolveBadge(badge.token);
      if (this.badge !== badge) return;
      this.card = card;
      await this.findEarlierMeeting(badge);
    } catch (error) {
      if (this.badge !== badge) return;
      if (error instanceof ApiError && !error.transient) {
        this.card = null;
        this.lookupError = problemText(error);
      } else if (!this.card) {
        this.card = { name: t("card.unknown") };
        this.lookupError = t("scan.unknown.offline");
      }
    }
  }

  private async findEarlierMeeting(badge: BadgeRef): Promise<void> {
    const attendeeId = this.card?.attendee_id ?? null;
    this.known = (await contactWith({ badgeCode: badge.badgeCode, attendeeId })) ?? null;
    const waiting = await queued(getState().session?.attendee_id);
    this.queuedItem =
      waiting.find((item) => item.qr === badge.qr || (badge.badgeCode && item.badge_code === badge.badgeCode)) ?? null;
    if (this.queuedItem && !this.note && !this.tags.length) {
      this.note = this.queuedItem.note ?? "";
      this.tags = this.queuedItem.tags ?? [];
      this.rating = this.queuedItem.rating ?? null;
    }
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    const badge = this.badge;
    const session = getState().session;
    if (!badge || !session || this.saving) return;
    this.saving = true;
    try {
      if (this.queuedItem && (await updateQueued(this.queuedItem.client_id, { note: this.note, tags: this.tags, rating: this.rating }))) {
        this.outcome = { kind: "updated" };
        return;
      }
      const now = new Date().toISOString();
      const item: OutboxItem = {
        client_id: newClientId(),
        qr: badge.qr,
        note: this.note.trim(),
        tags: this.tags,
        rating: this.rating,
        device_at: now,
        attendee_id: session.attendee_id,
        queued_at: now,
        attempts: 0,
        badge_code: badge.badgeCode,
        name: this.card?.name ?? null,
      };
      const result = await submit(api, item);
      if (result.kind === "sent") {
        this.outcome = {
          kind: "sent",
          already: wasMetBefore(result.result) || !!this.known,
          contactId: contactIdOf(result.result),
          noteFull: result.result.note_full === true,
        };
        void refreshContacts();
      } else if (result.kind === "queued") {
        this.outcome = { kind: "queued" };
        await queuedForLater();
      } else {
        this.outcome = { kind: "error", message: problemText(result.error) };
      }
    } finally {
      this.saving = false;
      await refreshOutboxCounts();
    }
  }

  private renderOutcome(outcome: Outcome, name: string) {
    const again = html`<button type="button" class="button primary" @click=${() => this.emit("scan-again")}>${t("note.again")}</button>`;
    switch (outcome.kind) {
      case "error":
        return html`<p class="notice error" role="alert">${outcome.message}</p>`;
      case "queued":
        return html`<div class="outcome"><p class="notice pending" role="status">${t("note.queued")}</p>${again}</div>`;
      case "updated":
        return html`<div class="outcome"><p class="notice pending" role="status">${t("note.updated")}</p>${again}</div>`;
      case "sent":
        return html`<div class="outcome">
          <p class="notice success" role="status">
            ${outcome.already ? t("note.already", { name, when: "" }) + " " : ""}${t("note.saved", { name })}
          </p>
          ${outcome.noteFull ? html`<p class="notice pending" role="status">${t("note.full", { name })}</p>` : nothing}
          ${again}
          ${outcome.contactId ? html`<a class="button secondary" href=${`/contacts/${encodeURIComponent(outcome.contactId)}`}>${t("note.open")}</a>` : nothing}
        </div>`;
    }
  }

  private renderAlready(name: string) {
    if (this.queuedItem) return html`<p class="notice info" role="status">${t("note.already.queued", { name })}</p>`;
    if (!this.known) return nothing;
    const timeZone = getState().me?.event.timezone;
    const when = this.known.met_at ? t("note.already.when", { time: formatMoment(this.known.met_at, timeZone) }) : "";
    return html`<p class="notice info" role="status">
      ${t("note.already", { name, when })}
      <a href=${`/contacts/${encodeURIComponent(this.known.id)}`}>${t("note.open")}</a>
    </p>`;
  }

  protected override render() {
    if (!this.badge) return nothing;
    if (!this.card) {
      return this.lookupError
        ? html`<div class="new-contact"><p class="notice error" role="alert">${this.lookupError}</p>
            <button type="button" class="button primary" @click=${() => this.emit("scan-again")}>${t("note.again")}</button></div>`
        : html`<div class="new-contact"><p class="loading" role="status">…</p></div>`;
    }
    const name = this.card.name || t("card.unknown");
    if (this.outcome && this.outcome.kind !== "error") {
      return html`
        <section class="new-contact done" aria-labelledby="new-contact-title">
          <h2 id="new-contact-title" class="visually-hidden">${t("note.title", { name })}</h2>
          ${this.renderOutcome(this.outcome, name)}
          <rc-person-card .card=${this.card} heading-level="3" compact></rc-person-card>
        </section>
      `;
    }
    return html`
      <section class="new-contact" aria-labelledby="new-contact-title">
        <rc-person-card .card=${this.card} heading-level="2" compact></rc-person-card>
        ${this.card.attendee_id ? html`<rc-conversation-prompts attendee-id=${this.card.attendee_id}></rc-conversation-prompts>` : nothing}
        ${this.lookupError ? html`<p class="notice pending" role="status">${this.lookupError}</p>` : nothing}
        ${this.renderAlready(name)}
        <form class="note-form" @submit=${(event: Event) => this.save(event)}>
          <h2 id="new-contact-title" class="visually-hidden">${t("note.title", { name })}</h2>
          <div class="field">
            <label class="field-label" for="scan-note">${t("note.label")}</label>
            <textarea
              id="scan-note"
              name="note"
              rows="3"
              maxlength="500"
              aria-describedby="note-hint"
              .value=${this.note}
              @input=${(event: InputEvent) => (this.note = (event.target as HTMLTextAreaElement).value)}
            ></textarea>
            <span class="field-hint" id="note-hint">${t("note.hint")}</span>
          </div>
          <rc-tag-picker .selected=${this.tags} @tags-change=${(event: CustomEvent<string[]>) => (this.tags = event.detail)}></rc-tag-picker>
          <rc-rating-input .value=${this.rating} @rating-change=${(event: CustomEvent<number | null>) => (this.rating = event.detail)}></rc-rating-input>
          ${this.outcome?.kind === "error" ? this.renderOutcome(this.outcome, name) : nothing}
          <button type="submit" class="button primary large" ?disabled=${this.saving}>
            ${this.saving ? t("note.saving") : t("note.save")}
          </button>
        </form>
      </section>
    `;
  }
}
customElements.define("rc-new-contact", NewContact);

function wasMetBefore(result: ScanResult): boolean {
  return result.already_met === true || result.status === "updated";
}

function contactIdOf(result: ScanResult): string | null {
  return result.contact_id ?? null;
}
