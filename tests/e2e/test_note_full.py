"""A note that is full: meeting the person again still records the scan, and the phone says
that its note was not added — at once when online, and after an offline scan syncs, with
the note itself kept on screen so that it is not lost."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.camera import write_y4m
from tests.e2e.pwa import access_token, csp_violations, wait_for_service_worker
from tests.e2e.server import Backend, LiveServer
from tests.e2e.test_scanning import scan_with_camera


def _save(page: Any, note: str, button: str) -> None:
    page.keyboard.type(note)
    page.get_by_role("button", name=button).click()


class TestNoteFull:
    def test_a_rescan_past_the_cap_is_recorded_and_the_phone_says_its_note_was_not_added(
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

        # Online: recorded, and told at once.
        scan_with_camera(page, "Bruno Lefèvre")
        _save(page, "Une note de trop", "Enregistrer le contact")
        expect(page.locator(".notice.success")).to_contain_text("Bruno Lefèvre")
        expect(page.locator("rc-new-contact .notice.pending")).to_contain_text(
            "Votre note n'a pas été ajoutée : la note sur Bruno Lefèvre est pleine"
        )
        page.screenshot(path=artifacts / "note-full-scan-fr.png", full_page=True)

        # Offline: queued, then synced when the network returns; the note stays on screen.
        context.set_offline(True)
        page.get_by_role("button", name="Scanner un autre badge").click()
        expect(page.locator("rc-new-contact .person-name")).to_have_text("Bruno Lefèvre", timeout=15_000)
        _save(page, "Hors ligne, et la note est pleine", "Enregistrer le contact")
        expect(page.locator(".pending-count")).to_have_attribute("data-pending", "1")
        context.set_offline(False)
        unsaved = page.locator(".status.refused")
        expect(unsaved).to_contain_text("1 scan a été enregistré sans sa note", timeout=20_000)
        expect(unsaved.locator(".unsaved-notes")).to_contain_text("Hors ligne, et la note est pleine")
        expect(page.locator(".pending-count")).to_have_count(0)
        page.screenshot(path=artifacts / "note-full-synced-fr.png", full_page=True)

        # The same, in English.
        page.evaluate("() => localStorage.setItem('rencontre.lang', 'en')")
        page.reload()
        expect(page.locator(".status.refused")).to_contain_text("1 scan was recorded without its note")
        page.screenshot(path=artifacts / "note-full-synced-en.png", full_page=True)
        scan_with_camera_en = page.get_by_role("button", name="Scan a badge")
        scan_with_camera_en.click()
        expect(page.locator("rc-new-contact .person-name")).to_have_text("Bruno Lefèvre", timeout=15_000)
        _save(page, "One note too many", "Save contact")
        expect(page.locator("rc-new-contact .notice.pending")).to_contain_text(
            "Your note was not added: the note on Bruno Lefèvre is full"
        )
        page.screenshot(path=artifacts / "note-full-scan-en.png", full_page=True)

        [contact] = backend.contacts(token)
        assert contact["scan_count"] == 13
        assert len(contact["note"]) <= 5000
        for unsaved_note in ("Une note de trop", "Hors ligne", "One note too many"):
            assert unsaved_note not in contact["note"]
        assert csp_violations(page) == []
