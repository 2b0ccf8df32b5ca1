// The PWA's own paths, routed by the shared kit/router. /api and /console are
// never handled here: they belong to the server and to the console page.
import { createRouter } from "../kit/router";

export type Route =
  | { name: "home" }
  | { name: "join" }
  | { name: "profile"; welcome: boolean }
  | { name: "badge" }
  | { name: "scanned"; token: string }
  | { name: "contacts" }
  | { name: "contact"; id: string }
  | { name: "scanned-by" }
  | { name: "not-found" }
  // Retention (issue 19)
  | { name: "my-data" }
  // Who-to-meet
  | { name: "people" }
  | { name: "suggestions" }
  // Formats (issue 20)
  | { name: "sessions" };

export function match(url: URL): Route {
  const path = url.pathname.replace(/\/+$/, "") || "/";
  if (path === "/" || path === "/scan") return { name: "home" };
  if (path === "/join") return { name: "join" };
  if (path === "/profile") return { name: "profile", welcome: url.searchParams.has("welcome") };
  if (path === "/me") return { name: "badge" };
  if (path === "/contacts") return { name: "contacts" };
  if (path === "/my-data") return { name: "my-data" };
  if (path === "/scanned-by") return { name: "scanned-by" };
  if (path === "/people") return { name: "people" };
  if (path === "/for-you") return { name: "suggestions" };
  if (path === "/sessions") return { name: "sessions" };
  let found = /^\/contacts\/([^/]+)$/.exec(path);
  if (found?.[1]) return { name: "contact", id: decodeURIComponent(found[1]) };
  found = /^\/b\/([^/]+)$/.exec(path);
  if (found?.[1]) return { name: "scanned", token: decodeURIComponent(found[1]) };
  return { name: "not-found" };
}

/** Links to the PWA's own pages stay in the page; the API, the console and files (a dot in the name) do not. */
function linkPath(url: URL): string | null {
  const owned =
    !url.pathname.startsWith("/api") && !url.pathname.startsWith("/console") && !/\.[a-z0-9]+$/i.test(url.pathname);
  return owned ? url.pathname + url.search + url.hash : null;
}

export const { currentRoute, onRouteChange, navigate, installLinkInterception } = createRouter({ match, linkPath });
