import { resolve } from "node:path";
import { defineConfig } from "vite";

const root = import.meta.dirname;

// Two pages, one toolchain: the attendee PWA (index.html) and the organiser
// console (console.html). The service worker is built afterwards by
// scripts/build-sw.mjs, which reads .vite/manifest.json to precache only what
// the PWA itself can load.
export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    manifest: true,
    sourcemap: false,
    assetsInlineLimit: (file) => (file.endsWith(".wasm") ? false : undefined),
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        index: resolve(root, "index.html"),
        console: resolve(root, "console.html"),
      },
    },
  },
  server: {
    proxy: {
      "/api": { target: "http://127.0.0.1:8000", ws: true },
    },
  },
});
