"""What the organiser-console browser tests share besides fixtures: the organiser's
API over HTTP (to set a scene and to check what was stored), axe-core and CSP checks,
screenshots under ``tests/e2e/artifacts/console/``, polling."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.support import REPO, ServerProcess, free_port

CHROMIUM = Path(os.environ.get("RENCONTRE_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DIST = REPO / "frontend" / "dist"
AXE_SOURCE = REPO / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__console_e2e__/axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "console"
VIEWPORT = {"width": 1280, "height": 800}
ORGANISER_EMAIL = "console@e2e.example"
ORGANISER_NAME = "Camille Organisatrice"
ORGANISER_PASSWORD = "correct horse battery staple"

CSP_WATCH = """
document.addEventListener('securitypolicyviolation', (event) => {
  (window.__cspViolations ||= []).push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@dataclass
class Attendee:
    id: str
    name: str
    email: str
    join_link: str = ""
    token: str = ""
    badge_url: str = ""


class _RetryBusy(httpx.HTTPTransport):
    """Retries what the server answers 503 + Retry-After ("retry shortly"), as a client should.

    SQLite answers so when two organiser writes meet (the browser's and the test's).
    """

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        for _ in range(5):
            response = super().handle_request(request)
            if response.status_code != 503 or "retry-after" not in response.headers:
                return response
            response.read()
            response.close()
            time.sleep(0.3)
        return super().handle_request(request)


class _SignInAgain(httpx.Auth):
    """Signs in again when the server refuses the token: a browser test that clicks "Log
    out" revokes every token of its organiser, this client's too."""

    requires_response_body = True

    def __init__(self, api: OrganiserApi) -> None:
        self.api = api

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        response = yield request
        if response.status_code != 401 or request.url.path == "/api/auth/login":
            return
        login = yield httpx.Request(
            "POST",
            request.url.copy_with(path="/api/auth/login", query=None),
            json={"email": self.api.email, "password": self.api.password},
        )
        if login.status_code == 200:
            self.api.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
            request.headers["Authorization"] = self.api.headers["Authorization"]
            yield request


@dataclass
class OrganiserApi:
    """The organiser's API, straight over HTTP: to set a scene and to check what was stored."""

    base_url: str
    email: str = ORGANISER_EMAIL
    password: str = ORGANISER_PASSWORD
    http: httpx.Client = field(init=False)
    headers: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        # No keep-alive: the server closes idle connections, and a request must not race that.
        self.http = httpx.Client(
            base_url=self.base_url,
            timeout=20,
            transport=_RetryBusy(limits=httpx.Limits(max_keepalive_connections=0)),
            auth=_SignInAgain(self),
        )
        response = self.http.post("/api/auth/login", json={"email": self.email, "password": self.password})
        response.raise_for_status()
        self.headers = {"Authorization": f"Bearer {response.json()['access_token']}"}

    def get(self, path: str, **params: Any) -> Any:
        response = self.http.get(path, headers=self.headers, params=params)
        response.raise_for_status()
        return response.json()

    def create_event(self, name: str, **fields: Any) -> str:
        now = datetime.now(UTC)
        body = {
            "name": name,
            "starts_at": (now - timedelta(hours=1)).isoformat(),
            "ends_at": (now + timedelta(hours=5)).isoformat(),
            "timezone": "Europe/Paris",
            "venue": "Le Lieu Unique, Nantes",
            **fields,
        }
        response = self.http.post("/api/events", headers=self.headers, json=body)
        response.raise_for_status()
        event_id: str = response.json()["id"]
        return event_id

    def import_csv(self, event_id: str, content: bytes) -> int:
        response = self.http.post(
            f"/api/events/{event_id}/attendees/import",
            headers=self.headers,
            params={"dry_run": "false"},
            files={"file": ("attendees.csv", content, "text/csv")},
        )
        response.raise_for_status()
        created: int = response.json()["created"]
        return created

    def events(self) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = self.get("/api/events")
        return events

    def attendees(self, event_id: str, q: str = "") -> list[Attendee]:
        found: list[Attendee] = []
        cursor = None
        while True:
            page = self.get(
                f"/api/events/{event_id}/attendees",
                limit=200,
                **({"cursor": cursor} if cursor else {}),
                **({"q": q} if q else {}),
            )
            found += [Attendee(a["id"], a["name"], a["email"]) for a in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                return found

    def attendee(self, event_id: str, attendee_id: str) -> dict[str, Any]:
        attendee: dict[str, Any] = self.get(f"/api/events/{event_id}/attendees/{attendee_id}")
        return attendee

    def join(self, event_id: str, person: Attendee) -> Attendee:
        """Sign the person in as their phone would, and learn the URL their badge QR encodes."""
        link = self.get(f"/api/events/{event_id}/attendees/{person.id}/invite")["join_link"]
        person.join_link = link
        joined = self.http.post("/api/auth/join", json={"token": link.split("#", 1)[1]})
        joined.raise_for_status()
        person.token = joined.json()["access_token"]
        badge = self.http.get("/api/me/badge", headers=self.bearer(person.token))
        badge.raise_for_status()
        person.badge_url = badge.json()["url"]
        return person

    @staticmethod
    def bearer(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def scan(self, scanner: Attendee, scanned: Attendee) -> int:
        """``scanner`` scans ``scanned``'s badge through POST /api/scans, as the PWA does."""
        response = self.http.post(
            "/api/scans",
            headers=self.bearer(scanner.token),
            json={"client_id": str(uuid.uuid4()), "qr": scanned.badge_url, "note": "never shown"},
        )
        response.raise_for_status()
        return response.status_code

    def report(self, event_id: str) -> dict[str, Any]:
        report: dict[str, Any] = self.get(f"/api/events/{event_id}/report")
        return report


@dataclass
class ConsoleServer:
    url: str
    data_dir: Path
    process: ServerProcess

    _api: OrganiserApi | None = None

    def api(self) -> OrganiserApi:
        if self._api is None:
            self._api = OrganiserApi(self.url)
        return self._api

    def close(self) -> None:
        if self._api is not None:
            self._api.http.close()

    def backdate_arrival(self, people: list[Attendee], minutes: int) -> None:
        """Pretend these people joined and arrived at the venue ``minutes`` ago (the
        dashboard's "isolated" list only names people present for a while)."""
        arrived = (datetime.now(UTC) - timedelta(minutes=minutes)).replace(tzinfo=None)
        with sqlite3.connect(self.data_dir / "rencontre.db") as db:
            db.executemany(
                "UPDATE attendee SET joined_at = ?1, arrived_at = ?1 WHERE id = ?2",
                [(arrived.isoformat(sep=" "), uuid.UUID(person.id).hex) for person in people],
            )


@dataclass
class ConsoleTab:
    """A console page and what it recorded: uncaught errors, for the test to assert on."""

    page: Any
    context: Any
    errors: list[str]


# The sign-in form's words in the console's two languages.
_SIGN_IN = {
    "en": ("E-mail", "Password", "Sign in"),
    "fr": ("Adresse e-mail", "Mot de passe", "Se connecter"),
}


def sign_in(
    tab: ConsoleTab,
    path: str,
    lang: str = "en",
    *,
    email: str = ORGANISER_EMAIL,
    password: str = ORGANISER_PASSWORD,
) -> None:
    """Open ``path``, get sent to the sign-in form, sign in and land back on ``path``."""
    email_label, password_label, button = _SIGN_IN[lang]
    page = tab.page
    page.goto(path)
    page.wait_for_url("**/console/login**")
    page.get_by_label(email_label).fill(email)
    page.get_by_label(password_label, exact=True).fill(password)
    page.get_by_role("button", name=button).click()
    page.wait_for_url(f"**{path}")


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Violations of impact serious or critical on the screen as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_PATH)
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const result = await axe.run(document, { resultTypes: ['violations'] });
            return result.violations
              .filter((v) => v.impact === 'serious' || v.impact === 'critical')
              .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + n.failureSummary) }));
        }"""
    )
    return violations


def csp_violations(page: Any) -> list[str]:
    violations: list[str] = page.evaluate("window.__cspViolations || []")
    return violations


def check_screen(page: Any, artifacts: Path, name: str) -> None:
    """Save the screen at 1280×800 and hold it to the accessibility bar."""
    # A screen that polls (an invitation being sent) may never be idle for long on a
    # loaded machine: settle if it can, the assertions that matter wait on their own.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_load_state("networkidle", timeout=10_000)
    page.screenshot(path=str(artifacts / f"{name}.png"))
    violations = run_axe(page)
    assert not violations, f"{name}: axe found {violations}"
    assert not csp_violations(page), f"{name}: CSP blocked {csp_violations(page)}"


def poll(probe: Callable[[], Any], *, timeout: float = 10.0, interval: float = 0.2) -> Any:
    """The probe's value once truthy; its last value after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    value = probe()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = probe()
    return value


