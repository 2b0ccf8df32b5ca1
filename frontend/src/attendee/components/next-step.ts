import { html, nothing } from "lit";

import { ApiError } from "../../kit/api/errors";
import type { Contact, NextStep, NextStepProposal, NextStepSlot, ProposalTerms } from "../../api/types";
import { saveBlob } from "../../kit/download";
import { LightElement } from "../../kit/light-element";
import { formatDateRange } from "../format";
import { lang, problemText, t } from "../i18n";
import { saveContact } from "../offline/cache";
import { api, getState, StoreController } from "../state";
import "./next-step-form";
import "./next-step.css";

type Action = "accept" | "decline" | "cancel";

/** One proposal told in words: what, when (event time), where or which link, and the few words. */
export function renderProposal(proposal: NextStepProposal, timeZone: string | undefined) {
  const when =
    proposal.starts_at && proposal.duration_minutes
      ? formatDateRange(proposal.starts_at, new Date(new Date(proposal.starts_at).getTime() + proposal.duration_minutes * 60_000).toISOString(), timeZone)
      : "";
  return html`<div class="next-step-terms">
    <p class="next-step-what">${t(`nextstep.kind.${proposal.kind}`)}${when ? html` · <span class="next-step-time">${when}</span>` : nothing}</p>
    ${proposal.place ? html`<p class="next-step-place">${t("nextstep.at", { place: proposal.place })}</p>` : nothing}
    ${proposal.link ? html`<p class="next-step-link"><a href=${proposal.link} target="_blank" rel="noopener noreferrer">${proposal.link}</a></p>` : nothing}
    ${proposal.message ? html`<blockquote class="next-step-message">${proposal.message}</blockquote>` : nothing}
  </div>`;
}

/**
 * The next step with a mutual connection, on the contact page: propose a coffee, a call or a
 * resource; answer the other person's proposal (accept, another time, decline); see what was
 * agreed and take it to the calendar; cancel.
 *
 * Everything here is shared with the other person, and nothing else is: the private note,
 * tags and rating never enter a step. Proposing and answering need the network: offline the
 * buttons say so rather than queue an answer that the other side may have made moot.
 */
export class NextStepPanel extends LightElement {
  static override properties = {
    contactId: { type: String, attribute: "contact-id" },
    view: { state: true },
    editing: { state: true },
    busy: { state: true },
    error: { state: true },
    message: { state: true },
    failed: { state: true },
  };

  contactId = "";
  view: NextStepSlot | null = null;
  /** The form is open: a new proposal, or a counter-proposal to the current one. */
  editing: "propose" | "counter" | null = null;
  busy = false;
  error = "";
  message = "";
  failed = false;
  private readonly store = new StoreController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private get timeZone(): string | undefined {
    return getState().me?.event.timezone;
  }

  private async load(): Promise<void> {
    try {
      this.view = await api.nextStep(this.contactId);
      this.failed = false;
    } catch {
      this.failed = this.view === null;
    }
  }

  private describe(error: unknown): string {
    return error instanceof ApiError ? problemText(error) : t("nextstep.offline");
  }

  /** The server's answer is the step as it is now; a refusal reloads it (it may have moved on). */
  private async run(change: () => Promise<NextStep>, done: string): Promise<NextStep | null> {
    this.busy = true;
    this.error = "";
    this.message = "";
    try {
      const step = await change();
      this.editing = null;
      this.message = done;
      await this.load();
      return step;
    } catch (error) {
      this.error = this.describe(error);
      if (error instanceof ApiError && error.status === 409) await this.load();
      return null;
    } finally {
      this.busy = false;
    }
  }

  private async send(terms: ProposalTerms): Promise<void> {
    const step = this.view?.step;
    if (this.editing === "counter" && step) {
      await this.run(() => api.counterNextStep(this.contactId, terms, step.version), t("nextstep.sent"));
    } else {
      await this.run(() => api.proposeNextStep(this.contactId, terms), t("nextstep.sent"));
    }
  }

  private async answer(action: Action): Promise<void> {
    const step = this.view?.step;
    if (!step) return;
    const answered = await this.run(() => api.answerNextStep(this.contactId, action, step.version), t(`nextstep.done.${action}`));
    if (answered?.state === "agreed") await this.contactFollowedUp();
  }

  /** Agreeing followed the contact up on both sides: the page and the offline copy show it. */
  private async contactFollowedUp(): Promise<void> {
    try {
      const contact = await api.contact(this.contactId);
      await saveContact(contact);
      this.dispatchEvent(new CustomEvent<Contact>("contact-refreshed", { detail: contact, bubbles: true }));
    } catch {
      // The page shows the contact as it was; the next load brings the change.
    }
  }

