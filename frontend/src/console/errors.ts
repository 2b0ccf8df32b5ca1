import { ApiError, NetworkError } from "./api";
import { hasKey, t } from "./i18n";

/** A sentence for the organiser: the server's own `detail`, or what went wrong on the way. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const key = `problem.${error.code}`;
    return hasKey(key) ? t(key) : error.detail;
  }
  if (error instanceof NetworkError) return t("error.network");
  if (error instanceof DOMException && error.name === "AbortError") return "";
  console.error(error);
  return t("error.unexpected");
}
