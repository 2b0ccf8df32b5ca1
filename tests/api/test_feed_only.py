"""The feed-only app (``rencontre serve --feed-only``): the dashboards' websocket and health, nothing else."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from rencontre.config import Settings
from rencontre.feed.app import FeedOnlyNeedsPostgres, create_feed_app
from tests.api.feed_support import AsgiSocket, Scene, scene_of
from tests.api.scan_support import scan_body
from tests.support import Factory, make_settings


@pytest.fixture
async def scene(settings: Settings) -> AsyncIterator[Scene]:
    async with scene_of(settings, people=4) as scene:
        yield scene


@pytest.fixture
async def feed_only(settings: Settings) -> AsyncIterator[FastAPI]:
    """The feed-only app beside the scene's main app, with its real lifespan (its own broker)."""
    app = create_feed_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.mark.postgresql_only
class TestFeedOnlyServesTheFeed:
    async def test_a_scan_on_the_main_app_reaches_a_dashboard_on_the_feed_only_one(
        self, scene: Scene, feed_only: FastAPI
    ) -> None:
        socket = await AsgiSocket(feed_only, scene.feed_path).connect()
        scene.sockets.append(socket)
        # The ticket is asked for on the main app; the feed-only one redeems it (a database row).
        await socket.auth(await scene.ticket())
        snapshot = await socket.receive()
        assert snapshot["type"] == "snapshot"
        assert snapshot["seq"] == 0
        alice, zoe = scene.people[:2]
        async with scene.sessions() as session:
            headers = Factory(session, scene.settings).attendee_headers(alice)
        scanned = await scene.http.post(
            "/api/scans", json=scan_body(scene.settings, scene.event, zoe), headers=headers
        )
        assert scanned.status_code == 201, scanned.text
        # Across processes through PostgreSQL's NOTIFY, as between two instances.
        while True:
            frame = await socket.receive()
            if frame["seq"] == 1:
                break
        assert frame["type"] == "delta"
        assert frame["counts"]["connections"] == 1

    async def test_it_answers_its_health(self, feed_only: FastAPI) -> None:
        async with _client(feed_only) as client:
            response = await client.get("/api/health")
        assert response.status_code == 200
        assert response.json()["database_backend"] == "postgresql"

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("POST", "/api/scans"),
            ("POST", "/api/scans/batch"),
            ("POST", "/api/events/{event}/feed/ticket"),
            ("GET", "/api/events/{event}"),
            ("GET", "/api/openapi.json"),
            ("GET", "/"),
            ("GET", "/console"),
        ],
    )
    async def test_everything_else_is_not_found(self, feed_only: FastAPI, method: str, path: str) -> None:
        async with _client(feed_only) as client:
            response = await client.request(method, path.format(event=uuid.uuid4()), json={})
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")


class TestFeedOnlyNeedsPostgres:
    def test_with_sqlite_it_is_refused_saying_why(self, tmp_path: Path) -> None:
        with pytest.raises(FeedOnlyNeedsPostgres, match="needs PostgreSQL"):
            create_feed_app(make_settings(tmp_path))


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
