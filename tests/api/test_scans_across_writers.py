"""Several workers writing one event's scans at once (PostgreSQL), each with its own engine.

Each "worker" is an app of its own, with its own engine (its own connections) and its own
group-commit writer, so their groups really are in the database at the same time, as the
groups of two ``uvicorn`` workers are. Between them they hammer the same event: pairs
scanned from both sides at the same instant, one person met from several phones, the
same client id sent to every worker. Meanwhile a reader follows the event's feed as a
dashboard does (the event's number first, then the contacts up to it) and must never
see a gap nor a number twice.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from rencontre.app import create_app
from rencontre.config import Settings
from rencontre.db import create_engine, create_session_factory, session_scope
from rencontre.feed import repository as feed_repository
from rencontre.feed.broker import InProcessBroker
from rencontre.models import Attendee, Scan
from tests.api.conftest import Live
from tests.api.scan_support import scan_body
from tests.support import Factory

pytestmark = pytest.mark.postgresql_only

WORKERS = 3
ROUND = 2 * WORKERS


@pytest.fixture
async def workers(settings: Settings, live: Live) -> AsyncIterator[list[httpx.AsyncClient]]:
    async with AsyncExitStack() as stack:
        clients = []
        for _ in range(WORKERS):
            engine = create_engine(settings)
            stack.push_async_callback(engine.dispose)
            app = create_app(settings)
            app.state.engine = engine
            app.state.session_factory = create_session_factory(engine)
            app.state.broker = InProcessBroker()
            transport = httpx.ASGITransport(app=app)
            client = httpx.AsyncClient(transport=transport, base_url="http://test")
            clients.append(await stack.enter_async_context(client))
        yield clients


async def _scan(
    client: httpx.AsyncClient, factory: Factory, scanner: Attendee, body: dict[str, Any]
) -> httpx.Response:
    return await client.post("/api/scans", json=body, headers=factory.attendee_headers(scanner))


class TestWorkersSideBySide:
    async def test_every_invariant_holds_while_a_reader_follows_the_feed(
        self, live: Live, workers: list[httpx.AsyncClient]
    ) -> None:
        event, people, factory = await live.event_with(40)
        both_sides = [(people[i], people[i + 1]) for i in range(0, 32, 2)]
        star, fans = people[32], people[33:40]
        sent: list[tuple[int, Attendee, dict[str, Any]]] = []
        for k, (one, other) in enumerate(both_sides):
            # The two sides of a pair reach different workers at the same instant.
            sent.append((k, one, scan_body(live.settings, event, other, note="a")))
            sent.append((k + 1, other, scan_body(live.settings, event, one, note="b")))
        for k, fan in enumerate(fans):
            # Each fan meets the star from several phones at once, through every worker.
            for n in range(3):
                sent.append((k + n, fan, scan_body(live.settings, event, star, note=f"{fan.name} {n}")))
        repeated = scan_body(live.settings, event, fans[0], note="once")

        done = asyncio.Event()
        seen: list[int] = []

        async def follow() -> None:
            # As the feed reads: the event's number, then every contact after ours up to it.
            while True:
                finished = done.is_set()
                async with session_scope(live.sessions) as session:
                    head = await feed_repository.head(session, event.id)
                    assert head is not None
                    after = seen[-1] if seen else 0
                    found = await feed_repository.connections(
                        session, event.id, after=after, upto=head.feed_seq
                    )
                assert [c.seq for c in found] == list(range(after + 1, head.feed_seq + 1))
                seen.extend(c.seq for c in found)
                if finished:
                    return
                await asyncio.sleep(0)

        reader = asyncio.create_task(follow())
        responses = []
        for start in range(0, len(sent), ROUND):
            # A round at a time: every worker's group starts at the same instant, over and over.
            responses += await asyncio.gather(
                *(
                    _scan(workers[k % WORKERS], factory, scanner, body)
                    for k, scanner, body in sent[start : start + ROUND]
                )
            )
        responses += await asyncio.gather(*(_scan(worker, factory, star, repeated) for worker in workers))
        done.set()
        await reader
        assert all(r.status_code in (200, 201) for r in responses), [r.text for r in responses]

        encounters = await live.encounters(event)
        by_pair = {(e.scanner_id, e.scanned_id): e for e in encounters}
        # One contact per pair and direction; both sides of every pair mutual.
        assert len(by_pair) == len(encounters) == 2 * len(both_sides) + len(fans) + 1
        for one, other in both_sides:
            assert by_pair[(one.id, other.id)].mutual
            assert by_pair[(other.id, one.id)].mutual
        # Exact counts: every note of every phone kept, the repeated client id counted once.
        for fan in fans:
            contact = by_pair[(fan.id, star.id)]
            assert contact.scan_count == 3
            assert all(f"{fan.name} {n}" in contact.note for n in range(3))
        assert by_pair[(star.id, fans[0].id)].scan_count == 1
        assert by_pair[(star.id, fans[0].id)].mutual
        async with live.sessions() as session:
            scans = await session.scalars(
                select(Scan).where(Scan.client_id == uuid.UUID(repeated["client_id"]))
            )
            assert len(list(scans)) == 1
        # The feed: each new contact numbered once, without a gap, and the reader saw them all in order.
        assert sorted(e.seq for e in encounters) == list(range(1, len(encounters) + 1))
        assert seen == list(range(1, len(encounters) + 1))


class TestADeletionAmongScans:
    async def test_an_account_deleted_while_its_pairs_are_scanned_goes_and_no_scan_fails(
        self, live: Live, workers: list[httpx.AsyncClient]
    ) -> None:
        """A deletion takes the locks of its pairs first, as scans do: neither waits on the
        other in a circle, so the deletion goes through and every scan is recorded or
        refused cleanly, never an internal error. (A scan the leaving phone sent just before
        may still be written just after: the scan path reads its scanner before it takes its
        locks.)"""
        event, people, factory = await live.event_with(24)
        leaving, others = people[0], people[1:]
        sent = []
        for k, other in enumerate(others):
            client = workers[k % WORKERS]
            sent.append(_scan(client, factory, other, scan_body(live.settings, event, leaving, note="met")))
            sent.append(_scan(client, factory, leaving, scan_body(live.settings, event, other, note="met")))
        deletion = workers[0].delete("/api/me", headers=factory.attendee_headers(leaving))
        half = len(sent) // 2
        answers = await asyncio.gather(*sent[:half], deletion, *sent[half:])
        deleted = answers[half]
        assert deleted.status_code == 204, deleted.text
        scans = answers[:half] + answers[half + 1 :]
        assert [r.status_code for r in scans if r.status_code >= 500] == []
