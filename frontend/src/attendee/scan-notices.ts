// Who scanned me: the people who scanned this attendee and whom they have not scanned
// back. Kept on the phone (the last list the server gave) so the badge and the list show
// offline too; adding someone back is an ordinary scan of their badge through the outbox.
import type { ReactiveController, ReactiveControllerHost } from "lit";

import { ApiError } from "../kit/api/errors";
import type { ScanNotice, ScanNotices } from "../api/types";
import { parseBadge } from "../kit/scanner/badge";
import { cachedContacts } from "./offline/cache";
import { getValue, setValue, type OutboxItem } from "./offline/db";
import { newClientId } from "./offline/ids";
import { queued, submit } from "./offline/outbox";
import { api, getState, queuedForLater, refreshContacts, refreshOutboxCounts, subscribe } from "./state";

export interface NoticeState {
  enabled: boolean;
  /** Pending notices, newest first, without those this phone has answered meanwhile. */
  items: ScanNotice[];
}

let current: NoticeState = { enabled: true, items: [] };
const listeners = new Set<() => void>();

function publish(next: NoticeState): void {
  current = next;
  for (const listener of listeners) listener();
}

export function scanNotices(): NoticeState {
  return current;
}

/** Re-renders a Lit element when the notices change. */
export class ScanNoticesController implements ReactiveController {
  private readonly listener = () => this.host.requestUpdate();
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  hostConnected(): void {
    listeners.add(this.listener);
  }
  hostDisconnected(): void {
    listeners.delete(this.listener);
  }
  get value(): NoticeState {
    return current;
  }
}

/** Notices of people already among the contacts, or waiting in the outbox, are answered already. */
async function unanswered(list: ScanNotices): Promise<NoticeState> {
  const attendeeId = getState().session?.attendee_id;
  const [contacts, waiting] = await Promise.all([cachedContacts(), queued(attendeeId)]);
  const met = new Set(contacts.map((contact) => contact.person.attendee_id).filter(Boolean));
  const waitingCodes = new Set(waiting.map((item) => item.badge_code).filter(Boolean));
  const items = list.items.filter(
    (notice) => !met.has(notice.attendee_id) && !(notice.card.badge_code && waitingCodes.has(notice.card.badge_code)),
  );
  return { enabled: list.enabled, items };
}

/** The phone's copy first, then the server's when it answers. */
export async function refreshScanNotices(): Promise<void> {
  if (!getState().session) return;
  const saved = await getValue("scanNotices");
  if (saved) publish(await unanswered(saved));
  try {
    const fresh = await api.scanNotices();
    await setValue("scanNotices", fresh);
    publish(await unanswered(fresh));
  } catch {
    // Offline: the copy stays until the network returns.
  }
}

let watchedSession: string | null = null;

/** Load the notices once a session is known (at start, after joining), and again when the network returns. */
export function watchScanNotices(): void {
  const check = () => {
    const { ready, session, sessionExpired } = getState();
    const id = ready && session && !sessionExpired ? session.attendee_id : null;
    if (id === watchedSession) return;
    watchedSession = id;
    if (id) void refreshScanNotices();
    else publish({ enabled: true, items: [] });
  };
  subscribe(check);
  window.addEventListener("online", () => void refreshScanNotices());
  check();
}

function forget(attendeeId: string): void {
  publish({ ...current, items: current.items.filter((notice) => notice.attendee_id !== attendeeId) });
  void getValue("scanNotices").then((saved) => {
    if (saved) void setValue("scanNotices", { ...saved, items: saved.items.filter((n) => n.attendee_id !== attendeeId) });
  });
}

/** "Not now": the notice goes; the server keeps that it was set aside. */
export async function dismissScanNotice(notice: ScanNotice): Promise<void> {
  try {
    await api.dismissScanNotice(notice.attendee_id);
  } catch (error) {
    // Already answered or set aside elsewhere: it goes here too.
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  forget(notice.attendee_id);
}

export type AddBackOutcome =
  | { kind: "sent"; contactId: string | null; mutual: boolean }
  | { kind: "queued" }
  | { kind: "refused"; error: ApiError };

/** One tap: a scan of their badge, sent now or queued like any scan; the pair becomes mutual. */
export async function addBack(notice: ScanNotice): Promise<AddBackOutcome> {
  const session = getState().session;
  const badge = parseBadge(notice.qr);
  if (!session || !badge) throw new Error("no session or no badge to add back");
  const now = new Date().toISOString();
  const item: OutboxItem = {
    client_id: newClientId(),
    qr: badge.qr,
    device_at: now,
    attendee_id: session.attendee_id,
    queued_at: now,
    attempts: 0,
    badge_code: badge.badgeCode,
    name: notice.card.name,
  };
  try {
    const outcome = await submit(api, item);
    if (outcome.kind === "refused") return { kind: "refused", error: outcome.error };
    forget(notice.attendee_id);
    if (outcome.kind === "queued") {
      // Background Sync may take its time (or never answer offline): the attendee is told at once.
      void queuedForLater();
      return { kind: "queued" };
    }
    void refreshContacts();
    return { kind: "sent", contactId: outcome.result.contact_id ?? null, mutual: outcome.result.mutual !== false };
  } finally {
    await refreshOutboxCounts();
  }
}
