"""Reminders on a phone, for real: Zoé turns reminders on from her contacts list (the
browser's push service is stubbed with the test's own keys and its local push service),
the server's `rencontre reminders` sends the encrypted reminder there, the test decrypts
it and delivers it to the service worker over the DevTools protocol, which shows the
notification; its link opens the contacts list filtered on what is left to do. Then the
"My data" page, the retention banner and the keep action, in French and English.

Headless Chromium cannot click a notification: the test reads the notification's link
(what the worker's ``notificationclick`` opens) and opens it as the tap would.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import launch_phone
from tests.e2e.pwa import access_token, run_axe, serve_axe, wait_for_service_worker
from tests.e2e.server import REPO, Backend, LiveServer, run_server
from tests.push_server import FakeBrowser, FakePushService, push_service

SERVER_SETTINGS = {
    # The test's push service listens on 127.0.0.1 over plain HTTP.
    "RENCONTRE_PUSH_ALLOW_LOOPBACK_HTTP": "true",
    # The schedule is run by the cron command here, when the test says.
    "RENCONTRE_REMINDER_POLL_SECONDS": "0",
    # Whatever the hour the test runs at, it is daytime for the reminders.
    "RENCONTRE_REMINDER_QUIET_START_HOUR": "0",
    "RENCONTRE_REMINDER_QUIET_END_HOUR": "0",
}

# The browser's push service is out of reach here: subscribe() answers with the test's keys.
# Headless Chromium has no permission prompt (it answers "denied" by itself): the prompt
# answers "granted" when asked, as a person tapping "Allow" would.
STUB_PUSH = """
(subscription) => {
  const answer = () => localStorage.getItem('e2e.permission') || 'default';
  Object.defineProperty(Notification, 'permission', { get: answer, configurable: true });
  Notification.requestPermission = async () => {
    localStorage.setItem('e2e.permission', 'granted');
    return 'granted';
  };
  const make = () => ({
    endpoint: subscription.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true },
    getKey: () => null,
    toJSON: () => ({ endpoint: subscription.endpoint, expirationTime: null, keys: subscription.keys }),
    unsubscribe: async () => { localStorage.removeItem('e2e.push'); return true; },
  });
  PushManager.prototype.subscribe = async function () {
    localStorage.setItem('e2e.push', '1');
    return make();
  };
  PushManager.prototype.getSubscription = async function () {
    return localStorage.getItem('e2e.push') === '1' ? make() : null;
  };
}
"""


@pytest.fixture(scope="module")
def push_server(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with run_server(tmp_path_factory.mktemp("push-server"), env_overrides=SERVER_SETTINGS) as server:
        yield server


@pytest.fixture(scope="module")
def pushes() -> Iterator[FakePushService]:
    with push_service() as service:
        yield service


def _sql(server: LiveServer, statement: str, *params: Any) -> None:
    with sqlite3.connect(server.data_dir / "rencontre.db") as db:
        db.execute(statement, params)


def _run_cli(server: LiveServer, command: str) -> str:
    env = {key: value for key, value in os.environ.items() if key != "RENCONTRE_DATABASE_URL"}
    env.update(
        SERVER_SETTINGS, RENCONTRE_DATA_DIR=str(server.data_dir), RENCONTRE_PUBLIC_BASE_URL=server.base_url
    )
    done = subprocess.run(
        [sys.executable, "-m", "rencontre.cli", command],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _deliver(context: Any, page: Any, origin: str, payload: dict[str, Any]) -> None:
    """Hand ``payload`` to the page's service worker as its push service would."""
    cdp = context.new_cdp_session(page)
    registrations: list[str] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(
            r["registrationId"] for r in event["registrations"] if not r["isDeleted"]
        ),
    )
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not registrations and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert registrations, "no service worker registration reported"
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": origin, "registrationId": registrations[-1], "data": json.dumps(payload)},
    )


def _notifications(page: Any) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = page.evaluate(
        """() => navigator.serviceWorker.ready
            .then((registration) => registration.getNotifications())
            .then((all) => all.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data })))"""
    )
    return shown


def _shoot(
    page: Any, artifacts: Path, name: str, lang: str, path: str, selector: str, *, full_page: bool = False
) -> None:
    page.evaluate("(lang) => localStorage.setItem('rencontre.lang', lang)", lang)
    page.goto(path)
    expect(page.locator(selector).first).to_be_visible(timeout=15_000)
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / f"{name}-{lang}.png"), scale="css", full_page=full_page)


