"""Who to meet, as two attendees live it at 360×740: both opt in from the profile step,
Anaïs finds Bruno in the directory (accents ignored), says she would like to meet him,
Bruno accepts, both see the match, Anaïs scans Bruno's badge and the match shows as met.
Offline, the directory still opens and searches from the phone's copy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.camera import write_y4m
from tests.e2e.pwa import access_token, csp_violations
from tests.e2e.server import Backend, LiveServer, Person

DECODE_TIMEOUT_MS = 15_000


def open_directory(backend: Backend, event_id: str) -> None:
    response = backend.http.patch(
        f"/api/events/{event_id}",
        headers=backend.organiser_headers,
        json={"directory_opens_at": (datetime.now(UTC) - timedelta(days=1)).isoformat()},
    )
    response.raise_for_status()


def join_and_opt_in(page: Any, person: Person, offers: list[str], seeks: list[str]) -> None:
    page.goto(person.join_link)
    page.wait_for_url("**/profile?welcome")
    for n, line in enumerate(offers):
        page.locator(f"#profile-offers-{n}").fill(line)
    for n, line in enumerate(seeks):
        page.locator(f"#profile-seeks-{n}").fill(line)
    page.get_by_role("switch", name="Afficher ma carte dans l’annuaire de l’événement").check()
    preview = page.locator(".preview")
    for line in offers + seeks:
        expect(preview).to_contain_text(line)


def shoot(page: Any, artifacts: Path, name: str, focus: Any = None) -> None:
    """The phone's screen as the person sees it, scrolled to ``focus`` when given."""
    if focus is not None:
        focus.scroll_into_view_if_needed()
        focus.evaluate("(element) => element.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / f"{name}.png"), scale="css")


class TestWhoToMeet:
    def test_opt_in_find_ask_accept_match_scan_met(
        self,
        phone: Callable[..., Any],
        backend: Backend,
        live_server: LiveServer,
        artifacts: Path,
        tmp_path: Path,
    ) -> None:
        event = backend.create_event("Rencontres Logistique")
        open_directory(backend, event)
        anais = backend.add_attendee(event, "Anaïs Durand", "Atelier Nord", "Fondatrice")
        bruno = backend.add_attendee(event, "Bruno Lefèvre", "Qonto", "Product Manager")
        backend.add_attendee(event, "Chloé Hors-Annuaire", "Discrète SA")

        # Bruno's phone: he joins and opts in, open to chat.
        bruno_phone = phone().new_page()
        join_and_opt_in(bruno_phone, bruno, ["Mentorat Rust"], ["Clients pilotes en logistique"])
        bruno_phone.get_by_role("switch", name="Disponible pour discuter").check()
        bruno_phone.get_by_role("button", name="Commencer à scanner").click()
        bruno_phone.wait_for_url(live_server.base_url + "/")
        badge = backend.http.get("/api/me/badge", headers=backend.auth(access_token(bruno_phone)))
        bruno.badge_url = badge.json()["url"]

        # Anaïs's phone (Bruno's badge before its camera): the profile step with the preview.
        anais_context = phone(camera=write_y4m(tmp_path / "bruno.y4m", bruno.badge_url))
        page = anais_context.new_page()
        join_and_opt_in(page, anais, ["Intros acheteurs retail"], ["Un CTO associé"])
        shoot(
            page,
            artifacts,
            "who-to-meet-01-profile-fr",
            page.locator("rc-who-to-meet-fields .switch-row").last,
        )
        page.get_by_role("button", name="Commencer à scanner").click()
        page.wait_for_url(live_server.base_url + "/")
        token = access_token(page)
        me = backend.http.get("/api/me", headers=backend.auth(token)).json()
        assert (me["offers"], me["seeks"], me["directory_opt_in"]) == (
            ["Intros acheteurs retail"],
            ["Un CTO associé"],
            True,
        )

        # The directory: only Bruno (Chloé did not opt in); found without his accent.
        page.get_by_role("navigation").get_by_role("link", name="Qui croiser").click()
        entry = page.locator(".person-entry", has_text="Bruno Lefèvre")
        expect(entry).to_have_count(1)
        expect(page.locator(".person-entry", has_text="Chloé")).to_have_count(0)
        expect(entry).to_contain_text("Disponible pour discuter")
        expect(entry.locator("rc-conversation-prompts")).to_contain_text("Clients pilotes en logistique")
        page.get_by_role("searchbox").fill("LEFEVRE")
        expect(entry).to_have_count(1)
        page.get_by_role("searchbox").fill("zzz")
        expect(page.locator(".person-entry")).to_have_count(0)
        page.get_by_role("searchbox").fill("")

        entry.get_by_role("button", name="J’aimerais vous rencontrer — Bruno Lefèvre").click()
        entry.get_by_label("Pourquoi ? (facultatif, une ligne)").fill(
            "Je cherche des clients pilotes moi aussi"
        )
        entry.get_by_role("button", name="Envoyer").click()
        expect(entry.locator(".meet-state")).to_have_text("Demande envoyée")
        shoot(page, artifacts, "who-to-meet-02-directory-sent-fr", entry)

        # Bruno sees it, with the reason, and accepts.
        bruno_phone.goto(live_server.base_url + "/people")
        request = bruno_phone.locator(".received-request")
        expect(request).to_contain_text("Anaïs Durand aimerait vous rencontrer")
        expect(request).to_contain_text("Je cherche des clients pilotes moi aussi")
        shoot(bruno_phone, artifacts, "who-to-meet-03-request-fr", request)
        request.get_by_role("button", name="Moi aussi").click()
        match = bruno_phone.locator(".person-entry.match", has_text="Anaïs Durand")
        expect(match).to_contain_text("Pas encore rencontré·e")

        # Anaïs sees the match too, with Bruno open to chat.
        page.reload()
        anais_match = page.locator(".person-entry.match", has_text="Bruno Lefèvre")
        expect(anais_match).to_contain_text("Pas encore rencontré·e")
        expect(anais_match).to_contain_text("Disponible pour discuter")
        shoot(page, artifacts, "who-to-meet-04-match-fr", anais_match)

        # Anaïs scans Bruno: his card shows questions drawn from what he shared.
        page.get_by_role("navigation").get_by_role("link", name="Scanner").click()
        page.get_by_role("button", name="Scanner un badge").click()
        expect(page.locator("rc-new-contact .person-name")).to_have_text(
            "Bruno Lefèvre", timeout=DECODE_TIMEOUT_MS
        )
        expect(page.locator("rc-new-contact rc-conversation-prompts")).to_contain_text("Mentorat Rust")
        shoot(
            page,
            artifacts,
            "who-to-meet-05-scan-prompts-fr",
            page.locator("rc-new-contact rc-conversation-prompts"),
        )
        expect(page.locator(".scan-state")).to_contain_text("Bruno Lefèvre")

        # The match is met, on both phones.
        page.get_by_role("navigation").get_by_role("link", name="Qui croiser").click()
        expect(page.locator(".person-entry.match", has_text="Bruno Lefèvre")).to_contain_text("Rencontré·e")
        bruno_phone.reload()
        expect(bruno_phone.locator(".person-entry.match", has_text="Anaïs Durand")).to_contain_text(
            "Rencontré·e"
        )

        # In English: the same screen, prompts in the reader's language.
        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Who will I meet?")
        expect(
            page.locator(".person-entry", has_text="Bruno Lefèvre").first.locator("rc-conversation-prompts")
        ).to_contain_text("You are looking for")
        shoot(page, artifacts, "who-to-meet-06-directory-en", page.locator(".people-filters"))
        bruno_phone.get_by_role("button", name="English").click()
        expect(bruno_phone.get_by_role("heading", level=1)).to_have_text("Who will I meet?")
        shoot(bruno_phone, artifacts, "who-to-meet-07-match-en")

        # Offline: the directory opens and searches from the phone's copy.
        anais_context.set_offline(True)
        page.reload()
        expect(page.locator(".notice.pending")).to_contain_text("Offline")
        page.get_by_role("searchbox").fill("qonto")
        expect(page.locator(".people-list .person-entry", has_text="Bruno Lefèvre").first).to_be_visible()
        anais_context.set_offline(False)

        assert csp_violations(page) == []
        assert csp_violations(bruno_phone) == []

    def test_closed_directory_and_find_by_name_fallback(
        self, phone: Callable[..., Any], backend: Backend, live_server: LiveServer, artifacts: Path
    ) -> None:
        event = backend.create_event("Annuaire fermé")
        anais = backend.add_attendee(event, "Anaïs Fermé", "Atelier")
        page = phone(camera=None).new_page()
        page.goto(anais.join_link)
        page.wait_for_url("**/profile?welcome")
        page.get_by_role("button", name="Commencer à scanner").click()
        page.wait_for_url(live_server.base_url + "/")
        page.get_by_role("navigation").get_by_role("link", name="Qui croiser").click()
        expect(page.locator(".notice.info")).to_contain_text("pas encore ouvert l’annuaire")
        shoot(page, artifacts, "who-to-meet-08-closed-fr")

        # Once open, the page offers to join with a preview of one's card; then find by name works.
        open_directory(backend, event)
        bruno = backend.join(backend.add_attendee(event, "Bruno Trouvé", "Qonto"))
        backend.http.patch(
            "/api/me", headers=backend.auth(bruno.token), json={"directory_opt_in": True}
        ).raise_for_status()
        page.reload()
        expect(page.locator(".opt-in")).to_contain_text("Anaïs Fermé")
        shoot(page, artifacts, "who-to-meet-09-opt-in-fr", page.locator(".opt-in"))
        page.get_by_role("button", name="Rejoindre l’annuaire").click()
        expect(page.locator(".person-entry", has_text="Bruno Trouvé")).to_have_count(1)

        page.get_by_role("navigation").get_by_role("link", name="Scanner").click()
        page.locator("rc-find-by-name input").fill("trouve")
        page.get_by_role("button", name="Bruno Trouvé").click()
        expect(page.locator("rc-new-contact .person-name")).to_have_text("Bruno Trouvé")
        expect(page.locator(".scan-state")).to_contain_text("Bruno Trouvé")
        assert [c["person"]["name"] for c in backend.contacts(access_token(page))] == ["Bruno Trouvé"]
        page.get_by_role("button", name="English").click()
        page.goto(live_server.base_url + "/")
        page.get_by_role("searchbox", name="Name").fill("bruno")
        expect(page.get_by_role("button", name="Bruno Trouvé")).to_be_visible()
        shoot(page, artifacts, "who-to-meet-10-find-by-name-en", page.locator("rc-find-by-name"))
