// A small History API router for the PWA's own paths. /api and /console are
// never handled here: they belong to the server and to the console page.

export type Route =
  | { name: "home" }
  | { name: "join" }
  | { name: "profile"; welcome: boolean }
  | { name: "badge" }
  | { name: "scanned"; token: string }
  | { name: "contacts" }
  | { name: "contact"; id: string }
  | { name: "not-found" };

export function match(url: URL): Route {
  const path = url.pathname.replace(/\/+$/, "") || "/";
  if (path === "/" || path === "/scan") return { name: "home" };
  if (path === "/join") return { name: "join" };
  if (path === "/profile") return { name: "profile", welcome: url.searchParams.has("welcome") };
  if (path === "/me") return { name: "badge" };
  if (path === "/contacts") return { name: "contacts" };
  let found = /^\/contacts\/([^/]+)$/.exec(path);
  if (found?.[1]) return { name: "contact", id: decodeURIComponent(found[1]) };
  found = /^\/b\/([^/]+)$/.exec(path);
  if (found?.[1]) return { name: "scanned", token: decodeURIComponent(found[1]) };
  return { name: "not-found" };
}

const listeners = new Set<(route: Route) => void>();

export function currentRoute(): Route {
  return match(new URL(location.href));
}

export function onRouteChange(listener: (route: Route) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  announce();
}

function announce(): void {
  const route = currentRoute();
  for (const listener of listeners) listener(route);
}

function ownsPath(url: URL): boolean {
  return (
    url.origin === location.origin &&
    !url.pathname.startsWith("/api") &&
    !url.pathname.startsWith("/console") &&
    !/\.[a-z0-9]+$/i.test(url.pathname)
  );
}

export function installLinkInterception(): void {
  window.addEventListener("popstate", announce);
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
    if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
    const url = new URL(anchor.href, location.href);
    if (!ownsPath(url)) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
}
