"""A realistic event, written straight into a freshly migrated database.

Bulk Core inserts (one ``executemany`` per table) fill 5,000 attendees in well
under a second on either database. Access tokens and badge URLs are minted with
the product's own code and the same keys the server is given, so the server
accepts them as its own.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from rencontre.auth import service as auth_service
from rencontre.auth.passwords import hash_password
from rencontre.badges import short_code
from rencontre.badges import token as badge_token
from rencontre.config import Settings
from rencontre.db import create_engine
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event, Organiser

FIRST = [
    "Zoé",
    "Mathieu",
    "Amélie",
    "Jérôme",
    "Chloé",
    "François",
    "Inès",
    "Noah",
    "Léa",
    "Hugo",
    "Emma",
    "Lucas",
    "Manon",
    "Yasmine",
    "Théo",
    "Camille",
    "Olivia",
    "James",
    "Priya",
    "Liam",
    "Sophie",
    "Daniel",
    "Grace",
    "Ahmed",
    "Hannah",
    "Oliver",
    "Mei",
    "Lucía",
    "Jakub",
    "Aïcha",
    "Bastien",
    "Margaux",
]
LAST = [
    "Lefèvre",
    "Dubois",
    "Nguyen",
    "Martin",
    "Bernard",
    "Girard",
    "Benali",
    "Petit",
    "Moreau",
    "Laurent",
    "Roux",
    "Fournier",
    "Faure",
    "Chevalier",
    "Durand",
    "Smith",
    "O'Connor",
    "Patel",
    "Walsh",
    "Müller",
    "Kim",
    "Thompson",
    "Hassan",
    "Becker",
    "Brown",
    "Chen",
    "García",
    "Nowak",
    "Diallo",
]
COMPANIES = [
    "Atelier Lumière",
    "Qonto",
    "Ville de Lyon",
    "Doctolib",
    "Station F",
    "Alan",
    "Le Wagon",
    "Sopra Steria",
    "BlaBlaCar",
    "Ouest-France",
    "Schneider Electric",
    "Back Market",
    "Monzo",
    "Stripe",
    "Wise",
    "Intercom",
    "N26",
    "Deliveroo",
    "Oxfam",
    "Arm",
    "Zalando",
    "Revolut",
    "JetBrains",
    "Orange",
    "OVHcloud",
    "Ubisoft",
    "Institut Pasteur",
    "Mistral AI",
    "Malt",
]
TITLES = [
    "Product Manager",
    "Software Engineer",
    "Head of Partnerships",
    "Data Scientist",
    "Journaliste",
    "Gérante",
    "UX Researcher",
    "Consultant",
    "Directrice artistique",
    "Chargé d'affaires",
    "Developer Advocate",
    "CTO",
]
OBJECTIVES = ("partnership", "inspiration", "visibility", "hiring", "learning", "clients")
INTERESTS = ("IA", "design", "climat", "fintech", "santé", "open source", "RH", "marketing", "data")


@dataclass
class Person:
    id: uuid.UUID
    badge_code: str
    access_version: int = 1
    badge_version: int = 1


@dataclass
class SeededEvent:
    id: uuid.UUID
    badge_code: str
    people: list[Person] = field(default_factory=list)


@dataclass
class World:
    """What the load needs to know about the seeded database."""

    settings: Settings
    organiser_id: uuid.UUID
    event: SeededEvent
    badge_events: dict[int, SeededEvent]  # attendee count → an event of exactly that many
    # The ingest room (issue 21): an event of its own, so its thousands of scanners leave the
    # main event's people fresh for the other scenarios.
    room: SeededEvent | None = None

    def organiser_token(self) -> str:
        organiser = Organiser(id=self.organiser_id, email="", name="", password_hash="", token_version=1)
        return auth_service.organiser_token(self.settings, organiser)

    def access_token(self, person: Person, event: SeededEvent | None = None) -> str:
        event_id = (event or self.event).id
        attendee = Attendee(id=person.id, event_id=event_id, access_version=person.access_version)
        return auth_service.attendee_token(self.settings, attendee)

    def badge_url(self, person: Person, event: SeededEvent | None = None) -> str:
        badge_code = (event or self.event).badge_code
        ref = badge_token.BadgeRef(badge_code, person.badge_code, person.badge_version)
        return badge_token.badge_url(
            self.settings.public_base_url, badge_token.issue(self.settings.badge_key(), ref)
        )


def seed(settings: Settings, attendees: int, badge_counts: tuple[int, ...] = (), room: int = 0) -> World:
    return asyncio.run(_seed(settings, attendees, badge_counts, room))


async def _seed(settings: Settings, attendees: int, badge_counts: tuple[int, ...], room: int) -> World:
    rng = random.Random(20261127)
    engine = create_engine(settings)
    organiser_id = uuid.uuid4()
    codes = _unique_codes(attendees + sum(badge_counts) + room)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(Organiser),
                [
                    {
                        "id": organiser_id,
                        "email": f"bench-{organiser_id.hex[:8]}@example.org",
                        "name": "Bench organiser",
                        "password_hash": hash_password(secrets.token_urlsafe(16)),
                        "token_version": 1,
                        "created_at": utcnow(),
                    }
                ],
            )
            main = await _event(connection, organiser_id, "Bench — Lyon Tech Night", attendees, codes, rng)
            badge_events = {}
            for count in badge_counts:
                badge_events[count] = await _event(
                    connection, organiser_id, f"Bench — badges {count}", count, codes, rng
                )
            hall = (
                await _event(connection, organiser_id, "Bench — the room", room, codes, rng) if room else None
            )
    finally:
        await engine.dispose()
    return World(
        settings=settings, organiser_id=organiser_id, event=main, badge_events=badge_events, room=hall
    )


async def _event(
    connection: AsyncConnection,
    organiser_id: uuid.UUID,
    name: str,
    count: int,
    codes: list[str],
    rng: random.Random,
) -> SeededEvent:
    now = utcnow()
    event = SeededEvent(id=uuid.uuid4(), badge_code=secrets.token_hex(4))
    await connection.execute(
        insert(Event),
        [
            {
                "id": event.id,
                "organiser_id": organiser_id,
                "name": name,
                "slug": f"bench-{event.id.hex[:12]}",
                "starts_at": now - timedelta(hours=1),
                "ends_at": now + timedelta(hours=4),
                "timezone": "Europe/Paris",
                "venue": "La Sucrière, Lyon",
                "badge_code": event.badge_code,
                "feed_shows_names": False,
                "feed_seq": 0,
                "created_at": now,
            }
        ],
    )
    rows = []
    # Unique within the event, as the product draws them (badges.short_code): 5,000 codes drawn
    # blindly share one now and then.
    short_codes: set[str] = set()
    while len(short_codes) < count:
        short_codes.add(short_code.generate())
    for n in range(count):
        person = Person(id=uuid.uuid4(), badge_code=codes.pop())
        event.people.append(person)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        company = rng.choice(COMPANIES)
        rows.append(
            {
                "id": person.id,
                "event_id": event.id,
                "badge_code": person.badge_code,
                "short_code": short_codes.pop(),
                "name": f"{first} {last}",
                "email": f"{first.lower()}.{n}@{event.id.hex[:6]}.example.org",
                "company": company,
                "job_title": rng.choice(TITLES),
                "phone": f"+33 6 {rng.randrange(10**8):08d}",
                "website": "",
                "linkedin": f"https://www.linkedin.com/in/{first.lower()}-{n}",
                "pitch": f"{rng.choice(TITLES)} chez {company}, curieux de {rng.choice(INTERESTS)}.",
                "objectives": rng.sample(OBJECTIVES, rng.randint(1, 2)),
                "interests": rng.sample(INTERESTS, 3),
                "shared_fields": ["email", "linkedin"],
                "language": rng.choice(("fr", "en")),
                "badge_version": 1,
                "access_version": 1,
                "invite_state": "joined",
                "joined_at": now,
                "created_at": now,
            }
        )
    for start in range(0, len(rows), 1000):
        await connection.execute(insert(Attendee), rows[start : start + 1000])
    return event


def _unique_codes(count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(secrets.token_hex(6))
    return list(codes)
