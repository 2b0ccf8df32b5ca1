// The console's own paths under /console, with the History API.

export type EventSection = "overview" | "attendees" | "import" | "badges" | "live" | "report" | "settings";

export type ConsoleRoute =
  | { name: "login" }
  | { name: "events" }
  | { name: "new-event" }
  | { name: "event"; eventId: string; section: EventSection; wall: boolean }
  | { name: "not-found" };

const SECTIONS: readonly EventSection[] = ["attendees", "import", "badges", "live", "report", "settings"];

export function match(url: URL): ConsoleRoute {
  const path = url.pathname.replace(/\/+$/, "") || "/";
  if (path === "/console") return { name: "events" };
  if (path === "/console/login") return { name: "login" };
  if (path === "/console/events/new") return { name: "new-event" };
  const found = /^\/console\/events\/([0-9a-f-]{36})(?:\/([a-z]+))?$/i.exec(path);
  if (found?.[1]) {
    const section = (found[2] ?? "overview") as EventSection;
    if (section === "overview" || SECTIONS.includes(section)) {
      return { name: "event", eventId: found[1].toLowerCase(), section, wall: url.searchParams.has("wall") };
    }
  }
  return { name: "not-found" };
}

export function eventPath(eventId: string, section: EventSection = "overview"): string {
  return section === "overview" ? `/console/events/${eventId}` : `/console/events/${eventId}/${section}`;
}

const listeners = new Set<(route: ConsoleRoute) => void>();

export function currentRoute(): ConsoleRoute {
  return match(new URL(location.href));
}

export function onRouteChange(listener: (route: ConsoleRoute) => void): () => void {
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

/** Same-document navigation for plain <a href="/console/…"> links: no handlers in the markup. */
export function installLinkInterception(): void {
  window.addEventListener("popstate", announce);
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest?.("a[href]");
    if (!(anchor instanceof HTMLAnchorElement) || anchor.target || anchor.hasAttribute("download")) return;
    const url = new URL(anchor.href);
    if (url.origin !== location.origin || !url.pathname.startsWith("/console")) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
}
