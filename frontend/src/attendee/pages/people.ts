import { html, nothing } from "lit";

import { OBJECTIVES, type MeetRequests, type PersonEntry, type PublicCard } from "../../api/types";
import { ApiError, NetworkError } from "../../kit/api/errors";
import { LightElement } from "../../kit/light-element";
import "../components/conversation-prompts";
import "../components/meet-button";
import type { MeetChange } from "../components/meet-button";
import "../components/person-card";
import { formatDateTime, objectiveLabel } from "../format";
import { lang, onLangChange, plural, problemText, t } from "../i18n";
import {
  cachedPeople,
  failureText,
  cachedRequests,
  filterPeople,
  forgetPerson,
  interestsOf,
  refreshPeople,
  refreshRequests,
  type PeopleFilters,
} from "../people";
import { setValue } from "../offline/db";
import { api, setState, StoreController } from "../state";
import "./people.css";

const SHOWN_AT_ONCE = 30;

type Access = "loading" | "closed" | "out" | "in";

/** "Qui vais-je croiser ?": the opt-in directory, requests waiting for me, and matches. */
export class PeoplePage extends LightElement {
  static override properties = {
    access: { state: true },
    entries: { state: true },
    requests: { state: true },
    syncedAt: { state: true },
    offline: { state: true },
    filters: { state: true },
    shown: { state: true },
    error: { state: true },
    joining: { state: true },
    notice: { state: true },
  };

