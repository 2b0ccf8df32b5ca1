import { encode } from "uqr";

import "./qr-svg.css";

const SVG = "http://www.w3.org/2000/svg";

/**
 * A QR code as an SVG element built with DOM APIs: the encoded text never goes
 * through markup parsing, and one path keeps it crisp on a help-desk screen.
 */
export function qrSvg(value: string, label: string): SVGSVGElement {
  const { data, size } = encode(value, { ecc: "M", border: 4 });
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("shape-rendering", "crispEdges");
  svg.classList.add("qr");
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", String(size));
  background.setAttribute("height", String(size));
  background.setAttribute("fill", "#fff");
  let d = "";
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    }),
  );
  const modules = document.createElementNS(SVG, "path");
  modules.setAttribute("d", d);
  modules.setAttribute("fill", "#000");
  svg.append(background, modules);
  return svg;
}
