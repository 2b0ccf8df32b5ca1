import { resolve } from "node:path";
import { defineConfig, type Plugin } from "vite";

const root = import.meta.dirname;
const apiPort = process.env["RENCONTRE_API_PORT"] ?? "8000";

// In `make dev`, /console and its routes are the console's page, as the API serves
// them in production; everything else falls back to the PWA's index.html.
function consoleRoutes(): Plugin {
  return {
    name: "rencontre-console-routes",
    configureServer(server) {
      server.middlewares.use((request, _response, next) => {
        const path = request.url?.split("?")[0] ?? "";
        if (path === "/console" || (path.startsWith("/console/") && !path.includes("."))) {
          request.url = "/console.html";
        }
        next();
      });
    },
  };
}

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
  plugins: [consoleRoutes()],
  server: {
    proxy: {
      "/api": { target: `http://127.0.0.1:${apiPort}`, ws: true },
    },
  },
});
