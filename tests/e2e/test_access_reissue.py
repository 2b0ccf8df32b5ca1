"""A join link works once, and re-issued access is told to the attendee: the console offers
re-issue (not the used link) for a joined attendee, and the PWA shows who re-issued it and
when, on the new phone and on the phone it signed out. Screens at 1280×800 and 360×740,
in French and English."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.console_helpers import (
    ORGANISER_EMAIL,
    ORGANISER_NAME,
    ConsoleServer,
    ConsoleTab,
    check_screen,
    poll,
    sign_in,
)
from tests.e2e.pwa import access_token, idb_get, run_axe, serve_axe

pytest_plugins = ["tests.e2e.console_fixtures"]
pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
LOCALES = {"fr": "fr-FR", "en": "en-GB"}

WORDS = {
    "fr": {
        "manage": "Gérer",
        "reissue": "Réémettre l'accès (téléphone perdu)",
        "confirm": "Réémettre l'accès",
        "reason": "Motif (facultatif)",
        "joined": "s'est connecté·e",
        "new_link": "Voici le nouveau lien d'accès",
        "link_of": "Lien d'accès de",
        "notice": "Votre accès a été réémis",
        "dismiss": "J'ai compris",
        "signed_out": "Ce téléphone a été déconnecté",
        "used": (
            "Ce lien a déjà été utilisé sur un autre appareil ; demandez un nouvel accès aux organisateurs."
        ),
    },
    "en": {
        "manage": "Manage",
        "reissue": "Re-issue access (lost phone)",
        "confirm": "Re-issue access",
        "reason": "Reason (optional)",
        "joined": "has joined",
        "new_link": "This is the new join link",
        "link_of": "Join link of",
        "notice": "Your access was re-issued",
        "dismiss": "Got it",
        "signed_out": "This phone has been signed out",
        "used": "This link has already been used on another device. Ask the organisers for a new access.",
    },
}


@pytest.fixture(params=["fr", "en"])
def lang(request: pytest.FixtureRequest) -> str:
    language: str = request.param
    return language


@pytest.fixture
def phone(console_browser: Any, console_server: ConsoleServer, lang: str) -> Iterator[Callable[[], Any]]:
    """``phone()``: a fresh 360×740 phone (its own storage) on the PWA, in the test's language."""
    opened: list[Any] = []

    def open_phone() -> Any:
        context = console_browser.new_context(
            viewport=PHONE, locale=LOCALES[lang], base_url=console_server.url, service_workers="block"
        )
        serve_axe(context)
        opened.append(context)
        return context.new_page()

    yield open_phone
    for context in opened:
        context.close()


def _attendee(console_server: ConsoleServer, name: str) -> tuple[str, dict[str, Any]]:
    api = console_server.api()
    event_id = api.create_event(f"Accès {name}")
    email = f"{name.split()[0].lower()}@access.example"
    api.import_csv(event_id, f"name,email,company\n{name},{email},Atelier\n".encode())
    [person] = api.attendees(event_id)
    return event_id, {"id": person.id, "name": person.name}


def _invite_token(console_server: ConsoleServer, event_id: str, attendee_id: str) -> str:
    link: str = console_server.api().get(f"/api/events/{event_id}/attendees/{attendee_id}/invite")[
        "join_link"
    ]
    return link.split("#", 1)[1]


def _open_link(page: Any, token: str) -> None:
    page.goto(f"/join#{token}")


def _shot(page: Any, artifacts: Path, name: str) -> None:
    page.wait_for_timeout(250)
    page.screenshot(path=str(artifacts / f"{name}.png"))
    assert run_axe(page) == [], name


