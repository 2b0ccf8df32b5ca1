import { html } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import "./invitation-dialog.css";
import { api } from "../context";
import { errorMessage } from "../errors";
import { lang, t, tn } from "../i18n";
import type { InvitationPreview, InvitationRequest, InvitationsQueued, MailLanguage } from "../types";
import { LightElement } from "../../kit/light-element";

/**
 * Confirms an e-mail invitation round: to the selected attendees, or to everyone not yet
 * invited. Shows the mail one of them would receive, as it would leave.
 */
@customElement("rc-invitation-dialog")
export class InvitationDialog extends LightElement {
  @property() eventId = "";
  /** The selected attendees; null for everyone not yet invited. */
  @property({ attribute: false }) ids: string[] | null = null;
  /** How many would receive it (the selection, or the "not sent" count). */
  @property({ type: Number }) count = 0;
  /** Whose mail is previewed, and their name. */
  @property() sampleId = "";
  @property() sampleName = "";
  @state() private language: MailLanguage = lang() === "en" ? "en" : "fr";
  @state() private preview: InvitationPreview | null = null;
  @state() private error = "";
  @state() private busy = false;

  protected override firstUpdated(): void {
    this.querySelector("dialog")?.showModal();
    void this.loadPreview();
  }

  private async loadPreview(): Promise<void> {
    if (!this.sampleId) return;
    try {
      this.preview = await api.invitationPreview(this.eventId, this.sampleId, this.language);
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private chooseLanguage(event: Event): void {
    this.language = (event.target as HTMLSelectElement).value === "en" ? "en" : "fr";
    void this.loadPreview();
  }

  private close(): void {
    this.querySelector("dialog")?.close();
  }

  private async send(): Promise<void> {
    this.busy = true;
    this.error = "";
    try {
      const body: InvitationRequest = this.ids
        ? { attendee_ids: this.ids, language: this.language }
        : { everyone_not_invited: true, language: this.language };
      const queued: InvitationsQueued = await api.sendInvitations(this.eventId, body);
      this.emit("invitations-queued", queued);
      this.close();
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  /** The HTML part, its inline QR code given as a data URL; shown in a frame that runs nothing. */
  private previewDocument(preview: InvitationPreview): string {
    return preview.html.replaceAll("cid:join-qr", `data:image/png;base64,${preview.qr_png_base64}`);
  }

  protected override render() {
    const title = this.ids
      ? this.ids.length === 1
        ? t("invitations.dialog.title.one", { name: this.sampleName })
        : tn("invitations.dialog.title", this.ids.length)
      : t("invitations.dialog.everyone", { n: this.count });
    const preview = this.preview;
    return html`
      <dialog class="dialog dialog--invite" aria-labelledby="invite-dialog-title" @close=${() => this.emit("closed")}>
        <div class="invite-dialog">
          <h2 id="invite-dialog-title">${title}</h2>
          ${this.count === 0
            ? html`<p>${t("invitations.dialog.noOne")}</p>`
            : html`<p>${t("invitations.dialog.lead", { name: this.sampleName })}</p>`}
          <div class="field">
            <label for="invite-language">${t("invitations.dialog.language")}</label>
            <select id="invite-language" .value=${this.language} @change=${this.chooseLanguage}>
              <option value="fr">Français</option>
              <option value="en">English</option>
            </select>
          </div>
          ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : null}
          ${preview
            ? html`<section class="invite-preview" aria-labelledby="invite-preview-title">
                <h3 id="invite-preview-title" class="visually-hidden">${t("invitations.dialog.preview")}</h3>
                <dl class="invite-preview__head">
                  <dt>${t("invitations.dialog.to")}</dt>
                  <dd>${this.sampleName} &lt;${preview.to}&gt;</dd>
                  <dt>${t("invitations.dialog.subject")}</dt>
                  <dd id="invite-preview-subject">${preview.subject}</dd>
                </dl>
                <iframe
                  class="invite-preview__body"
                  title=${t("invitations.dialog.preview")}
                  sandbox=""
                  .srcdoc=${this.previewDocument(preview)}
                ></iframe>
              </section>`
            : null}
          <div class="dialog__actions">
            <button type="button" class="button" @click=${this.close}>${t("common.cancel")}</button>
            <button
              type="button"
              class="button button--primary"
              id="invite-send"
              ?disabled=${this.busy || this.count === 0}
              @click=${this.send}
            >
              ${t("invitations.dialog.confirm")}
            </button>
          </div>
        </div>
      </dialog>
    `;
  }
}
