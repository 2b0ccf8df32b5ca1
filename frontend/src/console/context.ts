// The console's shared state: who is signed in, the API client, and which
// attendees are selected for badge printing (per event, for this tab).
import { ConsoleApi, NetworkError } from "./api";
import { navigate } from "./routes";
import { clearSession, loadSession, onStoredSessionChange, saveSession, type ConsoleSession } from "./session";

let session: ConsoleSession | null = loadSession();
const sessionListeners = new Set<() => void>();
let expired = false;

export const api = new ConsoleApi({
  token: () => session?.token ?? null,
  onUnauthorized: () => {
    expired = true;
    signOut();
  },
});

// Every tab and window follows the one that signed in or out last.
onStoredSessionChange((stored) => {
  if (stored) {
    session = stored;
    expired = false;
    for (const listener of sessionListeners) listener();
  } else if (session) {
    signOut();
  }
});

export function currentSession(): ConsoleSession | null {
  return session;
}

export function signIn(next: ConsoleSession): void {
  session = next;
  expired = false;
  saveSession(next);
  for (const listener of sessionListeners) listener();
}

export function signOut(): void {
  session = null;
  clearSession();
  selections.clear();
  for (const listener of sessionListeners) listener();
  navigate("/console/login", { replace: true });
}

/**
 * The "Log out" button: the server revokes the tokens first, so a copied token or another
 * tab stops working too; unreachable, this tab forgets its token all the same.
 */
export async function logOut(): Promise<boolean> {
  let revoked = true;
  try {
    await api.logout();
  } catch (error) {
    // Any answer from the server (a 401: already revoked) means the token is dead there too.
    if (error instanceof NetworkError) revoked = false;
  }
  if (session) signOut();
  return revoked;
}

/** True once, after the server refused the token: the login page says why. */
export function takeExpired(): boolean {
  const was = expired;
  expired = false;
  return was;
}

export function onSessionChange(listener: () => void): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

const selections = new Map<string, Map<string, string>>();

/** Attendees picked on the attendee list (id → name), kept while moving between screens. */
export function selection(eventId: string): Map<string, string> {
  let picked = selections.get(eventId);
  if (!picked) {
    picked = new Map();
    selections.set(eventId, picked);
  }
  return picked;
}
