"""Passkeys in a real browser: Chromium's virtual authenticator (DevTools protocol).

Zoé protects her notes with a passkey on her phone. She loses it; the organisers re-issue
her access and she signs in on a new phone: her contacts are there, her notes locked.
Her passkey (synced, as passkeys are, here copied from one virtual authenticator to the
other) unlocks them. The page is browsed as http://localhost:PORT: WebAuthn needs a domain.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from playwright.sync_api import expect

from tests.e2e.conftest import CHROMIUM_ARGS, CONTEXT_OPTIONS, CSP_WATCH
from tests.e2e.pwa import access_token, csp_violations, idb_get, run_axe, serve_axe, wait_for_service_worker
from tests.e2e.server import Backend, LiveServer, run_server
from tests.e2e.tour import ready
from tests.passkey_authenticator import SoftAuthenticator

NOTE = "Rachat de la boîte prévu en mars"
AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}


@pytest.fixture(scope="module")
def localhost_server(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with run_server(tmp_path_factory.mktemp("e2e-passkeys"), public_host="localhost") as server:
        yield server


@pytest.fixture(scope="module")
def browser(playwright_instance: Any, chromium_path: Path) -> Iterator[Any]:
    # localhost may resolve to ::1 first, where the server does not listen.
    args = [*CHROMIUM_ARGS, "--host-resolver-rules=MAP localhost 127.0.0.1"]
    browser = playwright_instance.chromium.launch(
        executable_path=str(chromium_path), headless=True, args=args
    )
    yield browser
    browser.close()


def _phone(browser: Any) -> tuple[Any, Any, Any, str]:
    """A new phone (browser context) with its own virtual platform authenticator."""
    context = browser.new_context(**CONTEXT_OPTIONS)
    context.add_init_script(CSP_WATCH)
    serve_axe(context)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator_id = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})[
        "authenticatorId"
    ]
    return context, page, cdp, authenticator_id


def _join(page: Any, join_link: str, lang: str = "fr") -> None:
    page.goto(join_link.split("#", 1)[0].rsplit("/join", 1)[0] + "/")
    page.evaluate("(lang) => localStorage.setItem('rencontre.lang', lang)", lang)
    page.goto(join_link)
    page.wait_for_url(lambda url: "/join" not in url, timeout=15_000)


def _shoot(page: Any, path: str, selector: str, artifacts: Path, name: str) -> None:
    for lang in ("en", "fr"):
        page.evaluate("(lang) => localStorage.setItem('rencontre.lang', lang)", lang)
        page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + path)
        ready(page, selector)
        page.screenshot(path=str(artifacts / f"passkey-{name}-{lang}.png"), scale="css", full_page=True)


def _passkey_from_elsewhere(
    backend: Backend, server: LiveServer, token: str
) -> tuple[SoftAuthenticator, Any]:
    """A passkey registered for the attendee's notes from another session of theirs (not this phone's)."""
    software = SoftAuthenticator(origin=server.base_url)
    headers = backend.auth(token)
    options = backend.http.post("/api/passkeys/registration/options", headers=headers).json()
    registered = backend.http.post(
        "/api/passkeys/registration/verify", headers=headers, json={"credential": software.create(options)}
    )
    assert registered.status_code == 200, registered.text
    return software, registered


class TestPasskeyLocksNotesOnANewPhone:
    def test_a_new_session_sees_notes_locked_until_the_passkey_unlocks_them(
        self, localhost_server: LiveServer, browser: Any, artifacts: Path
    ) -> None:
        backend = Backend(localhost_server.base_url)
        event_id = backend.create_event("Passkey Meetup")
        zoe = backend.add_attendee(event_id, "Zoé Lefèvre", "Atelier", "Designer")
        james = backend.join(backend.add_attendee(event_id, "James O'Connor", "Stripe", "Partnerships"))

        # Her first phone: she joins, meets James, and protects her notes with a passkey.
        first, page, first_cdp, first_authenticator = _phone(browser)
        _join(page, zoe.join_link)
        backend.scan(access_token(page), james.badge_url, note=NOTE, tags=["rachat"])
        page.goto(f"{localhost_server.base_url}/profile")
        register = page.get_by_role("button", name="Protéger mes notes avec une clé d'accès")
        expect(register).to_be_enabled(timeout=15_000)
        with page.expect_response(lambda r: r.url.endswith("/api/passkeys/registration/verify")) as verified:
            register.click()
        assert verified.value.status == 200, verified.value.text()
        expect(page.get_by_role("status").filter(has_text="Clé d'accès enregistrée")).to_be_visible()
        assert backend.contacts(access_token(page))[0]["note"] == NOTE  # this session presented it
        _shoot(page, "/profile", "rc-passkey-settings .passkey-list", artifacts, "profile")
        assert run_axe(page) == []
        [credential] = first_cdp.send("WebAuthn.getCredentials", {"authenticatorId": first_authenticator})[
            "credentials"
        ]
        assert csp_violations(page) == []
        first.close()

        # Lost phone: the organisers re-issue her access, she joins on a new phone.
        reissued = backend.http.post(
            f"/api/events/{event_id}/attendees/{zoe.id}/access/reissue", headers=backend.organiser_headers
        )
        reissued.raise_for_status()
        second, page, second_cdp, second_authenticator = _phone(browser)
        _join(page, reissued.json()["join_link"])
        [locked] = backend.contacts(access_token(page))
        assert locked["notes_locked"] is True
        assert locked["note"] == ""

        page.goto(f"{localhost_server.base_url}/contacts")
        ready(page, "rc-contact-row")
        banner = page.get_by_role("region", name="Notes verrouillées")
        expect(banner).to_be_visible()
        expect(page.locator("rc-contact-row")).not_to_contain_text(NOTE)
        expect(page.locator(".export-menu")).to_be_hidden()
        _shoot(page, "/contacts", "rc-notes-lock .notes-lock", artifacts, "contacts-locked")
        assert run_axe(page) == []

        # The contact page offers nothing to type while locked: no note can be lost.
        page.goto(f"{localhost_server.base_url}/contacts/{locked['id']}")
        ready(page, "rc-notes-lock .notes-lock")
        expect(page.locator("#contact-note")).to_be_hidden()
        _shoot(page, f"/contacts/{locked['id']}", "rc-notes-lock .notes-lock", artifacts, "contact-locked")
        assert run_axe(page) == []

        # Her passkey, synced to the new phone, unlocks the notes.
        second_cdp.send(
            "WebAuthn.addCredential", {"authenticatorId": second_authenticator, "credential": credential}
        )
        with page.expect_response(
            lambda r: r.url.endswith("/api/passkeys/authentication/verify")
        ) as unlocked:
            page.get_by_role("button", name="Déverrouiller").click()
        assert unlocked.value.status == 200, unlocked.value.text()
        expect(page.locator("#contact-note")).to_have_value(NOTE)
        expect(page.locator(".notes-lock")).to_have_count(0)
        page.goto(f"{localhost_server.base_url}/contacts")
        expect(page.locator("rc-contact-row").first).to_contain_text(NOTE)
        assert backend.contacts(access_token(page))[0]["note"] == NOTE
        assert csp_violations(page) == []
        second.close()


class TestAnEditQueuedBeforeTheLockIsNotLost:
    def test_it_waits_while_locked_and_is_saved_once_unlocked(
        self, localhost_server: LiveServer, browser: Any
    ) -> None:
        backend = Backend(localhost_server.base_url)
        event_id = backend.create_event("Offline Meetup")
        zoe = backend.add_attendee(event_id, "Zoé Lefèvre", "Atelier", "Designer")
        james = backend.join(backend.add_attendee(event_id, "James O'Connor", "Stripe", "Partnerships"))
        context, page, cdp, authenticator_id = _phone(browser)
        _join(page, zoe.join_link)
        token = access_token(page)
        contact_id = backend.scan(token, james.badge_url, note=NOTE)["contact_id"]
        page.goto(f"{localhost_server.base_url}/contacts/{contact_id}")
        expect(page.locator("#contact-note")).to_have_value(NOTE)

        # Without network, she adds to the note: the edit waits on the phone.
        # Queueing asks the service worker for a background sync: let it finish installing first.
        assert wait_for_service_worker(page)
        context.set_offline(True)
        edited = NOTE + " — devis demandé"
        page.locator("#contact-note").fill(edited)
        page.locator("#contact-note").press("Tab")
        expect(page.get_by_role("status").filter(has_text="Enregistré sur ce téléphone")).to_be_visible()

        # Meanwhile a passkey is registered for her notes (from another session of hers):
        # this phone's session has not presented it, so it is locked.
        software, registered = _passkey_from_elsewhere(backend, localhost_server, token)

        # Back online: the edit is refused as locked, and stays queued rather than dropped.
        with page.expect_response(lambda r: r.request.method == "PATCH" and contact_id in r.url) as refused:
            context.set_offline(False)
        assert refused.value.status == 403
        page.wait_for_timeout(500)  # the queue records the outcome after the answer
        [waiting] = idb_get(page, "edits") or []
        assert waiting["state"] == "queued"
        assert waiting["update"]["note"] == edited
        assert backend.contacts(registered.json()["access_token"])[0]["note"] == NOTE

        # The same passkey on this phone (synced) unlocks the notes; the edit goes at once.
        cdp.send(
            "WebAuthn.addCredential",
            {
                "authenticatorId": authenticator_id,
                "credential": {
                    "credentialId": base64.b64encode(software.credential_id).decode(),
                    "isResidentCredential": True,
                    "rpId": "localhost",
                    "privateKey": base64.b64encode(
                        software.key.private_bytes(
                            serialization.Encoding.DER,
                            serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption(),
                        )
                    ).decode(),
                    "userHandle": base64.b64encode(software.user_handle).decode(),
                    "signCount": 0,
                },
            },
        )
        page.goto(f"{localhost_server.base_url}/contacts")
        with page.expect_response(
            lambda r: r.request.method == "PATCH" and contact_id in r.url and r.status == 200, timeout=20_000
        ):
            page.get_by_role("button", name="Déverrouiller").click()
        expect(page.locator("rc-contact-row").first).to_contain_text("devis demandé")
        assert backend.contacts(registered.json()["access_token"])[0]["note"] == edited
        assert (idb_get(page, "edits") or []) == []
        context.close()


class TestAScanWhileLocked:
    def test_the_meeting_is_recorded_and_the_card_asks_for_the_passkey_before_a_note(
        self, localhost_server: LiveServer, browser: Any, artifacts: Path
    ) -> None:
        backend = Backend(localhost_server.base_url)
        event_id = backend.create_event("Locked Meetup")
        zoe = backend.add_attendee(event_id, "Zoé Verrou", "Atelier", "Designer")
        james = backend.join(backend.add_attendee(event_id, "James O'Connor", "Stripe", "Partnerships"))
        context, page, _, _ = _phone(browser)
        _join(page, zoe.join_link)
        token = access_token(page)
        # A passkey registered from another session of hers: this phone's session is locked.
        _, registered = _passkey_from_elsewhere(backend, localhost_server, token)

        # James's badge opened on this phone: the meeting is recorded at once, and the card
        # offers to unlock rather than a note field that could not be saved.
        page.goto(james.badge_url.replace("127.0.0.1", "localhost"))
        expect(page.locator("rc-new-contact .person-name")).to_have_text("James O'Connor", timeout=15_000)
        expect(page.locator("rc-new-contact .notes-lock")).to_be_visible()
        expect(page.locator("rc-new-contact textarea")).to_have_count(0)
        page.screenshot(path=str(artifacts / "passkey-scan-locked-fr.png"), scale="css")
        [contact] = backend.contacts(registered.json()["access_token"])
        assert contact["person"]["name"] == "James O'Connor"
        assert contact["scan_count"] == 1
        assert csp_violations(page) == []
        context.close()
