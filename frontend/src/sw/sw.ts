// The service worker, written by us. Workbox only injects the precache list
// (scripts/build-sw.mjs) and serves it. No API answer is cached here but the
// profile photos of people this attendee may see (bounded, emptied at sign-out):
// notes, contacts and exports stay out of the Cache Storage; the page keeps
// what it needs offline in IndexedDB.
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { ExpirationPlugin } from "workbox-expiration";
import { CacheFirst } from "workbox-strategies";

import { Api } from "../attendee/api";
import { getValue } from "../attendee/offline/db";
import { MAX_CACHED_PHOTOS, PHOTO_CACHE } from "../attendee/offline/photos";
import { flushEdits } from "../attendee/offline/edits";
import { flush, SYNC_TAG } from "../attendee/offline/outbox";
import { renewedIfDue } from "../attendee/offline/session";
import { openTarget, payloadOf } from "./push";

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Every PWA path (/, /join, /b/{token}, /contacts/…) is the app shell; the
// server's API, the organiser console and real files are not.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL("/index.html"), {
    denylist: [/^\/api(?:\/|$)/, /^\/console(?:\/|$)/, /\/[^/]+\.[a-z0-9]+$/i],
  }),
);

// Profile photos: an address names one photo for good (a new photo gets a new address), so
// a photo seen once is served from here, offline too. Only answers the server gave (200)
// are kept; a photo no longer shared is refused by the server and never stored.
registerRoute(
  ({ url, request }) => request.method === "GET" && url.origin === self.location.origin && url.pathname.startsWith("/api/photos/"),
  new CacheFirst({
    cacheName: PHOTO_CACHE,
    plugins: [new ExpirationPlugin({ maxEntries: MAX_CACHED_PHOTOS, purgeOnQuotaError: true })],
  }),
);

// The first version takes the open pages at once, so the app works offline
// from the first visit; later versions wait until the page agrees to reload.
self.addEventListener("install", () => {
  if (!self.registration.active) void self.skipWaiting();
});
clientsClaim();

self.addEventListener("message", (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: string } | null)?.type === "SKIP_WAITING") void self.skipWaiting();
});

async function flushFromWorker(): Promise<void> {
  const stored = await getValue("session");
  if (!stored) return;
  // A lapsed token is renewed here too: a sync may run long after the page last did.
  const session = await renewedIfDue(stored).catch(() => stored);
  const api = new Api({ token: () => session.access_token });
  const report = await flush(api, session.attendee_id);
  const error = report.error ?? (await flushEdits(api, session.attendee_id)).error;
  // Throwing asks the browser to fire `sync` again later.
  if (error) throw error instanceof Error ? error : new Error("sync failed");
}

self.addEventListener("sync", (event: Event) => {
  const sync = event as SyncEvent;
  if (sync.tag === SYNC_TAG) sync.waitUntil(flushFromWorker());
});

// Reminders by Web Push (issue 19): show what the server sent, open the list it points to.
self.addEventListener("push", (event: PushEvent) => {
  const payload = payloadOf(event.data);
  event.waitUntil(
    self.registration.showNotification(payload.title, {
      body: payload.body,
      tag: payload.tag,
      icon: "/icons/icon-192.png",
      badge: "/icons/icon-192.png",
      data: { url: payload.url, kind: payload.kind },
    }),
  );
});

self.addEventListener("notificationclick", (event: NotificationEvent) => {
  event.notification.close();
  const url = (event.notification.data as { url?: string } | null)?.url ?? "/contacts";
  event.waitUntil(
    self.clients
      .matchAll({ type: "window", includeUncontrolled: true })
      .then((windows) => openTarget(url, windows, (target) => self.clients.openWindow(target))),
  );
});
