// Opening the sealed offline card cache (backend: badges/sealed.py). Each card
// is sealed under a key of its own; that key is locked under an id and a key
// derived from the badge token (HKDF), and again from the short code (PBKDF2,
// then HKDF). Nothing here can list the cards: only a badge read, or a code
// typed, names one.
import type { SealedCardContent, SealedDirectory } from "../../api/types";
import { base64UrlDecode } from "../../kit/scanner/badge";

const encoder = new TextEncoder();
const ID_INFO = encoder.encode("rencontre/card-id");
const KEY_INFO = encoder.encode("rencontre/card-key");
const CARD_AAD = encoder.encode("rencontre/card");

type Lock = SealedDirectory["locks"][number];
const indexes = new WeakMap<SealedDirectory, Map<string, Lock>>();

function locks(directory: SealedDirectory): Map<string, Lock> {
  let index = indexes.get(directory);
  if (!index) {
    index = new Map(directory.locks.map((lock) => [lock.id, lock]));
    indexes.set(directory, index);
  }
  return index;
}

function bytes(text: string): Uint8Array<ArrayBuffer> {
  const decoded = base64UrlDecode(text);
  if (!decoded) throw new Error("malformed sealed cache");
  return new Uint8Array(decoded);
}

function base64Url(data: ArrayBuffer): string {
  const binary = String.fromCharCode(...new Uint8Array(data));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function open(directory: SealedDirectory, secret: BufferSource): Promise<SealedCardContent | null> {
  const salt = bytes(directory.salt);
  const material = await crypto.subtle.importKey("raw", secret, "HKDF", false, ["deriveBits", "deriveKey"]);
  const id = await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info: ID_INFO }, material, 128);
  const lock = locks(directory).get(base64Url(id));
  const card = lock ? directory.cards[lock.card] : undefined;
  if (!lock || !card) return null;
  const lockKey = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt, info: KEY_INFO },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["decrypt"],
  );
  try {
    const cardKey = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes(lock.iv), additionalData: new Uint8Array(id) },
      lockKey,
      bytes(lock.key),
    );
    const key = await crypto.subtle.importKey("raw", cardKey, "AES-GCM", false, ["decrypt"]);
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes(card.iv), additionalData: CARD_AAD }, key, bytes(card.box));
    return JSON.parse(new TextDecoder().decode(plain)) as SealedCardContent;
  } catch {
    return null;
  }
}

/** The card of the badge this token names, if the cache holds it. */
export function openWithToken(directory: SealedDirectory, token: string): Promise<SealedCardContent | null> {
  return open(directory, encoder.encode(token));
}

/** The card of the badge with this short code: one slow derivation (PBKDF2) per code tried. */
export async function openWithCode(directory: SealedDirectory, code: string): Promise<SealedCardContent | null> {
  const password = await crypto.subtle.importKey("raw", encoder.encode(code), "PBKDF2", false, ["deriveBits"]);
  const secret = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: bytes(directory.salt), iterations: directory.iterations },
    password,
    256,
  );
  return open(directory, secret);
}
