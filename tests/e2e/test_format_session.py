"""A speed-meeting run for real: the organiser creates and starts a session in the
console, two phones show the same round and table with countdowns that agree with each
other and with the wall screen, the round ends, each phone saves the other in one tap
(an ordinary scan through the outbox) and both hold a mutual contact. Screenshots of
the phone and the wall screen at each step, in French and in English."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CHROMIUM_ARGS, CSP_WATCH
from tests.e2e.pwa import access_token, csp_violations, outbox, run_axe, serve_axe, wait_for_service_worker
from tests.e2e.server import ORGANISER_EMAIL, ORGANISER_PASSWORD, Backend, LiveServer

CONSOLE = {"width": 1280, "height": 800}
LIVE_TIMEOUT_MS = 15_000
# The phone records its vibrations instead of shaking: the test reads them back.
VIBRATE_WATCH = """
navigator.vibrate = (pattern) => { (window.__vibrations ||= []).push(pattern); return true; };
"""
# Seconds left by the page's own clock and offset, read fresh (the display ticks 5 times a second).
SECONDS_LEFT = """
() => {
  const el = document.querySelector('rc-countdown');
  if (!el || !el.clock || !el.clock.phase_ends_at) return null;
  return [(Date.parse(el.clock.phase_ends_at) - (Date.now() + el.offset)) / 1000, Date.now()];
}
"""


@pytest.fixture
def console_page(playwright_instance: Any, chromium_path: Path) -> Iterator[Any]:
    browser = playwright_instance.chromium.launch(
        executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
    )
    context = browser.new_context(viewport=CONSOLE, locale="fr-FR", timezone_id="Europe/Paris")
    context.add_init_script(CSP_WATCH)
    serve_axe(context)
    try:
        yield context
    finally:
        browser.close()


def shoot_both_languages(page: Any, folder: Path, name: str, switch: str) -> None:
    """Screenshot in French, switch to English, screenshot, switch back."""
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(folder / f"{name}-fr.png"))
    page.locator(switch).first.click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.screenshot(path=str(folder / f"{name}-en.png"))
    page.locator(switch).first.click()
    page.wait_for_function("document.documentElement.lang === 'fr'")


def seconds_left(page: Any) -> tuple[float, float]:
    reading = page.evaluate(SECONDS_LEFT)
    assert reading is not None, "no countdown on screen"
    return float(reading[0]), float(reading[1])


def assert_countdowns_agree(pages: list[Any]) -> None:
    """Each screen's time left, brought to one instant: they agree within a quarter of a second."""
    readings = [seconds_left(page) for page in pages]
    _, first_at = readings[0]
    aligned = [left + (taken_at - first_at) / 1000 for left, taken_at in readings]
    assert max(aligned) - min(aligned) < 0.25, aligned
    assert 0 < aligned[0] <= 180


