"""One contact: reading it, editing its note, tags, rating and follow-up, and the
follow-up drafts (message, coffee, resource) prepared from it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Encounter, FollowUpState
from tests.api.contacts_support import event_with_me
from tests.support import Factory


class TestReadAndEdit:
    async def test_read_one(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event, me, headers = await event_with_me(factory)
        other = await factory.attendee(event, name="Zoé Lefèvre")
        contact = await factory.encounter(me, other, note="Une note")
        response = await client.get(f"/api/contacts/{contact.id}", headers=headers)
        assert response.status_code == 200
        assert response.json()["note"] == "Une note"
        assert response.json()["person"]["name"] == "Zoé Lefèvre"

    async def test_edit_note_tags_rating_and_follow_up(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        event, me, headers = await event_with_me(factory)
        other = await factory.attendee(event)
        contact = await factory.encounter(me, other, note="old", rating=2)
        response = await client.patch(
            f"/api/contacts/{contact.id}",
            json={
                "note": "Ligne 1\r\nLigne 2 — à rappeler",
                "tags": ["partner", " Café ", "café", "hot_lead"],
                "rating": 5,
                "follow_up": "done",
            },
            headers=headers,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["note"] == "Ligne 1\nLigne 2 — à rappeler"
        assert body["tags"] == ["partner", "Café", "hot_lead"]
        assert body["rating"] == 5
        assert body["follow_up"] == "done"
        assert body["followed_up_at"] is not None
        await session.refresh(contact)
        assert contact.note == "Ligne 1\nLigne 2 — à rappeler"
        assert contact.follow_up is FollowUpState.done

        back = await client.patch(
            f"/api/contacts/{contact.id}", json={"follow_up": "todo", "rating": None}, headers=headers
        )
        assert back.json()["follow_up"] == "todo"
        assert back.json()["followed_up_at"] is None
        assert back.json()["rating"] is None
        assert back.json()["note"] == "Ligne 1\nLigne 2 — à rappeler"

    async def test_clearing_note_and_tags(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event, me, headers = await event_with_me(factory)
        contact = await factory.encounter(me, await factory.attendee(event), note="x", tags=["a"])
        response = await client.patch(
            f"/api/contacts/{contact.id}", json={"note": "", "tags": []}, headers=headers
        )
        assert response.json()["note"] == ""
        assert response.json()["tags"] == []

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"note": "x" * 5001}, "note"),
            ({"tags": [f"t{i}" for i in range(11)]}, "tags"),
            ({"tags": ["x" * 31]}, "tags.0"),
            ({"tags": ["  "]}, "tags.0"),
            ({"rating": 0}, "rating"),
            ({"rating": 6}, "rating"),
            ({"follow_up": "maybe"}, "follow_up"),
            ({"note": None}, "note"),
            ({"scanned_id": "x"}, "scanned_id"),
            ({}, "body"),
        ],
    )
    async def test_bad_edit_is_refused_and_changes_nothing(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        session: AsyncSession,
        body: dict[str, Any],
        field: str,
    ) -> None:
        event, me, headers = await event_with_me(factory)
        contact = await factory.encounter(
            me, await factory.attendee(event), note="keep", tags=["k"], rating=3
        )
        response = await client.patch(
            f"/api/contacts/{contact.id}",
            json={**body, "rating": 1} if field == "note" else body,
            headers=headers,
        )
        assert response.status_code == 422
        assert field in [e["field"] for e in response.json()["errors"]]
        await session.refresh(contact)
        assert (contact.note, contact.tags, contact.rating) == ("keep", ["k"], 3)

    async def test_a_5000_character_note_is_accepted(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, me, headers = await event_with_me(factory)
        contact = await factory.encounter(me, await factory.attendee(event))
        response = await client.patch(
            f"/api/contacts/{contact.id}", json={"note": "é" * 5000}, headers=headers
        )
        assert response.status_code == 200
        assert len(response.json()["note"]) == 5000

    async def test_someone_elses_contact_is_not_found_and_unchanged(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        event, me, headers = await event_with_me(factory)
        other = await factory.attendee(event)
        third = await factory.attendee(event)
        foreign = await factory.encounter(other, third, note="secret", rating=2)
        about_me = await factory.encounter(other, me, note="about you")
        for contact in (foreign, about_me):
            read = await client.get(f"/api/contacts/{contact.id}", headers=headers)
            assert read.status_code == 404
            assert "secret" not in read.text
            assert "about you" not in read.text
            edit = await client.patch(
                f"/api/contacts/{contact.id}", json={"note": "mine now"}, headers=headers
            )
            assert edit.status_code == 404
            draft = await client.get(f"/api/contacts/{contact.id}/follow-up", headers=headers)
            assert draft.status_code == 404
        await session.refresh(foreign)
        assert foreign.note == "secret"

    async def test_unknown_or_malformed_id(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, _, headers = await event_with_me(factory)
        missing = await client.get("/api/contacts/00000000-0000-4000-8000-000000000000", headers=headers)
        assert missing.status_code == 404
        assert missing.json()["detail"] == "No such contact among yours."
        malformed = await client.get("/api/contacts/not-an-id", headers=headers)
        assert malformed.status_code == 404


class TestFollowUpDraft:
    async def _contact(
        self, factory: Factory, *, shares_email: bool, **me: Any
    ) -> tuple[Encounter, dict[str, str]]:
        event, attendee, headers = await event_with_me(factory, **me)
        zoe = await factory.attendee(
            event,
            name="Zoé Lefèvre",
            email="zoe+events@example.org",
            shared_fields=["email"] if shares_email else [],
        )
        contact = await factory.encounter(
            attendee,
            zoe,
            note="Projet d'appli & design\nà relancer",
            met_at=datetime(2026, 6, 3, 22, 30, tzinfo=UTC),
        )
        return contact, headers

    async def test_french_message_with_mailto(self, client: httpx.AsyncClient, factory: Factory) -> None:
        contact, headers = await self._contact(factory, shares_email=True)
        response = await client.get(
            f"/api/contacts/{contact.id}/follow-up", params={"include_note": "true"}, headers=headers
        )
        assert response.status_code == 200
        draft = response.json()
        assert draft["kind"] == "message"
        assert draft["language"] == "fr"
        assert draft["subject"] == "Suite à notre rencontre à Rencontres Lyon"
        assert draft["body"].startswith("Bonjour Zoé,")
        # 22:30 UTC is already the 4th in Paris.
        assert "le 4 juin 2026" in draft["body"]
        assert "Projet d'appli & design à relancer" in draft["body"]
        assert draft["body"].endswith("Alex Martin")
        assert draft["mailto"].startswith("mailto:zoe%2Bevents@example.org?subject=")
        assert "%0D%0A" in draft["mailto"]
        assert "&body=" in draft["mailto"]
        assert "%26" in draft["mailto"]

    @pytest.mark.parametrize(
        ("kind", "subject"),
        [
            ("message", "Following up on Rencontres Lyon"),
            ("coffee", "Coffee after Rencontres Lyon?"),
            ("resource", "The resource I promised — Rencontres Lyon"),
        ],
    )
    async def test_english_kinds(
        self, client: httpx.AsyncClient, factory: Factory, kind: str, subject: str
    ) -> None:
        contact, headers = await self._contact(factory, shares_email=True, language="en")
        draft = (
            await client.get(f"/api/contacts/{contact.id}/follow-up", params={"kind": kind}, headers=headers)
        ).json()
        assert draft["language"] == "en"
        assert draft["subject"] == subject
        assert draft["body"].startswith("Hello Zoé,")
        assert "4 June 2026" in draft["body"]

    async def test_language_can_be_asked(self, client: httpx.AsyncClient, factory: Factory) -> None:
        contact, headers = await self._contact(factory, shares_email=True, language="en")
        response = await client.get(
            f"/api/contacts/{contact.id}/follow-up", params={"kind": "coffee", "lang": "fr"}, headers=headers
        )
        assert response.json()["subject"] == "Un café après Rencontres Lyon ?"

    async def test_no_recipient_unless_the_email_is_shared(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        contact, headers = await self._contact(factory, shares_email=False)
        draft = (await client.get(f"/api/contacts/{contact.id}/follow-up", headers=headers)).json()
        assert draft["mailto"].startswith("mailto:?subject=")
        assert "zoe" not in draft["mailto"].split("?")[0]
        assert "example.org" not in json.dumps(draft)

    @pytest.mark.parametrize(("params", "field"), [({"kind": "letter"}, "kind"), ({"lang": "de"}, "lang")])
    async def test_bad_kind_or_language(
        self, client: httpx.AsyncClient, factory: Factory, params: dict[str, str], field: str
    ) -> None:
        contact, headers = await self._contact(factory, shares_email=True)
        response = await client.get(f"/api/contacts/{contact.id}/follow-up", params=params, headers=headers)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == field
