import { html, nothing } from "lit";

import type { RetentionStatus } from "../../api/types";
import { LightElement } from "../../kit/light-element";
import { formatDate } from "../format";
import { t } from "../i18n";
import { api, getState } from "../state";
import "./retention-banner.css";

/** A week before the event's data is erased: say when, and where to keep what matters. */
export class RetentionBanner extends LightElement {
  static override properties = { status: { state: true } };

  status: RetentionStatus | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    if (!getState().online) return;
    try {
      this.status = await api.retention();
    } catch {
      // Offline or signed out: the banner shows next time.
    }
  }

  protected override render() {
    const status = this.status;
    if (!status?.warning || location.pathname === "/my-data") return nothing;
    const date = formatDate(status.purge_at, getState().me?.event.timezone);
    return html`<aside class="retention-banner" role="status">
      <p>${t("retention.banner", { date })}</p>
      <a class="button secondary" href="/my-data">${t("retention.banner.action")}</a>
    </aside>`;
  }
}
customElements.define("rc-retention-banner", RetentionBanner);
