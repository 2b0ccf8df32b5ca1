import { html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import "./session-wall.css";
import "../../kit/countdown";
import { ClockOffset } from "../../kit/session-clock";
import { LightElement } from "../../kit/light-element";
import { ApiError, NetworkError } from "../api";
import { api } from "../context";
import { lang, setLang, t, tn } from "../i18n";
import { eventPath, navigate } from "../routes";
import type { ConsoleEvent, SessionBoard } from "../types";

/** The board is asked for every second: a round moving on shows within a second on the wall. */
const POLL_MS = 1_000;

/**
 * A session on a projector: the round, the time left (large, from the server's clock
 * corrected by this screen's offset to it) and the tables with how many sit at each,
 * never who. It follows the session by asking for the board every second.
 */
@customElement("rc-session-wall")
export class SessionWall extends LightElement {
  @property({ attribute: false }) event!: ConsoleEvent;
  @property() sessionId = "";
  @state() private board: SessionBoard | null = null;
  @state() private lost = false;
  @state() private missing = false;
  private readonly offset = new ClockOffset();
  private timer = 0;
  private abort: AbortController | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.poll();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearTimeout(this.timer);
    this.abort?.abort();
  }

  private async poll(): Promise<void> {
    this.abort = new AbortController();
    const sentAt = Date.now();
    try {
      const board = await api.sessionBoard(this.event.id, this.sessionId, this.abort.signal);
      this.offset.sample(sentAt, Date.now(), board.session.clock.server_now);
      this.board = board;
      this.lost = false;
    } catch (error) {
      if (this.abort.signal.aborted) return;
      if (error instanceof ApiError && error.status === 404) {
        this.missing = true;
        return;
      }
      this.lost = error instanceof NetworkError || (error instanceof ApiError && error.transient);
    }
    if (this.isConnected) this.timer = window.setTimeout(() => void this.poll(), POLL_MS);
  }

  private leave(): void {
    navigate(eventPath(this.event.id, "sessions"));
  }

  private renderHeadline(board: SessionBoard) {
    const { clock } = board.session;
    if (clock.state === "draft") return html`<p class="wall-clock__phase">${t("sessions.wall.draft")}</p>`;
    if (clock.state === "ended") return html`<p class="wall-clock__phase">${t("sessions.wall.ended")}</p>`;
    const round = t("sessions.wall.round", { n: clock.current_round, total: clock.rounds_total });
    const label =
      clock.state === "paused" ? t("sessions.wall.paused") : clock.phase === "break" ? t("sessions.wall.break") : t("sessions.wall.left");
    return html`
      <p class="wall-clock__round" data-round=${clock.current_round}>${round}</p>
      <div class="wall-clock__time wall-clock__time--${clock.state} wall-clock__time--${clock.phase}" role="timer">
        <rc-countdown .clock=${clock} .offset=${this.offset.value}></rc-countdown>
      </div>
      <p class="wall-clock__phase">${label}</p>
    `;
  }

  protected override render() {
    const other = lang() === "fr" ? "en" : "fr";
    const board = this.board;
    const controls = html`<div class="wall-tools">
      <button type="button" class="button button--ghost" lang=${other} @click=${() => setLang(other)}>${t("lang.switch")}</button>
      <button type="button" class="button button--ghost" @click=${() => this.leave()}>${t("sessions.wall.leave")}</button>
    </div>`;
    if (this.missing) {
      return html`<div class="session-wall">${controls}<h1 tabindex="-1">${t("sessions.wall.missing")}</h1></div>`;
    }
    if (!board) return html`<div class="session-wall">${controls}<p role="status">${t("common.loading")}</p></div>`;
    const tables = board.session.clock.state === "running" || board.session.clock.state === "paused" ? board.tables : [];
    return html`<div class="session-wall">
      <header class="session-wall__head">
        <div>
          <p class="session-wall__event">${this.event.name}</p>
          <h1 tabindex="-1">${board.session.name}</h1>
        </div>
        ${controls}
      </header>
      ${this.lost ? html`<p class="session-wall__lost" role="status">${t("sessions.wall.offline")}</p>` : nothing}
      <div class="session-wall__body ${tables.length ? "" : "session-wall__body--alone"}">
        <section class="wall-clock" aria-live="polite">${this.renderHeadline(board)}</section>
        ${tables.length
          ? html`<section class="wall-tables" aria-labelledby="wall-tables-title">
              <h2 id="wall-tables-title">${t("sessions.wall.tables")}</h2>
              <ol class="wall-tables__list">
                ${tables.map(
                  (table) => html`<li class="wall-table">
                    <span class="wall-table__name">${table.name}</span>
                    <span class="wall-table__seats">${tn("sessions.wall.seats", table.seats)}</span>
                  </li>`,
                )}
              </ol>
            </section>`
          : nothing}
      </div>
    </div>`;
  }
}
