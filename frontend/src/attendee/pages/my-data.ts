import { html, nothing } from "lit";

import { ApiError } from "../../kit/api/errors";
import type { RetentionStatus } from "../../api/types";
import { LightElement } from "../../kit/light-element";
import { formatDate } from "../format";
import { plural, t, problemText } from "../i18n";
import { disableReminders, enableReminders, reminderState, type ReminderState } from "../push";
import { api, StoreController } from "../state";
import "./my-data.css";

/** "My data": what the app keeps about me, until when, and why; keep my contacts; reminders. */
export class MyDataPage extends LightElement {
  static override properties = {
    status: { state: true },
    reminders: { state: true },
    error: { state: true },
    reminderMessage: { state: true },
    busy: { state: true },
  };

  status: RetentionStatus | null = null;
  reminders: ReminderState | null = null;
  error = "";
  reminderMessage = "";
  busy = false;
  private readonly store = new StoreController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.reminders = await reminderState();
    try {
      this.status = await api.retention();
    } catch (error) {
      this.error = error instanceof ApiError ? problemText(error) : t("error.network");
    }
  }

  private async setKeepAll(keepAll: boolean): Promise<void> {
    this.busy = true;
    this.error = "";
    try {
      this.status = await api.keepAll(keepAll);
    } catch (error) {
      this.error = error instanceof ApiError ? problemText(error) : t("error.network");
    } finally {
      this.busy = false;
    }
  }

  private async toggleReminders(on: boolean): Promise<void> {
    this.busy = true;
    this.reminderMessage = "";
    if (on) {
      const outcome = await enableReminders();
      if (outcome === "failed") this.reminderMessage = t("reminders.failed");
      if (outcome === "denied") this.reminderMessage = t("reminders.denied");
    } else {
      await disableReminders().catch(() => undefined);
    }
    this.reminders = await reminderState();
    this.busy = false;
  }

  private row(title: string, until: string, why: string) {
    return html`<li class="data-row">
      <h3>${title}</h3>
      <p class="data-until">${until}</p>
      <p class="data-why">${why}</p>
    </li>`;
  }

  private renderReminders() {
    const state = this.reminders;
    if (state === null) return nothing;
    return html`<section class="card data-reminders" aria-labelledby="reminders-title">
      <h2 id="reminders-title">${t("reminders.title")}</h2>
      <p>${t("reminders.explain")}</p>
      ${state === "unsupported"
        ? html`<p class="muted">${t("reminders.unsupported")}</p>`
        : state === "denied"
          ? html`<p class="notice">${t("reminders.denied")}</p>`
          : html`<label class="check toggle">
              <input
                type="checkbox"
                .checked=${state === "on"}
                ?disabled=${this.busy}
                @change=${(e: Event) => void this.toggleReminders((e.target as HTMLInputElement).checked)}
              />
              <span>${t("reminders.toggle")}</span>
            </label>`}
      ${this.reminderMessage ? html`<p class="notice error" role="alert">${this.reminderMessage}</p>` : nothing}
    </section>`;
  }

  protected override render() {
    const status = this.status;
    const zone = this.store.value.me?.event.timezone;
    const purgeDate = status ? formatDate(status.purge_at, zone) : "";
    const purged = !!status?.purged_at;
    return html`
      <a class="back-link" href="/me">← ${t("mydata.back")}</a>
      <header class="page-head">
        ${status ? html`<p class="eyebrow">${status.event_name}</p>` : nothing}
        <h1 tabindex="-1">${t("mydata.title")}</h1>
        <p class="lead">${t("mydata.intro")}</p>
      </header>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      ${status?.warning ? html`<p class="notice pending" role="status">${t("retention.banner", { date: purgeDate })}</p>` : nothing}
      ${status
        ? html`<ul class="data-list card">
            ${purged
              ? this.row(
                  plural(status.kept, "mydata.kept.one", "mydata.kept.many"),
                  t("mydata.kept.until"),
                  t("mydata.kept.why"),
                )
              : html`
                  ${this.row(t("mydata.profile"), t("mydata.until", { date: purgeDate }), t("mydata.profile.why"))}
                  ${this.row(
                    plural(status.contacts, "mydata.contacts.one", "mydata.contacts.many"),
                    t("mydata.until", { date: purgeDate }),
                    t("mydata.contacts.why"),
                  )}
                  ${status.kept === 0
                    ? this.row(t("mydata.kept.zero"), t("mydata.kept.until"), t("mydata.kept.none"))
                    : this.row(
                        plural(status.kept, "mydata.kept.one", "mydata.kept.many"),
                        t("mydata.kept.until"),
                        status.keep_all ? t("mydata.kept.all") : t("mydata.kept.why"),
                      )}
                `}
          </ul>
          <p class="muted data-rule">${t("mydata.rule", { days: String(status.retention_days) })}</p>
          ${purged
            ? nothing
            : html`<section class="card data-keep" aria-labelledby="keep-title">
                <h2 id="keep-title">${t("mydata.keep.title")}</h2>
                <p>${t("mydata.keep.explain")}</p>
                <label class="check toggle">
                  <input
                    type="checkbox"
                    .checked=${status.keep_all}
                    ?disabled=${this.busy}
                    @change=${(e: Event) => void this.setKeepAll((e.target as HTMLInputElement).checked)}
                  />
                  <span>${t("mydata.keep.all")}</span>
                </label>
              </section>`}`
        : this.error
          ? nothing
          : html`<div class="spinner" role="status"></div>`}
      ${purged ? nothing : this.renderReminders()}
    `;
  }
}
customElements.define("page-my-data", MyDataPage);
