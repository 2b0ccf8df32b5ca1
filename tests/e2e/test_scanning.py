"""Scanning as an attendee does it: a join link, the profile step, a real badge QR
read through the (fake) camera, a note with accents and emoji — online, and offline
across a closed app and a reload, sent exactly once when the network returns. The scan
is recorded as the card shows; what is typed on the card saves itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.camera import write_y4m
from tests.e2e.pwa import (
    access_token,
    csp_violations,
    idb_get,
    outbox,
    wait_for_directory,
    wait_for_service_worker,
)
from tests.e2e.server import Backend, LiveServer

DECODE_TIMEOUT_MS = 15_000


def scan_with_camera(page: Any, expected_name: str) -> None:
    page.get_by_role("button", name="Scanner un badge").click()
    expect(page.locator("rc-new-contact .person-name")).to_have_text(expected_name, timeout=DECODE_TIMEOUT_MS)


def expect_saved(page: Any) -> None:
    """The card's quiet line says the server has what was typed."""
    expect(page.locator("rc-new-contact .save-status[data-status=saved]")).to_be_visible(timeout=10_000)


def expect_kept(page: Any) -> None:
    """The card's quiet line says what was typed is on the phone, to be sent later."""
    expect(page.locator("rc-new-contact .save-status[data-status=kept]")).to_be_visible(timeout=10_000)


