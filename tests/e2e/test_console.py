"""The organiser console in a real browser against a real server process: sign in,
create an event, import attendees (bad rows first), print the badges, then watch the
live dashboard follow scans, survive a network cut and end on the database's counts."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.console_helpers import (
    ORGANISER_EMAIL,
    ORGANISER_PASSWORD,
    ConsoleServer,
    ConsoleTab,
    check_screen,
    csp_violations,
    poll,
)

# The console's fixtures (all named console_*), beside the PWA's in tests/e2e/conftest.py.
pytest_plugins = ["tests.e2e.console_fixtures"]
pytestmark = pytest.mark.e2e

DATA = Path(__file__).resolve().parents[1] / "data"
BAD_CSV = DATA / "attendees_bad_rows.csv"
SAMPLE_CSV = DATA / "attendees_sample.csv"
SAMPLE_ROWS = 10
PARIS = ZoneInfo("Europe/Paris")
LIVE_TIMEOUT = 10.0


def wall_clock(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")


def download(page: Any, click: Callable[[], None], folder: Path) -> Path:
    with page.expect_download() as info:
        click()
    target: Path = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def big_numbers(page: Any) -> dict[str, int]:
    values: dict[str, str] = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('[data-count]')]
              .map((tile) => [tile.dataset.count, tile.querySelector('dd').textContent]))"""
    )
    return {key: int("".join(ch for ch in text if ch.isdigit()) or 0) for key, text in values.items()}


def chart_total(page: Any) -> int:
    return int(page.get_attribute("rc-timeline-chart figure", "data-total") or 0)


