// What the page keeps for offline use: the event's sealed card cache (a card
// opens only with its badge or short code), the attendee's profile and contacts. The service worker never caches
// API answers; the page does, here, and only these.
import type { Contact, SealedCardContent, SealedDirectory } from "../../api/types";
import { db, getValue, setValue, type DirectoryCard } from "./db";
import { openWithCode, openWithToken } from "./sealed";
import { badgeCodeOf } from "../../kit/scanner/badge";

let sealedCopy: Promise<SealedDirectory | undefined> | null = null;

function sealedDirectory(): Promise<SealedDirectory | undefined> {
  sealedCopy ??= getValue("directory.sealed");
  return sealedCopy;
}

/** Forget the in-memory copy (sign-out): the stored one goes with the personal data. */
export function forgetDirectory(): void {
  sealedCopy = null;
}

/** Keep the event's sealed card cache; whether every card is in it yet (see `complete`). */
export async function saveDirectory(directory: SealedDirectory): Promise<boolean> {
  const database = await db();
  const tx = database.transaction(["kv", "directory"], "readwrite");
  // Older versions kept the cards in clear, one per row: they go.
  await tx.objectStore("directory").clear();
  await tx.objectStore("kv").put(directory, "directory.sealed");
  await tx.objectStore("kv").put(new Date().toISOString(), "directory.synced_at");
  await tx.done;
  sealedCopy = Promise.resolve(directory);
  return directory.complete;
}

function publicCard(content: SealedCardContent | null): DirectoryCard | undefined {
  const badgeCode = content ? badgeCodeOf(content.token) : null;
  if (!content || !badgeCode) return undefined;
  const { token: _token, ...card } = content;
  return { ...card, badge_code: badgeCode };
}

/** The card of the badge this token names, from the sealed cache (offline). */
export async function cardForToken(token: string): Promise<DirectoryCard | undefined> {
  const directory = await sealedDirectory();
  return directory ? publicCard(await openWithToken(directory, token)) : undefined;
}

/** The badge token and card a short code names, from the sealed cache (offline). */
export async function badgeForCode(code: string): Promise<{ token: string; card: DirectoryCard } | undefined> {
  const directory = await sealedDirectory();
  const content = directory ? await openWithCode(directory, code) : null;
  const card = publicCard(content);
  return content && card ? { token: content.token, card } : undefined;
}

export async function saveContacts(contacts: Contact[]): Promise<void> {
  const database = await db();
  const tx = database.transaction("contacts", "readwrite");
  await tx.store.clear();
  for (const contact of contacts) await tx.store.put(contact);
  await tx.done;
  await setValue("contacts.synced_at", new Date().toISOString());
}

export async function saveContact(contact: Contact): Promise<void> {
  await (await db()).put("contacts", contact);
}

export async function cachedContacts(): Promise<Contact[]> {
  const contacts = await (await db()).getAllFromIndex("contacts", "by-met-at");
  return contacts.reverse();
}

export async function cachedContact(id: string): Promise<Contact | undefined> {
  return (await db()).get("contacts", id);
}

/** The contact already made with this person, if this phone knows of one. */
export async function contactWith(person: { badgeCode?: string | null; attendeeId?: string | null }): Promise<Contact | undefined> {
  const contacts = await (await db()).getAll("contacts");
  return contacts.find(
    (contact) =>
      (person.badgeCode && contact.person.badge_code === person.badgeCode) ||
      (person.attendeeId && contact.person.attendee_id === person.attendeeId),
  );
}
