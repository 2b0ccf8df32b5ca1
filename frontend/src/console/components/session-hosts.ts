import { html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import { LightElement } from "../../kit/light-element";
import { api } from "../context";
import { errorMessage } from "../errors";
import { t } from "../i18n";
import { toast } from "../toast";
import type { Attendee, ConsoleEvent, FormatSession } from "../types";

const SEARCH_DELAY_MS = 250;
const SEARCH_LIMIT = 8;

/** A reverse forum's hosts: search the attendees, pick some, save (the list replaces the one before). */
@customElement("rc-session-hosts")
export class SessionHosts extends LightElement {
  @property({ attribute: false }) event!: ConsoleEvent;
  @property({ attribute: false }) session!: FormatSession;
  @state() private picked = new Map<string, string>();
  @state() private found: Attendee[] = [];
  @state() private busy = false;
  @state() private error = "";
  private searchTimer = 0;
  private searchAbort: AbortController | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearTimeout(this.searchTimer);
    this.searchAbort?.abort();
  }

  private search(query: string): void {
    window.clearTimeout(this.searchTimer);
    this.searchAbort?.abort();
    if (!query.trim()) {
      this.found = [];
      return;
    }
    this.searchTimer = window.setTimeout(() => void this.fetch(query.trim()), SEARCH_DELAY_MS);
  }

  private async fetch(query: string): Promise<void> {
    const abort = new AbortController();
    this.searchAbort = abort;
    try {
      const page = await api.attendees(this.event.id, { q: query, limit: SEARCH_LIMIT }, abort.signal);
      if (!abort.signal.aborted) this.found = page.items;
    } catch (error) {
      if (!abort.signal.aborted) this.error = errorMessage(error);
    }
  }

  private pick(attendee: Attendee): void {
    this.picked = new Map(this.picked).set(attendee.id, attendee.name);
  }

  private unpick(id: string): void {
    const picked = new Map(this.picked);
    picked.delete(id);
    this.picked = picked;
  }

  private async save(): Promise<void> {
    this.busy = true;
    this.error = "";
    try {
      const updated = await api.setSessionHosts(this.event.id, this.session.id, [...this.picked.keys()]);
      toast(t("sessions.hosts.saved"));
      this.emit("session-changed", updated);
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    const inputId = `hosts-search-${this.session.id}`;
    return html`<details class="session-hosts">
      <summary>${t("sessions.hosts")}</summary>
      <p class="muted">${t("sessions.hosts.lead")}</p>
      ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
      <div class="field">
        <label for=${inputId}>${t("sessions.hosts.search")}</label>
        <input id=${inputId} type="search" autocomplete="off" @input=${(e: Event) => this.search((e.target as HTMLInputElement).value)} />
      </div>
      ${this.found.length
        ? html`<ul class="session-hosts__found">
            ${this.found.map(
              (attendee) => html`<li>
                <span>${attendee.name}${attendee.company ? html` <span class="muted">· ${attendee.company}</span>` : nothing}</span>
                <button type="button" class="button button--small" ?disabled=${this.picked.has(attendee.id)}
                  aria-label=${t("sessions.hosts.add", { name: attendee.name })} @click=${() => this.pick(attendee)}>+</button>
              </li>`,
            )}
          </ul>`
        : nothing}
      ${this.picked.size
        ? html`<ul class="session-hosts__picked">
            ${[...this.picked].map(
              ([id, name]) => html`<li class="chip">${name}
                <button type="button" class="link-button" aria-label=${t("sessions.hosts.remove", { name })} @click=${() => this.unpick(id)}>×</button>
              </li>`,
            )}
          </ul>`
        : html`<p class="muted">${t("sessions.hosts.none")}</p>`}
      <button type="button" class="button button--small button--primary" ?disabled=${this.busy || !this.picked.size} @click=${() => void this.save()}>
        ${t("sessions.hosts.save")}
      </button>
    </details>`;
  }
}
