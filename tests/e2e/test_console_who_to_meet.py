"""Who to meet in the console at 1280×800: the organiser opens the directory from the
event's settings, then reads its figures on the overview and in the report — counts
only, never who asked to meet whom — in English and French."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.console_helpers import ConsoleServer, ConsoleTab, OrganiserApi, check_screen, sign_in

pytest_plugins = ["tests.e2e.console_fixtures"]
pytestmark = pytest.mark.e2e

REASON = "raison jamais montrée"


def asked_and_met(api: OrganiserApi, event_id: str) -> list[str]:
    """Four people in the directory: three requests, one match, scanned afterwards."""
    rows = "name,email\n" + "".join(f"Personne {n},w{n}@e2e.example\n" for n in range(5))
    api.import_csv(event_id, rows.encode())
    people = [api.join(event_id, p) for p in sorted(api.attendees(event_id), key=lambda p: p.name)]
    for person in people[:4]:
        api.http.patch(
            "/api/me", headers=api.bearer(person.token), json={"directory_opt_in": True}
        ).raise_for_status()
    a, b, c, d = people[:4]
    for sender, recipient in [(a, b), (b, a), (c, d), (d, b)]:
        response = api.http.post(
            "/api/meet-requests",
            headers=api.bearer(sender.token),
            json={"to": recipient.id, "reason": REASON},
        )
        response.raise_for_status()
    api.scan(a, b)
    return [p.name for p in people]


class TestWhoToMeetFigures:
    def test_open_the_directory_then_read_its_figures(
        self,
        console_tab: Callable[..., ConsoleTab],
        console_server: ConsoleServer,
        console_artifacts: Path,
    ) -> None:
        api = console_server.api()
        event_id = api.create_event("Soirée Qui Croiser")
        tab = console_tab()
        page = tab.page

        # Settings: closed by default; ticking it offers an opening moment, which is saved.
        sign_in(tab, f"/console/events/{event_id}/settings")
        opens = page.get_by_label("Opens on")
        expect(opens).to_be_disabled()
        page.get_by_label("Open the directory to attendees who join it").check()
        expect(opens).to_be_enabled()
        opening = (datetime.now(UTC) - timedelta(days=2)).astimezone().strftime("%Y-%m-%dT%H:%M")
        opens.fill(opening)
        page.locator(".event-directory").scroll_into_view_if_needed()
        check_screen(page, console_artifacts, "who-to-meet-settings-en")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".toast, [role=status]").first).to_be_visible()
        assert api.get(f"/api/events/{event_id}")["directory_opens_at"] is not None

        names = asked_and_met(api, event_id)
        page.goto(f"/console/events/{event_id}")
        figures = page.locator("rc-who-to-meet-figures")
        for key, value in [("opted_in", "4"), ("requests_sent", "3"), ("matches", "1"), ("matches_met", "1")]:
            expect(figures.locator(f"[data-figure={key}] dd").first).to_have_text(value)
        figures.scroll_into_view_if_needed()
        check_screen(page, console_artifacts, "who-to-meet-overview-en")

        page.goto(f"/console/events/{event_id}/report")
        expect(page.locator("rc-who-to-meet-figures [data-figure=matches_met] dd").first).to_have_text("1")
        text = page.locator("main").inner_text()
        assert REASON not in text
        assert not any(name in text for name in names)
        page.locator("rc-who-to-meet-figures").scroll_into_view_if_needed()
        check_screen(page, console_artifacts, "who-to-meet-report-en")

        page.get_by_role("button", name="Français").click()
        expect(page.locator("rc-who-to-meet-figures h3")).to_have_text("Qui rencontrer")
        page.locator("rc-who-to-meet-figures").scroll_into_view_if_needed()
        check_screen(page, console_artifacts, "who-to-meet-report-fr")
        page.goto(f"/console/events/{event_id}/settings")
        expect(page.get_by_label("Ouverture le")).to_be_enabled()
        page.locator(".event-directory").scroll_into_view_if_needed()
        check_screen(page, console_artifacts, "who-to-meet-settings-fr")
        assert not tab.errors, tab.errors
