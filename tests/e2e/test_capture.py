"""Capture at the scan, at 360×740 in French and English: a scan is recorded (or queued) as
its card shows, so leaving without a word keeps the contact, once; what is typed saves
itself and survives a reload, online and offline; the contact page saves every field as
it changes; "Try again" appears only where trying again can work; deleting one's account
asks in a styled dialog, never the browser's confirm()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.camera import write_y4m
from tests.e2e.pwa import (
    access_token,
    csp_violations,
    idb_get,
    outbox,
    run_axe,
    serve_axe,
    wait_for_directory,
    wait_for_service_worker,
)
from tests.e2e.server import Backend, LiveServer, Person
from tests.e2e.test_scanning import DECODE_TIMEOUT_MS, expect_kept, expect_saved, wait_until

WORDS = {
    "fr": {
        "scan": "Scanner un badge",
        "again": "Scanner un autre badge",
        "recorded": "est dans vos contacts",
        "met_before": "déjà rencontré",
        "queued": "gardée sur ce téléphone",
        "note": "Note privée",
        "potential": "Potentiel",
        "hot_lead": "Piste chaude",
        "done": "Faite",
        "retry": "Réessayer",
        "delete": "Supprimer mon compte",
        "delete_title": "Supprimer votre compte ?",
        "delete_accept": "Supprimer définitivement",
        "cancel": "Annuler",
    },
    "en": {
        "scan": "Scan a badge",
        "again": "Scan another badge",
        "recorded": "is in your contacts",
        "met_before": "already met",
        "queued": "kept on this phone",
        "note": "Private note",
        "potential": "Potential",
        "hot_lead": "Hot lead",
        "done": "Done",
        "retry": "Try again",
        "delete": "Delete my account",
        "delete_title": "Delete your account?",
        "delete_accept": "Delete for good",
        "cancel": "Cancel",
    },
}


def speak(context: Any, lang: str) -> None:
    """Every page of this phone opens in `lang` (the app's own language switch, kept on the phone)."""
    context.add_init_script(f"localStorage.setItem('rencontre.lang', '{lang}')")


def signed_in(page: Any, person: Any, live_server: LiveServer) -> str:
    page.goto(person.join_link)
    page.wait_for_url("**/profile?welcome")
    token = access_token(page)
    page.goto(live_server.base_url + "/")
    return token


def scan(page: Any, lang: str, name: str, button: str = "scan") -> None:
    page.get_by_role("button", name=WORDS[lang][button]).click()
    expect(page.locator("rc-new-contact .person-name")).to_have_text(name, timeout=DECODE_TIMEOUT_MS)


@dataclass
class Scene:
    """Alice's phone, in one language, at an event where she meets `other` (if any)."""

    context: Any
    page: Any
    alice: Person
    other: Person | None


def scene(
    backend: Backend,
    phone: Callable[..., Any],
    lang: str,
    event_name: str,
    other: str = "",
    camera: Path | None = None,
) -> Scene:
    event = backend.create_event(event_name)
    alice = backend.add_attendee(event, f"Alice {event_name}", "Atelier", "Designer")
    met = backend.join(backend.add_attendee(event, other, "Qonto", "Product Manager")) if other else None
    context = phone(camera=write_y4m(camera, met.badge_url) if camera and met else None)
    speak(context, lang)
    serve_axe(context)
    return Scene(context, context.new_page(), alice, met)


def shoot(page: Any, path: Path, at: str = "") -> None:
    """The screen as the attendee sees it: from the top, or with `at` scrolled into the bottom of view."""
    if at:
        page.locator(at).evaluate("(element) => element.scrollIntoView({ block: 'end' })")
    else:
        page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), scale="css")


def no_native_dialogs(page: Any) -> list[str]:
    seen: list[str] = []
    page.on("dialog", lambda dialog: (seen.append(dialog.message), dialog.dismiss()))
    return seen


