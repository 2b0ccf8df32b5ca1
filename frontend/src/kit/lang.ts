// The interface language, shared by the PWA and the console: one stored
// preference, so one person sees one language on both.
export type Lang = "fr" | "en";

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

/**
 * The browser's own locale for the language the app speaks ("en-GB" for a British phone in
 * English, "fr-CA" in French), so dates, times and numbers read as the person expects: a
 * 24-hour clock in London, not the 12-hour one of plain "en". The bare language otherwise.
 */
export function locale(): string {
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  const match = preferred.find((tag) => tag?.toLowerCase().split("-")[0] === current);
  if (!match) return current;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([match]).length ? match : current;
  } catch {
    return current;
  }
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

document.documentElement.lang = current;
