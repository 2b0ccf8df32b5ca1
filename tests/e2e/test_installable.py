"""The PWA is installable: Chromium's own check says so once the service worker
is active, and the worker has precached the app shell and the QR decoder."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.e2e.pwa import csp_violations, wait_for_service_worker
from tests.e2e.server import LiveServer


class TestInstallability:
    def test_chromium_reports_no_installability_error(
        self, phone: Callable[..., Any], live_server: LiveServer
    ) -> None:
        context = phone()
        page = context.new_page()
        page.goto(live_server.base_url + "/")
        assert wait_for_service_worker(page), "the service worker never became active (a precache 404?)"

        cdp = context.new_cdp_session(page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == [], errors

        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == [], manifest["errors"]
        parsed = page.evaluate("fetch('/manifest.webmanifest').then((r) => r.json())")
        assert parsed["start_url"] == "/"
        assert parsed["display"] == "standalone"
        icons = {(icon["sizes"], icon.get("purpose", "any")) for icon in parsed["icons"]}
        assert {("192x192", "maskable"), ("512x512", "maskable")} <= icons

        scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
        assert scope == live_server.base_url + "/"
        assert csp_violations(page) == []

    def test_the_decoder_and_the_shell_are_precached(
        self, phone: Callable[..., Any], live_server: LiveServer
    ) -> None:
        context = phone()
        page = context.new_page()
        page.goto(live_server.base_url + "/")
        assert wait_for_service_worker(page)
        cached: list[str] = page.evaluate(
            """async () => {
                const urls = [];
                for (const name of await caches.keys()) {
                  const cache = await caches.open(name);
                  for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
                }
                return urls;
            }"""
        )
        assert "/index.html" in cached
        assert any(url.endswith(".wasm") for url in cached), cached
        assert not any(url.startswith("/api/") for url in cached), cached

        # Offline, every PWA route still opens (the navigation fallback), the console does not.
        context.set_offline(True)
        page.goto(live_server.base_url + "/contacts")
        assert page.locator("rc-app").count() == 1
        for path in ("/b/AAAA", "/join"):
            page.goto(live_server.base_url + path)
            assert page.locator("rc-app").count() == 1, path
        context.set_offline(False)
