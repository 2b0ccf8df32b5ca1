import { en, type MessageKey } from "./en";
import { fr } from "./fr";

export type Lang = "fr" | "en";
export type { MessageKey };

const catalogues: Record<Lang, Record<MessageKey, string>> = { en, fr };
const STORAGE_KEY = "rencontre.lang";

function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === "fr" || stored === "en") return stored;
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
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
  for (const listener of listeners) listener();
}

export function onLangChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogues[current][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in params ? String(params[name]) : match,
  );
}

export function plural(count: number, one: MessageKey, many: MessageKey): string {
  return count === 1 ? t(one) : t(many, { n: count });
}

document.documentElement.lang = current;
