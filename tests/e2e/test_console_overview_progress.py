"""The overview's checklist ticks the invitations once every attendee has their link, and
the badges once everyone's badges were downloaded, not only the import."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.console_helpers import ConsoleServer, ConsoleTab, check_screen, sign_in

pytest_plugins = ["tests.e2e.console_fixtures"]
pytestmark = pytest.mark.e2e


class TestOverviewChecklist:
    def test_the_invitations_step_is_done_when_every_attendee_has_their_link(
        self,
        console_tab: Callable[..., ConsoleTab],
        console_server: ConsoleServer,
        console_artifacts: Path,
    ) -> None:
        api = console_server.api()
        event_id = api.create_event("Matinale Réseau")
        api.import_csv(event_id, b"name,email\nAnne Petit,anne@e2e.example\nBen Roy,ben@e2e.example\n")
        anne, ben = sorted(api.attendees(event_id), key=lambda p: p.name)

        tab = console_tab()
        page = tab.page
        sign_in(tab, f"/console/events/{event_id}")
        step = page.locator(".step-card").filter(has_text="Send the join links")
        expect(step.locator("[data-progress=invites]")).to_have_text("0 of 2 attendees have their link.")
        expect(step.get_by_text("Done")).to_have_count(0)
        import_step = page.locator(".step-card").filter(has_text="Import")
        expect(import_step.get_by_text("Done")).to_be_visible()

        api.join(event_id, anne)  # her link fetched, then used
        page.reload()
        expect(step.locator("[data-progress=invites]")).to_have_text("1 of 2 attendees has their link.")
        expect(step.get_by_text("Done")).to_have_count(0)

        # Showing a link hands nothing out; the CSV for a mail-merge does.
        api.get(f"/api/events/{event_id}/attendees/{ben.id}/invite")
        page.reload()
        expect(step.locator("[data-progress=invites]")).to_have_text("1 of 2 attendees has their link.")
        response = api.http.get(f"/api/events/{event_id}/invites.csv", headers=api.headers)
        assert response.status_code == 200
        page.reload()
        expect(step.locator("[data-progress=invites]")).to_have_text("2 of 2 attendees have their link.")
        expect(step.get_by_text("Done")).to_be_visible()
        check_screen(page, console_artifacts, "overview-invites-done")

        page.get_by_role("button", name="Français").click()
        step_fr = page.locator(".step-card").filter(has_text="Envoyer les liens d'accès")
        expect(step_fr.locator("[data-progress=invites]")).to_have_text("2 participants sur 2 ont leur lien.")
        expect(step_fr.get_by_text("Fait")).to_be_visible()
        check_screen(page, console_artifacts, "overview-invites-done-fr")
        page.get_by_role("button", name="English").click()
        assert not tab.errors, tab.errors


class TestOverviewBadgesStep:
    def test_the_badges_step_is_done_once_everyones_badges_were_downloaded(
        self,
        console_tab: Callable[..., ConsoleTab],
        console_server: ConsoleServer,
        console_artifacts: Path,
    ) -> None:
        api = console_server.api()
        event_id = api.create_event("Matinale Badges")
        api.import_csv(event_id, b"name,email\nAnne Petit,anne@e2e.example\nBen Roy,ben@e2e.example\n")

        tab = console_tab()
        page = tab.page
        sign_in(tab, f"/console/events/{event_id}")
        step = page.locator(".step-card").filter(has_text="Print the badges")
        expect(page.locator(".step-card").filter(has_text="Import").get_by_text("Done")).to_be_visible()
        expect(step.get_by_text("Done")).to_have_count(0)
        expect(step.locator("[data-progress=badges]")).to_have_count(0)

        sheet = api.http.get(f"/api/events/{event_id}/badges.pdf", headers=api.headers)
        assert sheet.status_code == 200
        api.import_csv(event_id, b"name,email\nChloe Martin,chloe@e2e.example\n")
        page.reload()
        expect(step.get_by_text("Done")).to_be_visible()
        expect(step.locator("[data-progress=badges]")).to_have_text(
            re.compile(r"^Printed on .+ at .+ — 2 badges\.$")
        )
        expect(step.locator("[data-progress=reprint]")).to_have_text(
            "1 badge to print since: a newcomer or a re-issued badge."
        )
        check_screen(page, console_artifacts, "overview-badges-printed")

        page.get_by_role("button", name="Français").click()
        step_fr = page.locator(".step-card").filter(has_text="Imprimer les badges")
        expect(step_fr.get_by_text("Fait")).to_be_visible()
        expect(step_fr.locator("[data-progress=badges]")).to_have_text(
            re.compile(r"^Imprimés le \d{1,2} \S+ à \d{2}:\d{2} — 2 badges\.$")
        )
        expect(step_fr.locator("[data-progress=reprint]")).to_have_text(
            "1 badge à imprimer depuis : un nouveau participant ou un badge réédité."
        )
        check_screen(page, console_artifacts, "overview-badges-printed-fr")
        page.get_by_role("button", name="English").click()
        assert not tab.errors, tab.errors
