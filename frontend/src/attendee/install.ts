// "Add to home screen", asked gently: never at first launch, only once the attendee has
// made a first scan (sent or queued), and never again once answered. Chromium's
// `beforeinstallprompt` is captured as the page starts and kept for that moment; where
// there is no such event (Safari on iOS, Firefox), the prompt says how to add it by hand.
// The manifest linked by the page follows the language the app speaks.
import { lang, onLangChange } from "../kit/lang";
import { OUTBOX_CHANNEL, queued, type OutboxMessage } from "./offline/outbox";

interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: "accepted" | "dismissed" }>;
}

export type InstallWay = "prompt" | "ios" | "menu";

const SCANNED_KEY = "rencontre.install.scanned";
const ANSWERED_KEY = "rencontre.install.answered";

let deferred: InstallPromptEvent | null = null;
const listeners = new Set<() => void>();

function announce(): void {
  for (const listener of listeners) listener();
}

function remembered(key: string): boolean {
  try {
    return localStorage.getItem(key) !== null;
  } catch {
    return false;
  }
}

function remember(key: string): void {
  try {
    localStorage.setItem(key, new Date().toISOString());
  } catch {
    // Private mode: asked again next time, which is the lesser harm.
  }
}

function standalone(): boolean {
  const iosStandalone = (navigator as Navigator & { standalone?: boolean }).standalone === true;
  return iosStandalone || window.matchMedia?.("(display-mode: standalone)").matches === true;
}

function isIos(): boolean {
  // iPadOS says it is a Mac; a touch screen tells them apart.
  return /iPhone|iPad|iPod/.test(navigator.userAgent) || (/Macintosh/.test(navigator.userAgent) && navigator.maxTouchPoints > 1);
}

/** How this phone can install the app now, or null when the prompt is not (or no longer) due. */
export function installOffer(): InstallWay | null {
  if (standalone() || remembered(ANSWERED_KEY) || !remembered(SCANNED_KEY)) return null;
  // No browser on iOS can install from a page: Safari's Share menu is the way, whatever it says.
  if (isIos()) return "ios";
  return deferred ? "prompt" : "menu";
}

export function onInstallChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** "Not now" or done: the prompt does not come back on this phone. */
export function answerInstall(): void {
  remember(ANSWERED_KEY);
  announce();
}

/** The browser's own install dialog; answered either way, it is not offered again. */
export async function promptInstall(): Promise<boolean> {
  const event = deferred;
  if (!event) return false;
  deferred = null;
  await event.prompt();
  const choice = await event.userChoice;
  answerInstall();
  return choice.outcome === "accepted";
}

function linkManifest(): void {
  const link = document.querySelector<HTMLLinkElement>("link[rel=manifest]");
  if (link) link.href = `/manifest.${lang()}.webmanifest`;
}

/** Called once as the page starts, before the browser may fire its event. */
export function setUpInstall(): void {
  linkManifest();
  onLangChange(linkManifest);
  window.addEventListener("beforeinstallprompt", (event) => {
    // Kept for after the first scan rather than shown by the browser at once.
    event.preventDefault();
    deferred = event as InstallPromptEvent;
    announce();
  });
  window.addEventListener("appinstalled", () => answerInstall());
  if (typeof BroadcastChannel === "undefined") return;
  new BroadcastChannel(OUTBOX_CHANNEL).addEventListener("message", (event: MessageEvent<OutboxMessage>) => {
    // A scan was made: acknowledged by the server, or queued on the phone ("changed" with an item).
    if (remembered(SCANNED_KEY)) return;
    if (event.data.type === "acknowledged" || event.data.type === "changed") void noteFirstScan(event.data);
  });
}

async function noteFirstScan(message: OutboxMessage): Promise<void> {
  if (message.type === "changed" && !(await queued()).length) return;
  remember(SCANNED_KEY);
  announce();
}
