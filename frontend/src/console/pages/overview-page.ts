import { html } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import "./overview-page.css";
import "../components/who-to-meet-figures";
import { LightElement } from "../../kit/light-element";
import { api } from "../context";
import { zonedFormat } from "../../kit/format";
import { t, tn, type ConsoleKey } from "../i18n";
import { eventPath, type EventSection } from "../routes";
import type { ConsoleEvent, EventProgress } from "../types";

interface Step {
  key: string;
  section: EventSection;
  done: boolean;
}

/** The event at a glance, and the organiser's path through it: before, during, after. */
@customElement("rc-overview-page")
export class OverviewPage extends LightElement {
  @property({ attribute: false }) event!: ConsoleEvent;
  @state() private attendees: number | null = null;
  @state() private progress: EventProgress | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    // Without it the invitations step simply stays unticked: the checklist is a guide.
    api.progress(this.event.id).then(
      (progress) => (this.progress = progress),
      () => (this.progress = null),
    );
    // The event itself may not carry its head count: the attendee listing's total does.
    api.attendees(this.event.id, { limit: 1 }).then(
      (page) => (this.attendees = page.total),
      () => (this.attendees = this.event.attendee_count),
    );
  }

  /** When the last sheet of everyone's badges was downloaded, in the event's own clock, and who came since. */
  private printed() {
    const progress = this.progress;
    if (!progress?.badges_printed_at) return null;
    const at = new Date(progress.badges_printed_at);
    const zone = this.event.timezone;
    const params = {
      n: progress.badges_printed_count,
      date: zonedFormat(zone, { day: "numeric", month: "long" }).format(at),
      time: zonedFormat(zone, { hour: "2-digit", minute: "2-digit" }).format(at),
    };
    const reprint = progress.badges_to_reprint;
    return html`<p class="step-card__progress" data-progress="badges">${tn("overview.step.badges.printed", params.n, params)}</p>
      ${reprint > 0
        ? html`<p class="step-card__progress" data-progress="reprint">${tn("overview.step.badges.reprint", reprint, { n: reprint })}</p>`
        : null}`;
  }

  protected override render() {
    const event = this.event;
    const attendees = this.attendees ?? event.attendee_count;
    const hasAttendees = attendees > 0;
    const now = Date.now();
    const started = Date.parse(event.starts_at) <= now;
    const ended = Date.parse(event.ends_at) <= now;
    const steps: Step[] = [
      { key: "import", section: "import", done: hasAttendees },
      { key: "badges", section: "badges", done: !!this.progress?.badges_printed_at },
      // Every present attendee has had their join link (sent, or already used).
      { key: "invites", section: "attendees", done: !!this.progress && this.progress.attendees > 0 && this.progress.invited === this.progress.attendees },
      { key: "live", section: "live", done: ended },
      { key: "report", section: "report", done: false },
    ];
    return html`
      <h2 class="visually-hidden" tabindex="-1">${t("nav.overview")}</h2>
      <div class="overview">
        <section class="card overview__facts" aria-labelledby="facts-title">
          <h3 id="facts-title">${t("overview.facts")}</h3>
          <dl class="facts">
            <div><dt>${t("overview.attendees")}</dt><dd>${this.attendees === null ? t("common.loading") : tn("count.attendees", attendees)}</dd></div>
            <div><dt>${t("event.timezone")}</dt><dd>${event.timezone.replaceAll("_", " ")}</dd></div>
            <div><dt>${t("overview.phase")}</dt><dd>${t(ended ? "overview.phase.after" : started ? "overview.phase.during" : "overview.phase.before")}</dd></div>
            <div><dt>${t("overview.feedNames")}</dt><dd>${event.feed_shows_names ? t("common.yes") : t("common.no")}</dd></div>
            <div><dt>${t("overview.directory")}</dt><dd>${event.directory_opens_at
              ? t("overview.directory.opens", { when: zonedFormat(event.timezone, { day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" }).format(new Date(event.directory_opens_at)) })
              : t("overview.directory.closed")}</dd></div>
          </dl>
          <a href=${eventPath(event.id, "settings")}>${t("overview.edit")}</a>
        </section>
        <section class="overview__steps" aria-labelledby="steps-title">
          <h3 id="steps-title">${t("overview.steps")}</h3>
          <ol class="step-list">
            ${steps.map(
              (step) => html`<li class="step-card card ${step.done ? "step-card--done" : ""}">
                <div>
                  <h4>${t(`overview.step.${step.key}` as ConsoleKey)}
                    ${step.done ? html`<span class="chip chip--joined">${t("overview.done")}</span>` : null}</h4>
                  <p class="muted">${t(`overview.step.${step.key}.body` as ConsoleKey)}</p>
                  ${step.key === "invites" && this.progress && this.progress.attendees > 0
                    ? html`<p class="step-card__progress" data-progress="invites">${tn("overview.step.invites.progress", this.progress.invited, { invited: this.progress.invited, attendees: this.progress.attendees })}</p>`
                    : null}
                  ${step.key === "badges" ? this.printed() : null}
                </div>
                <a class="button ${step.done ? "" : "button--primary"}" href=${eventPath(event.id, step.section)}>
                  ${t(`overview.step.${step.key}.action` as ConsoleKey)}
                </a>
              </li>`,
            )}
          </ol>
        </section>
      </div>
      ${event.directory_opens_at ? html`<rc-who-to-meet-figures event-id=${event.id}></rc-who-to-meet-figures>` : null}
    `;
  }
}
