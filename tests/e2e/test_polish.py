"""The polish list of issue 16, checked on a 360 × 740 phone in French and in English (the English
phone is a British one): each spot is measured, and a screenshot of it kept to be looked at."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.pwa import access_token, idb_get, wait_for_service_worker
from tests.e2e.server import Backend, LiveServer

BRITISH = "Object.defineProperty(navigator, 'languages', { get: () => ['en-GB', 'en'] });"
TEXTS = {
    "fr": {
        "open": "Ouvrir le contact",
        "goal": "Objectif : Partenariat",
        "queued": "gardée sur ce téléphone",
    },
    "en": {"open": "Open contact", "goal": "Goal: Partnership", "queued": "kept on this phone"},
}
# How wide a text is in an element's own font, measured by the page.
TEXT_WIDTH = """(element) => {
  const style = getComputedStyle(element);
  const context = document.createElement('canvas').getContext('2d');
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const inner = element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return [context.measureText(element.placeholder).width, inner];
}"""


def _box(page: Any, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box  # type: ignore[no-any-return]


class TestPolishSeenInScreenshots:
    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_each_spot_of_the_list(
        self, phone: Callable[..., Any], backend: Backend, live_server: LiveServer, artifacts: Path, lang: str
    ) -> None:
        text = TEXTS[lang]
        event = backend.create_event("Atelier des finitions")
        zoe = backend.add_attendee(event, "Zoé Lefèvre", "Atelier Lumière", "Directrice artistique")
        amelie = backend.join(backend.add_attendee(event, "Amélie Nguyen", "Qonto", "Product Manager"))
        bruno = backend.join(backend.add_attendee(event, "Bruno Petit", "Atelier Bois", "Menuisier"))
        chloe = backend.join(backend.add_attendee(event, "Chloé Martin", "Doctolib", "UX Researcher"))
        context = phone()
        if lang == "en":
            context.add_init_script(BRITISH)
        page = context.new_page()
        page.goto(zoe.join_link)
        page.wait_for_url("**/profile?welcome")
        page.evaluate("(lang) => localStorage.setItem('rencontre.lang', lang)", lang)
        token = access_token(page)
        profile = {
            "pitch": "Je raconte l'histoire des marques en images.",
            "objectives": ["partnership"],
            "interests": ["photographie", "design", "culture", "vélo"],
        }
        backend.http.patch("/api/me", headers=backend.auth(token), json=profile).raise_for_status()
        backend.scan(token, amelie.badge_url, note="Fintech pour indépendants")
        assert wait_for_service_worker(page)
        # The phone learns the new profile at its next start.
        page.goto(live_server.base_url + "/")
        for _ in range(50):
            if (idb_get(page, "kv", "me") or {}).get("interests"):
                break
            page.wait_for_timeout(100)

        # Interest chips flow on a line on the profile, as they do on the badge page.
        page.goto(live_server.base_url + "/profile")
        chips = page.locator(".interests .chip")
        expect(chips).to_have_count(4)
        tops = [chip.bounding_box()["y"] for chip in chips.all()]  # type: ignore[index]
        assert tops[0] == tops[1], "the profile's interest chips stack"
        page.locator(".interests").scroll_into_view_if_needed()
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / f"polish-profile-interests-{lang}.png"), scale="css")

        # My badge: the objective reads as a goal; the data-export button stays inside the screen.
        page.goto(live_server.base_url + "/me")
        expect(page.locator(".own-card .person-objective")).to_have_text(text["goal"])
        badge_chips = page.locator(".own-card .chip")
        assert badge_chips.nth(0).bounding_box()["y"] == badge_chips.nth(1).bounding_box()["y"]  # type: ignore[index]
        export = page.locator(".stack-actions .button").nth(1)
        export.scroll_into_view_if_needed()
        box = export.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 360
        assert export.evaluate("(b) => b.scrollWidth <= b.clientWidth")
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / f"polish-badge-actions-{lang}.png"), scale="css")

        # A saved scan: the card keeps its distance from "Open contact".
        page.goto(bruno.badge_url)
        opened = page.get_by_role("link", name=text["open"])
        expect(opened).to_be_visible()
        card, link = _box(page, "rc-new-contact rc-person-card"), opened.bounding_box()
        assert link is not None
        # Whichever comes first on the card, they never touch.
        gap = max(link["y"] - (card["y"] + card["height"]), card["y"] - (link["y"] + link["height"]))
        assert gap >= 12
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / f"polish-saved-card-{lang}.png"), scale="css")

        # Offline: a scan waits on the phone; the header counts everyone listed; the dot stays on its line.
        context.set_offline(True)
        page.goto(chloe.badge_url)
        expect(page.locator("rc-new-contact .person-name")).to_have_text("Chloé Martin")
        expect(page.locator(".scan-state")).to_contain_text(text["queued"])
        page.get_by_role("link", name="Contacts").click()
        expect(page.locator(".waiting-row")).to_have_count(1)
        listed = page.locator("rc-contact-row").count() + page.locator(".waiting-row").count()
        assert listed == 3
        expect(page.locator("page-contacts .page-head .muted")).to_have_text("3 contacts")
        # Chromium may not tell the page at once that the network went away: say it as it would.
        page.evaluate("window.dispatchEvent(new Event('offline'))")
        expect(page.locator(".status.offline")).to_be_visible()
        dot = _box(page, ".status.offline .dot")
        banner = _box(page, ".status.offline")
        assert dot["y"] < banner["y"] + 22, "the offline dot went to a line of its own"

        # The search placeholder is read whole.
        needed, room = page.locator("input[type=search]").evaluate(TEXT_WIDTH)
        assert needed <= room, f"the placeholder needs {needed}px, the field has {room}px"

        # Times follow the browser's locale: a 24-hour clock for en-GB, no AM/PM.
        times = page.locator("rc-contact-row").all_inner_texts()
        assert not any(re.search(r"\b[AP]M\b", row) for row in times)
        assert any(re.search(r"\b\d{2}:\d{2}\b", row) for row in times)
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / f"polish-contacts-offline-{lang}.png"), scale="css")
        context.set_offline(False)
