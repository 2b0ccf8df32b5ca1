"""Sessions of a format, run from the console: set up, start, pause, skip, add time, end;
the clock every screen counts down from, on one instance and across two; signing up
from the phone. Seating is in ``test_format_sessions_seating``, what phones and the wall
screen see in ``test_format_sessions_phones``."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.formats import repository, service
from rencontre.formats.clock import SessionClock
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event, FormatSession, Organiser
from tests.api.conftest import Live
from tests.api.sessions_support import (
    ANY_UUID,
    advance_past_phase,
    control,
    create,
    room,
    seats,
    speed_meeting,
    started,
)
from tests.support import Factory


class TestSetUp:
    async def test_a_session_is_set_up_as_a_draft(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser, event, _ = await room(factory, 4)
        response = await create(
            client,
            factory,
            organiser,
            event,
            speed_meeting(table_names=["Table 7", "Table 8"], break_seconds=60),
        )
        assert response.status_code == 201, response.text
        out = response.json()
        assert out["clock"]["state"] == "draft"
        assert out["clock"]["current_round"] == 0
        assert out["participants"] == 4
        assert out["table_names"] == ["Table 7", "Table 8"]
        assert (out["group_min"], out["group_max"]) == (2, 2)
        listed = await client.get(
            f"/api/events/{event.id}/sessions", headers=factory.organiser_headers(organiser)
        )
        assert [s["id"] for s in listed.json()] == [out["id"]]

    async def test_walk_and_talk_takes_group_bounds(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event, _ = await room(factory, 4)
        body = speed_meeting(kind="walk_and_talk", name="Walk & talk")
        response = await create(client, factory, organiser, event, body)
        assert response.status_code == 201, response.text
        assert (response.json()["group_min"], response.json()["group_max"]) == (3, 5)

    @pytest.mark.parametrize(
        ("change", "says"),
        [
            ({"name": "  "}, "blank"),
            ({"kind": "speed_dating"}, "kind"),
            ({"rounds_total": 0}, "rounds_total"),
            ({"rounds_total": "3"}, "rounds_total"),
            ({"round_seconds": 30}, "round_seconds"),
            ({"break_seconds": -1}, "break_seconds"),
            ({"group_min": 3}, "walk & talk"),
            ({"table_names": ["A", "a"]}, "same name"),
            ({"table_names": [""]}, "table_names"),
            ({"audience": "everyone"}, "audience"),
            ({"surprise": True}, "surprise"),
        ],
    )
    async def test_bad_settings_are_refused_and_change_nothing(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        session: AsyncSession,
        change: dict[str, Any],
        says: str,
    ) -> None:
        organiser, event, _ = await room(factory, 2)
        response = await create(client, factory, organiser, event, speed_meeting(**change))
        assert response.status_code == 422, response.text
        assert says in response.text
        assert (
            await session.scalars(select(FormatSession).where(FormatSession.event_id == event.id))
        ).all() == []

    async def test_walk_and_talk_bounds_in_order(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser, event, _ = await room(factory, 2)
        body = speed_meeting(kind="walk_and_talk", group_min=5, group_max=3)
        response = await create(client, factory, organiser, event, body)
        assert response.status_code == 422
        assert "group_min must not exceed group_max" in response.text

    async def test_another_organiser_sees_nothing(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser, event, _ = await room(factory, 2)
        sid = (await create(client, factory, organiser, event, speed_meeting())).json()["id"]
        stranger = await factory.organiser()
        for method, path in [
            ("GET", f"/api/events/{event.id}/sessions"),
            ("GET", f"/api/events/{event.id}/sessions/{sid}"),
            ("POST", f"/api/events/{event.id}/sessions/{sid}/start"),
            ("DELETE", f"/api/events/{event.id}/sessions/{sid}"),
        ]:
            response = await client.request(method, path, headers=factory.organiser_headers(stranger))
            assert response.status_code == 404, (method, path)

    async def test_an_unknown_session(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser, event, _ = await room(factory, 2)
        response = await client.get(
            f"/api/events/{event.id}/sessions/{ANY_UUID}", headers=factory.organiser_headers(organiser)
        )
        assert response.status_code == 404
        assert response.json()["code"] == "session_not_found"


class TestRunning:
    async def test_start_seats_everyone_present_in_pairs_with_one_trio(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, people = await room(factory, 5)
        absent = await factory.attendee(event, name="Not here")
        sid = await started(client, factory, organiser, event)
        tables = await seats(session, sid, 1)
        assert sorted(len(t) for t in tables.values()) == [2, 3]
        seated = set().union(*tables.values())
        assert seated == {p.id for p in people}
        assert absent.id not in seated

    async def test_start_needs_two_people(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser, event, _ = await room(factory, 1)
        sid = (await create(client, factory, organiser, event, speed_meeting())).json()["id"]
        response = await control(client, factory, organiser, event, sid, "start")
        assert response.status_code == 409
        assert response.json()["code"] == "too_few_participants"
        again = await client.get(
            f"/api/events/{event.id}/sessions/{sid}", headers=factory.organiser_headers(organiser)
        )
        assert again.json()["clock"]["state"] == "draft"

    async def test_the_clock_moves_rounds_on_with_breaks_and_ends(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, _ = await room(factory, 6)
        sid = await started(client, factory, organiser, event, rounds_total=2, break_seconds=60)
        found = await session.get(FormatSession, uuid.UUID(sid))
        assert found is not None
        assert found.phase_ends_at is not None
        first_end = found.phase_ends_at
        assert await advance_past_phase(session, sid)
        assert (found.phase.value, found.current_round) == ("break", 1)
        # The break counts from the round's scheduled end, so every screen agrees.
        assert found.phase_ends_at == first_end + timedelta(seconds=60)
        assert await advance_past_phase(session, sid)
        assert (found.phase.value, found.current_round, found.state.value) == ("round", 2, "running")
        round_one, round_two = await seats(session, sid, 1), await seats(session, sid, 2)
        pairs_one = {frozenset(t) for t in round_one.values()}
        assert not pairs_one & {frozenset(t) for t in round_two.values()}, "no pair meets twice"
        assert await advance_past_phase(session, sid)
        assert found.state.value == "ended"

    async def test_advance_happens_once_for_a_given_moment(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, _ = await room(factory, 4)
        sid = await started(client, factory, organiser, event)
        found = await session.get(FormatSession, uuid.UUID(sid))
        assert found is not None
        assert found.phase_ends_at is not None
        now = found.phase_ends_at + timedelta(seconds=1)
        assert await service.advance(session, found.id, now=now)
        # The next round has just started: the same moment moves nothing more.
        assert not await service.advance(session, found.id, now=now)
        assert found.current_round == 2

    async def test_a_stale_version_moves_nothing(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        """Two instances' tickers: the one that claims the version second does nothing."""
        organiser, event, _ = await room(factory, 4)
        sid = await started(client, factory, organiser, event)
        found = await session.get(FormatSession, uuid.UUID(sid))
        assert found is not None
        version = found.version
        assert await repository.claim(session, found.id, version)
        assert not await repository.claim(session, found.id, version)

    async def test_pause_resume_extend_and_skip(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, _ = await room(factory, 4)
        sid = await started(client, factory, organiser, event, round_seconds=300)
        paused = (await control(client, factory, organiser, event, sid, "pause")).json()
        assert paused["clock"]["state"] == "paused"
        assert paused["clock"]["phase_ends_at"] is None
        assert 295 <= paused["clock"]["seconds_left"] <= 300
        extended = (await control(client, factory, organiser, event, sid, "extend", seconds=60)).json()
        assert 355 <= extended["clock"]["seconds_left"] <= 360
        resumed = (await control(client, factory, organiser, event, sid, "resume")).json()
        assert resumed["clock"]["state"] == "running"
        assert 355 <= resumed["clock"]["seconds_left"] <= 360
        assert resumed["clock"]["version"] > paused["clock"]["version"]
        skipped = (await control(client, factory, organiser, event, sid, "next")).json()
        assert skipped["clock"]["current_round"] == 2
        assert 295 <= skipped["clock"]["seconds_left"] <= 300
        ended = (await control(client, factory, organiser, event, sid, "end")).json()
        assert ended["clock"]["state"] == "ended"
        for action in ("pause", "resume", "next", "end"):
            refused = await control(client, factory, organiser, event, sid, action)
            assert refused.status_code == 409, action
            assert refused.json()["code"] == "session_not_running"
        refused = await control(client, factory, organiser, event, sid, "extend", seconds=60)
        assert refused.json()["code"] == "session_not_running"

    @pytest.mark.parametrize("seconds", [0, 5, 1801, "60", None])
    async def test_bad_extensions(self, client: httpx.AsyncClient, factory: Factory, seconds: Any) -> None:
        organiser, event, _ = await room(factory, 2)
        sid = await started(client, factory, organiser, event)
        response = await control(client, factory, organiser, event, sid, "extend", seconds=seconds)
        assert response.status_code == 422

    async def test_skip_after_the_last_round_ends(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser, event, _ = await room(factory, 2)
        sid = await started(client, factory, organiser, event, rounds_total=1)
        response = await control(client, factory, organiser, event, sid, "next")
        assert response.json()["clock"]["state"] == "ended"

    async def test_a_running_session_is_not_deleted(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event, _ = await room(factory, 2)
        sid = await started(client, factory, organiser, event)
        path = f"/api/events/{event.id}/sessions/{sid}"
        response = await client.delete(path, headers=factory.organiser_headers(organiser))
        assert response.status_code == 409
        assert response.json()["code"] == "session_already_started"
        await control(client, factory, organiser, event, sid, "end")
        response = await client.delete(path, headers=factory.organiser_headers(organiser))
        assert response.status_code == 204
        assert (await client.get(path, headers=factory.organiser_headers(organiser))).status_code == 404


class TestSigningUp:
    async def test_signed_up_audience_places_only_those_who_joined(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, people = await room(factory, 5)
        created = await create(client, factory, organiser, event, speed_meeting(audience="signed_up"))
        sid = created.json()["id"]
        for person in people[:3]:
            response = await client.post(
                f"/api/me/sessions/{sid}/join", headers=factory.attendee_headers(person)
            )
            assert response.status_code == 200
            assert response.json()["taking_part"] is True
        assert (await control(client, factory, organiser, event, sid, "start")).status_code == 200
        seated = set().union(*(await seats(session, sid, 1)).values())
        assert seated == {p.id for p in people[:3]}

    async def test_joining_an_ended_session_is_refused(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event, people = await room(factory, 2)
        sid = await started(client, factory, organiser, event)
        await control(client, factory, organiser, event, sid, "end")
        for action in ("join", "leave"):
            response = await client.post(
                f"/api/me/sessions/{sid}/{action}", headers=factory.attendee_headers(people[0])
            )
            assert response.status_code == 409
            assert response.json()["code"] == "session_ended"


class TestTheClockAcrossInstances:
    async def test_two_tickers_move_a_round_on_once(self, live: Live) -> None:
        """Two instances' clocks tick at the same moment: the round moves on once."""
        event, people, factory = await live.event_with(4)
        async with live.sessions() as session:
            for person in people:
                await session.execute(
                    Attendee.__table__.update().where(Attendee.id == person.id).values(arrived_at=utcnow())
                )
            await session.commit()
        organiser = await _organiser_of(live, event)
        headers = factory.organiser_headers(organiser)
        created = await live.client.post(
            f"/api/events/{event.id}/sessions", json=speed_meeting(), headers=headers
        )
        sid = created.json()["id"]
        assert (
            await live.client.post(f"/api/events/{event.id}/sessions/{sid}/start", headers=headers)
        ).status_code == 200
        async with live.sessions() as session:
            await session.execute(
                FormatSession.__table__.update()
                .where(FormatSession.id == uuid.UUID(sid))
                .values(phase_ends_at=utcnow() - timedelta(seconds=1))
            )
            await session.commit()
        moved = await asyncio.gather(
            SessionClock(live.sessions).run_once(), SessionClock(live.sessions).run_once()
        )
        assert sum(moved) == 1
        out = await live.client.get(f"/api/events/{event.id}/sessions/{sid}", headers=headers)
        assert out.json()["clock"]["current_round"] == 2


async def _organiser_of(live: Live, event: Event) -> Organiser:
    async with live.sessions() as session:
        found = await session.get(Organiser, event.organiser_id)
        assert found is not None
        return found
