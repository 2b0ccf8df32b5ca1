import { html } from "lit";
import { customElement, state } from "lit/decorators.js";

import "./account-page.css";
import { ApiError } from "../api";
import { LightElement } from "../../kit/light-element";
import { api, currentSession, signIn } from "../context";
import { errorMessage } from "../errors";
import { t } from "../i18n";
import { toast } from "../toast";

/** The server's rule for a new password (auth/passwords.MIN_PASSWORD_LENGTH). */
const MIN_PASSWORD_LENGTH = 8;

type Field = "current" | "new" | "confirm";

/** Who is signed in, and a password change (which signs out every other session). */
@customElement("rc-account-page")
export class AccountPage extends LightElement {
  @state() private error = "";
  @state() private busy = false;
  @state() private fieldErrors = new Map<Field, string>();

  private check(current: string, next: string, confirm: string): Map<Field, string> {
    const found = new Map<Field, string>();
    if (!current) found.set("current", t("account.current.missing"));
    if (next.length < MIN_PASSWORD_LENGTH) found.set("new", t("account.new.short", { n: MIN_PASSWORD_LENGTH }));
    else if (next === current) found.set("new", t("problem.password_unchanged"));
    if (confirm !== next) found.set("confirm", t("account.confirm.differs"));
    return found;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const current = String(data.get("current") ?? "");
    const next = String(data.get("new") ?? "");
    this.error = "";
    this.fieldErrors = this.check(current, next, String(data.get("confirm") ?? ""));
    if (this.fieldErrors.size) {
      await this.updateComplete;
      this.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
      return;
    }
    this.busy = true;
    try {
      const session = await api.changePassword(current, next);
      signIn({ token: session.access_token, organiser: session.organiser });
      form.reset();
      toast(t("account.changed"));
    } catch (error) {
      if (error instanceof ApiError && error.code === "current_password_wrong") {
        this.fieldErrors = new Map([["current", t("problem.current_password_wrong")]]);
      } else {
        this.error = errorMessage(error);
      }
      await this.updateComplete;
      this.querySelector<HTMLElement>("#account-error, [aria-invalid='true']")?.focus();
    } finally {
      this.busy = false;
    }
  }

  private renderField(name: Field, autocomplete: string, hint?: string) {
    const message = this.fieldErrors.get(name);
    const describedBy = [hint ? `account-${name}-hint` : "", message ? `account-${name}-error` : ""].filter(Boolean).join(" ");
    return html`<div class="field">
      <label for="account-${name}">${t(`account.${name}`)}</label>
      <input
        id="account-${name}"
        name=${name}
        type="password"
        autocomplete=${autocomplete}
        required
        maxlength="256"
        aria-invalid=${message ? "true" : "false"}
        aria-describedby=${describedBy || undefined}
      />
      ${hint ? html`<p class="field__hint" id="account-${name}-hint">${hint}</p>` : null}
      ${message ? html`<p class="field__error" id="account-${name}-error">${message}</p>` : null}
    </div>`;
  }

  protected override render() {
    const organiser = currentSession()?.organiser;
    return html`
      <div class="page-head">
        <div>
          <h1 tabindex="-1">${t("account.title")}</h1>
          <p class="muted">${organiser ? `${organiser.name} · ${organiser.email}` : ""}</p>
        </div>
      </div>
      <form class="card form account-form" @submit=${this.submit} novalidate aria-labelledby="account-password-title">
        <h2 id="account-password-title">${t("account.password.title")}</h2>
        <p class="muted">${t("account.password.lead")}</p>
        ${this.error ? html`<p class="alert" id="account-error" role="alert" tabindex="-1">${this.error}</p>` : null}
        ${this.renderField("current", "current-password")}
        ${this.renderField("new", "new-password", t("account.new.hint", { n: MIN_PASSWORD_LENGTH }))}
        ${this.renderField("confirm", "new-password")}
        <div class="form__actions">
          <button class="button button--primary" type="submit" ?disabled=${this.busy}>
            ${this.busy ? t("account.busy") : t("account.submit")}
          </button>
        </div>
      </form>
      <section class="card account-sessions" aria-labelledby="account-sessions-title">
        <h2 id="account-sessions-title">${t("account.sessions.title")}</h2>
        <p class="muted">${t("account.sessions.lead")}</p>
      </section>
    `;
  }
}
