// Date and time inputs read and filled in a given time zone (the event's), whatever the device's:
// what the organiser types on a laptop, and what an attendee proposes on a phone.
import { validDate } from "./format";

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
