import { html, type PropertyValues } from "lit";

import { LightElement } from "../../kit/light-element";
import "../components/new-contact";
import { t } from "../i18n";
import { parseBadge, type BadgeRef } from "../../kit/scanner/badge";
import { navigate } from "../routes";
import "./welcome";

/** /b/{token}: a badge opened by the phone's own camera app lands on that person, ready to add. */
export class ScannedPage extends LightElement {
  static override properties = { token: { type: String }, signedIn: { type: Boolean, attribute: "signed-in" } };

  token = "";
  signedIn = false;
  private badge: BadgeRef | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("token")) this.badge = parseBadge(location.href) ?? parseBadge(this.token);
  }

  protected override render() {
    if (!this.signedIn) return html`<page-welcome reason="badge"></page-welcome>`;
    const badge = this.badge;
    if (!badge) {
      return html`<h1 tabindex="-1">${t("scan.title")}</h1><p class="notice error" role="alert">${t("scan.invalid")}</p>`;
    }
    return html`
      <h1 class="visually-hidden" tabindex="-1">${t("scan.title")}</h1>
      <rc-new-contact .badge=${badge} @scan-again=${() => navigate("/")}></rc-new-contact>
    `;
  }
}
customElements.define("page-scanned", ScannedPage);
