"""The live dashboard's "people to introduce" says, for each isolated attendee, the present
people they were suggested to meet: names only while the event's feed shows names, a count
otherwise (1280×800, FR and EN)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.console_helpers import ConsoleServer, ConsoleTab, check_screen, sign_in

pytest_plugins = ["tests.e2e.console_fixtures"]
pytestmark = pytest.mark.e2e

PROFILES = {
    "Zoé Lefèvre": {"seeks": ["acheteurs retail"]},
    "Marc Petit": {"offers": ["intros to retail buyers"]},
    "Léa Moreau": {"interests": ["emballage durable"]},
}


def test_isolated_attendees_show_whom_they_were_suggested_to_meet(
    console_tab: Callable[..., ConsoleTab], console_server: ConsoleServer, console_artifacts: Path
) -> None:
    api = console_server.api()
    opens = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    event_id = api.create_event("Rencontres du Retail", directory_opens_at=opens)
    rows = "name,email,company\n" + "".join(
        f"{name},{name.split()[0].lower()}@suggest.example,{name.split()[1]} SAS\n" for name in PROFILES
    )
    api.import_csv(event_id, rows.encode())
    people = api.attendees(event_id)
    for person in people:
        joined = api.join(event_id, person)
        response = api.http.patch(
            "/api/me",
            headers=api.bearer(joined.token),
            json={"directory_opt_in": True, **PROFILES[person.name]},
        )
        response.raise_for_status()
    console_server.backdate_arrival(people, minutes=40)

    for locale, lang, hidden_names, named in (
        (
            "fr-FR",
            "fr",
            "personnes présentes lui ont été suggérées",
            "Suggéré·e\u00a0: Marc Petit (Petit SAS)",
        ),
        ("en-GB", "en", "present people were suggested to them", "Suggested: Marc Petit (Petit SAS)"),
    ):
        api.http.patch(f"/api/events/{event_id}", headers=api.headers, json={"feed_shows_names": False})
        tab = console_tab(locale=locale)
        page = tab.page
        sign_in(tab, f"/console/events/{event_id}/live", lang=lang)
        zoe = page.locator(".isolated__row").filter(
            has=page.locator(".isolated__name", has_text="Zoé Lefèvre")
        )
        expect(zoe.locator(".isolated__suggested")).to_contain_text(hidden_names, timeout=15_000)
        assert "Marc" not in zoe.locator(".isolated__suggested").inner_text()
        check_screen(page, console_artifacts, f"40-live-suggested-count-{lang}")
        tab.context.close()

        api.http.patch(f"/api/events/{event_id}", headers=api.headers, json={"feed_shows_names": True})
        tab = console_tab(locale=locale)
        page = tab.page
        sign_in(tab, f"/console/events/{event_id}/live", lang=lang)
        zoe = page.locator(".isolated__row").filter(
            has=page.locator(".isolated__name", has_text="Zoé Lefèvre")
        )
        expect(zoe.locator(".isolated__suggested")).to_contain_text(named, timeout=15_000)
        check_screen(page, console_artifacts, f"41-live-suggested-names-{lang}")
        assert not tab.errors, tab.errors
        tab.context.close()
