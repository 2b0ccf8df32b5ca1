import { html, nothing } from "lit";

import { ApiError } from "../../kit/api/errors";
import type { FollowUpKind, PublicCard } from "../../api/types";
import { safeUrl } from "../format";
import { lang, problemText, t } from "../i18n";
import { api } from "../state";
import { LightElement } from "../../kit/light-element";
import "./follow-up-draft.css";

const KINDS: readonly FollowUpKind[] = ["message", "coffee", "resource"];

/** The address part of the server's mailto: link, already escaped; empty when the person shares none. */
function recipientOf(mailto: string): string {
  return mailto.startsWith("mailto:") ? mailto.slice("mailto:".length).split("?", 1)[0] ?? "" : "";
}

/** RFC 6068: every reserved character escaped, line breaks as CRLF (as the server builds it). */
export function mailtoLink(recipient: string, subject: string, body: string): string {
  const crlf = body.replace(/\r?\n/g, "\r\n");
  return `mailto:${recipient}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(crlf)}`;
}

/**
 * Follow-up helpers: the prepared message is shown, editable, before anything opens.
 *
 * The message goes to the very person the private note is about, so the note is
 * quoted only when the attendee ticks "Quote my private note"; what is sent is
 * always what they read here. Nothing is sent by the app: the mail app opens on
 * the text (or it is copied).
 */
export class FollowUpDraftPanel extends LightElement {
  static override properties = {
    contactId: { type: String, attribute: "contact-id" },
    hasNote: { type: Boolean, attribute: "has-note" },
    person: { attribute: false },
    kind: { state: true },
    includeNote: { state: true },
    subject: { state: true },
    body: { state: true },
    recipient: { state: true },
    loading: { state: true },
    error: { state: true },
    status: { state: true },
  };

  contactId = "";
  hasNote = false;
  /** The person as they share themselves: without an e-mail, what else they offer is proposed. */
  person: PublicCard | null = null;
  kind: FollowUpKind | null = null;
  includeNote = false;
  subject = "";
  body = "";
  recipient = "";
  loading = false;
  error = "";
  status = "";

  private async prepare(kind: FollowUpKind): Promise<void> {
    this.kind = kind;
    this.error = "";
    this.status = "";
    this.loading = true;
    try {
      const draft = await api.followUp(this.contactId, kind, lang(), this.includeNote && this.hasNote);
      this.subject = draft.subject;
      this.body = draft.body;
      this.recipient = recipientOf(draft.mailto);
      await this.updateComplete;
      this.querySelector<HTMLTextAreaElement>("#follow-up-body")?.focus();
    } catch (error) {
      this.kind = null;
      this.error = t("contact.helper.failed", {
        reason: error instanceof ApiError ? problemText(error) : t("error.network"),
      });
    } finally {
      this.loading = false;
    }
  }

  private async quoteNote(checked: boolean): Promise<void> {
    this.includeNote = checked;
    // The shown message follows the choice at once: what opens is what was read.
    if (this.kind) await this.prepare(this.kind);
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(`${this.subject}\n\n${this.body}`);
      this.status = t("followup.copied");
    } catch {
      this.status = t("followup.copy.failed");
    }
  }

  /** The phone's share sheet (Web Share API): a messaging app, a note, whatever the attendee uses. */
  private async share(): Promise<void> {
    try {
      await navigator.share({ title: this.subject, text: this.body });
      this.status = t("followup.shared");
    } catch (error) {
      // Closing the sheet is no failure; anything else falls back to copying.
      if (!(error instanceof DOMException && error.name === "AbortError")) await this.copy();
    }
  }

  /** Without an address: say why, and offer what works (share sheet, copy, the channels they share). */
  private renderWithoutAddress() {
    const name = this.person?.name || t("card.unknown");
    const phone = this.person?.phone?.replace(/[^+\d]/g, "");
    const linkedin = safeUrl(this.person?.linkedin);
    const canShare = typeof navigator.share === "function";
    return html`<p class="notice info no-address" role="note">${t("followup.no.email", { name })}</p>
      <div class="follow-up-actions">
        ${canShare
          ? html`<button type="button" class="button primary" @click=${() => void this.share()}>${t("followup.share")}</button>`
          : nothing}
        <button type="button" class="button ${canShare ? "secondary" : "primary"}" @click=${() => void this.copy()}>${t("followup.copy")}</button>
        ${phone
          ? html`<a class="button secondary" href=${`sms:${phone}?body=${encodeURIComponent(this.body)}`}>${t("followup.sms")}</a>`
          : nothing}
        ${linkedin
          ? html`<a class="button secondary" href=${linkedin} target="_blank" rel="noopener noreferrer">${t("followup.linkedin")}</a>`
          : nothing}
      </div>`;
  }

  private renderDraft() {
    if (!this.kind) return nothing;
    return html`<div class="follow-up-draft" role="region" aria-labelledby="follow-up-draft-title">
      <h3 id="follow-up-draft-title">${t("followup.preview")}</h3>
      ${this.recipient ? html`<p class="field-hint">${t("followup.to", { address: decodeURIComponent(this.recipient) })}</p>` : nothing}
      <div class="field">
        <label class="field-label" for="follow-up-subject">${t("followup.subject")}</label>
        <input id="follow-up-subject" .value=${this.subject} @input=${(e: Event) => (this.subject = (e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label class="field-label" for="follow-up-body">${t("followup.body")}</label>
        <textarea id="follow-up-body" rows="10" .value=${this.body} @input=${(e: Event) => (this.body = (e.target as HTMLTextAreaElement).value)}></textarea>
      </div>
      ${this.recipient
        ? html`<div class="follow-up-actions">
            <a class="button primary" href=${mailtoLink(this.recipient, this.subject, this.body)}>${t("followup.open")}</a>
            <button type="button" class="button secondary" @click=${() => void this.copy()}>${t("followup.copy")}</button>
          </div>`
        : this.renderWithoutAddress()}
      ${this.status ? html`<p class="notice success" role="status">${this.status}</p>` : nothing}
    </div>`;
  }

  protected override render() {
    return html`
      <div class="helper-buttons">
        ${KINDS.map(
          (kind) => html`<button
            type="button"
            class="button ${kind === "message" ? "primary" : "secondary"}"
            aria-pressed=${this.kind === kind ? "true" : "false"}
            ?disabled=${this.loading}
            @click=${() => void this.prepare(kind)}
          >
            ${t(`contact.helper.${kind}`)}
          </button>`,
        )}
      </div>
      ${this.hasNote
        ? html`<label class="check quote-note">
            <input type="checkbox" .checked=${this.includeNote} ?disabled=${this.loading} @change=${(e: Event) => void this.quoteNote((e.target as HTMLInputElement).checked)} />
            <span>${t("followup.quote.note")}</span>
          </label>`
        : nothing}
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      ${this.renderDraft()}
    `;
  }
}
customElements.define("rc-follow-up-draft", FollowUpDraftPanel);
