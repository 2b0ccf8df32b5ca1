"""What a refused sign-in and a refused join look like: a real server whose door limits
are tiny, the console at 1280×800 and a phone at 360×740, in French and in English."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.console_helpers import (
    AXE_PATH,
    AXE_SOURCE,
    CSP_WATCH,
    ORGANISER_EMAIL,
    ORGANISER_PASSWORD,
    Attendee,
    OrganiserApi,
    check_screen,
)
from tests.support import REPO, ServerProcess, free_port

pytest_plugins = ["tests.e2e.console_fixtures"]
pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
CONSOLE = {"width": 1280, "height": 800}
LOCALES = {"en": "en-GB", "fr": "fr-FR"}


@dataclass
class Door:
    server: ServerProcess
    # A join link per language, each already used for its one join of the day.
    used_links: dict[str, str]


def _used_links(server: ServerProcess) -> dict[str, str]:
    api = OrganiserApi(server.url)  # the address's first sign-in attempt
    try:
        event_id = api.create_event("Door night")
        links: dict[str, str] = {}
        for lang in LOCALES:
            email = f"guest-{lang}@example.org"
            created = api.http.post(
                f"/api/events/{event_id}/attendees",
                headers=api.headers,
                json={"name": f"Guest {lang}", "email": email},
            )
            created.raise_for_status()
            person = api.join(event_id, Attendee(created.json()["id"], f"Guest {lang}", email))
            links[lang] = person.join_link
        return links
    finally:
        api.http.close()


@pytest.fixture(scope="module")
def door(console_chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Door]:
    """Three sign-in attempts a day from one address, one join a day per link (daily: no
    window boundary passes during the test)."""
    data_dir = tmp_path_factory.mktemp("door-server")
    port = free_port()
    env = {
        "RENCONTRE_DATA_DIR": str(data_dir),
        "RENCONTRE_DATABASE_URL": "",
        "RENCONTRE_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "RENCONTRE_LOGIN_ADDRESS_RATE_LIMIT": "3/day",
        "RENCONTRE_JOIN_RATE_LIMIT": "1/day",
    }
    server = ServerProcess(env, port=port)
    server.migrate()
    subprocess.run(
        [sys.executable, "-m", "rencontre", "organiser", "create", "--email", ORGANISER_EMAIL],
        input=b"Org\n",
        env={**server.env, "RENCONTRE_ORGANISER_PASSWORD": ORGANISER_PASSWORD},
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    server.start()
    try:
        yield Door(server, _used_links(server))
    finally:
        server.stop()


def _open(browser: Any, server: ServerProcess, lang: str, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport, locale=LOCALES[lang], base_url=server.url)
    # As the console's own fixture does: CSP violations recorded, axe-core served from the origin.
    context.add_init_script(CSP_WATCH)
    source = AXE_SOURCE.read_bytes()
    context.route(
        f"**{AXE_PATH}", lambda route: route.fulfill(status=200, content_type="text/javascript", body=source)
    )
    return context.new_page()


class TestARefusedSignInSaysWhy:
    def test_too_many_attempts_from_one_address_read_in_both_languages(
        self, door: Door, console_browser: Any, console_artifacts: Path
    ) -> None:
        en = _open(console_browser, door.server, "en", CONSOLE)
        en.goto("/console/login")
        en.get_by_label("E-mail").fill(ORGANISER_EMAIL)
        en.get_by_label("Password").fill("not the password")
        en.get_by_role("button", name="Sign in").click()
        expect(en.locator("#login-error")).to_contain_text("do not match")
        # The address's last attempt of the day: the right password still signs in.
        right = {"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD}
        assert httpx.post(f"{door.server.url}/api/auth/login", json=right).is_success
        en.get_by_label("Password").fill(ORGANISER_PASSWORD)
        en.get_by_role("button", name="Sign in").click()
        expect(en.locator("#login-error")).to_contain_text("Too many sign-in attempts. Wait")
        check_screen(en, console_artifacts, "sign-in-refused-en")

        fr = _open(console_browser, door.server, "fr", CONSOLE)
        fr.goto("/console/login")
        fr.get_by_label("Adresse e-mail").fill(ORGANISER_EMAIL)
        fr.get_by_label("Mot de passe").fill(ORGANISER_PASSWORD)
        fr.get_by_role("button", name="Se connecter").click()
        expect(fr.locator("#login-error")).to_contain_text("Trop de tentatives de connexion. Patientez")
        check_screen(fr, console_artifacts, "sign-in-refused-fr")


class TestAJoinLinkOpenedTooOftenSaysWhy:
    def test_the_phone_shows_the_wait_in_its_language(
        self, door: Door, console_browser: Any, console_artifacts: Path
    ) -> None:
        expected = {"en": "opened too many times", "fr": "ouvert trop de fois"}
        for lang, link in door.used_links.items():
            phone = _open(console_browser, door.server, lang, PHONE)
            phone.goto("/join#" + link.split("#", 1)[1])
            expect(phone.get_by_role("alert")).to_contain_text(expected[lang])
            phone.screenshot(path=str(console_artifacts / f"join-refused-{lang}.png"))