class TestOrganiserJourney:
    def test_prepare_print_and_watch_the_event_live(
        self,
        console_tab: Callable[..., ConsoleTab],
        console_server: ConsoleServer,
        console_artifacts: Path,
        tmp_path: Path,
    ) -> None:
        api = console_server.api()
        tab = console_tab()
        page = tab.page

        # Sign in.
        page.goto("/console")
        page.wait_for_url("**/console/login**")
        check_screen(page, console_artifacts, "01-login")
        page.get_by_label("E-mail").fill(ORGANISER_EMAIL)
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_contain_text("do not match")
        page.get_by_label("Password").fill(ORGANISER_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1, name="Your events")).to_be_visible()
        assert page.evaluate("localStorage.getItem('rencontre.console.token')")
        check_screen(page, console_artifacts, "02-events")

        # Create the event, in its own time zone (the browser runs on New York time).
        page.get_by_role("link", name="New event").first.click()
        now = datetime.now(PARIS).replace(second=0, microsecond=0)
        page.get_by_label("Event name").fill("Rencontres du Numérique — Nantes")
        page.get_by_label("Starts").fill(wall_clock(now - timedelta(hours=1)))
        page.get_by_label("Ends").fill(wall_clock(now + timedelta(hours=5)))
        page.get_by_label("Time zone").select_option("Europe/Paris")
        page.get_by_label("Venue").fill("La Cantine, Nantes")
        check_screen(page, console_artifacts, "03-new-event")
        page.get_by_role("button", name="Create the event").click()
        expect(page.get_by_role("heading", level=1, name="Rencontres du Numérique — Nantes")).to_be_visible()
        [event] = [e for e in api.events() if e["name"] == "Rencontres du Numérique — Nantes"]
        event_id = event["id"]
        assert event["timezone"] == "Europe/Paris"
        assert event["feed_shows_names"] is False
        starts = datetime.fromisoformat(event["starts_at"])
        assert starts == now - timedelta(hours=1)
        check_screen(page, console_artifacts, "04-overview")

        # Import: the bad file first — each bad row with its line and reason, nothing written.
        page.get_by_role("navigation", name="Event sections").get_by_role("link", name="Attendees").click()
        expect(page.get_by_role("heading", name="No attendee yet")).to_be_visible()
        page.get_by_role("link", name="Import a CSV").first.click()
        page.set_input_files("#import-file", BAD_CSV)
        errors = page.locator("tr.import-error")
        expect(errors).to_have_count(3)
        assert [errors.nth(i).get_by_role("rowheader").inner_text() for i in range(3)] == ["3", "4", "5"]
        expect(errors.nth(0)).to_contain_text("The e-mail address “not-an-email” is not valid.")
        expect(errors.nth(1)).to_contain_text("The name is missing")
        expect(errors.nth(2)).to_contain_text("is already on line 2: keep one row per person.")
        expect(page.get_by_role("alert")).to_contain_text("Nothing has been imported")
        expect(page.get_by_role("button", name="Import 2 attendees")).to_have_count(0)
        assert api.attendees(event_id) == []
        check_screen(page, console_artifacts, "05-import-bad-rows")

        # Then the good file: preview, import.
        page.get_by_role("button", name="Choose another file").click()
        page.set_input_files("#import-file", SAMPLE_CSV)
        expect(page.get_by_text(f"{SAMPLE_ROWS} attendees are ready to import.")).to_be_visible()
        assert api.attendees(event_id) == [], "the preview wrote nothing"
        check_screen(page, console_artifacts, "06-import-preview")
        page.get_by_role("button", name=f"Import {SAMPLE_ROWS} attendees").click()
        expect(page.get_by_role("heading", name=f"{SAMPLE_ROWS} attendees imported")).to_be_visible()
        people = api.attendees(event_id)
        assert len(people) == SAMPLE_ROWS
        assert "Zoé Lefèvre" in {p.name for p in people}

        page.get_by_role("link", name="See the attendees").click()
        expect(page.locator("#attendee-table tbody tr")).to_have_count(SAMPLE_ROWS)
        check_screen(page, console_artifacts, "07-attendees")

        # Badges: the print-ready PDF, one A6 page per badge, or A4 sheets of four.
        page.get_by_role("navigation", name="Event sections").get_by_role("link", name="Badges").click()
        expect(page.get_by_role("img", name="Badge of")).to_be_visible()
        check_screen(page, console_artifacts, "09-badges")
        a6 = download(
            page,
            lambda: page.get_by_role("button", name=f"Download {SAMPLE_ROWS} badges (PDF)").click(),
            tmp_path,
        )
        assert a6.suffix == ".pdf"
        assert len(PdfReader(io.BytesIO(a6.read_bytes())).pages) == SAMPLE_ROWS
        page.get_by_label("A4 sheets").check()
        a4 = download(
            page,
            lambda: page.get_by_role("button", name=f"Download {SAMPLE_ROWS} badges (PDF)").click(),
            tmp_path,
        )
        assert len(PdfReader(io.BytesIO(a4.read_bytes())).pages) == math.ceil(SAMPLE_ROWS / 4)

        # The live dashboard. Six people scan; three more arrived a while ago and met nobody.
        joined = [api.join(event_id, person) for person in people[:9]]
        a, b, c, d, e, f = joined[:6]
        console_server.backdate_arrival([e, *joined[6:]], minutes=40)
        page.get_by_role("navigation", name="Event sections").get_by_role("link", name="Live").click()
        status = page.locator(".feed-status")
        expect(status).to_have_text("Live", timeout=LIVE_TIMEOUT * 1000)
        # Present means at the venue: the four who arrived; the others arrive with their first scan.
        assert poll(lambda: big_numbers(page)["present"] == 4, timeout=LIVE_TIMEOUT)
        assert big_numbers(page)["connections"] == 0
        expect(page.locator(".isolated__row")).to_have_count(4)

        for scanner, scanned in [(a, b), (b, a), (a, c), (c, d), (d, c), (e, a)]:
            api.scan(scanner, scanned)
        expected = {"connections": 6, "unique_pairs": 4, "mutual": 2, "active_scanners": 5}
        assert poll(
            lambda: all(big_numbers(page)[k] == v for k, v in expected.items()), timeout=LIVE_TIMEOUT
        ), f"the dashboard shows {big_numbers(page)}, expected {expected}"
        assert poll(lambda: chart_total(page) == 6, timeout=LIVE_TIMEOUT), "the chart did not follow"
        # The lists move on their own refresh, by several connections at a time.
        expect(page.locator(".ranking__row").first).to_contain_text(a.name, timeout=LIVE_TIMEOUT * 1000)
        # Names are off: a rank, never how many people each person met.
        expect(page.locator(".ranking__count")).to_have_count(0)
        # e met one person: still someone to introduce, with how long they have been here.
        isolated = page.locator(".isolated__row")
        expect(isolated).to_have_count(4)
        expect(isolated.filter(has_text=e.name)).to_contain_text("here for 40 min")
        check_screen(page, console_artifacts, "10-live")

        # Cut the dashboard's network; the room keeps scanning; the network comes back.
        tab.context.set_offline(True)
        expect(status).to_contain_text("Offline", timeout=LIVE_TIMEOUT * 1000)
        for scanner, scanned in [(f, a), (a, f), (b, c), (e, b)]:
            api.scan(scanner, scanned)
        api.scan(b, c)  # met already: no new connection
        page.wait_for_timeout(500)
        assert big_numbers(page)["connections"] == 6, "offline, the figures stay as they were"
        tab.context.set_offline(False)
        expect(status).to_have_text("Live", timeout=LIVE_TIMEOUT * 1000)
        report = api.report(event_id)["totals"]
        truth = {
            "connections": report["connections"],
            "unique_pairs": report["unique_pairs"],
            "mutual": report["mutual_connections"],
        }
        assert truth == {"connections": 10, "unique_pairs": 7, "mutual": 3}
        assert poll(lambda: all(big_numbers(page)[k] == v for k, v in truth.items()), timeout=LIVE_TIMEOUT), (
            f"after the cut the dashboard shows {big_numbers(page)}, the database {truth}"
        )
        assert poll(lambda: chart_total(page) == truth["connections"], timeout=LIVE_TIMEOUT)
        expect(isolated).to_have_count(3, timeout=LIVE_TIMEOUT * 1000)  # e has met a second person

        # No note and no pair of people anywhere on the dashboard.
        text = page.locator("main").inner_text()
        assert "never shown" not in text

        # The wall mode for a projector.
        page.get_by_role("button", name="Wall mode").click()
        expect(page.locator(".dashboard--wall")).to_be_visible()
        page.wait_for_timeout(300)
        # A public screen follows the names setting (off here): no one named on the wall.
        expect(page.locator(".dashboard--wall .ranking__row")).to_have_count(0)
        wall_text = page.locator(".dashboard--wall").inner_text()
        for person in joined:
            assert person.name not in wall_text
        check_screen(page, console_artifacts, "11-wall")
        page.get_by_role("button", name="Leave wall mode").click()
        expect(page.locator(".dashboard--wall")).to_have_count(0)

        assert not tab.errors, tab.errors
        assert not csp_violations(page)
