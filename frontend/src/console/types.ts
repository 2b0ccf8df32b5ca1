// What the console reads from the API (backend/rencontre/*/schemas.py).

export interface Organiser {
  id: string;
  email: string;
  name: string;
}

export interface OrganiserSession {
  access_token: string;
  organiser: Organiser;
}

export interface EventFields {
  name: string;
  starts_at: string;
  ends_at: string;
  timezone: string;
  venue: string;
  feed_shows_names: boolean;
}

export interface ConsoleEvent extends EventFields {
  id: string;
  slug: string;
  created_at: string;
  attendee_count: number;
}

export type InviteState = "pending" | "sent" | "joined";

export interface AttendeeFields {
  name: string;
  email: string;
  company: string;
  job_title: string;
  phone: string;
  website: string;
  linkedin: string;
}

export interface Attendee extends AttendeeFields {
  id: string;
  event_id: string;
  badge_version: number;
  invite_state: InviteState;
  joined_at: string | null;
  created_at: string;
}

export interface AttendeePage {
  items: Attendee[];
  next_cursor: string | null;
  total: number;
}

export interface ImportRowError {
  line: number;
  reason: string;
}

export interface ImportReport {
  dry_run: boolean;
  rows: number;
  valid: number;
  created: number;
  errors: ImportRowError[];
  columns: Record<string, string>;
}

export interface JoinLink {
  join_link: string;
}

export type BadgeLayout = "a6" | "a4";
