import { t } from "./i18n";
import { toast } from "./toast";

export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    toast(t("invite.copied"));
  } catch {
    toast(t("invite.copyFailed"), "error");
  }
}
