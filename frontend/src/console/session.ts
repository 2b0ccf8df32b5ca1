// The organiser's token lives in sessionStorage: it leaves with the tab, so a
// shared laptop at the welcome desk does not stay signed in.
import type { Organiser } from "./types";

const TOKEN_KEY = "rencontre.console.token";
const ORGANISER_KEY = "rencontre.console.organiser";

export interface ConsoleSession {
  token: string;
  organiser: Organiser;
}

export function loadSession(): ConsoleSession | null {
  try {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const organiser = sessionStorage.getItem(ORGANISER_KEY);
    if (!token || !organiser) return null;
    return { token, organiser: JSON.parse(organiser) as Organiser };
  } catch {
    return null;
  }
}

export function saveSession(session: ConsoleSession): void {
  sessionStorage.setItem(TOKEN_KEY, session.token);
  sessionStorage.setItem(ORGANISER_KEY, JSON.stringify(session.organiser));
}

export function clearSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(ORGANISER_KEY);
}
