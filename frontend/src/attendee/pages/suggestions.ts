import { html, nothing } from "lit";

import type { MeetState, Suggestion, SuggestionAction, Suggestions } from "../../api/types";
import { ApiError } from "../../kit/api/errors";
import { LightElement } from "../../kit/light-element";
import "../components/meet-button";
import type { MeetChange } from "../components/meet-button";
import "../components/person-card";
import { formatMoment } from "../format";
import { lang, problemText, t } from "../i18n";
import { getValue, setValue } from "../offline/db";
import { cachedPeople } from "../people";
import { api, StoreController } from "../state";
import "./suggestions.css";

/** Refusals that say what to do rather than "try again". */
const NEEDS_DIRECTORY = "suggestions_need_directory";
const CLOSED = "suggestions_closed";

/**
 * "Les bonnes personnes pour vous": a short list of people to meet, each with its reasons
 * in words, "not now" and "hide". The last list is kept on the phone for reading offline.
 */
export class SuggestionsPage extends LightElement {
  static override properties = {
    answer: { state: true },
    savedAt: { state: true },
    refusal: { state: true },
    error: { state: true },
    done: { state: true },
    busy: { state: true },
  };

  answer: Suggestions | null = null;
  /** When the list shown was fetched, if it comes from the phone's copy (offline). */
  savedAt = "";
  refusal = "";
  error = "";
  /** The last hide / not now, said back to the reader. */
  done = "";
  busy = new Set<string>();
  private meetStates = new Map<string, MeetState>();
  private loadedLang = "";
  private readonly store = new StoreController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  protected override willUpdate(): void {
    // The reasons are worded by the server: a language switch fetches them again.
    if (this.loadedLang && this.loadedLang !== lang()) void this.load();
  }

  private async load(): Promise<void> {
    this.loadedLang = lang();
    const { entries } = await cachedPeople();
    this.meetStates = new Map(entries.map((entry) => [entry.card.attendee_id, entry.meet]));
    try {
      const answer = await api.suggestions(lang());
      this.answer = answer;
      this.savedAt = "";
      this.refusal = "";
      this.error = "";
      await setValue("suggestions", { answer, saved_at: new Date().toISOString() });
    } catch (error) {
      if (error instanceof ApiError && [NEEDS_DIRECTORY, CLOSED].includes(error.code)) {
        this.refusal = error.code;
        this.answer = null;
        return;
      }
      const saved = await getValue("suggestions");
      if (saved) {
        this.answer = saved.answer;
        this.savedAt = saved.saved_at;
      }
      this.error = error instanceof ApiError ? problemText(error) : "";
    }
  }

  private async dismiss(suggestion: Suggestion, action: SuggestionAction): Promise<void> {
    const id = suggestion.card.attendee_id;
    this.busy = new Set([...this.busy, id]);
    this.error = "";
    try {
      await api.dismissSuggestion(id, action);
      if (this.answer) {
        const answer = { ...this.answer, suggestions: this.answer.suggestions.filter((s) => s.card.attendee_id !== id) };
        this.answer = answer;
        await setValue("suggestions", { answer, saved_at: new Date().toISOString() });
      }
      const name = suggestion.card.name;
      this.done = action === "hide"
        ? t("suggestions.hidden", { name })
        : t("suggestions.later", { name, hours: String(this.answer?.not_now_hours ?? "") });
    } catch (error) {
      this.error = error instanceof ApiError ? problemText(error) : t("error.network");
    } finally {
      const busy = new Set(this.busy);
      busy.delete(id);
      this.busy = busy;
    }
  }

  /** Where "I'd like to meet you" (the directory's meet request) takes its place on a card. */
  /** "I'd like to meet you", in the state the directory last showed for this person. */
  private meetAction(suggestion: Suggestion) {
    const id = suggestion.card.attendee_id;
    return html`<rc-meet-button
      attendee-id=${id}
      name=${suggestion.card.name}
      meet=${this.meetStates.get(id) ?? "none"}
      @meet-change=${(e: CustomEvent<MeetChange>) => this.meetStates.set(e.detail.attendeeId, e.detail.meet)}
    ></rc-meet-button>`;
  }

  private renderSuggestion(suggestion: Suggestion) {
    const id = suggestion.card.attendee_id;
    const busy = this.busy.has(id);
    const more = suggestion.reasons.slice(1);
    const offline = !this.store.value.online;
    return html`<li class="suggestion card">
      <rc-person-card .card=${suggestion.card} heading-level="2" compact></rc-person-card>
      <p class="reason">${suggestion.reason}</p>
      ${more.length ? html`<ul class="more-reasons">${more.map((reason) => html`<li>${reason.text}</li>`)}</ul>` : nothing}
      <div class="suggestion-actions">
        ${this.meetAction(suggestion)}
        <button type="button" class="button ghost" ?disabled=${busy || offline} @click=${() => void this.dismiss(suggestion, "not-now")}>
          ${t("suggestions.notnow")}
        </button>
        <button type="button" class="button ghost" ?disabled=${busy || offline} @click=${() => void this.dismiss(suggestion, "hide")}>
          ${t("suggestions.hide")}
        </button>
      </div>
    </li>`;
  }

  private renderRefusal() {
    if (this.refusal === NEEDS_DIRECTORY) {
      return html`<div class="card join-directory">
        <p>${t("suggestions.join")}</p>
        <a class="button primary" href="/profile">${t("suggestions.join.action")}</a>
      </div>`;
    }
    return html`<p class="notice info">${t("suggestions.closed")}</p>`;
  }

  protected override render() {
    const me = this.store.value.me;
    const list = this.answer?.suggestions ?? [];
    return html`
      <header class="page-head">
        ${me ? html`<p class="eyebrow">${me.event.name}</p>` : nothing}
        <h1 tabindex="-1">${t("suggestions.title")}</h1>
        <p class="lead">${t("suggestions.intro")}</p>
      </header>
      ${this.savedAt
        ? html`<p class="notice pending">${t("suggestions.offline", { when: formatMoment(this.savedAt, me?.event.timezone) })}</p>`
        : nothing}
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      ${this.done ? html`<p class="notice success" role="status">${this.done}</p>` : nothing}
      ${this.refusal ? this.renderRefusal() : nothing}
      ${list.length ? html`<ul class="suggestion-list">${list.map((s) => this.renderSuggestion(s))}</ul>` : nothing}
      ${this.answer && !list.length ? html`<p class="empty">${t("suggestions.empty")}</p>` : nothing}
    `;
  }
}
customElements.define("page-suggestions", SuggestionsPage);
