"""GET /api/events/{id}/invites.csv: every join link, for a mail-merge."""

from __future__ import annotations

import csv
import io

import httpx

from rencontre.models import Attendee, Event, InviteState
from tests.support import Factory


def _rows(response: httpx.Response) -> list[dict[str, str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


async def _event_with_people(factory: Factory) -> tuple[Event, dict[str, str], list[Attendee]]:
    organiser = await factory.organiser()
    event = await factory.event(organiser, name="Soirée d'été")
    people = [
        await factory.attendee(event, name="Zoé Lefèvre", company="Atelier Lumière"),
        await factory.attendee(event, name="Jean-François D'Arcy", company='Durand; "Fils" & Cie'),
        await factory.attendee(event, name='=HYPERLINK("http://evil")', company="+33 6 12"),
    ]
    return event, factory.organiser_headers(organiser), people


class TestInvitesCsv:
    async def test_one_row_per_attendee_with_a_working_join_link(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, headers, people = await _event_with_people(factory)
        response = await client.get(f"/api/events/{event.id}/invites.csv", headers=headers)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert 'filename="join-links-soiree-d-ete.csv"' in response.headers["content-disposition"]
        rows = _rows(response)
        assert list(rows[0]) == ["name", "email", "company", "join_link", "status"]
        by_email = {row["email"]: row for row in rows}
        assert set(by_email) == {person.email for person in people}
        zoe = by_email[people[0].email]
        assert (zoe["name"], zoe["company"]) == ("Zoé Lefèvre", "Atelier Lumière")
        assert by_email[people[1].email]["company"] == 'Durand; "Fils" & Cie'
        token = zoe["join_link"].split("/join#", 1)[1]
        joined = await client.post("/api/auth/join", json={"token": token})
        assert joined.status_code == 200
        assert joined.json()["attendee_id"] == str(people[0].id)

    async def test_cells_a_spreadsheet_would_evaluate_are_neutralised(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, headers, people = await _event_with_people(factory)
        rows = _rows(await client.get(f"/api/events/{event.id}/invites.csv", headers=headers))
        tricky = next(row for row in rows if row["email"] == people[2].email)
        assert tricky["name"] == '\'=HYPERLINK("http://evil")'
        assert tricky["company"] == "'+33 6 12"

    async def test_handing_out_the_links_marks_pending_invites_as_sent(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, headers, people = await _event_with_people(factory)
        people[1].invite_state = InviteState.joined
        await factory.session.flush()
        await client.get(f"/api/events/{event.id}/invites.csv", headers=headers)
        for person in people:
            await factory.session.refresh(person)
        assert [p.invite_state for p in people] == [InviteState.sent, InviteState.joined, InviteState.sent]

    async def test_an_empty_event_gives_just_the_header(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        response = await client.get(
            f"/api/events/{event.id}/invites.csv", headers=factory.organiser_headers(organiser)
        )
        assert response.content.decode("utf-8") == "\ufeffname,email,company,join_link,status\r\n"


class TestInvitesCsvAccess:
    async def test_another_organiser_gets_a_404_and_nothing_changes(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, _, people = await _event_with_people(factory)
        intruder = factory.organiser_headers(await factory.organiser())
        response = await client.get(f"/api/events/{event.id}/invites.csv", headers=intruder)
        assert response.status_code == 404
        assert "join" not in response.text
        await factory.session.refresh(people[0])
        assert people[0].invite_state is InviteState.pending

    async def test_attendees_and_strangers_are_refused(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, _, people = await _event_with_people(factory)
        path = f"/api/events/{event.id}/invites.csv"
        assert (await client.get(path)).status_code == 401
        as_attendee = await client.get(path, headers=factory.attendee_headers(people[0]))
        assert as_attendee.status_code in (401, 403)
