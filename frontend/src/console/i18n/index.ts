// The console's own catalogue; the language preference is shared with the PWA.
import { lang } from "../../kit/lang";
import { en, type ConsoleKey } from "./en";
import { fr } from "./fr";

export { lang, onLangChange, setLang, type Lang } from "../../kit/lang";
export type { ConsoleKey };

const catalogues = { en, fr } as const;

export function t(key: ConsoleKey, params: Record<string, string | number> = {}): string {
  const template = catalogues[lang()][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = params[name];
    if (value === undefined) return match;
    return typeof value === "number" ? formatNumber(value) : value;
  });
}

/** Whether the catalogue has `key`: for keys made from what the server sends (a field, a code). */
export function hasKey(key: string): key is ConsoleKey {
  return Object.hasOwn(en, key);
}

/** "1 attendee" / "12 attendees": the catalogue holds `key.one` and `key.many`. */
export function tn(key: string, count: number, params: Record<string, string | number> = {}): string {
  const form = count === 1 ? "one" : "many";
  return t(`${key}.${form}` as ConsoleKey, { n: count, ...params });
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(lang()).format(value);
}

