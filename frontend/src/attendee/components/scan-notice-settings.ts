import { html, nothing } from "lit";

import { ApiError } from "../../kit/api/errors";
import { LightElement } from "../../kit/light-element";
import { problemText, t } from "../i18n";
import { setValue } from "../offline/db";
import { refreshScanNotices } from "../scan-notices";
import { api, setState, StoreController } from "../state";
import "./scan-notice-settings.css";

/** The profile's setting for "who scanned me": saved as soon as it is switched. */
export class ScanNoticeSettings extends LightElement {
  static override properties = { saving: { state: true }, message: { state: true }, error: { state: true } };

  saving = false;
  message = "";
  error = "";
  private readonly store = new StoreController(this);

  private async change(event: Event): Promise<void> {
    const box = event.target as HTMLInputElement;
    const wanted = box.checked;
    this.saving = true;
    this.error = "";
    this.message = "";
    try {
      const me = await api.updateMe({ scan_notices: wanted });
      await setValue("me", me);
      setState({ me });
      this.message = wanted ? t("settings.scan_notices.on") : t("settings.scan_notices.off");
      void refreshScanNotices();
    } catch (error) {
      box.checked = !wanted;
      this.error = error instanceof ApiError ? problemText(error) : t("error.network");
    } finally {
      this.saving = false;
    }
  }

  protected override render() {
    const me = this.store.value.me;
    if (!me) return nothing;
    return html`<section class="scan-notice-settings card" aria-labelledby="scan-notices-title">
      <h2 id="scan-notices-title">${t("settings.scan_notices.title")}</h2>
      <label class="check toggle">
        <input
          type="checkbox"
          name="scan_notices"
          .checked=${me.scan_notices !== false}
          ?disabled=${this.saving}
          aria-describedby="scan-notices-hint"
          @change=${(event: Event) => void this.change(event)}
        />
        <span>${t("settings.scan_notices.label")}</span>
      </label>
      <p class="field-hint" id="scan-notices-hint">${t("settings.scan_notices.hint")}</p>
      ${this.message ? html`<p class="notice success" role="status">${this.message}</p>` : nothing}
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }
}
customElements.define("rc-scan-notice-settings", ScanNoticeSettings);
