import { saveBlob } from "../kit/download";
import { api } from "./context";
import { errorMessage } from "./errors";
import { toast } from "./toast";

/** Fetch a file with the organiser's token and hand it to the browser as a download. */
export async function downloadFile(path: string, fallbackName: string): Promise<boolean> {
  try {
    const { blob, filename } = await api.download(path);
    saveBlob(blob, filename ?? fallbackName);
    return true;
  } catch (error) {
    toast(errorMessage(error), "error");
    return false;
  }
}
