"""Helpers for the next-step tests: two people who scanned each other, each with a private note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Encounter, Event
from tests.support import Factory

ALEX_NOTE = "Alex's private thought: too pushy, budget unclear"
BRUNO_NOTE = "Bruno's private thought: great speaker, follow up on Q3"


@dataclass
class Side:
    attendee: Attendee
    contact: Encounter
    headers: dict[str, str]

    @property
    def step_url(self) -> str:
        return f"/api/contacts/{self.contact.id}/next-step"


@dataclass
class Pair:
    event: Event
    alex: Side
    bruno: Side


async def mutual_pair(factory: Factory, *, mutual: bool = True) -> Pair:
    event = await factory.event(timezone="Europe/Paris", name="Rencontres Lyon")
    alex = await factory.attendee(event, name="Alex Martin", language="fr")
    bruno = await factory.attendee(event, name="Bruno Keller", language="en")
    alex_contact = await factory.encounter(
        alex, bruno, mutual=mutual, note=ALEX_NOTE, tags=["budget"], rating=2
    )
    bruno_contact = (
        await factory.encounter(bruno, alex, mutual=True, note=BRUNO_NOTE, tags=["speaker"], rating=5)
        if mutual
        else None
    )
    return Pair(
        event=event,
        alex=Side(alex, alex_contact, factory.attendee_headers(alex)),
        bruno=Side(bruno, bruno_contact or alex_contact, factory.attendee_headers(bruno)),
    )


def moment(days: float = 2, hour: int = 9) -> datetime:
    """A moment ``days`` ahead, at a round hour (UTC)."""
    return (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def coffee(at: datetime | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "coffee",
        "starts_at": (at or moment()).isoformat(),
        "place": "Café de la Gare, Lyon",
        "message": "Let's talk about the partnership",
        **extra,
    }


async def propose(
    client: httpx.AsyncClient, side: Side, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await client.post(side.step_url, json=body or coffee(), headers=side.headers)
    assert response.status_code == 201, response.text
    step: dict[str, Any] = response.json()
    return step


async def answer(client: httpx.AsyncClient, side: Side, action: str, version: int) -> httpx.Response:
    return await client.post(f"{side.step_url}/{action}", json={"version": version}, headers=side.headers)
