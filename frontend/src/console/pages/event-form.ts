import { html } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import { ProblemError } from "../api";
import { LightElement } from "../../kit/light-element";
import { api } from "../context";
import { errorMessage } from "../errors";
import { t } from "../i18n";
import { eventPath, navigate } from "../routes";
import { browserTimeZone, isoToZonedInput, timeZones, zonedInputToIso } from "../time";
import { toast } from "../toast";
import type { ConsoleEvent, EventFields } from "../types";

const FIELD_NAMES = ["name", "starts_at", "ends_at", "timezone", "venue", "retention_days", "directory_opens_at"] as const;
// Retention (issue 19): the bounds the server accepts.
const RETENTION_MIN_DAYS = 1;
const RETENTION_MAX_DAYS = 3650;
const WEEK_MS = 7 * 86_400_000;

function defaultStart(timeZone: string): string {
  // Next week, 18:00 in the event's zone: a typical evening meetup.
  const next = new Date(Date.now() + 7 * 86_400_000);
  return `${isoToZonedInput(next.toISOString(), timeZone).slice(0, 10)}T18:00`;
}

/** Create an event (no `event`) or edit one. */
@customElement("rc-event-form")
export class EventForm extends LightElement {
  @property({ attribute: false }) event: ConsoleEvent | null = null;
  @state() private busy = false;
  @state() private error = "";
  @state() private fieldErrors = new Map<string, string>();
  @state() private timeZone = browserTimeZone();
  @state() private directoryOpen: boolean | null = null;
  private zones = timeZones();
  private readonly suggestedStart = defaultStart(browserTimeZone());

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has("event") && this.event) this.timeZone = this.event.timezone;
  }

  private read(form: HTMLFormElement): { fields: EventFields | null; problems: Map<string, string> } {
    const data = new FormData(form);
    const problems = new Map<string, string>();
    const name = String(data.get("name") ?? "").trim();
    const timezone = String(data.get("timezone") ?? "");
    const startsAt = zonedInputToIso(String(data.get("starts_at") ?? ""), timezone);
    const endsAt = zonedInputToIso(String(data.get("ends_at") ?? ""), timezone);
    if (!name) problems.set("name", t("event.error.name"));
    if (!startsAt) problems.set("starts_at", t("event.error.date"));
    if (!endsAt) problems.set("ends_at", t("event.error.date"));
    if (startsAt && endsAt && endsAt <= startsAt) problems.set("ends_at", t("event.error.order"));
    const retention = Number(data.get("retention_days") ?? "");
    if (!Number.isInteger(retention) || retention < RETENTION_MIN_DAYS || retention > RETENTION_MAX_DAYS) {
      problems.set("retention_days", t("event.retention.error", { min: RETENTION_MIN_DAYS, max: RETENTION_MAX_DAYS }));
    }
    const directoryOpen = data.get("directory_open") === "on";
    const opensAt = directoryOpen ? zonedInputToIso(String(data.get("directory_opens_at") ?? ""), timezone) : null;
    if (directoryOpen && !opensAt) problems.set("directory_opens_at", t("event.error.date"));
    if (opensAt && endsAt && opensAt >= endsAt) problems.set("directory_opens_at", t("event.directory.error"));
    if (problems.size || !startsAt || !endsAt) return { fields: null, problems };
    return {
      fields: {
        name,
        starts_at: startsAt,
        ends_at: endsAt,
        timezone,
        venue: String(data.get("venue") ?? "").trim(),
        feed_shows_names: data.get("feed_shows_names") === "on",
        retention_days: retention,
        directory_opens_at: opensAt,
      },
      problems,
    };
  }

  private async submit(submitEvent: SubmitEvent): Promise<void> {
    submitEvent.preventDefault();
    const form = submitEvent.currentTarget as HTMLFormElement;
    const { fields, problems } = this.read(form);
    this.fieldErrors = problems;
    this.error = "";
    if (!fields) {
      await this.updateComplete;
      this.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
      return;
    }
    this.busy = true;
    try {
      const saved = this.event ? await api.updateEvent(this.event.id, fields) : await api.createEvent(fields);
      if (this.event) {
        toast(t("event.saved"));
        this.emit("event-changed", saved);
      } else {
        navigate(eventPath(saved.id));
      }
    } catch (error) {
      if (error instanceof ProblemError && error.fieldErrors.size) {
        this.fieldErrors = new Map([...error.fieldErrors].filter(([field]) => (FIELD_NAMES as readonly string[]).includes(field)));
      }
      this.error = errorMessage(error);
      await this.updateComplete;
      this.querySelector<HTMLElement>("#event-form-error")?.focus();
    } finally {
      this.busy = false;
    }
  }

  private fieldError(name: string) {
    const message = this.fieldErrors.get(name);
    return message ? html`<p class="field__error" id="${name}-error">${message}</p>` : null;
  }

  private invalid(name: string): "true" | "false" {
    return this.fieldErrors.has(name) ? "true" : "false";
  }

  private described(name: string, hint?: string): string {
    return [hint, this.fieldErrors.has(name) ? `${name}-error` : ""].filter(Boolean).join(" ");
  }

  /** A field's error goes as soon as the field is edited. */
  private clearFieldError(event: Event): void {
    const name = (event.target as HTMLInputElement).name;
    if (!this.fieldErrors.has(name)) return;
    const remaining = new Map(this.fieldErrors);
    remaining.delete(name);
    this.fieldErrors = remaining;
  }

  // Who-to-meet: when the opt-in directory opens, in the event's clock; unticked, it stays closed.
  private renderDirectory(startValue: string, zone: string) {
    const event = this.event;
    const open = this.directoryOpen ?? !!event?.directory_opens_at;
    const start = zonedInputToIso(startValue, zone);
    const value = event?.directory_opens_at
      ? isoToZonedInput(event.directory_opens_at, zone)
      : start
        ? isoToZonedInput(new Date(Date.parse(start) - WEEK_MS).toISOString(), zone)
        : "";
    return html`<fieldset class="field event-directory">
      <legend>${t("event.directory")}</legend>
      <div class="field field--check">
        <input
          id="event-directory-open"
          name="directory_open"
          type="checkbox"
          .checked=${open}
          aria-describedby="event-directory-hint"
          @change=${(e: Event) => (this.directoryOpen = (e.target as HTMLInputElement).checked)}
        />
        <div>
          <label for="event-directory-open">${t("event.directory.open")}</label>
          <p class="field__hint" id="event-directory-hint">${t("event.directory.hint")}</p>
        </div>
      </div>
      <div class="field">
        <label for="event-directory-opens">${t("event.directory.opensAt")}</label>
        <input
          id="event-directory-opens"
          name="directory_opens_at"
          type="datetime-local"
          .value=${value}
          ?disabled=${!open}
          aria-invalid=${this.invalid("directory_opens_at")}
          aria-describedby=${this.described("directory_opens_at", "event-zone-hint")}
        />
        ${this.fieldError("directory_opens_at")}
      </div>
    </fieldset>`;
  }

  protected override render() {
    const event = this.event;
    const zone = this.timeZone;
    const startValue = event ? isoToZonedInput(event.starts_at, event.timezone) : this.suggestedStart;
    const endValue = event
      ? isoToZonedInput(event.ends_at, event.timezone)
      : this.suggestedStart.replace(/T\d{2}:\d{2}$/, "T22:00");
    return html`
      <form class="card form event-form" @submit=${this.submit} @input=${this.clearFieldError} novalidate>
        ${this.error ? html`<p class="alert" id="event-form-error" role="alert" tabindex="-1">${this.error}</p>` : null}
        <div class="field">
          <label for="event-name">${t("event.name")}</label>
          <input
            id="event-name"
            name="name"
            required
            maxlength="200"
            .value=${event?.name ?? ""}
            aria-invalid=${this.invalid("name")}
            aria-describedby=${this.described("name")}
          />
          ${this.fieldError("name")}
        </div>
        <div class="form__row">
          <div class="field">
            <label for="event-start">${t("event.starts")}</label>
            <input
              id="event-start"
              name="starts_at"
              type="datetime-local"
              required
              .value=${startValue}
              aria-invalid=${this.invalid("starts_at")}
              aria-describedby=${this.described("starts_at", "event-zone-hint")}
            />
            ${this.fieldError("starts_at")}
          </div>
          <div class="field">
            <label for="event-end">${t("event.ends")}</label>
            <input
              id="event-end"
              name="ends_at"
              type="datetime-local"
              required
              .value=${endValue}
              aria-invalid=${this.invalid("ends_at")}
              aria-describedby=${this.described("ends_at", "event-zone-hint")}
            />
            ${this.fieldError("ends_at")}
          </div>
        </div>
        <div class="field">
          <label for="event-zone">${t("event.timezone")}</label>
          <select
            id="event-zone"
            name="timezone"
            aria-describedby="event-zone-hint"
            @change=${(e: Event) => (this.timeZone = (e.target as HTMLSelectElement).value)}
          >
            ${this.zones.map((name) => html`<option value=${name} ?selected=${name === zone}>${name.replaceAll("_", " ")}</option>`)}
          </select>
          <p class="field__hint" id="event-zone-hint">${t("event.timezone.hint", { zone: zone.replaceAll("_", " ") })}</p>
        </div>
        <div class="field">
          <label for="event-venue">${t("event.venue")}</label>
          <input id="event-venue" name="venue" maxlength="200" .value=${event?.venue ?? ""} autocomplete="off" />
          ${this.fieldError("venue")}
        </div>
        <div class="field field--check">
          <input
            id="event-feed-names"
            name="feed_shows_names"
            type="checkbox"
            .checked=${event?.feed_shows_names ?? false}
            aria-describedby="event-feed-names-hint"
          />
          <div>
            <label for="event-feed-names">${t("event.feedNames")}</label>
            <p class="field__hint" id="event-feed-names-hint">${t("event.feedNames.hint")}</p>
          </div>
        </div>
        <div class="field">
          <label for="event-retention">${t("event.retention")}</label>
          <input
            id="event-retention"
            name="retention_days"
            type="number"
            inputmode="numeric"
            min=${RETENTION_MIN_DAYS}
            max=${RETENTION_MAX_DAYS}
            step="1"
            required
            .value=${String(event?.retention_days ?? 90)}
            aria-invalid=${this.invalid("retention_days")}
            aria-describedby=${this.described("retention_days", "event-retention-hint")}
          />
          <p class="field__hint" id="event-retention-hint">${t("event.retention.hint")}</p>
          ${this.fieldError("retention_days")}
        </div>
        ${this.renderDirectory(startValue, zone)}
        <div class="form__actions">
          <button class="button button--primary" type="submit" ?disabled=${this.busy}>
            ${event ? t("event.save") : t("event.create")}
          </button>
          ${event ? null : html`<a class="button" href="/console">${t("common.cancel")}</a>`}
        </div>
      </form>
    `;
  }
}

@customElement("rc-new-event-page")
export class NewEventPage extends LightElement {
  protected override render() {
    return html`
      <p class="crumbs"><a href="/console">${t("events.title")}</a></p>
      <h1 tabindex="-1">${t("event.new.title")}</h1>
      <p class="muted">${t("event.new.lead")}</p>
      <rc-event-form></rc-event-form>
    `;
  }
}
