import { html } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import "./event-page.css";
import { LightElement } from "../../kit/light-element";
import { api } from "../context";
import { errorMessage } from "../errors";
import { t, type ConsoleKey } from "../i18n";
import { eventPath, type EventSection } from "../routes";
import { formatRange } from "../time";
import type { ConsoleEvent } from "../types";
import "./attendees-page";
import "./badges-page";
import "./check-in-page";
import "./event-form";
import "./import-page";
import "./live-page";
import "./overview-page";
import "./report-page";
import "./sessions-page";
import "./session-wall";

const TABS: EventSection[] = ["overview", "attendees", "badges", "checkin", "live", "sessions", "report", "settings"];

/** One event: its heading, its sections as tabs (links), and the section shown. */
@customElement("rc-event-page")
export class EventPage extends LightElement {
  @property() eventId = "";
  @property() section: EventSection = "overview";
  @property({ type: Boolean }) wall = false;
  @state() private event: ConsoleEvent | null = null;
  @state() private error = "";
  private loadedFor = "";

  override willUpdate(): void {
    if (this.eventId && this.eventId !== this.loadedFor) {
      this.loadedFor = this.eventId;
      this.event = null;
      void this.load();
    }
  }

  private async load(): Promise<void> {
    try {
      this.event = await api.event(this.eventId);
      this.error = "";
      this.emit("title", this.event.name);
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private refresh = (): void => void this.load();

  private changed(event: CustomEvent<ConsoleEvent>): void {
    this.event = event.detail;
  }

  private renderSection(event: ConsoleEvent) {
    switch (this.section) {
      case "attendees":
        return html`<rc-attendees-page .event=${event} @attendees-changed=${this.refresh}></rc-attendees-page>`;
      case "import":
        return html`<rc-import-page .event=${event} @attendees-changed=${this.refresh}></rc-import-page>`;
      case "badges":
        return html`<rc-badges-page .event=${event}></rc-badges-page>`;
      case "checkin":
        return html`<rc-check-in-page .event=${event}></rc-check-in-page>`;
      case "live":
        return html`<rc-live-page .event=${event} .wallRoute=${this.wall}></rc-live-page>`;
      case "report":
        return html`<rc-report-page .event=${event}></rc-report-page>`;
      case "settings":
        return html`<div class="section-head"><div><h2 tabindex="-1">${t("nav.settings")}</h2>
            <p class="muted">${t("settings.lead")}</p></div></div>
          <rc-event-form .event=${event} @event-changed=${this.changed}></rc-event-form>`;
      case "sessions":
        return this.wall
          ? html`<rc-session-wall .event=${event} .sessionId=${new URL(location.href).searchParams.get("session") ?? ""}></rc-session-wall>`
          : html`<rc-sessions-page .event=${event}></rc-sessions-page>`;
      default:
        return html`<rc-overview-page .event=${event}></rc-overview-page>`;
    }
  }

  protected override render() {
    if (this.error) {
      return html`<p class="crumbs"><a href="/console">${t("events.title")}</a></p>
        <h1 tabindex="-1">${t("event.missing")}</h1>
        <p class="alert" role="alert">${this.error}</p>`;
    }
    const event = this.event;
    if (!event) return html`<p class="muted" role="status">${t("common.loading")}</p>`;
    if (this.wall && (this.section === "live" || this.section === "sessions")) return this.renderSection(event);
    const current = this.section === "import" ? "attendees" : this.section;
    return html`
      <header class="event-head">
        <p class="crumbs"><a href="/console">${t("events.title")}</a></p>
        <h1 tabindex="-1">${event.name}</h1>
        <p class="event-head__meta">
          <span>${formatRange(event.starts_at, event.ends_at, event.timezone)}</span>
          ${event.venue ? html`<span>${event.venue}</span>` : null}
        </p>
      </header>
      <nav class="tabs" aria-label=${t("nav.sections")}>
        <ul>
          ${TABS.map(
            (tab) => html`<li>
              <a class="tabs__link" href=${eventPath(event.id, tab)} aria-current=${tab === current ? "page" : "false"}>
                ${t(`nav.${tab}` as ConsoleKey)}
              </a>
            </li>`,
          )}
        </ul>
      </nav>
      <div class="section">${this.renderSection(event)}</div>
    `;
  }
}
