import { lang } from "../../kit/lang";
import { en, type MessageKey } from "./en";
import { fr } from "./fr";

export { lang, onLangChange, setLang, type Lang } from "../../kit/lang";
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

/** What to tell the attendee about a refusal: the catalogue's `problem.<code>` text when
 * there is one, else the server's own sentence. */
export function problemText(problem: { code: string; detail: string }): string {
  const key = `problem.${problem.code}`;
  return Object.hasOwn(en, key) ? t(key as MessageKey) : problem.detail;
}
