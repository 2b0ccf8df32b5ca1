"""Faces and objectives on a 360 × 740 phone, in French and English: a photo taken on the
profile step is cropped on the phone, stripped of its metadata by the server, and shown to
a person who scans its owner while it is shared (offline too, once seen); once it is not,
the scanner sees initials and the phone never asks for it. Several objectives, "other" in
a few words."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.camera import write_y4m
from tests.e2e.pwa import access_token, csp_violations, run_axe, serve_axe, wait_for_service_worker
from tests.e2e.server import Backend, LiveServer, Person
from tests.photo_support import metadata_left, photo_with_metadata

DECODE_TIMEOUT_MS = 15_000

WORDS = {
    "fr": {
        "choose": "Choisir une photo",
        "take": "Prendre une photo",
        "crop": "Cadrez votre photo",
        "use": "Utiliser cette photo",
        "saved": "Photo enregistrée.",
        "other_words": "Autre, en quelques mots",
        "share_email": "Partager mon e-mail",
        "continue": "Commencer à scanner",
        "scan": "Scanner un badge",
        "objectives": "Partenariat, trouver un mentor",
        "recorded": "est dans vos contacts",
    },
    "en": {
        "choose": "Choose a photo",
        "take": "Take a photo",
        "crop": "Frame your photo",
        "use": "Use this photo",
        "saved": "Photo saved.",
        "other_words": "Other, in a few words",
        "share_email": "Share my e-mail",
        "continue": "Start scanning",
        "scan": "Scan a badge",
        "objectives": "Partnership, trouver un mentor",
        "recorded": "is in your contacts",
    },
}


def _in_language(context: Any, lang: str) -> Any:
    context.add_init_script(f"localStorage.setItem('rencontre.lang', '{lang}')")
    serve_axe(context)
    return context


def _scan(page: Any, words: dict[str, str], name: str) -> None:
    page.get_by_role("button", name=words["scan"]).click()
    expect(page.locator("rc-new-contact .person-name")).to_have_text(name, timeout=DECODE_TIMEOUT_MS)


def _shot(page: Any, artifacts: Path, name: str, *, full_page: bool = False) -> None:
    page.wait_for_timeout(250)
    path = artifacts / f"{name}.png"
    page.screenshot(path=str(path), scale="css", full_page=full_page)
    assert path.stat().st_size > 5_000


@pytest.mark.parametrize("lang", ["fr", "en"])
class TestFacesOnCards:
    def test_a_photo_reaches_a_scanner_who_may_see_it_and_no_one_else(
        self,
        phone: Callable[..., Any],
        backend: Backend,
        live_server: LiveServer,
        tmp_path: Path,
        artifacts: Path,
        lang: str,
    ) -> None:
        words = WORDS[lang]
        event = backend.create_event(f"Visages {lang}")
        zoe = backend.add_attendee(event, "Zoé Portrait", "Atelier Lumière", "Photographe")
        bruno = backend.add_attendee(event, "Bruno Voit", "Qonto", "Product Manager")
        carole = backend.add_attendee(event, "Carole Aveugle", "Doctolib", "UX Researcher")

        # Zoé's profile step: a photo chosen from the phone, framed, then sent.
        page = _in_language(phone(), lang).new_page()
        page.goto(zoe.join_link)
        page.wait_for_url("**/profile?welcome")
        expect(
            page.locator("rc-profile-photo label", has_text=words["take"]).locator("input")
        ).to_have_attribute("capture", "user")
        original = tmp_path / "zoe.jpg"
        original.write_bytes(photo_with_metadata(900, 600))
        page.locator("rc-profile-photo label", has_text=words["choose"]).locator("input").set_input_files(
            str(original)
        )
        expect(page.get_by_role("heading", name=words["crop"])).to_be_visible()
        view = page.locator("canvas.crop-view")
        box = view.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2, steps=5)
        page.mouse.up()
        page.locator(".crop-zoom input").evaluate(
            "(input) => { input.value = '1.4'; input.dispatchEvent(new Event('input', { bubbles: true })); }"
        )
        page.locator(".crop-actions").scroll_into_view_if_needed()
        _shot(page, artifacts, f"profile-photo-crop-{lang}")
        assert run_axe(page) == []
        page.get_by_role("button", name=words["use"]).click()
        expect(page.locator("rc-profile-photo .notice.success")).to_have_text(words["saved"])
        expect(page.locator("rc-profile-photo rc-avatar .has-photo img")).to_be_visible()
        # A first photo is shared: the preview of the card shows it at once.
        expect(page.locator(".preview rc-avatar .has-photo img")).to_be_visible()

        # Several objectives, "other" in her own words; her e-mail shared from the tip.
        page.check("input[name=objectives][value=partnership]")
        page.check("input[name=objectives][value=other]")
        page.get_by_label(words["other_words"]).fill("trouver un mentor")
        page.get_by_role("button", name=words["share_email"]).scroll_into_view_if_needed()
        _shot(page, artifacts, f"profile-email-tip-{lang}")
        page.get_by_role("button", name=words["share_email"]).click()
        expect(page.get_by_role("button", name=words["share_email"])).to_have_count(0)
        expect(page.locator(".preview .person-objective")).to_contain_text(words["objectives"])
        page.locator(".preview").scroll_into_view_if_needed()
        _shot(page, artifacts, f"profile-photo-{lang}", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, (
            "nothing overflows the phone's width"
        )
        assert run_axe(page) == []
        page.get_by_role("button", name=words["continue"]).click()
        page.wait_for_url(live_server.base_url + "/")

        token = access_token(page)
        me = backend.http.get("/api/me", headers=backend.auth(token)).json()
        assert me["objectives"] == ["partnership", "other"]
        assert me["objective_other"] == "trouver un mentor"
        assert set(me["shared_fields"]) == {"photo", "email"}
        served = backend.http.get(me["photo"]["large"], headers=backend.auth(token))
        assert Image.open(io.BytesIO(served.content)).size == (512, 512)
        assert metadata_left(served.content) == []

        # "My badge" shows her face beside her QR code.
        page.goto(live_server.base_url + "/me")
        expect(page.locator(".my-qr-who rc-avatar .has-photo img")).to_be_visible()
        expect(page.locator("rc-qr-code svg")).to_be_visible()
        _shot(page, artifacts, f"badge-photo-{lang}")
        assert csp_violations(page) == []

        badge_url = backend.http.get("/api/me/badge", headers=backend.auth(token)).json()["url"]
        camera = write_y4m(tmp_path / "zoe-badge.y4m", badge_url)

        # Bruno scans her while she shares her photo: her face on the card, and in his contacts.
        scanner = self._signed_in(phone, camera, lang, bruno, live_server)
        _scan(scanner, words, "Zoé Portrait")
        expect(scanner.locator("rc-new-contact rc-avatar .has-photo img")).to_be_visible()
        expect(scanner.locator("rc-new-contact .person-objective")).to_contain_text(words["objectives"])
        _shot(scanner, artifacts, f"card-photo-{lang}")
        assert run_axe(scanner) == []
        # The meeting is recorded as the card shows (nothing to tap).
        expect(scanner.locator("rc-new-contact")).to_contain_text(words["recorded"])

        # Her face in his contacts, and still there offline: the service worker kept it.
        assert wait_for_service_worker(scanner)
        scanner.goto(live_server.base_url + "/contacts")
        row = scanner.locator("rc-contact-row", has_text="Zoé Portrait")
        expect(row.locator("rc-avatar .has-photo img")).to_be_visible()
        scanner.context.set_offline(True)
        scanner.reload()
        expect(row.locator("rc-avatar .has-photo img")).to_be_visible()
        scanner.context.set_offline(False)

        # She stops sharing it: Carole, scanning her, sees initials and never asks for the photo.
        backend.http.patch(
            "/api/me", headers=backend.auth(token), json={"shared_fields": ["email"]}
        ).raise_for_status()
        other = self._signed_in(phone, camera, lang, carole, live_server)
        photo_requests: list[str] = []
        other.on(
            "request", lambda request: "/api/photos/" in request.url and photo_requests.append(request.url)
        )
        _scan(other, words, "Zoé Portrait")
        card = other.locator("rc-new-contact rc-person-card")
        expect(card.locator("rc-avatar .avatar-initials")).to_have_text("ZP")
        other.wait_for_timeout(500)
        expect(card.locator("rc-avatar img")).to_have_count(0)
        assert photo_requests == []
        _shot(other, artifacts, f"card-initials-{lang}")
        # The address Bruno was given no longer opens for anyone but Zoé.
        assert backend.http.get(me["photo"]["small"], headers=backend.auth(token)).status_code == 200
        assert csp_violations(other) == []

    @staticmethod
    def _signed_in(
        phone: Callable[..., Any], camera: Path, lang: str, person: Person, server: LiveServer
    ) -> Any:
        context = _in_language(phone(camera=camera), lang)
        page = context.new_page()
        page.goto(person.join_link)
        page.wait_for_url("**/profile?welcome")
        page.goto(server.base_url + "/")
        return page
