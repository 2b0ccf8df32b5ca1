// The profile's photo: one's face (or initials), taken with the front camera or chosen from
// the phone, cropped here (rc-photo-crop) and saved at once, apart from the profile form.
import { html, nothing } from "lit";

import type { Me } from "../../api/types";
import { ApiError, NetworkError } from "../../kit/api/errors";
import "../../kit/avatar";
import { LightElement } from "../../kit/light-element";
import { problemText, t } from "../i18n";
import { setValue } from "../offline/db";
import { api, setState } from "../state";
import "./photo-crop";
import "./profile-photo.css";

export class ProfilePhoto extends LightElement {
  static override properties = {
    me: { attribute: false },
    picked: { state: true },
    busy: { state: true },
    message: { state: true },
    error: { state: true },
  };

  me: Me | null = null;
  /** The picture being cropped, before it is sent. */
  picked: File | null = null;
  busy = false;
  message = "";
  error = "";

  private pick(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0] ?? null;
    input.value = ""; // the same picture may be chosen again after a cancel
    if (!file) return;
    this.message = "";
    this.error = "";
    this.picked = file;
  }

  private async saved(change: () => Promise<Me>, done: string): Promise<void> {
    this.busy = true;
    this.error = "";
    this.message = "";
    try {
      const me = await change();
      await setValue("me", me);
      setState({ me });
      this.picked = null;
      this.message = done;
      this.emit("photo-changed", me);
    } catch (error) {
      if (error instanceof ApiError) this.error = problemText(error);
      else this.error = error instanceof NetworkError ? t("profile.photo.offline") : t("error.generic");
    } finally {
      this.busy = false;
    }
  }

  private cancel(): void {
    this.picked = null;
    this.updateComplete.then(() => this.querySelector<HTMLElement>(".photo-choose input")?.focus());
  }

  protected override render() {
    const me = this.me;
    if (!me) return nothing;
    const shared = me.shared_fields.includes("photo");
    return html`
      <section class="profile-photo" aria-labelledby="photo-title">
        <h2 id="photo-title">${t("profile.photo.title")}</h2>
        ${this.picked
          ? html`<rc-photo-crop
              .file=${this.picked}
              @crop-done=${(e: CustomEvent<Blob>) => void this.saved(() => api.putPhoto(e.detail), t("profile.photo.saved"))}
              @crop-cancel=${() => this.cancel()}
              @crop-unreadable=${() => {
                this.picked = null;
                this.error = t("profile.photo.unreadable");
              }}
            ></rc-photo-crop>`
          : html`<div class="photo-row">
              <rc-avatar .name=${me.name} .photo=${me.photo?.large ?? null} size="large"></rc-avatar>
              <div class="photo-actions">
                <label class="button secondary photo-choose">
                  <input type="file" accept="image/*" capture="user" class="visually-hidden" ?disabled=${this.busy} @change=${(e: Event) => this.pick(e)} />
                  <span>${t("profile.photo.take")}</span>
                </label>
                <label class="button secondary photo-choose">
                  <input type="file" accept="image/*" class="visually-hidden" ?disabled=${this.busy} @change=${(e: Event) => this.pick(e)} />
                  <span>${t("profile.photo.choose")}</span>
                </label>
                ${me.photo
                  ? html`<button
                      type="button"
                      class="button ghost"
                      ?disabled=${this.busy}
                      @click=${() => void this.saved(() => api.deletePhoto(), t("profile.photo.removed"))}
                    >
                      ${t("profile.photo.remove")}
                    </button>`
                  : nothing}
              </div>
            </div>`}
        <p class="field-hint">${me.photo && !shared ? t("profile.photo.notShared") : t("profile.photo.hint")}</p>
        ${this.busy ? html`<p class="muted" role="status">${t("profile.photo.sending")}</p>` : nothing}
        ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
        ${this.message ? html`<p class="notice success" role="status">${this.message}</p>` : nothing}
      </section>
    `;
  }
}
customElements.define("rc-profile-photo", ProfilePhoto);
