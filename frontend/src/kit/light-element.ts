import { LitElement } from "lit";

import { onLangChange } from "./lang";

/**
 * The base of both apps' elements. They render into the light DOM: one
 * stylesheet (CSS files bundled by Vite, allowed by a strict CSP), native form
 * labels, and axe sees everything. Every element re-renders when the language changes.
 */
export class LightElement extends LitElement {
  private stopLangListener: (() => void) | null = null;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.stopLangListener = onLangChange(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopLangListener?.();
    this.stopLangListener = null;
  }

  protected emit<T>(name: string, detail?: T): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}
