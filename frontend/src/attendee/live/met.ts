import type { SeatMate } from "../../api/types";

/** Someone met in a session's round: saved as a contact with one tap, or skipped. */
export interface MetPerson {
  session_id: string;
  round: number;
  table_name: string;
  mate: SeatMate;
  outcome: "saved" | "queued" | "skipped" | null;
}
