import { html, nothing } from "lit";

import type { SaveStatus } from "../contact-autosave";
import { t } from "../i18n";
import { LightElement } from "../../kit/light-element";
import "./save-status.css";

/** The quiet line under a form that saves as you type: saving, saved, or kept on this phone until it can be sent. */
export class SaveStatusLine extends LightElement {
  static override properties = {
    status: { attribute: false },
    error: { attribute: false },
  };

  status: SaveStatus = "idle";
  error = "";

  protected override render() {
    switch (this.status) {
      case "refused":
        return html`<p class="notice error" role="alert">${this.error}</p>`;
      case "idle":
      case "conflict":
        return html`<p class="save-status" role="status"></p>`;
      default: {
        const text = {
          editing: t("save.saving"),
          saving: t("save.saving"),
          saved: t("save.saved"),
          kept: t("save.kept"),
          locked: t("save.locked"),
        }[this.status];
        return html`<p class="save-status ${this.status}" role="status" data-status=${this.status}>
          ${this.status === "saved" ? html`<span class="save-mark" aria-hidden="true">✓</span>` : nothing}${text}
        </p>`;
      }
    }
  }
}
customElements.define("rc-save-status", SaveStatusLine);
