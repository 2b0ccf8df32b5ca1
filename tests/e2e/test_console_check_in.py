"""Check-in at the door and introductions, in the console: a phone (360×740) reads a badge
through its camera and checks the person in, then finds someone by name; the live page's
"Introduced" takes a person off the isolated list and counts in the report. FR and EN."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.camera import write_y4m
from tests.e2e.console_helpers import (
    AXE_PATH,
    AXE_SOURCE,
    CHROMIUM_ARGS,
    CSP_WATCH,
    Attendee,
    ConsoleServer,
    ConsoleTab,
    check_screen,
    csp_violations,
    sign_in,
)

pytest_plugins = ["tests.e2e.console_fixtures"]
pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
TIME = re.compile(r"\d{1,2}:\d{2}")


@dataclass
class Door:
    event_id: str
    zoe: Attendee
    leo: Attendee
    browser: Any


@pytest.fixture(scope="module")
def door(
    console_server: ConsoleServer, console_playwright: Any, console_chromium: Path, tmp_path_factory: Any
) -> Iterator[Door]:
    """An event under way; Zoé's badge before the camera of a browser of its own."""
    api = console_server.api()
    event_id = api.create_event("Salon de la Porte")
    rows = "name,email,company\nZoé Lefèvre,zoe@door.example,Atelier\nLéo Marchand,leo@door.example,Forge\n"
    api.import_csv(event_id, rows.encode())
    people = {person.name: person for person in api.attendees(event_id)}
    zoe = api.join(event_id, people["Zoé Lefèvre"])
    camera = write_y4m(tmp_path_factory.mktemp("door") / "zoe.y4m", zoe.badge_url)
    browser = console_playwright.chromium.launch(
        executable_path=str(console_chromium),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={camera}",
            "--use-fake-ui-for-media-stream",
        ],
    )
    try:
        yield Door(event_id, zoe, people["Léo Marchand"], browser)
    finally:
        browser.close()


@pytest.fixture
def phone_tab(door: Door, console_server: ConsoleServer) -> Iterator[Callable[[str], ConsoleTab]]:
    opened: list[Any] = []

    def open_tab(locale: str) -> ConsoleTab:
        context = door.browser.new_context(
            viewport=PHONE,
            locale=locale,
            permissions=["camera"],
            timezone_id="America/New_York",
            base_url=console_server.url,
        )
        context.add_init_script(CSP_WATCH)
        source = AXE_SOURCE.read_bytes()
        context.route(
            f"**{AXE_PATH}",
            lambda route: route.fulfill(status=200, content_type="text/javascript", body=source),
        )
        opened.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        return ConsoleTab(page, context, errors)

    yield open_tab
    for context in opened:
        with contextlib.suppress(Exception):
            context.close()


