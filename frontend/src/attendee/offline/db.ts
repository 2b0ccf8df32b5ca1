// The phone's own database: the outbox of scans not yet acknowledged, contact
// edits not yet saved, the event's directory and the attendee's data for offline use. Used by the page
// and by the service worker (Background Sync), so it never touches the DOM.
import { openDB, type DBSchema, type IDBPDatabase } from "idb";

import type {
  AttendeeSession,
  BadgeInfo,
  Contact,
  ContactUpdate,
  Me,
  PublicCard,
  ScanNotices,
  ScanRequest,
  SealedDirectory,
  Suggestions,
} from "../../api/types";
import { forgetPhotos } from "./photos";
import type { MeetRequests, PersonEntry } from "../../api/types";
import type { MySession } from "../../api/types";
import type { MetPerson } from "../live/met";

export interface OutboxItem extends ScanRequest {
  /** Whose scan this is: only that attendee's session may send it. */
  attendee_id: string;
  queued_at: string;
  attempts: number;
  last_error?: string;
  /** For display while offline; never sent. */
  badge_code?: string | null;
  name?: string | null;
}

export interface RejectedItem extends OutboxItem {
  detail: string;
  rejected_at: string;
  /** Recorded, but without its note: the contact's note was full. Kept to show the note. */
  note_full?: boolean;
}

/** A contact edit not yet saved by the server (see edits.ts). */
export interface PendingEdit {
  contact_id: string;
  /** Whose edit this is: only that attendee's session may send it. */
  attendee_id: string;
  /** The contact as it was when the edit was made: its version goes as If-Match. */
  base: Contact;
  update: ContactUpdate;
  queued_at: string;
  /** queued: to send; conflict: the note changed on both sides; refused: `detail` says why. */
  state: "queued" | "conflict" | "refused";
  detail?: string;
}

/**
 * What was typed on a scan's card before the scan's contact was known (the scan still
 * waits in the outbox): kept apart from the scan, which is sent as it was queued so a
 * retry stays the same scan. Once the scan is acknowledged (`contact_id` set in the same
 * transaction), it becomes an edit of that contact (see captures.ts).
 */
export interface Capture {
  /** The scan's client id. */
  client_id: string;
  attendee_id: string;
  note: string;
  tags: string[];
  rating: number | null;
  updated_at: string;
  contact_id?: string;
}

export interface DirectoryCard extends PublicCard {
  badge_code: string;
}

export interface KeyValues {
  session: AttendeeSession;
  me: Me;
  badge: BadgeInfo;
  "directory.synced_at": string;
  "contacts.synced_at": string;
  /** The event's sealed card cache (offline/sealed.ts opens one card at a time). */
  "directory.sealed": SealedDirectory;
  /** Who scanned me (issue 16): the last list the server gave. */
  scanNotices: ScanNotices;
  // Who-to-meet: the opt-in directory and the requests, as last seen online.
  people: PersonEntry[];
  "people.synced_at": string;
  "people.language": string;
  "people.requests": MeetRequests;
  // Suggestions (who-to-meet): the last list, for reading offline.
  suggestions: SavedSuggestions;
  // Formats (issue 20): the sessions as last pushed, the clock offset, the people met.
  "live.sessions": MySession[];
  "live.offset": number;
  "live.met": MetPerson[];
}

export interface SavedSuggestions {
  answer: Suggestions;
  saved_at: string;
}

interface RencontreSchema extends DBSchema {
  kv: { key: string; value: unknown };
  outbox: { key: string; value: OutboxItem; indexes: { "by-queued-at": string } };
  rejected: { key: string; value: RejectedItem };
  edits: { key: string; value: PendingEdit };
  directory: { key: string; value: DirectoryCard };
  contacts: { key: string; value: Contact; indexes: { "by-met-at": string } };
  captures: { key: string; value: Capture };
}

export type RencontreDB = IDBPDatabase<RencontreSchema>;

const NAME = "rencontre";
const VERSION = 3;

let opening: Promise<RencontreDB> | null = null;

export function db(): Promise<RencontreDB> {
  opening ??= openDB<RencontreSchema>(NAME, VERSION, {
    upgrade(database, oldVersion) {
      // One step per version, in order, so any old phone catches up.
      if (oldVersion < 1) {
        database.createObjectStore("kv");
        const outbox = database.createObjectStore("outbox", { keyPath: "client_id" });
        outbox.createIndex("by-queued-at", "queued_at");
        database.createObjectStore("rejected", { keyPath: "client_id" });
        database.createObjectStore("directory", { keyPath: "badge_code" });
        const contacts = database.createObjectStore("contacts", { keyPath: "id" });
        contacts.createIndex("by-met-at", "met_at");
      }
      if (oldVersion < 2) {
        database.createObjectStore("edits", { keyPath: "contact_id" });
      }
      if (oldVersion < 3) {
        database.createObjectStore("captures", { keyPath: "client_id" });
      }
    },
    blocking() {
      // A newer version of the app wants to upgrade: let it.
      void opening?.then((database) => database.close());
      opening = null;
    },
  });
  return opening;
}

export async function getValue<K extends keyof KeyValues>(key: K): Promise<KeyValues[K] | undefined> {
  return (await (await db()).get("kv", key)) as KeyValues[K] | undefined;
}

export async function setValue<K extends keyof KeyValues>(key: K, value: KeyValues[K]): Promise<void> {
  await (await db()).put("kv", value, key);
}

export async function deleteValue(key: keyof KeyValues): Promise<void> {
  await (await db()).delete("kv", key);
}

/** Forget everything about the signed-in attendee except scans and edits still waiting to be sent. */
export async function clearPersonalData(): Promise<void> {
  const database = await db();
  const tx = database.transaction(["kv", "directory", "contacts", "rejected"], "readwrite");
  await Promise.all([
    tx.objectStore("kv").clear(),
    tx.objectStore("directory").clear(),
    tx.objectStore("contacts").clear(),
    tx.objectStore("rejected").clear(),
    tx.done,
    forgetPhotos(),
  ]);
}
