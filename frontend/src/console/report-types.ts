// GET /api/events/{id}/report (backend/rencontre/reports/schemas.py): counts only.
import type { WhoToMeetFigures } from "../api/types";

export interface ReportTotals {
  connections: number;
  unique_pairs: number;
  mutual_connections: number;
  attendees: number;
  attendees_who_scanned: number;
  joined: number;
  /** Checked in at the door, or scanned during the event's hours. */
  arrived: number;
  /** Isolated attendees whom staff introduced to someone: a number, never to whom. */
  introduced: number;
}

export interface DistributionBucket {
  label: string;
  min_connections: number;
  max_connections: number | null;
  attendees: number;
}

export interface PeakPeriod {
  starts_at: string;
  starts_at_local: string;
  ends_at_local: string;
  connections: number;
}

export interface FollowUpRate {
  contacts: number;
  followed_up: number;
  followed_up_within_48h: number;
  /** Next steps two attendees agreed on: a count, never who. */
  next_steps_agreed: number;
}

export interface ConnectionGroup {
  label: string;
  attendees: number;
  connections: number;
}

/** Groups smaller than min_group_size are folded into `other`: no figure describes a few people. */
export interface GroupedConnections {
  min_group_size: number;
  groups: ConnectionGroup[];
  other: ConnectionGroup | null;
}

export interface Report {
  event_id: string;
  event_name: string;
  timezone: string;
  generated_at: string;
  generated_at_local: string;
  totals: ReportTotals;
  distribution: DistributionBucket[];
  peaks: PeakPeriod[];
  follow_up: FollowUpRate;
  by_objective: GroupedConnections;
  by_interest: GroupedConnections;
  /** Who-to-meet: the directory's uptake, requests and matches, counts only. */
  who_to_meet?: WhoToMeetFigures | null;
}
