import { html, nothing } from "lit";

import { ApiError } from "../../kit/api/errors";
import type { Contact } from "../../api/types";
import "../components/contact-row";
import "../components/next-step-inbox";
import "../components/notes-lock";
import "../components/reminder-offer";
import "../components/scan-notices-banner";
import { LightElement } from "../../kit/light-element";
import { tagLabel } from "../format";
import { lang, plural, t, problemText } from "../i18n";
import { saveBlob } from "../../kit/download";
import { fold } from "../../kit/fold";
import { cachedContacts } from "../offline/cache";
import type { OutboxItem, PendingEdit } from "../offline/db";
import { pendingEdits, withEdit } from "../offline/edits";
import { queued } from "../offline/outbox";
import { api, getState, onContactsChanged, refreshContacts, StoreController } from "../state";
import "./contacts.css";

interface Filters {
  q: string;
  tag: string;
  mutual: boolean;
  followUp: "" | "todo" | "done";
}

function matches(contact: Contact, filters: Filters): boolean {
  if (filters.tag && !contact.tags.includes(filters.tag)) return false;
  if (filters.mutual && !contact.mutual) return false;
  if (filters.followUp && contact.follow_up !== filters.followUp) return false;
  const q = fold(filters.q.trim());
  if (!q) return true;
  const person = contact.person;
  const haystack = fold(
    [person.name, person.company, person.job_title, contact.note, ...contact.tags, ...contact.tags.map(tagLabel)]
      .filter(Boolean)
      .join("\n"),
  );
  return q.split(/\s+/).every((word) => haystack.includes(word));
}

/** A reminder opens /contacts?follow_up=todo: the list starts filtered on what is left to do. */
function followUpFromUrl(): Filters["followUp"] {
  const value = new URLSearchParams(location.search).get("follow_up");
  return value === "todo" || value === "done" ? value : "";
}

/** The day's people, newest first: search, filters, follow-up countdown, exports. */
export class ContactsPage extends LightElement {
  static override properties = {
    contacts: { state: true },
    waiting: { state: true },
    filters: { state: true },
    now: { state: true },
    error: { state: true },
    loaded: { state: true },
    proposals: { state: true },
  };

  contacts: Contact[] = [];
  waiting: OutboxItem[] = [];
  /** Edits not yet saved, by contact id: the list shows the contacts as they will be. */
  edits = new Map<string, PendingEdit>();
  filters: Filters = { q: "", tag: "", mutual: false, followUp: followUpFromUrl() };
  now = Date.now();
  error = "";
  loaded = false;
  /** Contacts whose next-step proposal waits for the attendee's answer. */
  proposals = new Set<string>();
  private readonly store = new StoreController(this);
  private clock: ReturnType<typeof setInterval> | null = null;
  private stopListening: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    void refreshContacts();
    this.stopListening = onContactsChanged(() => void this.load());
    this.clock = setInterval(() => (this.now = Date.now()), 30_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopListening?.();
    if (this.clock) clearInterval(this.clock);
  }

  private async load(): Promise<void> {
    const attendeeId = getState().session?.attendee_id;
    const [contacts, waiting, edits] = await Promise.all([cachedContacts(), queued(attendeeId), pendingEdits(attendeeId)]);
    this.edits = new Map(edits.map((edit) => [edit.contact_id, edit]));
    this.contacts = contacts.map((contact) => withEdit(contact, this.edits.get(contact.id)));
    this.waiting = waiting.reverse();
    this.loaded = true;
  }

  /** Everyone listed: the contacts, and the people whose scan still waits on the phone (once each). */
  private listedCount(): number {
    const known = new Set(this.contacts.map((contact) => contact.person.badge_code).filter(Boolean));
    const waiting = new Set(
      this.waiting.map((item) => item.badge_code || item.client_id).filter((code) => !known.has(code)),
    );
    return this.contacts.length + waiting.size;
  }

  private setFilter<K extends keyof Filters>(key: K, value: Filters[K]): void {
    this.filters = { ...this.filters, [key]: value };
  }

  private async export(kind: "csv" | "xlsx" | "vcf"): Promise<void> {
    this.error = "";
    try {
      // The file speaks the language the attendee is reading the app in.
      const { blob, filename } = await api.download(`/api/contacts/export.${kind}?lang=${lang()}`);
      saveBlob(blob, filename ?? `rencontre-contacts.${kind}`);
    } catch (error) {
      this.error = t("contacts.export.failed", { reason: error instanceof ApiError ? problemText(error) : t("error.network") });
    }
  }

