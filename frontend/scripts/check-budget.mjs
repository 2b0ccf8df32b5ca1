// Fails (exit 1) when the JavaScript and CSS that the attendee's first screen
// loads — index.html's scripts and stylesheets and everything they import
// statically — weigh more than the budget, gzipped. Lazy chunks (other
// screens, the QR decoder) and the .wasm are outside the budget by design.
// Usage: node scripts/check-budget.mjs [dist] [budget in KiB, default 100]
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const dist = resolve(process.argv[2] ?? resolve(import.meta.dirname, "../dist"));
const budgetKiB = Number(process.argv[3] ?? 100);

const indexHtml = join(dist, "index.html");
if (!existsSync(indexHtml)) {
  console.error(`check-budget: ${indexHtml} not found; run \`npm run build\` first`);
  process.exit(2);
}

const html = readFileSync(indexHtml, "utf8");
const queue = [];
for (const [, src] of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) queue.push(src);
for (const [tag] of html.matchAll(/<link\b[^>]*>/g)) {
  const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
  if (href && /\brel="(?:stylesheet|modulepreload)"/.test(tag)) queue.push(href);
}

const STATIC_IMPORT = /\bimport\s*(?:[^"'();]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g;
const files = new Map();
while (queue.length) {
  const url = queue.shift();
  if (/^(?:[a-z]+:)?\/\//i.test(url)) {
    console.error(`check-budget: the first screen loads ${url} from another origin; everything must be served by the app`);
    process.exit(1);
  }
  const path = join(dist, url.replace(/^\//, ""));
  if (files.has(path)) continue;
  const body = readFileSync(path);
  files.set(path, gzipSync(body, { level: 9 }).length);
  if (path.endsWith(".js")) {
    for (const [, rel] of body.toString("utf8").matchAll(STATIC_IMPORT)) {
      queue.push("/" + join(dirname(url.replace(/^\//, "")), rel));
    }
  }
}

let total = 0;
for (const [path, size] of files) {
  total += size;
  console.log(`${(size / 1024).toFixed(1).padStart(8)} KiB  ${path.slice(dist.length + 1)}`);
}
const verdict = total <= budgetKiB * 1024;
console.log(`${(total / 1024).toFixed(1).padStart(8)} KiB  first screen, gzipped (budget ${budgetKiB} KiB): ${verdict ? "ok" : "OVER BUDGET"}`);

const sw = join(dist, "sw.js");
if (!existsSync(sw) || !/zxing_reader-[\w-]+\.wasm/.test(readFileSync(sw, "utf8"))) {
  console.error("check-budget: dist/sw.js is missing or does not precache the QR decoder's .wasm");
  process.exit(1);
}
process.exit(verdict ? 0 : 1);
