import { html, nothing } from "lit";

import { reissueText } from "../components/access-notice";
import "../components/access-notice.css";
import "./welcome.css";
import { LightElement } from "../../kit/light-element";
import { t } from "../i18n";
import { navigate } from "../routes";
import { StoreController } from "../state";

/** Shown when nobody is signed in on this phone: the join link is the only way in. */
export class WelcomePage extends LightElement {
  static override properties = { reason: { type: String }, pasteError: { state: true } };

  reason: "welcome" | "badge" | "expired" = "welcome";
  pasteError = "";
  private readonly store = new StoreController(this);

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

  /** Signed out by a re-issue: who and when, and what to do if it was not asked for. */
  private renderSignedOut() {
    const { signedOutBy, me } = this.store.value;
    if (this.reason !== "expired" || !signedOutBy) return nothing;
    return html`<section class="access-notice" role="alert" aria-labelledby="signed-out-title">
      <h2 id="signed-out-title">${t("access.signedOut.title")}</h2>
      ${reissueText(signedOutBy, me?.event.timezone)}
      <p class="access-notice-advice">${t("access.signedOut.advice")}</p>
    </section>`;
  }

  protected override render() {
    const title = this.reason === "badge" ? t("auth.needed.title") : t("welcome.title");
    const body =
      this.reason === "badge" ? t("auth.needed.body") : this.reason === "expired" ? t("error.session") : t("welcome.body");
    return html`
      <section class="centered-page welcome">
        <img class="welcome-logo" src="/icons/icon-192.png" alt="" width="96" height="96" />
        <h1 tabindex="-1">${title}</h1>
        ${this.store.value.signedOutBy && this.reason === "expired" ? this.renderSignedOut() : html`<p class="lead">${body}</p>`}
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
