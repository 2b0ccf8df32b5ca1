// The console's API client: the organiser's endpoints, with problem+json
// errors turned into ApiError (shared with the PWA) and downloads as Blobs.
import { ApiError, NetworkError, problemFrom } from "../kit/api/errors";
import { fileOf, jsonOf, request, withQuery } from "../kit/api/http";
import type { Problem } from "../api/types";
import type {
  AccessRecord,
  Attendee,
  AttendeeFields,
  AttendeePage,
  BadgeLayout,
  CheckIn,
  ConsoleEvent,
  EventFields,
  ExistingRows,
  EventProgress,
  ImportReport,
  ImportRowError,
  Introduced,
  InvitationPreview,
  InvitationProgress,
  InvitationRequest,
  InvitationsQueued,
  JoinLink,
  MailLanguage,
  Organiser,
  OrganiserSession,
  ReissuedAccess,
  SuggestedToMeet,
} from "./types";
import type { FormatSession, FormatSessionCreate, SessionBoard } from "./types";
import type { Report } from "./report-types";
import type { WhoToMeetFigures } from "../api/types";

export { ApiError, NetworkError };

/** An error answer whose body carries more than the standard fields (e.g. import rows). */
export class ProblemError extends ApiError {
  constructor(readonly problem: Problem & Record<string, unknown>) {
    super(problem);
  }

  /** The bad rows of a refused CSV import, if that is what this is. */
  get rowErrors(): ImportRowError[] {
    const rows = this.problem.errors as unknown;
    if (!Array.isArray(rows)) return [];
    return rows.filter(
      (row): row is ImportRowError =>
        typeof row === "object" && row !== null && typeof (row as ImportRowError).line === "number",
    );
  }

  /** Validation messages by field name ("name", "ends_at"…). */
  get fieldErrors(): Map<string, string> {
    const found = new Map<string, string>();
    const rows = this.problem.errors as unknown;
    if (!Array.isArray(rows)) return found;
    for (const row of rows) {
      if (typeof row === "object" && row && typeof row.field === "string" && typeof row.message === "string") {
        found.set(row.field, row.message);
      }
    }
    return found;
  }
}

export interface ConsoleApiHooks {
  token(): string | null;
  onUnauthorized(): void;
}

const id = encodeURIComponent;

function retryAfterMs(response: Response): number | null {
  if (response.status !== 503) return null;
  const seconds = Number(response.headers.get("retry-after"));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 2) * 1000 : null;
}

/** The server prints at most this many selected badges at once (badges.service.MAX_PRINT_IDS). */
export const MAX_PRINT_SELECTION = 500;

export type SessionAction = "start" | "pause" | "resume" | "next" | "end";

export class ConsoleApi {
  constructor(private readonly hooks: ConsoleApiHooks) {}

