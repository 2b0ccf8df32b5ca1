// The console's own catalogue. The language preference is the one the PWA
// stores too, so one person sees one language on both.
import { en, type ConsoleKey } from "./en";
import { fr } from "./fr";

export type Lang = "fr" | "en";
export type { ConsoleKey };

const catalogues: Record<Lang, Record<ConsoleKey, string>> = { en, fr };
const STORAGE_KEY = "rencontre.lang";

function stored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function initialLang(): Lang {
  const saved = stored();
  if (saved === "fr" || saved === "en") return saved;
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const base = tag.toLowerCase().slice(0, 2);
    if (base === "fr" || base === "en") return base;
  }
  return "en";
}

let current: Lang = initialLang();
const listeners = new Set<() => void>();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = next;
  for (const listener of listeners) listener();
}

export function onLangChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function t(key: ConsoleKey, params: Record<string, string | number> = {}): string {
  const template = catalogues[current][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = params[name];
    if (value === undefined) return match;
    return typeof value === "number" ? formatNumber(value) : value;
  });
}

/** "1 attendee" / "12 attendees": the catalogue holds `key.one` and `key.many`. */
export function tn(key: string, count: number, params: Record<string, string | number> = {}): string {
  const form = count === 1 ? "one" : "many";
  return t(`${key}.${form}` as ConsoleKey, { n: count, ...params });
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(current).format(value);
}

document.documentElement.lang = current;
