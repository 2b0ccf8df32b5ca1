"""The CSV import's problems in the organiser's language: each bad row's reason is
worded by the console from the code the server sends, in French here, and re-worded
when the organiser switches to English; a refused file is explained the same way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.console_helpers import (
    ConsoleServer,
    ConsoleTab,
    check_screen,
    csp_violations,
    sign_in,
)

# The console's fixtures (all named console_*), beside the PWA's in tests/e2e/conftest.py.
pytest_plugins = ["tests.e2e.console_fixtures"]
pytestmark = pytest.mark.e2e

# One problem of each common kind, on lines 2 to 6; "Déjà Là" (line 7), registered
# beforehand, is no problem: a re-import skips or updates them.
BAD_ROWS = (
    "Prénom;Nom;Courriel;Société\n"
    "Jean;Dupont;jean@@x;Atelier\n"
    ";;personne@example.org;Nulle part\n"
    "Ada;Lovelace;ada@example.org;Engines\n"
    "Alan;Turing;ADA@example.org;Bletchley Park\n"
    f"Zoé;Lefèvre;zoe@example.org;{'x' * 130}\n"
    "Déjà;Là;deja@example.org;Maison\n"
)
REGISTERED = "name,email\nDéjà Là,deja@example.org\n"

FRENCH = {
    "2": "L'adresse e-mail « jean@@x » n'est pas valide.",
    "3": "Le nom est vide : chaque participant doit en avoir un.",
    "5": "L'adresse e-mail « ADA@example.org » figure déjà ligne 4 : gardez une seule ligne par personne.",
    "6": "Colonne « Société » : 130 caractères pour 120 au maximum. Raccourcissez la valeur.",
}
ENGLISH_EMAIL = "The e-mail address “jean@@x” is not valid."


def reasons(tab: ConsoleTab) -> dict[str, str]:
    """Each bad row's reason by its line, as the table's row header names it."""
    rows = tab.page.locator("tr.import-error")
    return {
        rows.nth(i).get_by_role("rowheader").inner_text(): rows.nth(i).locator("td").inner_text()
        for i in range(rows.count())
    }


class TestImportProblemsInFrench:
    def test_bad_rows_and_a_refused_file_are_explained_in_french(
        self,
        console_tab: Callable[..., ConsoleTab],
        console_server: ConsoleServer,
        console_artifacts: Path,
        tmp_path: Path,
    ) -> None:
        api = console_server.api()
        event_id = api.create_event("Forum des Associations")
        api.import_csv(event_id, REGISTERED.encode())
        tab = console_tab(locale="fr-FR")
        page = tab.page
        sign_in(tab, f"/console/events/{event_id}/import", lang="fr")
        expect(page.get_by_role("heading", name="Importer des participants")).to_be_visible()

        bad = tmp_path / "inscrits.csv"
        bad.write_text(BAD_ROWS, encoding="utf-8")
        page.set_input_files("#import-file", bad)
        expect(page.locator("tr.import-error")).to_have_count(len(FRENCH))
        assert reasons(tab) == FRENCH
        table = page.get_by_role("table", name="Lignes à corriger")
        expect(table.get_by_role("rowheader", name="2")).to_be_visible()
        expect(page.get_by_role("alert")).to_contain_text("Rien n'a été importé")
        check_screen(page, console_artifacts, "12-import-bad-rows-fr")

        # The same rows, re-worded at once in English.
        page.get_by_role("button", name="English").click()
        expect(page.locator("tr.import-error").first.locator("td")).to_have_text(ENGLISH_EMAIL)
        page.get_by_role("button", name="Français").click()
        expect(page.locator("tr.import-error").first.locator("td")).to_have_text(FRENCH["2"])

        # A file refused as a whole: the reason in French too.
        page.get_by_role("button", name="Choisir un autre fichier").click()
        no_email = tmp_path / "sans-courriel.csv"
        no_email.write_text("Nom;Société\nJean Dupont;Atelier\n", encoding="utf-8")
        page.set_input_files("#import-file", no_email)
        expect(page.get_by_role("alert")).to_have_text(
            "Aucune colonne d'adresse e-mail trouvée : intitulez-la par exemple « email », « e-mail » ou "
            "« courriel »."
        )
        assert [a.name for a in api.attendees(event_id)] == ["Déjà Là"], "nothing was written"
        assert not tab.errors, tab.errors
        assert not csp_violations(page)
