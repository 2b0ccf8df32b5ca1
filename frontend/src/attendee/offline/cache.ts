// What the page keeps for offline use: the event's directory (public cards
// only), the attendee's profile and contacts. The service worker never caches
// API answers; the page does, here, and only these.
import type { Contact, PublicCard } from "../../api/types";
import { db, setValue, type DirectoryCard } from "./db";

/** Accepts the directory as a list of cards or as an object keyed by badge code. */
export function normaliseDirectory(payload: unknown): DirectoryCard[] {
  const cards: DirectoryCard[] = [];
  const visit = (value: unknown, key?: string): void => {
    if (!value || typeof value !== "object") return;
    const card = value as PublicCard;
    const code = card.badge_code ?? key;
    if (typeof card.name === "string" && typeof code === "string") cards.push({ ...card, badge_code: code });
  };
  const body = payload as { items?: unknown; cards?: unknown; attendees?: unknown } | unknown[] | null;
  const list = Array.isArray(body) ? body : (body?.items ?? body?.cards ?? body?.attendees ?? body);
  if (Array.isArray(list)) list.forEach((value) => visit(value));
  else if (list && typeof list === "object") Object.entries(list).forEach(([key, value]) => visit(value, key));
  return cards;
}

export async function saveDirectory(payload: unknown): Promise<number> {
  const cards = normaliseDirectory(payload);
  const database = await db();
  const tx = database.transaction("directory", "readwrite");
  await tx.store.clear();
  for (const card of cards) await tx.store.put(card);
  await tx.done;
  await setValue("directory.synced_at", new Date().toISOString());
  return cards.length;
}

export async function cardByBadgeCode(code: string): Promise<DirectoryCard | undefined> {
  return (await db()).get("directory", code);
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
