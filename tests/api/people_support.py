"""Shared set-up for the who-to-meet tests: an event whose directory is open, and people in it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event
from tests.support import Factory


async def open_event(factory: Factory, **fields: Any) -> Event:
    return await factory.event(directory_opens_at=utcnow() - timedelta(days=1), **fields)


async def member(factory: Factory, event: Event, name: str, **fields: Any) -> Attendee:
    return await factory.attendee(event, name=name, directory_opt_in=True, **fields)


async def people(
    client: httpx.AsyncClient, factory: Factory, viewer: Attendee, **params: Any
) -> httpx.Response:
    return await client.get("/api/people", params=params, headers=factory.attendee_headers(viewer))


async def names(client: httpx.AsyncClient, factory: Factory, viewer: Attendee, **params: Any) -> list[str]:
    response = await people(client, factory, viewer, **params)
    assert response.status_code == 200, response.text
    return [item["card"]["name"] for item in response.json()["items"]]


async def ask(
    client: httpx.AsyncClient, factory: Factory, sender: Attendee, to: Attendee, reason: str = ""
) -> httpx.Response:
    return await client.post(
        "/api/meet-requests",
        json={"to": str(to.id), "reason": reason},
        headers=factory.attendee_headers(sender),
    )


async def requests_of(client: httpx.AsyncClient, factory: Factory, attendee: Attendee) -> dict[str, Any]:
    response = await client.get("/api/meet-requests", headers=factory.attendee_headers(attendee))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
