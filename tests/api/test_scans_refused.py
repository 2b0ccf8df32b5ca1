"""Scans the server refuses (bad badges, expired access, bad input, too many) record nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.auth import service as auth_service
from rencontre.config import Settings
from rencontre.kit.time import utcnow
from rencontre.models import Attendee
from tests.api.scan_support import (
    nothing_recorded,
    pair,
    scan_body,
    scan_count,
    token_of,
)
from tests.support import Factory


def _expired(settings: Settings, attendee: Attendee) -> dict[str, str]:
    lapsed = settings.model_copy(update={"access_token_minutes": -5})
    return {"Authorization": f"Bearer {auth_service.attendee_token(lapsed, attendee)}"}


class TestRefusals:
    @pytest.mark.parametrize("mangle", ["forged", "truncated", "tampered", "not a badge"])
    async def test_bad_badges_record_nothing(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session: AsyncSession,
        mangle: str,
    ) -> None:
        event, alice, zoe = await pair(factory)
        token = token_of(settings, event, zoe)
        altered = token[:12] + ("x" if token[12] != "x" else "y") + token[13:]
        qr = {
            "forged": f"{settings.public_base_url}/b/{'A' * 31}",
            "truncated": f"{settings.public_base_url}/b/{token[:-3]}",
            "tampered": f"{settings.public_base_url}/b/{altered}",
            "not a badge": "WIFI:S:venue;T:WPA;P:secret;;",
        }[mangle]
        response = await client.post(
            "/api/scans", json=scan_body(settings, event, zoe, qr=qr), headers=factory.attendee_headers(alice)
        )
        assert response.status_code == 422
        assert "badge" in response.json()["detail"]
        await nothing_recorded(session)

    async def test_reissued_badge(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, zoe = await pair(factory)
        old = scan_body(settings, event, zoe)
        zoe.badge_version = 2
        await session.flush()
        response = await client.post("/api/scans", json=old, headers=factory.attendee_headers(alice))
        assert response.status_code == 410
        assert "re-issued" in response.json()["detail"]
        await nothing_recorded(session)

    async def test_badge_of_another_event(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        _, alice, _ = await pair(factory)
        other = await factory.event()
        stranger = await factory.attendee(other, name="Ophélie Étrangère")
        response = await client.post(
            "/api/scans", json=scan_body(settings, other, stranger), headers=factory.attendee_headers(alice)
        )
        assert response.status_code == 403
        assert "another event" in response.json()["detail"]
        assert "Ophélie" not in response.text
        await nothing_recorded(session)

    async def test_own_badge(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, _ = await pair(factory)
        response = await client.post(
            "/api/scans", json=scan_body(settings, event, alice), headers=factory.attendee_headers(alice)
        )
        assert response.status_code == 422
        assert "your own badge" in response.json()["detail"]
        await nothing_recorded(session)

    async def test_deleted_person(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, zoe = await pair(factory)
        zoe.deleted_at = utcnow()
        await session.flush()
        response = await client.post(
            "/api/scans", json=scan_body(settings, event, zoe), headers=factory.attendee_headers(alice)
        )
        assert response.status_code == 410
        assert "no longer registered" in response.json()["detail"]
        await nothing_recorded(session)

    async def test_scanner_must_be_a_signed_in_attendee(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        alice, zoe = await factory.attendee(event), await factory.attendee(event)
        body = scan_body(settings, event, zoe)
        assert (await client.post("/api/scans", json=body)).status_code == 401
        assert (
            await client.post("/api/scans", json=body, headers=_expired(settings, alice))
        ).status_code == 401
        as_organiser = await client.post(
            "/api/scans", json=body, headers=factory.organiser_headers(organiser)
        )
        assert as_organiser.status_code == 403
        headers = factory.attendee_headers(alice)
        alice.deleted_at = utcnow()
        await session.flush()
        assert (await client.post("/api/scans", json=body, headers=headers)).status_code == 401
        await nothing_recorded(session)


class TestBadInput:
    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"note": "x" * 501}, "note"),
            ({"rating": 0}, "rating"),
            ({"rating": 6}, "rating"),
            ({"rating": "five"}, "rating"),
            ({"client_id": "not-a-uuid"}, "client_id"),
            ({"client_id": None}, "client_id"),
            ({"qr": ""}, "qr"),
            ({"qr": "x" * 513}, "qr"),
            ({"tags": [f"t{i}" for i in range(11)]}, "tags"),
            ({"tags": ["x" * 31]}, "tags.0"),
            ({"tags": ["   "]}, "tags.0"),
            ({"device_at": "2026-11-27T10:00:00"}, "device_at"),
            ({"device_at": "yesterday"}, "device_at"),
            ({"surprise": True}, "surprise"),
        ],
    )
    async def test_clear_field_errors_andnothing_recorded(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session: AsyncSession,
        change: dict[str, Any],
        field: str,
    ) -> None:
        event, alice, zoe = await pair(factory)
        body = {**scan_body(settings, event, zoe), **change}
        response = await client.post("/api/scans", json=body, headers=factory.attendee_headers(alice))
        assert response.status_code == 422
        problem = response.json()
        assert field in [error["field"] for error in problem["errors"]], problem
        await nothing_recorded(session)

    async def test_missing_body(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, alice, _ = await pair(factory)
        response = await client.post("/api/scans", headers=factory.attendee_headers(alice))
        assert response.status_code == 422


class TestRateLimit:
    async def test_each_scan_of_a_batch_counts_and_the_next_scan_gets_a_429_with_retry_after(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        settings.scan_rate_limit, settings.scan_burst, settings.max_batch_items = "3/minute", 5, 5
        event, alice, zoe = await pair(factory)
        headers = factory.attendee_headers(alice)
        batch = {"items": [scan_body(settings, event, zoe) for _ in range(5)]}
        assert (await client.post("/api/scans/batch", json=batch, headers=headers)).status_code == 200
        refused = await client.post("/api/scans", json=scan_body(settings, event, zoe), headers=headers)
        assert refused.status_code == 429
        assert refused.json()["code"] == "too_many_requests"
        assert int(refused.headers["retry-after"]) >= 1
        # Per attendee: someone else scanning is not slowed down.
        other = await client.post(
            "/api/scans", json=scan_body(settings, event, alice), headers=factory.attendee_headers(zoe)
        )
        assert other.status_code == 201

    async def test_a_refused_batch_records_nothing_and_costs_nothing(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        settings.scan_rate_limit, settings.scan_burst, settings.max_batch_items = "3/minute", 5, 5
        event, alice, zoe = await pair(factory)
        headers = factory.attendee_headers(alice)
        for _ in range(3):
            assert (
                await client.post("/api/scans", json=scan_body(settings, event, zoe), headers=headers)
            ).is_success
        batch = {"items": [scan_body(settings, event, zoe) for _ in range(3)]}
        refused = await client.post("/api/scans/batch", json=batch, headers=headers)
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        assert await scan_count(session) == 3
        # What the refused batch would have cost is still there for smaller sends.
        for _ in range(2):
            assert (
                await client.post("/api/scans", json=scan_body(settings, event, zoe), headers=headers)
            ).is_success

    async def test_an_offline_backlog_of_500_scans_syncs_at_once_and_a_flood_beyond_the_burst_gets_a_429(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        """With the default limits."""
        defaults = Settings.model_fields
        settings.scan_rate_limit = defaults["scan_rate_limit"].default
        settings.scan_burst = defaults["scan_burst"].default
        event = await factory.event()
        alice = await factory.attendee(event)
        people = [await factory.attendee(event) for _ in range(50)]
        headers = factory.attendee_headers(alice)

        def queue(count: int) -> dict[str, Any]:
            return {"items": [scan_body(settings, event, people[i % len(people)]) for i in range(count)]}

        # As the phone sends its queue: in batches of 100, one after the other.
        for _ in range(5):
            response = await client.post("/api/scans/batch", json=queue(100), headers=headers)
            assert response.status_code == 200
        assert await scan_count(session) == 500
        statuses = []
        for _ in range(settings.scan_burst // 100):
            response = await client.post("/api/scans/batch", json=queue(100), headers=headers)
            statuses.append(response.status_code)
            if response.status_code == 429:
                assert int(response.headers["retry-after"]) >= 1
                break
        assert statuses[-1] == 429
        assert await scan_count(session) == 500 + 100 * (len(statuses) - 1)


class TestOpenApi:
    async def test_scan_endpoints_declare_their_errors(self, client: httpx.AsyncClient) -> None:
        paths = (await client.get("/api/openapi.json")).json()["paths"]
        scan = paths["/api/scans"]["post"]["responses"]
        for code in ("201", "200", "401", "403", "409", "410", "422", "429"):
            assert code in scan, code
        assert "413" in paths["/api/scans/batch"]["post"]["responses"]
        for path in (
            "/api/badges/{token}",
            "/api/directory",
            "/api/me/badge",
            "/api/events/{event_id}/badges.pdf",
        ):
            assert path in paths
