from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.auth.tokens import Role, TokenType, issue
from rencontre.config import Settings
from rencontre.feed.broker import FeedNotice
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event
from tests.api.scan_support import (
    encounter_between,
    encounter_count,
    scan_body,
    scan_count,
    token_of,
    url_of,
)
from tests.support import Factory


async def _pair(factory: Factory, **scanned_fields: Any) -> tuple[Event, Attendee, Attendee]:
    event = await factory.event()
    alice = await factory.attendee(event, name="Alice Martin")
    zoe = await factory.attendee(event, name="Zoé Lefèvre", **scanned_fields)
    return event, alice, zoe


async def _nothing_recorded(session: AsyncSession) -> None:
    assert await encounter_count(session) == 0
    assert await scan_count(session) == 0


class TestFirstScan:
    async def test_creates_a_contact_and_shows_the_card(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, zoe = await _pair(factory, pitch="Outils d'atelier", shared_fields=["email"])
        device_at = "2026-11-27T09:15:00+01:00"
        body = scan_body(
            settings,
            event,
            zoe,
            note="Parle de céramique 🏺",
            tags=["design", "à rappeler"],
            rating=4,
            device_at=device_at,
        )
        before = utcnow()
        response = await client.post("/api/scans", json=body, headers=factory.attendee_headers(alice))
        assert response.status_code == 201, response.text
        out = response.json()
        assert out["status"] == "created"
        assert out["already_met"] is False
        assert out["mutual"] is False
        assert out["scan_count"] == 1
        assert out["client_id"] == body["client_id"]
        assert out["note"] == "Parle de céramique 🏺"
        assert out["tags"] == ["design", "à rappeler"]
        assert out["rating"] == 4
        assert out["card"]["name"] == "Zoé Lefèvre"
        assert out["card"]["pitch"] == "Outils d'atelier"
        assert out["card"]["email"] == zoe.email
        assert out["card"]["phone"] is None
        encounter = await encounter_between(session, alice, zoe)
        assert encounter is not None
        assert str(encounter.id) == out["contact_id"]
        assert encounter.seq == 1
        # The phone's clock is kept as given; the meeting time is the server's.
        assert encounter.device_at == datetime(2026, 11, 27, 8, 15, tzinfo=UTC)
        assert encounter.met_at >= before
        await session.refresh(alice)
        assert alice.last_seen_at is not None
        assert alice.last_seen_at >= before

    @pytest.mark.parametrize(
        "qr",
        [
            "{url}",
            "  {token}\n",
            "https://rencontre.example.org/b/{token}",
            "https://another-host.example/events/x/b/{token}/?from=camera",
        ],
    )
    async def test_url_on_any_host_or_bare_token(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, qr: str
    ) -> None:
        event, alice, zoe = await _pair(factory)
        text = qr.format(url=url_of(settings, event, zoe), token=token_of(settings, event, zoe))
        response = await client.post(
            "/api/scans",
            json=scan_body(settings, event, zoe, qr=text),
            headers=factory.attendee_headers(alice),
        )
        assert response.status_code == 201, response.text

    async def test_notes_in_any_script_up_to_500_characters(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event, alice, zoe = await _pair(factory)
        note = ("Ça va ? 日本語 العربية ไทย 👍🏽 " * 30)[:500]
        response = await client.post(
            "/api/scans",
            json=scan_body(settings, event, zoe, note=note),
            headers=factory.attendee_headers(alice),
        )
        assert response.status_code == 201, response.text
        assert response.json()["note"] == note.strip()

    async def test_each_new_contact_is_published_after_commit(
        self, app: FastAPI, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event, alice, zoe = await _pair(factory)
        bob = await factory.attendee(event)
        notices: list[FeedNotice] = []
        app.state.broker.subscribe(event.id, notices.append)
        headers = factory.attendee_headers(alice)
        await client.post("/api/scans", json=scan_body(settings, event, zoe), headers=headers)
        await client.post("/api/scans", json=scan_body(settings, event, bob), headers=headers)
        assert notices == [FeedNotice(event.id, 1), FeedNotice(event.id, 2)]
        # A repeat meeting and a refused scan are not new connections.
        await client.post("/api/scans", json=scan_body(settings, event, zoe), headers=headers)
        await client.post("/api/scans", json=scan_body(settings, event, alice), headers=headers)
        assert len(notices) == 2


class TestIdempotency:
    async def test_same_scan_twice_is_recorded_once(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session: AsyncSession,
        app: FastAPI,
    ) -> None:
        event, alice, zoe = await _pair(factory)
        notices: list[FeedNotice] = []
        app.state.broker.subscribe(event.id, notices.append)
        body = scan_body(settings, event, zoe, note="Première", tags=["a"], device_at="2026-11-27T10:00:00Z")
        headers = factory.attendee_headers(alice)
        first = await client.post("/api/scans", json=body, headers=headers)
        again = await client.post("/api/scans", json=body, headers=headers)
        assert first.status_code == again.status_code == 201
        # The same answer, but for saying that this one was a repeat.
        assert {**again.json(), "outcome": "created"} == first.json()
        assert again.json()["outcome"] == "duplicate"
        assert await encounter_count(session) == 1
        assert await scan_count(session) == 1
        assert len(notices) == 1

    async def test_same_client_id_other_content_is_a_conflict(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, zoe = await _pair(factory)
        body = scan_body(settings, event, zoe, note="Première")
        headers = factory.attendee_headers(alice)
        assert (await client.post("/api/scans", json=body, headers=headers)).status_code == 201
        conflict = await client.post("/api/scans", json={**body, "note": "Autre"}, headers=headers)
        assert conflict.status_code == 409
        assert "client_id" in conflict.json()["detail"]
        encounter = await encounter_between(session, alice, zoe)
        assert encounter is not None
        assert encounter.note == "Première"
        assert encounter.scan_count == 1

    async def test_replay_still_answers_after_the_badge_was_reissued(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, zoe = await _pair(factory)
        body = scan_body(settings, event, zoe)
        headers = factory.attendee_headers(alice)
        first = await client.post("/api/scans", json=body, headers=headers)
        zoe.badge_version += 1
        await session.flush()
        # The phone never got the first answer: its retry is acknowledged, not refused.
        again = await client.post("/api/scans", json=body, headers=headers)
        assert again.status_code == 201
        assert again.json()["contact_id"] == first.json()["contact_id"]

    async def test_client_ids_are_per_scanner(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, zoe = await _pair(factory)
        bob = await factory.attendee(event)
        client_id = str(uuid.uuid4())
        one = await client.post(
            "/api/scans",
            json=scan_body(settings, event, zoe, client_id=client_id),
            headers=factory.attendee_headers(alice),
        )
        other = await client.post(
            "/api/scans",
            json=scan_body(settings, event, zoe, client_id=client_id),
            headers=factory.attendee_headers(bob),
        )
        assert one.status_code == other.status_code == 201
        assert await encounter_count(session) == 2


class TestMeetingAgain:
    async def test_updates_the_contact_and_appends_the_note(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, zoe = await _pair(factory)
        headers = factory.attendee_headers(alice)
        first = await client.post(
            "/api/scans",
            json=scan_body(settings, event, zoe, note="Céramique", tags=["design"], rating=3),
            headers=headers,
        )
        again = await client.post(
            "/api/scans",
            json=scan_body(settings, event, zoe, note="Veut un devis", tags=["Design", "devis"]),
            headers=headers,
        )
        assert again.status_code == 200
        out = again.json()
        assert out["status"] == "updated"
        assert out["already_met"] is True
        assert out["contact_id"] == first.json()["contact_id"]
        assert out["scan_count"] == 2
        assert out["tags"] == ["design", "devis"]
        assert out["rating"] == 3  # not given again: kept
        first_note, second_note = out["note"].split("\n\n")
        assert first_note == "Céramique"
        assert second_note.startswith("[")
        assert second_note.endswith("] Veut un devis")
        third = await client.post(
            "/api/scans", json=scan_body(settings, event, zoe, rating=5), headers=headers
        )
        assert third.json()["rating"] == 5
        assert third.json()["note"] == out["note"]
        assert await encounter_count(session) == 1
        encounter = await encounter_between(session, alice, zoe)
        assert encounter is not None
        assert encounter.scan_count == 3
        assert encounter.last_scanned_at > encounter.met_at


class TestMutual:
    async def test_scanning_back_marks_both_mutual(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, zoe = await _pair(factory)
        first = await client.post(
            "/api/scans", json=scan_body(settings, event, zoe), headers=factory.attendee_headers(alice)
        )
        assert first.json()["mutual"] is False
        back = await client.post(
            "/api/scans", json=scan_body(settings, event, alice), headers=factory.attendee_headers(zoe)
        )
        assert back.status_code == 201
        assert back.json()["mutual"] is True
        for scanner, scanned in ((alice, zoe), (zoe, alice)):
            encounter = await encounter_between(session, scanner, scanned)
            assert encounter is not None
            assert encounter.mutual is True
        again = await client.post(
            "/api/scans", json=scan_body(settings, event, zoe), headers=factory.attendee_headers(alice)
        )
        assert again.json()["mutual"] is True


def _expired(settings: Settings, attendee: Attendee) -> dict[str, str]:
    token = issue(
        settings.jwt_keyring(),
        type=TokenType.access,
        role=Role.attendee,
        subject=attendee.id,
        version=attendee.access_version,
        event_id=attendee.event_id,
        lifetime=timedelta(minutes=-5),
    )
    return {"Authorization": f"Bearer {token}"}


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
        event, alice, zoe = await _pair(factory)
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
        await _nothing_recorded(session)

    async def test_reissued_badge(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, zoe = await _pair(factory)
        old = scan_body(settings, event, zoe)
        zoe.badge_version = 2
        await session.flush()
        response = await client.post("/api/scans", json=old, headers=factory.attendee_headers(alice))
        assert response.status_code == 410
        assert "re-issued" in response.json()["detail"]
        await _nothing_recorded(session)

    async def test_badge_of_another_event(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        _, alice, _ = await _pair(factory)
        other = await factory.event()
        stranger = await factory.attendee(other, name="Ophélie Étrangère")
        response = await client.post(
            "/api/scans", json=scan_body(settings, other, stranger), headers=factory.attendee_headers(alice)
        )
        assert response.status_code == 403
        assert "another event" in response.json()["detail"]
        assert "Ophélie" not in response.text
        await _nothing_recorded(session)

    async def test_own_badge(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, _ = await _pair(factory)
        response = await client.post(
            "/api/scans", json=scan_body(settings, event, alice), headers=factory.attendee_headers(alice)
        )
        assert response.status_code == 422
        assert "your own badge" in response.json()["detail"]
        await _nothing_recorded(session)

    async def test_deleted_person(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, zoe = await _pair(factory)
        zoe.deleted_at = utcnow()
        await session.flush()
        response = await client.post(
            "/api/scans", json=scan_body(settings, event, zoe), headers=factory.attendee_headers(alice)
        )
        assert response.status_code == 410
        assert "no longer registered" in response.json()["detail"]
        await _nothing_recorded(session)

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
        await _nothing_recorded(session)


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
    async def test_clear_field_errors_and_nothing_recorded(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session: AsyncSession,
        change: dict[str, Any],
        field: str,
    ) -> None:
        event, alice, zoe = await _pair(factory)
        body = {**scan_body(settings, event, zoe), **change}
        response = await client.post("/api/scans", json=body, headers=factory.attendee_headers(alice))
        assert response.status_code == 422
        problem = response.json()
        assert field in [error["field"] for error in problem["errors"]], problem
        await _nothing_recorded(session)

    async def test_missing_body(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, alice, _ = await _pair(factory)
        response = await client.post("/api/scans", headers=factory.attendee_headers(alice))
        assert response.status_code == 422


class TestRateLimit:
    async def test_each_scan_of_a_batch_counts_and_the_next_scan_gets_a_429_with_retry_after(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        settings.scan_rate_limit, settings.scan_burst, settings.max_batch_items = "3/minute", 5, 5
        event, alice, zoe = await _pair(factory)
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
        event, alice, zoe = await _pair(factory)
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
