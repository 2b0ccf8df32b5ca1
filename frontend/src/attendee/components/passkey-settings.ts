import { html, nothing } from "lit";

import { formatMoment } from "../format";
import { t } from "../i18n";
import { deviceName, PasskeyStatusController, passkeyError, registerPasskey, removePasskey } from "../passkeys";
import { getState } from "../state";
import { LightElement } from "../../kit/light-element";
import "./notes-lock";
import "./notes-lock.css";

/** The profile's "Protect my notes with a passkey": register one, list them, remove one. */
export class PasskeySettings extends LightElement {
  static override properties = {
    busy: { state: true },
    error: { state: true },
    message: { state: true },
  };

  busy = false;
  error = "";
  message = "";
  private readonly passkeys = new PasskeyStatusController(this);

  private async run(action: () => Promise<void>, done: string): Promise<void> {
    this.busy = true;
    this.error = "";
    this.message = "";
    try {
      await action();
      this.message = done;
    } catch (error) {
      this.error = passkeyError(error);
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    const status = this.passkeys.status;
    const supported = typeof window.PublicKeyCredential === "function";
    const timeZone = getState().me?.event.timezone;
    const has = !!status?.passkeys.length;
    return html`<section class="passkeys card" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">${t("passkey.title")}</h2>
      <p class="field-hint">${has ? t("passkey.protected") : t("passkey.intro")}</p>
      ${status?.notes_locked ? html`<rc-notes-lock></rc-notes-lock>` : nothing}
      ${has
        ? html`<ul class="passkey-list" aria-label=${t("passkey.list")}>
            ${status!.passkeys.map(
              (passkey) => html`<li>
                <span>
                  ${passkey.name || t("passkey.unnamed")}
                  <span class="muted small">${t("passkey.added", { time: formatMoment(passkey.created_at, timeZone) })}</span>
                </span>
                ${status!.notes_locked
                  ? nothing
                  : html`<button
                      type="button"
                      class="button ghost"
                      ?disabled=${this.busy}
                      aria-label=${t("passkey.remove.named", { name: passkey.name || t("passkey.unnamed") })}
                      @click=${() => void this.run(() => removePasskey(passkey.id), t("passkey.removed"))}
                    >
                      ${t("passkey.remove")}
                    </button>`}
              </li>`,
            )}
          </ul>`
        : nothing}
      ${!supported
        ? html`<p class="notice pending">${t("passkey.unsupported")}</p>`
        : status?.notes_locked
          ? nothing
          : html`<button
              type="button"
              class="button ${has ? "secondary" : "primary"}"
              ?disabled=${this.busy || !status}
              @click=${() => void this.run(() => registerPasskey(deviceName()), t("passkey.registered"))}
            >
              ${has ? t("passkey.add") : t("passkey.register")}
            </button>`}
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
      ${this.message ? html`<p class="notice success" role="status">${this.message}</p>` : nothing}
    </section>`;
  }
}
customElements.define("rc-passkey-settings", PasskeySettings);