class TestConsoleOffersReissueForAJoinedAttendee:
    def test_no_join_link_for_a_joined_attendee_only_reissue_with_its_consequences(
        self,
        console_tab: Callable[..., ConsoleTab],
        console_server: ConsoleServer,
        console_artifacts: Path,
        lang: str,
    ) -> None:
        words = WORDS[lang]
        event_id, person = _attendee(console_server, f"Inès Dubois {lang}")
        joined = httpx.post(
            f"{console_server.url}/api/auth/join",
            json={"token": _invite_token(console_server, event_id, person["id"])},
        )
        old_session = {"Authorization": f"Bearer {joined.json()['access_token']}"}
        tab = console_tab(locale=LOCALES[lang])
        page = tab.page
        sign_in(tab, f"/console/events/{event_id}/attendees", lang=lang)

        row = page.locator("#attendee-table tbody tr").filter(has_text=person["name"])
        expect(row.get_by_role("button", name=f"{words['link_of']} {person['name']}")).to_have_count(0)
        row.get_by_role("button", name=words["manage"]).first.click()
        panel = page.locator("dialog.dialog--panel[open]")
        expect(panel.locator("#attendee-joined")).to_contain_text(words["joined"])
        expect(panel.locator("rc-join-link")).to_have_count(0)
        check_screen(page, console_artifacts, f"access-01-joined-panel-{lang}")

        panel.get_by_role("button", name=words["reissue"]).click()
        dialog = page.locator("dialog.dialog--small[open]")
        expect(dialog).to_be_visible()
        dialog.get_by_label(words["reason"]).fill("Téléphone perdu à l'accueil")
        check_screen(page, console_artifacts, f"access-02-reissue-dialog-{lang}")
        dialog.get_by_role("button", name=words["confirm"]).click()
        expect(dialog).to_have_count(0)
        expect(panel.get_by_text(words["new_link"])).to_be_visible()
        expect(panel.locator("rc-join-link")).to_have_count(1)
        expect(panel.locator(".reissue-list li")).to_contain_text(ORGANISER_NAME)
        check_screen(page, console_artifacts, f"access-03-new-link-{lang}")

        assert httpx.get(f"{console_server.url}/api/me", headers=old_session).status_code == 401
        [record] = console_server.api().get(
            f"/api/events/{event_id}/attendees/{person['id']}/access/reissues"
        )
        assert (record["organiser_email"], record["reason"]) == (
            ORGANISER_EMAIL,
            "Téléphone perdu à l'accueil",
        )
        assert not tab.errors


class TestThePwaTellsTheAttendee:
    def test_the_new_phone_shows_who_reissued_then_the_notice_is_dismissed(
        self,
        phone: Callable[[], Any],
        console_server: ConsoleServer,
        console_artifacts: Path,
        lang: str,
    ) -> None:
        words = WORDS[lang]
        event_id, person = _attendee(console_server, f"Hugo Marchand {lang}")
        api = console_server.api()
        old_phone = phone()
        _open_link(old_phone, _invite_token(console_server, event_id, person["id"]))
        old_phone.wait_for_url("**/profile?welcome")

        reissued = api.http.post(
            f"/api/events/{event_id}/attendees/{person['id']}/access/reissue",
            headers=api.headers,
            json={"reason": "Lost phone"},
        ).json()
        new_token = reissued["join_link"].split("#", 1)[1]

        new_phone = phone()
        _open_link(new_phone, new_token)
        new_phone.wait_for_url("**/profile?welcome")
        notice = new_phone.locator("rc-access-notice section")
        expect(notice).to_contain_text(words["notice"])
        expect(notice).to_contain_text(f"{ORGANISER_NAME} ({ORGANISER_EMAIL})")
        expect(notice).to_contain_text("Lost phone")
        _shot(new_phone, console_artifacts, f"access-10-pwa-notice-{lang}")

        # The old phone, on its next visit, learns who signed it out.
        old_phone.reload()
        signed_out = old_phone.locator("page-welcome .access-notice")
        expect(signed_out).to_contain_text(words["signed_out"], timeout=10_000)
        expect(signed_out).to_contain_text(ORGANISER_NAME)
        _shot(old_phone, console_artifacts, f"access-11-pwa-signed-out-{lang}")

        notice.get_by_role("button", name=words["dismiss"]).click()
        expect(new_phone.locator("rc-access-notice section")).to_have_count(0)
        [stored] = httpx.get(
            f"{console_server.url}/api/me/access-notices",
            headers={"Authorization": f"Bearer {access_token(new_phone)}"},
        ).json()
        assert stored["dismissed_at"] is not None

    def test_a_second_use_of_the_link_is_refused_clearly(
        self,
        phone: Callable[[], Any],
        console_server: ConsoleServer,
        console_artifacts: Path,
        lang: str,
    ) -> None:
        words = WORDS[lang]
        event_id, person = _attendee(console_server, f"Léa Petit {lang}")
        token = _invite_token(console_server, event_id, person["id"])
        first = phone()
        _open_link(first, token)
        first.wait_for_url("**/profile?welcome")

        # The same phone opening its invitation again stays signed in.
        _open_link(first, token)
        first.wait_for_url(lambda url: url.endswith("/"))

        other = phone()
        _open_link(other, token)
        expect(other.locator("page-join [role=alert]")).to_have_text(words["used"])
        # Trying the same link again cannot help: no "try again" button.
        expect(other.locator("page-join button")).to_have_count(0)
        _shot(other, console_artifacts, f"access-12-pwa-link-used-{lang}")


