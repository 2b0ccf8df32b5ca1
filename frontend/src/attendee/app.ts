import { html, nothing } from "lit";
import { keyed } from "lit/directives/keyed.js";

import "./app.css";
import { LightElement } from "../kit/light-element";
import "./components/access-notice";
import "./components/retention-banner";
import "./components/install-prompt";
import "./components/status-bar";
import { lang, plural, setLang, t } from "./i18n";
import "./pages/join";
import "./pages/scan";
import "./pages/scanned";
import "./pages/welcome";
import { currentRoute, onRouteChange, type Route } from "./routes";
import { refreshScanNotices, ScanNoticesController, watchScanNotices } from "./scan-notices";
import { StoreController } from "./state";
import { LiveController } from "./live/sessions";

// Screens that are not the first one are loaded on demand, to keep the first paint small.
const lazyPages: Record<string, () => Promise<unknown>> = {
  profile: () => import("./pages/profile"),
  badge: () => import("./pages/badge"),
  contacts: () => import("./pages/contacts"),
  contact: () => import("./pages/contact"),
  // Retention (issue 19)
  "my-data": () => import("./pages/my-data"),
  "scanned-by": () => import("./pages/scanned-by"),
  people: () => import("./pages/people"),
  suggestions: () => import("./pages/suggestions"),
  sessions: () => import("./pages/sessions"),
};

const NAV_ICONS = {
  scan: "M4 9V5a1 1 0 0 1 1-1h4M15 4h4a1 1 0 0 1 1 1v4M20 15v4a1 1 0 0 1-1 1h-4M9 20H5a1 1 0 0 1-1-1v-4M8 8h3v3H8zM13 8h3v3h-3zM8 13h3v3H8zM13 13h3v3h-3z",
  contacts: "M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2.5 20a6.5 6.5 0 0 1 13 0M16 4.5a3.5 3.5 0 0 1 0 6.5M18 14a6.5 6.5 0 0 1 3.5 6",
  badge: "M6 3h12a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM9 3v3h6V3M9 11h6v6H9z",
  people: "M7 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM17 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM1.5 20a5.5 5.5 0 0 1 11 0M11.5 20a5.5 5.5 0 0 1 11 0",
  sessions: "M12 21a8 8 0 1 0 0-16 8 8 0 0 0 0 16zM12 9v4l2.5 2.5M9.5 2h5M12 2v3",
} as const;

/** The shell: header, status, the current screen, and the bottom navigation. */
export class App extends LightElement {
  static override properties = { route: { state: true } };

  route: Route = currentRoute();
  private readonly store = new StoreController(this);
  private readonly notices = new ScanNoticesController(this);
  private readonly live = new LiveController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    this.replaceChildren();
    watchScanNotices();
    onRouteChange((route) => {
      this.route = route;
      if (route.name === "home" || route.name === "contacts") void refreshScanNotices();
      window.scrollTo({ top: 0 });
      void this.updateComplete.then(() => this.querySelector<HTMLElement>("main h1")?.focus({ preventScroll: true }));
    });
  }

  protected override willUpdate(): void {
    // Elements upgrade by themselves when their module arrives; Lit keeps the properties set before.
    void lazyPages[this.route.name]?.();
  }

  private page() {
    const { session, sessionExpired } = this.store.value;
    const route = this.route;
    if (route.name === "join") return html`<page-join></page-join>`;
    if (route.name === "scanned") return keyed(route.token, html`<page-scanned token=${route.token} ?signed-in=${!!session && !sessionExpired}></page-scanned>`);
    if (!session) return html`<page-welcome></page-welcome>`;
    if (sessionExpired) return html`<page-welcome reason="expired"></page-welcome>`;
    switch (route.name) {
      case "home":
        return html`<page-scan></page-scan>`;
      case "profile":
        return keyed(`profile-${route.welcome}`, html`<page-profile ?welcome=${route.welcome}></page-profile>`);
      case "badge":
        return html`<page-badge></page-badge>`;
      case "contacts":
        return html`<page-contacts></page-contacts>`;
      case "contact":
        return keyed(route.id, html`<page-contact contact-id=${route.id}></page-contact>`);
      case "my-data":
        return html`<page-my-data></page-my-data>`;
      case "scanned-by":
        return html`<page-scanned-by></page-scanned-by>`;
      case "people":
        return html`<page-people></page-people>`;
      case "suggestions":
        return html`<page-suggestions></page-suggestions>`;
      case "sessions":
        return html`<page-sessions></page-sessions>`;
      default:
        return html`<section class="centered-page"><h1 tabindex="-1">404</h1><p><a href="/">${t("nav.scan")}</a></p></section>`;
    }
  }

  private navLink(path: string, key: keyof typeof NAV_ICONS, active: boolean) {
    // Who scanned me: the count of people waiting to be added back, on the contacts tab.
    const { enabled, items } = this.notices.value;
    const waiting = key === "contacts" && enabled ? items.length : 0;
    const pending = key === "scan" ? this.store.value.pending : 0;
    return html`<a class="nav-link" href=${path} aria-current=${active ? "page" : "false"}>
      <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d=${NAV_ICONS[key]}></path></svg>
      <span>${t(`nav.${key}`)}</span>
      ${pending > 0 ? html`<span class="nav-pending" aria-hidden="true">${pending}</span>` : nothing}
      ${waiting
        ? html`<span class="nav-notices"><span aria-hidden="true">${waiting}</span><span class="visually-hidden">${plural(waiting, "scanned.nav.one", "scanned.nav.many")}</span></span>`
        : nothing}
    </a>`;
  }

  protected override render() {
    const { ready, session } = this.store.value;
    if (!ready) return nothing;
    const name = this.route.name;
    const signedIn = !!session && name !== "join";
    const other = lang() === "fr" ? "en" : "fr";
    return html`
      <header class="app-bar">
        <a class="brand" href="/">
          <img src="/icons/favicon.svg" alt="" width="28" height="28" />
          <span>${t("app.name")}</span>
        </a>
        <button type="button" class="lang-switch" lang=${other} title=${t("lang.switch.label")} @click=${() => setLang(other)}>
          ${t("lang.switch")}
        </button>
      </header>
      <rc-status-bar></rc-status-bar>
      ${signedIn ? html`<rc-access-notice></rc-access-notice>` : nothing}
      ${signedIn ? html`<rc-retention-banner></rc-retention-banner>` : nothing}
      <main id="main" class="page page-${name}">
        ${this.page()}${signedIn ? html`<rc-install-prompt></rc-install-prompt>` : nothing}
      </main>
      ${signedIn
        ? html`<nav class="bottom-nav" aria-label=${t("nav.main")}>
            ${this.navLink("/", "scan", name === "home" || name === "scanned")}
            ${this.navLink("/people", "people", name === "people")}
            ${this.navLink("/contacts", "contacts", name === "contacts" || name === "contact" || name === "scanned-by")}
            ${this.navLink("/me", "badge", name === "badge" || name === "profile" || name === "my-data")}
            ${this.live.visible.length || name === "sessions"
              ? this.navLink("/sessions", "sessions", name === "sessions")
              : nothing}
          </nav>`
        : nothing}
    `;
  }
}
customElements.define("rc-app", App);
