import { html } from "lit";

import "./rating-input.css";
import { t } from "../i18n";
import { LightElement } from "../../kit/light-element";

let nextId = 0;

/** 1–5 as a radio group (arrow keys work); choosing the current value again clears it. */
export class RatingInput extends LightElement {
  static override properties = {
    value: { type: Number },
    label: { type: String },
  };

  value: number | null = null;
  label = "";
  private readonly groupName = `rating-${++nextId}`;

  private choose(value: number): void {
    this.value = this.value === value ? null : value;
    this.emit("rating-change", this.value);
  }

  protected override render() {
    return html`
      <fieldset class="rating">
        <legend>${this.label || t("note.rating")}</legend>
        <div class="rating-options">
          ${[1, 2, 3, 4, 5].map(
            (n) => html`
              <label class="rating-option ${this.value !== null && n <= this.value ? "lit" : ""}">
                <input
                  type="radio"
                  name=${this.groupName}
                  .value=${String(n)}
                  .checked=${this.value === n}
                  @click=${() => this.choose(n)}
                />
                <span aria-hidden="true">★</span>
                <span class="visually-hidden">${t("note.rating.value", { n })}</span>
              </label>
            `,
          )}
        </div>
      </fieldset>
    `;
  }
}
customElements.define("rc-rating-input", RatingInput);
