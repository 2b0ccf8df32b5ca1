// The typed API client. Works in the page and in the service worker (no DOM).
import { ApiError, problemFrom, retryAfterOf } from "../kit/api/errors";
import { fileOf, jsonOf, request, withQuery, type Query } from "../kit/api/http";
import type {
  AccessNotice,
  AttendeeSession,
  BadgeInfo,
  CodeBadge,
  Contact,
  ContactPage,
  ContactUpdate,
  FollowUpDraft,
  FollowUpKind,
  KeptContact,
  Me,
  MeUpdate,
  NextStep,
  NextStepList,
  NextStepSlot,
  ProposalTerms,
  PasskeySession,
  PasskeyStatus,
  PublicCard,
  PushKey,
  PushSubscriptionRecord,
  RetentionStatus,
  ScanBatchResponse,
  ScanNotices,
  ScanRequest,
  ScanResult,
  SubscriptionIn,
  SealedDirectory,
  Dismissed,
  SuggestionAction,
  Suggestions,
} from "../api/types";
import type { MeetRequests, MeetRequestSent, PeoplePage, Prompts } from "../api/types";
import type { LiveTicket, MySession } from "../api/types";

export interface ApiHooks {
  token(): Promise<string | null> | string | null;
  /** Called after every answered request (2xx): the network is back, flush the outbox. */
  onSuccess?(): void;
  /** Called on 401: the session is gone (revoked access, expired token). */
  onUnauthorized?(error: ApiError): void;
}

// A venue's Wi-Fi can hang rather than fail: give up and queue instead.
const REQUEST_TIMEOUT_MS = 20_000;

export class Api {
  constructor(private readonly hooks: ApiHooks) {}

  private async send(
    method: string,
    path: string,
    json?: unknown,
    accept = "application/json",
    headers: Record<string, string> = {},
    blob?: Blob,
  ): Promise<Response> {
    const response = await request(path, {
      method,
      token: await this.hooks.token(),
      accept,
      headers,
      json,
      blob,
      signal: AbortSignal.timeout?.(REQUEST_TIMEOUT_MS) ?? null,
    });
    if (!response.ok) {
      const error = new ApiError(await problemFrom(response), retryAfterOf(response));
      if (response.status === 401) this.hooks.onUnauthorized?.(error);
      throw error;
    }
    this.hooks.onSuccess?.();
    return response;
  }

  private async json<T>(method: string, path: string, body?: unknown, extra?: Record<string, string>): Promise<T> {
    return jsonOf<T>(await this.send(method, path, body, undefined, extra));
  }

  join(token: string): Promise<AttendeeSession> {
    return this.json("POST", "/api/auth/join", { token });
  }

  /** No bearer token: the device token is the credential. */
  renew(deviceToken: string): Promise<AttendeeSession> {
    return this.json("POST", "/api/auth/renew", { token: deviceToken });
  }

  /** For a phone signed in before device tokens existed: one, with the current session. */
  deviceToken(): Promise<AttendeeSession> {
    return this.json("POST", "/api/auth/device");
  }

  accessNotices(): Promise<AccessNotice[]> {
    return this.json("GET", "/api/me/access-notices");
  }

  dismissAccessNotice(id: string): Promise<AccessNotice> {
    return this.json("POST", `/api/me/access-notices/${encodeURIComponent(id)}/dismiss`);
  }

  me(): Promise<Me> {
    return this.json("GET", "/api/me");
  }

  updateMe(update: MeUpdate): Promise<Me> {
    return this.json("PATCH", "/api/me", update);
  }

  deleteMe(): Promise<void> {
    return this.json("DELETE", "/api/me");
  }

  myCard(): Promise<PublicCard> {
    return this.json("GET", "/api/me/card");
  }

  myBadge(): Promise<BadgeInfo> {
    return this.json("GET", "/api/me/badge");
  }

  directory(): Promise<SealedDirectory> {
    return this.json("GET", "/api/directory");
  }

  /** The badge a typed short code names in the attendee's event. */
  badgeByCode(code: string): Promise<CodeBadge> {
    return this.json("POST", "/api/short-codes/resolve", { code });
  }

