"""Invitations from the console, through a real server process and a local SMTP server:
a selection is sent after a preview, the states move to "sent" (or "failed" with the
mail server's reason), everyone not yet invited in one click; a walk-in added at the
door gets their join QR and the print of their badge at once. In English and French."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.console_helpers import (
    ConsoleServer,
    ConsoleTab,
    check_screen,
    running_console_server,
    sign_in,
)
from tests.smtp_server import FakeMailServer, fake_mail_server

pytest_plugins = ["tests.e2e.console_fixtures"]
pytestmark = pytest.mark.e2e

LINK = re.compile(r"https?://\S+/join#[\w.-]+")

WORDS = {
    "en": {
        "locale": "en-GB",
        "send": "Send invitations",
        "everyone": "Invite everyone not yet invited",
        "confirm": "Send",
        "subject": "Your invitation to",
        "sent": "Sent",
        "failed": "Failed",
        "add": "Add an attendee",
        "name": "Name",
        "email": "E-mail",
        "added": "Add",
        "door": "At the door",
        "print": "Print the badge",
        "pick": "Select {name}",
        "reissue": "Re-issue the badge",
        "print_new": "Print the new badge",
        "send_one": "Send the invitation by e-mail",
    },
    "fr": {
        "locale": "fr-FR",
        "send": "Envoyer les invitations",
        "everyone": "Inviter tous ceux qui ne l'ont pas été",
        "confirm": "Envoyer",
        "subject": "Votre invitation à",
        "sent": "Envoyé",
        "failed": "Échec",
        "add": "Ajouter un participant",
        "name": "Nom",
        "email": "Adresse e-mail",
        "added": "Ajouter",
        "door": "À l'accueil",
        "print": "Imprimer le badge",
        "pick": "Sélectionner {name}",
        "reissue": "Réémettre le badge",
        "print_new": "Imprimer le nouveau badge",
        "send_one": "Envoyer l'invitation par e-mail",
    },
}


@pytest.fixture(scope="module")
def mail_server() -> Iterator[FakeMailServer]:
    with fake_mail_server() as server:
        yield server


@pytest.fixture(scope="module")
def console_server(
    console_chromium: Path, mail_server: FakeMailServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ConsoleServer]:
    """The console's server, sending its mail to the test's SMTP server."""
    env = {f"RENCONTRE_{key.upper()}": str(value) for key, value in mail_server.settings().items()}
    with running_console_server(tmp_path_factory.mktemp("invitations-server"), env) as console:
        yield console


def row(page: Any, name: str) -> Any:
    return page.locator("#attendee-table tbody tr").filter(has_text=name)


@pytest.mark.parametrize("lang", ["en", "fr"])
class TestInvitationsFromTheConsole:
    """Both languages: the words the organiser reads are the ones clicked."""

    def test_send_to_a_selection_see_them_sent_or_failed_then_invite_the_rest(
        self,
        lang: str,
        console_tab: Callable[..., ConsoleTab],
        console_server: ConsoleServer,
        console_artifacts: Path,
        mail_server: FakeMailServer,
    ) -> None:
        words = WORDS[lang]
        api = console_server.api()
        event_id = api.create_event(f"Rencontres {lang.upper()}")
        domain = f"{lang}.e2e.example"
        people = ["Ada Lovelace", "Bruno Latour", "Carl Gone", "Dora Later"]
        emails = {name: f"{name.split()[0].lower()}@{domain}" for name in people}
        mail_server.refused.add(emails["Carl Gone"].lower())
        csv = "name,email\n" + "".join(f"{name},{emails[name]}\n" for name in people)
        api.import_csv(event_id, csv.encode())
        tab = console_tab(locale=words["locale"])
        page = tab.page
        sign_in(tab, f"/console/events/{event_id}/attendees", lang)

        for name in people[:3]:
            page.get_by_label(words["pick"].format(name=name), exact=True).check()
        page.get_by_role("button", name=words["send"]).click()
        dialog = page.locator("dialog.dialog--invite[open]")
        expect(dialog).to_be_visible()
        expect(dialog.locator("#invite-preview-subject")).to_contain_text(words["subject"])
        expect(dialog.frame_locator("iframe").locator("a")).to_have_attribute("href", LINK)
        check_screen(page, console_artifacts, f"invitations-preview-{lang}")
        dialog.get_by_role("button", name=words["confirm"], exact=True).click()
        expect(dialog).to_have_count(0)

        expect(row(page, "Ada Lovelace").locator(".chip")).to_have_text(words["sent"], timeout=15_000)
        expect(row(page, "Bruno Latour").locator(".chip")).to_have_text(words["sent"], timeout=15_000)
        expect(row(page, "Carl Gone").locator(".chip")).to_have_text(words["failed"], timeout=15_000)
        expect(row(page, "Carl Gone")).to_contain_text("550 5.1.1 No such user here")
        expect(row(page, "Dora Later").locator(".chip")).not_to_have_text(words["sent"])
        check_screen(page, console_artifacts, f"invitations-sent-{lang}")

        [mail] = mail_server.to(emails["Ada Lovelace"])
        assert str(mail["Subject"]).startswith(words["subject"])
        link = LINK.search(mail.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]
        assert link is not None
        joined = httpx.post(
            f"{console_server.url}/api/auth/join", json={"token": link.group(0).split("#", 1)[1]}
        )
        assert joined.status_code == 200

        page.get_by_role("button", name=words["everyone"]).click()
        dialog = page.locator("dialog.dialog--invite[open]")
        expect(dialog.locator("#invite-preview-subject")).to_contain_text(words["subject"])
        dialog.get_by_role("button", name=words["confirm"], exact=True).click()
        expect(row(page, "Dora Later").locator(".chip")).to_have_text(words["sent"], timeout=15_000)
        assert len(mail_server.to(emails["Dora Later"])) == 1
        assert tab.errors == []

    def test_a_walk_in_gets_their_join_qr_and_badge_at_once(
        self,
        lang: str,
        console_tab: Callable[..., ConsoleTab],
        console_server: ConsoleServer,
        console_artifacts: Path,
        mail_server: FakeMailServer,
    ) -> None:
        words = WORDS[lang]
        api = console_server.api()
        event_id = api.create_event(f"Accueil {lang.upper()}")
        tab = console_tab(locale=words["locale"])
        page = tab.page
        sign_in(tab, f"/console/events/{event_id}/attendees", lang)
        page.get_by_role("button", name=words["add"]).first.click()
        panel = page.locator("dialog.dialog--panel[open]")
        panel.get_by_label(words["name"]).fill("Walk In")
        panel.get_by_label(words["email"]).fill(f"walk.in@{lang}.door.example")
        panel.get_by_role("button", name=words["added"], exact=True).click()
        door = panel.locator("section.walk-in")
        expect(door).to_contain_text(words["door"])
        expect(door.locator(".join-link__qr svg")).to_be_visible()
        check_screen(page, console_artifacts, f"walk-in-{lang}")
        with page.expect_popup() as popup:
            door.get_by_role("button", name=words["print"]).click()
        expect(popup.value).to_have_url(re.compile(r"^blob:"))
        popup.value.close()

        # A re-issued badge offers its print at once.
        panel.get_by_role("button", name=words["reissue"]).click()
        page.locator("dialog.dialog--small[open]").get_by_role("button", name=words["reissue"]).click()
        print_new = panel.get_by_role("button", name=words["print_new"])
        expect(print_new).to_be_focused()
        with page.expect_popup() as reprint:
            print_new.click()
        expect(reprint.value).to_have_url(re.compile(r"^blob:"))
        reprint.value.close()

        # And their invitation by e-mail, from the panel.
        panel.get_by_role("button", name=words["send_one"]).click()
        dialog = page.locator("dialog.dialog--invite[open]")
        expect(dialog.locator("#invite-preview-subject")).to_contain_text(words["subject"])
        dialog.get_by_role("button", name=words["confirm"], exact=True).click()
        expect(dialog).to_have_count(0)
        expect(panel).to_be_visible()
        expect(row(page, "Walk In").locator(".chip")).to_have_text(words["sent"], timeout=15_000)
        expect(panel.locator(".chip")).to_have_text(words["sent"])
        assert len(mail_server.to(f"walk.in@{lang}.door.example")) == 1
        check_screen(page, console_artifacts, f"walk-in-invited-{lang}")
        assert tab.errors == []
