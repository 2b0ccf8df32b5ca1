import type { FieldError, Problem } from "../../api/types";

/** The server answered with an error: `detail` is a sentence meant for the user. */
export class ApiError extends Error {
  readonly status: number;
  /** The problem's stable machine name (`badge_revoked`…): what the apps translate. */
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[];
  /** What phrasing the problem needs, by code (`access_reissued`: who and when). */
  readonly params: Record<string, unknown>;

  /** How long the server asked to wait before trying again (Retry-After), when it said. */
  readonly retryAfterMs: number | null;

  constructor(problem: Problem, retryAfterMs: number | null = null) {
    super(problem.detail || problem.title);
    this.retryAfterMs = retryAfterMs;
    this.name = "ApiError";
    this.status = problem.status;
    this.code = problem.code;
    this.detail = problem.detail || problem.title;
    const params = (problem as Problem & { params?: unknown }).params;
    this.params = typeof params === "object" && params !== null ? (params as Record<string, unknown>) : {};
    this.errors = (problem.errors ?? []).map((error) => ({
      field: String(error["field"] ?? ""),
      message: String(error["message"] ?? ""),
    }));
  }

  /** Worth retrying later: the server was there but could not take it now. */
  get transient(): boolean {
    return this.status >= 500 || this.status === 429 || this.status === 408;
  }
}

/** The request never got an answer: offline, DNS, server down, aborted. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : "network error");
    this.name = "NetworkError";
  }
}

export async function problemFrom(response: Response): Promise<Problem> {
  const fallback: Problem = {
    type: "about:blank",
    title: response.statusText || "Error",
    status: response.status,
    code: "http_error",
    detail: response.statusText || `The server answered ${response.status}.`,
  };
  const type = response.headers.get("content-type") ?? "";
  if (!type.includes("json")) return fallback;
  try {
    const body = (await response.json()) as Partial<Problem> & { detail?: unknown };
    if (typeof body.detail === "string" && body.detail) {
      const code = typeof body.code === "string" && body.code ? body.code : fallback.code;
      return { ...fallback, ...body, code, detail: body.detail, status: response.status };
    }
    return { ...fallback, title: body.title ?? fallback.title };
  } catch {
    return fallback;
  }
}

/** The server's Retry-After (seconds or an HTTP date), in milliseconds; null when absent or past. */
export function retryAfterOf(response: Response, now = Date.now()): number | null {
  const value = response.headers.get("retry-after")?.trim();
  if (!value) return null;
  const seconds = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}

/**
 * Whether the same request may work if tried again: no answer (the network), or the server
 * busy or failing (5xx, 408, 429 once its delay passed). Never a refusal (4xx): the same
 * request would be refused again, so offering "Try again" would only mislead.
 */
export function canRetry(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  if (error instanceof DOMException) return error.name === "TimeoutError";
  return error instanceof ApiError && error.transient;
}
