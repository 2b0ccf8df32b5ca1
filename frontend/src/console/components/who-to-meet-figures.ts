import { html } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import type { WhoToMeetFigures } from "../../api/types";
import { LightElement } from "../../kit/light-element";
import { api } from "../context";
import "./who-to-meet-figures.css";
import { formatNumber, t, type ConsoleKey } from "../i18n";

const FIGURES = ["opted_in", "requests_sent", "matches", "matches_met"] as const;

/** The directory's uptake, requests, matches and matches met: counts only, never who asked whom. */
@customElement("rc-who-to-meet-figures")
export class WhoToMeetFiguresCard extends LightElement {
  /** Given (the report carries them), or fetched for `eventId` (the overview, live). */
  @property({ attribute: false }) figures: WhoToMeetFigures | null = null;
  @property({ attribute: "event-id" }) eventId = "";
  @state() private fetched: WhoToMeetFigures | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.figures && this.eventId) {
      api.whoToMeet(this.eventId).then(
        (figures) => (this.fetched = figures),
        () => (this.fetched = null),
      );
    }
  }

  protected override render() {
    const figures = this.figures ?? this.fetched;
    if (!figures) return null;
    const share = figures.attendees
      ? new Intl.NumberFormat(document.documentElement.lang, { style: "percent", maximumFractionDigits: 0 }).format(
          figures.opted_in / figures.attendees,
        )
      : null;
    return html`<section class="card who-to-meet-figures" aria-labelledby="who-to-meet-title" data-figures="who-to-meet">
      <h3 id="who-to-meet-title">${t("whoToMeet.title")}</h3>
      <p class="muted">${t("whoToMeet.lead")}</p>
      <dl class="big-numbers">
        ${FIGURES.map(
          (key) => html`<div class="big-number" data-figure=${key}>
            <dt>${t(`whoToMeet.${key}` as ConsoleKey)}</dt>
            <dd>${formatNumber(figures[key])}</dd>
            ${key === "opted_in" && share ? html`<dd class="big-number__note">${t("whoToMeet.opted_in.note", { pct: share })}</dd>` : null}
          </div>`,
        )}
      </dl>
    </section>`;
  }
}
