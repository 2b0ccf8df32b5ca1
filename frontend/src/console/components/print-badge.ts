import { saveBlob } from "../../kit/download";
import { api } from "../context";
import { errorMessage } from "../errors";
import { t } from "../i18n";
import { toast } from "../toast";

/**
 * One attendee's badge as a PDF, opened in a new tab for printing. The tab is opened before
 * the download (a browser lets a click open a window, not a later promise); if it could not
 * be opened, the PDF is saved instead.
 */
export async function printBadge(eventId: string, attendeeId: string): Promise<void> {
  const tab = window.open("", "_blank");
  try {
    const { blob } = await api.download(api.badgesPdfPath(eventId, "a6", [attendeeId]));
    if (tab && !tab.closed) {
      const url = URL.createObjectURL(blob);
      tab.location.href = url;
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } else {
      saveBlob(blob, "badge.pdf");
      toast(t("attendee.printBadge.popup"));
    }
  } catch (error) {
    tab?.close();
    toast(errorMessage(error), "error");
  }
}
