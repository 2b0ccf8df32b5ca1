"""Seating each round of a session: who met before is kept apart, arrivals and departures
are folded in, a reverse forum's hosts keep their tables, those who would like to meet
sit together, and a block is never seated."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy.event import listen as event_listen
from sqlalchemy.event import remove as event_remove
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.formats import seating
from rencontre.kit.time import utcnow
from rencontre.models import (
    Attendee,
    AttendeeBlock,
    DismissalKind,
    Encounter,
    Event,
    FormatSession,
    MeetRequest,
    MeetRequestState,
    Suggestion,
    SuggestionDismissal,
)
from tests.api.sessions_support import (
    advance_past_phase,
    control,
    create,
    room,
    seats,
    speed_meeting,
    started,
)
from tests.support import Factory


class TestSeating:
    async def test_people_who_met_before_are_kept_apart(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, (a, b, *_) = await room(factory, 4)
        # Two rounds of four: a and b can be kept apart in both.
        session.add(
            Encounter(event_id=event.id, scanner_id=a.id, scanned_id=b.id, seq=1, client_id=uuid.uuid4())
        )
        await session.flush()
        sid = await started(client, factory, organiser, event)
        assert await advance_past_phase(session, sid)
        for round_ in (1, 2):
            pairs = {frozenset(t) for t in (await seats(session, sid, round_)).values()}
            assert frozenset({a.id, b.id}) not in pairs

    async def test_arrivals_and_departures_are_folded_into_the_next_round(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, people = await room(factory, 4)
        late = await factory.attendee(event, name="Late")
        sid = await started(client, factory, organiser, event)
        late.arrived_at = utcnow()
        leaving = people[0]
        response = await client.post(
            f"/api/me/sessions/{sid}/leave", headers=factory.attendee_headers(leaving)
        )
        assert response.status_code == 200, response.text
        assert response.json()["taking_part"] is False
        await session.flush()
        assert await advance_past_phase(session, sid)
        seated = set().union(*(await seats(session, sid, 2)).values())
        assert late.id in seated
        assert leaving.id not in seated

    async def test_a_session_that_runs_out_of_new_encounters_ends(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, _ = await room(factory, 2)
        sid = await started(client, factory, organiser, event, rounds_total=5)
        assert await advance_past_phase(session, sid)
        found = await session.get(FormatSession, uuid.UUID(sid))
        assert found is not None
        assert found.state.value == "ended"
        assert found.current_round == 1


class TestReverseForum:
    async def test_hosts_keep_a_table_each(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, people = await room(factory, 8)
        hosts = people[:2]
        created = await create(
            client, factory, organiser, event, speed_meeting(kind="reverse_forum", name="Forum")
        )
        sid = created.json()["id"]
        refused = await control(client, factory, organiser, event, sid, "start")
        assert refused.json()["code"] == "no_host"
        response = await client.put(
            f"/api/events/{event.id}/sessions/{sid}/hosts",
            json={"attendee_ids": [str(h.id) for h in hosts]},
            headers=factory.organiser_headers(organiser),
        )
        assert response.status_code == 200, response.text
        assert response.json()["hosts"] == 2
        assert (await control(client, factory, organiser, event, sid, "start")).status_code == 200
        tables = await seats(session, sid, 1)
        assert sorted(len(t) for t in tables.values()) == [4, 4]
        for table in tables.values():
            assert len(table & {h.id for h in hosts}) == 1

    async def test_hosts_must_be_attendees_of_the_event(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event, _ = await room(factory, 3)
        other_event = await factory.event(organiser)
        outsider = await factory.attendee(other_event)
        sid = (await create(client, factory, organiser, event, speed_meeting(kind="reverse_forum"))).json()[
            "id"
        ]
        response = await client.put(
            f"/api/events/{event.id}/sessions/{sid}/hosts",
            json={"attendee_ids": [str(outsider.id)]},
            headers=factory.organiser_headers(organiser),
        )
        assert response.status_code == 422
        assert response.json()["code"] == "hosts_not_attendees"

    async def test_only_a_forum_has_hosts(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser, event, people = await room(factory, 3)
        sid = (await create(client, factory, organiser, event, speed_meeting())).json()["id"]
        response = await client.put(
            f"/api/events/{event.id}/sessions/{sid}/hosts",
            json={"attendee_ids": [str(people[0].id)]},
            headers=factory.organiser_headers(organiser),
        )
        assert response.json()["code"] == "not_hosts_for_this_format"


def _pairs(tables: dict[int, set[uuid.UUID]]) -> set[frozenset[uuid.UUID]]:
    return {frozenset(t) for t in tables.values()}


def _asked(
    event: Event, sender: Attendee, recipient: Attendee, state: MeetRequestState = MeetRequestState.pending
) -> MeetRequest:
    answered = None if state is MeetRequestState.pending else utcnow()
    return MeetRequest(
        event_id=event.id, sender_id=sender.id, recipient_id=recipient.id, state=state, answered_at=answered
    )


def _suggested(event: Event, reader: Attendee, person: Attendee, rank: int = 0) -> Suggestion:
    return Suggestion(
        id=uuid.uuid4(),
        event_id=event.id,
        reader_id=reader.id,
        person_id=person.id,
        rank=rank,
        score=1.0,
        computed_at=utcnow(),
    )


class TestWishes:
    """With a choice available, those who would like to meet sit together."""

    @pytest.mark.parametrize("state", list(MeetRequestState))
    async def test_someone_who_asked_sits_with_the_one_they_asked(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession, state: MeetRequestState
    ) -> None:
        organiser, event, people = await room(factory, 6)
        session.add(_asked(event, people[0], people[4], state))
        await session.flush()
        sid = await started(client, factory, organiser, event)
        assert frozenset({people[0].id, people[4].id}) in _pairs(await seats(session, sid, 1))

    async def test_a_match_outweighs_a_one_way_ask(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, (a, b, c, d) = await room(factory, 4)
        session.add_all([_asked(event, b, a), _asked(event, a, c, MeetRequestState.accepted)])
        await session.flush()
        sid = await started(client, factory, organiser, event)
        assert _pairs(await seats(session, sid, 1)) == {frozenset({a.id, c.id}), frozenset({b.id, d.id})}

    async def test_people_suggested_to_each_other_sit_together(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, people = await room(factory, 6)
        session.add(_suggested(event, people[1], people[5]))
        await session.flush()
        sid = await started(client, factory, organiser, event)
        assert frozenset({people[1].id, people[5].id}) in _pairs(await seats(session, sid, 1))

    async def test_a_declined_request_weighs_as_one_still_waiting(
        self, factory: Factory, session: AsyncSession
    ) -> None:
        """Nothing a phone sees (its seat) can tell "let be" from "not answered yet"."""
        _, event, (a, b, c, d) = await room(factory, 4)
        session.add_all([_asked(event, a, b), _asked(event, c, d, MeetRequestState.declined)])
        await session.flush()
        found = await seating.wishes(session, event.id, [a.id, b.id, c.id, d.id])
        assert sorted(found).count((a.id, b.id)) == sorted(found).count((c.id, d.id)) == seating.ASKED

    async def test_only_the_first_suggestions_count_and_not_those_put_aside(
        self, factory: Factory, session: AsyncSession
    ) -> None:
        _, event, (a, b, c, d) = await room(factory, 4)
        session.add_all(
            [
                _suggested(event, a, b, rank=0),
                _suggested(event, a, c, rank=seating.SUGGESTIONS_TOP),
                _suggested(event, d, b, rank=1),
                SuggestionDismissal(
                    event_id=event.id, reader_id=d.id, person_id=b.id, kind=DismissalKind.hidden
                ),
            ]
        )
        await session.flush()
        assert await seating.wishes(session, event.id, [a.id, b.id, c.id, d.id]) == [(a.id, b.id)]

    async def test_wishes_are_read_in_two_queries_whatever_the_room(
        self, factory: Factory, session: AsyncSession
    ) -> None:
        counts = []
        for size in (4, 40):
            _, event, people = await room(factory, size)
            session.add_all([_asked(event, p, q) for p, q in itertools.pairwise(people)])
            session.add_all([_suggested(event, q, p) for p, q in itertools.pairwise(people)])
            await session.flush()
            statements: list[str] = []

            def count(*args: Any, statements: list[str] = statements) -> None:
                statements.append(args[2])

            engine = session.get_bind()
            event_listen(engine, "before_cursor_execute", count)
            try:
                await seating.wishes(session, event.id, [p.id for p in people])
            finally:
                event_remove(engine, "before_cursor_execute", count)
            counts.append(len(statements))
        assert counts == [2, 2]


class TestBlocks:
    """A block is a hard "never", like hosts meeting hosts: never seated together, even
    when they asked to meet before; a round that cannot be made otherwise is not made,
    and the organiser is not told why (no one learns of a block)."""

    async def test_a_blocked_pair_never_shares_a_table_over_the_session(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, (a, _, c, _) = await room(factory, 4)
        session.add_all(
            [_asked(event, a, c, MeetRequestState.accepted), AttendeeBlock(blocker_id=c.id, blocked_id=a.id)]
        )
        await session.flush()
        sid = await started(client, factory, organiser, event, rounds_total=3)
        # Four people meet everyone in three rounds, but a and c never meet: two rounds, then the end.
        assert await advance_past_phase(session, sid)
        assert await advance_past_phase(session, sid)
        for round_ in (1, 2):
            assert frozenset({a.id, c.id}) not in _pairs(await seats(session, sid, round_))
        assert await seats(session, sid, 3) == {}
        found = await session.get(FormatSession, uuid.UUID(sid))
        assert found is not None
        assert found.state.value == "ended"

    async def test_a_round_only_a_blocked_pair_could_make_is_refused_without_saying_why(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, (a, b) = await room(factory, 2)
        session.add(AttendeeBlock(blocker_id=a.id, blocked_id=b.id))
        await session.flush()
        sid = (await create(client, factory, organiser, event, speed_meeting())).json()["id"]
        response = await control(client, factory, organiser, event, sid, "start")
        assert response.status_code == 409
        assert response.json()["code"] == "rounds_exhausted"
        assert "block" not in response.text.lower()
        assert await seats(session, sid, 1) == {}
        again = await client.get(
            f"/api/events/{event.id}/sessions/{sid}", headers=factory.organiser_headers(organiser)
        )
        assert again.json()["clock"]["state"] == "draft"
