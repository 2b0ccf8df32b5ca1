import { html, nothing } from "lit";

import "./contact-row.css";
import type { Contact } from "../../api/types";
import type { PendingEdit } from "../offline/db";
import { followUpCountdown, formatMoment, tagLabel } from "../format";
import { t } from "../i18n";
import { getState } from "../state";
import "../../kit/avatar";
import { LightElement } from "../../kit/light-element";

/** One line of the contact list: who, when, the start of the note, the time left to follow up. */
export class ContactRow extends LightElement {
  static override properties = {
    contact: { attribute: false },
    edit: { attribute: false },
    now: { type: Number },
    proposal: { type: Boolean },
  };

  contact: Contact | null = null;
  /** The state of an edit of this contact not yet saved, if there is one. */
  edit: PendingEdit["state"] | null = null;
  now = Date.now();
  /** A next step this person proposed waits for an answer. */
  proposal = false;

  protected override render() {
    const contact = this.contact;
    if (!contact) return nothing;
    const person = contact.person;
    const name = person.name || t("card.unknown");
    const countdown = followUpCountdown(contact, this.now);
    const role = [person.job_title, person.company].filter(Boolean).join(" · ");
    return html`
      <a class="contact-row" href=${`/contacts/${encodeURIComponent(contact.id)}`}>
        <rc-avatar .name=${name} .photo=${person.photo?.small ?? null} size="small"></rc-avatar>
        <span class="contact-main">
          <span class="contact-name"
            >${name}${contact.mutual ? html` <span class="badge mutual">${t("contacts.mutual")}</span>` : nothing}${this.edit
              ? html` <span class="badge pending">${t(this.edit === "queued" ? "contacts.edit.queued" : "contacts.edit.check")}</span>`
              : nothing}${this.proposal ? html` <span class="badge proposal">${t("nextstep.answer")}</span>` : nothing}</span
          >
          ${role ? html`<span class="contact-role">${role}</span>` : nothing}
          ${contact.note ? html`<span class="contact-note">${contact.note}</span>` : nothing}
          <span class="contact-meta">
            <span>${formatMoment(contact.met_at, getState().me?.event.timezone)}</span>
            <span class="countdown ${countdown.state}">${countdown.label}</span>
            ${contact.tags.map((tag) => html`<span class="tag">${tagLabel(tag)}</span>`)}
          </span>
        </span>
      </a>
    `;
  }
}
customElements.define("rc-contact-row", ContactRow);
