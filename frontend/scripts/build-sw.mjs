// Builds src/sw/sw.ts into dist/sw.js (one classic script, scope /) and lets
// Workbox inject the precache list: exactly what the PWA can load — the
// index.html entry and every chunk, stylesheet and asset reachable from it
// (the lazy decoder and its .wasm included), the manifest and the icons. The
// console's files are left out: attendees' phones do not need them.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { build } from "vite";
import { injectManifest } from "workbox-build";

const root = resolve(import.meta.dirname, "..");
const dist = resolve(root, "dist");
const work = resolve(root, ".sw-build");
const viteManifestPath = resolve(dist, ".vite/manifest.json");

function reachableFrom(manifest, key, files = new Set(), seen = new Set()) {
  if (seen.has(key)) return files;
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) throw new Error(`build-sw: ${key} is not in the Vite manifest`);
  files.add(chunk.file);
  for (const file of [...(chunk.css ?? []), ...(chunk.assets ?? [])]) files.add(file);
  for (const next of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) reachableFrom(manifest, next, files, seen);
  return files;
}

if (!existsSync(viteManifestPath)) throw new Error("build-sw: run `vite build` first");
const viteManifest = JSON.parse(readFileSync(viteManifestPath, "utf8"));
const wanted = reachableFrom(viteManifest, "index.html");
wanted.add("index.html");
const webManifest = JSON.parse(readFileSync(resolve(dist, "manifest.webmanifest"), "utf8"));
wanted.add("manifest.webmanifest");
// The manifest in the attendee's language (the page links the one it speaks).
wanted.add("manifest.fr.webmanifest");
wanted.add("manifest.en.webmanifest");
for (const icon of webManifest.icons) wanted.add(icon.src.replace(/^\//, ""));
wanted.add("icons/favicon.svg");
wanted.add("icons/apple-touch-icon.png");
if (![...wanted].some((file) => file.endsWith(".wasm"))) {
  throw new Error("build-sw: the QR decoder's .wasm is not reachable from index.html; it would not work offline");
}

await build({
  configFile: false,
  root,
  logLevel: "warn",
  publicDir: false,
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  build: {
    outDir: work,
    emptyOutDir: true,
    target: "es2022",
    minify: true,
    copyPublicDir: false,
    lib: { entry: resolve(root, "src/sw/sw.ts"), formats: ["iife"], name: "rencontreServiceWorker", fileName: () => "sw.js" },
  },
});

const { count, size, warnings } = await injectManifest({
  swSrc: resolve(work, "sw.js"),
  swDest: resolve(dist, "sw.js"),
  globDirectory: dist,
  globPatterns: ["**/*"],
  globIgnores: ["sw.js", ".vite/**"],
  // Hashed file names need no revision; index.html and the public files get one.
  dontCacheBustURLsMatching: /^assets\//,
  maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
  manifestTransforms: [
    (entries) => {
      const kept = entries.filter((entry) => wanted.has(entry.url));
      const missing = [...wanted].filter((file) => !kept.some((entry) => entry.url === file));
      if (missing.length) throw new Error(`build-sw: missing from dist: ${missing.join(", ")}`);
      return { manifest: kept.map((entry) => ({ ...entry, url: `/${entry.url}` })), warnings: [] };
    },
  ],
});
for (const warning of warnings) console.warn(`build-sw: ${warning}`);
rmSync(work, { recursive: true, force: true });
rmSync(resolve(dist, ".vite"), { recursive: true, force: true });
console.log(`build-sw: dist/sw.js precaches ${count} files, ${(size / 1024).toFixed(0)} KiB`);
