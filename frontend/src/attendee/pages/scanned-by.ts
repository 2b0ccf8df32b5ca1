import { html, nothing } from "lit";

import { ApiError } from "../../kit/api/errors";
import type { ScanNotice } from "../../api/types";
import { LightElement } from "../../kit/light-element";
import "../components/person-card";
import { formatMoment } from "../format";
import { problemText, t } from "../i18n";
import { addBack, dismissScanNotice, refreshScanNotices, ScanNoticesController, type AddBackOutcome } from "../scan-notices";
import { getState } from "../state";
import "./scanned-by.css";

interface Answered {
  name: string;
  outcome: AddBackOutcome;
}

/** /scanned-by: who scanned me and whom I have not scanned back; one tap adds them back. */
export class ScannedByPage extends LightElement {
  static override properties = { busy: { state: true }, answered: { state: true }, error: { state: true } };

  busy = "";
  answered: Answered | null = null;
  error = "";
  private readonly notices = new ScanNoticesController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void refreshScanNotices();
  }

  private async act(notice: ScanNotice, action: "add" | "dismiss"): Promise<void> {
    if (this.busy) return;
    this.busy = notice.attendee_id;
    this.error = "";
    this.answered = null;
    try {
      if (action === "dismiss") {
        await dismissScanNotice(notice);
        return;
      }
      const outcome = await addBack(notice);
      if (outcome.kind === "refused") this.error = problemText(outcome.error);
      else this.answered = { name: notice.card.name, outcome };
    } catch (error) {
      this.error = error instanceof ApiError ? problemText(error) : t("error.network");
    } finally {
      this.busy = "";
    }
  }

  private renderAnswered(answered: Answered) {
    const { outcome, name } = answered;
    if (outcome.kind === "queued") return html`<p class="notice pending" role="status">${t("scanned.queued", { name })}</p>`;
    if (outcome.kind !== "sent") return nothing;
    return html`<div class="notice success scanned-added" role="status">
      <p>${t("scanned.added", { name })}</p>
      ${outcome.contactId
        ? html`<a class="button secondary" href=${`/contacts/${encodeURIComponent(outcome.contactId)}`}>${t("scanned.added.note")}</a>`
        : nothing}
    </div>`;
  }

  private renderNotice(notice: ScanNotice) {
    const timeZone = getState().me?.event.timezone;
    const busy = this.busy === notice.attendee_id;
    return html`<li class="scan-notice">
      <p class="scan-notice-line">
        <strong>${t("scanned.notice", { name: notice.card.name })}</strong>
        <span class="muted">${formatMoment(notice.scanned_at, timeZone)}</span>
      </p>
      <rc-person-card .card=${notice.card} heading-level="2"></rc-person-card>
      <div class="scan-notice-actions">
        <button type="button" class="button primary large" ?disabled=${!!this.busy} @click=${() => void this.act(notice, "add")}>
          ${busy ? t("scanned.adding") : t("scanned.add", { name: notice.card.name })}
        </button>
        <button type="button" class="button ghost" ?disabled=${!!this.busy} @click=${() => void this.act(notice, "dismiss")}>
          ${t("scanned.not_now")}
        </button>
      </div>
    </li>`;
  }

  protected override render() {
    const { enabled, items } = this.notices.value;
    return html`
      <h1 tabindex="-1">${t("scanned.title")}</h1>
      <p class="lead">${t("scanned.lead")}</p>
      ${this.answered ? this.renderAnswered(this.answered) : nothing}
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      ${!enabled
        ? html`<p class="notice info">${t("scanned.off")} <a href="/profile">${t("scanned.off.link")}</a></p>`
        : items.length
          ? html`<ul class="scan-notices">${items.map((notice) => this.renderNotice(notice))}</ul>`
          : html`<p class="empty">${t("scanned.empty")}</p>`}
    `;
  }
}
customElements.define("page-scanned-by", ScannedByPage);