@pytest.mark.parametrize("lang", ["fr", "en"])
class TestCaptureOnline:
    def test_a_scan_left_without_a_word_is_a_contact_once_and_a_typed_note_survives_a_reload(
        self,
        lang: str,
        phone: Callable[..., Any],
        backend: Backend,
        live_server: LiveServer,
        tmp_path: Path,
        artifacts: Path,
    ) -> None:
        words = WORDS[lang]
        here = scene(backend, phone, lang, "Capture en ligne", "Bruno Lefèvre", tmp_path / "bruno.y4m")
        page = here.page
        dialogs = no_native_dialogs(page)
        token = signed_in(page, here.alice, live_server)

        # Scanned, and straight to the contacts: nothing typed, nothing tapped, still recorded.
        scan(page, lang, "Bruno Lefèvre")
        expect(page.locator(".scan-state")).to_contain_text(words["recorded"])
        page.get_by_role("link", name="Contacts").click()
        expect(page.locator("rc-contact-row", has_text="Bruno Lefèvre")).to_have_count(1)
        [contact] = backend.contacts(token)
        assert contact["scan_count"] == 1

        # Scanned again: still one contact, met twice; the note typed is kept through a reload
        # made at once (the page is left before any pause in the typing).
        page.get_by_role("link", name=words["scan"].split()[0]).first.click()
        scan(page, lang, "Bruno Lefèvre")
        expect(page.locator(".scan-state")).to_contain_text(words["met_before"])
        note = "Parlé d'open banking ☕ — rappeler jeudi"
        page.locator("textarea[name=note]").fill(note)
        page.get_by_role("button", name=words["hot_lead"]).click()
        page.get_by_role("group", name=words["potential"]).locator("input").nth(3).check()
        expect_saved(page)
        shoot(page, artifacts / f"capture-card-{lang}.png")
        shoot(page, artifacts / f"capture-card-fields-{lang}.png", at="rc-save-status")
        assert run_axe(page) == []

        addition = " Envoyer le deck."
        page.locator("textarea[name=note]").press("End")
        page.keyboard.type(addition)
        page.reload()
        wait_until(lambda: backend.contacts(token)[0]["note"] == note + addition, page)
        [contact] = backend.contacts(token)
        assert contact["scan_count"] == 2
        assert contact["tags"] == ["hot_lead"]
        assert contact["rating"] == 4
        assert outbox(page) == []
        assert dialogs == []
        assert csp_violations(page) == []


@pytest.mark.parametrize("lang", ["fr", "en"])
class TestCaptureOffline:
    def test_an_offline_scan_left_at_once_and_its_note_after_a_reload_reach_the_server_once(
        self,
        lang: str,
        phone: Callable[..., Any],
        backend: Backend,
        live_server: LiveServer,
        tmp_path: Path,
        artifacts: Path,
    ) -> None:
        words = WORDS[lang]
        here = scene(backend, phone, lang, "Capture hors ligne", "Carole Élan", tmp_path / "carole.y4m")
        context, page = here.context, here.page
        page.goto(here.alice.join_link)
        page.wait_for_url("**/profile?welcome")
        assert wait_for_service_worker(page)
        wait_for_directory(page, 2)
        token = access_token(page)
        page.goto(live_server.base_url + "/")

        # Offline, scanned and left at once: queued on the phone.
        context.set_offline(True)
        scan(page, lang, "Carole Élan")
        expect(page.locator(".scan-state")).to_contain_text(words["queued"])
        page.get_by_role("link", name="Contacts").click()
        expect(page.locator(".pending-count")).to_have_attribute("data-pending", "1")

        # Scanned again while that scan still waits: the same scan, now with a note, kept
        # through a reload.
        page.go_back()
        scan(page, lang, "Carole Élan")
        expect(page.locator(".scan-state")).to_contain_text(words["queued"])
        page.keyboard.type("Rencontrée hors ligne ✈️")
        page.get_by_role("button", name=words["hot_lead"]).click()
        expect_kept(page)
        shoot(page, artifacts / f"capture-card-offline-{lang}.png")
        page.locator("textarea[name=note]").press("End")
        page.keyboard.type(" Suite.")
        page.reload()
        expect(page.locator(".pending-count")).to_have_attribute("data-pending", "1")
        assert len(outbox(page)) == 1
        [capture] = idb_get(page, "captures")
        assert capture["note"] == "Rencontrée hors ligne ✈️ Suite."
        assert backend.contacts(token) == []

        # Back online: one contact, met once, with the note and tag typed on its card.
        context.set_offline(False)
        expect(page.locator(".pending-count")).to_have_count(0, timeout=20_000)
        wait_until(lambda: backend.contacts(token)[0]["note"] == "Rencontrée hors ligne ✈️ Suite.", page)
        [contact] = backend.contacts(token)
        assert contact["scan_count"] == 1
        assert contact["tags"] == ["hot_lead"]
        wait_until(lambda: idb_get(page, "captures") == [] and idb_get(page, "edits") == [], page)


