import { lang } from "../kit/lang";
import { en, type MessageKey } from "./en";
import { fr } from "./fr";

export { lang, onLangChange, setLang, type Lang } from "../kit/lang";
export type { MessageKey };

const catalogues = { en, fr } as const;

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogues[lang()][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in params ? String(params[name]) : match,
  );
}

export function plural(count: number, one: MessageKey, many: MessageKey): string {
  return count === 1 ? t(one) : t(many, { n: count });
}
