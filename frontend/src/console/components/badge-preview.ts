import { html } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import "./badge-preview.css";
import { api } from "../context";
import { errorMessage } from "../errors";
import { t } from "../i18n";
import { LightElement } from "../../kit/light-element";

/** One badge as the printer will get it (badge.svg needs the bearer token, so it comes as a Blob). */
@customElement("rc-badge-preview")
export class BadgePreview extends LightElement {
  @property() eventId = "";
  @property() attendeeId = "";
  @property() name = "";
  @property({ type: Number }) version = 0;
  @state() private url = "";
  @state() private error = "";
  private loaded = "";

  override updated(): void {
    const key = `${this.eventId}/${this.attendeeId}/${this.version}`;
    if (!this.eventId || !this.attendeeId || key === this.loaded) return;
    this.loaded = key;
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.url) URL.revokeObjectURL(this.url);
  }

  private async load(): Promise<void> {
    try {
      const { blob } = await api.download(api.badgeSvgPath(this.eventId, this.attendeeId));
      if (this.url) URL.revokeObjectURL(this.url);
      this.url = URL.createObjectURL(blob);
      this.error = "";
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  protected override render() {
    if (this.error) return html`<p class="muted">${t("badge.preview.unavailable")} ${this.error}</p>`;
    if (!this.url) return html`<div class="badge-preview badge-preview--loading" role="status">${t("common.loading")}</div>`;
    return html`<img class="badge-preview" src=${this.url} alt=${t("badge.preview.alt", { name: this.name })} />`;
  }
}
