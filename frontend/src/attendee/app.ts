import { html, nothing } from "lit";
import { keyed } from "lit/directives/keyed.js";

import "./app.css";
import { LightElement } from "../kit/light-element";
import "./components/access-notice";
import "./components/status-bar";
import { lang, setLang, t } from "./i18n";
import "./pages/join";
import "./pages/scan";
import "./pages/scanned";
import "./pages/welcome";
import { currentRoute, onRouteChange, type Route } from "./routes";
import { StoreController } from "./state";
import { LiveController } from "./live/sessions";

// Screens that are not the first one are loaded on demand, to keep the first paint small.
const lazyPages: Record<string, () => Promise<unknown>> = {
  profile: () => import("./pages/profile"),
  badge: () => import("./pages/badge"),
  contacts: () => import("./pages/contacts"),
  contact: () => import("./pages/contact"),
  sessions: () => import("./pages/sessions"),
};

const NAV_ICONS = {
  scan: "M4 9V5a1 1 0 0 1 1-1h4M15 4h4a1 1 0 0 1 1 1v4M20 15v4a1 1 0 0 1-1 1h-4M9 20H5a1 1 0 0 1-1-1v-4M8 8h3v3H8zM13 8h3v3h-3zM8 13h3v3H8zM13 13h3v3h-3z",
  contacts: "M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2.5 20a6.5 6.5 0 0 1 13 0M16 4.5a3.5 3.5 0 0 1 0 6.5M18 14a6.5 6.5 0 0 1 3.5 6",
  badge: "M6 3h12a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM9 3v3h6V3M9 11h6v6H9z",
  sessions: "M12 21a8 8 0 1 0 0-16 8 8 0 0 0 0 16zM12 9v4l2.5 2.5M9.5 2h5M12 2v3",
} as const;

/** The shell: header, status, the current screen, and the bottom navigation. */
export class App extends LightElement {
  static override properties = { route: { state: true } };

  route: Route = currentRoute();
  private readonly store = new StoreController(this);
  private readonly live = new LiveController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    this.replaceChildren();
    onRouteChange((route) => {
      this.route = route;
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
      case "sessions":
        return html`<page-sessions></page-sessions>`;
      default:
        return html`<section class="centered-page"><h1 tabindex="-1">404</h1><p><a href="/">${t("nav.scan")}</a></p></section>`;
    }
  }

  private navLink(path: string, key: keyof typeof NAV_ICONS, active: boolean) {
    return html`<a class="nav-link" href=${path} aria-current=${active ? "page" : "false"}>
      <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d=${NAV_ICONS[key]}></path></svg>
      <span>${t(`nav.${key}`)}</span>
    </a>`;
  }

  protected override render() {
    const { ready, session, pending } = this.store.value;
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
      <main id="main" class="page page-${name}">${this.page()}</main>
      ${signedIn
        ? html`<nav class="bottom-nav" aria-label=${t("nav.main")}>
            ${this.navLink("/", "scan", name === "home" || name === "scanned")}
            ${this.navLink("/contacts", "contacts", name === "contacts" || name === "contact")}
            ${this.navLink("/me", "badge", name === "badge" || name === "profile")}
            ${this.live.visible.length || name === "sessions"
              ? this.navLink("/sessions", "sessions", name === "sessions")
              : nothing}
            ${pending > 0 ? html`<span class="nav-pending" aria-hidden="true">${pending}</span>` : nothing}
          </nav>`
        : nothing}
    `;
  }
}
customElements.define("rc-app", App);
