import { ApiError, NetworkError } from "./api";
import { problemText, t } from "./i18n";

/** A sentence for the organiser: the server's own `detail`, or what went wrong on the way. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return problemText(error);
  if (error instanceof NetworkError) return t("error.network");
  if (error instanceof DOMException && error.name === "AbortError") return "";
  console.error(error);
  return t("error.unexpected");
}
