import { html, nothing } from "lit";

import { parseBadge, type BadgeRef } from "../../kit/scanner/badge";
import { t } from "../i18n";
import type { QrDetector } from "../../kit/scanner/decoder";
import { LightElement } from "../../kit/light-element";
import "./camera-scanner.css";

const SCAN_INTERVAL_MS = 120;
/** Without a decode for this long, the viewfinder offers help: closer, more light, or type the code. */
export const HELP_AFTER_MS = 5000;

/** The torch, on cameras that have one (Chrome on Android; not in lib.dom's types yet). */
interface TorchCapabilities extends MediaTrackCapabilities {
  torch?: boolean;
}

/** Why the camera could not be used, in words for the person holding the phone. */
export function cameraFailure(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : "";
  switch (name) {
    case "NotAllowedError":
    case "PermissionDeniedError":
      return t("scan.camera.denied");
    case "NotFoundError":
    case "DevicesNotFoundError":
    case "OverconstrainedError":
      return t("scan.camera.missing");
    case "NotReadableError":
    case "TrackStartError":
    case "AbortError":
      return t("scan.camera.busy");
    case "SecurityError":
      return t("scan.camera.insecure");
    default:
      return t("scan.camera.failed", { reason: name || String(error) });
  }
}

/**
 * The full-screen viewfinder. Emits `badge-decoded` (BadgeRef) once, then
 * stops; `scanner-failed` (a sentence) when the camera or decoder cannot run;
 * `scanner-closed` when the person closes it.
 */
export class CameraScanner extends LightElement {
  static override properties = {
    status: { state: true },
    hint: { state: true },
    help: { state: true },
    torch: { state: true },
  };

  status: "starting" | "looking" = "starting";
  hint = "";
  /** Shown after HELP_AFTER_MS without a decode. */
  help = false;
  /** null: this camera has no torch (no button); otherwise whether it is lit. */
  torch: boolean | null = null;
  private stream: MediaStream | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private helpTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly onKey = (event: KeyboardEvent) => {
    if (event.key === "Escape") this.close();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener("keydown", this.onKey);
    document.body.classList.add("scanner-open");
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener("keydown", this.onKey);
    document.body.classList.remove("scanner-open");
    this.stop();
  }

  private async start(): Promise<void> {
    if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      this.fail(window.isSecureContext ? t("scan.camera.missing") : t("scan.camera.insecure"));
      return;
    }
    // Load the decoder while the camera opens.
    const detectorLoading = import("../../kit/scanner/decoder").then((module) => module.createQrDetector());
    detectorLoading.catch(() => undefined);
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        // A preference, never `exact`: front-only devices (and test cameras) must still work.
        video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
      });
    } catch (error) {
      this.fail(cameraFailure(error));
      return;
    }
    if (this.stopped) return this.stop();
    await this.updateComplete;
    const video = this.querySelector("video");
    if (!video) return;
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
      this.fail(t("scan.decoder.failed", { reason: error instanceof Error ? error.message : String(error) }));
      return;
    }
    this.status = "looking";
    this.offerTorch();
    this.helpTimer = setTimeout(() => (this.help = true), HELP_AFTER_MS);
    this.loop(video, detector);
  }

  private loop(video: HTMLVideoElement, detector: QrDetector): void {
    const tick = async () => {
      if (this.stopped) return;
      if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
        try {
          for (const code of await detector.detect(video)) {
            const badge = parseBadge(code.rawValue);
            if (badge) return this.found(badge);
            this.hint = t("scan.invalid");
          }
        } catch {
          // A frame that could not be read: try the next one.
        }
      }
      this.timer = setTimeout(() => void tick(), SCAN_INTERVAL_MS);
    };
    void tick();
  }

  private offerTorch(): void {
    const track = this.stream?.getVideoTracks()[0];
    const capabilities = track?.getCapabilities?.() as TorchCapabilities | undefined;
    this.torch = capabilities?.torch ? false : null;
  }

  private async toggleTorch(): Promise<void> {
    const track = this.stream?.getVideoTracks()[0];
    if (!track || this.torch === null) return;
    const on = !this.torch;
    try {
      await track.applyConstraints({ advanced: [{ torch: on } as MediaTrackConstraintSet] });
      this.torch = on;
    } catch {
      // Some cameras list a torch they cannot light while streaming: no button then.
      this.torch = null;
    }
  }

  private typeCode(): void {
    this.stop();
    this.emit("type-code");
  }

  private found(badge: BadgeRef): void {
    navigator.vibrate?.(80);
    this.stop();
    this.emit("badge-decoded", badge);
  }

  private fail(reason: string): void {
    this.stop();
    this.emit("scanner-failed", reason);
  }

  private close(): void {
    this.stop();
    this.emit("scanner-closed");
  }

  private stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.helpTimer !== null) clearTimeout(this.helpTimer);
    this.timer = null;
    this.helpTimer = null;
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = null;
  }

  protected override render() {
    return html`
      <div class="scanner" role="dialog" aria-modal="true" aria-label=${t("scan.title")}>
        <video class="scanner-video" muted playsinline autoplay></video>
        <div class="scanner-frame" aria-hidden="true"></div>
        ${this.torch !== null
          ? html`<button
              type="button"
              class="scanner-torch button"
              aria-pressed=${this.torch ? "true" : "false"}
              @click=${() => void this.toggleTorch()}
            >
              <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M7 2h10l-2 6v13a1 1 0 0 1-1 1h-4a1 1 0 0 1-1-1V8z" /></svg>
              ${this.torch ? t("scan.torch.off") : t("scan.torch.on")}
            </button>`
          : nothing}
        <p class="scanner-status" role="status">
          ${this.status === "starting" ? t("scan.starting") : t("scan.looking")}
          ${this.hint ? html`<br /><strong>${this.hint}</strong>` : nothing}
        </p>
        ${this.help
          ? html`<div class="scanner-help" role="status">
              <p class="scanner-help-title">${t("scan.help.title")}</p>
              <ul>
                <li>${t("scan.help.closer")}</li>
                <li>${t("scan.help.light")}</li>
              </ul>
              <button type="button" class="button scanner-type" @click=${() => this.typeCode()}>${t("scan.help.type")}</button>
            </div>`
          : nothing}
        <button type="button" class="scanner-close button" @click=${() => this.close()}>${t("scan.stop")}</button>
      </div>
    `;
  }
}
customElements.define("rc-camera-scanner", CameraScanner);
