// Reminders by Web Push (issue 19): what the service worker shows, and where a tap leads.
// Kept apart from sw.ts so that the page-free logic (the payload, the URL) is testable alone.

export interface PushPayload {
  kind: string;
  title: string;
  body: string;
  url: string;
  tag: string;
}

const FALLBACK: PushPayload = { kind: "", title: "Rencontre", body: "", url: "/contacts", tag: "rencontre" };

/** The message as the server sent it; anything unreadable becomes a plain "open the app". */
export function payloadOf(data: { json(): unknown; text(): string } | null): PushPayload {
  if (!data) return FALLBACK;
  let value: unknown;
  try {
    value = data.json();
  } catch {
    return { ...FALLBACK, body: data.text().slice(0, 200) };
  }
  if (typeof value !== "object" || value === null) return FALLBACK;
  const given = value as Partial<Record<keyof PushPayload, unknown>>;
  const text = (key: keyof PushPayload): string => (typeof given[key] === "string" ? (given[key] as string) : FALLBACK[key]);
  return { kind: text("kind"), title: text("title"), body: text("body"), url: targetUrl(text("url")), tag: text("tag") };
}

/** Only the app's own pages: a notification never opens another site. */
export function targetUrl(url: string, origin: string = self.location.origin): string {
  try {
    const resolved = new URL(url, origin);
    if (resolved.origin !== origin || resolved.pathname.startsWith("/api")) return "/contacts";
    return resolved.pathname + resolved.search;
  } catch {
    return "/contacts";
  }
}

interface WindowLike {
  url: string;
  focus(): Promise<unknown>;
  navigate?(url: string): Promise<unknown>;
}

/** Focus an open window of the app on the target (navigating it there), or open one. */
export async function openTarget(
  url: string,
  windows: readonly WindowLike[],
  openWindow: (url: string) => Promise<unknown>,
  origin: string = self.location.origin,
): Promise<void> {
  const target = new URL(targetUrl(url, origin), origin).href;
  const existing = windows.find((w) => new URL(w.url).origin === origin);
  if (!existing) {
    await openWindow(target);
    return;
  }
  if (existing.url !== target && existing.navigate) await existing.navigate(target).catch(() => undefined);
  await existing.focus();
}