  resolveBadge(token: string): Promise<PublicCard> {
    return this.json("GET", `/api/badges/${encodeURIComponent(token)}`);
  }

  scan(request: ScanRequest): Promise<ScanResult> {
    return this.json("POST", "/api/scans", request);
  }

  scanBatch(items: ScanRequest[]): Promise<ScanBatchResponse> {
    return this.json("POST", "/api/scans/batch", { items });
  }

  contacts(query: Query = {}): Promise<ContactPage> {
    return this.json("GET", withQuery("/api/contacts", query));
  }

  contact(id: string): Promise<Contact> {
    return this.json("GET", `/api/contacts/${encodeURIComponent(id)}`);
  }

  /**
   * Edit a contact. With `version` (the one the edit was made on) the server refuses with
   * 412 if the contact changed meanwhile, rather than overwrite a note added by meeting again.
   */
  updateContact(id: string, update: ContactUpdate, version?: string): Promise<Contact> {
    const condition = version ? { "If-Match": `"${version}"` } : undefined;
    return this.json("PATCH", `/api/contacts/${encodeURIComponent(id)}`, update, condition);
  }

  /** The private note is quoted only when `includeNote` says so: the draft goes to the person it is about. */
  followUp(id: string, kind: FollowUpKind, lang: string, includeNote = false): Promise<FollowUpDraft> {
    return this.json(
      "GET",
      withQuery(`/api/contacts/${encodeURIComponent(id)}/follow-up`, { kind, lang, include_note: includeNote }),
    );
  }

  passkeys(): Promise<PasskeyStatus> {
    return this.json("GET", "/api/passkeys");
  }

  /** WebAuthn options as JSON, for @simplewebauthn/browser; the server keeps the challenge. */
  passkeyOptions(purpose: "registration" | "authentication"): Promise<Record<string, unknown>> {
    return this.json("POST", `/api/passkeys/${purpose}/options`);
  }

  registerPasskey(credential: unknown, name: string): Promise<PasskeySession> {
    return this.json("POST", "/api/passkeys/registration/verify", { credential, name });
  }

  presentPasskey(credential: unknown): Promise<PasskeySession> {
    return this.json("POST", "/api/passkeys/authentication/verify", { credential });
  }

  removePasskey(id: string): Promise<PasskeyStatus> {
    return this.json("DELETE", `/api/passkeys/${encodeURIComponent(id)}`);
  }

  // Profile photos (issue 16).

  /** The phone's cropped photo; the server re-encodes it and answers the updated profile. */
  async putPhoto(photo: Blob): Promise<Me> {
    return jsonOf<Me>(await this.send("PUT", "/api/me/photo", undefined, undefined, {}, photo));
  }

  deletePhoto(): Promise<Me> {
    return this.json("DELETE", "/api/me/photo");
  }

  /** A photo's bytes (an address from a card's `photo`); the service worker keeps those seen. */
  async photo(url: string): Promise<Blob> {
    // Not through send(): a photo the service worker answers from its cache says nothing
    // about the network, so it must not mark the app online nor wake the outbox.
    const response = await request(url, { method: "GET", token: await this.hooks.token(), accept: "image/webp" });
    if (!response.ok) throw new ApiError(await problemFrom(response));
    return response.blob();
  }

  // Next steps (issue 19): each side reaches the step through their own contact of the other.
  nextSteps(): Promise<NextStepList> {
    return this.json("GET", "/api/next-steps");
  }

  nextStep(contactId: string): Promise<NextStepSlot> {
    return this.json("GET", `/api/contacts/${encodeURIComponent(contactId)}/next-step`);
  }

  proposeNextStep(contactId: string, terms: ProposalTerms): Promise<NextStep> {
    return this.json("POST", `/api/contacts/${encodeURIComponent(contactId)}/next-step`, terms);
  }

  counterNextStep(contactId: string, terms: ProposalTerms, version: number): Promise<NextStep> {
    return this.json("POST", `/api/contacts/${encodeURIComponent(contactId)}/next-step/counter`, { ...terms, version });
  }

