// What the console reads from the API: the generated OpenAPI types (src/api/openapi.d.ts,
// made by `npm run api-types`), under the names the console uses. A change of the API's
// schemas is a type error here, not a silent drift.
import type { components } from "../api/openapi";

type Schemas = components["schemas"];

export type Organiser = Schemas["OrganiserOut"];
export type OrganiserSession = Schemas["OrganiserSession"];
/** What an event form edits. */
export type EventFields = Schemas["EventCreate"];
export type ConsoleEvent = Schemas["Event"];
/** The overview's checklist: attendees registered, invited, joined. */
export type EventProgress = Schemas["EventProgress"];
export type InviteState = Schemas["InviteState"];
/** What an attendee form edits. */
export type AttendeeFields = Schemas["AttendeeCreate"];
export type Attendee = Schemas["Attendee"];
export type AttendeePage = Schemas["AttendeePage"];
/** A bad row as every answer carries it; a refused import's problem document may carry no more. */
export type ImportRowError = Pick<Schemas["ImportRowError"], "line" | "reason">;
/** The import's report; its rows typed loosely, as a refused import's rows replace them. */
export type ImportReport = Omit<Schemas["ImportReport"], "errors"> & { errors: ImportRowError[] };
export type ExistingRows = Schemas["ExistingRows"];
export type PlannedRow = Schemas["PlannedRow"];
export type JoinLink = Schemas["JoinLink"];
export type ReissuedAccess = Schemas["ReissuedAccess"];
export type AccessRecord = Schemas["AccessRecord"];
export type BadgeLayout = Schemas["PaperLayout"];
export type CheckIn = Schemas["CheckIn"];
export type Introduced = Schemas["Introduced"];
export type InvitationProgress = Schemas["InvitationProgress"];
export type InvitationsQueued = Schemas["InvitationsQueued"];
export type InvitationRequest = Schemas["InvitationSelection"] | Schemas["InvitationEveryone"];
export type InvitationPreview = Schemas["InvitationPreview"];
export type MailLanguage = "fr" | "en";

// Suggestions (who-to-meet): for an isolated attendee, present people they were suggested to meet.
export type SuggestedToMeet = Schemas["SuggestedToMeet"];
// Formats (issue 20): sessions the organiser runs, and the wall screen's board.
export type FormatSession = Schemas["SessionOut"];
export type FormatSessionCreate = Schemas["SessionCreate"];
export type FormatKind = Schemas["FormatKind"];
export type SessionAudience = Schemas["Audience"];
export type SessionBoard = Schemas["Board"];
