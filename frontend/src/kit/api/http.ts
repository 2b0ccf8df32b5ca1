// The fetch core both API clients share (the PWA's, which also runs in the
// service worker, and the console's): no DOM here. Each client keeps its own
// policy (timeouts, retries, what a 401 means) on top of it.
import { NetworkError } from "./errors";

export type Query = Record<string, string | number | boolean | undefined | null>;

/** `path?key=value…`, leaving out empty values. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export interface RequestOptions {
  method: string;
  token: string | null;
  /** What the answer should be; problem+json is always accepted besides. */
  accept?: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: FormData;
  /** Raw bytes (a photo), sent with their own type. */
  blob?: Blob;
  signal?: AbortSignal | null;
}

/**
 * One request with the bearer token, never cached, never with cookies. Whatever
 * keeps it from an answer becomes a NetworkError, except the caller's own abort.
 */
export async function request(path: string, options: RequestOptions): Promise<Response> {
  const headers = new Headers({
    ...options.headers,
    Accept: `${options.accept ?? "application/json"}, application/problem+json`,
  });
  if (options.token) headers.set("Authorization", `Bearer ${options.token}`);
  let body: BodyInit | null = null;
  if (options.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(options.json);
  } else if (options.form) {
    body = options.form;
  } else if (options.blob) {
    headers.set("Content-Type", options.blob.type || "application/octet-stream");
    body = options.blob;
  }
  try {
    return await fetch(path, {
      method: options.method,
      headers,
      body,
      cache: "no-store",
      credentials: "omit",
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new NetworkError(cause);
  }
}

/** The body of a JSON answer; nothing for 204. */
export async function jsonOf<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A file answer as a Blob, with the name the server gave it (Content-Disposition), if any. */
export async function fileOf(response: Response): Promise<{ blob: Blob; filename: string | null }> {
  const disposition = response.headers.get("content-disposition") ?? "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const raw = star?.[1] ?? plain?.[1] ?? null;
  let filename: string | null = null;
  if (raw) {
    try {
      filename = decodeURIComponent(raw);
    } catch {
      filename = raw;
    }
  }
  return { blob: await response.blob(), filename };
}
