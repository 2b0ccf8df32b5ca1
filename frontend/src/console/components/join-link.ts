import { html } from "lit";
import { customElement, property } from "lit/decorators.js";

import "./join-link.css";
import { copyText } from "../clipboard";
import { t } from "../i18n";
import { LightElement } from "../../kit/light-element";
import { qrSvg } from "./qr-svg";

/** An attendee's join link: to copy into a message, or to show as a QR at the help desk. */
@customElement("rc-join-link")
export class JoinLinkView extends LightElement {
  @property() link = "";
  @property() name = "";
  private qr: { link: string; name: string; node: SVGSVGElement } | null = null;

  private qrNode(): SVGSVGElement {
    if (!this.qr || this.qr.link !== this.link || this.qr.name !== this.name) {
      this.qr = { link: this.link, name: this.name, node: qrSvg(this.link, t("invite.qr.label", { name: this.name })) };
    }
    return this.qr.node;
  }

  protected override render() {
    if (!this.link) return null;
    return html`
      <div class="join-link">
        <figure class="join-link__qr">${this.qrNode()}
          <figcaption>${t("invite.qr.caption")}</figcaption>
        </figure>
        <div class="join-link__text">
          <label for="join-link-input">${t("invite.link")}</label>
          <div class="input-group">
            <input id="join-link-input" class="mono" readonly .value=${this.link} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
            <button type="button" class="button" @click=${() => copyText(this.link)}>${t("invite.copy")}</button>
          </div>
          <p class="field__hint">${t("invite.private")}</p>
        </div>
      </div>
    `;
  }
}
