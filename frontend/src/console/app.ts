import { html } from "lit";
import { customElement, state } from "lit/decorators.js";

import { LightElement } from "../kit/light-element";
import { currentSession, logOut, onSessionChange } from "./context";
import { lang, setLang, t } from "./i18n";
import "./pages/account-page";
import "./pages/event-form";
import "./pages/event-page";
import "./pages/events-page";
import "./pages/login-page";
import { currentRoute, installLinkInterception, navigate, onRouteChange, type ConsoleRoute } from "./routes";
import { toast } from "./toast";

/** The console's frame: who is signed in, the language, and the page for the current path. */
@customElement("rc-console")
export class ConsoleApp extends LightElement {
  @state() private route: ConsoleRoute = currentRoute();
  @state() private eventName = "";
  private navigated = false;
  private stops: (() => void)[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    installLinkInterception();
    this.stops.push(
      onRouteChange((route) => {
        this.navigated = true;
        this.route = route;
      }),
      onSessionChange(() => this.requestUpdate()),
    );
    this.guard();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const stop of this.stops) stop();
  }

  /** Anything but the login page needs a session; a signed-in organiser skips the login page. */
  private guard(): void {
    const signedIn = currentSession() !== null;
    if (!signedIn && this.route.name !== "login") {
      const next = location.pathname + location.search;
      navigate(`/console/login${next.startsWith("/console/") ? `?next=${encodeURIComponent(next)}` : ""}`, { replace: true });
    } else if (signedIn && this.route.name === "login") {
      navigate("/console", { replace: true });
    }
  }

  override willUpdate(): void {
    this.guard();
  }

  override updated(): void {
    document.title = `${this.pageTitle()} — Rencontre`;
    if (!this.navigated) return;
    this.navigated = false;
    // After a navigation, bring keyboard and screen-reader users to the new page's heading.
    window.scrollTo(0, 0);
    void this.settle().then(() => {
      const heading =
        this.querySelector<HTMLElement>(".section [tabindex='-1']") ?? this.querySelector<HTMLElement>("main h1[tabindex='-1']");
      heading?.focus({ preventScroll: true });
    });
  }

  private async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
  }

  private pageTitle(): string {
    switch (this.route.name) {
      case "login":
        return t("login.title");
      case "events":
        return t("events.title");
      case "new-event":
        return t("event.new.title");
      case "account":
        return t("account.title");
      case "event":
        return this.eventName ? `${t(`nav.${this.route.section === "import" ? "attendees" : this.route.section}`)} · ${this.eventName}` : t("app.console");
      default:
        return t("notFound.title");
    }
  }

  private renderPage() {
    const route = this.route;
    switch (route.name) {
      case "login":
        return html`<rc-login-page></rc-login-page>`;
      case "events":
        return html`<rc-events-page></rc-events-page>`;
      case "new-event":
        return html`<rc-new-event-page></rc-new-event-page>`;
      case "account":
        return html`<rc-account-page></rc-account-page>`;
      case "event":
        return html`<rc-event-page
          .eventId=${route.eventId}
          .section=${route.section}
          .wall=${route.wall}
          @title=${(e: CustomEvent<string>) => (this.eventName = e.detail)}
        ></rc-event-page>`;
      default:
        return html`<h1 tabindex="-1">${t("notFound.title")}</h1>
          <p><a href="/console">${t("notFound.back")}</a></p>`;
    }
  }

  private readonly logOut = async (): Promise<void> => {
    if (!(await logOut())) toast(t("logout.offline"), "error");
  };

  private renderLanguage() {
    const other = lang() === "fr" ? "en" : "fr";
    return html`<button
      type="button"
      class="button button--ghost topbar__lang"
      lang=${other}
      title=${t("lang.switch.label")}
      @click=${() => setLang(other)}
    >
      ${t("lang.switch")}
    </button>`;
  }

  protected override render() {
    const session = currentSession();
    const wall = this.route.name === "event" && this.route.wall;
    if (wall && session) return html`<main id="main" class="wall-page">${this.renderPage()}</main>`;
    return html`
      <a class="skip-link" href="#main">${t("nav.skip")}</a>
      <header class="topbar">
        <a class="topbar__brand" href="/console">
          <span class="topbar__logo" aria-hidden="true">R</span>
          <span>Rencontre <span class="topbar__product">${t("app.console")}</span></span>
        </a>
        <div class="topbar__account">
          ${session ? html`<span class="topbar__who">${session.organiser.name || session.organiser.email}</span>` : null}
          ${session
            ? html`<a
                class="button button--ghost"
                href="/console/account"
                aria-current=${this.route.name === "account" ? "page" : "false"}
                >${t("nav.account")}</a
              >`
            : null}
          ${this.renderLanguage()}
          ${session ? html`<button type="button" class="button button--ghost" @click=${this.logOut}>${t("nav.logout")}</button>` : null}
        </div>
      </header>
      <main id="main" class="page" tabindex="-1">${this.renderPage()}</main>
    `;
  }
}
