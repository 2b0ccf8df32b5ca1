// The one place where the page talks to its service worker: registration,
// updates and Background Sync requests.

import { SYNC_TAG } from "./offline/outbox";

type UpdateListener = (apply: () => void) => void;
let onUpdate: UpdateListener | null = null;

export function whenUpdateReady(listener: UpdateListener): void {
  onUpdate = listener;
}

export async function registerServiceWorker(): Promise<void> {
  if (!("serviceWorker" in navigator) || import.meta.env.DEV) return;
  const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  if (!registration) return; // blocked (some embedded browsers, test harnesses)
  const offer = (worker: ServiceWorker) => {
    onUpdate?.(() => worker.postMessage({ type: "SKIP_WAITING" }));
  };
  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const installing = registration.installing;
    installing?.addEventListener("statechange", () => {
      if (installing.state === "installed" && navigator.serviceWorker.controller) offer(installing);
    });
  });
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloading || !hadController) return;
    reloading = true;
    location.reload();
  });
}

const hadController = typeof navigator !== "undefined" && !!navigator.serviceWorker?.controller;

interface SyncManager {
  register(tag: string): Promise<void>;
}

/** Ask the browser to wake the service worker when the network returns (Chromium only). */
export async function requestBackgroundSync(): Promise<void> {
  if (!("serviceWorker" in navigator)) return;
  try {
    const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
      sync?: SyncManager;
    };
    await registration.sync?.register(SYNC_TAG);
  } catch {
    // No Background Sync (Safari, Firefox) or not allowed: the page flushes on `online` and on start.
  }
}
