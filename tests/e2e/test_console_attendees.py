"""Managing attendees from the console: search and paging, the join link as text and
QR, re-issuing a badge or an attendee's access, editing, adding, removing, the
mail-merge CSV of every join link, and badges printed for a selection."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.console_helpers import (
    ConsoleServer,
    ConsoleTab,
    check_screen,
    csp_violations,
    sign_in,
)

# The console's fixtures (all named console_*), beside the PWA's in tests/e2e/conftest.py.
pytest_plugins = ["tests.e2e.console_fixtures"]
pytestmark = pytest.mark.e2e

SAMPLE_CSV = Path(__file__).resolve().parents[1] / "data" / "attendees_sample.csv"
EXTRA = 50


def crowd(count: int) -> bytes:
    rows = ["name,email,company"] + [
        f"Invité {n:02d},guest{n:02d}@e2e.example,Maison {n:02d}" for n in range(count)
    ]
    return ("\n".join(rows) + "\n").encode()


def row(page: Any, name: str) -> Any:
    return page.locator("#attendee-table tbody tr").filter(has_text=name)


def confirm(page: Any, button: str) -> None:
    dialog = page.locator("dialog.dialog--small[open]")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name=button).click()
    expect(dialog).to_have_count(0)


def save_download(page: Any, click: Callable[[], None], folder: Path) -> Path:
    with page.expect_download() as info:
        click()
    target: Path = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


class TestAttendeeManagement:
    def test_search_page_invite_reissue_edit_add_remove(
        self,
        console_tab: Callable[..., ConsoleTab],
        console_server: ConsoleServer,
        console_artifacts: Path,
        tmp_path: Path,
    ) -> None:
        api = console_server.api()
        event_id = api.create_event("Journée des Partenaires")
        api.import_csv(event_id, SAMPLE_CSV.read_bytes())
        api.import_csv(event_id, crowd(EXTRA))
        total = 10 + EXTRA
        tab = console_tab(permissions=["clipboard-read", "clipboard-write"])
        page = tab.page
        sign_in(tab, f"/console/events/{event_id}/attendees")

        # Paging with a cursor, and search.
        expect(page.locator("#attendee-count")).to_have_text(f"1–50 of {total}")
        page.get_by_role("button", name="Next").click()
        expect(page.locator("#attendee-count")).to_have_text(f"51–{total} of {total}")
        expect(page.get_by_role("button", name="Next")).to_be_disabled()
        page.get_by_role("button", name="Previous").click()
        expect(page.locator("#attendee-count")).to_have_text(f"1–50 of {total}")
        page.get_by_label("Search").fill("nguyễn")
        expect(page.locator("#attendee-table tbody tr")).to_have_count(1)
        expect(row(page, "Mẫn Nguyễn")).to_contain_text("Công ty Sao Mai")
        page.get_by_label("Search").fill("Zoé")
        expect(page.locator("#attendee-table tbody tr")).to_have_count(1)
        # The badge column says what its figure is, and the tooltip what a version means.
        badge = row(page, "Zoé Lefèvre").locator(".badge-version")
        expect(badge).to_contain_text("badge v1")
        expect(badge).to_have_attribute("title", "The first badge, never re-issued.")
        check_screen(page, console_artifacts, "07b-badge-column")
        page.get_by_role("button", name="Français").click()
        expect(badge).to_have_attribute("title", "Premier badge, jamais réédité.")
        check_screen(page, console_artifacts, "07b-badge-column-fr")
        page.get_by_role("button", name="English").click()

        # The join link for the help desk: as text to copy, and as a QR code.
        [zoe] = api.attendees(event_id, q="zoe.lefevre")
        row(page, "Zoé Lefèvre").get_by_role("button", name="Join link of Zoé Lefèvre").click()
        panel = page.locator("dialog.dialog--panel[open]")
        link = panel.get_by_label("Personal join link")
        expect(link).to_have_value(re.compile(rf"^{re.escape(console_server.url)}/join#[\w.-]+$"))
        expect(panel.get_by_role("img", name="QR code of the join link of Zoé Lefèvre")).to_be_visible()
        panel.get_by_role("button", name="Copy").click()
        expect(page.locator(".toast")).to_have_text("Link copied.")
        assert page.evaluate("navigator.clipboard.readText()") == link.input_value()
        joined = httpx.post(
            f"{console_server.url}/api/auth/join", json={"token": link.input_value().split("#", 1)[1]}
        )
        assert joined.json()["attendee_id"] == zoe.id, "the link signs in as Zoé"
        # Showing the link sends nothing: the state says what reached the attendee.
        expect(row(page, "Zoé Lefèvre")).to_contain_text("Not sent")
        check_screen(page, console_artifacts, "08-join-link")

        # Lost phone: a new link, the old one stops working.
        old_link = link.input_value()
        panel.get_by_role("button", name="Re-issue access (lost phone)").click()
        confirm(page, "Re-issue access")
        expect(panel.get_by_text("This is the new join link")).to_be_visible()
        new_link = link.input_value()
        assert new_link != old_link
        join = httpx.post(f"{console_server.url}/api/auth/join", json={"token": old_link.split("#", 1)[1]})
        assert join.status_code == 401
        join = httpx.post(f"{console_server.url}/api/auth/join", json={"token": new_link.split("#", 1)[1]})
        assert join.status_code == 200

        # Lost badge: version 2, the preview follows.
        panel.get_by_role("button", name="Re-issue the badge").click()
        confirm(page, "Re-issue the badge")
        expect(panel.get_by_role("heading", name="Badge (version 2)")).to_be_visible()
        assert api.attendee(event_id, zoe.id)["badge_version"] == 2
        expect(panel.get_by_role("img", name="Badge of Zoé Lefèvre")).to_be_visible()
        badge = row(page, "Zoé Lefèvre").locator(".badge-version")
        expect(badge).to_contain_text("badge v2")
        expect(badge).to_have_attribute("title", re.compile(r"^Badge re-issued: version 2\."))

        # Edit.
        panel.get_by_label("Job title").fill("Directrice de la création")
        panel.get_by_role("button", name="Save").click()
        expect(page.locator(".toast")).to_contain_text("Zoé Lefèvre saved.")
        assert api.attendee(event_id, zoe.id)["job_title"] == "Directrice de la création"
        panel.get_by_label("E-mail").fill("jf.darcy@exemple.fr")
        panel.get_by_role("button", name="Save").click()
        expect(panel.get_by_role("alert")).to_contain_text("already registered")
        assert api.attendee(event_id, zoe.id)["email"] == "zoe.lefevre@atelier-lumiere.fr"

        # Remove, after a confirmation.
        panel.get_by_role("button", name="Remove this attendee").click()
        confirm(page, "Remove")
        expect(panel).to_have_count(0)
        expect(page.locator("#attendee-table")).to_have_count(0)
        assert api.attendees(event_id, q="zoe.lefevre") == []

        # Add one by one; text typed by a person is shown as text.
        page.get_by_label("Search").fill("")
        page.get_by_role("button", name="Add an attendee").click()
        panel = page.locator("dialog.dialog--panel[open]")
        panel.get_by_label("Name").fill("<img src=x onerror=alert(1)> Lou")
        panel.get_by_label("E-mail").fill("lou@e2e.example")
        panel.get_by_role("button", name="Add").click()
        # A walk-in: the panel stays on them, with their join QR and their badge to print.
        expect(panel.locator("section.walk-in")).to_contain_text("At the door")
        panel.get_by_role("button", name="Close").click()
        expect(panel).to_have_count(0)
        page.get_by_label("Search").fill("lou@")
        expect(row(page, "<img src=x onerror=alert(1)> Lou")).to_be_visible()
        assert page.locator("#attendee-table img").count() == 0

        # Every join link for a mail-merge.
        invites = save_download(
            page, lambda: page.get_by_role("button", name="Download all join links (CSV)").click(), tmp_path
        )
        text = invites.read_bytes().decode("utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.DictReader(io.StringIO(text[1:])))
        assert len(rows) == total
        assert set(rows[0]) == {"name", "email", "company", "join_link", "status"}
        lou = next(r for r in rows if r["email"] == "lou@e2e.example")
        assert lou["name"] == "<img src=x onerror=alert(1)> Lou"
        assert all("/join#" in r["join_link"] for r in rows)

        # Badges for a selection only.
        page.get_by_label("Search").fill("Invité 0")
        expect(page.locator("#attendee-table tbody tr")).to_have_count(10)
        page.get_by_label("Select Invité 03").check()
        page.get_by_label("Select Invité 07").check()
        expect(page.get_by_role("region", name="Selection")).to_contain_text("2 attendees selected")
        page.get_by_role("link", name="Print their badges").click()
        expect(page.get_by_label("The selected attendees")).to_be_checked()
        pdf = save_download(
            page, lambda: page.get_by_role("button", name="Download 2 badges (PDF)").click(), tmp_path
        )
        reader = PdfReader(io.BytesIO(pdf.read_bytes()))
        assert len(reader.pages) == 2
        printed = " ".join(p.extract_text() for p in reader.pages)
        assert "Invité 03" in printed
        assert "Invité 07" in printed

        assert not tab.errors, tab.errors
        assert not csp_violations(page)
