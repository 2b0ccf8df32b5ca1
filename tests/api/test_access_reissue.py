"""No join link for whoever has joined; re-issued access ends every session and the attendee is told."""

from __future__ import annotations

import csv
import io

import httpx
from sqlalchemy import select

from rencontre.auth.service import attendee_token, invite_token
from rencontre.config import Settings
from rencontre.models import AccessReissue, Attendee, Event, Organiser
from tests.support import Factory


async def _joined(client: httpx.AsyncClient, settings: Settings, attendee: Attendee) -> dict[str, str]:
    """The attendee opens their link on their phone; the phone's Authorization header."""
    response = await client.post("/api/auth/join", json={"token": invite_token(settings, attendee)})
    assert response.status_code == 200
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _world(factory: Factory) -> tuple[Organiser, Event, Attendee]:
    organiser = await factory.organiser(email="claire@example.org", name="Claire Martin")
    event = await factory.event(organiser)
    return organiser, event, await factory.attendee(event)


def _reissue_path(event: Event, attendee: Attendee) -> str:
    return f"/api/events/{event.id}/attendees/{attendee.id}/access/reissue"


class TestNoJoinLinkForWhoeverJoined:
    async def test_the_invite_endpoint_refuses_with_its_code(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser, event, attendee = await _world(factory)
        await _joined(client, settings, attendee)
        response = await client.get(
            f"/api/events/{event.id}/attendees/{attendee.id}/invite",
            headers=factory.organiser_headers(organiser),
        )
        assert response.status_code == 409
        assert response.json()["code"] == "attendee_already_joined"
        assert "re-issue their access" in response.json()["detail"]
        assert "join_link" not in response.json()

    async def test_an_attendee_not_yet_joined_still_gets_a_link_that_works_once(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event, attendee = await _world(factory)
        response = await client.get(
            f"/api/events/{event.id}/attendees/{attendee.id}/invite",
            headers=factory.organiser_headers(organiser),
        )
        assert response.status_code == 200
        token = response.json()["join_link"].split("#", 1)[1]
        assert (await client.post("/api/auth/join", json={"token": token})).status_code == 200
        again = await client.post("/api/auth/join", json={"token": token})
        assert again.json()["code"] == "join_link_used"

    async def test_the_csv_leaves_the_link_empty_and_says_joined(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser, event, attendee = await _world(factory)
        waiting = await factory.attendee(event, name="Yves Attente")
        await _joined(client, settings, attendee)
        response = await client.get(
            f"/api/events/{event.id}/invites.csv", headers=factory.organiser_headers(organiser)
        )
        rows = {row["email"]: row for row in csv.DictReader(io.StringIO(response.text.lstrip("\ufeff")))}
        assert (rows[attendee.email]["join_link"], rows[attendee.email]["status"]) == ("", "joined")
        assert "/join#" in rows[waiting.email]["join_link"]
        assert rows[waiting.email]["status"] == "sent"


class TestTheConsoleKnowsWhetherTheLinkWasUsed:
    async def test_join_link_used_follows_the_join_and_the_reissue(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser, event, attendee = await _world(factory)
        headers = factory.organiser_headers(organiser)
        path = f"/api/events/{event.id}/attendees/{attendee.id}"
        assert (await client.get(path, headers=headers)).json()["join_link_used"] is False
        await _joined(client, settings, attendee)
        assert (await client.get(path, headers=headers)).json()["join_link_used"] is True
        await client.post(_reissue_path(event, attendee), headers=headers)
        after = (await client.get(path, headers=headers)).json()
        assert (after["join_link_used"], after["invite_state"]) == (False, "joined")
        again = await client.get(f"{path}/invite", headers=headers)
        assert again.status_code == 200


class TestReissueEndsEverySession:
    async def test_the_old_session_gets_a_401_and_the_new_link_works_once(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser, event, attendee = await _world(factory)
        phone = await _joined(client, settings, attendee)
        assert (await client.get("/api/me", headers=phone)).status_code == 200
        reissued = await client.post(
            _reissue_path(event, attendee), headers=factory.organiser_headers(organiser)
        )
        assert reissued.status_code == 200
        assert (await client.get("/api/me", headers=phone)).status_code == 401
        token = reissued.json()["join_link"].split("#", 1)[1]
        assert (await client.post("/api/auth/join", json={"token": token})).status_code == 200
        assert (await client.post("/api/auth/join", json={"token": token})).status_code == 409

    async def test_the_record_names_the_organiser_account_and_the_reason(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event, attendee = await _world(factory)
        reissued = await client.post(
            _reissue_path(event, attendee),
            json={"reason": "  Lost phone, asked at the desk  "},
            headers=factory.organiser_headers(organiser),
        )
        record = reissued.json()["record"]
        assert record["organiser_name"] == "Claire Martin"
        assert record["organiser_email"] == "claire@example.org"
        assert record["reason"] == "Lost phone, asked at the desk"
        assert record["reissued_at"]

    async def test_the_organiser_sees_when_and_by_whom_for_their_attendee(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event, attendee = await _world(factory)
        headers = factory.organiser_headers(organiser)
        await client.post(_reissue_path(event, attendee), headers=headers)
        listed = await client.get(
            f"/api/events/{event.id}/attendees/{attendee.id}/access/reissues", headers=headers
        )
        assert listed.status_code == 200
        [record] = listed.json()
        assert set(record) == {"id", "reissued_at", "organiser_name", "organiser_email", "reason"}


class TestReissueBadInput:
    async def test_a_too_long_reason_is_refused_and_changes_nothing(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser, event, attendee = await _world(factory)
        phone = await _joined(client, settings, attendee)
        response = await client.post(
            _reissue_path(event, attendee),
            json={"reason": "x" * 281},
            headers=factory.organiser_headers(organiser),
        )
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["reason"]
        assert (await client.get("/api/me", headers=phone)).status_code == 200
        assert (await client.get("/api/me/access-notices", headers=phone)).json() == []

    async def test_an_unknown_field_is_refused(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser, event, attendee = await _world(factory)
        response = await client.post(
            _reissue_path(event, attendee), json={"why": "lost"}, headers=factory.organiser_headers(organiser)
        )
        assert response.status_code == 422

    async def test_another_organiser_can_neither_reissue_nor_list(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _, event, attendee = await _world(factory)
        phone = await _joined(client, settings, attendee)
        intruder = factory.organiser_headers(await factory.organiser())
        assert (await client.post(_reissue_path(event, attendee), headers=intruder)).status_code == 404
        listed = await client.get(
            f"/api/events/{event.id}/attendees/{attendee.id}/access/reissues", headers=intruder
        )
        assert listed.status_code == 404
        assert (await client.get("/api/me", headers=phone)).status_code == 200

    async def test_an_attendee_cannot_reissue(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _, event, attendee = await _world(factory)
        phone = await _joined(client, settings, attendee)
        assert (await client.post(_reissue_path(event, attendee), headers=phone)).status_code == 403


class TestTheAttendeeIsTold:
    async def test_the_attendee_reads_the_notice_then_dismisses_it(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser, event, attendee = await _world(factory)
        reissued = await client.post(
            _reissue_path(event, attendee),
            json={"reason": "Lost phone"},
            headers=factory.organiser_headers(organiser),
        )
        token = reissued.json()["join_link"].split("#", 1)[1]
        joined = await client.post("/api/auth/join", json={"token": token})
        phone = {"Authorization": f"Bearer {joined.json()['access_token']}"}
        [notice] = (await client.get("/api/me/access-notices", headers=phone)).json()
        assert notice["organiser_name"] == "Claire Martin"
        assert notice["organiser_email"] == "claire@example.org"
        assert notice["reason"] == "Lost phone"
        assert notice["dismissed_at"] is None
        dismissed = await client.post(f"/api/me/access-notices/{notice['id']}/dismiss", headers=phone)
        assert dismissed.status_code == 200
        assert dismissed.json()["dismissed_at"] is not None
        [kept] = (await client.get("/api/me/access-notices", headers=phone)).json()
        assert kept["dismissed_at"] == dismissed.json()["dismissed_at"]

    async def test_the_record_is_in_the_attendee_data_export(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser, event, attendee = await _world(factory)
        await client.post(_reissue_path(event, attendee), headers=factory.organiser_headers(organiser))
        await factory.session.refresh(attendee)
        export = await client.get("/api/me/export", headers=factory.attendee_headers(attendee))
        [entry] = export.json()["access_reissues"]
        assert entry["organiser_email"] == "claire@example.org"

    async def test_another_attendee_sees_none_of_it(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser, event, attendee = await _world(factory)
        other = await factory.attendee(event, name="Autre Personne")
        reissued = await client.post(
            _reissue_path(event, attendee), headers=factory.organiser_headers(organiser)
        )
        notice_id = reissued.json()["record"]["id"]
        headers = {"Authorization": f"Bearer {attendee_token(settings, other)}"}
        assert (await client.get("/api/me/access-notices", headers=headers)).json() == []
        refused = await client.post(f"/api/me/access-notices/{notice_id}/dismiss", headers=headers)
        assert refused.status_code == 404
        assert refused.json()["code"] == "access_notice_not_found"
        export = await client.get("/api/me/export", headers=headers)
        assert export.json()["access_reissues"] == []

    async def test_an_organiser_cannot_read_the_notices_endpoint(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, _, _ = await _world(factory)
        response = await client.get("/api/me/access-notices", headers=factory.organiser_headers(organiser))
        assert response.status_code == 403

    async def test_a_malformed_notice_id_is_refused(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, _, attendee = await _world(factory)
        response = await client.post(
            "/api/me/access-notices/not-a-uuid/dismiss", headers=factory.attendee_headers(attendee)
        )
        assert response.status_code == 404
        assert "no API endpoint" in response.json()["detail"]

    async def test_deleting_the_account_removes_the_records(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser, event, attendee = await _world(factory)
        headers = factory.organiser_headers(organiser)
        await client.post(_reissue_path(event, attendee), headers=headers)
        await factory.session.refresh(attendee)
        deleted = await client.delete("/api/me", headers=factory.attendee_headers(attendee))
        assert deleted.status_code == 204
        rows = await factory.session.scalars(
            select(AccessReissue).where(AccessReissue.attendee_id == attendee.id)
        )
        assert list(rows) == []
