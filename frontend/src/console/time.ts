// Times are shown and typed in the event's time zone, whatever the laptop's.
import { formatZonedRange, validDate, zonedFormat } from "../kit/format";

export { isoToZonedInput, zonedInputToIso, zoneOffsetMinutes } from "../kit/zoned-input";

export function timeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.("timeZone");
  const zones = supported?.length ? [...supported] : ["Europe/Paris", "Europe/London", "America/New_York"];
  if (!zones.includes("UTC")) zones.unshift("UTC");
  return zones;
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "Europe/Paris";
}

export function formatDateTime(iso: string, timeZone?: string): string {
  const at = validDate(iso);
  if (!at) return "";
  return zonedFormat(timeZone, { dateStyle: "medium", timeStyle: "short" }).format(at);
}

export function formatTime(iso: string | number, timeZone?: string): string {
  const at = validDate(iso);
  if (!at) return "";
  return zonedFormat(timeZone, { timeStyle: "short" }).format(at);
}

export function formatRange(startIso: string, endIso: string, timeZone?: string): string {
  if (!validDate(endIso)) return "";
  return formatZonedRange(startIso, endIso, timeZone, { dateStyle: "medium", timeStyle: "short" });
}

/** "1 h 05" or "12 min": how long someone has been in the room. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = String(minutes % 60).padStart(2, "0");
  return `${hours} h ${rest}`;
}
