"""Every screen of the attendee PWA, as a person meets it on a 360 × 740 phone:
axe-core finds no serious or critical violation, and a screenshot of each is
kept under tests/e2e/artifacts/ to be looked at."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.camera import write_y4m
from tests.e2e.pwa import csp_violations, run_axe, serve_axe
from tests.e2e.server import Backend, LiveServer
from tests.e2e.tour import HOSTILE_NAME, Tour, on_main_page, ready

# The tour (Zoé and her contacts), a fixture of tests/e2e/tour_fixtures.py.
pytest_plugins = ["tests.e2e.tour_fixtures"]


def welcome(tour: Tour) -> Any:
    page = tour.stranger()
    page.goto(tour.base_url + "/")
    ready(page, "page-welcome h1")
    return page


def badge_link_signed_out(tour: Tour) -> Any:
    page = tour.stranger()
    page.goto(tour.people[1].badge_url)
    ready(page, "page-welcome h1")
    expect(page.locator("page-welcome h1")).to_have_text("Connectez-vous avec votre lien personnel")
    return page


def profile_preview(tour: Tour) -> Any:
    page = on_main_page("/profile", ".preview rc-person-card")(tour)
    page.locator(".preview").scroll_into_view_if_needed()
    page.wait_for_timeout(250)
    return page


def scanned_card(tour: Tour) -> Any:
    page = on_main_page("/", "page-scan .scan-button")(tour)
    page.get_by_role("button", name="Scanner un badge").click()
    expect(page.locator("rc-new-contact .person-name")).to_have_text("Amélie Nguyen", timeout=15_000)
    page.keyboard.type("Fintech pour indépendants, on se revoit au salon ☕")
    # Both tests of this screen scan Amélie on the same tour: the second meets her again and
    # finds the tag and the star already chosen (choosing them again would undo them). So
    # wait for her contact to be open here, then choose only what is not chosen yet.
    expect(page.locator("rc-new-contact a[href^='/contacts/']")).to_be_visible(timeout=10_000)
    partner = page.get_by_role("button", name="Partenaire")
    star = page.locator(".rating-option input").nth(3)
    changed = partner.get_attribute("aria-pressed") != "true" or not star.is_checked()
    if partner.get_attribute("aria-pressed") != "true":
        partner.click()
    if not star.is_checked():
        star.check()
    # Recorded at the scan, and what was typed saved as it was typed: the screen at rest.
    saving = page.locator("rc-new-contact .save-status.editing, rc-new-contact .save-status.saving")
    if changed:
        expect(page.locator("rc-new-contact .save-status[data-status=saved]")).to_be_visible(timeout=10_000)
    expect(saving).to_have_count(0)
    expect(star).to_be_checked()
    page.wait_for_timeout(250)
    return page


def hostile_badge_link(tour: Tour) -> Any:
    person = next(p for p in tour.people if p.name == HOSTILE_NAME)
    page = on_main_page("/", "page-scan .scan-button")(tour)
    page.goto(person.badge_url)
    ready(page, "rc-new-contact .person-name")
    return page


def contact_page(tour: Tour) -> Any:
    return on_main_page(f"/contacts/{tour.contact_ids['Inès Benali']}", "page-contact .person-name")(tour)


SCREENS: list[tuple[str, Callable[[Tour], Any]]] = [
    ("01-welcome", welcome),
    ("02-profile", on_main_page("/profile?welcome", "page-profile h1")),
    ("03-profile-preview", profile_preview),
    ("04-scan", on_main_page("/", "page-scan .scan-button")),
    ("05-scanned-card", scanned_card),
    ("06-badge-link", hostile_badge_link),
    ("07-contacts", on_main_page("/contacts", "rc-contact-row")),
    ("08-contact", contact_page),
    ("09-my-badge", on_main_page("/me", "rc-qr-code svg")),
    ("10-badge-link-signed-out", badge_link_signed_out),
    ("12-scan-en", on_main_page("/", "page-scan .scan-button", lang="en")),
    ("13-contacts-en", on_main_page("/contacts", "rc-contact-row", lang="en")),
    ("14-contact-en", on_main_page("/contacts/{James O'Connor}", "page-contact .person-name", lang="en")),
    # Retention (issue 19)
    ("35-my-data", on_main_page("/my-data", ".data-list")),
    ("35-my-data-en", on_main_page("/my-data", ".data-list", lang="en")),
    # Short badge codes: the code under one's own QR.
    ("15-my-badge-en", on_main_page("/me", ".my-short-code-value", lang="en")),
    # Who scanned me (issue 16): nobody waits to be added back in the tour.
    ("15-scanned-by", on_main_page("/scanned-by", "page-scanned-by .empty")),
    ("16-scanned-by-en", on_main_page("/scanned-by", "page-scanned-by .empty", lang="en")),
    # Who-to-meet: the directory, closed at this event.
    ("15-people-closed", on_main_page("/people", "page-people .notice")),
    ("16-people-closed-en", on_main_page("/people", "page-people .notice", lang="en")),
    # Suggestions (who-to-meet): the directory not open yet, the screen says so.
    ("15-for-you-closed", on_main_page("/for-you", "page-suggestions .notice.info")),
    ("16-for-you-closed-en", on_main_page("/for-you", "page-suggestions .notice.info", lang="en")),
]


@pytest.mark.parametrize(("name", "open_screen"), SCREENS, ids=[name for name, _ in SCREENS])
class TestScreens:
    def test_no_serious_or_critical_accessibility_violation(
        self, tour: Tour, name: str, open_screen: Callable[[Tour], Any]
    ) -> None:
        page = open_screen(tour)
        violations = run_axe(page)
        assert violations == [], f"{name}: {violations}"
        assert csp_violations(page) == []

    def test_screenshot_at_360_by_740(
        self, tour: Tour, name: str, open_screen: Callable[[Tour], Any], artifacts: Path
    ) -> None:
        page = open_screen(tour)
        assert page.viewport_size == {"width": 360, "height": 740}
        path = artifacts / f"{name}.png"
        page.screenshot(path=str(path), scale="css")
        assert path.stat().st_size > 5_000


def test_attendee_text_is_shown_as_text_never_run(tour: Tour) -> None:
    page = hostile_badge_link(tour)
    expect(page.locator("rc-new-contact .person-name")).to_have_text(HOSTILE_NAME)
    page.goto(tour.base_url + "/contacts")
    expect(page.locator("rc-contact-row", has_text=HOSTILE_NAME)).to_contain_text(
        "<script>alert('note')</script>"
    )
    assert page.locator("main img[src='x'], main script").count() == 0
    assert tour.dialogs == []


class TestCameraRefused:
    def test_the_reason_is_shown_with_the_manual_entry(
        self,
        phone: Callable[..., Any],
        backend: Backend,
        live_server: LiveServer,
        tmp_path: Path,
        artifacts: Path,
    ) -> None:
        event = backend.create_event("Caméra refusée")
        zoe = backend.add_attendee(event, "Zoé Sans Caméra", "Atelier", "Designer")
        other = backend.join(backend.add_attendee(event, "Amélie Nguyen", "Qonto", "Product Manager"))
        context = phone(camera=write_y4m(tmp_path / "cam.y4m", other.badge_url), grant_camera=False)
        serve_axe(context)
        page = context.new_page()
        page.goto(zoe.join_link)
        page.wait_for_url("**/profile?welcome")
        page.goto(live_server.base_url + "/")
        page.get_by_role("button", name="Scanner un badge").click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("L'accès à la caméra a été refusé")
        expect(page.get_by_label("Saisir un code de badge")).to_be_focused()
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / "11-camera-refused.png"), scale="css")
        assert run_axe(page) == []

        # The typed badge link is the way in.
        page.get_by_label("Saisir un code de badge").fill(other.badge_url)
        page.get_by_role("button", name="Chercher").click()
        expect(page.locator("rc-new-contact .person-name")).to_have_text("Amélie Nguyen")
        assert csp_violations(page) == []


class TestSignInFromTheInstalledApp:
    def test_the_personal_link_pasted_on_the_welcome_screen_signs_in(
        self, phone: Callable[..., Any], backend: Backend, live_server: LiveServer
    ) -> None:
        event = backend.create_event("Application installée")
        zoe = backend.add_attendee(event, "Zoé Installée", "Atelier", "Designer")
        page = phone().new_page()
        page.goto(live_server.base_url + "/")
        field = page.get_by_label("Vous avez installé l'application")
        field.fill("https://example.org/not-a-link")
        page.get_by_role("button", name="Me connecter").click()
        expect(page.get_by_role("alert")).to_contain_text("/join#")
        field.fill(zoe.join_link)
        page.get_by_role("button", name="Me connecter").click()
        page.wait_for_url("**/profile?welcome")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Zoé Installée")
