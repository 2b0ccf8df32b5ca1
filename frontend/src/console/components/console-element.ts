import { LitElement } from "lit";

import { onLangChange } from "../i18n";

/**
 * Console elements render into the light DOM: one bundled stylesheet (a strict
 * CSP allows it), native labels, and axe sees everything. They re-render when
 * the language changes.
 */
export class ConsoleElement extends LitElement {
  private stopListening: (() => void) | null = null;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.stopListening = onLangChange(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopListening?.();
    this.stopListening = null;
  }

  protected emit<T>(name: string, detail?: T): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}
