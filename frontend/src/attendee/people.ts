// Who-to-meet on the phone: the opt-in directory and the requests, kept in IndexedDB so the
// directory opens and searches offline, refreshed whenever the phone is online.
import type { MeetRequests, MeetState, PersonEntry } from "../api/types";
import { ApiError, NetworkError } from "../kit/api/errors";
import { fold } from "../kit/fold";
import { problemText, t } from "./i18n";
import { getValue, setValue } from "./offline/db";
import { api } from "./state";

const PAGE = 200;

export interface PeopleFilters {
  q: string;
  objective: string;
  interest: string;
}

export interface PeopleSnapshot {
  entries: PersonEntry[];
  syncedAt: string | null;
  language: string | null;
}

/** The directory as this phone last saw it. */
export async function cachedPeople(): Promise<PeopleSnapshot> {
  const [entries, syncedAt, language] = await Promise.all([
    getValue("people"),
    getValue("people.synced_at"),
    getValue("people.language"),
  ]);
  return { entries: entries ?? [], syncedAt: syncedAt ?? null, language: language ?? null };
}

/** Every page of the directory, saved for offline use; the server's refusals (closed, not in it) are thrown. */
export async function refreshPeople(language: string): Promise<PeopleSnapshot> {
  const entries: PersonEntry[] = [];
  let cursor: string | null = null;
  do {
    const page = await api.people({ limit: PAGE, language, cursor });
    entries.push(...page.items);
    cursor = page.next_cursor ?? null;
  } while (cursor);
  const syncedAt = new Date().toISOString();
  await Promise.all([
    setValue("people", entries),
    setValue("people.synced_at", syncedAt),
    setValue("people.language", language),
  ]);
  return { entries, syncedAt, language };
}

function haystack(entry: PersonEntry): string {
  const card = entry.card;
  return fold(
    [
      card.name,
      card.company,
      card.job_title,
      card.pitch,
      (card.objectives ?? []).includes("other") ? card.objective_other : "",
      ...(card.interests ?? []),
      ...(card.offers ?? []),
      ...(card.seeks ?? []),
    ]
      .filter(Boolean)
      .join("\n"),
  );
}

/** The same search as the server's: every folded word found somewhere on the card. */
export function filterPeople(entries: PersonEntry[], filters: PeopleFilters): PersonEntry[] {
  const words = fold(filters.q.trim()).split(/\s+/).filter(Boolean);
  const interest = fold(filters.interest.trim());
  return entries.filter((entry) => {
    if (filters.objective && !(entry.card.objectives ?? []).includes(filters.objective)) return false;
    if (interest && !(entry.card.interests ?? []).some((i) => fold(i) === interest)) return false;
    if (!words.length) return true;
    const text = haystack(entry);
    return words.every((word) => text.includes(word));
  });
}

/** The interests found in the directory, each once (first spelling kept), most common first. */
export function interestsOf(entries: PersonEntry[]): string[] {
  const counts = new Map<string, { label: string; n: number }>();
  for (const entry of entries) {
    for (const interest of entry.card.interests ?? []) {
      const key = fold(interest);
      const found = counts.get(key);
      if (found) found.n += 1;
      else counts.set(key, { label: interest, n: 1 });
    }
  }
  return [...counts.values()].sort((a, b) => b.n - a.n || a.label.localeCompare(b.label)).map((c) => c.label);
}

export async function cachedRequests(): Promise<MeetRequests | null> {
  return (await getValue("people.requests")) ?? null;
}

export async function refreshRequests(language: string): Promise<MeetRequests> {
  const requests = await api.meetRequests(language);
  await setValue("people.requests", requests);
  return requests;
}

/** Keep the cached directory in step with a request just sent or answered. */
export async function rememberState(attendeeId: string, meet: MeetState): Promise<void> {
  const entries = await getValue("people");
  if (!entries) return;
  await setValue(
    "people",
    entries.map((entry) => (entry.card.attendee_id === attendeeId ? { ...entry, meet } : entry)),
  );
}

/** After a block the person leaves this phone's directory at once. */
export async function forgetPerson(attendeeId: string): Promise<void> {
  const entries = await getValue("people");
  if (entries) await setValue("people", entries.filter((entry) => entry.card.attendee_id !== attendeeId));
}

/** What to tell the attendee when a who-to-meet action failed, in their language. */
export function failureText(error: unknown): string {
  if (error instanceof ApiError) return problemText(error);
  return error instanceof NetworkError ? t("error.offline") : t("error.generic");
}
