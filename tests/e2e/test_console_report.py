"""After the event, and around it: the report with its CSV, the console in French
(the browser's language, and the switch), the event's settings in its own time
zone, signing out, and an expired session sending the organiser back to sign in."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.console_helpers import (
    ORGANISER_EMAIL,
    ORGANISER_PASSWORD,
    ConsoleServer,
    ConsoleTab,
    OrganiserApi,
    check_screen,
    csp_violations,
    sign_in,
)

# The console's fixtures (all named console_*), beside the PWA's in tests/e2e/conftest.py.
pytest_plugins = ["tests.e2e.console_fixtures"]
pytestmark = pytest.mark.e2e

NOTE = "Private note: met by the coffee machine"


def met(api: OrganiserApi, event_id: str) -> None:
    """Five people, six scans: 5 connections, 4 pairs, 1 mutual."""
    rows = "name,email\n" + "".join(f"Personne {n},p{n}@e2e.example\n" for n in range(5))
    api.import_csv(event_id, rows.encode())
    a, b, c, d, e = [api.join(event_id, p) for p in sorted(api.attendees(event_id), key=lambda p: p.name)]
    for scanner, scanned in [(a, b), (b, a), (a, c), (c, d), (d, e), (d, e)]:
        api.scan(scanner, scanned)


class TestReport:
    def test_totals_distribution_peaks_and_csv_in_both_languages(
        self,
        console_tab: Callable[..., ConsoleTab],
        console_server: ConsoleServer,
        console_artifacts: Path,
        tmp_path: Path,
    ) -> None:
        api = console_server.api()
        event_id = api.create_event("Afterwork Data & IA")
        met(api, event_id)
        totals = api.report(event_id)["totals"]
        assert (totals["connections"], totals["unique_pairs"], totals["mutual_connections"]) == (5, 4, 1)

        tab = console_tab()
        page = tab.page
        sign_in(tab, f"/console/events/{event_id}/report")
        for key, value in [
            ("connections", "5"),
            ("unique_pairs", "4"),
            ("mutual_connections", "1"),
            ("attendees", "5"),
            ("joined", "5"),
        ]:
            expect(page.locator(f"[data-total={key}] dd").first).to_have_text(value)
        expect(page.locator(".distribution tbody tr")).to_have_count(5)
        expect(page.locator(".peaks li")).to_have_count(1)
        assert NOTE not in page.locator("main").inner_text()
        check_screen(page, console_artifacts, "12-report")

        with page.expect_download() as info:
            page.get_by_role("button", name="Export as CSV").click()
        text = Path(info.value.path()).read_bytes().decode("utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text[1:])))
        assert rows[0] == ["section", "metric", "value"]
        assert ["totals", "connections", "5"] in rows
        assert NOTE not in text

        # The language switch: everything in French, the choice remembered.
        page.get_by_role("button", name="Français").click()
        expect(page.get_by_role("heading", level=2, name="Bilan de l'événement")).to_be_visible()
        expect(page.get_by_role("navigation", name="Rubriques de l'événement")).to_contain_text(
            "Participants"
        )
        assert page.evaluate("document.documentElement.lang") == "fr"
        check_screen(page, console_artifacts, "13-report-fr")
        page.reload()
        expect(page.get_by_role("heading", level=2, name="Bilan de l'événement")).to_be_visible()
        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("heading", level=2, name="Event report")).to_be_visible()

        assert not tab.errors, tab.errors
        assert not csp_violations(page)


class TestFrenchBrowser:
    def test_a_french_browser_gets_the_console_in_french(
        self, console_tab: Callable[..., ConsoleTab], console_server: ConsoleServer, console_artifacts: Path
    ) -> None:
        tab = console_tab(locale="fr-FR")
        page = tab.page
        page.goto("/console")
        expect(page.get_by_role("heading", level=1, name="Connexion à la console")).to_be_visible()
        page.get_by_label("Adresse e-mail").fill(ORGANISER_EMAIL)
        page.get_by_label("Mot de passe").fill(ORGANISER_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("heading", level=1, name="Vos événements")).to_be_visible()
        page.get_by_role("link", name="Nouvel événement").first.click()
        expect(page.get_by_label("Fuseau horaire")).to_be_visible()
        check_screen(page, console_artifacts, "14-new-event-fr")
        assert not tab.errors, tab.errors


class TestSettingsAndSession:
    def test_settings_in_the_event_zone_then_sign_out(
        self,
        console_tab: Callable[..., ConsoleTab],
        console_server: ConsoleServer,
        console_artifacts: Path,
    ) -> None:
        api = console_server.api()
        event_id = api.create_event("Salon Tech Montréal", timezone="America/Toronto")
        tab = console_tab()
        page = tab.page
        sign_in(tab, f"/console/events/{event_id}/settings")
        expect(page.get_by_label("Time zone")).to_have_value("America/Toronto")
        page.get_by_label("Starts").fill("2026-09-17T18:30")
        page.get_by_label("Ends").fill("2026-09-17T17:00")
        page.get_by_role("button", name="Save changes").click()
        expect(page.get_by_text("The end must come after the start.")).to_be_visible()
        expect(page.get_by_label("Ends")).to_be_focused()
        page.get_by_label("Ends").fill("2026-09-17T22:00")
        page.get_by_label("Venue").fill("Palais des congrès")
        page.get_by_label("Show names in the live feed").check()
        check_screen(page, console_artifacts, "15-settings")
        page.get_by_role("button", name="Save changes").click()
        expect(page.locator(".toast")).to_have_text("Event saved.")
        event = api.get(f"/api/events/{event_id}")
        assert event["venue"] == "Palais des congrès"
        assert event["feed_shows_names"] is True
        toronto = ZoneInfo("America/Toronto")
        assert datetime.fromisoformat(event["starts_at"]).astimezone(toronto).strftime("%Y-%m-%d %H:%M") == (
            "2026-09-17 18:30"
        )
        expect(page.locator(".event-head__meta")).to_contain_text("Palais des congrès")

        # Sign out: the token leaves the tab, the console asks to sign in again.
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url("**/console/login")
        assert page.evaluate("localStorage.getItem('rencontre.console.token')") is None
        page.goto(f"/console/events/{event_id}/attendees")
        page.wait_for_url("**/console/login?next=**")

        # A token the server no longer accepts: back to the sign-in, saying why, then where we were.
        page.get_by_label("E-mail").fill(ORGANISER_EMAIL)
        page.get_by_label("Password").fill(ORGANISER_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"**/console/events/{event_id}/attendees")
        page.evaluate("localStorage.setItem('rencontre.console.token', 'expired.token.value')")
        page.reload()
        expect(page.get_by_text("Your session has ended. Sign in again to continue.")).to_be_visible()
        assert not tab.errors, tab.errors