def _lapsed_token(attendee_id: str) -> str:
    """A token shaped like an access token whose time is up (unsigned: the server would refuse it)."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    claims = {"sub": attendee_id, "typ": "access", "exp": int(time.time()) - 3600}
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


_EDIT_SESSION = """(change) => new Promise((resolve, reject) => {
    const open = indexedDB.open('rencontre');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const store = open.result.transaction('kv', 'readwrite').objectStore('kv');
      const get = store.get('session');
      get.onsuccess = () => {
        const session = { ...get.result, ...change };
        for (const [key, value] of Object.entries(change)) if (value === null) delete session[key];
        const put = store.put(session, 'session');
        put.onsuccess = () => resolve(null);
      };
    };
})"""


def _joined(phone: Callable[[], Any], console_server: ConsoleServer, name: str) -> tuple[Any, dict[str, Any]]:
    """A phone that joined with the link of a new attendee named ``name``."""
    event_id, person = _attendee(console_server, name)
    page = phone()
    _open_link(page, _invite_token(console_server, event_id, person["id"]))
    page.wait_for_url("**/profile?welcome")
    return page, person


class TestThePhoneStaysSignedIn:
    @pytest.mark.parametrize("lang", ["fr"])
    def test_a_lapsed_access_token_is_renewed_with_the_device_token(
        self, phone: Callable[[], Any], console_server: ConsoleServer, lang: str
    ) -> None:
        page, person = _joined(phone, console_server, "Nina Durable")
        lapsed = _lapsed_token(person["id"])
        page.evaluate(_EDIT_SESSION, {"access_token": lapsed})
        page.goto("/me")
        expect(page.locator("page-badge h1")).to_be_visible()
        expect(page.locator("page-badge .my-qr-name")).to_have_text("Nina Durable")
        renewed = poll(lambda: access_token(page) if access_token(page) != lapsed else None)
        me = httpx.get(f"{console_server.url}/api/me", headers={"Authorization": f"Bearer {renewed}"})
        assert me.status_code == 200
        assert me.json()["name"] == "Nina Durable"
        expect(page.locator("page-welcome")).to_have_count(0)

    @pytest.mark.parametrize("lang", ["en"])
    def test_a_renewal_refused_for_now_does_not_sign_the_phone_out(
        self, phone: Callable[[], Any], console_server: ConsoleServer, lang: str
    ) -> None:
        page, person = _joined(phone, console_server, "Lina Patiente")
        refused: list[str] = []

        def too_often(route: Any) -> None:
            refused.append(route.request.url)
            problem = {
                "title": "Too Many Requests",
                "status": 429,
                "code": "too_many_renewals",
                "detail": "later",
            }
            route.fulfill(
                status=429,
                headers={"Retry-After": "30", "Content-Type": "application/problem+json"},
                body=json.dumps(problem),
            )

        page.route("**/api/auth/renew", too_often)
        lapsed = _lapsed_token(person["id"])
        page.evaluate(_EDIT_SESSION, {"access_token": lapsed})
        page.goto("/me")
        expect(page.locator("page-badge .my-qr-name")).to_have_text("Lina Patiente")
        poll(lambda: len(refused) >= 2 or None)
        # Asked too often is not signed out: once renewals are allowed again, the phone renews.
        expect(page.locator("page-welcome")).to_have_count(0)
        page.unroute("**/api/auth/renew")
        page.goto("/contacts")
        renewed = poll(lambda: access_token(page) if access_token(page) != lapsed else None)
        me = httpx.get(f"{console_server.url}/api/me", headers={"Authorization": f"Bearer {renewed}"})
        assert me.status_code == 200
        expect(page.locator("page-welcome")).to_have_count(0)

    @pytest.mark.parametrize("lang", ["en"])
    def test_a_phone_that_joined_before_device_tokens_gets_one(
        self, phone: Callable[[], Any], console_server: ConsoleServer, lang: str
    ) -> None:
        page, _ = _joined(phone, console_server, "Omar Ancien")
        page.evaluate(_EDIT_SESSION, {"device_token": None})
        assert "device_token" not in idb_get(page, "kv", "session")
        page.goto("/me")
        expect(page.locator("page-badge .my-qr-name")).to_have_text("Omar Ancien")
        device = poll(lambda: idb_get(page, "kv", "session").get("device_token"))
        renewed = httpx.post(f"{console_server.url}/api/auth/renew", json={"token": device})
        assert renewed.status_code == 200
