"""On Zoé's phone: a follow-up message is shown before the mail app opens, quotes her private
note only when she ticks it, and a scan that waited on the phone shows the phone's time."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.pwa import run_axe
from tests.e2e.server import Backend
from tests.e2e.tour import Tour, on_main_page

pytest_plugins = ["tests.e2e.tour_fixtures"]

NOTE_WORDS = "Paiements pour associations"
SCREENS = {
    "fr": (
        "Écrire un message",
        "Citer ma note privée",
        "Message",
        "Copier le message",
        "Bonjour James,",
    ),
    "en": ("Write a message", "Quote my private note", "Message", "Copy the message", "Hello James,"),
}
# James shares no e-mail: the message leaves by copying it (a stand-in clipboard records it).
COPIED = "() => window.__copied ?? []"
RECORD_COPIES = """() => { window.__copied = [];
  Object.defineProperty(navigator, 'clipboard', { configurable: true,
    value: { writeText: (text) => { window.__copied.push(text); return Promise.resolve(); } } }); }"""


class TestFollowUpDraftIsShownAndQuotesTheNoteOnlyWhenTicked:
    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_draft_shown_without_the_note_then_with_it_when_ticked(
        self, tour: Tour, artifacts: Path, lang: str
    ) -> None:
        write, quote, body_label, copy_label, greeting = SCREENS[lang]
        contact_id = tour.contact_ids["James O'Connor"]
        page = on_main_page(f"/contacts/{contact_id}", "page-contact .person-name", lang)(tour)
        page.evaluate(RECORD_COPIES)

        page.get_by_role("button", name=write).click()
        body = page.get_by_label(body_label, exact=True)
        expect(body).to_be_visible()
        expect(body).not_to_have_value("")
        assert body.input_value().startswith(greeting)
        assert NOTE_WORDS not in body.input_value()
        copy = page.get_by_role("button", name=copy_label)
        assert page.locator("a[href^='mailto:']").count() == 0
        copy.click()
        page.wait_for_function(f"({COPIED})().length === 1")
        assert NOTE_WORDS not in page.evaluate(COPIED)[0]
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / f"follow-up-draft-{lang}.png"), scale="css", full_page=True)
        assert run_axe(page) == []

        with page.expect_response(lambda r: "/follow-up" in r.url and "include_note=true" in r.url):
            page.get_by_label(quote).check()
        page.wait_for_function(
            "(words) => document.querySelector('#follow-up-body')?.value.includes(words)", arg=NOTE_WORDS
        )
        copy.click()
        page.wait_for_function(f"({COPIED})().length === 2")
        assert NOTE_WORDS in page.evaluate(COPIED)[1]
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / f"follow-up-draft-{lang}-note.png"), scale="css", full_page=True)

        # What leaves is the text as edited here.
        edited = "Merci encore — à bientôt"
        body.fill(edited)
        copy.click()
        page.wait_for_function(f"({COPIED})().length === 3")
        assert page.evaluate(COPIED)[2].endswith(edited)

    def test_unticking_takes_the_note_out_again(self, tour: Tour) -> None:
        contact_id = tour.contact_ids["James O'Connor"]
        page = on_main_page(f"/contacts/{contact_id}", "page-contact .person-name")(tour)
        page.get_by_role("button", name="Proposer un café").click()
        quote = page.get_by_label("Citer ma note privée")
        quote.check()
        page.wait_for_function(
            "(words) => document.querySelector('#follow-up-body')?.value.includes(words)", arg=NOTE_WORDS
        )
        quote.uncheck()
        page.wait_for_function(
            "(words) => { const v = document.querySelector('#follow-up-body')?.value ?? '';"
            " return v !== '' && !v.includes(words); }",
            arg=NOTE_WORDS,
        )


class TestContactShowsThePhonesTimeWhenItDiffers:
    def test_a_scan_that_waited_on_the_phone_shows_its_phone_time(
        self, tour: Tour, backend: Backend, artifacts: Path
    ) -> None:
        amelie = tour.people[0]
        scanned_at = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
        response = backend.http.post(
            "/api/scans",
            headers=backend.auth(tour.token),
            json={
                "client_id": str(uuid.uuid4()),
                "qr": amelie.badge_url,
                "device_at": scanned_at.isoformat(),
            },
        )
        response.raise_for_status()
        contact_id = response.json()["contact_id"]
        # Shown in the event's time zone, with the day in front when it is not today there.
        local = scanned_at.astimezone(ZoneInfo("Europe/Paris"))
        french, english = local.strftime("%H:%M"), local.strftime("%I:%M %p")

        page = on_main_page(f"/contacts/{contact_id}", "page-contact .person-name")(tour)
        expect(page.locator(".device-time")).to_have_text(
            re.compile(rf"^Scanné à (.+ )?{french} \(heure du téléphone\)$")
        )
        page.screenshot(path=str(artifacts / "contact-phone-time-fr.png"), scale="css")
        page = on_main_page(f"/contacts/{contact_id}", "page-contact .person-name", "en")(tour)
        expect(page.locator(".device-time")).to_have_text(
            re.compile(rf"^Scanned at (.+ )?{english} \(phone's time\)$")
        )

    def test_a_scan_sent_at_once_shows_no_phone_time(self, tour: Tour) -> None:
        contact_id = tour.contact_ids["Inès Benali"]
        page = on_main_page(f"/contacts/{contact_id}", "page-contact .person-name")(tour)
        expect(page.locator(".contact-when")).to_be_visible()
        expect(page.locator(".device-time")).to_have_count(0)
