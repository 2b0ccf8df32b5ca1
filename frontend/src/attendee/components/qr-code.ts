import { html, svg, nothing } from "lit";
import { encode } from "uqr";

import { LightElement } from "../../kit/light-element";

/** A QR code drawn as one SVG path: crisp at any size, no canvas, no inline style. */
export class QrCode extends LightElement {
  static override properties = {
    value: { type: String },
    label: { type: String },
  };

  value = "";
  label = "";

  protected override render() {
    if (!this.value) return nothing;
    const { data, size } = encode(this.value, { ecc: "M", border: 4 });
    let path = "";
    data.forEach((row, y) =>
      row.forEach((dark, x) => {
        if (dark) path += `M${x} ${y}h1v1h-1z`;
      }),
    );
    return html`<svg
      class="qr-code"
      viewBox="0 0 ${size} ${size}"
      role="img"
      aria-label=${this.label}
      shape-rendering="crispEdges"
    >${svg`<rect width=${size} height=${size} fill="#fff"></rect><path d=${path} fill="#000"></path>`}</svg>`;
  }
}
customElements.define("rc-qr-code", QrCode);
