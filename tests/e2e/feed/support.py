"""Two Rencontre instances on one PostgreSQL database, and an event set up and scanned over HTTP.

Scans go through ``POST /api/scans`` exactly as a phone sends them; dashboards are
``websockets`` clients, as ``rencontre watch`` is. Waits are generous (this machine
is shared); the product's "within a second" is reported, and checked loosely.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
from websockets.asyncio.client import ClientConnection, connect

from rencontre.feed.watch import LiveState, feed_url
from tests.support import REPO, ServerProcess, free_port

WAIT = 15.0  # seconds: functional timeouts only, generous for a noisy 2-core machine
TARGET = 1.0  # the product's target for a scan to reach a dashboard
PASSWORD = "correct horse battery staple"


# --- servers ------------------------------------------------------------------------------------


def instance_env(data_dir: Path, database_url: str, secrets_: dict[str, str], public: str) -> dict[str, str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    return {
        "RENCONTRE_ENVIRONMENT": "test",
        "RENCONTRE_DATA_DIR": str(data_dir),
        "RENCONTRE_DATABASE_URL": database_url,
        "RENCONTRE_PUBLIC_BASE_URL": public,
        "RENCONTRE_LOGIN_RATE_LIMIT": "100000/minute",
        "RENCONTRE_LOGIN_ADDRESS_RATE_LIMIT": "100000/minute",
        "RENCONTRE_SCAN_RATE_LIMIT": "100000/minute",
        "PYTHONUNBUFFERED": "1",
        **secrets_,
    }


def shared_secrets() -> dict[str, str]:
    # Every instance signs and verifies with the same keys, as a deployment configures them.
    return {
        "RENCONTRE_JWT_SECRET": secrets.token_urlsafe(32),
        "RENCONTRE_BADGE_SECRET": secrets.token_urlsafe(32),
    }


def create_organiser(env: dict[str, str]) -> str:
    email = f"org-{uuid.uuid4().hex[:8]}@example.org"
    subprocess.run(
        [sys.executable, "-m", "rencontre", "organiser", "create", "--email", email, "--name", "Org"],
        env={**os.environ, **env, "RENCONTRE_ORGANISER_PASSWORD": PASSWORD},
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=60,
    )
    return email


@dataclass
class Cluster:
    a: ServerProcess
    b: ServerProcess
    env: dict[str, str]
    database_url: str

    def stop(self) -> None:
        self.a.stop()
        self.b.stop()


class FeedOnlyProcess(ServerProcess):
    """``rencontre serve --feed-only``, as a deployment runs it beside the main instances."""

    def command(self) -> list[str]:
        serve = [sys.executable, "-m", "rencontre", "serve", "--feed-only"]
        return [*serve, "--host", "127.0.0.1", "--port", str(self.port)]


def start_cluster(postgres_url: str, root: Path) -> Cluster:
    shared = shared_secrets()
    port_a, port_b = free_port(), free_port()
    public = f"http://127.0.0.1:{port_a}"
    a = ServerProcess(instance_env(root / "a", postgres_url, shared, public), port=port_a)
    b = ServerProcess(instance_env(root / "b", postgres_url, shared, public), port=port_b)
    cluster = Cluster(a, b, a.env, postgres_url)
    try:
        a.start()
        b.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster


# --- the scene, over HTTP -----------------------------------------------------------------------


@dataclass
class Person:
    name: str
    token: str
    badge_url: str


class Site:
    """An organiser's event with joined attendees, set up and scanned through the public API."""

    def __init__(self, http: httpx.AsyncClient, headers: dict[str, str], event_id: str) -> None:
        self.http = http
        self.headers = headers
        self.event_id = event_id
        self.people: list[Person] = []

    @classmethod
    async def open(cls, base_url: str, email: str) -> Site:
        http = httpx.AsyncClient(base_url=base_url, timeout=20)
        login = await http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        login.raise_for_status()
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        now = time.time()
        event = await http.post(
            "/api/events",
            headers=headers,
            json={
                "name": "Live feed",
                "starts_at": iso(now - 3600),
                "ends_at": iso(now + 6 * 3600),
                "timezone": "Europe/Paris",
            },
        )
        event.raise_for_status()
        return cls(http, headers, event.json()["id"])

    async def add_people(self, count: int) -> None:
        for n in range(count):
            added = await self.http.post(
                f"/api/events/{self.event_id}/attendees",
                headers=self.headers,
                json={"name": f"Person {n:02d}", "email": f"p{n}-{uuid.uuid4().hex[:6]}@example.org"},
            )
            added.raise_for_status()
            invite = await self.http.get(
                f"/api/events/{self.event_id}/attendees/{added.json()['id']}/invite", headers=self.headers
            )
            joined = await self.http.post(
                "/api/auth/join", json={"token": invite.json()["join_link"].split("#", 1)[1]}
            )
            joined.raise_for_status()
            token = joined.json()["access_token"]
            badge = await self.http.get("/api/me/badge", headers={"Authorization": f"Bearer {token}"})
            badge.raise_for_status()
            self.people.append(Person(f"Person {n:02d}", token, badge.json()["url"]))

    async def scan(self, scanner: int, scanned: int) -> None:
        response = await self.http.post(
            "/api/scans",
            headers={"Authorization": f"Bearer {self.people[scanner].token}"},
            json={"client_id": str(uuid.uuid4()), "qr": self.people[scanned].badge_url, "note": "SECRET"},
        )
        assert response.status_code == 201, response.text

    async def ticket(self) -> str:
        response = await self.http.post(f"/api/events/{self.event_id}/feed/ticket", headers=self.headers)
        response.raise_for_status()
        ticket: str = response.json()["ticket"]
        return ticket

    async def close(self) -> None:
        await self.http.aclose()


def iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(epoch))


@dataclass
class Dashboard:
    socket: ClientConnection
    state: LiveState

    @classmethod
    async def open(cls, base_url: str, site: Site, state: LiveState | None = None) -> Dashboard:
        state = state or LiveState()
        socket = await connect(feed_url(base_url, uuid.UUID(site.event_id)), open_timeout=WAIT)
        await socket.send(json.dumps({"type": "auth", "ticket": await site.ticket(), "last_seq": state.seq}))
        dashboard = cls(socket, state)
        await dashboard.follow(lambda s: s.seq is not None)
        return dashboard

    async def follow(self, until: Callable[[LiveState], bool], within: float = WAIT) -> LiveState:
        async with asyncio.timeout(within):
            while not until(self.state):
                frame = json.loads(await self.socket.recv())
                if frame["type"] in ("snapshot", "delta"):
                    assert self.state.apply(frame), f"gap at {frame['from_seq']} after {self.state.seq}"
        return self.state


async def truth(database_url: str, event_id: str) -> dict[str, int]:
    connection = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        event = uuid.UUID(event_id)
        connections = await connection.fetchval("SELECT count(*) FROM encounter WHERE event_id = $1", event)
        mutual = await connection.fetchval(
            "SELECT count(*) FROM encounter a JOIN encounter b"
            " ON a.scanner_id = b.scanned_id AND a.scanned_id = b.scanner_id"
            " WHERE a.event_id = $1 AND a.seq < b.seq",
            event,
        )
        seq = await connection.fetchval("SELECT feed_seq FROM event WHERE id = $1", event)
    finally:
        await connection.close()
    return {"seq": seq, "connections": connections, "mutual": mutual, "unique_pairs": connections - mutual}


def assert_matches(state: LiveState, truth: dict[str, int]) -> None:
    assert state.seq == truth["seq"]
    for key in ("connections", "mutual", "unique_pairs"):
        assert state.counts[key] == truth[key], key


async def three_scans_followed(cluster: Cluster, scans_at: str, feed_at: str, sites: list[Site]) -> None:
    """An event set up and scanned through ``scans_at``, each scan followed to a dashboard opened
    on ``feed_at``, which ends where the database does."""
    site = await Site.open(scans_at, create_organiser(cluster.env))
    sites.append(site)
    await site.add_people(4)
    dashboard = await Dashboard.open(feed_at, site)
    for number, (a, b) in enumerate([(0, 1), (1, 0), (2, 3)], start=1):
        await site.scan(a, b)
        await dashboard.follow(lambda s, n=number: s.seq == n)
    assert_matches(dashboard.state, await truth(cluster.database_url, site.event_id))
    await dashboard.socket.close()