  access: Access = "loading";
  entries: PersonEntry[] = [];
  requests: MeetRequests | null = null;
  syncedAt: string | null = null;
  offline = false;
  filters: PeopleFilters = { q: "", objective: "", interest: "" };
  shown = SHOWN_AT_ONCE;
  error = "";
  joining = false;
  notice = "";
  private readonly store = new StoreController(this);
  private stopLang: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.stopLang = onLangChange(() => void this.load());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopLang?.();
  }

  private async load(): Promise<void> {
    const me = this.store.value.me;
    const cached = await cachedPeople();
    if (cached.syncedAt && me?.directory_opt_in) {
      this.entries = cached.entries;
      this.syncedAt = cached.syncedAt;
      this.requests = await cachedRequests();
      this.access = "in";
    }
    try {
      const language = lang();
      const [fresh, requests] = await Promise.all([refreshPeople(language), refreshRequests(language)]);
      this.entries = fresh.entries;
      this.syncedAt = fresh.syncedAt;
      this.requests = requests;
      this.offline = false;
      this.access = "in";
    } catch (error) {
      if (error instanceof ApiError && error.code === "directory_closed") this.access = "closed";
      else if (error instanceof ApiError && error.code === "not_in_directory") this.access = "out";
      else if (error instanceof NetworkError) {
        this.offline = true;
        if (this.access === "loading") this.access = me?.directory_opt_in ? "in" : "out";
      } else if (error instanceof ApiError) this.error = problemText(error);
      else this.error = t("error.generic");
      if (this.access === "loading") this.access = "out";
    }
  }

  private async join(): Promise<void> {
    this.joining = true;
    this.error = "";
    try {
      const me = await api.updateMe({ directory_opt_in: true });
      await setValue("me", me);
      setState({ me });
      this.access = "loading";
      await this.load();
    } catch (error) {
      this.error = failureText(error);
    } finally {
      this.joining = false;
    }
  }

  private async answer(id: string, answer: "accept" | "let-be"): Promise<void> {
    this.error = "";
    try {
      await api.answerRequest(id, answer);
      await this.load();
    } catch (error) {
      this.error = failureText(error);
    }
  }

  private async block(card: PublicCard): Promise<void> {
    if (!card.attendee_id || !confirm(t("people.block.confirm", { name: card.name }))) return;
    try {
      await api.block(card.attendee_id);
      await forgetPerson(card.attendee_id);
      this.entries = this.entries.filter((entry) => entry.card.attendee_id !== card.attendee_id);
      this.notice = t("people.blocked", { name: card.name });
    } catch (error) {
      this.error = failureText(error);
    }
  }

  private meetChanged(change: MeetChange): void {
    this.entries = this.entries.map((entry) => (entry.card.attendee_id === change.attendeeId ? { ...entry, meet: change.meet } : entry));
    if (change.meet === "match") void refreshRequests(lang()).then((requests) => (this.requests = requests));
  }

  private setFilter<K extends keyof PeopleFilters>(key: K, value: PeopleFilters[K]): void {
    this.filters = { ...this.filters, [key]: value };
    this.shown = SHOWN_AT_ONCE;
  }

  private renderClosed() {
    const opensAt = this.store.value.me?.event.directory_opens_at;
    const zone = this.store.value.me?.event.timezone;
    return html`<p class="notice info" role="status">
      ${opensAt ? t("people.opensAt", { when: formatDateTime(opensAt, zone) }) : t("people.closed")}
    </p>`;
  }

  private renderOptIn() {
    const me = this.store.value.me;
    if (!me) return nothing;
    const card: PublicCard = {
      name: me.name,
      company: me.company,
      job_title: me.job_title,
      pitch: me.pitch,
      objectives: me.objectives,
      objective_other: me.objective_other,
      interests: me.interests,
      offers: me.offers,
      seeks: me.seeks,
      open_to_chat: me.open_to_chat,
    };
    return html`<section class="opt-in card" aria-labelledby="opt-in-title">
      <h2 id="opt-in-title">${t("people.optIn.title")}</h2>
      <p>${t("people.optIn.text")}</p>
      <rc-person-card .card=${card} heading-level="3" compact></rc-person-card>
      <button type="button" class="button primary large" ?disabled=${this.joining} @click=${() => this.join()}>
        ${t("people.optIn.button")}
      </button>
    </section>`;
  }

  private renderRequests() {
    const requests = this.requests;
    if (!requests) return nothing;
    return html`
      ${requests.received.length
        ? html`<section class="people-section" aria-labelledby="received-title">
            <h2 id="received-title">${t("people.requests.title")}</h2>
            <ul class="people-list">
              ${requests.received.map(
                (request) => html`<li class="person-entry received-request">
                  <p class="wants">${t("people.requests.wants", { name: request.person.name })}${request.reason ? html` : <q>${request.reason}</q>` : nothing}</p>
                  <rc-person-card .card=${request.person} heading-level="3" compact></rc-person-card>
                  <div class="answer-actions">
                    <button type="button" class="button ghost" @click=${() => this.answer(request.id, "let-be")}>${t("people.requests.letBe")}</button>
                    <button type="button" class="button primary" @click=${() => this.answer(request.id, "accept")}>${t("people.requests.accept")}</button>
                  </div>
                </li>`,
              )}
            </ul>
          </section>`
        : nothing}
      ${requests.matches.length
        ? html`<section class="people-section" aria-labelledby="matches-title">
            <h2 id="matches-title">${t("people.matches.title")}</h2>
            <p class="field-hint">${t("people.matches.text")}</p>
            <ul class="people-list">
              ${requests.matches.map(
                (match) => html`<li class="person-entry match">
                  <span class="badge ${match.met ? "mutual" : "pending"}">${match.met ? t("people.matches.met") : t("people.matches.notMet")}</span>
                  <rc-person-card .card=${match.person} heading-level="3"></rc-person-card>
                  <rc-conversation-prompts .prompts=${match.prompts}></rc-conversation-prompts>
                </li>`,
              )}
            </ul>
          </section>`
        : nothing}
    `;
  }

  private renderFilters(interests: string[]) {
    return html`<div class="people-filters" role="search">
      <label class="field">
        <span class="visually-hidden">${t("people.search")}</span>
        <input
          type="search"
          placeholder=${t("people.search")}
          .value=${this.filters.q}
          @input=${(e: Event) => this.setFilter("q", (e.target as HTMLInputElement).value)}
        />
      </label>
      <div class="people-filter-row">
        <label class="field compact">
          <span class="field-label small">${t("people.filter.objective")}</span>
          <select @change=${(e: Event) => this.setFilter("objective", (e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${!this.filters.objective}>${t("people.filter.any")}</option>
            ${OBJECTIVES.map((o) => html`<option value=${o} ?selected=${this.filters.objective === o}>${objectiveLabel(o)}</option>`)}
          </select>
        </label>
        <label class="field compact">
          <span class="field-label small">${t("people.filter.interest")}</span>
          <select @change=${(e: Event) => this.setFilter("interest", (e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${!this.filters.interest}>—</option>
            ${interests.map((i) => html`<option value=${i} ?selected=${this.filters.interest === i}>${i}</option>`)}
          </select>
        </label>
      </div>
    </div>`;
  }

  private renderEntry(entry: PersonEntry) {
    const card = entry.card;
    return html`<li class="person-entry" data-attendee=${card.attendee_id}>
      <rc-person-card .card=${card} heading-level="3"></rc-person-card>
      <rc-conversation-prompts .prompts=${entry.prompts}></rc-conversation-prompts>
      <div class="entry-actions">
        <rc-meet-button
          attendee-id=${card.attendee_id}
          name=${card.name}
          meet=${entry.meet}
          @meet-change=${(e: CustomEvent<MeetChange>) => this.meetChanged(e.detail)}
        ></rc-meet-button>
        <button type="button" class="link-button block-link" @click=${() => this.block(card)}>${t("people.block")}</button>
      </div>
    </li>`;
  }

  private renderDirectory() {
    const found = filterPeople(this.entries, this.filters);
    const zone = this.store.value.me?.event.timezone;
    return html`
      ${this.offline && this.syncedAt
        ? html`<p class="notice pending" role="status">${t("people.offline", { when: formatDateTime(this.syncedAt, zone) })}</p>`
        : nothing}
      ${this.renderRequests()}
      <section class="people-section" aria-labelledby="directory-title">
        <h2 id="directory-title" class="visually-hidden">${t("people.title")}</h2>
        ${this.entries.length ? this.renderFilters(interestsOf(this.entries)) : nothing}
        ${this.entries.length
          ? html`<p class="people-count" role="status">${plural(found.length, "people.count.one", "people.count.many")}</p>`
          : html`<p class="empty">${t("people.emptyAll")}</p>`}
        ${this.entries.length && !found.length ? html`<p class="empty">${t("people.empty")}</p>` : nothing}
        <ul class="people-list">
          ${found.slice(0, this.shown).map((entry) => this.renderEntry(entry))}
        </ul>
        ${found.length > this.shown
          ? html`<button type="button" class="button secondary large" @click=${() => (this.shown += SHOWN_AT_ONCE)}>${t("people.more")}</button>`
          : nothing}
      </section>
    `;
  }

  protected override render() {
    const me = this.store.value.me;
    return html`
      <header class="page-head">
        ${me ? html`<p class="eyebrow">${me.event.name}</p>` : nothing}
        <h1 tabindex="-1">${t("people.title")}</h1>
        ${this.access === "in" && me ? html`<p class="lead">${t("people.intro", { event: me.event.name })}</p>` : nothing}
        ${this.access === "in" ? html`<a class="button primary for-you-link" href="/for-you">${t("suggestions.title")}</a>` : nothing}
      </header>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      ${this.notice ? html`<p class="notice success" role="status">${this.notice}</p>` : nothing}
      ${this.access === "loading" ? html`<div class="spinner" role="status"></div>` : nothing}
      ${this.access === "closed" ? this.renderClosed() : nothing}
      ${this.access === "out" ? this.renderOptIn() : nothing}
      ${this.access === "in" ? this.renderDirectory() : nothing}
    `;
  }
}
customElements.define("page-people", PeoplePage);

