import { html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { live } from "lit/directives/live.js";

import "./sessions-page.css";
import "../../kit/countdown";
import { ClockOffset } from "../../kit/session-clock";
import { LightElement } from "../../kit/light-element";
import type { SessionAction } from "../api";
import "../components/session-hosts";
import { confirmDialog } from "../components/confirm";
import { api } from "../context";
import { errorMessage } from "../errors";
import { t, tn, type ConsoleKey } from "../i18n";
import { eventPath } from "../routes";
import { toast } from "../toast";
import type { ConsoleEvent, FormatKind, FormatSession, FormatSessionCreate, SessionAudience } from "../types";

const KINDS: FormatKind[] = ["speed_meeting", "walk_and_talk", "reverse_forum"];
const AUDIENCES: SessionAudience[] = ["present", "signed_up"];
/** While a session is open, the list follows it (people signing up, rounds that move on by themselves). */
const REFRESH_MS = 2_000;
const EXTEND_SECONDS = 60;

/** 90 → "1 min 30 s", 120 → "2 min", 30 → "30 s". */
function duration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (!minutes) return `${rest} s`;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}

/** One event's sessions: set one up, run it (start, pause, next round, more time, end), open its wall screen. */
@customElement("rc-sessions-page")
export class SessionsPage extends LightElement {
  @property({ attribute: false }) event!: ConsoleEvent;
  @state() private sessions: FormatSession[] | null = null;
  @state() private kind: FormatKind = "speed_meeting";
  @state() private busy = "";
  @state() private error = "";
  @state() private formError = "";
  private readonly offset = new ClockOffset();
  private timer = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.timer = window.setInterval(() => {
      if (this.sessions?.some((session) => session.clock.state !== "ended") && !document.hidden) void this.load();
    }, REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.timer);
  }

  private async load(): Promise<void> {
    const sentAt = Date.now();
    try {
      const sessions = await api.sessions(this.event.id);
      const first = sessions[0];
      if (first) this.offset.sample(sentAt, Date.now(), first.clock.server_now);
      this.sessions = sessions;
      this.error = "";
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private replace(updated: FormatSession): void {
    this.sessions = (this.sessions ?? []).map((session) => (session.id === updated.id ? updated : session));
  }

  private read(form: HTMLFormElement): FormatSessionCreate {
    const data = new FormData(form);
    const number = (name: string): number => Number(data.get(name));
    const fields: FormatSessionCreate = {
      name: String(data.get("name") ?? "").trim(),
      kind: this.kind,
      audience: String(data.get("audience")) as SessionAudience,
      table_names: String(data.get("tables") ?? "")
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
      rounds_total: number("rounds"),
      round_seconds: Math.round(number("round_minutes") * 60),
      break_seconds: Math.round(number("break_minutes") * 60),
    };
    if (this.kind === "walk_and_talk") {
      fields.group_min = number("group_min");
      fields.group_max = number("group_max");
    }
    return fields;
  }

  private async create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    if (!form.reportValidity()) return;
    this.busy = "create";
    this.formError = "";
    try {
      const created = await api.createSession(this.event.id, this.read(form));
      this.sessions = [...(this.sessions ?? []), created];
      form.reset();
      this.kind = "speed_meeting";
      toast(t("sessions.created", { name: created.name }));
    } catch (error) {
      this.formError = errorMessage(error);
    } finally {
      this.busy = "";
    }
  }

  private async run(session: FormatSession, action: () => Promise<FormatSession | void>): Promise<void> {
    this.busy = session.id;
    try {
      const updated = await action();
      if (updated) this.replace(updated);
      else this.sessions = (this.sessions ?? []).filter((found) => found.id !== session.id);
    } catch (error) {
      toast(errorMessage(error), "error");
      void this.load();
    } finally {
      this.busy = "";
    }
  }

  private control(session: FormatSession, action: SessionAction): void {
    void this.run(session, () => api.controlSession(this.event.id, session.id, action));
  }

  private async end(session: FormatSession): Promise<void> {
    const sure = await confirmDialog({
      title: t("sessions.end.title", { name: session.name }),
      body: t("sessions.end.body"),
      confirm: t("sessions.end.confirm"),
      danger: true,
    });
    if (sure) this.control(session, "end");
  }

  private async deleteSession(session: FormatSession): Promise<void> {
    const sure = await confirmDialog({
      title: t("sessions.delete.title", { name: session.name }),
      body: t("sessions.delete.body"),
      confirm: t("sessions.delete.confirm"),
      danger: true,
    });
    if (sure) await this.run(session, () => api.deleteSession(this.event.id, session.id));
  }

  private renderForm() {
    const creating = this.busy === "create";
    return html`<form class="card form session-form" @submit=${this.create} aria-labelledby="session-form-title">
      <h3 id="session-form-title">${t("sessions.new")}</h3>
      ${this.formError ? html`<p class="alert" role="alert">${this.formError}</p>` : nothing}
      <div class="field">
        <label for="session-name">${t("sessions.form.name")}</label>
        <input id="session-name" name="name" required maxlength="80" autocomplete="off" />
      </div>
      <fieldset class="field session-kinds">
        <legend>${t("sessions.form.kind")}</legend>
        ${KINDS.map(
          (kind) => html`<label class="session-kind">
            <input type="radio" name="kind" value=${kind} .checked=${live(this.kind === kind)} @change=${() => (this.kind = kind)} />
            <span>${t(`sessions.kind.${kind}` as ConsoleKey)}</span>
          </label>`,
        )}
      </fieldset>
      <div class="field">
        <label for="session-audience">${t("sessions.form.audience")}</label>
        <select id="session-audience" name="audience">
          ${AUDIENCES.map((audience) => html`<option value=${audience}>${t(`sessions.audience.${audience}` as ConsoleKey)}</option>`)}
        </select>
      </div>
      <div class="form__row session-numbers">
        <div class="field">
          <label for="session-round">${t("sessions.form.round")}</label>
          <input id="session-round" name="round_minutes" type="number" required min="1" max="60" step="0.5" value="7" />
        </div>
        <div class="field">
          <label for="session-break">${t("sessions.form.break")}</label>
          <input id="session-break" name="break_minutes" type="number" required min="0" max="30" step="0.5" value="1" />
        </div>
        <div class="field">
          <label for="session-rounds">${t("sessions.form.rounds")}</label>
          <input id="session-rounds" name="rounds" type="number" required min="1" max="60" step="1" value="6" />
        </div>
      </div>
      ${this.kind === "walk_and_talk"
        ? html`<div class="form__row session-numbers">
            <div class="field">
              <label for="session-group-min">${t("sessions.form.groupMin")}</label>
              <input id="session-group-min" name="group_min" type="number" required min="2" max="8" value="3" />
            </div>
            <div class="field">
              <label for="session-group-max">${t("sessions.form.groupMax")}</label>
              <input id="session-group-max" name="group_max" type="number" required min="2" max="8" value="5" />
            </div>
          </div>`
        : nothing}
      <div class="field">
        <label for="session-tables">${t("sessions.form.tables")}</label>
        <textarea id="session-tables" name="tables" rows="3" aria-describedby="session-tables-hint"></textarea>
        <p class="field__hint" id="session-tables-hint">${t("sessions.form.tables.hint")}</p>
      </div>
      <div class="form__actions">
        <button class="button button--primary" type="submit" ?disabled=${creating}>${t("sessions.create")}</button>
      </div>
    </form>`;
  }

  private renderWhere(session: FormatSession) {
    const { clock } = session;
    if (clock.state === "draft") {
      const plan = tn("sessions.plan", clock.rounds_total, { round: duration(session.round_seconds) });
      const pause = session.break_seconds
        ? t("sessions.plan.break", { pause: duration(session.break_seconds) })
        : t("sessions.plan.noBreak");
      return html`<p class="session-row__where">${plan} · ${pause}</p>`;
    }
    const key = clock.phase === "break" ? "sessions.phase.break" : "sessions.phase.round";
    return html`<p class="session-row__where">
      <span>${t(key, { n: clock.current_round, total: clock.rounds_total })}</span>
      ${clock.state === "ended"
        ? nothing
        : html`<rc-countdown class="session-row__clock" .clock=${clock} .offset=${this.offset.value}></rc-countdown>`}
    </p>`;
  }

  private renderControls(session: FormatSession) {
    const state = session.clock.state;
    const busy = this.busy === session.id;
    const button = (label: ConsoleKey, action: () => void, tone = "") =>
      html`<button type="button" class="button button--small ${tone}" ?disabled=${busy} @click=${action}>${t(label)}</button>`;
    const live = state === "running" || state === "paused";
    return html`<div class="session-row__controls">
      ${state === "draft" ? button("sessions.start", () => this.control(session, "start"), "button--primary") : nothing}
      ${state === "running" ? button("sessions.pause", () => this.control(session, "pause")) : nothing}
      ${state === "paused" ? button("sessions.resume", () => this.control(session, "resume"), "button--primary") : nothing}
      ${live ? button("sessions.next", () => this.control(session, "next")) : nothing}
      ${live
        ? button("sessions.extend", () => void this.run(session, () => api.extendSession(this.event.id, session.id, EXTEND_SECONDS)))
        : nothing}
      ${live ? button("sessions.end", () => void this.end(session), "button--danger-outline") : nothing}
      ${live ? nothing : button("sessions.delete", () => void this.deleteSession(session), "button--danger-outline")}
      ${state === "ended"
        ? nothing
        : html`<a class="button button--small button--ghost" href=${`${eventPath(this.event.id, "sessions")}?wall&session=${session.id}`}
            >${t("sessions.wall")}</a
          >`}
    </div>`;
  }

  private renderSession(session: FormatSession) {
    const state = session.clock.state;
    return html`<li class="card session-row" data-session=${session.id}>
      <div class="session-row__head">
        <div>
          <h4 class="session-row__name">${session.name}</h4>
          <p class="muted">
            ${t(`sessions.kind.${session.kind}` as ConsoleKey)} · ${t(`sessions.audience.${session.audience}` as ConsoleKey)}
          </p>
        </div>
        <span class="chip session-state session-state--${state}">${t(`sessions.state.${state}` as ConsoleKey)}</span>
      </div>
      ${this.renderWhere(session)}
      <p class="muted session-row__counts">
        ${tn("sessions.participants", session.participants)}${session.kind === "reverse_forum"
          ? html` · ${tn("sessions.hostCount", session.hosts)}`
          : nothing}
      </p>
      ${this.renderControls(session)}
      ${session.kind === "reverse_forum" && state !== "ended"
        ? html`<rc-session-hosts .event=${this.event} .session=${session} @session-changed=${(e: CustomEvent<FormatSession>) => this.replace(e.detail)}></rc-session-hosts>`
        : nothing}
    </li>`;
  }

  protected override render() {
    const sessions = this.sessions;
    return html`
      <div class="section-head">
        <div>
          <h2 tabindex="-1">${t("nav.sessions")}</h2>
          <p class="muted">${t("sessions.lead")}</p>
        </div>
      </div>
      ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
      <div class="sessions-layout">
        <section aria-labelledby="sessions-list-title">
          <h3 id="sessions-list-title">${t("sessions.list")}</h3>
          ${sessions === null
            ? html`<p class="muted" role="status">${t("common.loading")}</p>`
            : sessions.length
              ? html`<ul class="session-list">${sessions.map((session) => this.renderSession(session))}</ul>`
              : html`<p class="empty">${t("sessions.empty")}</p>`}
        </section>
        ${this.renderForm()}
      </div>
    `;
  }
}
