"""Re-importing a registration list that grew, from the console: before a file is
chosen, the recognised columns and a sample CSV; then the preview lists the rows to add,
to update (before → after) and to skip, the organiser chooses to update, confirms, and
the attendee list shows the change. In French and in English."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.console_helpers import ConsoleServer, ConsoleTab, check_screen, csp_violations, sign_in

pytest_plugins = ["tests.e2e.console_fixtures"]
pytestmark = pytest.mark.e2e

FIRST = (
    "Numéro d'inscription;Prénom;Nom;Courriel;Société\n"
    "R1;Zoé;Lefèvre;zoe@example.org;Atelier\n"
    "R2;Ada;Lovelace;ada@example.org;Engines\n"
)
# Zoé's company changed at the source, Ada's row is as before, Noël registered since.
SECOND = (
    "Numéro d'inscription;Prénom;Nom;Courriel;Société\n"
    "R1;Zoé;Lefèvre;zoe@example.org;Atelier Lumière\n"
    "R2;Ada;Lovelace;ada@example.org;Engines\n"
    "R3;Noël;Çelik;noel@example.org;Büro\n"
)


@dataclass(frozen=True)
class Words:
    locale: str
    lang: str
    guide: str
    sample_button: str
    sample_header: str
    to_add: str
    to_skip: str
    to_update: str
    update_choice: str
    change: str
    go: str
    done: str
    see_list: str
    choose_another: str


ENGLISH = Words(
    "en-GB",
    "en",
    "Columns the import reads",
    "Download a sample CSV",
    "Registration ID,First name,Last name,Email",
    "1 to add",
    "2 to skip",
    "1 to update",
    "Update their details",
    "Company: Atelier → Atelier Lumière",
    "Add 1 and update 1",
    "1 added, 1 updated",
    "See the attendees",
    "Choose another file",
)
FRENCH = Words(
    "fr-FR",
    "fr",
    "Colonnes lues par l'import",
    "Télécharger un exemple de CSV",
    "Numéro d'inscription,Prénom,Nom,Courriel",
    "1 à ajouter",
    "2 à laisser",
    "1 à mettre à jour",
    "Mettre à jour leurs informations",
    "Société : Atelier → Atelier Lumière",
    "Ajouter 1 et mettre à jour 1",
    "1 ajouté(s), 1 mis à jour",
    "Voir les participants",
    "Choisir un autre fichier",
)


@pytest.mark.parametrize("words", [ENGLISH, FRENCH], ids=["en", "fr"])
class TestReimportWithUpdates:
    def test_the_preview_lists_each_row_and_update_changes_the_list(
        self,
        words: Words,
        console_tab: Callable[..., ConsoleTab],
        console_server: ConsoleServer,
        console_artifacts: Path,
        tmp_path: Path,
    ) -> None:
        api = console_server.api()
        event_id = api.create_event(f"Salon {words.lang}")
        api.import_csv(event_id, FIRST.encode())
        tab = console_tab(locale=words.locale)
        page = tab.page
        sign_in(tab, f"/console/events/{event_id}/import", lang=words.lang)

        # Before any file: the recognised columns, and a sample headed in the organiser's language.
        expect(page.get_by_role("heading", name=words.guide)).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("button", name=words.sample_button).click()
        sample = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert sample.startswith(words.sample_header)
        page.locator("rc-import-guide").evaluate("(guide) => guide.scrollIntoView()")
        check_screen(page, console_artifacts, f"30-import-guide-{words.lang}")

        updated = tmp_path / "inscrits.csv"
        updated.write_text(SECOND, encoding="utf-8")
        page.set_input_files("#import-file", updated)
        plan = page.locator("rc-import-plan")
        expect(plan.get_by_text(words.to_add)).to_be_visible()
        expect(plan.get_by_text(words.to_skip)).to_be_visible()
        expect(plan.get_by_role("rowheader", name="Noël Çelik")).to_be_visible()

        page.get_by_role("radio", name=words.update_choice).check()
        expect(plan.get_by_text(words.to_update)).to_be_visible()
        update_row = plan.locator(".import-plan__section--update tbody tr")
        expect(update_row).to_have_count(1)
        expect(update_row.get_by_role("rowheader")).to_have_text("Zoé Lefèvre")
        expect(update_row).to_contain_text(words.change)
        check_screen(page, console_artifacts, f"31-import-update-plan-{words.lang}")

        page.get_by_role("button", name=words.go).click()
        expect(page.get_by_role("heading", name=words.done)).to_be_visible()
        page.get_by_role("link", name=words.see_list).click()
        zoe = page.locator("#attendee-table tbody tr").filter(has_text="Zoé Lefèvre")
        expect(zoe).to_contain_text("Atelier Lumière")
        expect(page.locator("#attendee-table tbody tr").filter(has_text="Noël Çelik")).to_have_count(1)
        assert sorted(a.name for a in api.attendees(event_id)) == [
            "Ada Lovelace",
            "Noël Çelik",
            "Zoé Lefèvre",
        ]
        assert not tab.errors, tab.errors
        assert not csp_violations(page)


@pytest.mark.parametrize("words", [ENGLISH, FRENCH], ids=["en", "fr"])
class TestChooseAnotherFile:
    def test_choose_another_file_opens_the_picker(
        self,
        words: Words,
        console_tab: Callable[..., ConsoleTab],
        console_server: ConsoleServer,
        tmp_path: Path,
    ) -> None:
        api = console_server.api()
        event_id = api.create_event(f"Forum {words.lang}")
        tab = console_tab(locale=words.locale)
        page = tab.page
        sign_in(tab, f"/console/events/{event_id}/import", lang=words.lang)
        bad = tmp_path / "bad.csv"
        bad.write_text("name,email\nAda,not-an-address\n", encoding="utf-8")
        page.set_input_files("#import-file", bad)
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name=words.choose_another).click()
        good = tmp_path / "good.csv"
        good.write_text(FIRST, encoding="utf-8")
        chooser.value.set_files(good)
        expect(page.locator("rc-import-plan").get_by_role("rowheader", name="Zoé Lefèvre")).to_be_visible()
        assert not tab.errors, tab.errors
