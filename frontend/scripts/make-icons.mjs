// Draws the app icons (PNG) without any image library: a tiny rasteriser with
// 4×4 supersampling and a PNG encoder on node:zlib. Run: npm run icons
import { writeFileSync, mkdirSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { resolve } from "node:path";

const OUT = resolve(import.meta.dirname, "../public/icons");
const TEAL = [15, 94, 85];
const WHITE = [255, 255, 255];
const AMBER = [245, 185, 66];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // no filter
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// Shapes work in unit coordinates (0..1); each returns true when a point is inside.
const ring = (cx, cy, r, width) => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  return d <= r + width / 2 && d >= r - width / 2;
};
const roundedSquare = (radius) => (x, y) => {
  const dx = Math.max(radius - x, 0, x - (1 - radius));
  const dy = Math.max(radius - y, 0, y - (1 - radius));
  return Math.hypot(dx, dy) <= radius;
};
const everywhere = () => true;

function draw(size, layers) {
  const rgba = Buffer.alloc(size * size * 4);
  const S = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const x = (px + (sx + 0.5) / S) / size;
          const y = (py + (sy + 0.5) / S) / size;
          let colour = null;
          for (const [shape, fill] of layers) if (shape(x, y)) colour = fill;
          if (colour) {
            r += colour[0]; g += colour[1]; b += colour[2]; a += 1;
          }
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        rgba[i] = Math.round(r / a);
        rgba[i + 1] = Math.round(g / a);
        rgba[i + 2] = Math.round(b / a);
      }
      rgba[i + 3] = Math.round((a / (S * S)) * 255);
    }
  }
  return encodePng(size, rgba);
}

// Two rings that overlap: two people meeting. `scale` keeps the glyph inside
// the maskable safe zone (a centred circle of 80 % of the size).
function glyph(scale) {
  const r = 0.17 * scale;
  const w = 0.06 * scale;
  const off = 0.1 * scale;
  return [
    [ring(0.5 - off, 0.5, r, w), WHITE],
    [ring(0.5 + off, 0.5, r, w), AMBER],
  ];
}

mkdirSync(OUT, { recursive: true });
const icons = [
  ["icon-maskable-192.png", 192, [[everywhere, TEAL], ...glyph(1)]],
  ["icon-maskable-512.png", 512, [[everywhere, TEAL], ...glyph(1)]],
  ["icon-192.png", 192, [[roundedSquare(0.22), TEAL], ...glyph(1.35)]],
  ["icon-512.png", 512, [[roundedSquare(0.22), TEAL], ...glyph(1.35)]],
  ["apple-touch-icon.png", 180, [[everywhere, TEAL], ...glyph(1.2)]],
];
for (const [name, size, layers] of icons) {
  writeFileSync(resolve(OUT, name), draw(size, layers));
  console.log(`wrote public/icons/${name}`);
}

const rgb = (c) => `rgb(${c.join(",")})`;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
<rect width="100" height="100" rx="22" fill="${rgb(TEAL)}"/>
<g fill="none" stroke-width="8.1">
<circle cx="36.5" cy="50" r="23" stroke="${rgb(WHITE)}"/>
<circle cx="63.5" cy="50" r="23" stroke="${rgb(AMBER)}"/>
</g>
</svg>
`;
writeFileSync(resolve(OUT, "favicon.svg"), svg);
console.log("wrote public/icons/favicon.svg");
