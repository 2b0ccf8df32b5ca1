"""The report's sponsor figures: follow-up, connections by objective and interest, the PDF."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import httpx
import pypdf
import pytest

from rencontre.config import Settings
from rencontre.models import Event, FollowUpState, InviteState, Organiser
from tests.support import Factory

NINE = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)  # 11:00 in Paris
SECRET = "NOTE-SECRÈTE"
DONE = FollowUpState.done


async def _event(factory: Factory) -> tuple[Organiser, Event]:
    """Five recruiters, four learners and one visibility (below the minimum of 5), two without.

    Interests: seven in "Énergie" (spelt two ways), four in "Rare-Sujet", one in "Sujet-Unique".
    """
    organiser = await factory.organiser()
    event = await factory.event(organiser, name="Salon Pro", timezone="Europe/Paris")
    hiring = [
        await factory.attendee(event, name=f"Recruteur {i}", objectives=["hiring"], interests=["Énergie"])
        for i in range(5)
    ]
    learning = [
        await factory.attendee(
            event, name=f"Apprenant {i}", objectives=["learning"], interests=["Rare-Sujet"]
        )
        for i in range(4)
    ]
    loose = [await factory.attendee(event, name=f"Libre {i}", interests=[" énergie "]) for i in range(2)]
    # Alone with her objective and her interest: folded into "other", never named.
    await factory.attendee(event, name="Solitaire", objectives=["visibility"], interests=["Sujet-Unique"])
    await factory.attendee(event, name="Parti", objectives=["hiring"], deleted_at=NINE)

    def contact(minutes: int, **fields: object) -> dict[str, object]:
        return {"met_at": NINE + timedelta(minutes=minutes), "note": SECRET, "tags": ["tag-privé"], **fields}

    # Followed up: within 48 h (twice), after 48 h (once); the rest still to do.
    await factory.encounter(
        hiring[0], learning[0], **contact(0, follow_up=DONE, followed_up_at=NINE + timedelta(hours=2))
    )
    await factory.encounter(
        hiring[1], hiring[2], **contact(5, follow_up=DONE, followed_up_at=NINE + timedelta(hours=48))
    )
    await factory.encounter(
        learning[1], learning[2], **contact(20, follow_up=DONE, followed_up_at=NINE + timedelta(hours=49))
    )
    await factory.encounter(loose[0], hiring[3], **contact(30))
    await factory.encounter(loose[1], loose[0], **contact(40))
    return organiser, event


class TestFollowUpRate:
    async def test_contacts_done_within_48_hours_are_counted(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event = await _event(factory)
        report = (
            await client.get(f"/api/events/{event.id}/report", headers=factory.organiser_headers(organiser))
        ).json()
        assert report["follow_up"] == {
            "contacts": 5,
            "followed_up": 3,
            "followed_up_within_48h": 2,
            "next_steps_agreed": 0,
        }


class TestConnectionsByGroup:
    async def test_groups_below_the_minimum_are_folded_into_other(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event = await _event(factory)
        report = (
            await client.get(f"/api/events/{event.id}/report", headers=factory.organiser_headers(organiser))
        ).json()
        assert report["by_objective"] == {
            "min_group_size": 5,
            "groups": [{"label": "hiring", "attendees": 5, "connections": 3}],
            "other": {"label": "other", "attendees": 5, "connections": 2},
        }
        # "Énergie" and " énergie " are one interest: 7 people; the four of "Rare-Sujet" are folded.
        assert report["by_interest"] == {
            "min_group_size": 5,
            "groups": [{"label": "Énergie", "attendees": 7, "connections": 4}],
            "other": {"label": "other", "attendees": 5, "connections": 2},
        }

    async def test_a_group_of_four_never_appears_by_name(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event = await _event(factory)
        headers = factory.organiser_headers(organiser)
        for path in ("report", "report.csv", "report.pdf?lang=fr", "report.pdf?lang=en"):
            response = await client.get(f"/api/events/{event.id}/{path}", headers=headers)
            assert response.status_code == 200
            text = _pdf_text(response.content) if "pdf" in path else response.content.decode("utf-8-sig")
            for private in (
                "learning",
                "Apprentissage",
                "visibility",
                "Visibilité",
                "Rare-Sujet",
                "Sujet-Unique",
                SECRET,
                "tag-privé",
                "Recruteur",
                "Libre",
                "Solitaire",
            ):
                assert private not in text, (path, private)

    async def test_the_minimum_is_a_setting(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        settings.report_min_group_size = 4
        organiser, event = await _event(factory)
        report = (
            await client.get(f"/api/events/{event.id}/report", headers=factory.organiser_headers(organiser))
        ).json()
        assert report["by_objective"]["min_group_size"] == 4
        assert [g["label"] for g in report["by_objective"]["groups"]] == ["hiring", "learning"]
        # The one "visibility" attendee, alone in "other", is below the minimum too: left out.
        assert report["by_objective"]["other"] is None


class TestTimesInTheEventZone:
    async def test_generated_at_carries_the_event_offset(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event = await _event(factory)
        headers = factory.organiser_headers(organiser)
        report = (await client.get(f"/api/events/{event.id}/report", headers=headers)).json()
        assert report["generated_at_local"].endswith(("+02:00", "+01:00"))
        exported = await client.get(f"/api/events/{event.id}/report.csv", headers=headers)
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"), newline="")))
        generated = {(s, m): v for s, m, v in rows[1:]}[("event", "generated_at")]
        assert generated.endswith(("+02:00", "+01:00"))


def _pdf_text(document: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(document))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


class TestReportPdf:
    @pytest.mark.parametrize(
        ("lang", "lines"),
        [
            (
                "fr",
                (
                    "Bilan de l’événement",
                    "Connexions enregistrées 5",
                    "Relancés sous 48 h 2",
                    "Recrutement 5 3",
                ),
            ),
            (
                "en",
                ("End-of-event report", "Connections recorded 5", "Followed up within 48 h 2", "Hiring 5 3"),
            ),
        ],
    )
    async def test_the_figures_equal_the_database(
        self, client: httpx.AsyncClient, factory: Factory, lang: str, lines: tuple[str, ...]
    ) -> None:
        organiser, event = await _event(factory)
        response = await client.get(
            f"/api/events/{event.id}/report.pdf",
            params={"lang": lang},
            headers=factory.organiser_headers(organiser),
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"] == 'attachment; filename="report-salon-pro.pdf"'
        text = _pdf_text(response.content)
        for line in (*lines, "Énergie 7 4"):
            assert line in text
        assert "03/06/2026 11:00–11:15 2" in text or "2026-06-03 11:00–11:15 2" in text

    async def test_arrivals_and_introductions_are_counted_never_named(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser, name="Salon Pro", timezone="Europe/Paris")
        now = datetime.now(UTC)
        await factory.attendee(event, name="Zoé Arrivée", arrived_at=now)
        await factory.attendee(event, name="Léo Présenté", arrived_at=now, introduced_at=now)
        await factory.attendee(event, name="Absent Encore")
        response = await client.get(
            f"/api/events/{event.id}/report.pdf",
            params={"lang": "en"},
            headers=factory.organiser_headers(organiser),
        )
        text = _pdf_text(response.content)
        assert "At the venue 2" in text
        assert "Introduced by staff 1" in text
        assert "Léo" not in text
        assert "Zoé" not in text

    async def test_an_unknown_language_is_refused(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser, event = await _event(factory)
        response = await client.get(
            f"/api/events/{event.id}/report.pdf",
            params={"lang": "de"},
            headers=factory.organiser_headers(organiser),
        )
        assert response.status_code == 422
        assert "lang" in response.text

    async def test_another_organiser_and_attendees_are_refused(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, event = await _event(factory)
        url = f"/api/events/{event.id}/report.pdf"
        intruder = await factory.organiser()
        assert (await client.get(url, headers=factory.organiser_headers(intruder))).status_code == 404
        attendee = await factory.attendee(event)
        assert (await client.get(url, headers=factory.attendee_headers(attendee))).status_code == 403
        assert (await client.get(url)).status_code == 401


class TestProgress:
    async def test_invited_counts_sent_and_joined_links(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        for state in (InviteState.pending, InviteState.pending, InviteState.sent, InviteState.joined):
            await factory.attendee(event, invite_state=state)
        await factory.attendee(event, invite_state=InviteState.sent, deleted_at=NINE)
        response = await client.get(
            f"/api/events/{event.id}/progress", headers=factory.organiser_headers(organiser)
        )
        assert response.status_code == 200
        assert response.json() == {
            "attendees": 4,
            "invited": 2,
            "joined": 1,
            "badges_printed_at": None,
            "badges_printed_count": 0,
            "badges_to_reprint": 0,
        }

    async def test_only_the_events_organiser(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, event = await _event(factory)
        url = f"/api/events/{event.id}/progress"
        intruder = await factory.organiser()
        assert (await client.get(url, headers=factory.organiser_headers(intruder))).status_code == 404
        attendee = await factory.attendee(event)
        assert (await client.get(url, headers=factory.attendee_headers(attendee))).status_code == 403
        assert (await client.get(url)).status_code == 401
