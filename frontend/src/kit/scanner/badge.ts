// A badge QR is `{public_base_url}/b/{token}`; the token is unpadded base64url
// of 23 bytes: event code (4) | attendee code (6) | version (1) | HMAC (12).
// Only the server can check the signature; the phone reads the attendee code
// to find the person in its cached directory while offline.

const TOKEN = /^[A-Za-z0-9_-]{20,64}$/;
const TOKEN_BYTES = 23;

export interface BadgeRef {
  /** What is sent to the server as `qr`: exactly what was scanned or typed. */
  qr: string;
  token: string;
  /** Hex of the attendee code, as in the directory's `badge_code`; null if unreadable. */
  badgeCode: string | null;
}

export function parseBadge(text: string): BadgeRef | null {
  const raw = text.trim();
  if (!raw) return null;
  let token = raw;
  const match = /\/b\/([A-Za-z0-9_-]+)\/?(?:[?#].*)?$/.exec(raw);
  if (match?.[1]) token = match[1];
  else if (/^https?:\/\//i.test(raw)) return null;
  if (!TOKEN.test(token)) return null;
  return { qr: raw, token, badgeCode: badgeCodeOf(token) };
}

export function badgeCodeOf(token: string): string | null {
  const bytes = base64UrlDecode(token);
  if (!bytes || bytes.length !== TOKEN_BYTES) return null;
  return Array.from(bytes.subarray(4, 10), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function base64UrlDecode(text: string): Uint8Array | null {
  try {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    const binary = atob(padded);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
