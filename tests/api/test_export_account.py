"""The personal export holds what is kept about the account itself, not only the profile."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from rencontre.models import InviteState
from tests.support import Factory


class TestExportHoldsTheAccountRecord:
    async def test_registration_invite_activity_and_reissues_are_exported(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await factory.event()
        seen = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
        me = await factory.attendee(
            event, invite_state=InviteState.joined, last_seen_at=seen, badge_version=3, access_version=2
        )
        response = await client.get("/api/me/export", headers=factory.attendee_headers(me))
        assert response.status_code == 200
        account = response.json()["account"]
        assert account["registered_at"] == me.created_at.isoformat().replace("+00:00", "Z")
        assert account["invite_state"] == "joined"
        assert (account["badge_version"], account["access_version"]) == (3, 2)
        assert account["last_seen_at"] is not None

    async def test_the_arrival_and_the_staff_s_introduction_are_exported(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await factory.event()
        arrived = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
        introduced = datetime(2026, 11, 27, 9, 40, tzinfo=UTC)
        me = await factory.attendee(event, arrived_at=arrived, introduced_at=introduced)
        response = await client.get("/api/me/export", headers=factory.attendee_headers(me))
        assert response.status_code == 200
        account = response.json()["account"]
        assert account["arrived_at"] == "2026-11-27T09:00:00Z"
        assert account["introduced_at"] == "2026-11-27T09:40:00Z"

    async def test_the_export_needs_the_attendees_own_token(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        assert (await client.get("/api/me/export")).status_code == 401
        organiser = await factory.organiser()
        response = await client.get("/api/me/export", headers=factory.organiser_headers(organiser))
        assert response.status_code == 403
