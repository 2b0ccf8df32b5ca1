import { html } from "lit";
import { customElement, state } from "lit/decorators.js";

import "./login-page.css";
import { ApiError, NetworkError } from "../api";
import { LightElement } from "../../kit/light-element";
import { api, signIn, takeExpired } from "../context";
import { errorMessage } from "../errors";
import { t } from "../i18n";
import { navigate } from "../routes";

@customElement("rc-login-page")
export class LoginPage extends LightElement {
  @state() private error = "";
  @state() private busy = false;
  private notice = "";

  override connectedCallback(): void {
    super.connectedCallback();
    if (takeExpired()) this.notice = t("login.expired");
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    this.busy = true;
    this.error = "";
    try {
      const session = await api.login(String(data.get("email") ?? ""), String(data.get("password") ?? ""));
      signIn({ token: session.access_token, organiser: session.organiser });
      const next = new URL(location.href).searchParams.get("next");
      navigate(next && next.startsWith("/console/") ? next : "/console", { replace: true });
    } catch (error) {
      if (error instanceof NetworkError) this.error = t("error.network");
      else if (error instanceof ApiError && error.status === 401) this.error = t("login.wrong");
      else if (error instanceof ApiError) this.error = errorMessage(error);
      else throw error;
      this.updateComplete.then(() => this.querySelector<HTMLElement>("#login-error")?.focus());
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    return html`
      <div class="login">
        <div class="login__intro">
          <p class="login__brand" aria-hidden="true">Rencontre</p>
          <h1 tabindex="-1">${t("login.title")}</h1>
          <p class="muted">${t("login.lead")}</p>
        </div>
        <form class="card login__form" @submit=${this.submit} novalidate>
          ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : null}
          ${this.error
            ? html`<p class="alert" id="login-error" role="alert" tabindex="-1">${this.error}</p>`
            : null}
          <div class="field">
            <label for="login-email">${t("login.email")}</label>
            <input id="login-email" name="email" type="email" autocomplete="username" required autofocus />
          </div>
          <div class="field">
            <label for="login-password">${t("login.password")}</label>
            <input id="login-password" name="password" type="password" autocomplete="current-password" required />
          </div>
          <button class="button button--primary button--block" type="submit" ?disabled=${this.busy}>
            ${this.busy ? t("login.busy") : t("login.submit")}
          </button>
        </form>
      </div>
    `;
  }
}
