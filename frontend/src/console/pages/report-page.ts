import { html, svg } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import "../components/who-to-meet-figures";

import "./report-page.css";
import { LightElement } from "../../kit/light-element";
import { api } from "../context";
import { downloadFile } from "../download";
import { errorMessage } from "../errors";
import { formatNumber, hasKey, lang, t, tn, type ConsoleKey } from "../i18n";
import type { ConnectionGroup, FollowUpRate, GroupedConnections, Report, ReportTotals } from "../report-types";
import { formatDateTime, formatTime } from "../time";
import type { ConsoleEvent } from "../types";

const TOTALS: (keyof ReportTotals)[] = [
  "connections",
  "unique_pairs",
  "mutual_connections",
  "attendees",
  "joined",
  "attendees_who_scanned",
  "arrived",
  "introduced",
];

const FOLLOW_UP: (keyof FollowUpRate)[] = ["contacts", "followed_up", "followed_up_within_48h", "next_steps_agreed"];
// A next step is a pair's, not a contact's: no share of contacts is said of it.
const OF_CONTACTS = new Set<keyof FollowUpRate>(["followed_up", "followed_up_within_48h"]);

function percent(part: number, whole: number): string {
  if (!whole) return "";
  return new Intl.NumberFormat(document.documentElement.lang, { style: "percent", maximumFractionDigits: 0 }).format(part / whole);
}

