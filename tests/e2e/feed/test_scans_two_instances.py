"""Scans racing each other through two real server processes on one PostgreSQL database."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import httpx
import pytest

from tests.e2e.feed.support import Cluster, Dashboard, Site, assert_matches, create_organiser, truth

pytestmark = pytest.mark.slow


async def _scan(site: Site, scanner: int, scanned: int) -> int:
    response = await site.http.post(
        "/api/scans",
        headers={"Authorization": f"Bearer {site.people[scanner].token}"},
        json={"client_id": str(uuid.uuid4()), "qr": site.people[scanned].badge_url},
    )
    return response.status_code


class TestBothSidesThroughBothInstances:
    async def test_each_pair_scanned_both_ways_at_once_ends_mutual_and_numbered_without_gaps(
        self, cluster: Cluster, sites: list[Site]
    ) -> None:
        site = await Site.open(cluster.a.url, create_organiser(cluster.env))
        sites.append(site)
        await site.add_people(16)
        on_b = Site(httpx.AsyncClient(base_url=cluster.b.url, timeout=20), site.headers, site.event_id)
        sites.append(on_b)
        on_b.people = site.people
        dashboard = await Dashboard.open(cluster.a.url, site)
        pairs = [(i, i + 1) for i in range(0, 16, 2)]
        # One side through A, the other through B, at the same instant; then the same pairs again.
        for expected in (201, 200):
            answers = await asyncio.gather(
                *(scan for a, b in pairs for scan in (_scan(site, a, b), _scan(on_b, b, a)))
            )
            assert answers == [expected] * 16
        await dashboard.follow(lambda s: s.seq == 16)
        assert_matches(dashboard.state, await truth(cluster.database_url, site.event_id))
        connection = await asyncpg.connect(
            cluster.database_url.replace("postgresql+asyncpg://", "postgresql://")
        )
        try:
            rows = await connection.fetch(
                "SELECT seq, mutual, scan_count FROM encounter WHERE event_id = $1 ORDER BY seq",
                uuid.UUID(site.event_id),
            )
        finally:
            await connection.close()
        assert [row["seq"] for row in rows] == list(range(1, 17))
        assert all(row["mutual"] for row in rows)
        assert all(row["scan_count"] == 2 for row in rows)
        await dashboard.socket.close()