class TestCheckInAtTheDoor:
    def test_the_camera_checks_a_badge_in_then_says_already_and_a_name_search_checks_in(
        self,
        door: Door,
        phone_tab: Callable[[str], ConsoleTab],
        console_server: ConsoleServer,
        console_artifacts: Path,
    ) -> None:
        api = console_server.api()
        path = f"/console/events/{door.event_id}/checkin"

        # English: Zoé's badge before the camera; she is welcomed with the time.
        tab = phone_tab("en-GB")
        page = tab.page
        sign_in(tab, path)
        expect(page.get_by_role("heading", level=2, name="Check-in at the door")).to_be_visible()
        page.get_by_role("button", name="Scan badges").click()
        outcome = page.locator(".door-outcome")
        expect(outcome).to_have_attribute("data-outcome", "welcome", timeout=15_000)
        expect(outcome).to_contain_text("Welcome, Zoé Lefèvre — checked in at")
        assert TIME.search(outcome.inner_text())
        assert api.attendee(door.event_id, door.zoe.id)["arrived_at"] is not None
        # The badge still before the camera is not read again and again.
        page.wait_for_timeout(1000)
        expect(outcome).to_have_attribute("data-outcome", "welcome")
        check_screen(page, console_artifacts, "30-check-in-phone-en")
        page.get_by_role("button", name="Stop the camera").click()
        expect(page.locator("video")).to_have_count(0)
        assert not tab.errors, tab.errors
        tab.context.close()

        # French: the same badge again is "already here"; Léo, badge forgotten, is found by name.
        tab = phone_tab("fr-FR")
        page = tab.page
        sign_in(tab, path, lang="fr")
        expect(page.get_by_role("heading", level=2, name="Accueil à l'entrée")).to_be_visible()
        page.get_by_role("button", name="Scanner les badges").click()
        expect(outcome := page.locator(".door-outcome")).to_have_attribute(
            "data-outcome", "already", timeout=15_000
        )
        expect(outcome).to_contain_text("Zoé Lefèvre est déjà là (arrivée enregistrée à")
        page.get_by_role("button", name="Arrêter la caméra").click()
        page.get_by_role("searchbox", name="Chercher par nom").fill("Léo")
        match = page.locator(".door-match").filter(has_text="Léo Marchand")
        expect(match).to_contain_text("pas encore arrivée")
        match.get_by_role("button", name="Enregistrer l'arrivée de Léo Marchand").click()
        expect(outcome).to_have_attribute("data-outcome", "welcome")
        expect(outcome).to_contain_text("Bienvenue, Léo Marchand — arrivée enregistrée à")
        expect(match).to_contain_text("arrivée à")
        expect(match.get_by_role("button")).to_have_count(0)
        assert api.attendee(door.event_id, door.leo.id)["arrived_at"] is not None
        check_screen(page, console_artifacts, "31-check-in-phone-fr")

        # Nobody by that name: said so.
        page.get_by_role("searchbox", name="Chercher par nom").fill("Personne Inconnue")
        expect(page.get_by_text("Personne ne correspond à « Personne Inconnue ».")).to_be_visible()
        assert not tab.errors, tab.errors
        assert not csp_violations(page)


class TestIntroducedFromTheLivePage:
    def test_introduced_takes_a_person_off_the_list_and_counts_in_the_report(
        self,
        console_tab: Callable[..., ConsoleTab],
        console_server: ConsoleServer,
        console_artifacts: Path,
    ) -> None:
        api = console_server.api()
        event_id = api.create_event("Soirée des Présentations")
        rows = "name,email\n" + "".join(f"Invité {n},invite{n}@intro.example\n" for n in range(3))
        api.import_csv(event_id, rows.encode())
        people = api.attendees(event_id)
        console_server.backdate_arrival(people, minutes=40)
        report = f"/api/events/{event_id}/report"

        introduced: list[str] = []
        for locale, lang, button, done, who in (
            ("en-GB", "en", "Mark Invité 0 as introduced", "Invité 0 is marked as introduced.", "Invité 0"),
            (
                "fr-FR",
                "fr",
                "Marquer Invité 1 comme présenté·e",
                "Invité 1 est marqué·e comme présenté·e.",
                "Invité 1",
            ),
        ):
            tab = console_tab(locale=locale)
            page = tab.page
            sign_in(tab, f"/console/events/{event_id}/live", lang=lang)
            rows_shown = page.locator(".isolated__row")
            # A new dashboard may start from lists computed before the last introduction:
            # count only once that person has left them.
            for earlier in introduced:
                expect(rows_shown.filter(has_text=earlier)).to_have_count(0, timeout=15_000)
            expect(rows_shown.filter(has_text=who)).to_have_count(1, timeout=15_000)
            check_screen(page, console_artifacts, f"32-live-introduce-{lang}")
            page.get_by_role("button", name=button).click()
            expect(page.get_by_role("status").filter(has_text=done)).to_have_count(1)
            # Others may move on the list's periodic refresh too: only this person is asserted.
            expect(rows_shown.filter(has_text=who)).to_have_count(0, timeout=15_000)
            check_screen(page, console_artifacts, f"33-live-introduced-{lang}")
            introduced.append(who)
            assert not tab.errors, tab.errors
            tab.context.close()

        totals = api.get(report)["totals"]
        assert (totals["arrived"], totals["introduced"]) == (3, 2)
