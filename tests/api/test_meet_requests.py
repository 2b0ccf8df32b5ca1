"""'I'd like to meet you': requests, matches, met on a scan, caps, rate limits, blocks, let be."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.config import Settings
from rencontre.kit import ratelimit
from rencontre.models import MeetRequest
from tests.api.people_support import ask, member, names, open_event, people, requests_of
from tests.support import Factory


class TestRequestAndMatch:
    async def test_the_other_sees_it_and_accepting_makes_a_match_for_both(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé", offers=["Mentorat Rust"])
        bob = await member(factory, event, "Bob", open_to_chat=True)
        sent = await ask(client, factory, zoe, bob, "  Vous cherchez\nun CTO ? ")
        assert sent.status_code == 201
        assert sent.json() == {"state": "sent"}

        bobs = await requests_of(client, factory, bob)
        assert [r["person"]["name"] for r in bobs["received"]] == ["Zoé"]
        assert bobs["received"][0]["reason"] == "Vous cherchez un CTO ?"
        assert bobs["received"][0]["prompts"]
        zoes = await requests_of(client, factory, zoe)
        assert [r["person"]["name"] for r in zoes["sent"]] == ["Bob"]
        assert (zoes["sent_count"], zoes["sent_cap"]) == (1, 30)
        assert "reason" not in zoes["sent"][0]
        assert [i["meet"] for i in (await people(client, factory, zoe)).json()["items"]] == ["sent"]
        assert [i["meet"] for i in (await people(client, factory, bob)).json()["items"]] == ["received"]

        request_id = bobs["received"][0]["id"]
        accepted = await client.post(
            f"/api/meet-requests/{request_id}/accept", headers=factory.attendee_headers(bob)
        )
        assert accepted.status_code == 204
        for me, other in ((zoe, "Bob"), (bob, "Zoé")):
            mine = await requests_of(client, factory, me)
            assert [m["person"]["name"] for m in mine["matches"]] == [other]
            assert mine["matches"][0]["met"] is False
            assert (mine["received"], mine["sent"]) == ([], [])
            assert [i["meet"] for i in (await people(client, factory, me)).json()["items"]] == ["match"]
        assert (await requests_of(client, factory, zoe))["matches"][0]["person"]["open_to_chat"] is True

    async def test_asking_someone_who_asked_you_is_a_match(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        bob = await member(factory, event, "Bob")
        assert (await ask(client, factory, zoe, bob)).json() == {"state": "sent"}
        assert (await ask(client, factory, bob, zoe)).json() == {"state": "match"}
        assert [m["person"]["name"] for m in (await requests_of(client, factory, zoe))["matches"]] == ["Bob"]
        assert (await ask(client, factory, zoe, bob)).json() == {"state": "match"}

    async def test_asking_twice_sends_one_request(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        bob = await member(factory, event, "Bob")
        await ask(client, factory, zoe, bob)
        assert (await ask(client, factory, zoe, bob, "encore")).json() == {"state": "sent"}
        assert await session.scalar(select(func.count()).select_from(MeetRequest)) == 1

    async def test_a_later_scan_marks_the_match_met(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        bob = await member(factory, event, "Bob")
        await ask(client, factory, zoe, bob)
        await ask(client, factory, bob, zoe)
        await factory.encounter(zoe, bob)
        for me in (zoe, bob):
            assert (await requests_of(client, factory, me))["matches"][0]["met"] is True
            assert [i["met"] for i in (await people(client, factory, me)).json()["items"]] == [True]


class TestLetBe:
    async def test_a_request_let_be_reads_like_one_ignored(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        bob = await member(factory, event, "Bob")
        chloe = await member(factory, event, "Chloé")
        await ask(client, factory, zoe, bob)
        await ask(client, factory, zoe, chloe)
        before = await requests_of(client, factory, zoe)
        request_id = (await requests_of(client, factory, bob))["received"][0]["id"]
        let_be = await client.post(
            f"/api/meet-requests/{request_id}/let-be", headers=factory.attendee_headers(bob)
        )
        assert let_be.status_code == 204
        assert (await requests_of(client, factory, bob))["received"] == []

        after = await requests_of(client, factory, zoe)
        assert after == before
        declined, ignored = sorted(after["sent"], key=lambda r: r["person"]["name"])
        assert declined.keys() == ignored.keys()
        directory = {i["card"]["name"]: i for i in (await people(client, factory, zoe)).json()["items"]}
        assert directory["Bob"]["meet"] == directory["Chloé"]["meet"] == "sent"
        assert (await ask(client, factory, zoe, bob)).json() == (
            await ask(client, factory, zoe, chloe)
        ).json()

    async def test_only_the_recipient_answers_once(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        bob = await member(factory, event, "Bob")
        await ask(client, factory, zoe, bob)
        request_id = (await requests_of(client, factory, bob))["received"][0]["id"]
        for who, path in ((zoe, "accept"), (zoe, "let-be")):
            response = await client.post(
                f"/api/meet-requests/{request_id}/{path}", headers=factory.attendee_headers(who)
            )
            assert response.status_code == 404
            assert response.json()["code"] == "meet_request_not_found"
        unknown = await client.post(
            f"/api/meet-requests/{uuid.uuid4()}/accept", headers=factory.attendee_headers(bob)
        )
        assert unknown.status_code == 404
        malformed = await client.post("/api/meet-requests/nope/accept", headers=factory.attendee_headers(bob))
        assert malformed.status_code == 422
        assert (
            await client.post(
                f"/api/meet-requests/{request_id}/let-be", headers=factory.attendee_headers(bob)
            )
        ).status_code == 204
        again = await client.post(
            f"/api/meet-requests/{request_id}/accept", headers=factory.attendee_headers(bob)
        )
        assert again.status_code == 404


class TestRefusals:
    async def test_needs_an_open_directory_and_both_people_in_it(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        closed = await factory.event()
        a = await member(factory, closed, "A")
        b = await member(factory, closed, "B")
        assert (await ask(client, factory, a, b)).json()["code"] == "directory_closed"

        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        outsider = await factory.attendee(event, name="Outsider")
        assert (await ask(client, factory, outsider, zoe)).json()["code"] == "not_in_directory"
        response = await ask(client, factory, zoe, outsider)
        assert response.status_code == 404
        assert response.json()["code"] == "person_not_in_directory"
        elsewhere = await member(factory, await open_event(factory), "Elsewhere")
        assert (await ask(client, factory, zoe, elsewhere)).json()["code"] == "person_not_in_directory"
        self_ask = await ask(client, factory, zoe, zoe)
        assert (self_ask.status_code, self_ask.json()["code"]) == (409, "meet_request_to_self")

    @pytest.mark.parametrize(
        "body",
        [
            {},
            {"to": "someone"},
            {"to": None},
            {"to": "00000000-0000-0000-0000-000000000001", "reason": "x" * 141},
            {"to": "00000000-0000-0000-0000-000000000001", "reason": 5},
            {"to": "00000000-0000-0000-0000-000000000001", "extra": True},
        ],
    )
    async def test_bad_request_bodies_change_nothing(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession, body: dict[str, object]
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        response = await client.post("/api/meet-requests", json=body, headers=factory.attendee_headers(zoe))
        assert response.status_code == 422
        assert response.json()["errors"]
        assert await session.scalar(select(func.count()).select_from(MeetRequest)) == 0

    async def test_capped_per_attendee_per_event(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session: AsyncSession,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(settings, "meet_requests_per_event", 2)
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        others = [await member(factory, event, f"P{n}") for n in range(3)]
        assert (await ask(client, factory, zoe, others[0])).status_code == 201
        assert (await ask(client, factory, zoe, others[1])).status_code == 201
        refused = await ask(client, factory, zoe, others[2])
        assert (refused.status_code, refused.json()["code"]) == (409, "meet_request_cap_reached")
        assert await session.scalar(select(func.count()).select_from(MeetRequest)) == 2
        # Answering someone who asked first is no new request: the cap does not stop a match.
        assert (await ask(client, factory, others[2], zoe)).status_code == 201
        assert (await ask(client, factory, zoe, others[2])).json() == {"state": "match"}

    async def test_rate_limited(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        ratelimit.reset()
        settings.meet_request_rate_limit = "2/minute"
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        others = [await member(factory, event, f"P{n}") for n in range(3)]
        assert (await ask(client, factory, zoe, others[0])).status_code == 201
        assert (await ask(client, factory, zoe, others[1])).status_code == 201
        refused = await ask(client, factory, zoe, others[2])
        assert refused.status_code == 429
        assert refused.json()["code"] == "meet_requests_too_fast"
        assert "retry-after" in refused.headers
        ratelimit.reset()


class TestBlocks:
    async def test_a_blocked_person_cannot_reach_me_and_never_learns_it(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        bob = await member(factory, event, "Bob")
        await ask(client, factory, bob, zoe)
        assert len((await requests_of(client, factory, zoe))["received"]) == 1
        await client.post(
            "/api/blocks", json={"attendee_id": str(bob.id)}, headers=factory.attendee_headers(zoe)
        )

        assert (await requests_of(client, factory, zoe))["received"] == []
        assert await names(client, factory, zoe) == []
        # Bob's answer to asking again is the one he always gets.
        assert (await ask(client, factory, bob, zoe)).json() == {"state": "sent"}
        # Zoé asking Bob (an old card on her phone) makes no match either.
        assert (await ask(client, factory, zoe, bob)).json() == {"state": "sent"}
        assert (await requests_of(client, factory, zoe))["matches"] == []
        assert (await requests_of(client, factory, bob))["matches"] == []

    async def test_bad_blocks_are_refused(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        elsewhere = await member(factory, await open_event(factory), "Elsewhere")
        headers = factory.attendee_headers(zoe)
        me = await client.post("/api/blocks", json={"attendee_id": str(zoe.id)}, headers=headers)
        assert (me.status_code, me.json()["code"]) == (409, "self_block")
        other = await client.post("/api/blocks", json={"attendee_id": str(elsewhere.id)}, headers=headers)
        assert (other.status_code, other.json()["code"]) == (404, "person_not_in_directory")
        bad = await client.post("/api/blocks", json={"attendee_id": "x"}, headers=headers)
        assert bad.status_code == 422


class TestErasure:
    async def test_deleting_an_account_removes_its_requests(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        bob = await member(factory, event, "Bob")
        await ask(client, factory, zoe, bob, "ma raison")
        assert (await client.delete("/api/me", headers=factory.attendee_headers(zoe))).status_code == 204
        assert await session.scalar(select(func.count()).select_from(MeetRequest)) == 0
        assert (await requests_of(client, factory, bob))["received"] == []
