import { html, nothing } from "lit";

import { ApiError } from "../../kit/api/errors";
import type { Contact } from "../../api/types";
import { LightElement } from "../../kit/light-element";
import { t, problemText } from "../i18n";
import { saveContact } from "../offline/cache";
import { api } from "../state";
import "./keep-contact.css";

/** "Keep this contact": it stays, with my note and the card as shared, after the event's data is erased. */
export class KeepContact extends LightElement {
  static override properties = { contact: { attribute: false }, kept: { state: true }, busy: { state: true }, error: { state: true } };

  contact: Contact | null = null;
  kept: boolean | null = null;
  busy = false;
  error = "";

  private async toggle(kept: boolean): Promise<void> {
    const contact = this.contact;
    if (!contact) return;
    this.busy = true;
    this.error = "";
    try {
      const answer = await api.keepContact(contact.id, kept);
      this.kept = answer.kept;
      await saveContact({ ...contact, kept: answer.kept });
    } catch (error) {
      this.error = error instanceof ApiError ? problemText(error) : t("error.network");
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    if (!this.contact) return nothing;
    const kept = this.kept ?? this.contact.kept ?? false;
    return html`<section class="card keep-contact" aria-labelledby="keep-contact-title">
      <h2 id="keep-contact-title">${t("contact.keep.title")}</h2>
      <label class="check toggle">
        <input type="checkbox" .checked=${kept} ?disabled=${this.busy} @change=${(e: Event) => void this.toggle((e.target as HTMLInputElement).checked)} />
        <span>${t("contact.keep")}</span>
      </label>
      <p class="field-hint">${t("contact.keep.hint")} <a href="/my-data">${t("mydata.link")}</a></p>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }
}
customElements.define("rc-keep-contact", KeepContact);
