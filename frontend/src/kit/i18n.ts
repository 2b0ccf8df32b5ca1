// The catalogue loader both apps use: each brings its English catalogue (which
// names the keys and is the fallback) and its French one; the language is the
// one shared preference of kit/lang.
import { formatNumber } from "./format";
import { lang, type Lang } from "./lang";

export type Params = Record<string, string | number>;

export interface CatalogueOptions {
  /** Numbers in parameters in the reader's locale ("1 234"), or as they are ("1234"). */
  localiseNumbers?: boolean;
}

export interface Catalogue<K extends string> {
  t(key: K, params?: Params): string;
  /** "1 contact" / "3 contacts": the `one` text (French: 0 and 1) or the `many` one, with `{n}`. */
  plural(count: number, one: K, many: K, params?: Params): string;
  /** `plural` over a pair of keys `key.one` and `key.many`. */
  tn(key: string, count: number, params?: Params): string;
  /** Whether the catalogue has `key`: for keys made from what the server sends (a field, a code). */
  hasKey(key: string): key is K;
  /** A refusal in the reader's words: the catalogue's `problem.<code>` text when there is one, else the server's own sentence. */
  problemText(problem: { code: string; detail: string }): string;
}

export function createCatalogue<K extends string>(
  en: Record<K, string>,
  fr: Record<K, string>,
  { localiseNumbers = false }: CatalogueOptions = {},
): Catalogue<K> {
  const catalogues: Record<Lang, Record<K, string>> = { en, fr };
  const hasKey = (key: string): key is K => Object.hasOwn(en, key);

  const t = (key: K, params: Params = {}): string => {
    const template = catalogues[lang()][key] ?? en[key];
    return template.replace(/\{(\w+)\}/g, (match, name: string) => {
      const value = params[name];
      if (value === undefined) return match;
      return typeof value === "number" && localiseNumbers ? formatNumber(value) : String(value);
    });
  };

  // The language's own rule: French says "0 connexion", English "0 connections".
  const plural = (count: number, one: K, many: K, params: Params = {}): string =>
    t(new Intl.PluralRules(lang()).select(count) === "one" ? one : many, { n: count, ...params });

  const tn = (key: string, count: number, params: Params = {}): string =>
    plural(count, `${key}.one` as K, `${key}.many` as K, params);

  const problemText = (problem: { code: string; detail: string }): string => {
    const key = `problem.${problem.code}`;
    return hasKey(key) ? t(key) : problem.detail;
  };

  return { t, plural, tn, hasKey, problemText };
}
