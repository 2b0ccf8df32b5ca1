"""Scans racing each other for real: separate sessions on separate connections, each committing.

The default ``client`` fixture runs every request on one shared connection, which
serialises them; here each request gets its own connection from a committing
engine on the test database (SQLite and PostgreSQL), and the rows are removed
afterwards.
"""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import select

from rencontre.feed.broker import FeedNotice
from rencontre.models import Encounter, Scan
from tests.api.conftest import Live
from tests.api.scan_support import scan_body


def _by_pair(encounters: list[Encounter]) -> dict[tuple[uuid.UUID, uuid.UUID], Encounter]:
    return {(e.scanner_id, e.scanned_id): e for e in encounters}


class TestRaces:
    async def test_both_sides_at_once_end_as_two_mutual_contacts(self, live: Live) -> None:
        event, people, factory = await live.event_with(16)
        notices: list[FeedNotice] = []
        live.broker.subscribe(event.id, notices.append)
        pairs = [(people[i], people[i + 1]) for i in range(0, 16, 2)]
        requests = []
        for one, other in pairs:
            requests.append(live.scan(factory, one, scan_body(live.settings, event, other, note="a")))
            requests.append(live.scan(factory, other, scan_body(live.settings, event, one, note="b")))
        responses = await asyncio.gather(*requests)
        assert [r.status_code for r in responses] == [201] * len(requests), [r.text for r in responses]
        encounters = await live.encounters(event)
        assert len(encounters) == 16
        assert all(e.mutual for e in encounters)
        by_pair = _by_pair(encounters)
        for one, other in pairs:
            assert (one.id, other.id) in by_pair
            assert (other.id, one.id) in by_pair
        # Each new contact has its own place in the feed, with no gap.
        assert sorted(e.seq for e in encounters) == list(range(1, 17))
        assert sorted(n.seq for n in notices) == list(range(1, 17))

    async def test_one_person_met_from_several_phones_at_once(self, live: Live) -> None:
        event, (alice, zoe), factory = await live.event_with(2)
        bodies = [scan_body(live.settings, event, zoe, note=f"note {i}") for i in range(6)]
        responses = await asyncio.gather(*(live.scan(factory, alice, body) for body in bodies))
        assert sorted(r.status_code for r in responses) == [200] * 5 + [201]
        assert sorted(r.json()["status"] for r in responses) == ["created"] + ["updated"] * 5
        assert len({r.json()["contact_id"] for r in responses}) == 1
        [encounter] = await live.encounters(event)
        assert encounter.scan_count == 6
        for i in range(6):
            assert f"note {i}" in encounter.note

    async def test_one_scan_sent_several_times_at_once(self, live: Live) -> None:
        event, (alice, zoe), factory = await live.event_with(2)
        body = scan_body(live.settings, event, zoe, note="once")
        responses = await asyncio.gather(*(live.scan(factory, alice, body) for _ in range(6)))
        assert [r.status_code for r in responses] == [201] * 6
        assert len({r.json()["contact_id"] for r in responses}) == 1
        [encounter] = await live.encounters(event)
        assert encounter.scan_count == 1
        assert encounter.note == "once"
        async with live.sessions() as session:
            scans = list(await session.scalars(select(Scan).where(Scan.scanner_id == alice.id)))
        assert len(scans) == 1

    async def test_batches_and_single_scans_cross_without_deadlock(self, live: Live) -> None:
        event, people, factory = await live.event_with(9)
        settings = live.settings
        rounds = [people[i : i + 3] for i in range(0, 9, 3)]
        # Each round: Zoé met Alice before; now Zoé's phone syncs a batch (Alice again, then Bob)
        # while Alice and Bob scan Zoé for the first time.
        for alice, zoe, _ in rounds:
            assert (await live.scan(factory, zoe, scan_body(settings, event, alice))).status_code == 201
        requests = []
        for alice, zoe, bob in rounds:
            batch = {
                "items": [scan_body(settings, event, alice, note="again"), scan_body(settings, event, bob)]
            }
            requests.append(
                live.client.post("/api/scans/batch", json=batch, headers=factory.attendee_headers(zoe))
            )
            requests.append(live.scan(factory, alice, scan_body(settings, event, zoe)))
            requests.append(live.scan(factory, bob, scan_body(settings, event, zoe)))
        responses = await asyncio.gather(*requests)
        assert all(r.is_success for r in responses), [r.text for r in responses]
        for response in responses[::3]:
            assert [item["http_status"] for item in response.json()["results"]] == [200, 201]
        encounters = await live.encounters(event)
        assert len(encounters) == 12
        assert all(e.mutual for e in encounters)
