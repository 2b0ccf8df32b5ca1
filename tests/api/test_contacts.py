"""An attendee's contacts: the list, its pages, search and filters, and who may
read contacts at all."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.kit.time import utcnow
from rencontre.models import Attendee, FollowUpState
from tests.api.contacts_support import event_with_me
from tests.support import Factory


async def _contacts(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = await client.get("/api/contacts", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _names(page: dict[str, Any]) -> list[str]:
    return [item["person"]["name"] for item in page["items"]]


class TestListing:
    async def test_newest_first_with_card_note_and_follow_up_window(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, me, headers = await event_with_me(factory)
        zoe = await factory.attendee(
            event,
            name="Zoé Lefèvre",
            email="zoe@example.org",
            phone="+33 6 12 34 56 78",
            website="atelier.example.org",
            linkedin="zoe-lefevre",
            pitch="Design de services",
            shared_fields=["email", "website"],
        )
        bob = await factory.attendee(event, name="Bob Durand")
        met = datetime(2026, 6, 3, 9, 5, 30, tzinfo=UTC)
        await factory.encounter(me, zoe, met_at=met, note="Cherche un designer", tags=["partner"], rating=4)
        await factory.encounter(me, bob, met_at=met + timedelta(minutes=10))

        page = await _contacts(client, headers)

        assert _names(page) == ["Bob Durand", "Zoé Lefèvre"]
        assert page["next_cursor"] is None
        contact = page["items"][1]
        assert contact["note"] == "Cherche un designer"
        assert contact["tags"] == ["partner"]
        assert contact["rating"] == 4
        assert contact["mutual"] is False
        assert contact["follow_up"] == "todo"
        assert contact["met_at"] == "2026-06-03T09:05:30Z"
        assert contact["met_at_local"] == "2026-06-03T11:05:30+02:00"
        assert contact["follow_up_due_at"] == "2026-06-05T09:05:30Z"
        assert contact["follow_up_seconds_left"] == 0  # long past
        person = contact["person"]
        assert person["company"] == "Atelier"
        assert person["job_title"] == "Designer"
        assert person["pitch"] == "Design de services"
        assert person["email"] == "zoe@example.org"
        assert person["website"] == "https://atelier.example.org"
        # Not shared: never sent.
        assert person["phone"] is None
        assert person["linkedin"] is None
        assert "+33" not in json.dumps(page)

    async def test_seconds_left_count_down_from_the_meeting(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, me, headers = await event_with_me(factory)
        other = await factory.attendee(event)
        await factory.encounter(me, other, met_at=utcnow() - timedelta(hours=47))
        contact = (await _contacts(client, headers))["items"][0]
        assert 3000 < contact["follow_up_seconds_left"] <= 3600

    async def test_only_own_contacts_are_listed(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event, me, headers = await event_with_me(factory)
        other = await factory.attendee(event, name="Other Person")
        third = await factory.attendee(event, name="Third Person")
        await factory.encounter(other, me, note="their private note")
        await factory.encounter(other, third)
        await factory.encounter(me, third)
        page = await _contacts(client, headers)
        assert _names(page) == ["Third Person"]


class TestPagination:
    async def test_cursor_walks_every_contact_once(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event, me, headers = await event_with_me(factory)
        same_moment = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)
        for i in range(7):
            person = await factory.attendee(event, name=f"Person {i}")
            # Three share one instant: the id breaks the tie.
            met_at = same_moment if i < 3 else same_moment + timedelta(minutes=i)
            await factory.encounter(me, person, met_at=met_at)
        seen: list[str] = []
        cursor = None
        pages = 0
        while True:
            params: dict[str, Any] = {"limit": 3}
            if cursor:
                params["cursor"] = cursor
            page = await _contacts(client, headers, **params)
            seen += _names(page)
            pages += 1
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert pages == 3
        assert sorted(seen) == [f"Person {i}" for i in range(7)]
        assert seen[:4] == ["Person 6", "Person 5", "Person 4", "Person 3"]

    async def test_cursor_with_search(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event, me, headers = await event_with_me(factory)
        start = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)
        for i in range(5):
            person = await factory.attendee(
                event, name=f"Person {i}", company="Acme" if i % 2 == 0 else "Other"
            )
            await factory.encounter(me, person, met_at=start + timedelta(minutes=i))
        first = await _contacts(client, headers, q="acme", limit=2)
        assert _names(first) == ["Person 4", "Person 2"]
        second = await _contacts(client, headers, q="acme", limit=2, cursor=first["next_cursor"])
        assert _names(second) == ["Person 0"]
        assert second["next_cursor"] is None


class TestSearch:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("zoe", ["Zoé Lefèvre"]),
            ("ZOÉ", ["Zoé Lefèvre"]),
            ("lefevre", ["Zoé Lefèvre"]),
            ("ÉLÉPHANT", ["Bob Durand"]),  # the note
            ("cafe", ["Bob Durand"]),  # a tag
            ("ingenieure", ["Chloé Ñúñez"]),  # the job title
            ("nunez", ["Chloé Ñúñez"]),
            ("société", ["Zoé Lefèvre"]),  # the company, accents on the query side
            ("zoe societe", ["Zoé Lefèvre"]),  # every word must match
            ("zoe durand", []),
            ("nobody", []),
        ],
    )
    async def test_accent_and_case_insensitive(
        self, client: httpx.AsyncClient, factory: Factory, query: str, expected: list[str]
    ) -> None:
        event, me, headers = await event_with_me(factory)
        zoe = await factory.attendee(event, name="Zoé Lefèvre", company="Societe Generale")
        bob = await factory.attendee(event, name="Bob Durand", company="Bâtiment")
        chloe = await factory.attendee(event, name="Chloé Ñúñez", job_title="Ingénieure")
        start = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)
        await factory.encounter(me, zoe, met_at=start)
        await factory.encounter(
            me, bob, met_at=start + timedelta(minutes=1), note="Parle d'un éléphant", tags=["Café"]
        )
        await factory.encounter(me, chloe, met_at=start + timedelta(minutes=2))
        assert _names(await _contacts(client, headers, q=query)) == expected

    async def test_search_follows_a_renamed_person(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        event, me, headers = await event_with_me(factory)
        person = await factory.attendee(event, name="Ancien Nom")
        await factory.encounter(me, person)
        person.name = "Nouveau Nom"
        await session.flush()
        assert _names(await _contacts(client, headers, q="nouveau")) == ["Nouveau Nom"]
        assert _names(await _contacts(client, headers, q="ancien")) == []

    async def test_others_notes_are_not_searched(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event, me, headers = await event_with_me(factory)
        other = await factory.attendee(event, name="Other")
        await factory.encounter(other, me, note="licorne")
        await factory.encounter(me, other, note="")
        assert _names(await _contacts(client, headers, q="licorne")) == []


class TestFilters:
    async def _three(self, factory: Factory) -> tuple[Attendee, dict[str, str]]:
        event, me, headers = await event_with_me(factory)
        start = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)
        a = await factory.attendee(event, name="Anna")
        b = await factory.attendee(event, name="Bruno")
        c = await factory.attendee(event, name="Céline")
        await factory.encounter(me, a, met_at=start, tags=["Investor", "hot_lead"], rating=5, mutual=True)
        await factory.encounter(
            me,
            b,
            met_at=start + timedelta(minutes=1),
            tags=["partner"],
            rating=3,
            follow_up=FollowUpState.done,
            followed_up_at=start,
        )
        await factory.encounter(me, c, met_at=start + timedelta(minutes=2), tags=["investor"])
        return me, headers

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"tag": "investor"}, ["Céline", "Anna"]),
            ({"tag": "INVESTOR", "rating": 5}, ["Anna"]),
            ({"rating": 3}, ["Bruno"]),
            ({"mutual": "true"}, ["Anna"]),
            ({"mutual": "false"}, ["Céline", "Bruno"]),
            ({"follow_up": "done"}, ["Bruno"]),
            ({"follow_up": "todo"}, ["Céline", "Anna"]),
            ({"tag": "partner", "follow_up": "todo"}, []),
            ({"tag": "unknown-tag"}, []),
        ],
    )
    async def test_filter(
        self, client: httpx.AsyncClient, factory: Factory, params: dict[str, Any], expected: list[str]
    ) -> None:
        _, headers = await self._three(factory)
        assert _names(await _contacts(client, headers, **params)) == expected

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"rating": 6}, "rating"),
            ({"rating": "high"}, "rating"),
            ({"mutual": "maybe"}, "mutual"),
            ({"follow_up": "later"}, "follow_up"),
            ({"limit": 101}, "limit"),
            ({"limit": 0}, "limit"),
            ({"colour": "red"}, "colour"),
            ({"q": "x" * 101}, "q"),
            ({"tag": "x" * 31}, "tag"),
        ],
    )
    async def test_bad_filter_is_refused_clearly(
        self, client: httpx.AsyncClient, factory: Factory, params: dict[str, Any], field: str
    ) -> None:
        _, headers = await self._three(factory)
        response = await client.get("/api/contacts", params=params, headers=headers)
        assert response.status_code == 422
        problem = response.json()
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in problem["errors"]] == [field]
        assert field in problem["detail"]

    @pytest.mark.parametrize(
        "cursor",
        [
            "garbage",
            "%%%",
            base64.urlsafe_b64encode(b'{"x":1}').decode(),
            base64.urlsafe_b64encode(b'{"met_at":"yesterday","id":"1"}').decode(),
            base64.urlsafe_b64encode(b'{"met_at":"2026-06-03T09:00:00","id":"' + b"0" * 32 + b'"}').decode(),
            base64.urlsafe_b64encode(b'["met_at","id"]').decode(),
        ],
    )
    async def test_malformed_cursor_is_a_400(
        self, client: httpx.AsyncClient, factory: Factory, cursor: str
    ) -> None:
        _, headers = await self._three(factory)
        response = await client.get("/api/contacts", params={"cursor": cursor}, headers=headers)
        assert response.status_code == 400
        assert "cursor" in response.json()["detail"]


class TestAccess:
    @pytest.mark.parametrize(
        "path",
        [
            "/api/contacts",
            "/api/contacts/export.csv",
            "/api/contacts/export.vcf",
            "/api/contacts/00000000-0000-4000-8000-000000000000",
            "/api/contacts/00000000-0000-4000-8000-000000000000/follow-up",
        ],
    )
    async def test_missing_token_is_401_and_organiser_token_is_403(
        self, client: httpx.AsyncClient, factory: Factory, path: str
    ) -> None:
        organiser = await factory.organiser()
        assert (await client.get(path)).status_code == 401
        response = await client.get(path, headers=factory.organiser_headers(organiser))
        assert response.status_code == 403
        assert "attendees" in response.json()["detail"]

    async def test_patch_needs_an_attendee(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser = await factory.organiser()
        path = "/api/contacts/00000000-0000-4000-8000-000000000000"
        assert (await client.patch(path, json={"note": "x"})).status_code == 401
        forbidden = await client.patch(path, json={"note": "x"}, headers=factory.organiser_headers(organiser))
        assert forbidden.status_code == 403

    async def test_revoked_token_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        _, me, headers = await event_with_me(factory)
        me.access_version += 1
        await session.flush()
        assert (await client.get("/api/contacts", headers=headers)).status_code == 401

    async def test_note_carrying_answers_are_never_cached(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, me, headers = await event_with_me(factory)
        contact = await factory.encounter(me, await factory.attendee(event), note="n")
        for path in (
            "/api/contacts",
            f"/api/contacts/{contact.id}",
            f"/api/contacts/{contact.id}/follow-up",
            "/api/contacts/export.csv",
            "/api/contacts/export.vcf",
        ):
            response = await client.get(path, headers=headers)
            assert response.status_code == 200
            assert response.headers["cache-control"] == "no-store"
