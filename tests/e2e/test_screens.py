"""Every screen of the attendee PWA, as a person meets it on a 360 × 740 phone:
axe-core finds no serious or critical violation, and a screenshot of each is
kept under tests/e2e/artifacts/ to be looked at."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.camera import write_y4m
from tests.e2e.conftest import launch_phone
from tests.e2e.pwa import access_token, csp_violations, run_axe, serve_axe, wait_for_service_worker
from tests.e2e.server import Backend, LiveServer, Person

HOSTILE_NAME = "<img src=x onerror=alert(1)>"

PEOPLE = [
    ("Amélie Nguyen", "Qonto", "Product Manager"),
    ("James O'Connor", "Stripe", "Solutions Architect"),
    (HOSTILE_NAME, "Test & Co", "Pentester"),
    ("Inès Benali", "Station F", "Program Manager"),
]


@dataclass
class Tour:
    base_url: str
    context: Any
    page: Any
    token: str
    people: list[Person]
    contact_ids: dict[str, str]
    playwright: Any
    chromium: Path
    root: Path
    dialogs: list[str] = field(default_factory=list)
    stranger_context: Any = None

    def stranger(self) -> Any:
        """A phone on which nobody has signed in."""
        if self.stranger_context is None:
            self.stranger_context = launch_phone(self.playwright, self.chromium, self.root / "stranger")
            serve_axe(self.stranger_context)
        return (
            self.stranger_context.pages[0]
            if self.stranger_context.pages
            else self.stranger_context.new_page()
        )


@pytest.fixture(scope="module")
def tour(
    playwright_instance: Any,
    chromium_path: Path,
    backend: Backend,
    live_server: LiveServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Tour]:
    root = tmp_path_factory.mktemp("tour")
    event = backend.create_event("Rencontres numériques de Nantes")
    zoe = backend.add_attendee(event, "Zoé Lefèvre", "Atelier Lumière", "Directrice artistique")
    people = [backend.join(backend.add_attendee(event, *person)) for person in PEOPLE]

    context = launch_phone(
        playwright_instance,
        chromium_path,
        root / "zoe",
        camera=write_y4m(root / "amelie.y4m", people[0].badge_url),
    )
    serve_axe(context)
    page = context.new_page()
    tour = Tour(live_server.base_url, context, page, "", people, {}, playwright_instance, chromium_path, root)
    page.on("dialog", lambda dialog: (tour.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(zoe.join_link)
    page.wait_for_url("**/profile?welcome")
    assert wait_for_service_worker(page)
    tour.token = access_token(page)
    backend.http.patch(
        "/api/me",
        headers=backend.auth(tour.token),
        json={
            "pitch": "Je raconte l'histoire des marques en images. Je cherche des studios partenaires.",
            "objective": "partnership",
            "interests": ["photographie", "design", "culture"],
            "shared_fields": ["email", "website"],
            "website": "https://atelier-lumiere.example",
        },
    ).raise_for_status()

    notes = {
        "James O'Connor": ("Paiements pour associations — envoyer le deck 📎", ["follow_up", "partner"]),
        HOSTILE_NAME: ("<script>alert('note')</script> très bon échange", ["hot_lead"]),
        "Inès Benali": ("Programme d'incubation : candidater avant mars 🚀", ["follow_up"]),
    }
    for person in people[1:]:
        note, tags = notes[person.name]
        result = backend.scan(tour.token, person.badge_url, note=note, tags=tags)
        tour.contact_ids[person.name] = result["contact_id"]
    # Inès scanned Zoé too: a mutual connection.
    zoe_badge = backend.http.get("/api/me/badge", headers=backend.auth(tour.token)).json()["url"]
    backend.scan(people[3].token, zoe_badge)
    yield tour
    context.close()
    if tour.stranger_context is not None:
        tour.stranger_context.close()


def ready(page: Any, selector: str) -> None:
    expect(page.locator(selector).first).to_be_visible(timeout=15_000)
    page.wait_for_timeout(250)  # let the last frame paint


def welcome(tour: Tour) -> Any:
    page = tour.stranger()
    page.goto(tour.base_url + "/")
    ready(page, "page-welcome h1")
    return page


def badge_link_signed_out(tour: Tour) -> Any:
    page = tour.stranger()
    page.goto(tour.people[1].badge_url)
    ready(page, "page-welcome h1")
    expect(page.locator("page-welcome h1")).to_have_text("Connectez-vous avec votre lien personnel")
    return page


def on_main_page(path: str, selector: str, lang: str = "fr") -> Callable[[Tour], Any]:
    def open_screen(tour: Tour) -> Any:
        page = tour.page
        page.evaluate("(lang) => localStorage.setItem('rencontre.lang', lang)", lang)
        page.goto(tour.base_url + path.format_map(tour.contact_ids))
        ready(page, selector)
        return page

    return open_screen


def profile_preview(tour: Tour) -> Any:
    page = on_main_page("/profile", ".preview rc-person-card")(tour)
    page.locator(".preview").scroll_into_view_if_needed()
    page.wait_for_timeout(250)
    return page


def scanned_card(tour: Tour) -> Any:
    page = on_main_page("/", "page-scan .scan-button")(tour)
    page.get_by_role("button", name="Scanner un badge").click()
    expect(page.locator("rc-new-contact .person-name")).to_have_text("Amélie Nguyen", timeout=15_000)
    page.keyboard.type("Fintech pour indépendants, on se revoit au salon ☕")
    page.get_by_role("button", name="Partenaire").click()
    page.locator(".rating-option input").nth(3).check()
    page.wait_for_timeout(250)
    return page


def hostile_badge_link(tour: Tour) -> Any:
    person = next(p for p in tour.people if p.name == HOSTILE_NAME)
    page = on_main_page("/", "page-scan .scan-button")(tour)
    page.goto(person.badge_url)
    ready(page, "rc-new-contact .person-name")
    return page


def contact_page(tour: Tour) -> Any:
    return on_main_page(f"/contacts/{tour.contact_ids['Inès Benali']}", "page-contact .person-name")(tour)


SCREENS: list[tuple[str, Callable[[Tour], Any]]] = [
    ("01-welcome", welcome),
    ("02-profile", on_main_page("/profile?welcome", "page-profile h1")),
    ("03-profile-preview", profile_preview),
    ("04-scan", on_main_page("/", "page-scan .scan-button")),
    ("05-scanned-card", scanned_card),
    ("06-badge-link", hostile_badge_link),
    ("07-contacts", on_main_page("/contacts", "rc-contact-row")),
    ("08-contact", contact_page),
    ("09-my-badge", on_main_page("/me", "rc-qr-code svg")),
    ("10-badge-link-signed-out", badge_link_signed_out),
    ("12-scan-en", on_main_page("/", "page-scan .scan-button", lang="en")),
    ("13-contacts-en", on_main_page("/contacts", "rc-contact-row", lang="en")),
    ("14-contact-en", on_main_page("/contacts/{James O'Connor}", "page-contact .person-name", lang="en")),
]


@pytest.mark.parametrize(("name", "open_screen"), SCREENS, ids=[name for name, _ in SCREENS])
class TestScreens:
    def test_no_serious_or_critical_accessibility_violation(
        self, tour: Tour, name: str, open_screen: Callable[[Tour], Any]
    ) -> None:
        page = open_screen(tour)
        violations = run_axe(page)
        assert violations == [], f"{name}: {violations}"
        assert csp_violations(page) == []

    def test_screenshot_at_360_by_740(
        self, tour: Tour, name: str, open_screen: Callable[[Tour], Any], artifacts: Path
    ) -> None:
        page = open_screen(tour)
        assert page.viewport_size == {"width": 360, "height": 740}
        path = artifacts / f"{name}.png"
        page.screenshot(path=str(path), scale="css")
        assert path.stat().st_size > 5_000


def test_attendee_text_is_shown_as_text_never_run(tour: Tour) -> None:
    page = hostile_badge_link(tour)
    expect(page.locator("rc-new-contact .person-name")).to_have_text(HOSTILE_NAME)
    page.goto(tour.base_url + "/contacts")
    expect(page.locator("rc-contact-row", has_text=HOSTILE_NAME)).to_contain_text(
        "<script>alert('note')</script>"
    )
    assert page.locator("main img[src='x'], main script").count() == 0
    assert tour.dialogs == []


class TestCameraRefused:
    def test_the_reason_is_shown_with_the_manual_entry(
        self,
        phone: Callable[..., Any],
        backend: Backend,
        live_server: LiveServer,
        tmp_path: Path,
        artifacts: Path,
    ) -> None:
        event = backend.create_event("Caméra refusée")
        zoe = backend.add_attendee(event, "Zoé Sans Caméra", "Atelier", "Designer")
        other = backend.join(backend.add_attendee(event, "Amélie Nguyen", "Qonto", "Product Manager"))
        context = phone(camera=write_y4m(tmp_path / "cam.y4m", other.badge_url), grant_camera=False)
        serve_axe(context)
        page = context.new_page()
        page.goto(zoe.join_link)
        page.wait_for_url("**/profile?welcome")
        page.goto(live_server.base_url + "/")
        page.get_by_role("button", name="Scanner un badge").click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("L'accès à la caméra a été refusé")
        expect(page.get_by_label("Saisir un code de badge")).to_be_focused()
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / "11-camera-refused.png"), scale="css")
        assert run_axe(page) == []

        # The typed badge link is the way in.
        page.get_by_label("Saisir un code de badge").fill(other.badge_url)
        page.get_by_role("button", name="Chercher").click()
        expect(page.locator("rc-new-contact .person-name")).to_have_text("Amélie Nguyen")
        assert csp_violations(page) == []


class TestContactsAfterTheEvent:
    def test_a_contact_is_edited_and_marked_followed_up(self, tour: Tour, backend: Backend) -> None:
        contact_id = tour.contact_ids["James O'Connor"]
        page = on_main_page(f"/contacts/{contact_id}", "page-contact .person-name")(tour)
        note = page.get_by_label("Note privée")
        note.fill("Deck envoyé ✅ — rappeler en janvier")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("status").filter(has_text="Modifications enregistrées")).to_be_visible()
        with page.expect_response(
            lambda r: r.request.method == "PATCH" and "/api/contacts/" in r.url
        ) as patched:
            page.get_by_role("radio", name="Faite").check()
        assert patched.value.ok
        expect(page.locator(".countdown")).to_have_text("Relancé")
        stored = backend.http.get(f"/api/contacts/{contact_id}", headers=backend.auth(tour.token)).json()
        assert stored["note"] == "Deck envoyé ✅ — rappeler en janvier"
        assert stored["follow_up"] == "done"

    def test_an_edit_made_while_meeting_again_keeps_both_notes(
        self, tour: Tour, backend: Backend, artifacts: Path
    ) -> None:
        contact_id = tour.contact_ids["James O'Connor"]
        path = f"/api/contacts/{contact_id}"
        page = on_main_page(f"/contacts/{contact_id}", "page-contact .person-name")(tour)
        opened = backend.http.get(path, headers=backend.auth(tour.token)).json()
        note = page.get_by_label("Note privée")
        expect(note).to_have_value(opened["note"])

        # Zoé meets James again (her other phone): the scan appends to the note.
        james = next(p for p in tour.people if p.name == "James O'Connor")
        backend.scan(tour.token, james.badge_url, note="Revu au stand Stripe")
        draft = opened["note"] + " — devis demandé"
        note.fill(draft)
        with page.expect_response(lambda r: r.request.method == "PATCH" and path in r.url) as refused:
            page.get_by_role("button", name="Enregistrer").click()
        assert refused.value.status == 412
        assert refused.value.request.headers["if-match"] == f'"{opened["version"]}"'

        # Nothing lost: the draft stays in the field, the current note is shown with what was added.
        expect(page.get_by_role("alert")).to_contain_text("Ce contact a changé depuis que vous l'avez ouvert")
        expect(note).to_have_value(draft)
        expect(page.locator(".current-note mark")).to_contain_text("Revu au stand Stripe")
        page.wait_for_timeout(250)
        page.screenshot(path=str(artifacts / "15-contact-changed.png"), scale="css")
        assert run_axe(page) == []

        with page.expect_response(lambda r: r.request.method == "PATCH" and path in r.url) as saved:
            page.get_by_role("button", name="Ajouter la nouvelle note à mon texte et enregistrer").click()
        assert saved.value.status == 200
        expect(page.get_by_role("status").filter(has_text="Modifications enregistrées")).to_be_visible()
        stored = backend.http.get(path, headers=backend.auth(tour.token)).json()
        assert stored["note"].startswith(draft + "\n\n[")
        assert stored["note"].endswith("] Revu au stand Stripe")
        assert stored["follow_up"] == "done"
        expect(note).to_have_value(stored["note"])

    def test_search_and_filters_narrow_the_list(self, tour: Tour) -> None:
        page = on_main_page("/contacts", "rc-contact-row")(tour)
        rows = page.locator("rc-contact-row")
        expect(rows).to_have_count(3)
        page.get_by_placeholder("Chercher par nom, entreprise, note ou étiquette").fill("incubation")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("Inès Benali")
        page.get_by_placeholder("Chercher par nom, entreprise, note ou étiquette").fill("")
        page.get_by_role("checkbox", name="Mutuels seulement").check()
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("Mutuel")

    def test_exports_download_with_the_access_token(self, tour: Tour) -> None:
        page = on_main_page("/contacts", "rc-contact-row")(tour)
        page.get_by_text("Exporter").click()
        with page.expect_download() as csv_download:
            page.get_by_role("button", name="CSV (tableur)").click()
        csv_text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
        assert "Inès Benali" in csv_text
        with page.expect_download() as vcf_download:
            page.get_by_role("button", name="vCard (contacts du téléphone)").click()
        assert "BEGIN:VCARD" in Path(vcf_download.value.path()).read_text(encoding="utf-8")

    def test_the_language_switch_and_the_event_time_zone(self, tour: Tour) -> None:
        page = on_main_page("/contacts", "rc-contact-row")(tour)
        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("My contacts")
        # The phone is in Paris; the times shown are the event's (Europe/Paris) either way.
        met = page.locator("rc-contact-row .contact-meta span").first.inner_text()
        assert re.fullmatch(r"\d{1,2}:\d{2}( [AP]M)?", met), met
        page.get_by_role("button", name="Français").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mes contacts")


@dataclass
class OpenContact:
    page: Any
    path: str
    before: dict[str, Any]


def open_contact(tour: Tour, backend: Backend, name: str) -> OpenContact:
    """The contact's page, and the contact as the server has it then."""
    contact_id = tour.contact_ids[name]
    path = f"/api/contacts/{contact_id}"
    page = on_main_page(f"/contacts/{contact_id}", "page-contact .person-name")(tour)
    return OpenContact(page, path, backend.http.get(path, headers=backend.auth(tour.token)).json())