  /** `version` is the one the answer was made on: a proposal replaced meanwhile is never answered. */
  answerNextStep(contactId: string, action: "accept" | "decline" | "cancel", version: number): Promise<NextStep> {
    return this.json("POST", `/api/contacts/${encodeURIComponent(contactId)}/next-step/${action}`, { version });
  }

  // Reminders by Web Push and retention (issue 19)
  pushKey(): Promise<PushKey> {
    return this.json("GET", "/api/push/key");
  }

  subscribePush(subscription: SubscriptionIn): Promise<PushSubscriptionRecord> {
    return this.json("POST", "/api/push/subscriptions", subscription);
  }

  unsubscribePush(endpoint: string): Promise<void> {
    return this.json("POST", "/api/push/unsubscribe", { endpoint });
  }

  retention(): Promise<RetentionStatus> {
    return this.json("GET", "/api/me/retention");
  }

  keepAll(keepAll: boolean): Promise<RetentionStatus> {
    return this.json("PUT", "/api/me/retention", { keep_all: keepAll });
  }

  keepContact(id: string, kept: boolean): Promise<KeptContact> {
    return this.json(kept ? "PUT" : "DELETE", `/api/contacts/${encodeURIComponent(id)}/keep`);
  }

  // Who scanned me (issue 16).
  scanNotices(): Promise<ScanNotices> {
    return this.json("GET", "/api/me/scanned-by");
  }

  async dismissScanNotice(attendeeId: string): Promise<void> {
    await this.send("POST", `/api/me/scanned-by/${encodeURIComponent(attendeeId)}/dismiss`);
  }

  // Who-to-meet: the opt-in directory, "I'd like to meet you", blocks, prompts, find by name.
  people(query: Query = {}): Promise<PeoplePage> {
    return this.json("GET", withQuery("/api/people", query));
  }

  personBadge(attendeeId: string): Promise<BadgeInfo> {
    return this.json("GET", `/api/people/${encodeURIComponent(attendeeId)}/badge`);
  }

  personPrompts(attendeeId: string, language: string): Promise<Prompts> {
    return this.json("GET", withQuery(`/api/people/${encodeURIComponent(attendeeId)}/prompts`, { language }));
  }

  meetRequests(language: string): Promise<MeetRequests> {
    return this.json("GET", withQuery("/api/meet-requests", { language }));
  }

  askToMeet(to: string, reason: string): Promise<MeetRequestSent> {
    return this.json("POST", "/api/meet-requests", { to, reason });
  }

  answerRequest(id: string, answer: "accept" | "let-be"): Promise<void> {
    return this.json("POST", `/api/meet-requests/${encodeURIComponent(id)}/${answer}`);
  }

  block(attendeeId: string): Promise<void> {
    return this.json("POST", "/api/blocks", { attendee_id: attendeeId });
  }

  // Suggestions (who-to-meet): "people for you", with reasons in the reader's language.
  suggestions(lang: string): Promise<Suggestions> {
    return this.json("GET", withQuery("/api/suggestions", { lang }));
  }

  dismissSuggestion(attendeeId: string, action: SuggestionAction): Promise<Dismissed> {
    return this.json("POST", `/api/suggestions/${encodeURIComponent(attendeeId)}/${action}`);
  }

  /** A file download (exports) fetched with the bearer token, handed back as a Blob. */
  async download(path: string): Promise<{ blob: Blob; filename: string | null }> {
    return fileOf(await this.send("GET", path, undefined, "*/*"));
  }

  // Formats (issue 20): the sessions I can take part in, and the live channel's ticket.

  mySessions(): Promise<MySession[]> {
    return this.json("GET", "/api/me/sessions");
  }

  joinSession(id: string): Promise<MySession> {
    return this.json("POST", `/api/me/sessions/${encodeURIComponent(id)}/join`);
  }

  leaveSession(id: string): Promise<MySession> {
    return this.json("POST", `/api/me/sessions/${encodeURIComponent(id)}/leave`);
  }

  liveTicket(): Promise<LiveTicket> {
    return this.json("POST", "/api/me/live/ticket");
  }
}
