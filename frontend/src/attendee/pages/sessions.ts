import { html, nothing } from "lit";

import type { MySession, SeatMate } from "../../api/types";
import { ApiError } from "../../kit/api/errors";
import "../../kit/countdown";
import { LightElement } from "../../kit/light-element";
import "../components/conversation-prompts";
import "../components/met-person";
import "../components/person-card";
import { lang, plural, problemText, t } from "../i18n";
import { joinSession, leaveSession, LiveController, savedCount, toSave, visibleSessions } from "../live/sessions";
import { StoreController } from "../state";
import "./sessions.css";

/** The seat mate's openers in the language the app speaks (none in a seat stored by an older version). */
function openers(mate: SeatMate): string[] {
  return mate.openers?.[lang()] ?? [];
}

/**
 * The event's sessions on the phone: sign up or leave; during a round, where to sit and
 * whom to meet with a countdown from the server's clock; after it, save each person met.
 */
export class SessionsPage extends LightElement {
  static override properties = { busy: { state: true }, error: { state: true } };

  busy = "";
  error = "";
  private readonly live = new LiveController(this);
  private readonly store = new StoreController(this);

  private async act(session: MySession, action: (id: string) => Promise<void>): Promise<void> {
    this.busy = session.id;
    this.error = "";
    try {
      await action(session.id);
    } catch (error) {
      this.error = error instanceof ApiError ? problemText(error) : t("error.network");
    } finally {
      this.busy = "";
    }
  }

  private renderRound(session: MySession) {
    const { clock, seat } = session;
    if (!seat) return html`<p class="session-note">${t("sessions.notSeated")}</p>`;
    const names = seat.people.map((mate) => mate.card.name || t("card.unknown")).join(", ");
    const line = [t("sessions.round", { n: seat.round, total: clock.rounds_total }), seat.table_name, names].filter(Boolean);
    return html`
      <p class="session-seat" data-testid="session-seat">${line.join(" — ")}</p>
      <div class="session-clock ${clock.state === "paused" ? "paused" : ""}" role="timer" aria-label=${t("sessions.timeLeft")}>
        <rc-countdown .clock=${clock} .offset=${this.live.value.offsetMs}></rc-countdown>
        <span class="session-clock-label">${t("sessions.timeLeft")}</span>
      </div>
      ${seat.host ? html`<p class="notice info">${t("sessions.host")}</p>` : nothing}
      ${seat.people.length
        ? html`<ul class="session-people">
            ${seat.people.map((mate) => html`<li><rc-person-card .card=${mate.card} heading-level="3" compact></rc-person-card></li>`)}
          </ul>`
        : html`<p class="session-note">${t("sessions.alone")}</p>`}
      <div class="session-openers" data-slot="conversation-openers">
        ${seat.people.map(
          (mate) => html`<rc-conversation-prompts
            .prompts=${openers(mate)}
            about=${seat.people.length > 1 ? mate.card.name : ""}
          ></rc-conversation-prompts>`,
        )}
      </div>
    `;
  }

  private renderClock(session: MySession) {
    const { clock } = session;
    if (clock.state === "ended") return html`<p class="session-note">${t("sessions.over")}</p>`;
    if (clock.state === "draft") {
      return html`<p class="session-note">${session.taking_part ? t("sessions.takingPart") : t(`sessions.audience.${session.audience}`)}</p>`;
    }
    if (clock.state === "paused") {
      // Paused mid-round, the table and the people stay on screen under a still clock.
      return html`<p class="notice pending">${t("sessions.paused")}</p>
        ${clock.phase === "round" && session.seat
          ? this.renderRound(session)
          : html`<div class="session-clock paused" role="timer" aria-label=${t("sessions.timeLeft")}>
              <rc-countdown .clock=${clock} .offset=${this.live.value.offsetMs}></rc-countdown>
            </div>`}`;
    }
    if (!session.taking_part) return html`<p class="session-note">${t("sessions.notTakingPart")}</p>`;
    if (clock.phase === "break") {
      return html`<div class="session-clock break" role="timer" aria-label=${t("sessions.breakLeft")}>
        <span class="session-clock-label">${t("sessions.break")} — ${t("sessions.breakLeft")}</span>
        <rc-countdown .clock=${clock} .offset=${this.live.value.offsetMs}></rc-countdown>
      </div>`;
    }
    return this.renderRound(session);
  }

  private renderMembership(session: MySession) {
    if (session.clock.state === "ended") return nothing;
    const busy = this.busy === session.id;
    return session.taking_part
      ? html`<button type="button" class="button ghost session-leave" ?disabled=${busy} @click=${() => this.act(session, leaveSession)}>
          ${t("sessions.leave")}
        </button>`
      : html`<button type="button" class="button primary large" ?disabled=${busy} @click=${() => this.act(session, joinSession)}>
          ${t("sessions.join")}
        </button>`;
  }

  private renderToSave(session: MySession) {
    const people = toSave(session.id);
    const saved = savedCount(session.id);
    if (!people.length && !saved) return nothing;
    return html`<section class="session-save" aria-labelledby=${`save-${session.id}`}>
      <h3 id=${`save-${session.id}`}>${t("sessions.save.title")}</h3>
      ${people.length ? html`<p class="muted">${t("sessions.save.hint")}</p>` : nothing}
      <ul class="met-list">
        ${people.map(
          (person) => html`<li><rc-met-person .person=${person}></rc-met-person></li>`,
        )}
      </ul>
      ${saved
        ? html`<p class="session-saved" role="status">${plural(saved, "sessions.savedCount.one", "sessions.savedCount.many", { n: saved })}</p>`
        : nothing}
    </section>`;
  }

  private renderSession(session: MySession) {
    const state = session.clock.state;
    return html`<article class="card session-card" data-session=${session.id}>
      <header class="session-head">
        <div>
          <h2>${session.name}</h2>
          <p class="muted">${t(`sessions.kind.${session.kind}`)}</p>
        </div>
        <span class="session-state state-${state}">${t(`sessions.state.${state}`)}</span>
      </header>
      ${this.renderClock(session)}
      ${this.renderToSave(session)}
      ${this.renderMembership(session)}
    </article>`;
  }

  protected override render() {
    const { status } = this.live.value;
    const sessions = visibleSessions();
    const event = this.store.value.me?.event;
    const offline = !this.store.value.online || status === "offline";
    return html`
      <header class="page-head">
        ${event ? html`<p class="eyebrow">${event.name}</p>` : nothing}
        <h1 tabindex="-1">${t("sessions.title")}</h1>
        ${sessions.some((session) => session.clock.state !== "draft") ? nothing : html`<p class="muted">${t("sessions.lead")}</p>`}
      </header>
      ${offline
        ? html`<p class="notice pending" role="status">${t("sessions.offline")}</p>`
        : status === "reconnecting"
          ? html`<p class="notice info" role="status">${t("sessions.reconnecting")}</p>`
          : nothing}
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      ${sessions.length ? sessions.map((session) => this.renderSession(session)) : html`<p class="empty">${t("sessions.empty")}</p>`}
    `;
  }
}
customElements.define("page-sessions", SessionsPage);