@pytest.mark.parametrize("lang", ["fr", "en"])
class TestContactPageSavesAsYouGo:
    def test_note_tags_potential_and_follow_up_save_themselves(
        self,
        lang: str,
        phone: Callable[..., Any],
        backend: Backend,
        live_server: LiveServer,
        artifacts: Path,
    ) -> None:
        words = WORDS[lang]
        here = scene(backend, phone, lang, "Page contact", "James O'Connor")
        page = here.page
        token = signed_in(page, here.alice, live_server)
        assert here.other
        contact_id = backend.scan(token, here.other.badge_url, note="Vu au stand")["contact_id"]
        page.goto(f"{live_server.base_url}/contacts/{contact_id}")
        field = page.get_by_label(words["note"], exact=True)
        expect(field).to_have_value("Vu au stand")
        assert page.get_by_role("button", name="Enregistrer").count() == 0
        assert page.get_by_role("button", name="Save changes").count() == 0

        with page.expect_response(lambda r: r.request.method == "PATCH" and contact_id in r.url):
            field.fill("Vu au stand — devis à envoyer")
        page.get_by_role("button", name=words["hot_lead"]).click()
        page.get_by_role("group", name=words["potential"]).locator("input").nth(2).check()
        page.get_by_role("radio", name=words["done"]).check()
        expect(page.locator("page-contact .save-status[data-status=saved]")).to_be_visible(timeout=10_000)
        wait_until(lambda: backend.contacts(token)[0]["follow_up"] == "done", page)
        [stored] = backend.contacts(token)
        assert stored["note"] == "Vu au stand — devis à envoyer"
        assert stored["tags"] == ["hot_lead"]
        assert stored["rating"] == 3
        shoot(page, artifacts / f"capture-contact-page-{lang}.png")
        shoot(page, artifacts / f"capture-contact-page-fields-{lang}.png", at="rc-save-status")
        assert run_axe(page) == []

        page.reload()
        expect(field).to_have_value("Vu au stand — devis à envoyer")
        expect(page.get_by_role("button", name=words["hot_lead"])).to_have_attribute("aria-pressed", "true")


@pytest.mark.parametrize("lang", ["fr", "en"])
class TestRetryOnlyWhenUseful:
    def test_no_retry_for_a_refused_link_and_one_for_a_network_failure(
        self, lang: str, phone: Callable[..., Any], backend: Backend, live_server: LiveServer, artifacts: Path
    ) -> None:
        words = WORDS[lang]
        here = scene(backend, phone, lang, "Réessayer")
        context, page, alice = here.context, here.page, here.alice

        # A refusal (4xx): said in the attendee's language, and no "Try again", which cannot help.
        page.goto(f"{live_server.base_url}/join#not-a-real-token")
        expect(page.locator(".notice.error")).to_be_visible()
        expect(page.get_by_role("button", name=words["retry"])).to_have_count(0)
        page.screenshot(path=str(artifacts / f"retry-refused-{lang}.png"), scale="css")

        # No answer (the network): "Try again" is offered, and works once the network is back.
        context.route("**/api/auth/join", lambda route: route.abort("internetdisconnected"))
        page.close()
        page = context.new_page()
        page.goto(alice.join_link)
        retry = page.get_by_role("button", name=words["retry"])
        expect(retry).to_be_visible()
        page.screenshot(path=str(artifacts / f"retry-network-{lang}.png"), scale="css")
        context.unroute("**/api/auth/join")
        retry.click()
        page.wait_for_url("**/profile?welcome")


@pytest.mark.parametrize("lang", ["fr", "en"])
class TestStyledConfirm:
    def test_deleting_the_account_asks_in_a_styled_dialog(
        self, lang: str, phone: Callable[..., Any], backend: Backend, live_server: LiveServer, artifacts: Path
    ) -> None:
        words = WORDS[lang]
        here = scene(backend, phone, lang, "Dialogues")
        page = here.page
        native = no_native_dialogs(page)
        token = signed_in(page, here.alice, live_server)
        page.goto(f"{live_server.base_url}/me")

        delete = page.get_by_role("button", name=words["delete"])
        delete.click()
        dialog = page.get_by_role("dialog", name=words["delete_title"])
        expect(dialog).to_be_visible()
        expect(dialog.get_by_role("button", name=words["cancel"])).to_be_focused()
        page.wait_for_timeout(300)
        page.screenshot(path=str(artifacts / f"confirm-delete-{lang}.png"), scale="css")
        assert run_axe(page) == []

        # Escape (or Cancel) changes nothing, and the focus goes back to the button.
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
        expect(delete).to_be_focused()
        assert backend.http.get("/api/me", headers=backend.auth(token)).status_code == 200

        delete.click()
        page.get_by_role("dialog").get_by_role("button", name=words["delete_accept"]).click()
        page.wait_for_url(live_server.base_url + "/")
        assert backend.http.get("/api/me", headers=backend.auth(token)).status_code == 401
        assert native == []
