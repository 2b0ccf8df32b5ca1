"""A real Rencontre server process for the browser tests, and a small HTTP client
to set the scene (organiser, event, attendees) and to check what the server stored."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[2]
FRONTEND_DIST = REPO / "frontend" / "dist"
ORGANISER_EMAIL = "organiser@e2e.example"
ORGANISER_PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class LiveServer:
    base_url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]


@contextlib.contextmanager
def run_server(
    data_dir: Path, *, public_host: str = "127.0.0.1", env_overrides: dict[str, str] | None = None
) -> Iterator[LiveServer]:
    """``public_host``: the name the browser uses (passkeys need a domain, e.g. ``localhost``);
    ``env_overrides``: settings of this server only (``RENCONTRE_*``)."""
    port = free_port()
    base_url = f"http://{public_host}:{port}"
    env = {key: value for key, value in os.environ.items() if key != "RENCONTRE_DATABASE_URL"}
    env.update(
        RENCONTRE_DATA_DIR=str(data_dir),
        RENCONTRE_PUBLIC_BASE_URL=base_url,
        # Every test signs in from 127.0.0.1: the per-address limits are not under test here.
        RENCONTRE_LOGIN_RATE_LIMIT="10000/minute",
        RENCONTRE_LOGIN_ADDRESS_RATE_LIMIT="10000/minute",
        # Tests reopen one person's join link as often as they need: not the limit under test.
        RENCONTRE_JOIN_RATE_LIMIT="10000/minute",
        RENCONTRE_SCAN_RATE_LIMIT="10000/minute",
    )
    env.update(env_overrides or {})
    cli = [sys.executable, "-m", "rencontre.cli"]
    subprocess.run([*cli, "migrate"], env=env, cwd=REPO, check=True, capture_output=True)
    subprocess.run(
        [*cli, "organiser", "create", "--email", ORGANISER_EMAIL, "--name", "E2E Organiser"],
        env={**env, "RENCONTRE_ORGANISER_PASSWORD": ORGANISER_PASSWORD},
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "rencontre.app:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(base_url, data_dir, process, log_path)
    try:
        _wait_healthy(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _wait_healthy(server: LiveServer, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited ({server.process.returncode}):\n{server.log()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{server.base_url}/api/health", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not become healthy in {timeout:.0f} s:\n{server.log()}")


@dataclass
class Person:
    id: str
    name: str
    email: str
    join_link: str
    token: str = ""
    badge_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Backend:
    """The organiser's side (setting the scene) and an attendee's side (checking the result)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.Client(base_url=base_url, timeout=20)
        response = self.http.post(
            "/api/auth/login", json={"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD}
        )
        response.raise_for_status()
        self.organiser_headers = {"Authorization": f"Bearer {response.json()['access_token']}"}

    def create_event(self, name: str = "Nantes Tech Meetup") -> str:
        now = datetime.now(UTC)
        response = self.http.post(
            "/api/events",
            headers=self.organiser_headers,
            json={
                "name": name,
                "starts_at": (now - timedelta(hours=1)).isoformat(),
                "ends_at": (now + timedelta(hours=6)).isoformat(),
                "timezone": "Europe/Paris",
                "venue": "La Cantine, Nantes",
            },
        )
        response.raise_for_status()
        event_id: str = response.json()["id"]
        return event_id

    def add_attendee(self, event_id: str, name: str, company: str = "", job_title: str = "") -> Person:
        email = f"{uuid.uuid4().hex[:10]}@e2e.example"
        response = self.http.post(
            f"/api/events/{event_id}/attendees",
            headers=self.organiser_headers,
            json={"name": name, "email": email, "company": company, "job_title": job_title},
        )
        response.raise_for_status()
        attendee_id: str = response.json()["id"]
        invite = self.http.get(
            f"/api/events/{event_id}/attendees/{attendee_id}/invite", headers=self.organiser_headers
        )
        invite.raise_for_status()
        return Person(attendee_id, name, email, invite.json()["join_link"])

    def join(self, person: Person) -> Person:
        """Sign the person in (as their phone would) and learn their badge URL."""
        token = person.join_link.split("#", 1)[1]
        response = self.http.post("/api/auth/join", json={"token": token})
        response.raise_for_status()
        person.token = response.json()["access_token"]
        badge = self.http.get("/api/me/badge", headers=self.auth(person.token))
        badge.raise_for_status()
        person.badge_url = badge.json()["url"]
        return person

    @staticmethod
    def auth(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def contacts(self, token: str) -> list[dict[str, Any]]:
        response = self.http.get("/api/contacts", headers=self.auth(token), params={"limit": 100})
        response.raise_for_status()
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    def scan(self, token: str, qr: str, note: str = "", tags: list[str] | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"client_id": str(uuid.uuid4()), "qr": qr, "note": note}
        if tags:
            body["tags"] = tags
        response = self.http.post("/api/scans", headers=self.auth(token), json=body)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result
