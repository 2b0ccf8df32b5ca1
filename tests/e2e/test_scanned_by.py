"""Who scanned me, on two phones at 360 × 740: Anaïs scans Bruno; Bruno is told, sees her card as
she shares it (never her note), adds her back in one tap; both then see a mutual connection."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.pwa import access_token, csp_violations, outbox, run_axe, serve_axe
from tests.e2e.server import Backend, LiveServer

ANAIS_NOTE = "Note d'Anaïs : budget serré, rappeler en janvier"
TEXTS = {
    "fr": {
        "told": "Anaïs Roux vous a scanné·e",
        "see": "Voir",
        "add": "Ajouter Anaïs Roux en retour",
        "added": "Anaïs Roux et vous êtes maintenant en contact mutuel.",
        "mutual": "Mutuel",
        "empty": "Personne à ajouter en retour pour l'instant.",
        "nav": "1 personne vous a scanné·e",
    },
    "en": {
        "told": "Anaïs Roux scanned you",
        "see": "See",
        "add": "Add Anaïs Roux back",
        "added": "You and Anaïs Roux are now a mutual connection.",
        "mutual": "Mutual",
        "empty": "Nobody to add back for now.",
        "nav": "1 person scanned you",
    },
}


def _signed_in(phone: Callable[..., Any], join_link: str, lang: str) -> Any:
    context = phone()
    serve_axe(context)
    page = context.new_page()
    page.goto(join_link)
    page.wait_for_url("**/profile?welcome")
    page.evaluate("(lang) => localStorage.setItem('rencontre.lang', lang)", lang)
    return page


class TestWhoScannedMe:
    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_told_then_added_back_then_mutual_on_both_phones(
        self, phone: Callable[..., Any], backend: Backend, live_server: LiveServer, artifacts: Path, lang: str
    ) -> None:
        text = TEXTS[lang]
        event = backend.create_event("Rencontres de Nantes")
        anais = backend.join(backend.add_attendee(event, "Anaïs Roux", "Coopérative Solaire", "Fondatrice"))
        bruno = backend.add_attendee(event, "Bruno Petit", "Atelier Bois", "Menuisier")
        profile = {
            "pitch": "Je monte des toitures solaires partagées",
            "shared_fields": ["email"],
            "phone": "+33 6 98 76 54 32",
        }
        backend.http.patch("/api/me", headers=backend.auth(anais.token), json=profile).raise_for_status()

        page = _signed_in(phone, bruno.join_link, lang)
        bruno.token = access_token(page)
        badge = backend.http.get("/api/me/badge", headers=backend.auth(bruno.token)).json()
        backend.scan(anais.token, badge["url"], note=ANAIS_NOTE, tags=["investor"])

        page.goto(live_server.base_url + "/contacts")
        expect(page.locator(".nav-notices")).to_contain_text(text["nav"])
        banner = page.locator(".scan-notices-banner")
        expect(banner).to_contain_text(text["told"])
        page.screenshot(path=str(artifacts / f"scanned-by-banner-{lang}.png"), scale="css")
        banner.get_by_text(text["see"]).click()
        page.wait_for_url("**/scanned-by")
        notice = page.locator(".scan-notice")
        expect(notice).to_have_count(1)
        expect(notice).to_contain_text(text["told"])
        card = notice.locator("rc-person-card")
        expect(card).to_contain_text("Je monte des toitures solaires partagées")
        expect(card).to_contain_text(anais.email)
        for hidden in ("+33 6 98", ANAIS_NOTE, "investor", "Investisseur"):
            expect(page.locator("main")).not_to_contain_text(hidden)
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / f"scanned-by-{lang}.png"), scale="css", full_page=True)
        assert run_axe(page) == []

        page.get_by_role("button", name=text["add"]).click()
        expect(page.locator(".scanned-added")).to_contain_text(text["added"])
        expect(page.locator(".scan-notices + p, main .empty")).to_contain_text(text["empty"])
        expect(page.locator(".nav-notices")).to_have_count(0)
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / f"scanned-by-added-{lang}.png"), scale="css", full_page=True)

        page.goto(live_server.base_url + "/contacts")
        expect(page.locator("rc-contact-row", has_text="Anaïs Roux")).to_contain_text(text["mutual"])
        expect(page.locator(".scan-notices-banner")).to_have_count(0)

        # Anaïs's side (her join link was used by the API above): her contact is mutual too.
        [bruno_contact] = backend.contacts(bruno.token)
        [anais_contact] = backend.contacts(anais.token)
        assert (bruno_contact["mutual"], anais_contact["mutual"]) == (True, True)
        assert bruno_contact["note"] == ""
        assert anais_contact["note"] == ANAIS_NOTE
        assert csp_violations(page) == []


SETTING = {
    "fr": ("Me dire qui a scanné mon badge", "Vous avez désactivé ces avis"),
    "en": ("Tell me who scanned my badge", "You turned these notices off"),
}


class TestNoticesTurnedOff:
    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_the_profile_switch_turns_them_off_and_nothing_shows(
        self, phone: Callable[..., Any], backend: Backend, live_server: LiveServer, artifacts: Path, lang: str
    ) -> None:
        label, off_text = SETTING[lang]
        event = backend.create_event("Rencontres discrètes")
        anais = backend.join(backend.add_attendee(event, "Anaïs Roux", "Coopérative Solaire", "Fondatrice"))
        bruno = backend.add_attendee(event, "Bruno Petit", "Atelier Bois", "Menuisier")
        page = _signed_in(phone, bruno.join_link, lang)
        token = access_token(page)
        badge = backend.http.get("/api/me/badge", headers=backend.auth(token)).json()
        backend.scan(anais.token, badge["url"])

        page.goto(live_server.base_url + "/profile")
        switch = page.get_by_role("checkbox", name=label)
        expect(switch).to_be_checked()
        with page.expect_response(lambda r: r.url.endswith("/api/me") and r.request.method == "PATCH"):
            switch.uncheck()
        expect(page.locator(".scan-notice-settings .notice.success")).to_be_visible()
        page.locator(".scan-notice-settings").scroll_into_view_if_needed()
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / f"scanned-by-setting-{lang}.png"), scale="css")
        assert backend.http.get("/api/me", headers=backend.auth(token)).json()["scan_notices"] is False

        page.goto(live_server.base_url + "/contacts")
        expect(page.locator("page-contacts h1")).to_be_visible()
        page.wait_for_timeout(500)
        expect(page.locator(".scan-notices-banner")).to_have_count(0)
        expect(page.locator(".nav-notices")).to_have_count(0)
        page.goto(live_server.base_url + "/scanned-by")
        expect(page.locator("page-scanned-by")).to_contain_text(off_text)
        expect(page.locator(".scan-notice")).to_have_count(0)


class TestAddingBackOffline:
    def test_queued_on_the_phone_then_sent_once_and_mutual(
        self, phone: Callable[..., Any], backend: Backend, live_server: LiveServer, artifacts: Path
    ) -> None:
        event = backend.create_event("Rencontres hors ligne")
        anais = backend.join(backend.add_attendee(event, "Anaïs Roux", "Coopérative Solaire", "Fondatrice"))
        bruno = backend.add_attendee(event, "Bruno Petit", "Atelier Bois", "Menuisier")
        page = _signed_in(phone, bruno.join_link, "fr")
        bruno.token = access_token(page)
        badge = backend.http.get("/api/me/badge", headers=backend.auth(bruno.token)).json()
        backend.scan(anais.token, badge["url"])
        page.goto(live_server.base_url + "/scanned-by")
        expect(page.locator(".scan-notice")).to_have_count(1)

        page.context.set_offline(True)
        page.evaluate("window.dispatchEvent(new Event('offline'))")
        page.get_by_role("button", name="Ajouter Anaïs Roux en retour").click()
        expect(page.locator(".notice.pending")).to_contain_text("Anaïs Roux est ajouté·e sur ce téléphone")
        expect(page.locator(".scan-notice")).to_have_count(0)
        [waiting] = outbox(page)
        assert waiting["qr"].endswith(anais.badge_url.rsplit("/", 1)[1])
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / "scanned-by-queued-fr.png"), scale="css")
        assert backend.contacts(bruno.token) == []

        page.context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        # Polled from here: a predicate's promise would count as true at once in wait_for_function.
        deadline = time.monotonic() + 20
        while outbox(page):
            assert time.monotonic() < deadline, "the queued scan was not sent"
            page.wait_for_timeout(500)
        [contact] = backend.contacts(bruno.token)
        assert contact["mutual"] is True
        assert backend.contacts(anais.token)[0]["mutual"] is True
