"""The scan limit counts scans, each scan of a batch too, with a burst the size of an
offline backlog: a phone back online with several hundred queued scans syncs them all at
once, and a script that keeps scanning past that burst runs into the limit. A throttled
request gets 429 with Retry-After and changes nothing (invariant 6); the phone keeps it
queued and sends it later."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.config import Settings
from rencontre.models import Scan
from tests.faults.live import person_of
from tests.faults.phones import in_batches, scan_item
from tests.support import Factory

BACKLOG = 400
BATCH = 200
RATE = 60  # scans a minute, once the burst is spent


class TestThrottledBacklog:
    async def test_a_backlog_syncs_under_a_limit_that_stops_hammering(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        settings.scan_rate_limit = f"{RATE}/minute"
        settings.scan_burst, settings.max_batch_items = BACKLOG + 1, BATCH
        event = await factory.event()
        phone, other_phone, *people = [await factory.attendee(event) for _ in range(BACKLOG + 2)]
        owner = person_of(settings, event, phone)
        backlog = in_batches([scan_item(person_of(settings, event, p).badge) for p in people], BATCH)

        for batch in backlog:
            synced = await client.post("/api/scans/batch", json={"items": batch}, headers=owner.headers)
            assert synced.status_code == 200, synced.text
            assert {item["http_status"] for item in synced.json()["results"]} == {201}
        recorded = await _scans(session, phone.id)
        assert recorded == BACKLOG

        # The burst's last scan, then a script keeps going: refused, with when to come back (at
        # most the time the sustained rate takes to allow a whole burst).
        met_again = scan_item(person_of(settings, event, people[0]).badge)
        assert (await client.post("/api/scans", json=met_again, headers=owner.headers)).status_code == 200
        late = [scan_item(person_of(settings, event, p).badge) for p in people[:3]]
        refusals = [
            await client.post("/api/scans", json=late[0], headers=owner.headers),
            await client.post("/api/scans/batch", json={"items": late}, headers=owner.headers),
        ]
        for refused in refusals:
            assert refused.status_code == 429, refused.text
            assert refused.headers["content-type"] == "application/problem+json"
            assert 1 <= int(refused.headers["retry-after"]) <= (BACKLOG + 1) * 60 // RATE
            assert "try again" in refused.json()["detail"]
        assert await _scans(session, phone.id) == BACKLOG + 1, "a throttled request changed something"

        # The limit is the phone's own: another phone syncing its own backlog is not slowed down.
        other = person_of(settings, event, other_phone)
        theirs = {"items": [scan_item(person_of(settings, event, p).badge) for p in people[:50]]}
        assert (await client.post("/api/scans/batch", json=theirs, headers=other.headers)).status_code == 200


async def _scans(session: AsyncSession, scanner_id: uuid.UUID) -> int:
    count = await session.scalar(select(func.count()).select_from(Scan).where(Scan.scanner_id == scanner_id))
    return int(count or 0)
