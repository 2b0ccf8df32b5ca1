"""The opt-in directory: who may list it, who is listed, search, filters, pages, blocks."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.kit.time import utcnow
from tests.api.people_support import member, names, open_event, people
from tests.support import Factory


class TestWhoMayList:
    async def test_closed_directory_refuses_with_its_code(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await factory.event()
        zoe = await member(factory, event, "Zoé")
        response = await people(client, factory, zoe)
        assert response.status_code == 403
        assert response.json()["code"] == "directory_closed"

    async def test_not_yet_open_says_when(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event = await factory.event(directory_opens_at=utcnow() + timedelta(days=2))
        zoe = await member(factory, event, "Zoé")
        response = await people(client, factory, zoe)
        assert response.status_code == 403
        assert response.json()["code"] == "directory_closed"
        assert "opens_at" in response.json()

    async def test_only_people_in_it_may_list_it(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event = await open_event(factory)
        await member(factory, event, "Zoé")
        outsider = await factory.attendee(event, name="Bob")
        response = await people(client, factory, outsider)
        assert response.status_code == 403
        assert response.json()["code"] == "not_in_directory"

    async def test_organisers_and_strangers_are_refused(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        assert (await client.get("/api/people")).status_code == 401
        organiser_headers = factory.organiser_headers(await factory.organiser())
        assert (await client.get("/api/people", headers=organiser_headers)).status_code == 403


class TestWhoIsListed:
    async def test_only_opted_in_people_of_the_event_not_me(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        await member(factory, event, "Anaïs")
        await factory.attendee(event, name="Not opted in")
        gone = await member(factory, event, "Gone")
        gone.deleted_at = utcnow()
        elsewhere = await open_event(factory)
        await member(factory, elsewhere, "Other event")
        await session.flush()
        assert await names(client, factory, zoe) == ["Anaïs"]

    async def test_cards_show_only_what_is_shared(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        await member(
            factory,
            event,
            "Anaïs",
            phone="+33 6 00 00 00 00",
            email="anais@example.org",
            website="https://anais.example.org",
            shared_fields=["website"],
            pitch="Logistique durable",
            objectives=["clients"],
            interests=["Emballage"],
            offers=["Intros to retail buyers"],
            seeks=["Clients pilotes en logistique"],
            open_to_chat=True,
        )
        body = (await people(client, factory, zoe)).json()
        card = body["items"][0]["card"]
        assert card["website"] == "https://anais.example.org"
        assert card["email"] is None
        assert card["phone"] is None
        assert card["offers"] == ["Intros to retail buyers"]
        assert card["seeks"] == ["Clients pilotes en logistique"]
        assert card["open_to_chat"] is True
        assert "anais@example.org" not in str(body)
        assert "+33 6" not in str(body)
        assert body["items"][0]["meet"] == "none"
        assert len(body["items"][0]["prompts"]) == 3

    async def test_blocked_people_never_appear_either_way(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        bob = await member(factory, event, "Bob")
        await member(factory, event, "Anaïs")
        blocked = await client.post(
            "/api/blocks", json={"attendee_id": str(bob.id)}, headers=factory.attendee_headers(zoe)
        )
        assert blocked.status_code == 204
        assert await names(client, factory, zoe) == ["Anaïs"]
        assert await names(client, factory, bob) == ["Anaïs"]
        # Blocking twice changes nothing.
        again = await client.post(
            "/api/blocks", json={"attendee_id": str(bob.id)}, headers=factory.attendee_headers(zoe)
        )
        assert again.status_code == 204


class TestSearch:
    async def test_accent_and_case_insensitive_over_the_card(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        await member(factory, event, "Hélène Côté", company="Vélo & Co")
        await member(factory, event, "Bob", offers=["Mentorat Rust"], seeks=["Clients pilotes"])
        await member(factory, event, "Chloé", pitch="Design de services publics", interests=["Écologie"])
        assert await names(client, factory, zoe, q="cote") == ["Hélène Côté"]
        assert await names(client, factory, zoe, q="VELO") == ["Hélène Côté"]
        assert await names(client, factory, zoe, q="rust pilotes") == ["Bob"]
        assert await names(client, factory, zoe, q="ecologie") == ["Chloé"]
        assert await names(client, factory, zoe, q="nobody") == []

    async def test_filters_by_objective_and_interest(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        await member(factory, event, "Anaïs", objectives=["hiring"], interests=["Écologie", "IA"])
        await member(factory, event, "Bob", objectives=["hiring"], interests=["Design"])
        await member(factory, event, "Chloé", objectives=["learning"], interests=["ecologie"])
        assert await names(client, factory, zoe, objective="hiring") == ["Anaïs", "Bob"]
        assert await names(client, factory, zoe, interest="ÉCOLOGIE") == ["Anaïs", "Chloé"]
        assert await names(client, factory, zoe, objective="hiring", interest="ecologie") == ["Anaïs"]

    async def test_pages_in_name_order(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        for name in ["Émile", "Bob", "anaïs", "Chloé", "David"]:
            await member(factory, event, name)
        first = (await people(client, factory, zoe, limit=2)).json()
        assert [i["card"]["name"] for i in first["items"]] == ["anaïs", "Bob"]
        assert first["total"] == 5
        second = (await people(client, factory, zoe, limit=2, cursor=first["next_cursor"])).json()
        assert [i["card"]["name"] for i in second["items"]] == ["Chloé", "David"]
        third = (await people(client, factory, zoe, limit=2, cursor=second["next_cursor"])).json()
        assert [i["card"]["name"] for i in third["items"]] == ["Émile"]
        assert third["next_cursor"] is None

    @pytest.mark.parametrize(
        ("params", "status"),
        [
            ({"limit": 0}, 422),
            ({"limit": 201}, 422),
            ({"limit": "many"}, 422),
            ({"objective": "world domination"}, 422),
            ({"q": "x" * 201}, 422),
            ({"interest": "x" * 41}, 422),
            ({"cursor": "not-a-cursor"}, 400),
            ({"language": "de"}, 422),
        ],
    )
    async def test_bad_parameters_are_refused(
        self, client: httpx.AsyncClient, factory: Factory, params: dict[str, object], status: int
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        response = await people(client, factory, zoe, **params)
        assert response.status_code == status
        assert response.headers["content-type"].startswith("application/problem+json")


class TestPrompts:
    async def test_in_the_readers_language_from_the_card(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        await member(factory, event, "Anaïs", seeks=["Clients pilotes en logistique"], objectives=["clients"])
        fr = (await people(client, factory, zoe)).json()["items"][0]["prompts"]
        en = (await people(client, factory, zoe, language="en")).json()["items"][0]["prompts"]
        assert (
            fr[0]
            == "Vous cherchez « Clients pilotes en logistique » : à quoi ressemblerait la bonne personne ?"
        )
        assert (
            en[0]
            == "You are looking for “Clients pilotes en logistique”: what would the right person look like?"
        )
        assert en[1] == "Who would your ideal customer be?"

    async def test_for_a_contact_and_never_for_a_stranger(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await factory.event()
        zoe = await factory.attendee(event, name="Zoé")
        anais = await factory.attendee(event, name="Anaïs", offers=["Mentorat Rust"], phone="+33 6 11")
        stranger = await factory.attendee(event, name="Stranger", seeks=["Secret plan"])
        await factory.encounter(zoe, anais)
        headers = factory.attendee_headers(zoe)
        response = await client.get(f"/api/people/{anais.id}/prompts", headers=headers)
        assert response.status_code == 200
        assert response.json()["prompts"] == [
            "Vous proposez « Mentorat Rust » : à qui est-ce le plus utile ?"
        ]
        refused = await client.get(f"/api/people/{stranger.id}/prompts", headers=headers)
        assert refused.status_code == 404
        assert refused.json()["code"] == "prompts_not_allowed"
        assert "Secret plan" not in refused.text
        bad = await client.get("/api/people/not-an-id/prompts", headers=headers)
        assert bad.status_code == 422


class TestFindByName:
    async def test_the_badge_found_by_name_records_a_scan(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        bob = await member(factory, event, "Bob")
        headers = factory.attendee_headers(zoe)
        found = await client.get(f"/api/people/{bob.id}/badge", headers=headers)
        assert found.status_code == 200
        assert found.headers["cache-control"] == "no-store"
        scan = await client.post(
            "/api/scans", json={"client_id": str(uuid.uuid4()), "qr": found.json()["url"]}, headers=headers
        )
        assert scan.status_code == 201, scan.text
        contacts = (await client.get("/api/contacts", headers=headers)).json()["items"]
        assert [c["person"]["name"] for c in contacts] == ["Bob"]

    async def test_only_people_in_the_directory_and_not_blocked(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        outsider = await factory.attendee(event, name="Outsider")
        bob = await member(factory, event, "Bob")
        headers = factory.attendee_headers(zoe)
        for target in (outsider, zoe):
            response = await client.get(f"/api/people/{target.id}/badge", headers=headers)
            assert response.status_code == 404
            assert response.json()["code"] == "person_not_in_directory"
        await client.post(
            "/api/blocks", json={"attendee_id": str(zoe.id)}, headers=factory.attendee_headers(bob)
        )
        assert (await client.get(f"/api/people/{bob.id}/badge", headers=headers)).status_code == 404
        not_member = await client.get(
            f"/api/people/{bob.id}/badge", headers=factory.attendee_headers(outsider)
        )
        assert not_member.json()["code"] == "not_in_directory"
        assert (await client.get("/api/people/x/badge", headers=headers)).status_code == 422
