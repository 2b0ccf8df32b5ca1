// Keeping this phone signed in. A join link works once, so the phone that used it keeps
// the device token it received and trades it for a fresh access token before the current
// one lapses: the page and the service worker both go through here.
import { Api } from "../api";
import { ApiError } from "../../kit/api/errors";
import type { AttendeeSession } from "../../api/types";
import { getValue, setValue } from "./db";

// Renew this long before the end, so no request leaves with a token about to lapse.
const RENEW_MARGIN_MS = 60 * 60 * 1000;

const renewer = new Api({ token: () => null });
let inflight: Promise<AttendeeSession> | null = null;

/** The claims of a JWT, read without checking it (the server checks; the phone only plans). */
export function tokenClaims(token: string): { exp?: number; sub?: string } {
  const payload = token.split(".")[1];
  if (!payload) return {};
  try {
    const claims: unknown = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
    return typeof claims === "object" && claims !== null ? (claims as { exp?: number; sub?: string }) : {};
  } catch {
    return {};
  }
}

export function needsRenewal(session: AttendeeSession, now = Date.now()): boolean {
  // Sessions saved before device tokens existed have none: they run until they expire.
  if (!session.device_token) return false;
  const exp = tokenClaims(session.access_token).exp;
  return typeof exp === "number" && exp * 1000 - now < RENEW_MARGIN_MS;
}

/** The session, renewed first if its access token lapses soon. Throws what the renewal met. */
export function renewedIfDue(session: AttendeeSession): Promise<AttendeeSession> {
  if (!needsRenewal(session)) return Promise.resolve(session);
  return renewNow(session);
}

/** Trade the device token for a fresh session and keep it. Throws ApiError or NetworkError. */
export function renewNow(session: AttendeeSession): Promise<AttendeeSession> {
  inflight ??= renew(session).finally(() => {
    inflight = null;
  });
  return inflight;
}

async function renew(session: AttendeeSession): Promise<AttendeeSession> {
  const renewed = await renewer.renew(session.device_token);
  const stored = await getValue("session");
  // Someone else signed in on this phone meanwhile: theirs is the session now.
  if (stored && stored.attendee_id !== renewed.attendee_id) return stored;
  await setValue("session", renewed);
  return renewed;
}

/** What a phone signed out by a re-issue is told: when, by whom, why. */
export interface ReissueNotice {
  reissued_at: string;
  organiser_name: string;
  organiser_email: string;
  reason: string;
}

export function reissueNoticeOf(error: unknown): ReissueNotice | null {
  if (!(error instanceof ApiError) || error.code !== "access_reissued") return null;
  const params = error.params;
  const text = (name: string): string => (typeof params[name] === "string" ? (params[name] as string) : "");
  return {
    reissued_at: text("reissued_at"),
    organiser_name: text("organiser_name"),
    organiser_email: text("organiser_email"),
    reason: text("reason"),
  };
}
