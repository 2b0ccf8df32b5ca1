import { html, nothing } from "lit";

import { LightElement } from "../../kit/light-element";
import { plural, t } from "../i18n";
import { ScanNoticesController } from "../scan-notices";
import "./scan-notices-banner.css";

/** "Anaïs scanned you — See": on the contacts list while someone waits to be added back. */
export class ScanNoticesBanner extends LightElement {
  private readonly notices = new ScanNoticesController(this);

  protected override render() {
    const { enabled, items } = this.notices.value;
    const first = items[0];
    if (!enabled || !first) return nothing;
    const others = items.length - 1;
    const text = others
      ? plural(others, "scanned.banner.others.one", "scanned.banner.others.many", { name: first.card.name })
      : t("scanned.notice", { name: first.card.name });
    return html`<a class="scan-notices-banner" href="/scanned-by">
      <span class="scan-notices-count" aria-hidden="true">${items.length}</span>
      <span class="scan-notices-text">${text}</span>
      <span class="scan-notices-see">${t("scanned.banner.see")}</span>
    </a>`;
  }
}
customElements.define("rc-scan-notices-banner", ScanNoticesBanner);