class TestRemindersReachTheServiceWorker:
    def test_turn_on_receive_a_reminder_and_open_what_is_left(
        self,
        playwright_instance: Any,
        chromium_path: Path,
        push_server: LiveServer,
        pushes: FakePushService,
        tmp_path: Path,
        artifacts: Path,
    ) -> None:
        backend = Backend(push_server.base_url)
        event = backend.create_event("Salon de Lyon")
        zoe = backend.add_attendee(event, "Zoé Lefèvre", "Atelier Lumière")
        others = [
            backend.join(backend.add_attendee(event, name, company))
            for name, company in (
                ("Amélie Nguyen", "Qonto"),
                ("James O'Connor", "Stripe"),
                ("Inès Benali", "Station F"),
            )
        ]
        browser: FakeBrowser = pushes.browser()

        context = launch_phone(playwright_instance, chromium_path, tmp_path / "zoe")
        serve_axe(context)
        context.add_init_script(f"({STUB_PUSH})({json.dumps(browser.subscription())})")
        page = context.new_page()
        page.goto(zoe.join_link)
        page.wait_for_url("**/profile?welcome")
        assert wait_for_service_worker(page)
        token = access_token(page)
        contacts = [
            backend.scan(token, person.badge_url, note=f"Note {i}") for i, person in enumerate(others)
        ]

        # The offer comes with the contacts, never at first launch.
        base = push_server.base_url
        for lang in ("en", "fr"):
            _shoot(
                page,
                artifacts,
                "30-reminder-offer",
                lang,
                f"{base}/contacts",
                "rc-reminder-offer .reminder-offer",
            )
        assert run_axe(page) == []
        context.grant_permissions(["notifications"], origin=base)
        with page.expect_response(lambda r: r.url.endswith("/api/push/subscriptions")) as subscribed:
            page.get_by_role("button", name="Activer les rappels").click()
        assert subscribed.value.status == 201
        expect(page.get_by_role("status").filter(has_text="Rappels activés")).to_be_visible()

        # A day later two contacts are still to do; one was followed up.
        yesterday = (datetime.now(UTC) - timedelta(hours=24, minutes=5)).replace(tzinfo=None)
        _sql(
            push_server,
            "UPDATE encounter SET met_at = ?1, last_scanned_at = ?1",
            yesterday.isoformat(sep=" "),
        )
        backend.http.patch(
            f"/api/contacts/{contacts[0]['contact_id']}",
            headers=backend.auth(token),
            json={"follow_up": "done"},
        ).raise_for_status()

        output = _run_cli(push_server, "reminders")
        assert "1 attendees reminded (1 messages sent)" in output, output
        [payload] = pushes.messages(browser)
        assert re.fullmatch(
            r"2 contacts (à relancer — il reste 23 h|to follow up — 23 h left)", payload["body"]
        )
        assert payload["url"] == "/contacts?follow_up=todo"
        assert _run_cli(push_server, "reminders").startswith("Reminders: 0 attendees reminded")

        _deliver(context, page, base, payload)
        deadline = time.monotonic() + 10
        while not _notifications(page) and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        [shown] = _notifications(page)
        assert (shown["title"], shown["body"], shown["tag"]) == (
            "Salon de Lyon",
            payload["body"],
            "follow-up",
        )
        assert shown["data"]["url"] == "/contacts?follow_up=todo"

        # A message pointing elsewhere (or garbled) never makes a notification open another site.
        _deliver(context, page, base, {**payload, "url": "https://evil.example/phish", "tag": "other"})
        deadline = time.monotonic() + 10
        while len(_notifications(page)) < 2 and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        other = next(n for n in _notifications(page) if n["tag"] == "other")
        assert other["data"]["url"] == "/contacts"

        # The tap: the list opens filtered on what is left to do.
        for lang in ("en", "fr"):
            _shoot(page, artifacts, "31-reminder-opened", lang, base + shown["data"]["url"], "rc-contact-row")
        expect(page.locator("rc-contact-row")).to_have_count(2)
        expect(page.get_by_label("Relance")).to_have_value("todo")
        expect(page.get_by_text("Amélie Nguyen")).to_have_count(0)

        # Keep one contact; My data lists it.
        contact_path = f"{base}/contacts/{contacts[1]['contact_id']}"
        _shoot(
            page,
            artifacts,
            "34-keep-contact",
            "en",
            contact_path,
            "rc-keep-contact .keep-contact",
            full_page=True,
        )
        _shoot(
            page,
            artifacts,
            "34-keep-contact",
            "fr",
            contact_path,
            "rc-keep-contact .keep-contact",
            full_page=True,
        )
        with page.expect_response(lambda r: r.url.endswith("/keep")) as kept:
            page.get_by_label("Garder ce contact").check()
        assert kept.value.ok
        for lang in ("en", "fr"):
            _shoot(page, artifacts, "32-my-data", lang, f"{base}/my-data", ".data-list", full_page=True)
        expect(page.get_by_text("Contact que vous gardez (1)")).to_be_visible()
        expect(page.get_by_label("Me le rappeler sur ce téléphone")).to_be_checked()
        assert run_axe(page) == []

        # Five days before the erasure: the banner, in both languages.
        _sql(
            push_server,
            "UPDATE event SET starts_at = ?1, ends_at = ?2 WHERE id = ?3",
            (datetime.now(UTC) - timedelta(days=85, hours=6)).replace(tzinfo=None).isoformat(sep=" "),
            (datetime.now(UTC) - timedelta(days=85)).replace(tzinfo=None).isoformat(sep=" "),
            uuid.UUID(event).hex,
        )
        for lang in ("en", "fr"):
            _shoot(page, artifacts, "33-retention-banner", lang, f"{base}/contacts", ".retention-banner")
        assert run_axe(page) == []
        warned = _run_cli(push_server, "purge")
        assert warned.startswith("Retention: 1 attendees warned; 0 events purged"), warned
        assert pushes.messages(browser)[-1]["kind"] == "retention"
        context.close()
