"""Helpers for the contacts tests."""

from __future__ import annotations

from typing import Any

from rencontre.models import Attendee, Event
from tests.support import Factory


async def event_with_me(factory: Factory, **me: Any) -> tuple[Event, Attendee, dict[str, str]]:
    """An event in Paris time, me (Alex Martin) among its attendees, and my headers."""
    event = await factory.event(timezone="Europe/Paris", name="Rencontres Lyon")
    attendee = await factory.attendee(event, name="Alex Martin", **me)
    return event, attendee, factory.attendee_headers(attendee)
