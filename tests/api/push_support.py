"""Shared by the push tests: settings pointing at the fake push service, a subscribed
attendee, contacts met at chosen moments, and an afternoon in the event's time zone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from rencontre.config import Settings
from rencontre.models import Attendee, Encounter, Event
from tests.push_server import FakeBrowser, FakePushService, push_service
from tests.support import Factory, make_settings

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def pushes() -> Iterator[FakePushService]:
    with push_service() as service:
        yield service


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return push_settings(tmp_path, database_url)


def push_settings(tmp_path: Path, database_url: str, **overrides: Any) -> Settings:
    return make_settings(
        tmp_path, database_url, push_allow_loopback_http=True, reminder_poll_seconds=0, **overrides
    )


def local(hour: int, minute: int = 0, *, days_ago: int = 0) -> datetime:
    """Today (or ``days_ago`` before) at this hour in Paris, as a UTC-aware moment."""
    day = datetime.now(PARIS).date() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


async def subscribe(
    client: httpx.AsyncClient,
    factory: Factory,
    attendee: Attendee,
    browser: FakeBrowser,
    language: str | None = None,
) -> httpx.Response:
    response = await client.post(
        "/api/push/subscriptions",
        json=browser.subscription(language),
        headers=factory.attendee_headers(attendee),
    )
    assert response.status_code in (200, 201), response.text
    return response


async def met(factory: Factory, event: Event, scanner: Attendee, when: datetime, **fields: Any) -> Encounter:
    other = await factory.attendee(event, name="Met")
    return await factory.encounter(scanner, other, met_at=when, last_scanned_at=when, **fields)
