import { html, type PropertyValues } from "lit";
import { customElement, property } from "lit/decorators.js";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

import { LightElement } from "../../kit/light-element";
import { formatNumber, t } from "../i18n";
import { formatTime } from "../time";
import type { TimelineBucket } from "./dashboard-state";
import { continuousSeries } from "./series";

const TEAL = "#0f5e55";

/** Connections per few minutes, drawn by uPlot on a canvas, with a text summary for screen readers. */
@customElement("rc-timeline-chart")
export class TimelineChart extends LightElement {
  @property({ attribute: false }) buckets: TimelineBucket[] = [];
  @property({ type: Number }) bucketSeconds = 300;
  @property() timeZone = "UTC";
  @property({ type: Boolean }) large = false;
  private plot: uPlot | null = null;
  private observer: ResizeObserver | null = null;
  private built = "";
  /** The axis runs to the current bucket, which moves with the clock even when nobody scans. */
  private ticker = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    this.ticker = window.setInterval(() => this.redraw(), 30_000);
  }

  private redraw(): void {
    this.plot?.setData(continuousSeries(this.buckets, this.bucketSeconds));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.ticker);
    this.observer?.disconnect();
    this.observer = null;
    this.plot?.destroy();
    this.plot = null;
    this.built = "";
  }

  private summary(): string {
    const total = this.buckets.reduce((sum, b) => sum + b.connections, 0);
    if (!total) return t("live.chart.empty");
    const peak = this.buckets.reduce((best, b) => (b.connections > best.connections ? b : best));
    return t("live.chart.summary", {
      minutes: Math.round(this.bucketSeconds / 60),
      total,
      peak: peak.connections,
      at: formatTime(peak.at, this.timeZone),
    });
  }

  private options(width: number, height: number): uPlot.Options {
    const font = this.large ? "20px system-ui, sans-serif" : "13px system-ui, sans-serif";
    const zone = this.timeZone;
    const step = this.bucketSeconds;
    return {
      width,
      height,
      // Room on the right for the last time label.
      padding: [12, this.large ? 36 : 24, 0, 0],
      legend: { show: false },
      cursor: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), zone),
      scales: {
        // One more bucket on the right: each bar fills its bucket, the current one included.
        x: { time: true, range: (_u, min, max) => [min, max + step] },
        y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] },
      },
      axes: [
        {
          stroke: "#374151",
          font,
          space: this.large ? 110 : 70,
          grid: { show: false },
          ticks: { stroke: "#d1d5db", width: 1 },
          values: (_u, splits) => splits.map((seconds) => formatTime(seconds * 1000, zone)),
        },
        {
          stroke: "#374151",
          font,
          size: this.large ? 70 : 50,
          grid: { stroke: "#e5e7eb", width: 1 },
          ticks: { show: false },
          values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? formatNumber(v) : "")),
        },
      ],
      series: [
        {},
        {
          label: t("live.chart.series"),
          stroke: TEAL,
          fill: "rgba(15, 94, 85, 0.82)",
          width: 0,
          paths: uPlot.paths.bars!({ size: [0.84, 120], align: 1 }),
          points: { show: false },
        },
      ],
    };
  }

  protected override updated(changed: PropertyValues<this>): void {
    const box = this.querySelector<HTMLElement>(".chart__canvas");
    if (!box) return;
    const data = continuousSeries(this.buckets, this.bucketSeconds);
    const key = `${this.large}|${this.timeZone}|${this.bucketSeconds}|${document.documentElement.lang}`;
    if (!this.plot || this.built !== key) {
      this.plot?.destroy();
      const { width, height } = this.size(box);
      this.plot = new uPlot(this.options(width, height), data, box);
      this.built = key;
      this.observer?.disconnect();
      this.observer = new ResizeObserver(() => {
        if (this.plot) this.plot.setSize(this.size(box));
      });
      this.observer.observe(box);
    } else if (changed.has("buckets") || changed.has("bucketSeconds")) {
      this.redraw();
    }
  }

  private size(box: HTMLElement): { width: number; height: number } {
    return { width: Math.max(200, box.clientWidth), height: Math.max(160, box.clientHeight) };
  }

  protected override render() {
    const total = this.buckets.reduce((sum, b) => sum + b.connections, 0);
    const summary = this.summary();
    return html`<figure class="chart" data-total=${total} data-buckets=${this.buckets.length}>
      <div class="chart__canvas" role="img" aria-label=${summary}></div>
      <figcaption class="chart__caption">${summary}</figcaption>
    </figure>`;
  }
}