def open_console(context: Any, url: str) -> Any:
    """The organiser opens ``url``, signs in (in French) and lands back on it."""
    page = context.new_page()
    page.goto(url)
    page.wait_for_url("**/console/login**")
    page.get_by_label("Adresse e-mail").fill(ORGANISER_EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill(ORGANISER_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(url)
    return page


def open_phone(phone: Callable[..., Any], join_link: str) -> Any:
    context = phone()
    context.add_init_script(VIBRATE_WATCH)
    serve_axe(context)
    page = context.new_page()
    page.goto(join_link)
    page.wait_for_url("**/profile?welcome")
    return page


class TestSpeedMeeting:
    def test_console_starts_phones_agree_round_ends_both_save_each_other(
        self,
        phone: Callable[..., Any],
        console_page: Any,
        backend: Backend,
        live_server: LiveServer,
        artifacts: Path,
    ) -> None:
        folder = artifacts / "formats"
        folder.mkdir(parents=True, exist_ok=True)
        base = live_server.base_url
        event = backend.create_event("Rencontres du midi")
        zoe_person = backend.add_attendee(event, "Zoé Martin", "Atelier Lumière", "Designer")
        bruno_person = backend.add_attendee(event, "Bruno Lefèvre", "Qonto", "Product Manager")
        zoe = open_phone(phone, zoe_person.join_link)
        bruno = open_phone(phone, bruno_person.join_link)
        # What each writes on their card gives the other the openers at the table.
        for page, card in [
            (bruno, {"seeks": ["un premier client retail"], "offers": ["du mentorat produit"]}),
            (zoe, {"objectives": ["partnership"]}),
        ]:
            edited = backend.http.patch("/api/me", headers=backend.auth(access_token(page)), json=card)
            assert edited.status_code == 200, edited.text

        # The organiser signs in and sets up a session for those who sign up from their phones.
        sessions_path = f"/console/events/{event}/sessions"
        console = open_console(console_page, base + sessions_path)
        console.get_by_label("Nom", exact=True).fill("Speed-meeting du midi")
        console.get_by_label("Qui participe").select_option("signed_up")
        console.get_by_label("Durée d'un tour (minutes)").fill("2")
        console.get_by_label("Pause entre les tours (minutes)").fill("0.5")
        console.get_by_label("Nombre de tours").fill("1")
        console.get_by_label("Noms des tables ou des groupes").fill("Table 7\nTable 8")
        console.get_by_role("button", name="Créer la session").click()
        row = console.locator(".session-row", has_text="Speed-meeting du midi")
        expect(row).to_contain_text("Pas commencée")
        shoot_both_languages(console, folder, "console-sessions-draft", ".topbar__lang")
        assert run_axe(console) == []

        # The live channel brings the session to the phones: a Sessions tab, and signing up.
        for page in (zoe, bruno):
            page.get_by_role("link", name="Sessions").click(timeout=LIVE_TIMEOUT_MS)
            expect(page.get_by_role("heading", level=1)).to_have_text("Sessions")
            page.get_by_role("button", name="Participer").click()
            expect(page.get_by_role("button", name="Quitter cette session")).to_be_visible()
        shoot_both_languages(zoe, folder, "phone-signed-up", "button.lang-switch")
        # Changing one's mind before the start: leave, then come back.
        bruno.get_by_role("button", name="Quitter cette session").click()
        bruno.get_by_role("button", name="Participer").click()
        expect(bruno.get_by_role("button", name="Quitter cette session")).to_be_visible()

        # Start: both phones show the same round and table, each the other's card.
        row.get_by_role("button", name="Démarrer").click()
        expect(row).to_contain_text("En cours")
        expect(zoe.get_by_test_id("session-seat")).to_have_text(
            "Tour 1 sur 1 — Table 7 — Bruno Lefèvre", timeout=LIVE_TIMEOUT_MS
        )
        expect(bruno.get_by_test_id("session-seat")).to_have_text(
            "Tour 1 sur 1 — Table 7 — Zoé Martin", timeout=LIVE_TIMEOUT_MS
        )
        expect(zoe.locator("rc-person-card .person-name")).to_have_text("Bruno Lefèvre")
        expect(zoe.locator("rc-person-card .person-role")).to_contain_text("Qonto")
        for page in (zoe, bruno):
            page.wait_for_function("(window.__vibrations || []).length >= 1")
        expect(row).to_contain_text("2 personnes participent")
        shoot_both_languages(console, folder, "console-sessions-running", ".topbar__lang")

        # The wall screen, in a second tab of the console.
        wall = console_page.new_page()
        wall.goto(base + f"{sessions_path}?wall&session={row.get_attribute('data-session')}")
        expect(wall.locator(".wall-clock__round")).to_have_text("Tour 1 / 1", timeout=LIVE_TIMEOUT_MS)
        table = wall.locator(".wall-table", has_text="Table 7")
        expect(table).to_contain_text("2 personnes")
        expect(wall.locator(".session-wall")).not_to_contain_text("Zoé")
        # Let the phones' pings and the wall's polls settle their clock offsets.
        zoe.wait_for_timeout(2_500)
        assert_countdowns_agree([zoe, bruno, wall])
        # One or two openers under each card, drawn from what the other shares, in the app's language.
        openers = zoe.locator('[data-slot="conversation-openers"] li')
        expect(openers).to_have_text(
            [
                "Vous cherchez « un premier client retail » : à quoi ressemblerait la bonne personne ?",
                "Vous proposez « du mentorat produit » : à qui est-ce le plus utile ?",
            ]
        )
        expect(bruno.locator('[data-slot="conversation-openers"] li')).to_have_text(
            ["Quel partenariat aimeriez-vous nouer ici ?"]
        )
        zoe.locator("button.lang-switch").click()
        expect(openers.first).to_have_text(
            "You are looking for “un premier client retail”: what would the right person look like?"
        )
        zoe.locator("button.lang-switch").click()
        expect(openers.first).to_contain_text("Vous cherchez")
        shoot_both_languages(zoe, folder, "phone-round", "button.lang-switch")
        # The openers sit under the card, below the fold: scrolled to them, in each language.
        for language in ("fr", "en"):
            if language == "en":
                zoe.locator("button.lang-switch").click()
                expect(openers.first).to_contain_text("You are looking for")
            openers.last.scroll_into_view_if_needed()
            zoe.screenshot(path=str(folder / f"phone-round-openers-{language}.png"))
        zoe.locator("button.lang-switch").click()
        expect(openers.first).to_contain_text("Vous cherchez")
        zoe.evaluate("window.scrollTo(0, 0)")
        shoot_both_languages(wall, folder, "wall-round", ".wall-tools button[lang]")
        assert run_axe(zoe) == []
        assert run_axe(wall) == []

        # Offline, the seat stays and the countdown keeps running from the last sync.
        assert wait_for_service_worker(zoe)
        zoe.context.set_offline(True)
        zoe.reload()
        expect(zoe.get_by_test_id("session-seat")).to_have_text("Tour 1 sur 1 — Table 7 — Bruno Lefèvre")
        expect(zoe.locator(".notice.pending")).to_contain_text("Hors ligne")
        expect(openers).to_have_count(2)
        before, _ = seconds_left(zoe)
        zoe.wait_for_timeout(1_200)
        after, _ = seconds_left(zoe)
        assert 0.8 < before - after < 2.0
        zoe.screenshot(path=str(folder / "phone-round-offline-fr.png"))
        zoe.context.set_offline(False)

        # Pause, resume, one more minute: the wall and the phones follow.
        row.get_by_role("button", name="Pause", exact=True).click()
        expect(wall.locator(".wall-clock__phase")).to_have_text("En pause", timeout=LIVE_TIMEOUT_MS)
        expect(zoe.locator(".session-clock.paused")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
        expect(bruno.locator(".session-card")).to_contain_text("mis le chrono en pause")
        expect(bruno.get_by_test_id("session-seat")).to_have_text("Tour 1 sur 1 — Table 7 — Zoé Martin")
        expect(zoe.locator("rc-met-person")).to_have_count(0)
        shoot_both_languages(zoe, folder, "phone-paused", "button.lang-switch")
        shoot_both_languages(wall, folder, "wall-paused", ".wall-tools button[lang]")
        row.get_by_role("button", name="Reprendre").click()
        expect(zoe.locator(".session-clock.paused")).to_have_count(0, timeout=LIVE_TIMEOUT_MS)
        row.get_by_role("button", name="+1 min").click()
        zoe.wait_for_function(
            "() => { const el = document.querySelector('rc-countdown');"
            " return el && el.clock && Date.parse(el.clock.phase_ends_at) - Date.now() > 125000; }",
            timeout=LIVE_TIMEOUT_MS,
        )
        zoe.wait_for_timeout(1_000)
        assert_countdowns_agree([zoe, bruno, wall])

        # The organiser moves on: that was the last round, so the session ends.
        row.get_by_role("button", name="Tour suivant").click()
        expect(row).to_contain_text("Terminée")
        expect(wall.locator(".wall-clock__phase")).to_contain_text("Merci", timeout=LIVE_TIMEOUT_MS)
        shoot_both_languages(wall, folder, "wall-ended", ".wall-tools button[lang]")

        # Each phone saves the other in one tap; Zoé adds a private note.
        for page, other in ((zoe, "Bruno Lefèvre"), (bruno, "Zoé Martin")):
            expect(page.locator(".session-card")).to_contain_text("terminée", timeout=LIVE_TIMEOUT_MS)
            expect(page.locator("rc-met-person .met-name")).to_have_text(other)
        shoot_both_languages(zoe, folder, "phone-save", "button.lang-switch")
        assert run_axe(zoe) == []
        note = "Design santé — à revoir lundi 🚀"
        zoe.locator("rc-met-person textarea").fill(note)
        for page in (zoe, bruno):
            page.locator("rc-met-person").get_by_role("button", name="Enregistrer").click()
            expect(page.locator(".session-saved")).to_have_text("1 personne enregistrée dans cette session.")
            expect(page.locator("rc-met-person")).to_have_count(0)
        shoot_both_languages(zoe, folder, "phone-saved", "button.lang-switch")

        # Both hold a mutual contact: an ordinary encounter each way.
        zoe_contacts = backend.contacts(access_token(zoe))
        bruno_contacts = backend.contacts(access_token(bruno))
        assert [c["person"]["name"] for c in zoe_contacts] == ["Bruno Lefèvre"]
        assert [c["person"]["name"] for c in bruno_contacts] == ["Zoé Martin"]
        assert zoe_contacts[0]["mutual"]
        assert bruno_contacts[0]["mutual"]
        assert zoe_contacts[0]["note"] == note
        assert bruno_contacts[0]["note"] == ""
        for page in (zoe, bruno):
            assert outbox(page) == []
            assert csp_violations(page) == []
        assert csp_violations(console) == []
        assert csp_violations(wall) == []


class TestReverseForumHosts:
    def test_hosts_are_picked_among_attendees_and_a_start_without_guests_says_why(
        self, console_page: Any, backend: Backend, live_server: LiveServer, artifacts: Path
    ) -> None:
        folder = artifacts / "formats"
        folder.mkdir(parents=True, exist_ok=True)
        event = backend.create_event("Forum des recruteurs")
        backend.add_attendee(event, "Claire Dupont", "Recrutement Loire", "Recruteuse")
        backend.add_attendee(event, "Marc Petit", "Ouest Emploi", "Chargé de mission")
        console = open_console(console_page, f"{live_server.base_url}/console/events/{event}/sessions")

        console.get_by_label("Nom", exact=True).fill("Forum inversé")
        console.get_by_label("Forum inversé (les hôtes restent, les invités tournent)").check()
        console.get_by_label("Noms des tables ou des groupes").fill("Stand A\nStand B")
        console.get_by_role("button", name="Créer la session").click()
        row = console.locator(".session-row", has_text="Forum inversé")
        expect(row).to_contain_text("0 hôte présent")

        row.get_by_text("Hôtes", exact=True).click()
        row.get_by_label("Chercher un participant par nom, entreprise ou e-mail").fill("Claire")
        row.get_by_role("button", name="Ajouter Claire Dupont comme hôte").click()
        expect(row.locator(".session-hosts__picked")).to_contain_text("Claire Dupont")
        row.get_by_role("button", name="Enregistrer les hôtes").click()
        expect(console.locator(".toast")).to_contain_text("Hôtes enregistrés")
        # Hosts count once they are there: Claire has not arrived yet.
        expect(row).to_contain_text("0 hôte présent")
        console.evaluate("window.scrollTo(0, 0)")
        console.screenshot(path=str(folder / "console-reverse-forum-hosts-fr.png"))
        assert run_axe(console) == []

        # A walk & talk asks for its group sizes.
        console.get_by_label("Nom", exact=True).fill("Balade au jardin")
        console.get_by_label("Walk & talk (petits groupes)").check()
        console.get_by_label("Plus petit groupe").fill("3")
        console.get_by_label("Plus grand groupe").fill("4")
        console.get_by_role("button", name="Créer la session").click()
        expect(console.locator(".session-row", has_text="Balade au jardin")).to_contain_text("Walk & talk")
        stored = backend.http.get(f"/api/events/{event}/sessions", headers=backend.organiser_headers).json()
        walk = next(found for found in stored if found["name"] == "Balade au jardin")
        assert (walk["kind"], walk["group_min"], walk["group_max"]) == ("walk_and_talk", 3, 4)
        forum = next(found for found in stored if found["name"] == "Forum inversé")
        assert forum["table_names"] == ["Stand A", "Stand B"]

        # No one has arrived: the start is refused with the reason, and nothing changes.
        row.get_by_role("button", name="Démarrer").click()
        refusal = re.compile("Moins de deux personnes|au moins un hôte")
        expect(console.locator(".toast")).to_contain_text(refusal)
        expect(row).to_contain_text("Pas commencée")
        assert csp_violations(console) == []
