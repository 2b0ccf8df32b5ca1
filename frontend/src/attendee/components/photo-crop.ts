// The crop step of a profile photo: the picture in a square, dragged and zoomed until the
// face sits in the circle, then drawn at 512 px and handed over as a JPEG. Everything
// happens on the phone: a photo of several megabytes leaves it as about 60 KB.
import { html, nothing } from "lit";

import { LightElement } from "../../kit/light-element";
import { t } from "../i18n";
import "./photo-crop.css";

/** What the phone sends: the server keeps it at 512, 256 and 96 px. */
export const CROPPED_SIDE = 512;
const MAX_ZOOM = 4;
const KEY_STEP = 12;

interface Placement {
  /** Where the picture's top-left corner is, in viewport pixels (never inside the square). */
  x: number;
  y: number;
  /** Viewport pixels per picture pixel. */
  scale: number;
}

async function decode(file: Blob): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(file);
  const image = new Image();
  image.src = url;
  try {
    await image.decode();
    return image;
  } finally {
    URL.revokeObjectURL(url);
  }
}

export class PhotoCrop extends LightElement {
  static override properties = {
    file: { attribute: false },
    zoom: { state: true },
    failed: { state: true },
  };

  file: Blob | null = null;
  zoom = 1;
  failed = false;
  private image: HTMLImageElement | null = null;
  private place: Placement = { x: 0, y: 0, scale: 1 };
  private side = 0;
  private readonly pointers = new Map<number, { x: number; y: number }>();
  private pinchFrom: { distance: number; zoom: number } | null = null;

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has("file") && this.file) void this.load(this.file);
  }

  private async load(file: Blob): Promise<void> {
    this.image = null;
    this.side = 0;
    try {
      const image = await decode(file);
      if (file !== this.file) return;
      this.image = image;
      this.zoom = 1;
      this.failed = false;
    } catch {
      this.failed = true;
      this.emit("crop-unreadable");
    }
    this.requestUpdate();
  }

  override firstUpdated(): void {
    this.querySelector<HTMLElement>(".crop-title")?.focus();
  }

  private get canvas(): HTMLCanvasElement | null {
    return this.querySelector("canvas.crop-view");
  }

  private coverScale(): number {
    const image = this.image!;
    return Math.max(this.side / image.naturalWidth, this.side / image.naturalHeight);
  }

  /** The whole square covered, the picture centred, at the current zoom. */
  private fit(): void {
    const canvas = this.canvas;
    if (!canvas || !this.image) return;
    this.side = canvas.clientWidth || 280;
    const scale = this.coverScale() * this.zoom;
    this.place = {
      scale,
      x: (this.side - this.image.naturalWidth * scale) / 2,
      y: (this.side - this.image.naturalHeight * scale) / 2,
    };
    this.draw();
  }

  private clamp(place: Placement): Placement {
    const image = this.image!;
    const width = image.naturalWidth * place.scale;
    const height = image.naturalHeight * place.scale;
    return {
      scale: place.scale,
      x: Math.min(0, Math.max(this.side - width, place.x)),
      y: Math.min(0, Math.max(this.side - height, place.y)),
    };
  }

  private moveBy(dx: number, dy: number): void {
    this.place = this.clamp({ ...this.place, x: this.place.x + dx, y: this.place.y + dy });
    this.draw();
  }

  /** Zoom about the square's centre: what is in the middle stays there. */
  private setZoom(zoom: number): void {
    if (!this.image) return;
    this.zoom = Math.min(MAX_ZOOM, Math.max(1, zoom));
    const scale = this.coverScale() * this.zoom;
    const centreX = (this.side / 2 - this.place.x) / this.place.scale;
    const centreY = (this.side / 2 - this.place.y) / this.place.scale;
    this.place = this.clamp({ scale, x: this.side / 2 - centreX * scale, y: this.side / 2 - centreY * scale });
    this.draw();
  }

  private draw(): void {
    const canvas = this.canvas;
    const image = this.image;
    if (!canvas || !image) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(this.side * ratio);
    canvas.height = Math.round(this.side * ratio);
    const context = canvas.getContext("2d");
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.imageSmoothingQuality = "high";
    const { x, y, scale } = this.place;
    context.drawImage(image, x, y, image.naturalWidth * scale, image.naturalHeight * scale);
  }

  private pointerDown(event: PointerEvent): void {
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    this.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (this.pointers.size === 2) this.pinchFrom = { distance: this.spread(), zoom: this.zoom };
  }

  private pointerMove(event: PointerEvent): void {
    const last = this.pointers.get(event.pointerId);
    if (!last) return;
    this.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (this.pointers.size === 2 && this.pinchFrom) {
      this.setZoom((this.pinchFrom.zoom * this.spread()) / this.pinchFrom.distance);
    } else if (this.pointers.size === 1) {
      this.moveBy(event.clientX - last.x, event.clientY - last.y);
    }
  }

  private pointerUp(event: PointerEvent): void {
    this.pointers.delete(event.pointerId);
    if (this.pointers.size < 2) this.pinchFrom = null;
  }

  private spread(): number {
    const [a, b] = [...this.pointers.values()];
    return Math.max(1, Math.hypot(a!.x - b!.x, a!.y - b!.y));
  }

  private key(event: KeyboardEvent): void {
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [KEY_STEP, 0],
      ArrowRight: [-KEY_STEP, 0],
      ArrowUp: [0, KEY_STEP],
      ArrowDown: [0, -KEY_STEP],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      this.moveBy(...move);
    } else if (event.key === "+" || event.key === "=") {
      this.setZoom(this.zoom + 0.25);
    } else if (event.key === "-") {
      this.setZoom(this.zoom - 0.25);
    }
  }

  /** The square as the phone sends it: CROPPED_SIDE pixels a side, JPEG. */
  async cropped(): Promise<Blob> {
    const image = this.image!;
    const { x, y, scale } = this.place;
    const out = document.createElement("canvas");
    out.width = CROPPED_SIDE;
    out.height = CROPPED_SIDE;
    const context = out.getContext("2d")!;
    context.imageSmoothingQuality = "high";
    context.fillStyle = "#fff";
    context.fillRect(0, 0, CROPPED_SIDE, CROPPED_SIDE);
    const side = this.side / scale;
    context.drawImage(image, -x / scale, -y / scale, side, side, 0, 0, CROPPED_SIDE, CROPPED_SIDE);
    return new Promise((resolve, reject) =>
      out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("no JPEG encoder"))), "image/jpeg", 0.88),
    );
  }

  private async use(): Promise<void> {
    if (!this.image) return;
    this.emit("crop-done", await this.cropped());
  }

  protected override updated(): void {
    if (this.image && !this.side) this.fit();
  }

  protected override render() {
    return html`
      <section class="photo-crop card" aria-labelledby="crop-title">
        <h2 class="crop-title" id="crop-title" tabindex="-1">${t("profile.crop.title")}</h2>
        <p class="field-hint" id="crop-hint">${t("profile.crop.hint")}</p>
        <div class="crop-frame">
          <canvas
            class="crop-view"
            tabindex="0"
            role="img"
            aria-label=${t("profile.crop.title")}
            aria-describedby="crop-hint"
            @pointerdown=${(e: PointerEvent) => this.pointerDown(e)}
            @pointermove=${(e: PointerEvent) => this.pointerMove(e)}
            @pointerup=${(e: PointerEvent) => this.pointerUp(e)}
            @pointercancel=${(e: PointerEvent) => this.pointerUp(e)}
            @wheel=${(e: WheelEvent) => {
              e.preventDefault();
              this.setZoom(this.zoom * (e.deltaY < 0 ? 1.1 : 1 / 1.1));
            }}
            @keydown=${(e: KeyboardEvent) => this.key(e)}
          ></canvas>
          <span class="crop-ring" aria-hidden="true"></span>
        </div>
        <label class="crop-zoom">
          <span>${t("profile.crop.zoom")}</span>
          <input
            type="range"
            min="1"
            max=${MAX_ZOOM}
            step="0.05"
            .value=${String(this.zoom)}
            @input=${(e: Event) => this.setZoom(Number((e.target as HTMLInputElement).value))}
          />
        </label>
        ${this.failed ? html`<p class="notice error" role="alert">${t("profile.photo.unreadable")}</p>` : nothing}
        <div class="crop-actions">
          <button type="button" class="button ghost" @click=${() => this.emit("crop-cancel")}>${t("profile.crop.cancel")}</button>
          <button type="button" class="button primary" ?disabled=${!this.image} @click=${() => void this.use()}>
            ${t("profile.crop.use")}
          </button>
        </div>
      </section>
    `;
  }
}
customElements.define("rc-photo-crop", PhotoCrop);
