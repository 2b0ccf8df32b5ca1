"""The fuzzers' world, fixed before any server runs.

Schemathesis builds its tests when pytest collects them, from a schema and a
configuration (the caller's token, the ids worth trying): so every id, code and
secret here is fixed in advance, and each run seeds exactly this world into a
fresh database. It is the same on every run, which keeps the fuzzing repeatable.

The organiser's run and the attendee's run must not pull the rug from under each
other: the organiser fuzzes their own event (where re-issuing a badge or access,
or removing someone, is fair game); the attendee and the offline-sync state
machine live in another organiser's event, which the first organiser must never
reach (invariant 4).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.auth import service as auth_service
from rencontre.auth.passwords import hash_password
from rencontre.badges.token import BadgeRef, badge_url, issue
from rencontre.config import Settings
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Encounter, Event, Organiser
from tests.faults.live import Person
from tests.support import make_settings

_NAMESPACE = uuid.UUID("6f1d2c3e-58a4-4e0b-9a57-0c1f5e6b7d21")

# Test-only secrets, fixed so that tokens and badges are known before the server starts.
SECRETS = {
    "jwt_secret": "fuzzing-only-jwt-secret-8c41d7e95a0b4f3c9e2d",
    "badge_secret": "fuzzing-only-badge-secret-1f6b3a9d0c7e4b52a8",
}


def planned_id(name: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, name)


@dataclass(frozen=True)
class PlannedEvent:
    id: uuid.UUID
    organiser_id: uuid.UUID
    name: str
    badge_code: str

    def row(self, feed_seq: int = 0) -> Event:
        start = utcnow() - timedelta(days=1)
        # Running all week: a fuzzed scan is never refused for coming after the event.
        return Event(
            id=self.id,
            organiser_id=self.organiser_id,
            name=self.name,
            slug=f"fuzz-{self.badge_code}",
            starts_at=start,
            ends_at=start + timedelta(days=7),
            timezone="Europe/Paris",
            venue="Lyon",
            badge_code=self.badge_code,
            feed_seq=feed_seq,
        )


@dataclass(frozen=True)
class PlannedPerson:
    id: uuid.UUID
    event: PlannedEvent
    name: str
    badge_code: str

    def row(self) -> Attendee:
        return Attendee(
            id=self.id,
            event_id=self.event.id,
            name=self.name,
            company="Atelier",
            job_title="Designer",
            email=f"{self.name.lower().replace(' ', '-')}@example.org",
            badge_code=self.badge_code,
            badge_version=1,
            access_version=1,
        )

    def badge_token(self, settings: Settings) -> str:
        return issue(settings.badge_key(), BadgeRef(self.event.badge_code, self.badge_code, 1))

    def person(self, settings: Settings) -> Person:
        return Person(
            id=self.id,
            name=self.name,
            token=auth_service.attendee_token(settings, self.row()),
            badge=badge_url(settings.public_base_url, self.badge_token(settings)),
        )


class Plan:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.organiser_id = planned_id("organiser")
        self.other_organiser_id = planned_id("other organiser")
        self.event = PlannedEvent(planned_id("event"), self.organiser_id, "Organiser's own event", "f0220001")
        self.other_event = PlannedEvent(
            planned_id("other event"), self.other_organiser_id, "Someone else's event", "f0220002"
        )
        self.guests = [self._person(self.event, f"Guest {index}") for index in range(8)]
        members = [self._person(self.other_event, f"Member {index}") for index in range(40)]
        self.attendee, *others = members
        self.met, self.spares, self.crowd = others[:4], others[4:14], others[14:]
        self.contact_ids = [planned_id(f"contact of {person.name}") for person in self.met]

    @staticmethod
    def _person(event: PlannedEvent, name: str) -> PlannedPerson:
        return PlannedPerson(planned_id(name), event, name, planned_id(name).hex[:12])

    def organiser_token(self) -> str:
        organiser = Organiser(id=self.organiser_id, token_version=1)
        return auth_service.organiser_token(self.settings, organiser)

    def other_organiser_token(self) -> str:
        organiser = Organiser(id=self.other_organiser_id, token_version=1)
        return auth_service.organiser_token(self.settings, organiser)

    def badge_tokens(self) -> list[str]:
        """Badges the attendee may scan, and one of the other event."""
        return [person.badge_token(self.settings) for person in [*self.met, *self.crowd[:2], self.guests[0]]]

    async def seed(self, session: AsyncSession) -> None:
        password_hash = hash_password("fuzzing organiser's password")
        session.add_all(
            Organiser(id=organiser_id, email=f"{name}@example.org", name=name, password_hash=password_hash)
            for organiser_id, name in ((self.organiser_id, "fuzz"), (self.other_organiser_id, "other"))
        )
        await session.flush()
        # The attendee's event already numbers the contacts seeded below in its live feed.
        session.add_all([self.event.row(), self.other_event.row(feed_seq=len(self.contact_ids) + 1)])
        await session.flush()
        people = [*self.guests, self.attendee, *self.met, *self.spares, *self.crowd]
        session.add_all(person.row() for person in people)
        await session.flush()
        contacts = [
            Encounter(
                id=contact_id,
                event_id=self.other_event.id,
                scanner_id=self.attendee.id,
                scanned_id=person.id,
                seq=seq,
                client_id=planned_id(f"scan {seq}"),
                note=f"private note on {person.name}",
            )
            for seq, (contact_id, person) in enumerate(zip(self.contact_ids, self.met, strict=True), start=1)
        ]
        # Someone the attendee met scanned them back, with a note that is theirs alone.
        theirs = Encounter(
            event_id=self.other_event.id,
            scanner_id=self.met[0].id,
            scanned_id=self.attendee.id,
            seq=len(contacts) + 1,
            client_id=planned_id("their scan"),
            note="theirs, never mine",
            mutual=True,
        )
        session.add_all([*contacts, theirs])
        await session.flush()


def plan_settings(data_dir: Path = Path("/nonexistent")) -> Settings:
    return make_settings(data_dir, **SECRETS)


PLAN = Plan(plan_settings())
