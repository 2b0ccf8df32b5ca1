"""What a test does to the PWA that a person would not: read its IndexedDB, wait for
its service worker, run axe-core."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
AXE_SOURCE = REPO / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL_PATH = "/__e2e__/axe.min.js"

_IDB_READ = """
async ([store, key]) => new Promise((resolve, reject) => {
  const open = indexedDB.open('rencontre');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains(store)) { db.close(); resolve(null); return; }
    const request = key === null
      ? db.transaction(store).objectStore(store).getAll()
      : db.transaction(store).objectStore(store).get(key);
    request.onsuccess = () => { db.close(); resolve(request.result ?? null); };
    request.onerror = () => { db.close(); reject(request.error); };
  };
})
"""


def idb_get(page: Any, store: str, key: str | None = None) -> Any:
    return page.evaluate(_IDB_READ, [store, key])


def access_token(page: Any) -> str:
    session = idb_get(page, "kv", "session")
    assert session, "the PWA stored no session"
    token: str = session["access_token"]
    return token


def outbox(page: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = idb_get(page, "outbox") or []
    return items


def wait_for_service_worker(page: Any, timeout_ms: int = 20_000) -> bool:
    """True once a service worker is active and controls the page; False on time-out.

    `navigator.serviceWorker.ready` never resolves when the worker's install
    fails, so the wait is bounded here rather than by the test's time-out.
    """
    active = page.evaluate(
        """(ms) => Promise.race([
            navigator.serviceWorker.ready.then((registration) => !!registration.active),
            new Promise((resolve) => setTimeout(() => resolve(false), ms)),
        ])""",
        timeout_ms,
    )
    if not active:
        return False
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=timeout_ms)
    return True


def wait_for_directory(page: Any, cards: int, within_seconds: float = 30) -> None:
    """Until the event's sealed card cache (the cards shown offline) holds at least `cards`
    people, each locked twice (by badge and by short code). Polled from here: a predicate
    returning a promise would count as true at once in ``wait_for_function``."""
    deadline = time.monotonic() + within_seconds
    while not page.evaluate(_SEALED_LOCKS, 2 * cards):
        if time.monotonic() > deadline:
            raise AssertionError(f"the sealed card cache did not hold {cards} cards in {within_seconds:g} s")
        page.wait_for_timeout(200)


_SEALED_LOCKS = """
async (n) => new Promise((ok) => {
  const r = indexedDB.open('rencontre');
  r.onsuccess = () => {
    const q = r.result.transaction('kv').objectStore('kv').get('directory.sealed');
    q.onsuccess = () => { r.result.close(); ok(!!q.result && q.result.locks.length >= n); };
  };
})
"""


def csp_violations(page: Any) -> list[str]:
    violations: list[str] = page.evaluate("window.__cspViolations || []")
    return violations


def serve_axe(context: Any) -> None:
    """Serve axe-core from node_modules at a same-origin URL, so the strict CSP stays on."""
    source = AXE_SOURCE.read_bytes()
    context.route(
        f"**{AXE_URL_PATH}",
        lambda route: route.fulfill(status=200, content_type="text/javascript", body=source),
    )


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Violations of impact serious or critical on the current screen."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL_PATH)
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const result = await axe.run(document, { resultTypes: ['violations'] });
            return result.violations
              .filter((v) => v.impact === 'serious' || v.impact === 'critical')
              .map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} :: ${n.failureSummary}`),
              }));
        }"""
    )
    return violations
