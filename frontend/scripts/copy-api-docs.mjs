// Copies Swagger UI from node_modules into dist/api-docs/, so that /api/docs is
// served by the app itself: nothing is fetched from a CDN at run time.
import { copyFileSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const source = resolve(root, "node_modules/swagger-ui-dist");
const target = resolve(root, "dist/api-docs");
mkdirSync(target, { recursive: true });
for (const file of ["swagger-ui.css", "swagger-ui-bundle.js"]) {
  copyFileSync(resolve(source, file), resolve(target, file));
}
console.log("copy-api-docs: dist/api-docs/ holds Swagger UI");
