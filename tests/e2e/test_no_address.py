"""A contact who shares no e-mail, at 360 × 740: "Écrire un message" says why no mail opens and
offers what works — the phone's share sheet (Web Share API), copying, a text message to the
phone number they share — never a mail without a recipient."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.pwa import access_token, run_axe, serve_axe
from tests.e2e.server import Backend, LiveServer

# Chromium on Linux has no share sheet and the test has no clipboard permission: both are
# stood in for, recording what the page hands them.
STAND_INS = """
window.__shared = []; window.__copied = [];
const record = (list) => (value) => { list.push(value); return Promise.resolve(); };
Object.defineProperty(navigator, 'share', { value: record(window.__shared) });
Object.defineProperty(navigator, 'clipboard', { value: { writeText: record(window.__copied) } });
"""
TEXTS = {
    "fr": {
        "write": "Écrire un message",
        "why": "Anaïs Roux n'a pas partagé son e-mail",
        "share": "Partager le message…",
        "copy": "Copier le message",
        "sms": "Envoyer par SMS",
        "shared": "Message partagé.",
        "copied": "Message copié.",
    },
    "en": {
        "write": "Write a message",
        "why": "Anaïs Roux has not shared their e-mail",
        "share": "Share the message…",
        "copy": "Copy the message",
        "sms": "Send as a text message",
        "shared": "Message shared.",
        "copied": "Message copied.",
    },
}


class TestContactWithoutAnAddress:
    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_offers_share_copy_and_text_message_and_says_why(
        self, phone: Callable[..., Any], backend: Backend, live_server: LiveServer, artifacts: Path, lang: str
    ) -> None:
        text = TEXTS[lang]
        event = backend.create_event("Rencontres sans adresse")
        anais = backend.join(backend.add_attendee(event, "Anaïs Roux", "Coopérative Solaire", "Fondatrice"))
        profile = {"shared_fields": ["phone"], "phone": "+33 6 98 76 54 32"}
        backend.http.patch("/api/me", headers=backend.auth(anais.token), json=profile).raise_for_status()
        bruno = backend.add_attendee(event, "Bruno Petit", "Atelier Bois", "Menuisier")
        context = phone()
        serve_axe(context)
        context.add_init_script(STAND_INS)
        page = context.new_page()
        page.goto(bruno.join_link)
        page.wait_for_url("**/profile?welcome")
        page.evaluate("(lang) => localStorage.setItem('rencontre.lang', lang)", lang)
        contact = backend.scan(access_token(page), anais.badge_url, note="Toitures partagées")

        page.goto(f"{live_server.base_url}/contacts/{contact['contact_id']}")
        page.get_by_role("button", name=text["write"]).click()
        expect(page.locator(".no-address")).to_contain_text(text["why"])
        body = page.locator("#follow-up-body")
        expect(body).not_to_have_value("")
        assert page.locator("a[href^='mailto:']").count() == 0
        sms = page.get_by_role("link", name=text["sms"])
        assert (sms.get_attribute("href") or "").startswith("sms:+33698765432?body=")
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / f"follow-up-no-address-{lang}.png"), scale="css", full_page=True)
        assert run_axe(page) == []

        page.get_by_role("button", name=text["share"]).click()
        expect(page.locator(".follow-up-draft .notice.success")).to_have_text(text["shared"])
        [shared] = page.evaluate("window.__shared")
        assert shared["text"] == body.input_value()
        assert "Toitures partagées" not in shared["text"]
        page.get_by_role("button", name=text["copy"]).click()
        expect(page.locator(".follow-up-draft .notice.success")).to_have_text(text["copied"])
        [copied] = page.evaluate("window.__copied")
        assert copied.endswith(body.input_value())
