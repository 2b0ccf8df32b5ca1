// The page's state: who is signed in, their profile and event, the network,
// and what waits on the phone (scans, contact edits). Pages read it through StoreController and act through the
// functions below.
import type { ReactiveController, ReactiveControllerHost } from "lit";

import { Api } from "./api";
import { ApiError, NetworkError } from "../kit/api/errors";
import type { AccessNotice, AttendeeSession, Contact, Me } from "../api/types";
import { forgetDirectory, saveContacts, saveDirectory } from "./offline/cache";
import { clearPersonalData, deleteValue, getValue, setValue, type RejectedItem } from "./offline/db";
import { resolveCaptures } from "./offline/captures";
import { flushEdits, pendingEdits } from "./offline/edits";
import { takeLeftBehind } from "./offline/leaving";
import { flush, OUTBOX_CHANNEL, queued, rejected, type OutboxMessage } from "./offline/outbox";
import { renewedIfDue, renewNow, reissueNoticeOf, type ReissueNotice } from "./offline/session";
import { requestBackgroundSync } from "./sw-bridge";

export interface State {
  ready: boolean;
  session: AttendeeSession | null;
  me: Me | null;
  online: boolean;
  pending: number;
  /** Contact edits waiting to be sent (not those waiting for the user). */
  edits: number;
  rejected: RejectedItem[];
  syncing: boolean;
  sessionExpired: boolean;
  /** This phone was signed out because the organisers re-issued the access: who and when. */
  signedOutBy: ReissueNotice | null;
  /** Re-issues of this attendee's access not yet acknowledged, newest first. */
  accessNotices: AccessNotice[];
  updateReady: (() => void) | null;
}

const state: State = {
  ready: false,
  session: null,
  me: null,
  online: navigator.onLine,
  pending: 0,
  edits: 0,
  rejected: [],
  syncing: false,
  sessionExpired: false,
  signedOutBy: null,
  accessNotices: [],
  updateReady: null,
};

const listeners = new Set<() => void>();

export function getState(): Readonly<State> {
  return state;
}

export function setState(change: Partial<State>): void {
  Object.assign(state, change);
  for (const listener of listeners) listener();
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Re-renders a Lit element whenever the state changes. */
export class StoreController implements ReactiveController {
  private unsubscribe: (() => void) | null = null;
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  hostConnected(): void {
    this.unsubscribe = subscribe(() => this.host.requestUpdate());
  }
  hostDisconnected(): void {
    this.unsubscribe?.();
  }
  get value(): Readonly<State> {
    return state;
  }
}

let flushSoon: ReturnType<typeof setTimeout> | null = null;

/** The access token to send, renewed first with the device token when it lapses soon. */
async function accessToken(): Promise<string | null> {
  const session = state.session;
  if (!session) return null;
  try {
    const fresh = await renewedIfDue(session);
    if (fresh !== session) setState({ session: fresh });
    return fresh.access_token;
  } catch (error) {
    // Offline: the request meets the same network. Refused: the session is over.
    if (error instanceof ApiError && error.status === 401) signedOut(error);
    return session.access_token;
  }
}

function signedOut(error: ApiError): void {
  setState({ sessionExpired: true, signedOutBy: reissueNoticeOf(error) ?? state.signedOutBy });
}

/** A 401: an expired token is renewed with the device token; a revoked one ends the session. */
async function recoverSession(error: ApiError): Promise<void> {
  const session = state.session;
  if (!session?.device_token || state.sessionExpired) {
    signedOut(error);
    return;
  }
  try {
    const renewed = await renewNow(session);
    setState({ session: renewed, sessionExpired: false });
  } catch (renewal) {
    // Offline, busy or asked too often: the session is not over, the next request tries again.
    if (renewal instanceof NetworkError || (renewal instanceof ApiError && renewal.transient)) return;
    signedOut(renewal instanceof ApiError ? renewal : error);
  }
}

export const api = new Api({
  token: accessToken,
  onSuccess: () => {
    if (!state.online) setState({ online: true });
    if (state.pending + state.edits > 0 && !state.syncing && flushSoon === null) {
      flushSoon = setTimeout(() => {
        flushSoon = null;
        void syncOutbox();
      }, 300);
    }
  },
  onUnauthorized: (error) => void recoverSession(error),
});

/** A phone signed in before join links worked once keeps no device token: it gets one now. */
async function ensureDeviceToken(): Promise<void> {
  const session = state.session;
  if (!session || session.device_token) return;
  try {
    const upgraded = await api.deviceToken();
    if (state.session?.attendee_id !== upgraded.attendee_id) return;
    await setValue("session", upgraded);
    setState({ session: upgraded });
  } catch {
    // Offline, or the session is over: the next start tries again, or the welcome screen shows.
  }
}

export async function refreshAccessNotices(): Promise<void> {
  try {
    const notices = await api.accessNotices();
    setState({ accessNotices: notices.filter((notice) => !notice.dismissed_at) });
  } catch {
    // Offline: the notice waits for the next start.
  }
}

export async function dismissAccessNotice(id: string): Promise<void> {
  await api.dismissAccessNotice(id);
  setState({ accessNotices: state.accessNotices.filter((notice) => notice.id !== id) });
}

export async function refreshOutboxCounts(): Promise<void> {
  const attendeeId = state.session?.attendee_id;
  const [items, refused, edits] = await Promise.all([queued(attendeeId), rejected(), pendingEdits(attendeeId)]);
  setState({
    pending: items.length,
    rejected: refused,
    edits: edits.filter((edit) => edit.state === "queued").length,
  });
}

export async function syncOutbox(): Promise<void> {
  const session = state.session;
  if (!session || state.syncing) return;
  setState({ syncing: true });
  try {
    const report = await flush(api, session.attendee_id);
    // Edits after scans: an edit may be of a contact that a queued scan makes, and what was
    // typed on a queued scan's card becomes an edit once the scan is acknowledged.
    const captured = report.error ? false : await resolveCaptures(api, session.attendee_id).then(
      () => true,
      () => false,
    );
    const edits = captured ? await flushEdits(api, session.attendee_id) : null;
    if (!captured || edits?.error) scheduleRetry();
  } finally {
    setState({ syncing: false });
    await refreshOutboxCounts();
  }
}

// `online` does not fire when the Wi-Fi is up but the server is not reachable:
// keep trying now and then while something waits.
let retryTimer: ReturnType<typeof setTimeout> | null = null;
function scheduleRetry(): void {
  if (retryTimer !== null) return;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    if (state.pending + state.edits > 0) void syncOutbox();
  }, 30_000);
}

