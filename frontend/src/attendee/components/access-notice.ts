import { html, nothing } from "lit";

import { ApiError } from "../../kit/api/errors";
import { formatDateTime } from "../format";
import { t, problemText } from "../i18n";
import type { ReissueNotice } from "../offline/session";
import { dismissAccessNotice, StoreController } from "../state";
import { LightElement } from "../../kit/light-element";
import "./access-notice.css";

/** "Your access was re-issued on … by …": what the attendee reads, and what to do if it was not them. */
export function reissueText(notice: ReissueNotice, timeZone?: string) {
  return html`<p>
      ${t("access.notice.body", {
        date: formatDateTime(notice.reissued_at, timeZone),
        name: notice.organiser_name,
        email: notice.organiser_email,
      })}
    </p>
    ${notice.reason ? html`<p>${t("access.notice.reason", { reason: notice.reason })}</p>` : nothing}`;
}

/** The newest unacknowledged re-issue of this attendee's access, until they dismiss it. */
export class AccessNotice extends LightElement {
  static override properties = { error: { state: true }, busy: { state: true } };

  error = "";
  busy = false;
  private readonly store = new StoreController(this);

  private async dismiss(id: string): Promise<void> {
    this.busy = true;
    this.error = "";
    try {
      await dismissAccessNotice(id);
    } catch (error) {
      this.error = error instanceof ApiError ? problemText(error) : t("error.network");
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    const { accessNotices, me, sessionExpired } = this.store.value;
    const notice = accessNotices[0];
    if (!notice || sessionExpired) return nothing;
    return html`
      <section class="access-notice" role="alert" aria-labelledby="access-notice-title">
        <h2 id="access-notice-title">${t("access.notice.title")}</h2>
        ${reissueText(notice, me?.event.timezone)}
        <p class="access-notice-advice">${t("access.notice.advice")}</p>
        ${this.error ? html`<p class="notice error">${this.error}</p>` : nothing}
        <button type="button" class="button primary" ?disabled=${this.busy} @click=${() => void this.dismiss(notice.id)}>
          ${t("access.notice.dismiss")}
        </button>
      </section>
    `;
  }
}
customElements.define("rc-access-notice", AccessNotice);
