import { html, svg } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import "./report-page.css";
import { LightElement } from "../../kit/light-element";
import { api } from "../context";
import { downloadFile } from "../download";
import { errorMessage } from "../errors";
import { formatNumber, t, tn, type ConsoleKey } from "../i18n";
import type { Report, ReportTotals } from "../report-types";
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
        </div>
      </div>
      ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : null}
      ${!report && !this.error ? html`<p class="muted" role="status">${t("common.loading")}</p>` : null}
      ${report
        ? html`${this.renderTotals(report)}
            <div class="split">${this.renderDistribution(report)} ${this.renderPeaks(report)}</div>
            <p class="field__hint">${t("report.privacy")}</p>`
        : null}
    `;
  }
}
