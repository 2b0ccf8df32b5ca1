import { html, nothing } from "lit";

import type { MeetState } from "../../api/types";
import { ApiError, NetworkError } from "../../kit/api/errors";
import { LightElement } from "../../kit/light-element";
import { t, problemText } from "../i18n";
import { rememberState } from "../people";
import { api } from "../state";
import "./meet-button.css";

export interface MeetChange {
  attendeeId: string;
  meet: MeetState;
}

/**
 * "I'd like to meet you", with an optional one-line reason: on a directory card, a
 * suggestion, anywhere a person is shown. Fires `meet-change` ({attendeeId, meet}) once the
 * server has answered; a request let be by its recipient keeps reading "sent".
 */
export class MeetButton extends LightElement {
  static override properties = {
    attendeeId: { type: String, attribute: "attendee-id" },
    name: { type: String },
    meet: { type: String },
    open: { state: true },
    sending: { state: true },
    error: { state: true },
  };

  attendeeId = "";
  name = "";
  meet: MeetState = "none";
  open = false;
  sending = false;
  error = "";
  private reason = "";

  private async send(event?: Event): Promise<void> {
    event?.preventDefault();
    if (this.sending) return;
    this.sending = true;
    this.error = "";
    try {
      const answer = await api.askToMeet(this.attendeeId, this.reason.trim());
      this.meet = answer.state;
      this.open = false;
      await rememberState(this.attendeeId, answer.state);
      this.dispatchEvent(
        new CustomEvent<MeetChange>("meet-change", { detail: { attendeeId: this.attendeeId, meet: answer.state }, bubbles: true }),
      );
    } catch (error) {
      this.error =
        error instanceof ApiError ? problemText(error) : error instanceof NetworkError ? t("meet.queuedOffline") : t("error.generic");
    } finally {
      this.sending = false;
    }
  }

  private renderForm() {
    const id = `meet-reason-${this.attendeeId}`;
    return html`<form class="meet-form" @submit=${(e: Event) => this.send(e)}>
      <label class="field-label small" for=${id}>${t("meet.reason")}</label>
      <input
        id=${id}
        maxlength="140"
        enterkeyhint="send"
        placeholder=${t("meet.reason.placeholder")}
        @input=${(e: Event) => (this.reason = (e.target as HTMLInputElement).value)}
      />
      <div class="meet-actions">
        <button type="button" class="button ghost" @click=${() => (this.open = false)}>${t("meet.cancel")}</button>
        <button type="submit" class="button primary" ?disabled=${this.sending}>${t("meet.send")}</button>
      </div>
    </form>`;
  }

  protected override render() {
    const error = this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing;
    switch (this.meet) {
      case "match":
        return html`<p class="meet-state match" role="status">${t("meet.match")}</p>`;
      case "sent":
        return html`<p class="meet-state sent" role="status">${t("meet.sent")}</p>`;
      case "received":
        return html`<div class="meet-received">
            <p class="meet-state received">${t("meet.received")}</p>
            <button type="button" class="button primary" ?disabled=${this.sending} @click=${() => this.send()}>
              ${t("people.requests.accept")}
            </button>
          </div>
          ${error}`;
      default:
        return html`${this.open
            ? this.renderForm()
            : html`<button
                type="button"
                class="button secondary meet-button"
                aria-label=${`${t("meet.button")} — ${this.name}`}
                @click=${() => {
                  this.open = true;
                  void this.updateComplete.then(() => this.querySelector<HTMLInputElement>("input")?.focus());
                }}
              >
                ${t("meet.button")}
              </button>`}
          ${error}`;
    }
  }
}
customElements.define("rc-meet-button", MeetButton);
