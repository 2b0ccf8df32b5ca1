// Times are shown and typed in the event's time zone, whatever the laptop's.
import { formatZonedRange, validDate, zonedFormat } from "../kit/format";

/** The UTC offset of a zone at an instant, in minutes (Paris in winter: 60). */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - (at.getTime() - at.getMilliseconds())) / 60_000);
}

/** "2026-06-12T18:30" typed for a zone → the instant as an ISO string with its offset. */
export function zonedInputToIso(value: string, timeZone: string): string | null {
  const found = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!found) return null;
  const [, y, mo, d, h, mi] = found.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // Two passes settle the offset on either side of a daylight-saving change.
  let offset = zoneOffsetMinutes(timeZone, new Date(wall));
  offset = zoneOffsetMinutes(timeZone, new Date(wall - offset * 60_000));
  return new Date(wall - offset * 60_000).toISOString();
}

/** An instant → the "YYYY-MM-DDTHH:mm" a datetime-local input shows for that zone. */
export function isoToZonedInput(iso: string, timeZone: string): string {
  const at = validDate(iso);
  if (!at) return "";
  const local = new Date(at.getTime() + zoneOffsetMinutes(timeZone, at) * 60_000);
  return local.toISOString().slice(0, 16);
}

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
