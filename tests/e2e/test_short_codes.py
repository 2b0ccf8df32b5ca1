"""The short code printed on badges, typed on a 360 × 740 phone in French and English:
online (the server records the scan), offline (the sealed card cache on the phone opens
the card and the scan is queued); "My badge" offline right after joining; the scanner's
help after a few seconds without a decode, and its torch where the camera has one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.camera import HEIGHT, WIDTH, write_y4m
from tests.e2e.pwa import (
    access_token,
    csp_violations,
    idb_get,
    outbox,
    run_axe,
    serve_axe,
    wait_for_service_worker,
)
from tests.e2e.server import Backend, LiveServer, Person

TEXTS = {
    "fr": {
        "scan": "Scanner un badge",
        "code": "Saisir un code de badge",
        "find": "Chercher",
        "invalid": "Un code de badge a 6 lettres et chiffres",
        "unknown": "Aucun badge de cet événement n'a ce code",
        "offline_unknown": "Aucun badge avec ce code n'est enregistré sur votre téléphone",
        "queued": "gardée sur ce téléphone",
        "help": "Le code n'est pas encore lu ?",
        "type": "Saisir le code sous le QR code",
        "torch": "Lampe",
        "badge_code": "Code à saisir",
    },
    "en": {
        "scan": "Scan a badge",
        "code": "Type a badge code",
        "find": "Find",
        "invalid": "A badge code has 6 letters and digits",
        "unknown": "No badge of this event has this code",
        "offline_unknown": "No badge with this code is saved on your phone",
        "queued": "kept on this phone",
        "help": "The code is not read yet?",
        "type": "Type the code under the QR code",
        "torch": "Light",
        "badge_code": "Code to type",
    },
}
LANGS = list(TEXTS)
CARD_TIMEOUT_MS = 15_000

# The phone waits until the sealed cache holds everyone's two entries.
_SEALED_CACHE_READY = """(n) => new Promise((ok) => {
  const r = indexedDB.open('rencontre');
  r.onsuccess = () => {
    const q = r.result.transaction('kv').objectStore('kv').get('directory.sealed');
    q.onsuccess = () => {
      r.result.close();
      const d = q.result;
      ok(!!d && d.complete && d.locks.length >= n);
    };
  };
})"""


def _short_code(backend: Backend, person: Person) -> str:
    response = backend.http.get("/api/me/badge", headers=backend.auth(person.token))
    response.raise_for_status()
    code: str = response.json()["short_code"]
    return code


def _blank_camera(path: Path) -> Path:
    """A camera looking at a blank wall: frames, and never a QR code."""
    luma = b"\x80" * (WIDTH * HEIGHT)
    chroma = b"\x80" * ((WIDTH // 2) * (HEIGHT // 2))
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F30:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + b"FRAME\n" + luma + chroma + chroma)
    return path


def _join(page: Any, person: Person, lang: str, base_url: str) -> None:
    page.goto(person.join_link)
    page.wait_for_url("**/profile?welcome")
    page.evaluate("(lang) => localStorage.setItem('rencontre.lang', lang)", lang)
    page.goto(base_url + "/")


@pytest.mark.parametrize("lang", LANGS)
class TestTypedCodeOnline:
    def test_a_typed_code_shows_the_card_and_the_scan_is_recorded_once(
        self,
        lang: str,
        phone: Callable[..., Any],
        backend: Backend,
        live_server: LiveServer,
        tmp_path: Path,
        artifacts: Path,
    ) -> None:
        text = TEXTS[lang]
        event = backend.create_event("Codes en ligne")
        alice = backend.add_attendee(event, "Alice Martin", "Atelier", "Designer")
        bruno = backend.join(backend.add_attendee(event, "Bruno Lefèvre", "Qonto", "Product Manager"))
        code = _short_code(backend, bruno)
        # The camera is refused: typing is the only way in.
        context = phone(camera=write_y4m(tmp_path / "cam.y4m", bruno.badge_url), grant_camera=False)
        serve_axe(context)
        page = context.new_page()
        _join(page, alice, lang, live_server.base_url)
        page.get_by_role("button", name=text["scan"]).click()
        field = page.get_by_label(text["code"])
        expect(field).to_be_focused()

        # A name is not a code: said so, in the attendee's language.
        field.fill("Bruno")
        page.get_by_role("button", name=text["find"]).click()
        expect(page.locator(".manual-entry .field-error")).to_contain_text(text["invalid"])
        # A code of nobody here: the server's refusal, translated.
        other = "".join("2" if char != "2" else "3" for char in code)
        field.fill(other)
        page.get_by_role("button", name=text["find"]).click()
        expect(page.locator(".manual-entry .field-error")).to_contain_text(text["unknown"])
        page.screenshot(path=str(artifacts / f"short-code-fallback-{lang}.png"), full_page=True)
        assert run_axe(page) == []

        # Typed as people do: lower case, with a dash.
        field.fill(f"{code[:3].lower()}-{code[3:].lower()}")
        page.get_by_role("button", name=text["find"]).click()
        expect(page.locator("rc-new-contact .person-name")).to_have_text(
            "Bruno Lefèvre", timeout=CARD_TIMEOUT_MS
        )
        page.screenshot(path=str(artifacts / f"short-code-card-{lang}.png"), full_page=True)
        expect(page.locator(".scan-state")).to_contain_text("Bruno Lefèvre")

        contacts = backend.contacts(access_token(page))
        assert [contact["person"]["name"] for contact in contacts] == ["Bruno Lefèvre"]
        assert contacts[0]["scan_count"] == 1
        assert outbox(page) == []
        assert csp_violations(page) == []


@pytest.mark.parametrize("lang", LANGS)
class TestTypedCodeOffline:
    def test_the_sealed_cache_opens_the_card_and_the_scan_is_queued_then_sent(
        self,
        lang: str,
        phone: Callable[..., Any],
        backend: Backend,
        live_server: LiveServer,
        tmp_path: Path,
        artifacts: Path,
    ) -> None:
        text = TEXTS[lang]
        event = backend.create_event("Codes hors ligne")
        alice = backend.add_attendee(event, "Alice Offline", "Atelier", "Designer")
        carole = backend.join(backend.add_attendee(event, "Carole Élan", "Doctolib", "UX Researcher"))
        code = _short_code(backend, carole)
        context = phone()
        page = context.new_page()
        _join(page, alice, lang, live_server.base_url)
        assert wait_for_service_worker(page)
        page.wait_for_function(_SEALED_CACHE_READY, arg=4, timeout=30_000)
        # Nothing in the stored cache reads as a name.
        stored = str(idb_get(page, "kv", "directory.sealed"))
        assert "Carole" not in stored
        assert code not in stored
        token = access_token(page)

        context.set_offline(True)
        field = page.get_by_label(text["code"])
        field.fill("ZZZZZZ")
        page.get_by_role("button", name=text["find"]).click()
        expect(page.locator(".manual-entry .field-error")).to_contain_text(text["offline_unknown"])
        field.fill(code[:3] + " " + code[3:])
        page.get_by_role("button", name=text["find"]).click()
        expect(page.locator("rc-new-contact .person-name")).to_have_text(
            "Carole Élan", timeout=CARD_TIMEOUT_MS
        )
        page.screenshot(path=str(artifacts / f"short-code-offline-card-{lang}.png"), full_page=True)
        expect(page.locator(".scan-state")).to_contain_text(text["queued"])
        queued = outbox(page)
        assert len(queued) == 1
        assert backend.contacts(token) == []

        context.set_offline(False)
        expect(page.locator(".pending-count")).to_have_count(0, timeout=20_000)
        contacts = backend.contacts(token)
        assert [contact["person"]["name"] for contact in contacts] == ["Carole Élan"]
        assert csp_violations(page) == []


@pytest.mark.parametrize("lang", LANGS)
class TestMyBadgeOffline:
    def test_my_badge_shows_the_qr_and_the_code_offline_without_a_visit_online(
        self,
        lang: str,
        phone: Callable[..., Any],
        backend: Backend,
        live_server: LiveServer,
        artifacts: Path,
    ) -> None:
        text = TEXTS[lang]
        event = backend.create_event("Badge hors ligne")
        alice = backend.add_attendee(event, "Alice Badge", "Atelier", "Designer")
        context = phone()
        page = context.new_page()
        _join(page, alice, lang, live_server.base_url)
        assert wait_for_service_worker(page)
        # Kept at the join (polled here: a predicate's promise counts as true at once in
        # wait_for_function).
        for _ in range(100):
            badge = idb_get(page, "kv", "badge")
            if badge:
                break
            page.wait_for_timeout(200)
        assert badge, "the badge was not kept on the phone at the join"
        code = badge["short_code"]

        context.set_offline(True)
        page.goto(live_server.base_url + "/me")
        expect(page.locator("rc-qr-code svg")).to_be_visible(timeout=15_000)
        expect(page.locator(".my-short-code-value")).to_have_text(f"{code[:3]} {code[3:]}")
        expect(page.locator(".my-short-code-label")).to_contain_text(text["badge_code"])
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / f"short-code-my-badge-offline-{lang}.png"), full_page=True)
        assert csp_violations(page) == []


TORCH_STUB = """
(() => {
  const lit = [];
  window.__torch = lit;
  MediaStreamTrack.prototype.getCapabilities = function () { return { torch: true }; };
  MediaStreamTrack.prototype.applyConstraints = async function (constraints) {
    lit.push(constraints.advanced[0].torch);
  };
})();
"""


@pytest.mark.parametrize("lang", LANGS)
class TestScannerHelp:
    def test_help_appears_after_a_few_seconds_without_a_decode_and_leads_to_typing(
        self,
        lang: str,
        phone: Callable[..., Any],
        backend: Backend,
        live_server: LiveServer,
        tmp_path: Path,
        artifacts: Path,
    ) -> None:
        text = TEXTS[lang]
        alice = backend.add_attendee(backend.create_event("Aide au scan"), "Alice Aide")
        context = phone(camera=_blank_camera(tmp_path / "blank.y4m"))
        serve_axe(context)
        page = context.new_page()
        _join(page, alice, lang, live_server.base_url)
        page.get_by_role("button", name=text["scan"]).click()
        expect(page.locator(".scanner-status")).to_be_visible()
        expect(page.locator(".scanner-help")).to_have_count(0)
        expect(page.locator(".scanner-help")).to_contain_text(text["help"], timeout=15_000)
        # Chromium's fake camera has no torch: no button for it.
        expect(page.locator(".scanner-torch")).to_have_count(0)
        page.screenshot(path=str(artifacts / f"scanner-help-{lang}.png"))
        assert run_axe(page) == []
        page.get_by_role("button", name=text["type"]).click()
        expect(page.locator(".scanner")).to_have_count(0)
        expect(page.get_by_label(text["code"])).to_be_focused()

    def test_a_camera_with_a_torch_gets_a_button_that_lights_it(
        self,
        lang: str,
        phone: Callable[..., Any],
        backend: Backend,
        live_server: LiveServer,
        tmp_path: Path,
        artifacts: Path,
    ) -> None:
        text = TEXTS[lang]
        alice = backend.add_attendee(backend.create_event("Lampe"), "Alice Lampe")
        context = phone(camera=_blank_camera(tmp_path / "blank.y4m"))
        # Chromium's fake camera has no torch; this stands in for a phone camera that has one.
        context.add_init_script(TORCH_STUB)
        page = context.new_page()
        _join(page, alice, lang, live_server.base_url)
        page.get_by_role("button", name=text["scan"]).click()
        torch = page.locator(".scanner-torch")
        expect(torch).to_have_attribute("aria-pressed", "false", timeout=15_000)
        expect(torch).to_contain_text(text["torch"])
        torch.click()
        expect(torch).to_have_attribute("aria-pressed", "true")
        assert page.evaluate("window.__torch") == [True]
        page.screenshot(path=str(artifacts / f"scanner-torch-{lang}.png"))
