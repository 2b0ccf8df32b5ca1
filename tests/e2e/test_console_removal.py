"""The console's removal dialog tells the organiser what removal keeps: others' contacts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.console_helpers import ConsoleServer, ConsoleTab, check_screen, sign_in

pytest_plugins = ["tests.e2e.console_fixtures"]
pytestmark = pytest.mark.e2e

SAMPLE_CSV = Path(__file__).resolve().parents[1] / "data" / "attendees_sample.csv"
WORDS = {
    "en": (
        "Join link of Zoé Lefèvre",
        "Remove this attendee",
        "Others keep their contacts with them",
        "Remove",
    ),
    "fr": (
        "Lien d'accès de Zoé Lefèvre",
        "Retirer ce participant",
        "Les autres gardent leurs contacts avec cette personne",
        "Retirer",
    ),
}


class TestRemovalDialogSaysOthersKeepTheirContacts:
    @pytest.mark.parametrize(("lang", "locale"), [("fr", "fr-FR"), ("en", "en-GB")])
    def test_the_confirmation_says_so_and_removal_goes_through(
        self,
        console_tab: Callable[..., ConsoleTab],
        console_server: ConsoleServer,
        console_artifacts: Path,
        lang: str,
        locale: str,
    ) -> None:
        link, action, kept, confirm = WORDS[lang]
        api = console_server.api()
        event_id = api.create_event(f"Retrait {lang}")
        api.import_csv(event_id, SAMPLE_CSV.read_bytes())
        tab = console_tab(locale=locale)
        page = tab.page
        sign_in(tab, f"/console/events/{event_id}/attendees", lang)

        page.get_by_role("button", name=link).click()
        page.locator("dialog.dialog--panel[open]").get_by_role("button", name=action).click()
        dialog = page.locator("dialog.dialog--small[open]")
        expect(dialog).to_contain_text(kept)
        check_screen(page, console_artifacts, f"removal-dialog-{lang}")

        with page.expect_response(lambda r: r.request.method == "DELETE") as removed:
            dialog.get_by_role("button", name=confirm, exact=True).click()
        assert removed.value.status == 204
        expect(dialog).to_have_count(0)
        assert api.attendees(event_id, q="zoe.lefevre") == []