  private async calendar(): Promise<void> {
    this.error = "";
    try {
      const { blob } = await api.download(`/api/contacts/${encodeURIComponent(this.contactId)}/next-step.ics?lang=${lang()}`);
      saveBlob(blob, t("nextstep.calendar.file"));
    } catch (error) {
      this.error = this.describe(error);
    }
  }

  private renderHistory(step: NextStep) {
    const earlier = step.history.slice(0, -1);
    if (!earlier.length) return nothing;
    return html`<details class="next-step-history">
      <summary>${t("nextstep.history", { n: earlier.length })}</summary>
      <ol>
        ${earlier.map(
          (proposal) => html`<li>
            <span class="next-step-by">${proposal.by_me ? t("nextstep.by.me") : t("nextstep.by.them", { name: step.person.name })}</span>
            ${renderProposal(proposal, this.timeZone)}
          </li>`,
        )}
      </ol>
    </details>`;
  }

  private renderStep(step: NextStep, offline: boolean) {
    const name = step.person.name;
    const disabled = this.busy || offline;
    const button = (action: Action, label: string, style: string) =>
      html`<button type="button" class="button ${style}" ?disabled=${disabled} @click=${() => void this.answer(action)}>${label}</button>`;
    let head: string;
    let actions: unknown = nothing;
    if (step.state === "agreed") {
      head = t("nextstep.agreed", { name });
      actions = html`${step.has_calendar
          ? html`<button type="button" class="button primary" ?disabled=${offline} @click=${() => void this.calendar()}>${t("nextstep.calendar")}</button>`
          : nothing}
        ${button("cancel", t("nextstep.cancel"), "ghost")}`;
    } else if (step.state === "proposed" && step.awaiting_me) {
      head = t("nextstep.awaiting.me", { name });
      actions = html`${button("accept", t("nextstep.accept"), "primary")}
        <button type="button" class="button secondary" ?disabled=${disabled} @click=${() => (this.editing = "counter")}>${t("nextstep.counter")}</button>
        ${button("decline", t("nextstep.decline"), "ghost")}`;
    } else if (step.state === "proposed") {
      head = t("nextstep.awaiting.them", { name });
      actions = button("cancel", t("nextstep.withdraw"), "ghost");
    } else {
      const who = step.closed_by_me ? "me" : "them";
      head = t(`nextstep.${step.state === "declined" ? "declined" : "cancelled"}.${who}`, { name });
    }
    const closed = step.state === "declined" || step.state === "cancelled";
    return html`<div class="next-step-state ${step.state}${step.awaiting_me ? " awaiting" : ""}">
      <p class="next-step-head">${step.state === "agreed" ? html`<span aria-hidden="true">✓ </span>` : nothing}${head}</p>
      ${closed ? nothing : renderProposal(step.current, this.timeZone)}
      ${this.editing === "counter"
        ? html`<rc-next-step-form counter time-zone=${this.timeZone ?? ""} .start=${step.current} .busy=${this.busy}></rc-next-step-form>`
        : html`<div class="next-step-actions">${actions}</div>`}
      ${this.renderHistory(step)}
    </div>`;
  }

  protected override render() {
    const view = this.view;
    const offline = !this.store.value.online;
    let body: unknown;
    if (!view) {
      body = this.failed ? html`<p class="field-hint">${t("nextstep.unavailable")}</p>` : html`<div class="spinner" role="status"></div>`;
    } else if (!view.mutual) {
      body = html`<p class="field-hint">${t("nextstep.needs.mutual")}</p>`;
    } else {
      const proposing = this.editing === "propose";
      body = html`
        ${view.step ? this.renderStep(view.step, offline) : html`<p class="field-hint">${t("nextstep.intro")}</p>`}
        ${view.can_propose && !proposing
          ? html`<button type="button" class="button ${view.step ? "secondary" : "primary"} propose" ?disabled=${offline} @click=${() => (this.editing = "propose")}>
              ${t(view.step ? "nextstep.propose.again" : "nextstep.propose")}
            </button>`
          : nothing}
        ${proposing ? html`<rc-next-step-form time-zone=${this.timeZone ?? ""} .busy=${this.busy}></rc-next-step-form>` : nothing}
      `;
    }
    return html`<section
      class="next-step card"
      aria-labelledby="next-step-title"
      @next-step-terms=${(e: CustomEvent<ProposalTerms>) => void this.send(e.detail)}
      @form-close=${() => (this.editing = null)}
    >
      <h2 id="next-step-title">${t("nextstep.title")}</h2>
      ${offline && view?.mutual ? html`<p class="notice pending">${t("nextstep.offline")}</p>` : nothing}
      ${body}
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      ${this.message ? html`<p class="notice success" role="status">${this.message}</p>` : nothing}
    </section>`;
  }
}
customElements.define("rc-next-step", NextStepPanel);
