// Dates and numbers in the reader's language. Times are told in the event's
// time zone, whatever the device's, so every screen agrees on when things happen.
import { locale } from "./lang";

/** A formatter for the reader's language in `timeZone`; an unknown zone falls back to the device's own. */
export function zonedFormat(timeZone: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale(), { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat(locale(), options);
  }
}

/** A date from an ISO string or a timestamp; null when it is not one. */
export function validDate(value: string | number): Date | null {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(locale()).format(value);
}

/** "12 – 13 June, 09:00 – 18:00": a span told once where its ends share a day or a month. */
export function formatZonedRange(
  startIso: string,
  endIso: string,
  timeZone: string | undefined,
  options: Intl.DateTimeFormatOptions,
): string {
  const start = validDate(startIso);
  if (!start) return "";
  const format = zonedFormat(timeZone, options);
  const end = validDate(endIso);
  if (!end) return format.format(start);
  const range = format as Intl.DateTimeFormat & { formatRange?: (a: Date, b: Date) => string };
  return range.formatRange ? range.formatRange(start, end) : `${format.format(start)} – ${format.format(end)}`;
}
