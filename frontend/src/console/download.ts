import { api } from "./context";
import { errorMessage } from "./errors";
import { toast } from "./toast";

/** Fetch a file with the organiser's token and hand it to the browser as a download. */
export async function downloadFile(path: string, fallbackName: string): Promise<boolean> {
  try {
    const { blob, filename } = await api.download(path);
    const url = URL.createObjectURL(blob);
    const anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = filename ?? fallbackName;
    anchor.hidden = true;
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return true;
  } catch (error) {
    toast(errorMessage(error), "error");
    return false;
  }
}