@contextlib.contextmanager
def running_console_server(
    data_dir: Path, extra_env: dict[str, str] | None = None
) -> Iterator[ConsoleServer]:
    """A migrated server process with the test organiser; ``extra_env`` sets more of its settings."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        "RENCONTRE_DATA_DIR": str(data_dir),
        "RENCONTRE_DATABASE_URL": "",
        "RENCONTRE_PUBLIC_BASE_URL": url,
        # Every request comes from 127.0.0.1: the per-address limits are not under test here.
        "RENCONTRE_LOGIN_RATE_LIMIT": "10000/minute",
        "RENCONTRE_LOGIN_ADDRESS_RATE_LIMIT": "10000/minute",
        "RENCONTRE_SCAN_RATE_LIMIT": "10000/minute",
        # The live lists move every second, by two connections at a time: the steps the
        # dashboard test takes, without waiting a minute for each.
        "RENCONTRE_FEED_LISTS_REFRESH_SECONDS": "1",
        "RENCONTRE_FEED_LISTS_MIN_CONNECTIONS": "2",
        **(extra_env or {}),
    }
    server = ServerProcess(env, port=port)
    server.migrate()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "rencontre",
            "organiser",
            "create",
            "--email",
            ORGANISER_EMAIL,
            "--name",
            ORGANISER_NAME,
        ],
        env={**server.env, "RENCONTRE_ORGANISER_PASSWORD": ORGANISER_PASSWORD},
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    server.start()
    console = ConsoleServer(url, data_dir, server)
    try:
        yield console
    finally:
        console.close()
        server.stop()


def new_organiser(server: ConsoleServer, password: str, name: str = "Alix Porte") -> str:
    """An organiser of one test alone, for a test that signs out or changes the password:
    the shared organiser's tokens must keep working for the others."""
    email = f"own-{uuid.uuid4().hex[:8]}@e2e.example"
    subprocess.run(
        [sys.executable, "-m", "rencontre", "organiser", "create", "--email", email, "--name", name],
        env={**server.process.env, "RENCONTRE_ORGANISER_PASSWORD": password},
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    return email
