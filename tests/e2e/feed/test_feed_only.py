"""A feed-only process beside a main instance on one PostgreSQL database, directly and behind nginx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.feed.support import Cluster, FeedOnlyProcess, Site, three_scans_followed
from tests.e2e.nginx import run_nginx

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def feed_only(cluster: Cluster) -> Iterator[FeedOnlyProcess]:
    process = FeedOnlyProcess(cluster.env).start()
    yield process
    process.stop()


class TestFeedOnlyProcess:
    async def test_scans_on_an_instance_reach_a_dashboard_on_the_feed_only_process(
        self, cluster: Cluster, feed_only: FeedOnlyProcess, sites: list[Site]
    ) -> None:
        await three_scans_followed(cluster, cluster.a.url, feed_only.url, sites)

    async def test_it_serves_nothing_but_the_feed_and_its_health(self, feed_only: FeedOnlyProcess) -> None:
        async with httpx.AsyncClient(base_url=feed_only.url, timeout=15) as client:
            assert (await client.get("/api/health")).status_code == 200
            for method, path in [("POST", "/api/scans"), ("POST", "/api/auth/login"), ("GET", "/")]:
                response = await client.request(method, path, json={})
                assert response.status_code == 404, (method, path)

    async def test_nginx_sends_dashboards_to_it_and_everything_else_to_the_instances(
        self,
        nginx_binary: str,
        cluster: Cluster,
        feed_only: FeedOnlyProcess,
        tmp_path: Path,
        sites: list[Site],
    ) -> None:
        ports = (cluster.a.port, cluster.b.port)
        with run_nginx(nginx_binary, tmp_path, ports, feed_port=feed_only.port) as (proxy, access_log):
            await three_scans_followed(cluster, proxy, proxy, sites)
            lines = access_log.read_text().splitlines()
        feed = f"upstream=127.0.0.1:{feed_only.port}"
        handshakes = [
            line for line in lines if "GET /api/events/" in line and line.split()[4].endswith("/feed")
        ]
        assert handshakes
        assert all(feed in line for line in handshakes), handshakes
        others = [line for line in lines if line not in handshakes and "upstream=" in line]
        assert any("/feed/ticket" in line for line in others)
        assert not any(feed in line for line in others), "only the socket goes to the feed-only process"
