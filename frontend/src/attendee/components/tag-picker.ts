import { html } from "lit";

import { QUICK_TAGS, tagLabel } from "../format";
import { t } from "../i18n";
import { LightElement } from "../../kit/light-element";

/** Quick tags as toggle buttons; tags that are not quick tags are kept and shown too. */
export class TagPicker extends LightElement {
  static override properties = {
    selected: { attribute: false },
    label: { type: String },
  };

  selected: string[] = [];
  label = "";

  private toggle(tag: string): void {
    this.selected = this.selected.includes(tag)
      ? this.selected.filter((item) => item !== tag)
      : [...this.selected, tag];
    this.emit("tags-change", this.selected);
  }

  protected override render() {
    const extra = this.selected.filter((tag) => !(QUICK_TAGS as readonly string[]).includes(tag));
    const tags = [...QUICK_TAGS, ...extra];
    return html`
      <fieldset class="tag-picker">
        <legend>${this.label || t("note.tags")}</legend>
        <div class="chip-row">
          ${tags.map(
            (tag) => html`
              <button
                type="button"
                class="chip-toggle"
                aria-pressed=${this.selected.includes(tag) ? "true" : "false"}
                @click=${() => this.toggle(tag)}
              >${tagLabel(tag)}</button>
            `,
          )}
        </div>
      </fieldset>
    `;
  }
}
customElements.define("rc-tag-picker", TagPicker);