def stored(tour: Tour, backend: Backend, path: str) -> dict[str, Any]:
    contact: dict[str, Any] = backend.http.get(path, headers=backend.auth(tour.token)).json()
    return contact


def expect_kept_on_the_phone(page: Any) -> None:
    expect(page.get_by_role("status").filter(has_text="Enregistré sur ce téléphone")).to_be_visible()


def save_note_offline(page: Any, draft: str) -> None:
    """Save the note with the network cut, then go back to the list."""
    page.get_by_label("Note privée").fill(draft)
    page.get_by_role("button", name="Enregistrer").click()
    expect_kept_on_the_phone(page)
    page.get_by_role("link", name="Tous les contacts").click()


class TestContactEditsWithoutNetwork:
    """An edit made offline waits on the phone with the version it was made on; back online,
    it is saved, moved onto what meeting again added, or left for the user to settle."""

    def test_an_edit_made_offline_is_saved_when_the_network_returns(
        self, tour: Tour, backend: Backend, artifacts: Path
    ) -> None:
        opened = open_contact(tour, backend, "Inès Benali")
        page, before = opened.page, opened.before
        draft = before["note"] + " — rappeler lundi"
        tour.context.set_offline(True)
        try:
            save_note_offline(page, draft)
            row = page.locator("rc-contact-row", has_text="Inès Benali")
            expect(row.locator(".badge.pending")).to_have_text("Modification non envoyée")
            expect(row.locator(".contact-note")).to_have_text(draft)
            page.wait_for_timeout(250)
            page.screenshot(path=str(artifacts / "16-contacts-edit-waiting.png"), scale="css")
            assert run_axe(page) == []
            assert stored(tour, backend, opened.path)["note"] == before["note"]
        finally:
            tour.context.set_offline(False)
        expect(row.locator(".badge.pending")).to_have_count(0, timeout=15_000)
        saved = stored(tour, backend, opened.path)
        assert saved["note"] == draft
        assert saved["version"] != before["version"]

    def test_an_offline_follow_up_is_moved_onto_a_note_added_meanwhile(
        self, tour: Tour, backend: Backend
    ) -> None:
        opened = open_contact(tour, backend, "Inès Benali")
        wanted = "todo" if opened.before["follow_up"] == "done" else "done"
        tour.context.set_offline(True)
        try:
            opened.page.get_by_role("radio", name="Faite" if wanted == "done" else "À faire").check()
            expect_kept_on_the_phone(opened.page)
            # Meanwhile Zoé meets Inès again from another phone: the note grows.
            ines = next(p for p in tour.people if p.name == "Inès Benali")
            backend.scan(tour.token, ines.badge_url, note="Revue au café")
        finally:
            tour.context.set_offline(False)
        for _ in range(60):
            saved = stored(tour, backend, opened.path)
            if saved["follow_up"] == wanted:
                break
            opened.page.wait_for_timeout(250)
        assert saved["follow_up"] == wanted
        assert saved["note"].startswith(opened.before["note"])
        assert saved["note"].endswith("Revue au café")

    def test_an_offline_note_that_meets_a_new_note_waits_for_the_user(
        self, tour: Tour, backend: Backend
    ) -> None:
        opened = open_contact(tour, backend, "James O'Connor")
        page = opened.page
        draft = opened.before["note"] + " — démo prévue"
        tour.context.set_offline(True)
        try:
            save_note_offline(page, draft)
            james = next(p for p in tour.people if p.name == "James O'Connor")
            backend.scan(tour.token, james.badge_url, note="Vu au dîner")
        finally:
            tour.context.set_offline(False)
        row = page.locator("rc-contact-row", has_text="James O'Connor")
        expect(row.locator(".badge.pending")).to_have_text("Modification à vérifier", timeout=15_000)
        assert stored(tour, backend, opened.path)["note"].endswith("Vu au dîner")

        row.click()
        expect(page.locator(".current-note mark")).to_contain_text("Vu au dîner")
        expect(page.get_by_label("Note privée")).to_have_value(draft)
        page.get_by_role("button", name="Ajouter la nouvelle note à mon texte et enregistrer").click()
        expect(page.get_by_role("status").filter(has_text="Modifications enregistrées")).to_be_visible()
        saved = stored(tour, backend, opened.path)
        assert saved["note"].startswith(draft + "\n\n[")
        assert saved["note"].endswith("] Vu au dîner")
        page.get_by_role("link", name="Tous les contacts").click()
        expect(row.locator(".badge.pending")).to_have_count(0)


class TestSignInFromTheInstalledApp:
    def test_the_personal_link_pasted_on_the_welcome_screen_signs_in(
        self, phone: Callable[..., Any], backend: Backend, live_server: LiveServer
    ) -> None:
        event = backend.create_event("Application installée")
        zoe = backend.add_attendee(event, "Zoé Installée", "Atelier", "Designer")
        page = phone().new_page()
        page.goto(live_server.base_url + "/")
        field = page.get_by_label("Vous avez installé l'application")
        field.fill("https://example.org/not-a-link")
        page.get_by_role("button", name="Me connecter").click()
        expect(page.get_by_role("alert")).to_contain_text("/join#")
        field.fill(zoe.join_link)
        page.get_by_role("button", name="Me connecter").click()
        page.wait_for_url("**/profile?welcome")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Zoé Installée")