export async function signIn(joinToken: string): Promise<AttendeeSession> {
  const session = await api.join(joinToken);
  const previous = await getValue("session");
  if (previous && previous.attendee_id !== session.attendee_id) {
    await clearPersonalData();
    forgetDirectory();
  }
  await setValue("session", session);
  setState({ session, sessionExpired: false, signedOutBy: null, me: null });
  await Promise.allSettled([refreshMe(), refreshBadge(), refreshDirectory(), refreshContacts(), refreshAccessNotices()]);
  void syncOutbox();
  return session;
}

export async function signOut(): Promise<void> {
  await clearPersonalData();
  forgetDirectory();
  await deleteValue("session");
  setState({ session: null, me: null, pending: 0, edits: 0, accessNotices: [], signedOutBy: null });
}

export async function refreshMe(): Promise<Me | null> {
  try {
    const me = await api.me();
    await setValue("me", me);
    setState({ me });
    return me;
  } catch (error) {
    if (error instanceof NetworkError || (error instanceof ApiError && error.transient)) return state.me;
    throw error;
  }
}

let directoryRetry: ReturnType<typeof setTimeout> | null = null;

export async function refreshDirectory(): Promise<void> {
  try {
    const complete = await saveDirectory(await api.directory());
    // The server is still sealing some short codes (a large import): fetch again shortly.
    if (!complete && directoryRetry === null) {
      directoryRetry = setTimeout(() => {
        directoryRetry = null;
        void refreshDirectory();
      }, 30_000);
    }
  } catch {
    // Offline or not yet available: the cached directory stays.
  }
}

/** The attendee's own badge (QR and short code), kept so that "My badge" works offline from the start. */
export async function refreshBadge(): Promise<void> {
  try {
    await setValue("badge", await api.myBadge());
  } catch {
    // Offline: the saved badge (if any) stays.
  }
}

let contactsLoading: Promise<Contact[] | null> | null = null;

export function refreshContacts(): Promise<Contact[] | null> {
  contactsLoading ??= loadContacts().finally(() => {
    contactsLoading = null;
  });
  return contactsLoading;
}

async function loadContacts(): Promise<Contact[] | null> {
  try {
    const contacts: Contact[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await api.contacts({ limit: 100, cursor });
      contacts.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor && contacts.length < 10_000);
    await saveContacts(contacts);
    notifyContactsChanged();
    return contacts;
  } catch {
    return null;
  }
}

/** Load what the phone knows, then bring it up to date, then send the queue. */
export async function start(): Promise<void> {
  await takeLeftBehind();
  const [session, me] = await Promise.all([getValue("session"), getValue("me")]);
  setState({ session: session ?? null, me: me ?? null, ready: true });
  await refreshOutboxCounts();

  window.addEventListener("online", () => {
    setState({ online: true });
    void syncOutbox();
  });
  window.addEventListener("offline", () => setState({ online: false }));
  if (typeof BroadcastChannel !== "undefined") {
    new BroadcastChannel(OUTBOX_CHANNEL).addEventListener("message", (event: MessageEvent<OutboxMessage>) => {
      void refreshOutboxCounts();
      if (event.data.type === "acknowledged") void refreshContacts();
      notifyContactsChanged();
    });
  }

  if (state.session) {
    void ensureDeviceToken();
    void syncOutbox();
    void Promise.allSettled([refreshMe(), refreshBadge(), refreshDirectory(), refreshContacts(), refreshAccessNotices()]);
  }
}

const contactListeners = new Set<() => void>();
/** Pages showing contacts listen here: the outbox or the server changed them. */
export function onContactsChanged(listener: () => void): () => void {
  contactListeners.add(listener);
  return () => contactListeners.delete(listener);
}
function notifyContactsChanged(): void {
  for (const listener of contactListeners) listener();
}

export async function queuedForLater(): Promise<void> {
  await refreshOutboxCounts();
  await requestBackgroundSync();
}
