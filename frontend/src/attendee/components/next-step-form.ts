import { html, nothing } from "lit";

import type { NextStepKind, NextStepProposal, ProposalTerms } from "../../api/types";
import { LightElement } from "../../kit/light-element";
import { t } from "../i18n";
import { safeUrl } from "../format";
import { isoToZonedInput, zonedInputToIso } from "../../kit/zoned-input";

const KINDS: readonly NextStepKind[] = ["coffee", "call", "resource"];
const DURATIONS = [15, 30, 45, 60, 90] as const;
const MAX_PLACE = 200;
const MAX_LINK = 500;
const MAX_MESSAGE = 500;

/** The date and time an input shows for `iso` in `timeZone`. */
function zonedParts(iso: string, timeZone: string): { date: string; time: string } {
  const [date = "", time = ""] = isoToZonedInput(iso, timeZone).split("T");
  return { date, time };
}

/** Tomorrow at 10:00 in the event's time zone: a sensible first proposal. */
function tomorrowMorning(timeZone: string): { date: string; time: string } {
  const { date } = zonedParts(new Date(Date.now() + 24 * 3_600_000).toISOString(), timeZone);
  return { date, time: "10:00" };
}

/**
 * The terms of a proposal or a counter-proposal: what, when (in the event's time zone),
 * where or which link, and a few words. Checked here as the server checks them, so a
 * mistake is said beside its field before anything is sent.
 */
export class NextStepForm extends LightElement {
  static override properties = {
    timeZone: { type: String, attribute: "time-zone" },
    counter: { type: Boolean },
    busy: { type: Boolean },
    start: { attribute: false },
    kind: { state: true },
    date: { state: true },
    time: { state: true },
    duration: { state: true },
    place: { state: true },
    link: { state: true },
    message: { state: true },
    problem: { state: true },
  };

  timeZone = "";
  /** A counter-proposal: "propose another time". */
  counter = false;
  busy = false;
  /** The proposal to start from (a counter-proposal starts from the one it answers). */
  start: NextStepProposal | null = null;
  kind: NextStepKind = "coffee";
  date = "";
  time = "";
  duration = 30;
  place = "";
  link = "";
  message = "";
  problem = "";

  override connectedCallback(): void {
    super.connectedCallback();
    const start = this.start;
    const moment = start?.starts_at ? zonedParts(start.starts_at, this.zone) : tomorrowMorning(this.zone);
    this.kind = start?.kind ?? "coffee";
    this.date = moment.date;
    this.time = moment.time;
    this.duration = start?.duration_minutes ?? 30;
    this.place = start?.place ?? "";
    this.link = start?.link ?? "";
    this.message = "";
  }

  /** The event's time zone; the phone's own until the event is known. */
  private get zone(): string {
    return this.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  }

  private terms(): ProposalTerms | string {
    if (this.kind === "resource") {
      if (!this.message.trim()) return t("nextstep.form.resource.missing");
      return { kind: "resource", message: this.message.trim() };
    }
    const startsAt = zonedInputToIso(`${this.date}T${this.time.slice(0, 5)}`, this.zone);
    if (!startsAt) return t("nextstep.form.when.missing");
    if (new Date(startsAt).getTime() <= Date.now()) return t("problem.next_step_in_the_past");
    const terms: ProposalTerms = { kind: this.kind, starts_at: startsAt, duration_minutes: this.duration, message: this.message.trim() };
    if (this.kind === "coffee" && this.place.trim()) terms.place = this.place.trim();
    if (this.kind === "call" && this.link.trim()) {
      const link = safeUrl(this.link);
      if (!link) return t("nextstep.form.link.invalid");
      terms.link = this.link.trim();
    }
    return terms;
  }

  private submit(event: Event): void {
    event.preventDefault();
    const terms = this.terms();
    if (typeof terms === "string") {
      this.problem = terms;
      return;
    }
    this.problem = "";
    this.dispatchEvent(new CustomEvent<ProposalTerms>("next-step-terms", { detail: terms, bubbles: true }));
  }

  private field<K extends "date" | "time" | "place" | "link" | "message">(key: K) {
    return (e: Event) => {
      this[key] = (e.target as HTMLInputElement).value;
      this.problem = "";
    };
  }

  private renderWhen() {
    if (this.kind === "resource") return nothing;
    return html`
      <div class="next-step-when">
        <div class="field">
          <label class="field-label" for="next-step-date">${t("nextstep.form.date")}</label>
          <input id="next-step-date" type="date" required .value=${this.date} @input=${this.field("date")} />
        </div>
        <div class="field">
          <label class="field-label" for="next-step-time">${t("nextstep.form.time")}</label>
          <input id="next-step-time" type="time" required step="300" .value=${this.time} @input=${this.field("time")} />
        </div>
      </div>
      <p class="field-hint">${t("nextstep.form.zone", { zone: this.timeZone || "UTC" })}</p>
      <div class="field">
        <label class="field-label" for="next-step-duration">${t("nextstep.form.duration")}</label>
        <select id="next-step-duration" @change=${(e: Event) => (this.duration = Number((e.target as HTMLSelectElement).value))}>
          ${DURATIONS.map((minutes) => html`<option value=${minutes} ?selected=${this.duration === minutes}>${t("nextstep.minutes", { n: minutes })}</option>`)}
        </select>
      </div>
      ${this.kind === "coffee"
        ? html`<div class="field">
            <label class="field-label" for="next-step-place">${t("nextstep.form.place")}</label>
            <input id="next-step-place" maxlength=${MAX_PLACE} autocomplete="off" .value=${this.place} @input=${this.field("place")} />
          </div>`
        : html`<div class="field">
            <label class="field-label" for="next-step-link">${t("nextstep.form.link")}</label>
            <input id="next-step-link" type="url" inputmode="url" maxlength=${MAX_LINK} placeholder="https://" .value=${this.link} @input=${this.field("link")} />
          </div>`}
    `;
  }

  protected override render() {
    const resource = this.kind === "resource";
    return html`<form class="next-step-form" novalidate @submit=${(e: Event) => this.submit(e)}>
      <fieldset class="next-step-kinds">
        <legend class="field-label">${t("nextstep.form.kind")}</legend>
        ${KINDS.map(
          (kind) => html`<label class="next-step-kind">
            <input type="radio" name="next-step-kind" .checked=${this.kind === kind} @change=${() => ((this.kind = kind), (this.problem = ""))} />
            <span>${t(`nextstep.kind.${kind}`)}</span>
          </label>`,
        )}
      </fieldset>
      ${this.renderWhen()}
      <div class="field">
        <label class="field-label" for="next-step-message">${t(resource ? "nextstep.form.resource" : "nextstep.form.message")}</label>
        <textarea id="next-step-message" rows="2" maxlength=${MAX_MESSAGE} ?required=${resource} .value=${this.message} @input=${this.field("message")}></textarea>
        <p class="field-hint">${t("nextstep.form.shared")}</p>
      </div>
      ${this.problem ? html`<p class="notice error" role="alert">${this.problem}</p>` : nothing}
      <div class="next-step-actions">
        <button type="submit" class="button primary" ?disabled=${this.busy}>${t(this.counter ? "nextstep.counter.send" : "nextstep.propose.send")}</button>
        <button type="button" class="button ghost" ?disabled=${this.busy} @click=${() => this.dispatchEvent(new CustomEvent("form-close", { bubbles: true }))}>
          ${t("nextstep.form.cancel")}
        </button>
      </div>
    </form>`;
  }
}
customElements.define("rc-next-step-form", NextStepForm);
