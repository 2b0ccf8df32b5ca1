// The console's own catalogue; the language preference is shared with the PWA.
import { createCatalogue } from "../../kit/i18n";
import { en, type ConsoleKey } from "./en";
import { fr } from "./fr";

export { lang, onLangChange, setLang, type Lang } from "../../kit/lang";
export { formatNumber } from "../../kit/format";
export type { ConsoleKey };

export const { t, tn, hasKey, problemText } = createCatalogue(en, fr, { localiseNumbers: true });
