"""A note that is full: meeting the person again still records the scan; the card shows how
little room is left and takes no more; what was typed offline and does not fit is kept on
screen, refused, until it is shortened — never lost."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.camera import write_y4m
from tests.e2e.pwa import access_token, csp_violations, wait_for_service_worker
from tests.e2e.server import Backend, LiveServer
from tests.e2e.test_scanning import expect_kept, expect_saved, scan_with_camera


class TestNoteFull:
    def test_a_full_note_takes_no_more_and_what_does_not_fit_waits_refused_until_shortened(
        self,
        phone: Callable[..., Any],
        backend: Backend,
        live_server: LiveServer,
        tmp_path: Path,
        artifacts: Path,
    ) -> None:
        event = backend.create_event("Salon des notes pleines")
        alice = backend.add_attendee(event, "Alice Pleine", "Atelier", "Designer")
        bruno = backend.join(backend.add_attendee(event, "Bruno Lefèvre", "Qonto", "Product Manager"))
        context = phone(camera=write_y4m(tmp_path / "bruno.y4m", bruno.badge_url), profile=tmp_path / "alice")
        page = context.new_page()
        page.goto(alice.join_link)
        page.wait_for_url("**/profile?welcome")
        assert wait_for_service_worker(page)
        token = access_token(page)
        # Alice's note on Bruno, filled by earlier meetings: 9 notes of 500 characters and one
        # of 300, each after a blank line and a time stamp, leave 11 of the 5,000 characters.
        for length in [500] * 9 + [300]:
            backend.scan(token, bruno.badge_url, note="x" * length)
        page.goto(live_server.base_url + "/")

        # Online: recorded at once; the card holds the note as it is, says how little room is
        # left, and the field takes no more than fits.
        scan_with_camera(page, "Bruno Lefèvre")
        expect(page.locator(".scan-state")).to_contain_text("Cette rencontre s'ajoute à son contact")
        note = page.locator("textarea[name=note]")
        expect(note).to_have_value(re.compile("x{300}$"))
        expect(page.locator("rc-new-contact .note-left")).to_have_text(
            "Il reste 11 caractères dans cette note."
        )
        note.press("End")
        page.keyboard.type("Une note de trop")
        expect(page.locator("rc-new-contact .note-left")).to_have_text(
            "Il reste 0 caractères dans cette note."
        )
        note.press("Tab")
        expect_saved(page)
        page.screenshot(path=artifacts / "note-full-scan-fr.png", full_page=True)
        assert backend.contacts(token)[0]["note"].endswith("Une note de")

        # Offline: queued, and what is typed kept beside the scan; once sent, laid on the full
        # note it is too long: the card says so, and the text stays on screen to be shortened.
        context.set_offline(True)
        page.get_by_role("button", name="Scanner un autre badge").click()
        expect(page.locator("rc-new-contact .person-name")).to_have_text("Bruno Lefèvre", timeout=15_000)
        expect(page.locator(".scan-state")).to_contain_text("gardée sur ce téléphone")
        page.keyboard.type("Hors ligne, et la note est pleine")
        expect_kept(page)
        expect(page.locator(".pending-count")).to_have_attribute("data-pending", "1")
        context.set_offline(False)
        expect(page.locator(".pending-count")).to_have_count(0, timeout=20_000)
        expect(page.locator("rc-new-contact .notice.error")).to_contain_text(
            "La note est trop longue", timeout=15_000
        )
        expect(note).to_have_value(re.compile("Hors ligne, et la note est pleine$"))
        page.screenshot(path=artifacts / "note-full-synced-fr.png", full_page=True)

        # The same, in English, on the contact's page: the text waits there, refused, until shortened.
        page.evaluate("() => localStorage.setItem('rencontre.lang', 'en')")
        page.get_by_role("link", name="Open the contact").or_(
            page.get_by_role("link", name="Ouvrir le contact")
        ).click()
        page.reload()
        expect(page.get_by_role("alert")).to_contain_text("The note is too long")
        field = page.get_by_label("Private note", exact=True)
        expect(field).to_have_value(re.compile("Hors ligne, et la note est pleine$"))
        page.screenshot(path=artifacts / "note-full-contact-en.png", full_page=True)
        field.fill(field.input_value().removesuffix("\n\nHors ligne, et la note est pleine"))
        expect(page.locator("page-contact .save-status[data-status=saved]")).to_be_visible(timeout=10_000)

        [contact] = backend.contacts(token)
        assert contact["scan_count"] == 12
        assert len(contact["note"]) == 5000
        assert "Hors ligne" not in contact["note"]
        assert csp_violations(page) == []
