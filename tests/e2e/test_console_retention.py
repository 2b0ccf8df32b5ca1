"""The organiser sets how long attendees' data is kept after the event, in the event's
settings, in French and English at 1280×800; a value out of range is explained, not sent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.console_helpers import ConsoleServer, ConsoleTab, check_screen, sign_in

pytest_plugins = ["tests.e2e.console_fixtures"]

LABELS = {
    "en": ("Keep attendees' data for (days after the event)", "Save changes", "Enter a whole number of days"),
    "fr": (
        "Garder les données des participants (jours après l'événement)",
        "Enregistrer",
        "Indiquez un nombre entier de jours",
    ),
}


class TestRetentionSetting:
    def test_set_in_the_event_settings_in_both_languages(
        self,
        console_tab: Callable[..., ConsoleTab],
        console_server: ConsoleServer,
        console_artifacts: Path,
    ) -> None:
        event_id = console_server.api().create_event("Forum de l'emploi")
        for lang, locale in (("en", "en-GB"), ("fr", "fr-FR")):
            label, save, error = LABELS[lang]
            tab = console_tab(locale=locale)
            page = tab.page
            path = f"/console/events/{event_id}/settings"
            sign_in(tab, path, lang)
            field = page.get_by_label(label)
            expect(field).to_have_value("90" if lang == "en" else "30")
            field.fill("0")
            page.get_by_role("button", name=save, exact=False).first.click()
            expect(page.get_by_text(error)).to_be_visible()
            field.fill("30")
            with page.expect_response(lambda r: r.request.method == "PATCH") as saved:
                page.get_by_role("button", name=save, exact=False).first.click()
            assert saved.value.ok
            assert saved.value.json()["retention_days"] == 30
            field.scroll_into_view_if_needed()
            check_screen(page, console_artifacts, f"console-36-retention-{lang}")
            assert tab.errors == []
        assert console_server.api().get(f"/api/events/{event_id}")["retention_days"] == 30
