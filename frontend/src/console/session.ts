// The organiser's token lives in localStorage: one sign-in serves every tab and window
// of this browser (the wall screen opens in a second window already signed in), and
// signing out in one ends it in all of them at once, through the `storage` event. The
// token's own lifetime bounds a session left open on a shared laptop, and "Log out"
// revokes it on the server for every browser.
import type { Organiser } from "./types";

const TOKEN_KEY = "rencontre.console.token";
const ORGANISER_KEY = "rencontre.console.organiser";

export interface ConsoleSession {
  token: string;
  organiser: Organiser;
}

export function loadSession(): ConsoleSession | null {
  try {
    const token = localStorage.getItem(TOKEN_KEY);
    const organiser = localStorage.getItem(ORGANISER_KEY);
    if (!token || !organiser) return null;
    return { token, organiser: JSON.parse(organiser) as Organiser };
  } catch {
    return null;
  }
}

export function saveSession(session: ConsoleSession): void {
  // The organiser first: another window reacts to the token, and must find both.
  localStorage.setItem(ORGANISER_KEY, JSON.stringify(session.organiser));
  localStorage.setItem(TOKEN_KEY, session.token);
}

export function clearSession(): void {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(ORGANISER_KEY);
}

/** Another tab or window of this browser signed in, changed the password or signed out. */
export function onStoredSessionChange(listener: (session: ConsoleSession | null) => void): void {
  window.addEventListener("storage", (event) => {
    if (event.key === TOKEN_KEY || event.key === null) listener(loadSession());
  });
}
