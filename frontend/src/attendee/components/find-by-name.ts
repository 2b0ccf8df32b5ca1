import { html, nothing } from "lit";

import type { PersonEntry } from "../../api/types";
import { LightElement } from "../../kit/light-element";
import { parseBadge, type BadgeRef } from "../../kit/scanner/badge";
import { t } from "../i18n";
import { cachedPeople, failureText, filterPeople } from "../people";
import { api, StoreController } from "../state";
import "./find-by-name.css";

const SHOWN = 5;

/**
 * The scan fallback's "find by name", among the people in the directory (as cached on the
 * phone). Choosing someone fetches their badge link and fires `badge-found` with it, so the
 * scan is recorded exactly as if their QR had been read.
 */
export class FindByName extends LightElement {
  static override properties = {
    entries: { state: true },
    query: { state: true },
    error: { state: true },
    busy: { state: true },
  };

  entries: PersonEntry[] = [];
  query = "";
  error = "";
  busy = false;
  private readonly store = new StoreController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void cachedPeople().then((snapshot) => (this.entries = snapshot.entries));
  }

  private async choose(entry: PersonEntry): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = "";
    try {
      const found = await api.personBadge(entry.card.attendee_id);
      const badge = parseBadge(found.url);
      if (!badge) throw new Error("unreadable badge link");
      this.query = "";
      this.dispatchEvent(new CustomEvent<BadgeRef>("badge-found", { detail: badge, bubbles: true }));
    } catch (error) {
      this.error = failureText(error);
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    const member = this.store.value.me?.directory_opt_in === true;
    const found = this.query.trim() ? filterPeople(this.entries, { q: this.query, objective: "", interest: "" }).slice(0, SHOWN) : [];
    return html`<section class="find-by-name card" aria-labelledby="find-by-name-title">
      <h2 id="find-by-name-title" class="field-label">${t("findByName.title")}</h2>
      ${member
        ? html`<input
              type="search"
              aria-label=${t("findByName.label")}
              aria-describedby="find-by-name-hint"
              autocomplete="off"
              .value=${this.query}
              @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}
            />
            <span class="field-hint" id="find-by-name-hint">${t("findByName.hint")}</span>
            ${this.query.trim() && !found.length ? html`<p class="field-hint" role="status">${t("findByName.none")}</p>` : nothing}
            ${found.length
              ? html`<ul class="find-results">
                  ${found.map(
                    (entry) => html`<li>
                      <button type="button" class="find-result" ?disabled=${this.busy} @click=${() => this.choose(entry)}>
                        <strong>${entry.card.name}</strong>
                        ${entry.card.company ? html`<span>${entry.card.company}</span>` : nothing}
                      </button>
                    </li>`,
                  )}
                </ul>`
              : nothing}
            ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}`
        : html`<p class="field-hint">${t("findByName.unavailable")} <a href="/people">${t("nav.people")}</a></p>`}
    </section>`;
  }
}
customElements.define("rc-find-by-name", FindByName);