  private async send(
    method: string,
    path: string,
    options: { json?: unknown; form?: FormData; accept?: string; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const token = this.hooks.token();
    let response: Response;
    for (let attempt = 0; ; attempt++) {
      response = await request(path, { method, token, ...options });
      // "Busy, retry shortly" (503 + Retry-After): a read is safe to ask again, once or twice.
      const wait = retryAfterMs(response);
      if (method !== "GET" || wait === null || attempt >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    if (!response.ok) {
      const error = new ProblemError((await problemFrom(response)) as Problem & Record<string, unknown>);
      if (response.status === 401 && token) this.hooks.onUnauthorized();
      throw error;
    }
    return response;
  }

  private async json<T>(method: string, path: string, json?: unknown, signal?: AbortSignal): Promise<T> {
    return jsonOf<T>(await this.send(method, path, json === undefined ? { signal } : { json, signal }));
  }

  login(email: string, password: string): Promise<OrganiserSession> {
    return this.json("POST", "/api/auth/login", { email, password });
  }

  /** Ends every session of this organiser, on every device (the server revokes the tokens). */
  logout(): Promise<void> {
    return this.json("POST", "/api/auth/logout");
  }

  /** The answer holds a new token: every earlier one, this tab's too, stops working. */
  changePassword(currentPassword: string, newPassword: string): Promise<OrganiserSession> {
    return this.json("POST", "/api/auth/password", { current_password: currentPassword, new_password: newPassword });
  }

  whoami(): Promise<Organiser> {
    return this.json("GET", "/api/auth/organiser");
  }

  events(): Promise<ConsoleEvent[]> {
    return this.json("GET", "/api/events");
  }

  event(eventId: string): Promise<ConsoleEvent> {
    return this.json("GET", `/api/events/${id(eventId)}`);
  }

  createEvent(fields: EventFields): Promise<ConsoleEvent> {
    return this.json("POST", "/api/events", fields);
  }

  updateEvent(eventId: string, changes: Partial<EventFields>): Promise<ConsoleEvent> {
    return this.json("PATCH", `/api/events/${id(eventId)}`, changes);
  }

  attendees(eventId: string, query: { q?: string; cursor?: string | null; limit?: number }, signal?: AbortSignal): Promise<AttendeePage> {
    return this.json("GET", withQuery(`/api/events/${id(eventId)}/attendees`, query), undefined, signal);
  }

  attendee(eventId: string, attendeeId: string): Promise<Attendee> {
    return this.json("GET", `/api/events/${id(eventId)}/attendees/${id(attendeeId)}`);
  }

  addAttendee(eventId: string, fields: Partial<AttendeeFields>): Promise<Attendee> {
    return this.json("POST", `/api/events/${id(eventId)}/attendees`, fields);
  }

  updateAttendee(eventId: string, attendeeId: string, changes: Partial<AttendeeFields>): Promise<Attendee> {
    return this.json("PATCH", `/api/events/${id(eventId)}/attendees/${id(attendeeId)}`, changes);
  }

  removeAttendee(eventId: string, attendeeId: string): Promise<void> {
    return this.json("DELETE", `/api/events/${id(eventId)}/attendees/${id(attendeeId)}`);
  }

  /** `existing` says what becomes of rows matching someone registered: skipped, or updated. */
  async importCsv(eventId: string, file: File, dryRun: boolean, existing: ExistingRows = "skip"): Promise<ImportReport> {
    const form = new FormData();
    form.set("file", file, file.name);
    const response = await this.send(
      "POST",
      withQuery(`/api/events/${id(eventId)}/attendees/import`, { dry_run: dryRun, existing }),
      { form },
    );
    return (await response.json()) as ImportReport;
  }

  reissueBadge(eventId: string, attendeeId: string): Promise<Attendee> {
    return this.json("POST", `/api/events/${id(eventId)}/attendees/${id(attendeeId)}/badge/reissue`);
  }

  /** Ends every session of the attendee; they will read who did it, when, and the reason. */
  reissueAccess(eventId: string, attendeeId: string, reason: string): Promise<ReissuedAccess> {
    return this.json("POST", `/api/events/${id(eventId)}/attendees/${id(attendeeId)}/access/reissue`, { reason });
  }

  accessReissues(eventId: string, attendeeId: string): Promise<AccessRecord[]> {
    return this.json("GET", `/api/events/${id(eventId)}/attendees/${id(attendeeId)}/access/reissues`);
  }

  invite(eventId: string, attendeeId: string): Promise<JoinLink> {
    return this.json("GET", `/api/events/${id(eventId)}/attendees/${id(attendeeId)}/invite`);
  }

  /** Whether mail is set up, and the attendees by invitation state. */
  invitations(eventId: string, signal?: AbortSignal): Promise<InvitationProgress> {
    return this.json("GET", `/api/events/${id(eventId)}/invitations`, undefined, signal);
  }

  /** Queues the e-mails; the server sends them in the background. */
  sendInvitations(eventId: string, body: InvitationRequest): Promise<InvitationsQueued> {
    return this.json("POST", `/api/events/${id(eventId)}/invitations`, body);
  }

  invitationPreview(eventId: string, attendeeId: string, language: MailLanguage): Promise<InvitationPreview> {
    return this.json(
      "GET",
      withQuery(`/api/events/${id(eventId)}/attendees/${id(attendeeId)}/invitation/preview`, { language }),
    );
  }

  feedTicket(eventId: string): Promise<{ ticket: string }> {
    return this.json("POST", `/api/events/${id(eventId)}/feed/ticket`);
  }

  /** Check an attendee in at the door, by what their badge's QR code holds or by id. */
  checkIn(eventId: string, by: { badge: string } | { attendee_id: string }): Promise<CheckIn> {
    return this.json("POST", `/api/events/${id(eventId)}/check-in`, by);
  }

  /** Suggestions (who-to-meet): for isolated attendees, the present people they were suggested to meet. */
  suggestedToMeet(eventId: string, attendeeIds: string[]): Promise<SuggestedToMeet[]> {
    const query = new URLSearchParams(attendeeIds.map((attendeeId) => ["attendee_id", attendeeId]));
    return this.json("GET", `/api/events/${id(eventId)}/suggested-to-meet?${query.toString()}`);
  }

  markIntroduced(eventId: string, attendeeId: string): Promise<Introduced> {
    return this.json("POST", `/api/events/${id(eventId)}/attendees/${id(attendeeId)}/introduced`);
  }

  progress(eventId: string): Promise<EventProgress> {
    return this.json("GET", `/api/events/${id(eventId)}/progress`);
  }

  // Who-to-meet: the directory's figures, counts only.
  whoToMeet(eventId: string): Promise<WhoToMeetFigures> {
    return this.json("GET", `/api/events/${id(eventId)}/who-to-meet`);
  }

  report(eventId: string): Promise<Report> {
    return this.json("GET", `/api/events/${id(eventId)}/report`);
  }

  badgeSvgPath(eventId: string, attendeeId: string): string {
    return `/api/events/${id(eventId)}/attendees/${id(attendeeId)}/badge.svg`;
  }

  /** Everyone, or only `ids` (repeated `ids=` parameters, at most MAX_PRINT_SELECTION). */
  badgesPdfPath(eventId: string, layout: BadgeLayout, ids: string[] = []): string {
    const params = new URLSearchParams({ layout });
    for (const attendeeId of ids) params.append("ids", attendeeId);
    return `/api/events/${id(eventId)}/badges.pdf?${params.toString()}`;
  }

  importSamplePath(eventId: string, lang: "en" | "fr"): string {
    return withQuery(`/api/events/${id(eventId)}/attendees/import/sample.csv`, { lang });
  }

  invitesCsvPath(eventId: string): string {
    return `/api/events/${id(eventId)}/invites.csv`;
  }

  reportCsvPath(eventId: string): string {
    return `/api/events/${id(eventId)}/report.csv`;
  }

  reportPdfPath(eventId: string, language: "fr" | "en"): string {
    return `/api/events/${id(eventId)}/report.pdf?lang=${language}`;
  }

  /** A file fetched with the bearer token (a plain link cannot send it), as a Blob. */
  async download(path: string): Promise<{ blob: Blob; filename: string | null }> {
    return fileOf(await this.send("GET", path, { accept: "*/*" }));
  }

  // Formats (issue 20): sessions of speed-meeting, walk & talk or reverse forum.

  sessions(eventId: string): Promise<FormatSession[]> {
    return this.json("GET", `/api/events/${id(eventId)}/sessions`);
  }

  createSession(eventId: string, fields: FormatSessionCreate): Promise<FormatSession> {
    return this.json("POST", `/api/events/${id(eventId)}/sessions`, fields);
  }

  deleteSession(eventId: string, sessionId: string): Promise<void> {
    return this.json("DELETE", `/api/events/${id(eventId)}/sessions/${id(sessionId)}`);
  }

  /** start, pause, resume, next (round) or end: the session as it stands afterwards. */
  controlSession(eventId: string, sessionId: string, action: SessionAction): Promise<FormatSession> {
    return this.json("POST", `/api/events/${id(eventId)}/sessions/${id(sessionId)}/${action}`);
  }

  extendSession(eventId: string, sessionId: string, seconds: number): Promise<FormatSession> {
    return this.json("POST", `/api/events/${id(eventId)}/sessions/${id(sessionId)}/extend`, { seconds });
  }

  setSessionHosts(eventId: string, sessionId: string, attendeeIds: string[]): Promise<FormatSession> {
    return this.json("PUT", `/api/events/${id(eventId)}/sessions/${id(sessionId)}/hosts`, { attendee_ids: attendeeIds });
  }

  sessionBoard(eventId: string, sessionId: string, signal?: AbortSignal): Promise<SessionBoard> {
    return this.json("GET", `/api/events/${id(eventId)}/sessions/${id(sessionId)}/board`, undefined, signal);
  }
}
