"""The console's "Log out" ends the organiser's sessions on the server, and its account
page changes the password: this tab stays signed in, every other one is signed out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.console_helpers import ConsoleServer, ConsoleTab, check_screen, new_organiser

pytest_plugins = ["tests.e2e.console_fixtures"]
pytestmark = pytest.mark.e2e

PASSWORD = "the organiser's first passphrase"
NEW_PASSWORD = "a second, longer passphrase"
TOKEN_KEY = "rencontre.console.token"

_WORDS = {
    "en": {
        "email": "E-mail",
        "password": "Password",
        "sign_in": "Sign in",
        "account": "Account",
        "log_out": "Log out",
        "current": "Current password",
        "new": "New password",
        "confirm": "New password, again",
        "submit": "Change the password",
    },
    "fr": {
        "email": "Adresse e-mail",
        "password": "Mot de passe",
        "sign_in": "Se connecter",
        "account": "Mon compte",
        "log_out": "Se déconnecter",
        "current": "Mot de passe actuel",
        "new": "Nouveau mot de passe",
        "confirm": "Nouveau mot de passe, encore",
        "submit": "Changer le mot de passe",
    },
}


def _new_organiser(server: ConsoleServer) -> str:
    return new_organiser(server, PASSWORD)


def _sign_in(tab: ConsoleTab, email: str, password: str, lang: str = "en") -> None:
    words = _WORDS[lang]
    page = tab.page
    page.goto("/console")
    page.wait_for_url("**/console/login**")
    page.get_by_label(words["email"]).fill(email)
    page.get_by_label(words["password"], exact=True).fill(password)
    page.get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_url("**/console")


def _token(tab: ConsoleTab) -> str:
    token: str = tab.page.evaluate(f"localStorage.getItem('{TOKEN_KEY}')")
    assert token
    return token


def _works(server: ConsoleServer, token: str) -> bool:
    response = httpx.get(f"{server.url}/api/auth/organiser", headers={"Authorization": f"Bearer {token}"})
    return response.status_code == 200


class TestLogOut:
    def test_log_out_revokes_the_token_on_the_server(
        self, console_server: ConsoleServer, console_tab: Callable[..., ConsoleTab]
    ) -> None:
        email = _new_organiser(console_server)
        tab = console_tab()
        _sign_in(tab, email, PASSWORD)
        token = _token(tab)
        assert _works(console_server, token)
        tab.page.get_by_role("button", name="Log out").click()
        tab.page.wait_for_url("**/console/login**")
        assert not _works(console_server, token)
        assert not tab.errors


class TestPasswordChange:
    @pytest.mark.parametrize("lang", ["en", "fr"])
    def test_changing_the_password_keeps_this_tab_and_signs_out_the_others(
        self,
        console_server: ConsoleServer,
        console_tab: Callable[..., ConsoleTab],
        console_artifacts: Path,
        lang: str,
    ) -> None:
        words = _WORDS[lang]
        locale = "en-GB" if lang == "en" else "fr-FR"
        email = _new_organiser(console_server)
        here = console_tab(locale=locale)
        elsewhere = console_tab(locale=locale)
        _sign_in(here, email, PASSWORD, lang)
        _sign_in(elsewhere, email, PASSWORD, lang)
        other_token = _token(elsewhere)
        page = here.page
        page.get_by_role("link", name=words["account"]).click()
        page.wait_for_url("**/console/account")

        # Bad input first: a short new password and a confirmation that differs never leave the page.
        page.get_by_label(words["current"]).fill(PASSWORD)
        page.get_by_label(words["new"], exact=True).fill("short")
        page.get_by_label(words["confirm"]).fill("shorter")
        page.get_by_role("button", name=words["submit"]).click()
        expect(page.locator("#account-new-error")).to_be_visible()
        expect(page.locator("#account-confirm-error")).to_be_visible()

        # A wrong current password: the server refuses, the message says so in this language.
        page.get_by_label(words["current"]).fill("not the password")
        page.get_by_label(words["new"], exact=True).fill(NEW_PASSWORD)
        page.get_by_label(words["confirm"]).fill(NEW_PASSWORD)
        page.get_by_role("button", name=words["submit"]).click()
        wrong = page.locator("#account-current-error")
        expect(wrong).to_contain_text("actuel est faux" if lang == "fr" else "current password is wrong")
        check_screen(page, console_artifacts, f"account-refused-{lang}")
        assert _works(console_server, other_token)

        page.get_by_label(words["current"]).fill(PASSWORD)
        page.get_by_role("button", name=words["submit"]).click()
        expect(page.locator("#account-current-error")).to_have_count(0)
        expect(page.locator("#account-current")).to_have_value("")
        assert not _works(console_server, other_token)
        assert _works(console_server, _token(here))
        check_screen(page, console_artifacts, f"account-changed-{lang}")

        # The other tab is sent to the sign-in page at its next request.
        elsewhere.page.goto("/console")
        elsewhere.page.wait_for_url("**/console/login**")
        signed_in = httpx.post(
            f"{console_server.url}/api/auth/login", json={"email": email, "password": NEW_PASSWORD}
        )
        assert signed_in.status_code == 200
        assert not here.errors
        assert not elsewhere.errors
