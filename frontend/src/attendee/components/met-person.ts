import { html, nothing } from "lit";

import "../../kit/avatar";
import { LightElement } from "../../kit/light-element";
import { problemText, t } from "../i18n";
import { savePerson, skipPerson, type MetPerson } from "../live/sessions";
import "./met-person.css";

/** Someone met in a round: one tap saves them as a contact (a note if wished), or skip. */
export class MetPersonRow extends LightElement {
  static override properties = {
    person: { attribute: false },
    note: { state: true },
    saving: { state: true },
    error: { state: true },
  };

  person: MetPerson | null = null;
  note = "";
  saving = false;
  error = "";

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    const person = this.person;
    if (!person || this.saving) return;
    this.saving = true;
    this.error = "";
    try {
      const refused = await savePerson(person, this.note);
      if (refused) this.error = problemText(refused);
      else this.emit("person-saved", person);
    } catch {
      this.error = t("error.network");
    } finally {
      this.saving = false;
    }
  }

  protected override render() {
    const person = this.person;
    if (!person) return nothing;
    const card = person.mate.card;
    const name = card.name || t("card.unknown");
    const role = [card.job_title, card.company].filter(Boolean).join(" · ");
    const noteId = `note-${person.session_id}-${person.round}-${card.attendee_id ?? name}`;
    return html`<form class="met-person" @submit=${(e: Event) => this.save(e)}>
      <div class="met-who">
        <rc-avatar .name=${name} .photo=${card.photo?.small ?? null} size="small"></rc-avatar>
        <div>
          <p class="met-name">${name}</p>
          <p class="met-meta">${role ? html`${role} · ` : nothing}${t("sessions.save.round", { n: person.round, table: person.table_name })}</p>
        </div>
      </div>
      <label class="field compact" for=${noteId}>
        <span class="field-label small">${t("sessions.save.note")}</span>
        <textarea id=${noteId} name="note" rows="2" maxlength="2000" .value=${this.note}
          @input=${(e: Event) => (this.note = (e.target as HTMLTextAreaElement).value)}></textarea>
      </label>
      ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}
      <div class="met-actions">
        <button type="submit" class="button primary" ?disabled=${this.saving}>${t("sessions.save")}</button>
        <button type="button" class="button ghost" ?disabled=${this.saving} @click=${() => skipPerson(person)}>${t("sessions.skip")}</button>
      </div>
    </form>`;
  }
}
customElements.define("rc-met-person", MetPersonRow);
