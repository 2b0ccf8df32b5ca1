// Copies the CJK faces that printed badges fall back to (Noto Sans SC for Han
// and kana, Noto Sans KR for Hangul; TrueType outlines, so the PDF writer can
// embed a subset) from node_modules into dist/fonts/badge/. The server reads
// them from there; the PWA never loads them, and the service worker does not
// precache them (they are not reachable from index.html).
import { copyFileSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const target = resolve(root, "dist/fonts/badge");
const faces = [
  ["noto-sans-sc", "NotoSansSC"],
  ["noto-sans-kr", "NotoSansKR"],
];
mkdirSync(target, { recursive: true });
for (const [pkg, family] of faces) {
  const source = resolve(root, "node_modules/@expo-google-fonts", pkg);
  for (const weight of ["400Regular", "700Bold"]) {
    const file = `${family}_${weight}.ttf`;
    copyFileSync(resolve(source, weight, file), resolve(target, file));
  }
  copyFileSync(resolve(source, "LICENSE_FONT"), resolve(target, `${family}-OFL.txt`));
}
console.log("copy-badge-fonts: dist/fonts/badge/ holds the CJK faces for badges");
