// Opening the sealed offline card cache (backend: badges/sealed.py). A card is
// filed under an id derived from its badge token, and again under one derived
// from its short code through PBKDF2; each opens with AES-GCM under a key
// derived the same way. Nothing here can list the cards: only a badge read, or
// a code typed, names one.
import type { SealedCardContent, SealedDirectory } from "../../api/types";
import { base64UrlDecode } from "../../kit/scanner/badge";

const encoder = new TextEncoder();
const ID_INFO = encoder.encode("rencontre/card-id");
const KEY_INFO = encoder.encode("rencontre/card-key");

type Entry = SealedDirectory["cards"][number];
const indexes = new WeakMap<SealedDirectory, Map<string, Entry>>();

function entries(directory: SealedDirectory): Map<string, Entry> {
  let index = indexes.get(directory);
  if (!index) {
    index = new Map(directory.cards.map((entry) => [entry.id, entry]));
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
  const entry = entries(directory).get(base64Url(id));
  if (!entry) return null;
  const key = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt, info: KEY_INFO },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["decrypt"],
  );
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes(entry.iv), additionalData: new Uint8Array(id) },
      key,
      bytes(entry.box),
    );
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