def wait_until(check: Callable[[], bool], page: Any, timeout_ms: int = 15_000) -> None:
    for _ in range(timeout_ms // 250):
        if check():
            return
        page.wait_for_timeout(250)
    assert check()


class TestScanOnline:
    def test_join_profile_scan_note_lands_once_on_the_server(
        self, phone: Callable[..., Any], backend: Backend, live_server: LiveServer, tmp_path: Path
    ) -> None:
        event = backend.create_event()
        alice = backend.add_attendee(event, "Alice Martin", "Atelier Lumière", "Designer")
        bruno = backend.join(backend.add_attendee(event, "Bruno Lefèvre", "Qonto", "Product Manager"))
        context = phone(camera=write_y4m(tmp_path / "bruno.y4m", bruno.badge_url))
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

        # The invite link signs in and opens the profile step.
        page.goto(alice.join_link)
        page.wait_for_url("**/profile?welcome")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Alice Martin")
        assert "#" not in page.url, "the join token must not stay in the address bar"

        pitch = "Je dessine des interfaces pour la santé — ouverte aux collaborations."
        page.get_by_label("Votre pitch").fill(pitch)
        page.check("input[name=objectives][value=partnership]")
        page.get_by_label("Nouveau centre d'intérêt").fill("design")
        page.keyboard.press("Enter")
        page.get_by_label("Nouveau centre d'intérêt").fill("santé")
        page.get_by_role("button", name="Ajouter").click()
        page.get_by_role("checkbox", name="E-mail").check()
        page.get_by_role("checkbox", name="Téléphone").check()
        page.get_by_label("Numéro de téléphone").fill("+33 6 12 34 56 78")
        preview = page.locator(".preview")
        expect(preview.locator(".person-pitch")).to_have_text(pitch)
        expect(preview).to_contain_text("+33 6 12 34 56 78")
        expect(preview).to_contain_text("santé")
        page.get_by_role("button", name="Commencer à scanner").click()
        page.wait_for_url(live_server.base_url + "/")

        token = access_token(page)
        me = backend.http.get("/api/me", headers=backend.auth(token)).json()
        assert me["pitch"] == pitch
        assert me["objectives"] == ["partnership"]
        assert me["interests"] == ["design", "santé"]
        assert set(me["shared_fields"]) == {"email", "phone"}

        # The camera reads Bruno's printed badge: his card at once, the meeting recorded at
        # once, the note field focused; what is typed saves itself, no button to tap.
        scan_with_camera(page, "Bruno Lefèvre")
        expect(page.locator("textarea[name=note]")).to_be_focused()
        expect(page.locator(".scan-state")).to_contain_text("Bruno Lefèvre est dans vos contacts")
        note = "Rencontré près du café — très motivé 🚀, à relancer lundi ☕ (Noël à Nantes)"
        page.keyboard.type(note)
        page.get_by_role("button", name="Piste chaude").click()
        page.locator(".rating-option input").nth(3).check()
        expect_saved(page)
        assert page.get_by_role("button", name="À relancer").count() == 0, "follow-up is a state, not a tag"
        expect(page.get_by_role("group", name="Potentiel")).to_be_visible()

        # Scanning him again says so, and shows the note taken the first time.
        page.get_by_role("button", name="Scanner un autre badge").click()
        expect(page.locator("rc-new-contact .person-name")).to_have_text(
            "Bruno Lefèvre", timeout=DECODE_TIMEOUT_MS
        )
        expect(page.locator(".scan-state")).to_contain_text("déjà rencontré Bruno Lefèvre")
        expect(page.locator("textarea[name=note]")).to_have_value(note)

        page.get_by_role("link", name="Contacts").click()
        row = page.locator("rc-contact-row", has_text="Bruno Lefèvre")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(note)

        contacts = backend.contacts(token)
        assert len(contacts) == 1
        (contact,) = contacts
        assert contact["person"]["name"] == "Bruno Lefèvre"
        assert contact["note"] == note
        assert contact["tags"] == ["hot_lead"]
        assert contact["rating"] == 4
        assert contact["scan_count"] == 2, "scanned twice: met twice, one contact"
        assert outbox(page) == []
        assert dialogs == []
        assert csp_violations(page) == []


class TestScanOffline:
    def test_two_offline_scans_survive_a_closed_app_and_a_reload_and_sync_once(
        self, phone: Callable[..., Any], backend: Backend, live_server: LiveServer, tmp_path: Path
    ) -> None:
        event = backend.create_event("Salon hors ligne")
        alice = backend.add_attendee(event, "Alice Offline", "Atelier", "Designer")
        carol = backend.join(backend.add_attendee(event, "Carole Élan", "Doctolib", "UX Researcher"))
        dave = backend.join(backend.add_attendee(event, "Dave O'Neill", "Stripe", "Architect"))
        profile = tmp_path / "alice-phone"

        # Online once: sign in; the shell, the decoder and the directory are kept.
        context = phone(camera=write_y4m(tmp_path / "carol.y4m", carol.badge_url), profile=profile)
        page = context.new_page()
        page.goto(alice.join_link)
        page.wait_for_url("**/profile?welcome")
        assert wait_for_service_worker(page)
        wait_for_directory(page, 3)
        token = access_token(page)
        page.goto(live_server.base_url + "/")

        # Offline: the first scan shows Carole's card from the directory and is queued at once.
        context.set_offline(True)
        scan_with_camera(page, "Carole Élan")
        expect(page.locator(".scan-state")).to_contain_text("gardée sur ce téléphone")
        page.keyboard.type("Hors ligne, notée quand même ✈️")
        expect_kept(page)
        expect(page.locator(".pending-count")).to_have_attribute("data-pending", "1")
        context.close()

        # The app is opened again, still offline, with Dave's badge before the camera.
        context = phone(camera=write_y4m(tmp_path / "dave.y4m", dave.badge_url), profile=profile)
        context.set_offline(True)
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(live_server.base_url + "/")
        expect(page.locator(".pending-count")).to_have_attribute("data-pending", "1")
        scan_with_camera(page, "Dave O'Neill")
        page.keyboard.type("Deuxième rencontre hors ligne — à rappeler")
        expect_kept(page)
        expect(page.locator(".pending-count")).to_have_attribute("data-pending", "2")

        page.reload()
        expect(page.locator(".pending-count")).to_have_attribute("data-pending", "2")
        queued = outbox(page)
        assert len(queued) == 2
        assert len({item["client_id"] for item in queued}) == 2
        assert backend.contacts(token) == [], "nothing may reach the server while offline"

        # Back online: the queue is sent, once.
        context.set_offline(False)
        expect(page.locator(".pending-count")).to_have_count(0, timeout=20_000)
        contacts = backend.contacts(token)
        assert sorted(c["person"]["name"] for c in contacts) == ["Carole Élan", "Dave O'Neill"]
        assert all(c["scan_count"] == 1 for c in contacts)

        # What was typed on each card follows its scan, as an edit of the contact it made.
        def notes() -> dict[str, str]:
            return {c["person"]["name"]: c["note"] for c in backend.contacts(token)}

        wait_until(lambda: notes()["Carole Élan"] == "Hors ligne, notée quand même ✈️", page)
        assert notes()["Dave O'Neill"] == "Deuxième rencontre hors ligne — à rappeler"
        assert idb_get(page, "captures") == []

        # Reopening (another flush on start) records nothing new.
        page.reload()
        page.wait_for_load_state("networkidle")
        assert outbox(page) == []
        assert idb_get(page, "rejected") == []
        assert len(backend.contacts(token)) == 2
        assert csp_violations(page) == []


class TestLostAnswer:
    def test_a_batch_whose_answer_is_lost_is_sent_again_and_recorded_once(
        self, phone: Callable[..., Any], backend: Backend, live_server: LiveServer, tmp_path: Path
    ) -> None:
        event = backend.create_event("Réseau capricieux")
        alice = backend.add_attendee(event, "Alice Réseau", "Atelier", "Designer")
        eve = backend.join(backend.add_attendee(event, "Ève Martin", "Alan", "Engineer"))
        context = phone(camera=write_y4m(tmp_path / "eve.y4m", eve.badge_url))
        page = context.new_page()
        page.goto(alice.join_link)
        page.wait_for_url("**/profile?welcome")
        assert wait_for_service_worker(page)
        token = access_token(page)
        page.goto(live_server.base_url + "/")

        context.set_offline(True)
        scan_with_camera(page, "Ève Martin")
        page.keyboard.type("Réponse perdue, scan gardé")
        expect_kept(page)
        expect(page.locator(".pending-count")).to_have_attribute("data-pending", "1")

        # The server records the batch, but its answer never reaches the phone.
        lost: list[int] = []

        def lose_the_answer(route: Any) -> None:
            response = route.fetch()
            lost.append(response.status)
            route.abort("connectionreset")

        context.route("**/api/scans/batch", lose_the_answer)
        context.set_offline(False)
        for _ in range(60):
            if lost:
                break
            page.wait_for_timeout(250)
        assert lost, "the queue was not sent when the network came back"
        assert set(lost) == {200}
        expect(page.locator(".pending-count")).to_have_attribute("data-pending", "1")
        assert len(backend.contacts(token)) == 1

        # The next flush sends the same client id again: acknowledged, not recorded twice.
        context.unroute("**/api/scans/batch")
        page.get_by_role("button", name="Envoyer").click()
        expect(page.locator(".pending-count")).to_have_count(0, timeout=15_000)
        wait_until(lambda: backend.contacts(token)[0]["note"] == "Réponse perdue, scan gardé", page)
        contacts = backend.contacts(token)
        assert len(contacts) == 1
        assert contacts[0]["scan_count"] == 1
