// Reminders by Web Push: this phone's subscription, asked for at a sensible moment (never at
// first launch), and what happens when the browser or the person says no.
import { lang } from "./i18n";
import { api } from "./state";

export type ReminderState = "on" | "off" | "denied" | "unsupported";
export type EnableOutcome = "on" | "denied" | "unsupported" | "failed";

const OFFER_KEY = "rencontre.reminders.offer";
// Subscribing needs the browser's push service: on a venue's Wi-Fi it may hang rather than fail.
const SUBSCRIBE_TIMEOUT_MS = 15_000;

export function pushSupported(): boolean {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

async function registration(): Promise<ServiceWorkerRegistration> {
  return withTimeout(navigator.serviceWorker.ready, SUBSCRIBE_TIMEOUT_MS);
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const padded = base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64url.length % 4)) % 4);
  const raw = atob(padded);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

export async function reminderState(): Promise<ReminderState> {
  if (!pushSupported()) return "unsupported";
  if (Notification.permission === "denied") return "denied";
  if (Notification.permission !== "granted") return "off";
  try {
    const existing = await (await registration()).pushManager.getSubscription();
    return existing ? "on" : "off";
  } catch {
    return "off";
  }
}

/** Ask the browser, subscribe with the server's key, and tell the server. */
export async function enableReminders(): Promise<EnableOutcome> {
  if (!pushSupported()) return "unsupported";
  const permission = await Notification.requestPermission();
  if (permission !== "granted") return "denied";
  try {
    const { public_key } = await api.pushKey();
    const manager = (await registration()).pushManager;
    const subscription =
      (await manager.getSubscription()) ??
      (await withTimeout(
        manager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(public_key) }),
        SUBSCRIBE_TIMEOUT_MS,
      ));
    const json = subscription.toJSON();
    await api.subscribePush({
      endpoint: json.endpoint ?? subscription.endpoint,
      keys: { p256dh: json.keys?.p256dh ?? "", auth: json.keys?.auth ?? "" },
      language: lang(),
    });
    dismissOffer();
    return "on";
  } catch {
    return "failed";
  }
}

export async function disableReminders(): Promise<void> {
  if (!pushSupported()) return;
  const subscription = await (await registration()).pushManager.getSubscription();
  if (!subscription) return;
  try {
    await api.unsubscribePush(subscription.endpoint);
  } catch {
    // Already gone on the server (404), or offline: the browser's side is removed anyway,
    // and the server drops an endpoint the push service calls gone.
  }
  await subscription.unsubscribe();
}

/** The offer shows once there are contacts to follow up, until accepted or set aside. */
export function offerDismissed(): boolean {
  try {
    return localStorage.getItem(OFFER_KEY) === "dismissed";
  } catch {
    return false;
  }
}

export function dismissOffer(): void {
  try {
    localStorage.setItem(OFFER_KEY, "dismissed");
  } catch {
    // Private mode without storage: the offer may show again next time.
  }
}
