import { html } from "lit";
import { customElement, state } from "lit/decorators.js";

import "./events-page.css";
import { LightElement } from "../../kit/light-element";
import { api } from "../context";
import { errorMessage } from "../errors";
import { t, tn } from "../i18n";
import { eventPath } from "../routes";
import { formatRange } from "../time";
import type { ConsoleEvent } from "../types";

@customElement("rc-events-page")
export class EventsPage extends LightElement {
  @state() private events: ConsoleEvent[] | null = null;
  @state() private error = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const events = await api.events();
      this.events = events.sort((a, b) => b.starts_at.localeCompare(a.starts_at));
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  protected override render() {
    return html`
      <div class="page-head">
        <div>
          <h1 tabindex="-1">${t("events.title")}</h1>
          <p class="muted">${t("events.lead")}</p>
        </div>
        <a class="button button--primary" href="/console/events/new">${t("events.new")}</a>
      </div>
      ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : null}
      ${this.events === null && !this.error ? html`<p class="muted" role="status">${t("common.loading")}</p>` : null}
      ${this.events?.length === 0
        ? html`<div class="empty card">
            <h2>${t("events.empty.title")}</h2>
            <p>${t("events.empty.body")}</p>
            <a class="button button--primary" href="/console/events/new">${t("events.new")}</a>
          </div>`
        : null}
      ${this.events?.length
        ? html`<ul class="event-list" aria-label=${t("events.title")}>
            ${this.events.map(
              (event) => html`<li class="event-card card">
                <h2 class="event-card__name"><a href=${eventPath(event.id)}>${event.name}</a></h2>
                <p class="event-card__when">${formatRange(event.starts_at, event.ends_at, event.timezone)}</p>
                <p class="muted">${event.venue || t("events.noVenue")} · ${event.timezone}</p>
                <p class="event-card__count">${tn("count.attendees", event.attendee_count)}</p>
                <div class="event-card__links">
                  <a href=${eventPath(event.id, "attendees")}>${t("nav.attendees")}</a>
                  <a href=${eventPath(event.id, "live")}>${t("nav.live")}</a>
                  <a href=${eventPath(event.id, "report")}>${t("nav.report")}</a>
                </div>
              </li>`,
            )}
          </ul>`
        : null}
    `;
  }
}
