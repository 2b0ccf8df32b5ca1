// The API's types, from the generated OpenAPI types (openapi.d.ts, made by
// `npm run api-types`); a few are loosened where one screen shows data from
// several sources (a card from the directory, a badge, or a contact).
import type { components } from "./openapi";

type Schemas = components["schemas"];

export type Problem = Schemas["Problem"];
/** One invalid field of a 422 answer, as the backend's error handler lists them. */
export interface FieldError {
  field: string;
  message: string;
}
export type AttendeeSession = Schemas["AttendeeSession"];
export type AccessNotice = Schemas["AccessNotice"];
export type EventInfo = Schemas["EventInfo"];
export type Me = Schemas["Me"];
export type MeUpdate = Schemas["MeUpdate"];
export type BadgeInfo = Schemas["BadgeLink"];
export type Contact = Schemas["Contact"];
// Reminders by Web Push and retention (issue 19)
export type PushKey = Schemas["PushKey"];
export type SubscriptionIn = Schemas["SubscriptionIn"];
export type PushSubscriptionRecord = Schemas["Subscription"];
export type RetentionStatus = Schemas["RetentionStatus"];
export type KeptContact = Schemas["KeptContact"];
export type ContactUpdate = Schemas["ContactUpdate"];
export type ContactPage = Schemas["ContactPage"];
export type FollowUpDraft = Schemas["FollowUpDraft"];
export type FollowUpKind = FollowUpDraft["kind"];
export type ScanOut = Schemas["ScanOut"];
export type ScanBatchItem = Schemas["ScanBatchItem"];
export type ScanBatchResponse = Schemas["ScanBatchOut"];
export type PasskeyStatus = Schemas["PasskeyStatus"];
export type PasskeySession = Schemas["PasskeySession"];
// Next steps (issue 19)
export type NextStep = Schemas["NextStep"];
export type NextStepSlot = Schemas["NextStepSlot"];
export type NextStepList = Schemas["NextStepList"];
export type NextStepProposal = Schemas["Proposal"];
export type NextStepKind = Schemas["NextStepKind"];
/** What a proposal sends: the optional texts may be left out. */
export type ProposalTerms = Omit<Schemas["ProposalTerms"], "place" | "link" | "message"> &
  Partial<Pick<Schemas["ProposalTerms"], "place" | "link" | "message">>;
// Short badge codes and the sealed offline card cache.
export type SealedDirectory = Schemas["SealedDirectory"];
export type CodeBadge = Schemas["CodeBadge"];
/** A card opened from the sealed cache: public fields only, and the badge token to record the scan with. */
export type SealedCardContent = Omit<PublicCard, "badge_code"> & { token: string };

export type Objective = NonNullable<MeUpdate["objectives"]>[number];
export const OBJECTIVES: readonly Objective[] = [
  "partnership",
  "clients",
  "inspiration",
  "visibility",
  "hiring",
  "learning",
  "other",
];

export type SharedField = Schemas["SharedField"];
export const SHAREABLE_FIELDS: readonly SharedField[] = ["photo", "email", "phone", "website", "linkedin"];
/** The shared details that are text the attendee types (the photo is shared by its own switch). */
export type SharedDetail = Exclude<SharedField, "photo">;
export type PhotoLinks = Schemas["PhotoLinks"];

/** The details a person shares, as the known field names (the API types them as plain strings). */
export function sharedFields(me: Pick<Me, "shared_fields">): SharedField[] {
  return SHAREABLE_FIELDS.filter((field) => me.shared_fields.includes(field));
}

/** The known objectives among `values`, in their order. */
export function objectivesOf(values: readonly string[]): Objective[] {
  return values.filter((value): value is Objective => (OBJECTIVES as readonly string[]).includes(value));
}

/** A person as a scanner sees them: from the directory, a badge, a contact, or one's own preview. */
export type PublicCard = Partial<Schemas["PublicCard"]> & { name: string };

/** One item of the outbox as sent: POST /api/scans, or an item of POST /api/scans/batch. */
export type ScanRequest = Pick<Schemas["ScanIn"], "client_id" | "qr"> &
  Partial<Omit<Schemas["ScanIn"], "client_id" | "qr">>;

/**
 * The server's word on one scan: a ScanOut (live) or a batch item (outbox). A batch item
 * carries only the contact's id and version and the outcome: the rest is the live answer's.
 */
export type ScanResult = Partial<Omit<ScanOut, keyof ScanBatchItem>> &
  Omit<ScanBatchItem, "index" | "client_id" | "http_status" | "status" | "outcome"> & {
    client_id: string | null;
    index?: number;
    http_status?: number;
    status: ScanBatchItem["status"];
    outcome?: ScanBatchItem["outcome"];
  };

// Who scanned me (issue 16).
export type ScanNotice = Schemas["ScanNotice"];
export type ScanNotices = Schemas["ScanNotices"];
// Who-to-meet
export type PeoplePage = Schemas["PeoplePage"];
export type PersonEntry = Schemas["PersonEntry"];
export type MeetState = PersonEntry["meet"];
export type MeetRequests = Schemas["MeetRequests"];
export type MeetRequestSent = Schemas["MeetRequestSent"];
export type Prompts = Schemas["Prompts"];
export type WhoToMeetFigures = Schemas["WhoToMeetFigures"];
// Suggestions (who-to-meet)
export type Suggestions = Schemas["SuggestionsOut"];
export type Suggestion = Schemas["SuggestionOut"];
export type Dismissed = Schemas["Dismissed"];
export type SuggestionAction = "hide" | "not-now";
// Formats (issue 20): a session as the phone sees it, pushed on the live channel.
export type MySession = Schemas["MySession"];
export type SessionClock = Schemas["Clock"];
export type SessionSeat = Schemas["Seat"];
export type SeatMate = Schemas["SeatMate"];
export type LiveTicket = Schemas["LiveTicketOut"];
