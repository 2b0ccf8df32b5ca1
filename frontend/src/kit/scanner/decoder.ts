// Loaded only when the camera opens: the native BarcodeDetector where the
// browser has one for QR codes, otherwise the barcode-detector polyfill on
// zxing-wasm, whose .wasm is served by this app (and precached by the service
// worker) — never fetched from a CDN.
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";

export interface QrDetector {
  detect(source: HTMLVideoElement | ImageBitmap | HTMLCanvasElement): Promise<Array<{ rawValue: string }>>;
}

interface NativeDetectorClass {
  new (options: { formats: string[] }): QrDetector;
  getSupportedFormats(): Promise<string[]>;
}

async function nativeDetector(): Promise<QrDetector | null> {
  const Native = (globalThis as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector;
  if (!Native) return null;
  try {
    const formats = await Native.getSupportedFormats();
    return formats.includes("qr_code") ? new Native({ formats: ["qr_code"] }) : null;
  } catch {
    return null;
  }
}

export async function createQrDetector(): Promise<QrDetector> {
  const native = await nativeDetector();
  if (native) return native;
  const { BarcodeDetector, prepareZXingModule } = await import("barcode-detector/ponyfill");
  // Instantiate now, so a missing or blocked .wasm is reported instead of
  // every detect() silently finding nothing.
  await prepareZXingModule({
    overrides: {
      locateFile: (path: string, prefix: string) => (path.endsWith(".wasm") ? wasmUrl : prefix + path),
    },
    fireImmediately: true,
  });
  return new BarcodeDetector({ formats: ["qr_code"] });
}
