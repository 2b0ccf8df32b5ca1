"""Organiser writes that overlap each other and scans never fail with 'database is locked'."""

from __future__ import annotations

import asyncio

from rencontre.models import Organiser
from tests.api.conftest import Live
from tests.api.scan_support import scan_body


class TestOverlappingWrites:
    async def test_organiser_writes_and_scans_in_parallel_all_succeed(self, live: Live) -> None:
        event, people, factory = await live.event_with(12)
        async with live.sessions() as session:
            organiser = await session.get(Organiser, live.organisers[0])
            assert organiser is not None
        headers = factory.organiser_headers(organiser)
        base = f"/api/events/{event.id}/attendees"
        requests = []
        for i, person in enumerate(people[:6]):
            requests.append(live.client.post(f"{base}/{person.id}/badge/reissue", headers=headers))
            requests.append(live.client.get(f"{base}/{person.id}/invite", headers=headers))
            requests.append(
                live.client.patch(f"{base}/{person.id}", json={"company": f"Co {i}"}, headers=headers)
            )
            scanned = people[6 + i]
            requests.append(live.scan(factory, scanned, scan_body(live.settings, event, people[11 - i])))
        responses = await asyncio.gather(*requests)
        assert [r.status_code for r in responses if r.status_code >= 300] == [], [
            r.text for r in responses if r.status_code >= 300
        ]
