"""The install prompt, at 360 × 740: never at first launch, offered after the first scan, not again
once answered; the manifest follows the language the app speaks.

Headless Chromium fires ``beforeinstallprompt`` on its own only once it has judged the page
installable (a persistent profile, the service worker active), at a moment no test controls, so
the tests dispatch one (an event with ``prompt()`` and ``userChoice``, as Chromium's). The iPhone
test is Chromium saying it is Safari on iOS, where the app gives instructions whatever it hears.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.pwa import csp_violations, run_axe, serve_axe, wait_for_service_worker
from tests.e2e.server import Backend, LiveServer

FIRE_INSTALL_EVENT = """() => {
  const event = new Event('beforeinstallprompt', { cancelable: true });
  event.prompt = () => { window.__prompted = (window.__prompted || 0) + 1; return Promise.resolve(); };
  event.userChoice = Promise.resolve({ outcome: 'accepted', platform: 'web' });
  window.dispatchEvent(event);
  return event.defaultPrevented;
}"""
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
    " Version/17.5 Mobile/15E148 Safari/604.1"
)
TEXTS = {
    "fr": {
        "recorded": "est dans vos contacts",
        "install": "Installer",
        "title": "Ajouter Rencontre à l'écran d'accueil",
        "name": "Rencontre — scanner de badges",
        "ios": "touchez Partager",
        "understood": "Compris",
    },
    "en": {
        "recorded": "is in your contacts",
        "install": "Install",
        "title": "Add Rencontre to your home screen",
        "name": "Rencontre — badge scanner",
        "ios": "tap Share",
        "understood": "Got it",
    },
}


def _joined(
    phone: Callable[..., Any], backend: Backend, lang: str, *, iphone: bool = False
) -> tuple[Any, str]:
    """A phone signed in, speaking ``lang``, and the badge link of someone to scan there."""
    event = backend.create_event("Forum de l'installation")
    alice = backend.add_attendee(event, "Alice Martin", "Atelier", "Designer")
    bruno = backend.join(backend.add_attendee(event, "Bruno Lefèvre", "Qonto", "Product Manager"))
    context = phone()
    serve_axe(context)
    if iphone:
        context.add_init_script(
            f"Object.defineProperty(navigator, 'userAgent', {{ get: () => {IPHONE!r} }});"
        )
    page = context.new_page()
    page.goto(alice.join_link)
    page.wait_for_url("**/profile?welcome")
    page.evaluate("(lang) => localStorage.setItem('rencontre.lang', lang)", lang)
    return page, bruno.badge_url


def _scan_by_link(page: Any, badge_url: str, lang: str) -> None:
    page.goto(badge_url)
    # Recorded as the card shows: nothing to tap.
    expect(page.locator(".scan-state")).to_contain_text(TEXTS[lang]["recorded"])


class TestInstallPrompt:
    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_offered_after_the_first_scan_only_and_not_again_once_answered(
        self, phone: Callable[..., Any], backend: Backend, live_server: LiveServer, artifacts: Path, lang: str
    ) -> None:
        text = TEXTS[lang]
        page, badge_url = _joined(phone, backend, lang)
        page.goto(live_server.base_url + "/")
        assert page.evaluate(FIRE_INSTALL_EVENT) is True, "the app keeps the browser's prompt for later"
        page.wait_for_timeout(500)
        expect(page.locator(".install-prompt")).to_have_count(0)

        _scan_by_link(page, badge_url, lang)
        page.evaluate(FIRE_INSTALL_EVENT)
        prompt = page.locator(".install-prompt")
        expect(prompt).to_contain_text(text["title"])
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / f"install-prompt-{lang}.png"), scale="css")
        assert run_axe(page) == []
        page.get_by_role("button", name=text["install"], exact=True).click()
        expect(prompt).to_have_count(0)
        assert page.evaluate("window.__prompted") == 1

        page.reload()
        page.evaluate(FIRE_INSTALL_EVENT)
        page.wait_for_timeout(500)
        expect(page.locator(".install-prompt")).to_have_count(0)
        assert csp_violations(page) == []

    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_without_the_event_an_iphone_is_told_how_and_got_it_is_remembered(
        self, phone: Callable[..., Any], backend: Backend, artifacts: Path, lang: str
    ) -> None:
        text = TEXTS[lang]
        page, badge_url = _joined(phone, backend, lang, iphone=True)
        _scan_by_link(page, badge_url, lang)
        prompt = page.locator(".install-prompt")
        expect(prompt).to_contain_text(text["ios"])
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / f"install-prompt-ios-{lang}.png"), scale="css")
        page.get_by_role("button", name=text["understood"]).click()
        expect(prompt).to_have_count(0)
        page.reload()
        expect(page.locator("rc-new-contact")).to_be_visible()
        page.wait_for_timeout(500)
        expect(page.locator(".install-prompt")).to_have_count(0)


class TestManifestInTheAttendeesLanguage:
    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_the_page_links_the_manifest_of_its_language(
        self, phone: Callable[..., Any], live_server: LiveServer, lang: str
    ) -> None:
        context = phone()
        page = context.new_page()
        page.goto(live_server.base_url + "/")
        page.evaluate("(lang) => localStorage.setItem('rencontre.lang', lang)", lang)
        page.reload()
        assert wait_for_service_worker(page)
        # Once the service worker controls the page (no reload of its own to come), the page
        # names its language's manifest when its script has run.
        page.reload()
        found = page.wait_for_function(
            "(lang) => { const href = document.querySelector('link[rel=manifest]')?.href;"
            " return href && href.endsWith(`.${lang}.webmanifest`) ? href : null; }",
            arg=lang,
        )
        href = found.json_value()
        assert href == f"{live_server.base_url}/manifest.{lang}.webmanifest"
        parsed = page.evaluate("(url) => fetch(url).then((r) => r.json())", href)
        assert (parsed["lang"], parsed["name"], parsed["id"]) == (lang, TEXTS[lang]["name"], "/")
        cdp = context.new_cdp_session(page)
        # Which manifest Chromium itself keeps is not asserted: it may keep the one the HTML
        # linked first (the page switches the link once its script runs), a known limit.
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == []
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
