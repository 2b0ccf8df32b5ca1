// The console's own paths under /console, routed by the shared kit/router.
import { createRouter } from "../kit/router";

export type EventSection =
  | "overview"
  | "attendees"
  | "import"
  | "badges"
  | "checkin"
  | "live"
  | "report"
  | "settings"
  | "sessions";

export type ConsoleRoute =
  | { name: "login" }
  | { name: "events" }
  | { name: "new-event" }
  | { name: "account" }
  | { name: "event"; eventId: string; section: EventSection; wall: boolean }
  | { name: "not-found" };

const SECTIONS: readonly EventSection[] = ["attendees", "import", "badges", "checkin", "live", "report", "settings", "sessions"];

export function match(url: URL): ConsoleRoute {
  const path = url.pathname.replace(/\/+$/, "") || "/";
  if (path === "/console") return { name: "events" };
  if (path === "/console/login") return { name: "login" };
  if (path === "/console/account") return { name: "account" };
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

/**
 * Links under /console stay in the page, without their hash: the skip link
 * (`#main`) re-announces the current page, whose heading then takes the focus.
 */
function linkPath(url: URL): string | null {
  return url.pathname.startsWith("/console") ? url.pathname + url.search : null;
}

export const { currentRoute, onRouteChange, navigate, installLinkInterception } = createRouter({ match, linkPath });
