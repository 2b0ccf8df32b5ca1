import { html, nothing } from "lit";

import { ApiError, NetworkError } from "../../kit/api/errors";
import { LightElement } from "../../kit/light-element";
import "../components/retry-button";
import { t, problemText } from "../i18n";
import { tokenClaims } from "../offline/session";
import { navigate } from "../routes";
import { getState, signIn } from "../state";

/** /join#<token>: exchange the personal invite link for a session, then the profile step. */
export class JoinPage extends LightElement {
  static override properties = {
    error: { state: true },
    failure: { state: true },
    busy: { state: true },
  };

  error = "";
  /** What went wrong: trying the same link again is offered only when it can help (the network, the server). */
  failure: unknown = null;
  busy = false;
  private token = "";

  override connectedCallback(): void {
    super.connectedCallback();
    this.token = decodeURIComponent(location.hash.replace(/^#/, "")).trim();
    // The token is a credential: keep it out of the history and of screenshots.
    if (location.hash) history.replaceState(null, "", "/join");
    void this.join();
  }

  private async join(): Promise<void> {
    if (!this.token) {
      this.error = t("join.missing");
      return;
    }
    this.busy = true;
    this.error = "";
    this.failure = null;
    try {
      await signIn(this.token);
      navigate("/profile?welcome", { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.code === "join_link_used" && this.signedInHereAlready()) {
        // The invitation opened again on the phone that used it: it is still signed in.
        navigate("/", { replace: true });
        return;
      }
      this.failure = error;
      this.error =
        error instanceof ApiError ? problemText(error) : error instanceof NetworkError ? t("join.offline") : t("error.generic");
    } finally {
      this.busy = false;
    }
  }

  private signedInHereAlready(): boolean {
    const { session, sessionExpired } = getState();
    return !!session && !sessionExpired && tokenClaims(this.token).sub === session.attendee_id;
  }

  protected override render() {
    return html`
      <section class="centered-page">
        <h1 tabindex="-1">${this.error ? t("join.failed") : t("join.title")}</h1>
        ${this.busy ? html`<div class="spinner" role="status" aria-label=${t("join.title")}></div>` : nothing}
        ${this.error
          ? html`<p class="notice error" role="alert">${this.error}</p>
              ${this.token ? html`<rc-retry-button .error=${this.failure} @retry=${() => void this.join()}></rc-retry-button>` : nothing}
              <p class="muted">${t("welcome.lost")}</p>`
          : nothing}
      </section>
    `;
  }
}
customElements.define("page-join", JoinPage);
