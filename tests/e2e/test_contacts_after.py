"""After the event, on Zoé's phone: editing a contact and its follow-up, an edit that
meets a note added by meeting again, search and filters, exports, the language and
time zone, and contact edits made without network."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from playwright.sync_api import expect

from tests.e2e.pwa import run_axe
from tests.e2e.server import Backend
from tests.e2e.tour import Tour, on_main_page

# The tour (Zoé and her contacts), a fixture of tests/e2e/tour_fixtures.py.
pytest_plugins = ["tests.e2e.tour_fixtures"]


def expect_saved(page: Any) -> None:
    """The page's quiet line says the server has every change."""
    expect(page.locator("page-contact .save-status[data-status=saved]")).to_be_visible(timeout=10_000)


class TestContactsAfterTheEvent:
    def test_a_contact_is_edited_and_marked_followed_up(self, tour: Tour, backend: Backend) -> None:
        contact_id = tour.contact_ids["James O'Connor"]
        page = on_main_page(f"/contacts/{contact_id}", "page-contact .person-name")(tour)
        # No button: the note saves itself as it is typed, and the page says so quietly.
        assert page.get_by_role("button", name="Enregistrer").count() == 0
        note = page.get_by_label("Note privée", exact=True)
        note.fill("Deck envoyé ✅ — rappeler en janvier")
        expect_saved(page)
        with page.expect_response(
            lambda r: r.request.method == "PATCH" and "/api/contacts/" in r.url
        ) as patched:
            page.get_by_role("radio", name="Faite").check()
        assert patched.value.ok
        expect(page.locator(".countdown")).to_have_text("Relancé")
        stored = backend.http.get(f"/api/contacts/{contact_id}", headers=backend.auth(tour.token)).json()
        assert stored["note"] == "Deck envoyé ✅ — rappeler en janvier"
        assert stored["follow_up"] == "done"

    def test_an_edit_made_while_meeting_again_keeps_both_notes(
        self, tour: Tour, backend: Backend, artifacts: Path
    ) -> None:
        contact_id = tour.contact_ids["James O'Connor"]
        path = f"/api/contacts/{contact_id}"
        page = on_main_page(f"/contacts/{contact_id}", "page-contact .person-name")(tour)
        opened = backend.http.get(path, headers=backend.auth(tour.token)).json()
        note = page.get_by_label("Note privée", exact=True)
        expect(note).to_have_value(opened["note"])

        # Zoé meets James again (her other phone): the scan appends to the note.
        james = next(p for p in tour.people if p.name == "James O'Connor")
        backend.scan(tour.token, james.badge_url, note="Revu au stand Stripe")
        draft = opened["note"] + " — devis demandé"
        with page.expect_response(lambda r: r.request.method == "PATCH" and path in r.url) as refused:
            note.fill(draft)
            note.press("Tab")
        assert refused.value.status == 412
        assert refused.value.request.headers["if-match"] == f'"{opened["version"]}"'

        # Nothing lost: the draft stays in the field, the current note is shown with what was added.
        expect(page.get_by_role("alert")).to_contain_text("Ce contact a changé depuis que vous l'avez ouvert")
        expect(note).to_have_value(draft)
        expect(page.locator(".current-note mark")).to_contain_text("Revu au stand Stripe")
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / "15-contact-changed.png"), scale="css")
        assert run_axe(page) == []

        with page.expect_response(lambda r: r.request.method == "PATCH" and path in r.url) as saved:
            page.get_by_role("button", name="Ajouter la nouvelle note à mon texte et enregistrer").click()
        assert saved.value.status == 200
        expect_saved(page)
        stored = backend.http.get(path, headers=backend.auth(tour.token)).json()
        assert stored["note"].startswith(draft + "\n\n[")
        assert stored["note"].endswith("] Revu au stand Stripe")
        assert stored["follow_up"] == "done"
        expect(note).to_have_value(stored["note"])

    def test_search_and_filters_narrow_the_list(self, tour: Tour) -> None:
        page = on_main_page("/contacts", "rc-contact-row")(tour)
        rows = page.locator("rc-contact-row")
        expect(rows).to_have_count(3)
        page.get_by_role("searchbox", name="Chercher par nom, entreprise, note ou étiquette").fill(
            "incubation"
        )
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("Inès Benali")
        # Accents and case folded as the API folds them: "ines BENALI" finds Inès Benali.
        for typed in ("ines BENALI", "INÈS"):
            page.get_by_role("searchbox", name="Chercher par nom, entreprise, note ou étiquette").fill(typed)
            expect(rows).to_have_count(1)
            expect(rows.first).to_contain_text("Inès Benali")
        page.get_by_role("searchbox", name="Chercher par nom, entreprise, note ou étiquette").fill("")
        page.get_by_role("checkbox", name="Mutuels seulement").check()
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("Mutuel")

    def test_exports_download_with_the_access_token(self, tour: Tour, artifacts: Path) -> None:
        page = on_main_page("/contacts", "rc-contact-row")(tour)
        page.get_by_text("Exporter").click()
        expect(page.get_by_role("button", name="Excel (.xlsx)")).to_be_visible()
        page.screenshot(path=str(artifacts / "contacts-export-menu-fr.png"), scale="css")
        with page.expect_download() as csv_download:
            page.get_by_role("button", name="CSV (tableur)").click()
        csv_text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
        assert "Inès Benali" in csv_text
        # A French spreadsheet opens it in columns: ';' and French headers.
        assert csv_text.startswith("Nom;Entreprise;Fonction;")
        with page.expect_download() as xlsx_download:
            page.get_by_role("button", name="Excel (.xlsx)").click()
        assert xlsx_download.value.suggested_filename.endswith(".xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
        assert sheet is not None
        assert "Inès Benali" in [row[0] for row in sheet.iter_rows(values_only=True)]
        with page.expect_download() as vcf_download:
            page.get_by_role("button", name="vCard (contacts du téléphone)").click()
        vcf_text = Path(vcf_download.value.path()).read_text(encoding="utf-8")
        assert "BEGIN:VCARD" in vcf_text
        assert "Rencontré à " in vcf_text

        # In English, the files are in English.
        page.get_by_role("button", name="English").click()
        menu = page.locator(".export-menu")
        expect(menu.locator("summary")).to_have_text("Export")
        if menu.get_attribute("open") is None:
            menu.locator("summary").click()
        page.screenshot(path=str(artifacts / "contacts-export-menu-en.png"), scale="css")
        with page.expect_download() as english:
            page.get_by_role("button", name="Excel (.xlsx)").click()
        sheet = openpyxl.load_workbook(io.BytesIO(Path(english.value.path()).read_bytes())).active
        assert sheet is not None
        assert next(sheet.iter_rows(values_only=True))[:3] == ("Name", "Company", "Job title")
        page.get_by_role("button", name="Français").click()

    def test_the_language_switch_and_the_event_time_zone(self, tour: Tour) -> None:
        page = on_main_page("/contacts", "rc-contact-row")(tour)
        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("My contacts")
        # The phone is in Paris; the times shown are the event's (Europe/Paris) either way.
        met = page.locator("rc-contact-row .contact-meta span").first.inner_text()
        assert re.fullmatch(r"\d{1,2}:\d{2}( [AP]M)?", met), met
        page.get_by_role("button", name="Français").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mes contacts")


@dataclass
class OpenContact:
    page: Any
    path: str
    before: dict[str, Any]


def open_contact(tour: Tour, backend: Backend, name: str) -> OpenContact:
    """The contact's page, and the contact as the server has it then."""
    contact_id = tour.contact_ids[name]
    path = f"/api/contacts/{contact_id}"
    page = on_main_page(f"/contacts/{contact_id}", "page-contact .person-name")(tour)
    return OpenContact(page, path, backend.http.get(path, headers=backend.auth(tour.token)).json())


def stored(tour: Tour, backend: Backend, path: str) -> dict[str, Any]:
    contact: dict[str, Any] = backend.http.get(path, headers=backend.auth(tour.token)).json()
    return contact


def expect_kept_on_the_phone(page: Any) -> None:
    expect(page.get_by_role("status").filter(has_text="Enregistré sur ce téléphone")).to_be_visible()


def save_note_offline(page: Any, draft: str) -> None:
    """Type the note with the network cut, leave the field, then go back to the list."""
    note = page.get_by_label("Note privée", exact=True)
    note.fill(draft)
    note.press("Tab")
    expect_kept_on_the_phone(page)
    page.get_by_role("link", name="Tous les contacts").click()


class TestContactEditsWithoutNetwork:
    """An edit made offline waits on the phone with the version it was made on; back online,
    it is saved, moved onto what meeting again added, or left for the user to settle."""

    def test_an_edit_made_offline_is_saved_when_the_network_returns(
        self, tour: Tour, backend: Backend, artifacts: Path
    ) -> None:
        opened = open_contact(tour, backend, "Inès Benali")
        page, before = opened.page, opened.before
        draft = before["note"] + " — rappeler lundi"
        tour.context.set_offline(True)
        try:
            save_note_offline(page, draft)
            row = page.locator("rc-contact-row", has_text="Inès Benali")
            expect(row.locator(".badge.pending")).to_have_text("Modification non envoyée")
            expect(row.locator(".contact-note")).to_have_text(draft)
            page.wait_for_timeout(250)
            page.screenshot(path=str(artifacts / "16-contacts-edit-waiting.png"), scale="css")
            assert run_axe(page) == []
            assert stored(tour, backend, opened.path)["note"] == before["note"]
        finally:
            tour.context.set_offline(False)
        expect(row.locator(".badge.pending")).to_have_count(0, timeout=15_000)
        saved = stored(tour, backend, opened.path)
        assert saved["note"] == draft
        assert saved["version"] != before["version"]

    def test_an_offline_follow_up_is_moved_onto_a_note_added_meanwhile(
        self, tour: Tour, backend: Backend
    ) -> None:
        opened = open_contact(tour, backend, "Inès Benali")
        wanted = "todo" if opened.before["follow_up"] == "done" else "done"
        tour.context.set_offline(True)
        try:
            opened.page.get_by_role("radio", name="Faite" if wanted == "done" else "À faire").check()
            expect_kept_on_the_phone(opened.page)
            # Meanwhile Zoé meets Inès again from another phone: the note grows.
            ines = next(p for p in tour.people if p.name == "Inès Benali")
            backend.scan(tour.token, ines.badge_url, note="Revue au café")
        finally:
            tour.context.set_offline(False)
        for _ in range(60):
            saved = stored(tour, backend, opened.path)
            if saved["follow_up"] == wanted:
                break
            opened.page.wait_for_timeout(250)
        assert saved["follow_up"] == wanted
        assert saved["note"].startswith(opened.before["note"])
        assert saved["note"].endswith("Revue au café")

    def test_an_offline_note_that_meets_a_new_note_waits_for_the_user(
        self, tour: Tour, backend: Backend
    ) -> None:
        opened = open_contact(tour, backend, "James O'Connor")
        page = opened.page
        draft = opened.before["note"] + " — démo prévue"
        tour.context.set_offline(True)
        try:
            save_note_offline(page, draft)
            james = next(p for p in tour.people if p.name == "James O'Connor")
            backend.scan(tour.token, james.badge_url, note="Vu au dîner")
        finally:
            tour.context.set_offline(False)
        row = page.locator("rc-contact-row", has_text="James O'Connor")
        expect(row.locator(".badge.pending")).to_have_text("Modification à vérifier", timeout=15_000)
        assert stored(tour, backend, opened.path)["note"].endswith("Vu au dîner")

        row.click()
        expect(page.locator(".current-note mark")).to_contain_text("Vu au dîner")
        expect(page.get_by_label("Note privée", exact=True)).to_have_value(draft)
        page.get_by_role("button", name="Ajouter la nouvelle note à mon texte et enregistrer").click()
        expect_saved(page)
        saved = stored(tour, backend, opened.path)
        assert saved["note"].startswith(draft + "\n\n[")
        assert saved["note"].endswith("] Vu au dîner")
        page.get_by_role("link", name="Tous les contacts").click()
        expect(row.locator(".badge.pending")).to_have_count(0)
