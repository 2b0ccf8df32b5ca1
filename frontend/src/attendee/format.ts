import { formatZonedRange, validDate, zonedFormat } from "../kit/format";
import { t, type MessageKey } from "./i18n";

const FOLLOW_UP_WINDOW_MS = 48 * 60 * 60 * 1000;

/** "14:05" today, "Tue 14:05" on another day — always in the event's time zone. */
export function formatMoment(iso: string, timeZone?: string, now = new Date()): string {
  const date = validDate(iso);
  if (!date) return "";
  const day = zonedFormat(timeZone, { year: "numeric", month: "2-digit", day: "2-digit" });
  const time = zonedFormat(timeZone, { hour: "2-digit", minute: "2-digit" });
  if (day.format(date) === day.format(now)) return time.format(date);
  return zonedFormat(timeZone, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(date);
}

/** "4 décembre 2026 à 20:45": a moment told in full, in the event's time zone. */
export function formatDateTime(iso: string, timeZone?: string): string {
  const date = validDate(iso);
  if (!date) return "";
  return zonedFormat(timeZone, { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" }).format(date);
}

export function formatDateRange(startIso: string, endIso: string, timeZone?: string): string {
  const options = { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" } as const;
  return formatZonedRange(startIso, endIso, timeZone, options);
}

export interface Countdown {
  label: string;
  state: "open" | "urgent" | "over" | "done";
}

/** Time left in the 48-hour follow-up window that opens when two people meet. */
export function followUpCountdown(
  contact: { met_at: string; follow_up: string; follow_up_due_at?: string | null },
  now = Date.now(),
): Countdown {
  if (contact.follow_up === "done") return { label: t("countdown.done"), state: "done" };
  const until = contact.follow_up_due_at
    ? new Date(contact.follow_up_due_at).getTime()
    : new Date(contact.met_at).getTime() + FOLLOW_UP_WINDOW_MS;
  const left = until - now;
  if (!(left > 0)) return { label: t("countdown.over"), state: "over" };
  const hours = Math.floor(left / 3_600_000);
  const minutes = Math.floor((left % 3_600_000) / 60_000);
  return { label: t("countdown.left", { h: hours, m: minutes }), state: hours < 6 ? "urgent" : "open" };
}

// "follow_up" was a quick tag too: the follow-up state says it now, so it is no longer
// offered, but contacts that carry it still show it in words.
export const QUICK_TAGS = ["hot_lead", "partner", "candidate", "investor", "speaker"] as const;
const WORDED_TAGS: readonly string[] = [...QUICK_TAGS, "follow_up"];

/** Quick tags are stored by key and shown in the user's language; other tags as written. */
export function tagLabel(tag: string): string {
  return WORDED_TAGS.includes(tag) ? t(`tag.${tag}` as MessageKey) : tag;
}

export function objectiveLabel(objective: string | undefined | null): string {
  if (!objective) return "";
  const key = `profile.objective.${objective}` as MessageKey;
  const label = t(key);
  return label === key ? objective : label;
}

/** A person's objectives in words, "other" told in their own words when they gave some. */
export function objectivesLabel(objectives: readonly string[] | null | undefined, other?: string | null): string {
  return (objectives ?? [])
    .map((objective) => (objective === "other" && other?.trim() ? other.trim() : objectiveLabel(objective)))
    .filter(Boolean)
    .join(", ");
}

export { colourSlot, initials } from "../kit/initials";

/** Only http(s) links leave the app: a "website" of `javascript:…` becomes plain text. */
export function safeUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  const text = value.trim();
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
  try {
    const url = new URL(candidate);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

// Retention (issue 19)
/** "11 décembre 2026": a day told in full, in the event's time zone. */
export function formatDate(iso: string, timeZone?: string): string {
  const date = validDate(iso);
  if (!date) return "";
  return zonedFormat(timeZone, { day: "numeric", month: "long", year: "numeric" }).format(date);
}
