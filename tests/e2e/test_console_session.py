"""One sign-in serves every tab and window of the browser: the wall screen opens in a
second window already signed in, and signing out in one window ends the others at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.console_helpers import (
    ConsoleServer,
    ConsoleTab,
    OrganiserApi,
    check_screen,
    new_organiser,
    sign_in,
)

pytest_plugins = ["tests.e2e.console_fixtures"]
pytestmark = pytest.mark.e2e

_LOG_OUT = {"en": "Log out", "fr": "Se déconnecter"}
# Signing out revokes every token of the organiser: this test has its own organiser.
PASSWORD = "a passphrase for two windows"


class TestOneSignInPerBrowser:
    @pytest.mark.parametrize("lang", ["en", "fr"])
    def test_the_wall_opens_in_a_second_window_and_signing_out_ends_both(
        self,
        console_server: ConsoleServer,
        console_tab: Callable[..., ConsoleTab],
        console_artifacts: Path,
        lang: str,
    ) -> None:
        email = new_organiser(console_server, PASSWORD)
        api = OrganiserApi(console_server.url, email=email, password=PASSWORD)
        event_id = api.create_event(f"Soirée des deux fenêtres {lang}")
        api.http.close()
        tab = console_tab(locale="en-GB" if lang == "en" else "fr-FR")
        live = f"/console/events/{event_id}/live"
        sign_in(tab, live, lang, email=email, password=PASSWORD)

        # A second window of the same browser, as a wall screen on a projector: no sign-in.
        wall = tab.context.new_page()
        wall.goto(f"{live}?wall")
        expect(wall.locator(".dashboard--wall")).to_be_visible()
        assert "/console/login" not in wall.url
        check_screen(wall, console_artifacts, f"wall-second-window-{lang}")

        # Signing out in the first window ends the wall's session too, without a reload.
        tab.page.get_by_role("button", name=_LOG_OUT[lang]).click()
        tab.page.wait_for_url("**/console/login**")
        wall.wait_for_url("**/console/login**")
        assert wall.evaluate("localStorage.getItem('rencontre.console.token')") is None

        # And a third window opened now asks to sign in.
        later = tab.context.new_page()
        later.goto(live)
        later.wait_for_url("**/console/login**")
        assert not tab.errors
