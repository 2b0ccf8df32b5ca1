import { html, nothing } from "lit";

import { LightElement } from "../../kit/light-element";
import { t } from "../i18n";
import { dismissOffer, enableReminders, offerDismissed, pushSupported, type EnableOutcome } from "../push";
import "./reminder-offer.css";

/**
 * "Be reminded to follow up?": offered on the contacts list once the attendee has met
 * someone (never at first launch), until they accept or set it aside. A refusal by the
 * browser is explained, not retried.
 */
export class ReminderOffer extends LightElement {
  static override properties = { contacts: { type: Number }, outcome: { state: true }, busy: { state: true }, dismissed: { state: true } };

  contacts = 0;
  outcome: EnableOutcome | null = null;
  busy = false;
  dismissed = offerDismissed();

  private async accept(): Promise<void> {
    this.busy = true;
    this.outcome = await enableReminders();
    this.busy = false;
    if (this.outcome === "denied") dismissOffer();
  }

  private later(): void {
    dismissOffer();
    this.dismissed = true;
  }

  protected override render() {
    if (this.outcome === "on") {
      return html`<p class="notice success reminder-done" role="status">${t("reminders.offer.on")}</p>`;
    }
    if (this.outcome === "denied") {
      return html`<p class="notice reminder-denied" role="status">${t("reminders.denied")}</p>`;
    }
    const askable = pushSupported() && Notification.permission === "default";
    if (this.dismissed || this.contacts < 1 || !askable) return nothing;
    return html`
      <section class="card reminder-offer" aria-labelledby="reminder-offer-title">
        <svg class="reminder-bell" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15L6 16zM10 20a2 2 0 0 0 4 0"></path>
        </svg>
        <div>
          <h2 id="reminder-offer-title">${t("reminders.offer.title")}</h2>
          <p>${t("reminders.offer.body")}</p>
          ${this.outcome === "failed" ? html`<p class="notice error" role="alert">${t("reminders.failed")}</p>` : nothing}
          <div class="reminder-actions">
            <button type="button" class="button primary" ?disabled=${this.busy} @click=${() => void this.accept()}>
              ${t("reminders.offer.accept")}
            </button>
            <button type="button" class="button ghost" ?disabled=${this.busy} @click=${() => this.later()}>${t("reminders.offer.later")}</button>
          </div>
        </div>
      </section>
    `;
  }
}
customElements.define("rc-reminder-offer", ReminderOffer);
