import { html, nothing } from "lit";

import type { Contact } from "../../api/types";
import "../components/camera-scanner";
import "../components/contact-row";
import "../components/find-by-name";
import { LightElement } from "../../kit/light-element";
import "../components/new-contact";
import { problemText, t } from "../i18n";
import { parseBadge, type BadgeRef } from "../../kit/scanner/badge";
import { normaliseShortCode } from "../../kit/scanner/short-code";
import { ApiError } from "../../kit/api/errors";
import { badgeForCode, cachedContacts } from "../offline/cache";
import { api, getState, onContactsChanged, StoreController } from "../state";
import "./scan.css";

/** The home screen: one big button to scan, a typed-code fallback, the last people met. */
export class ScanPage extends LightElement {
  static override properties = {
    mode: { state: true },
    badge: { state: true },
    cameraError: { state: true },
    manualError: { state: true },
    lookingUp: { state: true },
    recent: { state: true },
  };

  mode: "idle" | "camera" | "contact" = "idle";
  badge: BadgeRef | null = null;
  cameraError = "";
  manualError = "";
  /** A typed short code is being looked up (online) or derived (offline: a deliberately slow step). */
  lookingUp = false;
  recent: Contact[] = [];
  private readonly store = new StoreController(this);
  private stopListening: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadRecent();
    this.stopListening = onContactsChanged(() => void this.loadRecent());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopListening?.();
  }

  private async loadRecent(): Promise<void> {
    this.recent = (await cachedContacts()).slice(0, 3);
  }

  private openCamera(): void {
    this.cameraError = "";
    this.mode = "camera";
  }

  private show(badge: BadgeRef): void {
    this.badge = badge;
    this.mode = "contact";
    window.scrollTo({ top: 0 });
  }

  private scanAgain(): void {
    this.badge = null;
    this.mode = "camera";
  }

  private cameraFailed(reason: string): void {
    this.mode = "idle";
    this.cameraError = reason;
    void this.updateComplete.then(() => this.querySelector<HTMLInputElement>("#badge-code")?.focus());
  }

  /** From the viewfinder's help: the camera closes and the code field takes the focus. */
  private typeCode(): void {
    this.badge = null;
    this.mode = "idle";
    void this.updateComplete.then(() => this.querySelector<HTMLInputElement>("#badge-code")?.focus());
  }

  private async submitCode(event: Event): Promise<void> {
    event.preventDefault();
    if (this.lookingUp) return;
    const input = this.querySelector<HTMLInputElement>("#badge-code");
    const typed = input?.value ?? "";
    // A badge link or token pasted in still works; the short code printed on badges is the usual case.
    const badge = parseBadge(typed);
    const code = badge ? null : normaliseShortCode(typed);
    if (!badge && !code) {
      this.manualError = typed.trim() ? t("scan.code.invalid") : t("scan.code.empty");
      return;
    }
    this.manualError = "";
    this.lookingUp = true;
    try {
      const found = badge ?? (code ? await this.badgeOfCode(code) : null);
      if (!found) return;
      if (input) input.value = "";
      this.show(found);
    } finally {
      this.lookingUp = false;
    }
  }

  /** Online, the server says whose code it is; offline (or unreachable), the sealed cache on the phone. */
  private async badgeOfCode(code: string): Promise<BadgeRef | null> {
    if (getState().online) {
      try {
        const found = await api.badgeByCode(code);
        return parseBadge(found.url);
      } catch (error) {
        if (error instanceof ApiError && !error.transient) {
          this.manualError = problemText(error);
          return null;
        }
      }
    }
    const cached = await badgeForCode(code);
    if (cached) return parseBadge(cached.token);
    this.manualError = t("scan.code.offline.unknown");
    return null;
  }

  /** The directory's "find by name" (an opt-in list of people) plugs in here; nothing until it exists. */
  protected renderFindByName(): unknown {
    return nothing;
  }

  private renderScanButton() {
    return html`
      <button type="button" class="scan-button" @click=${() => this.openCamera()}>
        <svg class="scan-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
          <path d="M6 16V8a2 2 0 0 1 2-2h8M32 6h8a2 2 0 0 1 2 2v8M42 32v8a2 2 0 0 1-2 2h-8M16 42H8a2 2 0 0 1-2-2v-8" />
          <path d="M14 14h8v8h-8zM26 14h8v8h-8zM14 26h8v8h-8zM28 28h6v6h-6z" />
        </svg>
        <span>${t("scan.start")}</span>
      </button>
      <p class="scan-hint">${t("scan.hint")}</p>
    `;
  }

  private renderManualEntry() {
    return html`
      <form class="manual-entry card" @submit=${(e: Event) => void this.submitCode(e)}>
        <label class="field" for="badge-code">
          <span class="field-label">${t("scan.manual")}</span>
        </label>
        <div class="inline-field">
          <input
            id="badge-code"
            class="short-code-input"
            name="badge-code"
            autocomplete="off"
            autocapitalize="characters"
            autocorrect="off"
            spellcheck="false"
            enterkeyhint="search"
            placeholder="7KQ M2X"
            aria-describedby="badge-code-hint"
            aria-invalid=${this.manualError ? "true" : "false"}
          />
          <button type="submit" class="button secondary" ?disabled=${this.lookingUp}>${t("scan.manual.submit")}</button>
        </div>
        <span class="field-hint" id="badge-code-hint">${t("scan.manual.hint")}</span>
        ${this.lookingUp ? html`<p class="field-hint" role="status">${t("scan.code.looking")}</p>` : nothing}
        ${this.manualError ? html`<p class="field-error" role="alert">${this.manualError}</p>` : nothing}
        ${this.renderFindByName()}
      </form>
    `;
  }

  private renderIdle() {
    const event = this.store.value.me?.event;
    return html`
      <div class="scan-home">
        <header class="page-head">
          ${event ? html`<p class="eyebrow">${event.name}</p>` : nothing}
          <h1 tabindex="-1">${t("scan.title")}</h1>
        </header>
        ${this.cameraError
          ? html`<p class="notice error" role="alert">${this.cameraError}</p>${this.renderManualEntry()}${this.renderScanButton()}`
          : html`${this.renderScanButton()}${this.renderManualEntry()}`}
        <rc-find-by-name @badge-found=${(e: CustomEvent<BadgeRef>) => this.show(e.detail)}></rc-find-by-name>
        ${this.recent.length
          ? html`<section class="recent" aria-labelledby="recent-title">
              <h2 id="recent-title">${t("scan.recent")}</h2>
              <ul class="contact-list">
                ${this.recent.map((contact) => html`<li><rc-contact-row .contact=${contact}></rc-contact-row></li>`)}
              </ul>
            </section>`
          : nothing}
      </div>
    `;
  }

  protected override render() {
    return html`
      ${this.mode === "contact"
        ? html`<h1 class="visually-hidden" tabindex="-1">${t("scan.title")}</h1>
            <rc-new-contact .badge=${this.badge} @scan-again=${() => this.scanAgain()}></rc-new-contact>`
        : this.renderIdle()}
      ${this.mode === "camera"
        ? html`<rc-camera-scanner
            @badge-decoded=${(e: CustomEvent<BadgeRef>) => this.show(e.detail)}
            @scanner-failed=${(e: CustomEvent<string>) => this.cameraFailed(e.detail)}
            @type-code=${() => this.typeCode()}
            @scanner-closed=${() => (this.mode = this.badge ? "contact" : "idle")}
          ></rc-camera-scanner>`
        : nothing}
    `;
  }
}
customElements.define("page-scan", ScanPage);
