"""An organiser removing an attendee deletes nothing of anyone else's."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee, Encounter, Event, Organiser, Scan
from tests.api.scan_support import scan_body
from tests.support import Factory


async def _scene(factory: Factory) -> tuple[Event, Attendee, Attendee, dict[str, str]]:
    """Anaïs and Bruno met at an event and noted it; the organiser's headers."""
    organiser = await factory.organiser()
    event = await factory.event(organiser)
    anais = await factory.attendee(event, name="Anaïs Roux", company="Fromagerie Roux")
    bruno = await factory.attendee(
        event,
        name="Bruno Keller",
        company="Keller Conseil",
        email="bruno@keller.example",
        phone="+33 6 11 22 33 44",
        shared_fields=["email", "phone"],
    )
    return event, anais, bruno, factory.organiser_headers(organiser)


def _removal(event: Event, attendee: Attendee) -> str:
    return f"/api/events/{event.id}/attendees/{attendee.id}"


class TestRemovalKeepsOthersContacts:
    async def test_the_others_contact_and_note_remain_showing_a_deleted_attendee(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, anais, bruno, organiser = await _scene(factory)
        hers = await factory.encounter(anais, bruno, note="Bruno cherche un CTO", tags=["cto"], mutual=True)
        await factory.encounter(bruno, anais, note="Anaïs vend du comté", mutual=True)
        anais_headers = factory.attendee_headers(anais)

        assert (await client.delete(_removal(event, bruno), headers=organiser)).status_code == 204

        contact = (await client.get(f"/api/contacts/{hers.id}", headers=anais_headers)).json()
        assert contact["note"] == "Bruno cherche un CTO"
        assert contact["tags"] == ["cto"]
        assert contact["mutual"] is False
        person = contact["person"]
        assert person["deleted"] is True
        assert person["name"] == "Participant supprimé"
        assert person["badge_code"] is None
        assert (person["company"], person["email"], person["phone"]) == ("", None, None)
        listing = await client.get("/api/contacts", headers=anais_headers)
        assert [item["id"] for item in listing.json()["items"]] == [str(hers.id)]
        for leak in ("Bruno Keller", "Keller Conseil", "bruno@keller.example", "+33 6 11"):
            assert leak not in listing.text
        assert (await client.get("/api/contacts", params={"q": "keller"}, headers=anais_headers)).json()[
            "items"
        ] == []

    async def test_english_speakers_see_a_deleted_attendee(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, anais, bruno, organiser = await _scene(factory)
        anais.language = "en"
        hers = await factory.encounter(anais, bruno, note="met at the bar")
        assert (await client.delete(_removal(event, bruno), headers=organiser)).status_code == 204
        contact = await client.get(f"/api/contacts/{hers.id}", headers=factory.attendee_headers(anais))
        assert contact.json()["person"]["name"] == "Deleted attendee"
        assert contact.json()["note"] == "met at the bar"


class TestRemovalErasesTheRemovedPersonsOwnData:
    async def test_own_contacts_notes_scans_and_profile_go(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        event, anais, bruno, organiser = await _scene(factory)
        his = await factory.encounter(bruno, anais, note="Anaïs vend du comté")
        session.add(
            Scan(
                scanner_id=bruno.id,
                client_id=uuid.uuid4(),
                encounter_id=his.id,
                fingerprint="0" * 64,
                created=True,
            )
        )
        await session.flush()
        bruno_id, his_id = bruno.id, his.id

        assert (await client.delete(_removal(event, bruno), headers=organiser)).status_code == 204

        session.expire_all()
        assert await session.get(Encounter, his_id) is None
        scans = await session.scalar(
            select(func.count()).select_from(Scan).where(Scan.scanner_id == bruno_id)
        )
        assert scans == 0
        tombstone = await session.get_one(Attendee, bruno_id)
        assert tombstone.deleted_at is not None
        assert (tombstone.name, tombstone.company, tombstone.phone, tombstone.shared_fields) == (
            "",
            "",
            "",
            [],
        )
        assert "keller" not in tombstone.email

    async def test_access_and_badge_stop_working(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event, anais, bruno, organiser = await _scene(factory)
        bruno_headers = factory.attendee_headers(bruno)
        badge = scan_body(factory.settings, event, bruno)

        assert (await client.delete(_removal(event, bruno), headers=organiser)).status_code == 204

        assert (await client.get("/api/me", headers=bruno_headers)).status_code == 401
        scanned = await client.post("/api/scans", json=badge, headers=factory.attendee_headers(anais))
        assert scanned.status_code == 410
        assert scanned.json()["code"] == "badge_holder_gone"

    async def test_the_email_can_be_registered_again_and_the_listing_forgets_them(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, _, bruno, organiser = await _scene(factory)
        assert (await client.delete(_removal(event, bruno), headers=organiser)).status_code == 204
        listed = await client.get(f"/api/events/{event.id}/attendees", headers=organiser)
        assert str(bruno.id) not in listed.text
        again = await client.post(
            f"/api/events/{event.id}/attendees",
            json={"name": "Bruno Keller", "email": "bruno@keller.example"},
            headers=organiser,
        )
        assert again.status_code == 201
        assert again.json()["id"] != str(bruno.id)


class TestRemovalRefusals:
    async def test_removing_twice_is_not_found_and_changes_nothing(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        event, anais, bruno, organiser = await _scene(factory)
        hers_id = (await factory.encounter(anais, bruno, note="Bruno cherche un CTO")).id
        assert (await client.delete(_removal(event, bruno), headers=organiser)).status_code == 204
        again = await client.delete(_removal(event, bruno), headers=organiser)
        assert again.status_code == 404
        assert again.json()["code"] == "attendee_not_found"
        session.expire_all()
        assert (await session.get_one(Encounter, hers_id)).note == "Bruno cherche un CTO"

    async def test_an_unknown_attendee_is_not_found(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, _, _, organiser = await _scene(factory)
        response = await client.delete(f"/api/events/{event.id}/attendees/{uuid.uuid4()}", headers=organiser)
        assert response.status_code == 404
        assert response.json()["code"] == "attendee_not_found"

    async def test_another_organiser_or_an_attendee_cannot_remove(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        event, anais, bruno, _ = await _scene(factory)
        bruno_id = bruno.id
        stranger = factory.organiser_headers(await factory.organiser())
        assert (await client.delete(_removal(event, bruno), headers=stranger)).status_code == 404
        as_attendee = await client.delete(_removal(event, bruno), headers=factory.attendee_headers(anais))
        assert as_attendee.status_code == 403
        session.expire_all()
        assert (await session.get_one(Attendee, bruno_id)).deleted_at is None


class TestNoDatabaseCascadeFromTheScannedPerson:
    async def test_deleting_a_scanned_persons_row_is_refused(
        self, factory: Factory, session: AsyncSession
    ) -> None:
        _, anais, bruno, _ = await _scene(factory)
        hers = await factory.encounter(anais, bruno, note="Bruno cherche un CTO")
        with pytest.raises(IntegrityError):
            async with session.begin_nested():
                await session.execute(delete(Attendee).where(Attendee.id == bruno.id))
        assert (await session.get_one(Encounter, hers.id)).note == "Bruno cherche un CTO"

    async def test_a_scanners_own_row_still_takes_their_contacts(
        self, factory: Factory, session: AsyncSession
    ) -> None:
        _, anais, bruno, _ = await _scene(factory)
        hers_id = (await factory.encounter(anais, bruno)).id
        await session.execute(delete(Attendee).where(Attendee.id == anais.id))
        session.expire_all()
        assert await session.get(Encounter, hers_id) is None

    async def test_deleting_an_event_still_deletes_all_of_it(
        self, factory: Factory, session: AsyncSession
    ) -> None:
        event, anais, bruno, _ = await _scene(factory)
        await factory.encounter(anais, bruno)
        await factory.encounter(bruno, anais)
        await session.execute(delete(Event).where(Event.id == event.id))
        left = await session.scalar(
            select(func.count()).select_from(Encounter).where(Encounter.event_id == event.id)
        )
        assert left == 0
        assert await session.scalar(select(func.count()).select_from(Organiser)) is not None
