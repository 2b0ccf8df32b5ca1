import { html, nothing } from "lit";

import type { PublicCard } from "../../api/types";
import { objectivesLabel, safeUrl } from "../format";
import { t } from "../i18n";
import "../../kit/avatar";
import { LightElement } from "../../kit/light-element";
import "./person-card.css";

/** A person as a scanner sees them. Every value is rendered as text, never as HTML. */
export class PersonCard extends LightElement {
  static override properties = {
    card: { attribute: false },
    headingLevel: { type: Number, attribute: "heading-level" },
    compact: { type: Boolean },
  };

  card: PublicCard | null = null;
  headingLevel = 2;
  compact = false;

  private contactLines(card: PublicCard) {
    const lines = [];
    if (card.email) lines.push(html`<li><span class="label">${t("card.email")}</span><a href=${`mailto:${encodeURIComponent(card.email).replace(/%40/g, "@")}`}>${card.email}</a></li>`);
    if (card.phone) lines.push(html`<li><span class="label">${t("card.phone")}</span><a href=${`tel:${card.phone.replace(/[^+\d]/g, "")}`}>${card.phone}</a></li>`);
    for (const [key, label] of [["website", t("card.website")], ["linkedin", t("card.linkedin")]] as const) {
      const value = card[key];
      if (!value) continue;
      const href = safeUrl(value);
      lines.push(
        html`<li><span class="label">${label}</span>${href
          ? html`<a href=${href} target="_blank" rel="noopener noreferrer">${value}</a>`
          : html`<span>${value}</span>`}</li>`,
      );
    }
    return lines;
  }

  // Who-to-meet: what they offer and seek, and whether they are open to chat now.
  private givesAndAsks(card: PublicCard) {
    const lists = [
      ["offers", t("card.offers"), card.offers ?? []],
      ["seeks", t("card.seeks"), card.seeks ?? []],
    ] as const;
    return html`${card.open_to_chat ? html`<p class="person-chat">${t("card.openToChat")}</p>` : nothing}
      ${lists.map(([key, label, items]) =>
        items.length
          ? html`<div class="person-gives person-${key}">
              <span class="label">${label}</span>
              <ul>${items.map((item) => html`<li>${item}</li>`)}</ul>
            </div>`
          : nothing,
      )}`;
  }

  protected override render() {
    const card = this.card;
    if (!card) return nothing;
    const name = card.name || t("card.unknown");
    const role = [card.job_title, card.company].filter(Boolean).join(" · ");
    const heading = this.headingLevel === 1
      ? html`<h1 class="person-name">${name}</h1>`
      : this.headingLevel === 3
        ? html`<h3 class="person-name">${name}</h3>`
        : html`<h2 class="person-name">${name}</h2>`;
    const contacts = this.compact ? [] : this.contactLines(card);
    const objectives = objectivesLabel(card.objectives, card.objective_other);
    return html`
      <article class="person-card ${this.compact ? "compact" : ""}">
        <header class="person-head">
          <rc-avatar .name=${name} .photo=${card.photo?.medium ?? null} size="medium"></rc-avatar>
          <div class="person-id">
            ${heading}
            ${role ? html`<p class="person-role">${role}</p>` : nothing}
          </div>
        </header>
        ${card.pitch ? html`<p class="person-pitch">${card.pitch}</p>` : nothing}
        ${objectives ? html`<p class="person-objective">${t("card.objective", { objective: objectives })}</p>` : nothing}
        ${!this.compact && card.interests?.length
          ? html`<ul class="chips" aria-label=${t("card.interests")}>${card.interests.map((interest) => html`<li class="chip">${interest}</li>`)}</ul>`
          : nothing}
        ${this.givesAndAsks(card)}
        ${contacts.length ? html`<ul class="person-contacts">${contacts}</ul>` : nothing}
      </article>
    `;
  }
}
customElements.define("rc-person-card", PersonCard);
