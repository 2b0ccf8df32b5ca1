"""Helpers for the badge and scan tests: signed badges, scan bodies, row counts."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.badges.token import BadgeRef, badge_url, issue
from rencontre.config import Settings
from rencontre.models import Attendee, Encounter, Event, Scan
from tests.support import Factory


def token_of(settings: Settings, event: Event, attendee: Attendee, *, version: int | None = None) -> str:
    ref = BadgeRef(
        event_code=event.badge_code,
        attendee_code=attendee.badge_code,
        version=attendee.badge_version if version is None else version,
    )
    return issue(settings.badge_key(), ref)


def url_of(settings: Settings, event: Event, attendee: Attendee, *, version: int | None = None) -> str:
    return badge_url(settings.public_base_url, token_of(settings, event, attendee, version=version))


def scan_body(settings: Settings, event: Event, scanned: Attendee, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"client_id": str(uuid.uuid4()), "qr": url_of(settings, event, scanned)}
    body.update(fields)
    return body


async def encounter_count(session: AsyncSession, **where: Any) -> int:
    statement = select(func.count()).select_from(Encounter).filter_by(**where)
    return int(await session.scalar(statement) or 0)


async def scan_count(session: AsyncSession, **where: Any) -> int:
    return int(await session.scalar(select(func.count()).select_from(Scan).filter_by(**where)) or 0)


async def encounter_between(session: AsyncSession, scanner: Attendee, scanned: Attendee) -> Encounter | None:
    return await session.scalar(
        select(Encounter)
        .where(Encounter.scanner_id == scanner.id, Encounter.scanned_id == scanned.id)
        .execution_options(populate_existing=True)
    )


async def pair(factory: Factory, **scanned_fields: Any) -> tuple[Event, Attendee, Attendee]:
    """An event, Alice who scans, and Zoé whose badge is scanned."""
    event = await factory.event()
    alice = await factory.attendee(event, name="Alice Martin")
    zoe = await factory.attendee(event, name="Zoé Lefèvre", **scanned_fields)
    return event, alice, zoe


async def nothing_recorded(session: AsyncSession) -> None:
    assert await encounter_count(session) == 0
    assert await scan_count(session) == 0
