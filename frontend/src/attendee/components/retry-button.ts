import { html, nothing, type PropertyValues } from "lit";

import { ApiError, canRetry } from "../../kit/api/errors";
import { t } from "../i18n";
import { LightElement } from "../../kit/light-element";

/**
 * "Try again", only for a failure that trying again can mend (kit/api/errors.ts `canRetry`):
 * none for a refusal. When the server asked to wait (429 / 503 with Retry-After), the
 * button counts the seconds down and is enabled once they have passed.
 */
export class RetryButton extends LightElement {
  static override properties = {
    error: { attribute: false },
    label: { type: String },
    waitLeft: { state: true },
  };

  error: unknown = null;
  label = "";
  /** Seconds still to wait before the server takes a new try. */
  waitLeft = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has("error")) return;
    this.stop();
    const wait = this.error instanceof ApiError ? (this.error.retryAfterMs ?? 0) : 0;
    const until = Date.now() + wait;
    this.waitLeft = Math.ceil(wait / 1000);
    if (this.waitLeft > 0) {
      this.timer = setInterval(() => {
        this.waitLeft = Math.max(0, Math.ceil((until - Date.now()) / 1000));
        if (this.waitLeft === 0) this.stop();
      }, 250);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  private stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  protected override render() {
    if (!canRetry(this.error)) return nothing;
    const waiting = this.waitLeft > 0;
    return html`<button type="button" class="button primary retry" ?disabled=${waiting} @click=${() => this.emit("retry")}>
      ${waiting ? t("retry.wait", { s: this.waitLeft }) : this.label || t("join.retry")}
    </button>`;
  }
}
customElements.define("rc-retry-button", RetryButton);
