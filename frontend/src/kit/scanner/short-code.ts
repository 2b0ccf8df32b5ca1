// The short code printed under a badge's QR code (backend: badges/short_code.py).
// Crockford's base32 without U: no O, I, L or U is printed, and typing one is
// read as the character it is mistaken for. Case, spaces and dashes are ignored.

export const SHORT_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const SHORT_CODE_LENGTH = 6;

const LOOK_ALIKES: Record<string, string> = { O: "0", I: "1", L: "1", U: "V" };
const IGNORED = /[\s\-._·–—]/g;

/** The code as the server stores it, or null if the text cannot be one. */
export function normaliseShortCode(typed: string): string | null {
  if (typed.length > 32) return null;
  const code = Array.from(typed.toUpperCase().replace(IGNORED, ""), (char) => LOOK_ALIKES[char] ?? char).join("");
  if (code.length !== SHORT_CODE_LENGTH) return null;
  return Array.from(code).every((char) => SHORT_CODE_ALPHABET.includes(char)) ? code : null;
}

/** Two groups of three, as printed on the badge. */
export function printedShortCode(code: string): string {
  return `${code.slice(0, 3)} ${code.slice(3)}`;
}
