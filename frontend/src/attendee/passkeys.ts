// Passkeys that lock the attendee's notes. Registering one, or presenting it, answers a
// fresh access token that may read the notes: it replaces the session's token, and the
// contacts are loaded again with their notes.
import {
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/browser";
import type { ReactiveController, ReactiveControllerHost } from "lit";

import { ApiError } from "../kit/api/errors";
import type { PasskeySession, PasskeyStatus } from "../api/types";
import { t, problemText } from "./i18n";
import { setValue } from "./offline/db";
import { api, getState, refreshContacts, setState } from "./state";

type Listener = (status: PasskeyStatus | null) => void;

let current: PasskeyStatus | null = null;
const listeners = new Set<Listener>();

export function passkeyStatus(): PasskeyStatus | null {
  return current;
}

/** Called with every new status (and at once with the current one); returns the unsubscribe. */
export function onPasskeyStatus(listener: Listener): () => void {
  listeners.add(listener);
  listener(current);
  return () => listeners.delete(listener);
}

function publish(status: PasskeyStatus | null): void {
  current = status;
  for (const listener of listeners) listener(status);
}

/**
 * The passkey status for an element while it is on the page: asked of the server
 * when the element connects, followed until it leaves, and re-rendering it on each change.
 */
export class PasskeyStatusController implements ReactiveController {
  status: PasskeyStatus | null = null;
  private stop: (() => void) | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.stop = onPasskeyStatus((status) => {
      this.status = status;
      this.host.requestUpdate();
    });
    void refreshPasskeys();
  }

  hostDisconnected(): void {
    this.stop?.();
    this.stop = null;
  }
}

export async function refreshPasskeys(): Promise<PasskeyStatus | null> {
  if (!getState().session) return null;
  try {
    publish(await api.passkeys());
  } catch {
    // Offline: the last known status stays.
  }
  return current;
}

async function adopt(unlocked: PasskeySession): Promise<void> {
  const session = getState().session;
  if (!session) return;
  const fresh = { ...session, access_token: unlocked.access_token, device_token: unlocked.device_token };
  await setValue("session", fresh);
  setState({ session: fresh });
  await Promise.allSettled([refreshPasskeys(), refreshContacts()]);
}

/** What to tell the attendee when a passkey ceremony failed: cancelled, refused, or offline. */
export function passkeyError(error: unknown): string {
  if (error instanceof ApiError) return problemText(error);
  if (error instanceof Error && (error.name === "NotAllowedError" || error.name === "AbortError")) {
    return t("passkey.cancelled");
  }
  if (error instanceof Error && error.name === "InvalidStateError") return t("passkey.exists");
  return t("error.network");
}

export async function registerPasskey(name: string): Promise<void> {
  const options = await api.passkeyOptions("registration");
  const credential = await startRegistration({
    optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON,
  });
  await adopt(await api.registerPasskey(credential, name));
}

export async function unlockNotes(): Promise<void> {
  const options = await api.passkeyOptions("authentication");
  const credential = await startAuthentication({
    optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON,
  });
  await adopt(await api.presentPasskey(credential));
}

export async function removePasskey(id: string): Promise<void> {
  publish(await api.removePasskey(id));
  await refreshContacts();
}

/** A short name for the passkey, to tell them apart later: the phone's platform. */
export function deviceName(): string {
  const data = (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData;
  return (data?.platform || navigator.platform || "").slice(0, 60);
}
