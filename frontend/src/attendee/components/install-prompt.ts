import { html, nothing } from "lit";

import { LightElement } from "../../kit/light-element";
import { t } from "../i18n";
import { answerInstall, installOffer, onInstallChange, promptInstall } from "../install";
import "./install-prompt.css";

/** The gentle "add to home screen", above the navigation, once a first scan is made. */
export class InstallPrompt extends LightElement {
  private stop: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.stop = onInstallChange(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop?.();
  }

  protected override render() {
    const way = installOffer();
    if (!way) return nothing;
    return html`<aside class="install-prompt" aria-labelledby="install-title">
      <img src="/icons/favicon.svg" alt="" width="48" height="48" />
      <div class="install-text">
        <h2 id="install-title">${t("install.title")}</h2>
        <p>${way === "prompt" ? t("install.body") : way === "ios" ? t("install.ios") : t("install.menu")}</p>
        <div class="install-actions">
          ${way === "prompt"
            ? html`<button type="button" class="button primary" @click=${() => void promptInstall()}>${t("install.button")}</button>
                <button type="button" class="button ghost" @click=${() => answerInstall()}>${t("install.later")}</button>`
            : html`<button type="button" class="button secondary" @click=${() => answerInstall()}>${t("install.understood")}</button>`}
        </div>
      </div>
    </aside>`;
  }
}
customElements.define("rc-install-prompt", InstallPrompt);