  private renderFilters(allTags: string[]) {
    return html`
      <div class="filters" role="search">
        <label class="field search">
          <span class="visually-hidden">${t("contacts.search")}</span>
          <input
            type="search"
            placeholder=${t("contacts.search.placeholder")}
            .value=${this.filters.q}
            @input=${(e: Event) => this.setFilter("q", (e.target as HTMLInputElement).value)}
          />
        </label>
        <div class="filter-row">
          <label class="field compact">
            <span class="field-label small">${t("contacts.filter.tag")}</span>
            <select @change=${(e: Event) => this.setFilter("tag", (e.target as HTMLSelectElement).value)}>
              <option value="" ?selected=${!this.filters.tag}>${t("contacts.filter.any")}</option>
              ${allTags.map((tag) => html`<option value=${tag} ?selected=${this.filters.tag === tag}>${tagLabel(tag)}</option>`)}
            </select>
          </label>
          <label class="field compact">
            <span class="field-label small">${t("contacts.filter.followup")}</span>
            <select @change=${(e: Event) => this.setFilter("followUp", (e.target as HTMLSelectElement).value as Filters["followUp"])}>
              <option value="" ?selected=${!this.filters.followUp}>${t("contacts.filter.any")}</option>
              <option value="todo" ?selected=${this.filters.followUp === "todo"}>${t("contacts.filter.todo")}</option>
              <option value="done" ?selected=${this.filters.followUp === "done"}>${t("contacts.filter.done")}</option>
            </select>
          </label>
          <label class="check toggle">
            <input type="checkbox" .checked=${this.filters.mutual} @change=${(e: Event) => this.setFilter("mutual", (e.target as HTMLInputElement).checked)} />
            <span>${t("contacts.filter.mutual")}</span>
          </label>
        </div>
      </div>
    `;
  }

  protected override render() {
    const allTags = [...new Set(this.contacts.flatMap((c) => c.tags))].sort();
    const shown = this.contacts.filter((contact) => matches(contact, this.filters));
    const filtering = !!(this.filters.q || this.filters.tag || this.filters.mutual || this.filters.followUp);
    // Exports carry the notes: the server refuses them while locked, so they are not offered.
    const locked = this.contacts.some((contact) => contact.notes_locked);
    return html`
      <header class="page-head with-action">
        <div>
          <h1 tabindex="-1">${t("contacts.title")}</h1>
          <p class="muted">${plural(this.listedCount(), "contacts.count.one", "contacts.count.many")}</p>
        </div>
        <details class="export-menu" ?hidden=${locked}>
          <summary class="button secondary">${t("contacts.export")}</summary>
          <div class="menu">
            <button type="button" class="button ghost" @click=${() => void this.export("csv")}>${t("contacts.export.csv")}</button>
            <button type="button" class="button ghost" @click=${() => void this.export("xlsx")}>${t("contacts.export.xlsx")}</button>
            <button type="button" class="button ghost" @click=${() => void this.export("vcf")}>${t("contacts.export.vcf")}</button>
          </div>
        </details>
      </header>
      <rc-notes-lock ?locked=${locked}></rc-notes-lock>
      <rc-reminder-offer .contacts=${this.contacts.length}></rc-reminder-offer>
      <rc-scan-notices-banner></rc-scan-notices-banner>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      ${!this.store.value.online ? html`<p class="notice pending">${t("contacts.offline")}</p>` : nothing}
      <rc-next-step-inbox @next-steps-awaiting=${(e: CustomEvent<Set<string>>) => (this.proposals = e.detail)}></rc-next-step-inbox>
      ${this.contacts.length ? this.renderFilters(allTags) : nothing}
      ${this.waiting.length && !filtering
        ? html`<ul class="contact-list waiting" aria-label=${t("contacts.pending")}>
            ${this.waiting.map(
              (item) => html`<li class="waiting-row">
                <span class="contact-name">${item.name || t("card.unknown")}</span>
                ${item.note ? html`<span class="contact-note">${item.note}</span>` : nothing}
                <span class="badge pending">${t("contacts.pending")}</span>
              </li>`,
            )}
          </ul>`
        : nothing}
      ${shown.length
        ? html`<ul class="contact-list">
            ${shown.map((contact) => html`<li><rc-contact-row .contact=${contact} .edit=${this.edits.get(contact.id)?.state ?? null} .now=${this.now} .proposal=${this.proposals.has(contact.id)}></rc-contact-row></li>`)}
          </ul>`
        : this.loaded && !this.waiting.length
          ? html`<p class="empty">${filtering ? t("contacts.nomatch") : t("contacts.empty")}</p>`
          : nothing}
    `;
  }
}
customElements.define("page-contacts", ContactsPage);
