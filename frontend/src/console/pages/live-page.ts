import { html, svg } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import "./live-page.css";
import { ApiError } from "../api";
import { LightElement } from "../../kit/light-element";
import { api } from "../context";
import { formatNumber, t, tn, type ConsoleKey } from "../i18n";
import { applyFrame, emptyState, type Counts, type DashboardState, type Lonely } from "../live/dashboard-state";
import { FeedClient, TicketRefused, type FeedStatus } from "../live/feed-client";
import "../live/timeline-chart";
import { errorMessage } from "../errors";
import { eventPath, navigate } from "../routes";
import { toast } from "../toast";
import { formatDuration, formatTime } from "../time";
import type { ConsoleEvent, SuggestedToMeet } from "../types";

const COUNT_KEYS: (keyof Counts)[] = ["connections", "unique_pairs", "mutual", "active_scanners", "present"];

@customElement("rc-live-page")
export class LivePage extends LightElement {
  @property({ attribute: false }) event!: ConsoleEvent;
  /** Opened as /live?wall: the wall layout without the console around it. */
  @property({ type: Boolean }) wallRoute = false;
  @state() private dashboard: DashboardState = emptyState();
  @state() private status: FeedStatus = "connecting";
  @state() private retryAt = 0;
  @state() private fullscreen = false;
  @state() private now = Date.now();
  /** Marked introduced here: off the list at once, before the feed's next refresh says so. */
  @state() private introduced = new Set<string>();
  /** Suggestions (who-to-meet): whom each isolated attendee was suggested to meet, by id. */
  @state() private suggested = new Map<string, SuggestedToMeet>();
  private suggestedFor = "";
  private client: FeedClient | null = null;
  private clock = 0;
  private readonly fullscreenChanged = (): void => {
    this.fullscreen = document.fullscreenElement === this.querySelector(".dashboard");
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.client = new FeedClient({
      eventId: this.event.id,
      ticket: async () => {
        try {
          return (await api.feedTicket(this.event.id)).ticket;
        } catch (error) {
          if (error instanceof ApiError && [401, 403, 404].includes(error.status)) throw new TicketRefused(error.detail);
          throw error;
        }
      },
      lastSeq: () => this.dashboard.seq,
      onMessage: (message) => {
        const { state, resync } = applyFrame(this.dashboard, message);
        this.dashboard = state;
        if (resync) this.client?.resync();
      },
      onStatus: (status, retryInMs) => {
        this.status = status;
        this.retryAt = retryInMs ? Date.now() + retryInMs : 0;
      },
    });
    this.client.start();
    document.addEventListener("fullscreenchange", this.fullscreenChanged);
    this.clock = window.setInterval(() => (this.now = Date.now()), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.client?.stop();
    this.client = null;
    document.removeEventListener("fullscreenchange", this.fullscreenChanged);
    window.clearInterval(this.clock);
  }

  private get wall(): boolean {
    return this.wallRoute || this.fullscreen;
  }

  private async enterWall(): Promise<void> {
    const target = this.querySelector<HTMLElement>(".dashboard");
    if (target?.requestFullscreen) {
      try {
        await target.requestFullscreen({ navigationUI: "hide" });
        return;
      } catch {
        // refused (e.g. inside a frame): the wall page without the console does the same job
      }
    }
    navigate(`${eventPath(this.event.id, "live")}?wall`);
  }

  private async leaveWall(): Promise<void> {
    if (document.fullscreenElement) await document.exitFullscreen();
    if (this.wallRoute) navigate(eventPath(this.event.id, "live"));
  }

  private renderStatus() {
    const seconds = this.retryAt ? Math.max(1, Math.ceil((this.retryAt - this.now) / 1000)) : 0;
    const label =
      this.status === "reconnecting" && seconds
        ? t("live.status.retrying", { s: seconds })
        : t(`live.status.${this.status}` as ConsoleKey);
    const updated = this.dashboard.updatedAt ? formatTime(this.dashboard.updatedAt, this.event.timezone) : "";
    return html`<div class="feed-status feed-status--${this.status}" role="status" aria-live="polite">
      <span class="feed-status__dot" aria-hidden="true"></span>
      <span class="feed-status__label">${label}</span>
      ${updated && this.status !== "live" ? html`<span class="feed-status__since">${t("live.status.since", { time: updated })}</span>` : null}
    </div>`;
  }

  private renderCounts() {
    const counts = this.dashboard.counts;
    return html`<dl class="big-numbers" aria-label=${t("live.numbers")}>
      ${COUNT_KEYS.map(
        (key) => html`<div class="big-number big-number--${key}" data-count=${key}>
          <dt>${t(`live.count.${key}` as ConsoleKey)}</dt>
          <dd>${formatNumber(counts[key])}</dd>
        </div>`,
      )}
    </dl>`;
  }

  /** A public screen names people only when the event says so: the server sends per-person
   *  counts only while names are on, so a list without them is a list the wall keeps to itself. */
  private get wallShowsNames(): boolean {
    return this.event.feed_shows_names && this.dashboard.top.every((person) => person.connections !== null);
  }

  private renderMostConnected() {
    const people = this.dashboard.top.slice(0, this.wall ? 8 : 10);
    const best = Math.max(1, ...people.map((p) => p.connections ?? 0));
    return html`<section class="card live-card live-card--most" aria-labelledby="most-connected-title">
      <h3 id="most-connected-title">${t("live.most")}</h3>
      ${people.length
        ? html`<ol class="ranking">
            ${people.map(
              (person) => person.connections === null
                ? html`<li class="ranking__row ranking__row--plain">
                    <span class="ranking__name" dir="auto">${person.name}</span>
                  </li>`
                : html`<li class="ranking__row">
                    <span class="ranking__name" dir="auto">${person.name}</span>
                    <span class="ranking__bar" aria-hidden="true">${svg`<svg viewBox="0 0 100 10" preserveAspectRatio="none"><rect width=${(person.connections / best) * 100} height="10" rx="2"></rect></svg>`}</span>
                    <span class="ranking__count"><span aria-hidden="true">${formatNumber(person.connections)}</span><span class="visually-hidden">${tn("live.connections", person.connections)}</span></span>
                  </li>`,
            )}
          </ol>`
        : html`<p class="muted">${t("live.most.empty")}</p>`}
      <p class="muted live-card__note">${t("live.lists.refresh")}</p>
    </section>`;
  }

  private presentFor(person: Lonely): string {
    const since = Date.parse(person.present_since);
    return Number.isNaN(since) ? "" : formatDuration(this.now - since);
  }

  private async markIntroduced(person: Lonely): Promise<void> {
    try {
      await api.markIntroduced(this.event.id, person.id);
      this.introduced = new Set([...this.introduced, person.id]);
      toast(t("live.introduced.done", { name: person.name }));
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  protected override updated(): void {
    const ids = this.dashboard.isolated.map((person) => person.id).filter((value): value is string => !!value);
    const key = ids.join(",");
    if (key === this.suggestedFor) return;
    this.suggestedFor = key;
    if (ids.length) void this.loadSuggested(ids.slice(0, 50), key);
  }

  /** Suggestions are a help, not the dashboard: a failure leaves the rows as they were. */
  private async loadSuggested(ids: string[], key: string): Promise<void> {
    try {
      const found = await api.suggestedToMeet(this.event.id, ids);
      if (key === this.suggestedFor) this.suggested = new Map(found.map((item) => [item.attendee_id, item]));
    } catch {
      // shown next time the list changes
    }
  }

  private renderSuggested(personId: string | null | undefined) {
    const found = personId ? this.suggested.get(personId) : undefined;
    if (!found || !found.count) return null;
    return html`<span class="isolated__suggested">${found.people.length
      ? t("live.isolated.suggested", { names: found.people.join(", ") })
      : tn("live.isolated.suggested.count", found.count)}</span>`;
  }

  private renderIsolated() {
    // The server sends the longest alone first.
    const listed = this.dashboard.isolated;
    const people = listed.filter((person) => !this.introduced.has(person.id));
    const total = Math.max(0, this.dashboard.counts.isolated - (listed.length - people.length));
    return html`<section class="card live-card live-card--isolated" aria-labelledby="isolated-title">
      <h3 id="isolated-title">${t("live.isolated")} <span class="count-badge">${formatNumber(total)}</span></h3>
      <p class="muted">${t("live.isolated.lead")}</p>
      ${people.length
        ? html`<ul class="isolated">
            ${people.map(
              (person) => html`<li class="isolated__row">
                <span class="isolated__who"><span class="isolated__name" dir="auto">${person.name}</span>
                  ${person.company ? html`<span class="isolated__company" dir="auto">${person.company}</span>` : null}
                  ${this.renderSuggested(person.id)}</span>
                <span class="isolated__since">${this.presentFor(person)
                  ? t("live.isolated.since", { duration: this.presentFor(person) })
                  : ""}</span>
                ${person.connections === null
                  ? null
                  : html`<span class="isolated__count">${tn("live.connections", person.connections)}</span>`}
                ${person.id
                  ? html`<button
                      type="button"
                      class="button button--small isolated__introduced"
                      aria-label=${t("live.introduced.label", { name: person.name })}
                      @click=${() => void this.markIntroduced(person)}
                    >${t("live.introduced")}</button>`
                  : null}
              </li>`,
            )}
          </ul>`
        : html`<p class="notice">${t("live.isolated.empty")}</p>`}
      ${total > people.length ? html`<p class="muted">${t("live.isolated.more", { n: total - people.length })}</p>` : null}
    </section>`;
  }

  protected override render() {
    const wall = this.wall;
    return html`
      <div class="dashboard ${wall ? "dashboard--wall" : ""} ${wall && !this.wallShowsNames ? "dashboard--no-names" : ""}">
        <div class="dashboard__head">
          ${wall
            ? html`<h2 class="dashboard__title">${this.event.name}</h2>`
            : html`<div><h2 tabindex="-1">${t("live.title")}</h2><p class="muted">${t("live.lead")}</p></div>`}
          <div class="dashboard__tools">
            ${this.renderStatus()}
            ${wall
              ? html`<button type="button" class="button button--ghost dashboard__leave" @click=${this.leaveWall}>${t("live.wall.leave")}</button>`
              : html`<button type="button" class="button" @click=${this.enterWall}>${t("live.wall")}</button>`}
          </div>
        </div>
        ${this.renderCounts()}
        <div class="dashboard__grid">
          <section class="card live-card live-card--chart" aria-labelledby="timeline-title">
            <h3 id="timeline-title">${t("live.chart.title", { minutes: this.dashboard.bucketMinutes })}</h3>
            <rc-timeline-chart
              .buckets=${this.dashboard.timeline}
              .bucketSeconds=${this.dashboard.bucketMinutes * 60}
              .timeZone=${this.event.timezone}
              .large=${wall}
            ></rc-timeline-chart>
          </section>
          ${wall ? null : this.renderIsolated()}
          ${wall && !this.wallShowsNames ? null : this.renderMostConnected()}
        </div>
      </div>
    `;
  }
}
