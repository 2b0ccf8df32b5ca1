"""Two phones at 360 × 740: Alex proposes a coffee to Bruno (they scanned each other),
Bruno sees the proposal in his contacts and accepts it, both see the agreed step and
download its calendar file. Alex reads French, Bruno English; neither sees the other's note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e.pwa import access_token, run_axe, serve_axe
from tests.e2e.server import Backend, Person
from tests.e2e.tour import ready

ALEX_NOTE = "Note privée d'Alex : budget serré"
BRUNO_NOTE = "Bruno's private note: call back about hiring"


def _signed_in(phone: Any, base_url: str, person: Person, lang: str) -> tuple[Any, str]:
    context = phone()
    serve_axe(context)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(person.join_link)
    page.wait_for_url("**/profile?welcome", timeout=20_000)
    page.evaluate("(lang) => localStorage.setItem('rencontre.lang', lang)", lang)
    return page, access_token(page)


@dataclass
class Phone:
    page: Any
    token: str
    contact_id: str  # this phone's contact of the other person


def _two_phones(
    phone: Any,
    backend: Backend,
    first: tuple[str, str, str],
    second: tuple[str, str, str],
    notes: tuple[str, str] = ("", ""),
) -> tuple[Phone, Phone]:
    """Two people (name, company, job) on their phones, French then English, who scanned each other."""
    event = backend.create_event("Rencontres de Lyon")
    people = [backend.add_attendee(event, *who) for who in (first, second)]
    signed = [
        _signed_in(phone, backend.base_url, person, lang)
        for person, lang in zip(people, ("fr", "en"), strict=True)
    ]
    badges = [
        backend.http.get("/api/me/badge", headers=backend.auth(token)).json()["url"] for _, token in signed
    ]
    contacts = [backend.scan(signed[i][1], badges[1 - i], note=notes[i])["contact_id"] for i in (0, 1)]
    return Phone(signed[0][0], signed[0][1], contacts[0]), Phone(signed[1][0], signed[1][1], contacts[1])


def _open(page: Any, url: str, selector: str) -> None:
    page.goto(url)
    ready(page, selector)


def _download_ics(page: Any, label: str, artifacts: Path, name: str) -> Any:
    with page.expect_download() as download_info:
        page.get_by_role("button", name=label).click()
    path = artifacts / name
    download_info.value.save_as(path)
    events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert len(events) == 1
    return events[0]


class TestACoffeeProposedByOnePhoneIsAcceptedByTheOther:
    def test_propose_accept_and_both_take_it_to_their_calendar(
        self, phone: Any, backend: Backend, artifacts: Path
    ) -> None:
        base = backend.base_url
        alex, bruno = _two_phones(
            phone,
            backend,
            ("Alex Martin", "Atelier", "Designer"),
            ("Bruno Keller", "Keller & Co", "CTO"),
            notes=(ALEX_NOTE, BRUNO_NOTE),
        )
        page_a, contact_a, page_b = alex.page, alex.contact_id, bruno.page

        # Alex proposes a coffee, tomorrow at 10:00 event time (the form's default), at a café.
        _open(page_a, f"{base}/contacts/{contact_a}", "rc-next-step .button.propose")
        page_a.get_by_role("button", name="Proposer une suite").click()
        page_a.get_by_label("Lieu (facultatif)").fill("Café du Commerce, Lyon")
        page_a.get_by_label("Quelques mots (facultatif)").fill("On reparle du partenariat ?")
        page_a.wait_for_timeout(250)
        page_a.screenshot(path=str(artifacts / "next-step-propose-fr.png"), scale="css", full_page=True)
        assert run_axe(page_a) == []
        page_a.get_by_role("button", name="Envoyer la proposition").click()
        expect(page_a.locator(".next-step-head")).to_have_text(
            "En attente de la réponse de Bruno Keller à votre proposition\u00a0:"
        )
        page_a.wait_for_timeout(250)
        page_a.screenshot(path=str(artifacts / "next-step-waiting-fr.png"), scale="css", full_page=True)

        # Bruno learns of it on his contacts page: the list of proposals and a badge on the contact.
        _open(page_b, f"{base}/contacts", "rc-contact-row")
        inbox = page_b.locator("rc-next-step-inbox")
        expect(inbox.get_by_role("heading")).to_have_text("1 proposal waiting for your answer")
        expect(page_b.locator("rc-contact-row .badge.proposal")).to_have_text("To answer")
        page_b.wait_for_timeout(250)
        page_b.screenshot(path=str(artifacts / "next-step-inbox-en.png"), scale="css", full_page=True)
        assert run_axe(page_b) == []
        inbox.get_by_role("link").click()
        ready(page_b, "rc-next-step .next-step-state.awaiting")
        expect(page_b.locator(".next-step-head")).to_have_text("Alex Martin proposes:")
        expect(page_b.locator(".next-step-place")).to_have_text("At Café du Commerce, Lyon")
        expect(page_b.locator(".next-step-time")).to_contain_text("10:00")
        page_b.wait_for_timeout(250)
        page_b.screenshot(path=str(artifacts / "next-step-answer-en.png"), scale="css", full_page=True)
        assert run_axe(page_b) == []

        page_b.get_by_role("button", name="Accept", exact=True).click()
        expect(page_b.locator(".next-step-head")).to_have_text("✓ Agreed with Alex Martin")
        # Agreeing is following up: the contact's switch shows it at once.
        expect(page_b.get_by_role("radio", name="Done")).to_be_checked()
        page_b.wait_for_timeout(250)
        page_b.screenshot(path=str(artifacts / "next-step-agreed-en.png"), scale="css", full_page=True)
        bruno_event = _download_ics(page_b, "Add to my calendar (.ics)", artifacts, "next-step-bruno.ics")
        assert str(bruno_event["SUMMARY"]) == "Coffee with Alex Martin"
        assert str(bruno_event["LOCATION"]) == "Café du Commerce, Lyon"
        assert str(bruno_event["STATUS"]) == "CONFIRMED"
        assert bruno_event["DTSTART"].dt.utcoffset().total_seconds() == 0

        # Alex sees it agreed too, and takes it to his calendar, in French.
        _open(page_a, f"{base}/contacts/{contact_a}", "rc-next-step .next-step-state.agreed")
        expect(page_a.locator(".next-step-head")).to_have_text("✓ Convenu avec Bruno Keller")
        expect(page_a.get_by_role("radio", name="Faite")).to_be_checked()
        page_a.wait_for_timeout(250)
        page_a.screenshot(path=str(artifacts / "next-step-agreed-fr.png"), scale="css", full_page=True)
        alex_event = _download_ics(page_a, "Ajouter à mon agenda (.ics)", artifacts, "next-step-alex.ics")
        assert str(alex_event["SUMMARY"]) == "Café avec Bruno Keller"
        assert str(alex_event["UID"]) == str(bruno_event["UID"])
        assert alex_event["DTSTART"].dt == bruno_event["DTSTART"].dt

        # Neither phone ever showed the other's private note.
        assert BRUNO_NOTE not in page_a.content()
        assert ALEX_NOTE not in page_b.content()

    def test_offline_the_panel_says_it_needs_the_network(
        self, phone: Any, backend: Backend, artifacts: Path
    ) -> None:
        base = backend.base_url
        event = backend.create_event("Rencontres de Lyon")
        chloe = backend.add_attendee(event, "Chloé Durand", "Studio", "Photographe")
        david = backend.join(backend.add_attendee(event, "David Roux", "Roux SA", "CEO"))
        page, token = _signed_in(phone, base, chloe, "en")
        chloe_badge = backend.http.get("/api/me/badge", headers=backend.auth(token)).json()["url"]
        contact = backend.scan(token, david.badge_url)["contact_id"]
        backend.scan(david.token, chloe_badge)
        _open(page, f"{base}/contacts/{contact}", "rc-next-step .button.propose")
        page.context.set_offline(True)
        try:
            expect(page.locator("rc-next-step .notice.pending")).to_have_text(
                "Offline: proposing or answering a next step needs the network. Connect to go on."
            )
            expect(page.get_by_role("button", name="Propose a next step")).to_be_disabled()
            page.wait_for_timeout(250)
            page.screenshot(path=str(artifacts / "next-step-offline-en.png"), scale="css", full_page=True)
            page.evaluate("() => localStorage.setItem('rencontre.lang', 'fr')")
        finally:
            page.context.set_offline(False)
        _open(page, f"{base}/contacts/{contact}", "rc-next-step .button.propose")
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / "next-step-intro-fr.png"), scale="css", full_page=True)


class TestAnotherTimeIsProposedThenDeclined:
    def test_counter_proposal_swaps_the_roles_and_keeps_the_history(
        self, phone: Any, backend: Backend, artifacts: Path
    ) -> None:
        base = backend.base_url
        emma, farid = _two_phones(
            phone, backend, ("Emma Petit", "Octo", "Architecte"), ("Farid Haddad", "Kiosk", "Founder")
        )
        page_e, token_e, contact_e = emma.page, emma.token, emma.contact_id
        page_f, contact_f = farid.page, farid.contact_id
        proposed = backend.http.post(
            f"/api/contacts/{contact_e}/next-step",
            headers=backend.auth(token_e),
            json={
                "kind": "coffee",
                "starts_at": (datetime.now(UTC) + timedelta(days=2)).isoformat(),
                "place": "Hall B",
            },
        )
        assert proposed.status_code == 201, proposed.text

        # Farid would rather have a call: another time, another kind, a link.
        _open(page_f, f"{base}/contacts/{contact_f}", "rc-next-step .next-step-state.awaiting")
        page_f.get_by_role("button", name="Propose another time").click()
        page_f.get_by_role("radio", name="Call", exact=True).check()
        page_f.get_by_label("Time").fill("15:30")
        page_f.get_by_label("Video-call link (optional)").fill("https://meet.example.org/kiosk")
        page_f.wait_for_timeout(250)
        page_f.screenshot(path=str(artifacts / "next-step-counter-en.png"), scale="css", full_page=True)
        assert run_axe(page_f) == []
        page_f.get_by_role("button", name="Send my proposal").click()
        expect(page_f.locator(".next-step-head")).to_have_text(
            "Waiting for Emma Petit's answer to your proposal:"
        )
        expect(page_f.locator(".next-step-history summary")).to_have_text("Earlier proposals (1)")

        # Emma now answers Farid's proposal; the first one stays in the history.
        _open(page_e, f"{base}/contacts/{contact_e}", "rc-next-step .next-step-state.awaiting")
        expect(page_e.locator(".next-step-state .next-step-what").first).to_contain_text("Appel")
        expect(page_e.locator(".next-step-state .next-step-time").first).to_contain_text("15:30")
        expect(page_e.get_by_role("link", name="https://meet.example.org/kiosk")).to_be_visible()
        page_e.locator(".next-step-history summary").click()
        expect(page_e.locator(".next-step-history")).to_contain_text("Vous avez proposé")
        expect(page_e.locator(".next-step-history")).to_contain_text("À Hall B")
        page_e.wait_for_timeout(250)
        page_e.screenshot(path=str(artifacts / "next-step-history-fr.png"), scale="css", full_page=True)
        assert run_axe(page_e) == []
        page_e.get_by_role("button", name="Décliner").click()
        expect(page_e.locator(".next-step-head")).to_have_text(
            "Vous avez décliné la proposition de Farid Haddad."
        )
        expect(page_e.get_by_role("button", name="Proposer une autre suite")).to_be_visible()
        page_e.wait_for_timeout(250)
        page_e.screenshot(path=str(artifacts / "next-step-declined-fr.png"), scale="css", full_page=True)
