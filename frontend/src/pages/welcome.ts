import { html, nothing } from "lit";

import { LightElement } from "../components/light-element";
import { t } from "../i18n";
import { navigate } from "../routes";

/** Shown when nobody is signed in on this phone: the join link is the only way in. */
export class WelcomePage extends LightElement {
  static override properties = { reason: { type: String }, pasteError: { state: true } };

  reason: "welcome" | "badge" | "expired" = "welcome";
  pasteError = "";

  // An app installed on the home screen may not share the browser's storage
  // (iOS): pasting the link from the invitation signs it in too.
  private usePastedLink(event: Event): void {
    event.preventDefault();
    const value = this.querySelector<HTMLInputElement>("#join-link")?.value.trim() ?? "";
    const token = /\/join#(.+)$/.exec(value)?.[1];
    if (!token) {
      this.pasteError = t("welcome.paste.invalid");
      return;
    }
    navigate(`/join#${token}`);
  }

  protected override render() {
    const title = this.reason === "badge" ? t("auth.needed.title") : t("welcome.title");
    const body =
      this.reason === "badge" ? t("auth.needed.body") : this.reason === "expired" ? t("error.session") : t("welcome.body");
    return html`
      <section class="centered-page welcome">
        <img class="welcome-logo" src="/icons/icon-192.png" alt="" width="96" height="96" />
        <h1 tabindex="-1">${title}</h1>
        <p class="lead">${body}</p>
        <form class="paste-link card" @submit=${(e: Event) => this.usePastedLink(e)}>
          <label class="field-label" for="join-link">${t("welcome.paste")}</label>
          <div class="inline-field">
            <input
              id="join-link"
              type="url"
              inputmode="url"
              autocomplete="off"
              placeholder=${t("welcome.paste.label")}
              aria-invalid=${this.pasteError ? "true" : "false"}
            />
            <button type="submit" class="button primary">${t("welcome.paste.submit")}</button>
          </div>
          ${this.pasteError ? html`<p class="field-error" role="alert">${this.pasteError}</p>` : nothing}
        </form>
        <p class="muted">${t("welcome.lost")}</p>
      </section>
    `;
  }
}
customElements.define("page-welcome", WelcomePage);
