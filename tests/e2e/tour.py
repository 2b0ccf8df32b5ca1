"""What the attendee PWA's browser tests share about the tour (the fixture is in
tour_fixtures.py): Zoé, signed in on a 360 × 740 phone with a fake camera showing
Amélie's badge, her profile filled in, and three contacts (one of them a hostile
name, one of them mutual)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import launch_phone
from tests.e2e.pwa import serve_axe
from tests.e2e.server import Person

HOSTILE_NAME = "<img src=x onerror=alert(1)>"

PEOPLE = [
    ("Amélie Nguyen", "Qonto", "Product Manager"),
    ("James O'Connor", "Stripe", "Solutions Architect"),
    (HOSTILE_NAME, "Test & Co", "Pentester"),
    ("Inès Benali", "Station F", "Program Manager"),
]


@dataclass
class Tour:
    base_url: str
    context: Any
    page: Any
    token: str
    people: list[Person]
    contact_ids: dict[str, str]
    playwright: Any
    chromium: Path
    root: Path
    dialogs: list[str] = field(default_factory=list)
    stranger_context: Any = None

    def stranger(self) -> Any:
        """A phone on which nobody has signed in."""
        if self.stranger_context is None:
            self.stranger_context = launch_phone(self.playwright, self.chromium, self.root / "stranger")
            serve_axe(self.stranger_context)
        return (
            self.stranger_context.pages[0]
            if self.stranger_context.pages
            else self.stranger_context.new_page()
        )


def ready(page: Any, selector: str) -> None:
    expect(page.locator(selector).first).to_be_visible(timeout=15_000)
    page.wait_for_timeout(250)  # let the last frame paint


def on_main_page(path: str, selector: str, lang: str = "fr") -> Callable[[Tour], Any]:
    def open_screen(tour: Tour) -> Any:
        page = tour.page
        page.evaluate("(lang) => localStorage.setItem('rencontre.lang', lang)", lang)
        page.goto(tour.base_url + path.format_map(tour.contact_ids))
        ready(page, selector)
        return page

    return open_screen
