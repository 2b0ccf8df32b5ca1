import { html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import "./check-in-page.css";
import { LightElement } from "../../kit/light-element";
import { parseBadge } from "../../kit/scanner/badge";
import type { QrDetector } from "../../kit/scanner/decoder";
import { api } from "../context";
import { errorMessage } from "../errors";
import { t } from "../i18n";
import { formatTime } from "../time";
import type { Attendee, CheckIn, ConsoleEvent } from "../types";

const SCAN_INTERVAL_MS = 150;
// The same badge held in front of the camera is read many times a second: once is enough,
// until it has been out of sight this long.
const SAME_CODE_MS = 3000;
const SEARCH_DELAY_MS = 250;
const SEARCH_LIMIT = 8;

type Outcome =
  | { kind: "welcome" | "already"; name: string; time: string }
  | { kind: "refused"; reason: string };

function cameraFailure(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : "";
  switch (name) {
    case "NotAllowedError":
    case "PermissionDeniedError":
    case "SecurityError":
      return t("checkin.camera.denied");
    case "NotFoundError":
    case "DevicesNotFoundError":
    case "OverconstrainedError":
      return t("checkin.camera.missing");
    default:
      return t("checkin.camera.failed", { reason: name || String(error) });
  }
}

/**
 * Check-in at the door, made for a phone held by staff: the camera reads badge after
 * badge (each answered at once), and a search by name for whoever has no badge at hand.
 */
@customElement("rc-check-in-page")
export class CheckInPage extends LightElement {
  @property({ attribute: false }) event!: ConsoleEvent;
  @state() private camera: "off" | "starting" | "on" = "off";
  @state() private cameraError = "";
  @state() private outcome: Outcome | null = null;
  @state() private query = "";
  @state() private found: Attendee[] | null = null;
  @state() private searchError = "";
  @state() private pending = new Set<string>();
  private stream: MediaStream | null = null;
  private timer = 0;
  private lastCode = "";
  private lastCodeAt = 0;
  private searchTimer = 0;
  private searchAbort: AbortController | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopCamera();
    window.clearTimeout(this.searchTimer);
    this.searchAbort?.abort();
  }

  private async startCamera(): Promise<void> {
    this.cameraError = "";
    if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      this.cameraError = window.isSecureContext ? t("checkin.camera.missing") : t("checkin.camera.insecure");
      return;
    }
    this.camera = "starting";
    const detectorLoading = import("../../kit/scanner/decoder").then((module) => module.createQrDetector());
    detectorLoading.catch(() => undefined);
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        // A preference, never `exact`: front-only devices (and test cameras) must still work.
        video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
      });
    } catch (error) {
      this.camera = "off";
      this.cameraError = cameraFailure(error);
      return;
    }
    if (this.camera !== "starting") return this.stopCamera();
    await this.updateComplete;
    const video = this.querySelector<HTMLVideoElement>(".door-camera__video");
    if (!video) return this.stopCamera();
    video.srcObject = this.stream;
    try {
      await video.play();
    } catch {
      // Autoplay refusals resolve once the stream has frames; detection polls anyway.
    }
    let detector: QrDetector;
    try {
      detector = await detectorLoading;
    } catch (error) {
      this.stopCamera();
      this.cameraError = t("checkin.camera.failed", { reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    this.camera = "on";
    this.look(video, detector);
  }

  private look(video: HTMLVideoElement, detector: QrDetector): void {
    const tick = async (): Promise<void> => {
      if (this.camera !== "on") return;
      if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
        try {
          const [code] = await detector.detect(video);
          if (code) await this.decoded(code.rawValue);
        } catch {
          // A frame that could not be read: try the next one.
        }
      }
      if (this.camera === "on") this.timer = window.setTimeout(() => void tick(), SCAN_INTERVAL_MS);
    };
    void tick();
  }

  private async decoded(text: string): Promise<void> {
    const now = Date.now();
    const seenJustNow = text === this.lastCode && now - this.lastCodeAt < SAME_CODE_MS;
    this.lastCode = text;
    this.lastCodeAt = now;
    // A badge still in front of the camera stays read once; shown again later, it is read again.
    if (seenJustNow) return;
    const badge = parseBadge(text);
    if (!badge) {
      this.outcome = { kind: "refused", reason: t("checkin.notBadge") };
      return;
    }
    navigator.vibrate?.(80);
    await this.checkIn({ badge: badge.qr });
  }

  private stopCamera(): void {
    this.camera = "off";
    window.clearTimeout(this.timer);
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = null;
  }

  private async checkIn(by: { badge: string } | { attendee_id: string }): Promise<void> {
    const key = "badge" in by ? by.badge : by.attendee_id;
    if (this.pending.has(key)) return;
    this.pending = new Set([...this.pending, key]);
    try {
      const done = await api.checkIn(this.event.id, by);
      this.outcome = {
        kind: done.already ? "already" : "welcome",
        name: done.name,
        time: formatTime(done.arrived_at, this.event.timezone),
      };
      this.noteArrival(done);
    } catch (error) {
      this.outcome = { kind: "refused", reason: errorMessage(error) };
    } finally {
      const left = new Set(this.pending);
      left.delete(key);
      this.pending = left;
    }
  }

  private noteArrival(done: CheckIn): void {
    if (!this.found) return;
    this.found = this.found.map((person) =>
      person.id === done.attendee_id ? { ...person, arrived_at: done.arrived_at } : person,
    );
  }

  private typed(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
    window.clearTimeout(this.searchTimer);
    this.searchTimer = window.setTimeout(() => void this.search(), SEARCH_DELAY_MS);
  }

  private async search(): Promise<void> {
    this.searchAbort?.abort();
    const q = this.query.trim();
    if (!q) {
      this.found = null;
      this.searchError = "";
      return;
    }
    const abort = (this.searchAbort = new AbortController());
    try {
      const page = await api.attendees(this.event.id, { q, limit: SEARCH_LIMIT }, abort.signal);
      if (abort.signal.aborted) return;
      this.found = page.items;
      this.searchError = "";
    } catch (error) {
      if (abort.signal.aborted) return;
      this.searchError = errorMessage(error);
    }
  }

  private renderOutcome() {
    const outcome = this.outcome;
    if (!outcome) return nothing;
    const text =
      outcome.kind === "refused"
        ? t("checkin.refused", { reason: outcome.reason })
        : t(outcome.kind === "welcome" ? "checkin.welcome" : "checkin.already", { name: outcome.name, time: outcome.time });
    return html`<p class="door-outcome door-outcome--${outcome.kind}" data-outcome=${outcome.kind}>${text}</p>`;
  }

  private renderCamera() {
    if (this.camera === "off") {
      return html`<button type="button" class="button button--primary door-camera__start" @click=${() => void this.startCamera()}>
          ${t("checkin.camera.start")}
        </button>
        ${this.cameraError ? html`<p class="alert" role="alert">${this.cameraError}</p>` : nothing}`;
    }
    return html`<div class="door-camera">
      <video class="door-camera__video" muted playsinline autoplay></video>
      <div class="door-camera__frame" aria-hidden="true"></div>
      <p class="door-camera__status">${this.camera === "starting" ? t("checkin.camera.starting") : t("checkin.camera.looking")}</p>
      <button type="button" class="button door-camera__stop" @click=${() => this.stopCamera()}>${t("checkin.camera.stop")}</button>
    </div>`;
  }

  private renderMatch(person: Attendee) {
    const arrived = person.arrived_at ? formatTime(person.arrived_at, this.event.timezone) : "";
    return html`<li class="door-match">
      <span class="door-match__who">
        <span class="door-match__name" dir="auto">${person.name}</span>
        <span class="door-match__meta" dir="auto">${person.company ? html`${person.company} · ` : nothing}${arrived
            ? t("checkin.arrivedAt", { time: arrived })
            : t("checkin.notYet")}</span>
      </span>
      ${arrived
        ? nothing
        : html`<button
            type="button"
            class="button door-match__action"
            aria-label=${t("checkin.action.label", { name: person.name })}
            ?disabled=${this.pending.has(person.id)}
            @click=${() => void this.checkIn({ attendee_id: person.id })}
          >${t("checkin.action")}</button>`}
    </li>`;
  }

  protected override render() {
    const found = this.found;
    return html`
      <div class="section-head"><div>
        <h2 tabindex="-1">${t("checkin.title")}</h2>
        <p class="muted">${t("checkin.lead")}</p>
      </div></div>
      <div class="door">
        <div class="door__result" role="status" aria-live="polite">${this.renderOutcome()}</div>
        <section class="card door__camera">${this.renderCamera()}</section>
        <section class="card door__search" aria-labelledby="door-search-title">
          <h3 id="door-search-title"><label for="door-search">${t("checkin.search")}</label></h3>
          <input
            id="door-search"
            type="search"
            autocomplete="off"
            maxlength="100"
            placeholder=${t("checkin.search.placeholder")}
            .value=${this.query}
            @input=${this.typed}
          />
          ${this.searchError ? html`<p class="alert" role="alert">${this.searchError}</p>` : nothing}
          ${found === null
            ? nothing
            : found.length
              ? html`<ul class="door-matches">${found.map((person) => this.renderMatch(person))}</ul>`
              : html`<p class="muted">${t("checkin.search.none", { q: this.query.trim() })}</p>`}
        </section>
      </div>
    `;
  }
}
