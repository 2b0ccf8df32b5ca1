import { createCatalogue } from "../../kit/i18n";
import { en, type MessageKey } from "./en";
import { fr } from "./fr";

export { lang, onLangChange, setLang, type Lang } from "../../kit/lang";
export type { MessageKey };

export const { t, plural, problemText } = createCatalogue(en, fr);