@customElement("rc-report-page")
export class ReportPage extends LightElement {
  @property({ attribute: false }) event!: ConsoleEvent;
  @state() private report: Report | null = null;
  @state() private error = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.error = "";
    try {
      this.report = await api.report(this.event.id);
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private renderTotals(report: Report) {
    const totals = report.totals;
    return html`<dl class="big-numbers big-numbers--report">
      ${TOTALS.map(
        (key) => html`<div class="big-number" data-total=${key}>
          <dt>${t(`report.total.${key}` as ConsoleKey)}</dt>
          <dd>${formatNumber(totals[key])}</dd>
          ${key === "joined" || key === "attendees_who_scanned" || key === "arrived"
            ? html`<dd class="big-number__note">${t("report.ofAttendees", { pct: percent(totals[key], totals.attendees) })}</dd>`
            : null}
        </div>`,
      )}
    </dl>`;
  }

  private renderDistribution(report: Report) {
    const most = Math.max(1, ...report.distribution.map((b) => b.attendees));
    return html`<section class="card" aria-labelledby="distribution-title">
      <h3 id="distribution-title">${t("report.distribution")}</h3>
      <p class="muted">${t("report.distribution.lead")}</p>
      <table class="table table--compact distribution">
        <thead>
          <tr>
            <th scope="col">${t("report.distribution.people")}</th>
            <th scope="col" class="cell-num">${t("report.distribution.attendees")}</th>
            <th scope="col"><span class="visually-hidden">${t("report.distribution.share")}</span></th>
          </tr>
        </thead>
        <tbody>
          ${report.distribution.map(
            (bucket) => html`<tr>
              <th scope="row">${bucket.label}</th>
              <td class="cell-num">${formatNumber(bucket.attendees)}</td>
              <td class="distribution__bar" aria-hidden="true">${svg`<svg viewBox="0 0 100 12" preserveAspectRatio="none"><rect width=${(bucket.attendees / most) * 100} height="12" rx="2"></rect></svg>`}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
  }

  private renderPeaks(report: Report) {
    return html`<section class="card" aria-labelledby="peaks-title">
      <h3 id="peaks-title">${t("report.peaks")}</h3>
      ${report.peaks.length
        ? html`<ol class="peaks">
            ${report.peaks.map(
              (peak) => html`<li>
                <span class="peaks__when">${formatTime(peak.starts_at, report.timezone)}–${formatTime(
                  new Date(Date.parse(peak.starts_at) + 15 * 60_000).toISOString(),
                  report.timezone,
                )}</span>
                <span class="peaks__count">${tn("live.connections", peak.connections)}</span>
              </li>`,
            )}
          </ol>`
        : html`<p class="muted">${t("report.peaks.empty")}</p>`}
    </section>`;
  }

  private renderFollowUp(report: Report) {
    const rate = report.follow_up;
    return html`<section class="card report-follow-up" aria-labelledby="follow-up-title">
      <h3 id="follow-up-title">${t("report.followUp")}</h3>
      <p class="muted">${t("report.followUp.lead")}</p>
      <dl class="big-numbers big-numbers--follow-up">
        ${FOLLOW_UP.map(
          (key) => html`<div class="big-number" data-follow-up=${key}>
            <dt>${t(`report.followUp.${key}` as ConsoleKey)}</dt>
            <dd>${formatNumber(rate[key])}</dd>
            ${OF_CONTACTS.has(key) && rate.contacts
              ? html`<dd class="big-number__note">${t("report.followUp.ofContacts", { pct: percent(rate[key], rate.contacts) })}</dd>`
              : null}
          </div>`,
        )}
      </dl>
    </section>`;
  }

  private renderGroups(grouped: GroupedConnections, id: string, title: string, labelOf: (group: ConnectionGroup) => string) {
    const rows: [string, ConnectionGroup][] = grouped.groups.map((group) => [labelOf(group), group]);
    if (grouped.other) rows.push([t("report.group.other"), grouped.other]);
    return html`<section class="card" aria-labelledby=${id} data-groups=${id}>
      <h3 id=${id}>${title}</h3>
      ${rows.length
        ? html`<table class="table table--compact groups">
            <thead>
              <tr>
                <th scope="col">${t("report.group")}</th>
                <th scope="col" class="cell-num">${t("report.group.attendees")}</th>
                <th scope="col" class="cell-num">${t("report.group.connections")}</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                ([label, group]) => html`<tr>
                  <th scope="row">${label}</th>
                  <td class="cell-num">${formatNumber(group.attendees)}</td>
                  <td class="cell-num">${formatNumber(group.connections)}</td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p class="muted">${t("report.group.empty")}</p>`}
      <p class="field__hint">${t("report.group.note", { n: grouped.min_group_size })}</p>
    </section>`;
  }

  private objectiveLabel(group: ConnectionGroup): string {
    const key = `report.objective.${group.label}`;
    return hasKey(key) ? t(key) : group.label;
  }

  protected override render() {
    const report = this.report;
    return html`
      <div class="section-head">
        <div>
          <h2 tabindex="-1">${t("report.title")}</h2>
          <p class="muted">
            ${report ? t("report.generated", { when: formatDateTime(report.generated_at, report.timezone) }) : t("report.lead")}
          </p>
        </div>
        <div class="toolbar">
          <button type="button" class="button" @click=${this.load}>${t("report.refresh")}</button>
          <button
            type="button"
            class="button button--primary"
            @click=${() => downloadFile(api.reportCsvPath(this.event.id), `report-${this.event.slug}.csv`)}
          >
            ${t("report.csv")}
          </button>
          <button
            type="button"
            class="button button--primary"
            data-action="report-pdf"
            @click=${() => downloadFile(api.reportPdfPath(this.event.id, lang()), `report-${this.event.slug}.pdf`)}
          >
            ${t("report.pdf")}
          </button>
        </div>
      </div>
      ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : null}
      ${!report && !this.error ? html`<p class="muted" role="status">${t("common.loading")}</p>` : null}
      ${report
        ? html`${this.renderTotals(report)}
            <div class="split">${this.renderDistribution(report)} ${this.renderPeaks(report)}</div>
            ${this.renderFollowUp(report)}
            ${report.who_to_meet ? html`<rc-who-to-meet-figures .figures=${report.who_to_meet}></rc-who-to-meet-figures>` : null}
            <div class="split split--even">
              ${this.renderGroups(report.by_objective, "by-objective", t("report.byObjective"), (group) => this.objectiveLabel(group))}
              ${this.renderGroups(report.by_interest, "by-interest", t("report.byInterest"), (group) => group.label)}
            </div>
            <p class="field__hint">${t("report.privacy")}</p>`
        : null}
    `;
  }
}
