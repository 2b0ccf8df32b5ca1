from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.auth import service as auth_service
from rencontre.models import Attendee, Encounter, Event, Organiser, Scan
from tests.support import Factory


async def _me(factory: Factory, **fields: Any) -> tuple[Event, Attendee, dict[str, str]]:
    event = await factory.event(name="Rencontres Lyon")
    attendee = await factory.attendee(event, name="Zoé Lefèvre", email="zoe@example.org", **fields)
    return event, attendee, factory.attendee_headers(attendee)


class TestProfile:
    async def test_read_own_profile_and_event(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event, me, headers = await _me(factory, phone="+33 6 00 00 00 00")
        response = await client.get("/api/me", headers=headers)
        assert response.status_code == 200
        body = response.json()
        assert body["id"] == str(me.id)
        assert body["name"] == "Zoé Lefèvre"
        assert body["email"] == "zoe@example.org"
        assert body["phone"] == "+33 6 00 00 00 00"
        assert body["shared_fields"] == []
        assert body["badge_code"] == me.badge_code
        assert body["event"]["name"] == "Rencontres Lyon"
        assert body["event"]["timezone"] == "Europe/Paris"
        assert body["event"]["id"] == str(event.id)

    async def test_edit_profile(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        _, me, headers = await _me(factory)
        response = await client.patch(
            "/api/me",
            json={
                "pitch": "  Je conçois des services\npublics  ",
                "objectives": ["partnership", "hiring"],
                "interests": ["Design", "IA", "design"],
                "shared_fields": ["email", "linkedin", "email"],
                "phone": "+33 6 12 34 56 78",
                "website": "atelier.example.org",
                "linkedin": "zoe-lefevre",
                "language": "en",
            },
            headers=headers,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["pitch"] == "Je conçois des services publics"
        assert body["objectives"] == ["partnership", "hiring"]
        assert body["interests"] == ["Design", "IA"]
        assert body["shared_fields"] == ["email", "linkedin"]
        assert body["website"] == "https://atelier.example.org"
        assert body["linkedin"] == "https://www.linkedin.com/in/zoe-lefevre"
        assert body["language"] == "en"
        await session.refresh(me)
        assert me.shared_fields == ["email", "linkedin"]
        assert me.objectives == ["partnership", "hiring"]

        partial = await client.patch("/api/me", json={"pitch": "", "objectives": []}, headers=headers)
        assert partial.json()["pitch"] == ""
        assert partial.json()["objectives"] == []
        assert partial.json()["language"] == "en"

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"pitch": "x" * 281}, "pitch"),
            ({"objectives": ["world domination"]}, "objectives.0"),
            ({"objectives": "hiring"}, "objectives"),
            ({"objective": "hiring"}, "objective"),
            ({"objectives": ["hiring"], "objective_other": "ventes"}, "objective_other"),
            ({"objectives": ["other"], "objective_other": "x" * 61}, "objective_other"),
            (
                {"objectives": ["other"], "objective_other": "un deux trois quatre cinq six sept huit neuf"},
                "objective_other",
            ),
            ({"interests": [f"i{n}" for n in range(13)]}, "interests"),
            ({"interests": ["x" * 41]}, "interests.0"),
            ({"shared_fields": ["address"]}, "shared_fields.0"),
            ({"phone": "call me"}, "phone"),
            ({"website": "javascript:alert(1)"}, "website"),
            ({"linkedin": "data:text/html,hi"}, "linkedin"),
            ({"language": "de"}, "language"),
            ({"name": "Someone Else"}, "name"),
            ({"email": "x@example.org"}, "email"),
            ({"pitch": None}, "pitch"),
        ],
    )
    async def test_bad_profile_edit_changes_nothing(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        session: AsyncSession,
        body: dict[str, Any],
        field: str,
    ) -> None:
        _, me, headers = await _me(factory, pitch="Avant")
        response = await client.patch(
            "/api/me", json={**body, "language": "en"} if field != "language" else body, headers=headers
        )
        assert response.status_code == 422
        assert field in [e["field"] for e in response.json()["errors"]]
        await session.refresh(me)
        assert (me.pitch, me.language, me.name) == ("Avant", "", "Zoé Lefèvre")

    async def test_card_shows_only_what_is_shared(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, _, headers = await _me(
            factory,
            phone="+33 6 00 00 00 00",
            website="https://atelier.example.org",
            linkedin="https://www.linkedin.com/in/zoe",
            pitch="Design",
            shared_fields=["website"],
        )
        card = (await client.get("/api/me/card", headers=headers)).json()
        assert card["name"] == "Zoé Lefèvre"
        assert card["pitch"] == "Design"
        assert card["website"] == "https://atelier.example.org"
        assert card["email"] is None
        assert card["phone"] is None
        assert card["linkedin"] is None
        assert card["deleted"] is False

    @pytest.mark.parametrize("path", ["/api/me", "/api/me/card", "/api/me/export"])
    async def test_needs_an_attendee(self, client: httpx.AsyncClient, factory: Factory, path: str) -> None:
        organiser_headers = factory.organiser_headers(await factory.organiser())
        assert (await client.get(path)).status_code == 401
        assert (await client.get(path, headers=organiser_headers)).status_code == 403
        assert (await client.delete("/api/me", headers=organiser_headers)).status_code == 403
        assert (await client.patch("/api/me", json={"pitch": "x"})).status_code == 401


class TestExport:
    async def test_everything_about_me(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        event, me, headers = await _me(factory, pitch="Mon pitch")
        other = await factory.attendee(event, name="Bob Durand")
        mine = await factory.encounter(me, other, note="ma note", tags=["partner"], rating=4)
        await factory.encounter(other, me, note="la note de Bob")
        session.add(
            Scan(
                scanner_id=me.id,
                client_id=uuid.uuid4(),
                encounter_id=mine.id,
                fingerprint="0" * 64,
                created=True,
            )
        )
        await session.flush()

        response = await client.get("/api/me/export", headers=headers)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["content-disposition"].startswith("attachment")
        data = response.json()
        assert data["profile"]["email"] == "zoe@example.org"
        assert data["profile"]["pitch"] == "Mon pitch"
        assert [c["note"] for c in data["contacts"]] == ["ma note"]
        assert data["contacts"][0]["person"]["name"] == "Bob Durand"
        assert [s["contact_id"] for s in data["scans"]] == [str(mine.id)]
        assert data["scanned_by_count"] == 1
        assert "la note de Bob" not in response.text


class TestDeleteAccount:
    async def test_deleting_removes_profile_notes_and_access(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        event, me, headers = await _me(
            factory, phone="+33 6 00 00 00 00", pitch="Mon pitch", shared_fields=["email", "phone"]
        )
        bob = await factory.attendee(event, name="Bob Durand")
        bob_headers = factory.attendee_headers(bob)
        invite = auth_service.invite_token(factory.settings, me)
        mine = await factory.encounter(me, bob, note="ma note secrète", mutual=True)
        bobs = await factory.encounter(bob, me, note="Bob's note about Zoé", tags=["design"], mutual=True)
        session.add(
            Scan(
                scanner_id=me.id,
                client_id=uuid.uuid4(),
                encounter_id=mine.id,
                fingerprint="0" * 64,
                created=True,
            )
        )
        await session.flush()
        my_id, mine_id, bobs_id, event_id = me.id, mine.id, bobs.id, event.id
        organiser_headers = factory.organiser_headers(await session.get_one(Organiser, event.organiser_id))

        response = await client.delete("/api/me", headers=headers)
        assert response.status_code == 204
        assert response.content == b""

        # The token and the join link stop working.
        assert (await client.get("/api/me", headers=headers)).status_code == 401
        assert (await client.get("/api/contacts", headers=headers)).status_code == 401
        assert (await client.post("/api/auth/join", json={"token": invite})).status_code == 401

        # The profile is blanked; the row stays as a tombstone.
        session.expire_all()
        tombstone = await session.get(Attendee, my_id)
        assert tombstone is not None
        assert tombstone.deleted_at is not None
        assert tombstone.name == ""
        assert "zoe" not in tombstone.email
        assert (tombstone.phone, tombstone.pitch, tombstone.company, tombstone.shared_fields) == (
            "",
            "",
            "",
            [],
        )

        # Their notes and scans are gone.
        assert await session.get(Encounter, mine_id) is None
        assert (
            await session.scalar(select(func.count()).select_from(Scan).where(Scan.scanner_id == my_id)) == 0
        )

        # Bob keeps his note, but sees a deleted attendee with no data, no longer mutual.
        contact = (await client.get(f"/api/contacts/{bobs_id}", headers=bob_headers)).json()
        assert contact["note"] == "Bob's note about Zoé"
        assert contact["mutual"] is False
        person = contact["person"]
        assert person["deleted"] is True
        assert person["name"] == "Participant supprimé"
        assert person["badge_code"] is None
        for field in ("company", "job_title", "pitch", "objective_other"):
            assert person[field] == ""
        assert person["objectives"] == []
        assert person["photo"] is None
        for field in ("email", "phone", "website", "linkedin"):
            assert person[field] is None
        listing = await client.get("/api/contacts", headers=bob_headers)
        assert "zoe@example.org" not in listing.text
        assert "Lefèvre" not in listing.text
        assert (await client.get("/api/contacts", params={"q": "lefevre"}, headers=bob_headers)).json()[
            "items"
        ] == []
        draft = (await client.get(f"/api/contacts/{bobs_id}/follow-up", headers=bob_headers)).json()
        assert draft["mailto"].startswith("mailto:?")
        assert draft["body"].startswith("Bonjour,")
        exported = await client.get("/api/contacts/export.vcf", headers=bob_headers)
        assert "FN:Participant supprimé" in exported.text
        assert "Lefèvre" not in exported.text

        # The organiser's listing no longer shows them.
        listed = await client.get(f"/api/events/{event_id}/attendees", headers=organiser_headers)
        assert listed.status_code == 200
        assert str(my_id) not in listed.text

    async def test_english_viewer_sees_deleted_attendee(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, me, headers = await _me(factory)
        bob = await factory.attendee(event, language="en")
        contact = await factory.encounter(bob, me)
        assert (await client.delete("/api/me", headers=headers)).status_code == 204
        card = (await client.get(f"/api/contacts/{contact.id}", headers=factory.attendee_headers(bob))).json()
        assert card["person"]["name"] == "Deleted attendee"
