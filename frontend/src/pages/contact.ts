import { html, nothing } from "lit";

import { ApiError, NetworkError } from "../api/errors";
import type { Contact, FollowUpKind } from "../api/types";
import { LightElement } from "../components/light-element";
import "../components/person-card";
import "../components/rating-input";
import "../components/tag-picker";
import { followUpCountdown, formatMoment } from "../format";
import { lang, t } from "../i18n";
import { cachedContact, saveContact } from "../offline/cache";
import { api, getState } from "../state";
import "./contact.css";

/** One contact: the card, the editable private note, follow-up state and helpers. */
export class ContactPage extends LightElement {
  static override properties = {
    contactId: { type: String, attribute: "contact-id" },
    contact: { state: true },
    note: { state: true },
    tags: { state: true },
    rating: { state: true },
    followUp: { state: true },
    message: { state: true },
    error: { state: true },
    saving: { state: true },
    missing: { state: true },
  };

  contactId = "";
  contact: Contact | null = null;
  note = "";
  tags: string[] = [];
  rating: number | null = null;
  followUp: "todo" | "done" = "todo";
  message = "";
  error = "";
  saving = false;
  missing = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private use(contact: Contact): void {
    this.contact = contact;
    this.note = contact.note ?? "";
    this.tags = [...(contact.tags ?? [])];
    this.rating = contact.rating ?? null;
    this.followUp = contact.follow_up ?? "todo";
  }

  private async load(): Promise<void> {
    const cached = await cachedContact(this.contactId);
    if (cached) this.use(cached);
    try {
      const fresh = await api.contact(this.contactId);
      await saveContact(fresh);
      this.use(fresh);
    } catch (error) {
      if (cached) return;
      this.missing = error instanceof ApiError ? error.detail : t("contact.offline");
    }
  }

  private async save(event?: Event, change: Partial<{ follow_up: "todo" | "done" }> = {}): Promise<void> {
    event?.preventDefault();
    if (!this.contact || this.saving) return;
    this.saving = true;
    this.message = "";
    this.error = "";
    try {
      const updated = await api.updateContact(this.contact.id, {
        note: this.note,
        tags: this.tags,
        rating: this.rating,
        follow_up: change.follow_up ?? this.followUp,
      });
      await saveContact(updated);
      this.use(updated);
      this.message = t("contact.saved");
    } catch (error) {
      this.error = error instanceof ApiError ? error.detail : error instanceof NetworkError ? t("error.offline") : t("error.generic");
    } finally {
      this.saving = false;
    }
  }

  private async helper(kind: FollowUpKind): Promise<void> {
    if (!this.contact) return;
    this.error = "";
    try {
      const draft = await api.followUp(this.contact.id, kind, lang());
      if (draft.mailto.startsWith("mailto:")) window.location.href = draft.mailto;
    } catch (error) {
      this.error = t("contact.helper.failed", { reason: error instanceof ApiError ? error.detail : t("error.network") });
    }
  }

  protected override render() {
    const back = html`<a class="back-link" href="/contacts">← ${t("contact.back")}</a>`;
    if (!this.contact) {
      return html`${back}<h1 tabindex="-1">${t("contacts.title")}</h1>
        ${this.missing ? html`<p class="notice error" role="alert">${this.missing}</p>` : html`<div class="spinner" role="status"></div>`}`;
    }
    const contact = this.contact;
    const timeZone = getState().me?.event.timezone;
    const countdown = followUpCountdown({ ...contact, follow_up: this.followUp });
    return html`
      ${back}
      <rc-person-card .card=${contact.person} heading-level="1"></rc-person-card>
      <p class="contact-when">
        <span>${t("contact.met", { time: formatMoment(contact.met_at, timeZone) })}</span>
        ${contact.mutual ? html`<span class="badge mutual">${t("contacts.mutual")}</span>` : nothing}
        <span class="countdown ${countdown.state}">${countdown.label}</span>
      </p>

      <section class="follow-up card" aria-labelledby="helpers-title">
        <h2 id="helpers-title">${t("contact.helpers")}</h2>
        <div class="helper-buttons">
          <button type="button" class="button primary" @click=${() => void this.helper("message")}>${t("contact.helper.message")}</button>
          <button type="button" class="button secondary" @click=${() => void this.helper("coffee")}>${t("contact.helper.coffee")}</button>
          <button type="button" class="button secondary" @click=${() => void this.helper("resource")}>${t("contact.helper.resource")}</button>
        </div>
        <fieldset class="segmented">
          <legend>${t("contact.followup")}</legend>
          ${(["todo", "done"] as const).map(
            (state) => html`<label class="segment">
              <input
                type="radio"
                name="follow-up"
                .checked=${this.followUp === state}
                @change=${() => {
                  this.followUp = state;
                  void this.save(undefined, { follow_up: state });
                }}
              />
              <span>${t(`contact.followup.${state}`)}</span>
            </label>`,
          )}
        </fieldset>
      </section>

      <form class="note-form" @submit=${(e: Event) => this.save(e)}>
        <div class="field">
          <label class="field-label" for="contact-note">${t("contact.note")}</label>
          <textarea
            id="contact-note"
            name="note"
            rows="5"
            maxlength="5000"
            .value=${this.note}
            @input=${(e: Event) => (this.note = (e.target as HTMLTextAreaElement).value)}
          ></textarea>
        </div>
        <rc-tag-picker .selected=${this.tags} label=${t("contact.tags")} @tags-change=${(e: CustomEvent<string[]>) => (this.tags = e.detail)}></rc-tag-picker>
        <rc-rating-input .value=${this.rating} label=${t("contact.rating")} @rating-change=${(e: CustomEvent<number | null>) => (this.rating = e.detail)}></rc-rating-input>
        ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
        ${this.message ? html`<p class="notice success" role="status">${this.message}</p>` : nothing}
        <button type="submit" class="button primary large" ?disabled=${this.saving}>${t("contact.save")}</button>
      </form>
    `;
  }
}
customElements.define("page-contact", ContactPage);
