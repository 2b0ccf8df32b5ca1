"""The report worth sending: the organiser downloads the PDF from the report page, in
English and in French, and its figures read back equal the database's."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pypdf
import pypdfium2
import pytest
from playwright.sync_api import expect

from tests.e2e.console_helpers import ConsoleServer, ConsoleTab, OrganiserApi, check_screen, sign_in

pytest_plugins = ["tests.e2e.console_fixtures"]
pytestmark = pytest.mark.e2e

NOTE = "never shown"


def met(api: OrganiserApi, event_id: str) -> None:
    """Five recruiters, six scans: 5 connections, 4 pairs, 1 mutual."""
    rows = "name,email\n" + "".join(f"Recruteur {n},r{n}@e2e.example\n" for n in range(5))
    api.import_csv(event_id, rows.encode())
    people = [api.join(event_id, p) for p in sorted(api.attendees(event_id), key=lambda p: p.name)]
    for person in people:
        api.http.patch(
            "/api/me", headers=api.bearer(person.token), json={"objectives": ["hiring"]}
        ).raise_for_status()
    a, b, c, d, e = people
    for scanner, scanned in [(a, b), (b, a), (a, c), (c, d), (d, e), (d, e)]:
        api.scan(scanner, scanned)


def _text(document: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(document))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


class TestReportPdf:
    def test_the_pdf_downloaded_from_the_report_page_holds_the_database_figures(
        self,
        console_tab: Callable[..., ConsoleTab],
        console_server: ConsoleServer,
        console_artifacts: Path,
    ) -> None:
        api = console_server.api()
        event_id = api.create_event("Forum Emploi Lyon")
        met(api, event_id)
        report = api.report(event_id)
        totals, follow_up = report["totals"], report["follow_up"]
        assert (totals["connections"], totals["unique_pairs"], totals["mutual_connections"]) == (5, 4, 1)
        assert report["by_objective"]["groups"] == [{"label": "hiring", "attendees": 5, "connections": 5}]

        tab = console_tab()
        page = tab.page
        assert page.viewport_size == {"width": 1280, "height": 800}
        sign_in(tab, f"/console/events/{event_id}/report")
        expect(page.locator("[data-follow-up=contacts] dd").first).to_have_text("5")
        expect(page.locator("[data-follow-up=next_steps_agreed] dd")).to_have_text("0")
        expect(page.locator("[data-groups=by-objective] tbody tr")).to_have_count(1)
        expect(page.locator("[data-groups=by-objective] tbody")).to_contain_text("Hiring")
        page.locator("[data-groups=by-objective]").scroll_into_view_if_needed()
        check_screen(page, console_artifacts, "report-pdf-en")

        for language, button, lines in [
            (
                "en",
                "Download PDF",
                (
                    "End-of-event report",
                    f"Connections recorded {totals['connections']}",
                    f"Pairs of people who met {totals['unique_pairs']}",
                    f"Mutual connections {totals['mutual_connections']}",
                    f"Contacts {follow_up['contacts']}",
                    f"Followed up within 48 h {follow_up['followed_up_within_48h']}",
                    f"Next steps agreed {follow_up['next_steps_agreed']}",
                    "Hiring 5 5",
                ),
            ),
            (
                "fr",
                "Télécharger le PDF",
                (
                    "Bilan de l’événement",
                    f"Connexions enregistrées {totals['connections']}",
                    f"Paires de personnes rencontrées {totals['unique_pairs']}",
                    f"Relancés sous 48 h {follow_up['followed_up_within_48h']}",
                    f"Prochaines étapes convenues {follow_up['next_steps_agreed']}",
                    "Recrutement 5 5",
                ),
            ),
        ]:
            if language == "fr":
                page.get_by_role("button", name="Français").click()
                expect(page.get_by_role("button", name=button)).to_be_visible()
                check_screen(page, console_artifacts, "report-pdf-fr")
            with page.expect_download() as info:
                page.get_by_role("button", name=button).click()
            download = info.value
            assert download.suggested_filename == "report-forum-emploi-lyon.pdf"
            document = Path(download.path()).read_bytes()
            assert document.startswith(b"%PDF")
            text = _text(document)
            for line in lines:
                assert line in text, (language, line)
            for private in (NOTE, "Recruteur", "e2e.example"):
                assert private not in text
            # The page as a reader sees it, kept beside the screenshots.
            pypdfium2.PdfDocument(document)[0].render(scale=1.2).to_pil().save(
                console_artifacts / f"report-pdf-{language}-page1.png"
            )
        assert not tab.errors, tab.errors
