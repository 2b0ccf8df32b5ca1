"""People for you: lists with reasons, exclusions, hide / not now, spread, privacy, bad input."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.config import Settings
from rencontre.db import dialect_of
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event, SuggestionDismissal
from rencontre.suggestions import engine, repository
from tests.support import Factory


async def open_event(factory: Factory, **fields: Any) -> Event:
    return await factory.event(directory_opens_at=utcnow() - timedelta(hours=1), **fields)


async def member(factory: Factory, event: Event, name: str, **fields: Any) -> Attendee:
    values: dict[str, Any] = {"company": f"{name} SAS", "directory_opt_in": True, **fields}
    return await factory.attendee(event, name=name, **values)


async def recompute(app: FastAPI, settings: Settings, event: Event) -> None:
    await engine.recompute_event(app.state.session_factory, settings, event.id)


async def names(client: httpx.AsyncClient, factory: Factory, reader: Attendee, **params: str) -> list[str]:
    response = await client.get("/api/suggestions", headers=factory.attendee_headers(reader), params=params)
    assert response.status_code == 200, response.text
    return [s["card"]["name"] for s in response.json()["suggestions"]]


class TestWhoMayRead:
    async def test_closed_directory_refuses(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event = await factory.event()
        zoe = await member(factory, event, "Zoé")
        response = await client.get("/api/suggestions", headers=factory.attendee_headers(zoe))
        assert response.status_code == 403
        assert response.json()["code"] == "suggestions_closed"

    async def test_directory_not_yet_open_says_when(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await factory.event(directory_opens_at=utcnow() + timedelta(days=1))
        zoe = await member(factory, event, "Zoé")
        response = await client.get("/api/suggestions", headers=factory.attendee_headers(zoe))
        assert response.status_code == 403
        assert "opens_at" in response.json()

    async def test_reader_outside_the_directory_refused(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé", directory_opt_in=False)
        response = await client.get("/api/suggestions", headers=factory.attendee_headers(zoe))
        assert response.status_code == 403
        assert response.json()["code"] == "suggestions_need_directory"

    async def test_organiser_token_refused(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser = await factory.organiser()
        response = await client.get("/api/suggestions", headers=factory.organiser_headers(organiser))
        assert response.status_code == 403


class TestListAndReasons:
    async def test_opting_in_brings_suggestions_with_reasons(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await open_event(factory)
        zoe = await member(
            factory, event, "Zoé Martin", directory_opt_in=False, offers=["intros à des acheteurs retail"]
        )
        await member(factory, event, "Marc Petit", seeks=["retail buyers"], open_to_chat=True)
        headers = factory.attendee_headers(zoe)
        joined = await client.patch("/api/me", json={"directory_opt_in": True}, headers=headers)
        assert joined.status_code == 200
        body = (await client.get("/api/suggestions", headers=headers, params={"lang": "fr"})).json()
        [marc] = body["suggestions"]
        assert marc["card"]["name"] == "Marc Petit"
        said = "Marc cherche «\u00a0retail buyers\u00a0» — "
        said += "vous proposez «\u00a0intros à des acheteurs retail\u00a0»"
        assert marc["reason"] == said
        kinds = [r["kind"] for r in marc["reasons"]]
        assert kinds == ["they_seek_you_offer", "open_to_chat"]
        english = (await client.get("/api/suggestions", headers=headers, params={"lang": "en"})).json()
        assert english["suggestions"][0]["reason"].startswith("Marc seeks “retail buyers” — you offer")
        assert english["suggestions"][0]["reasons"][1]["text"] == "Marc is open to chat now"

    async def test_language_defaults_to_the_readers(
        self, client: httpx.AsyncClient, factory: Factory, app: FastAPI, settings: Settings
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé", language="en", interests=["logistique"])
        await member(factory, event, "Hugo", interests=["logistics"])
        await recompute(app, settings, event)
        body = (await client.get("/api/suggestions", headers=factory.attendee_headers(zoe))).json()
        assert body["language"] == "en"
        assert body["suggestions"][0]["reason"] == "You both care about “logistics”"

    async def test_complementarity_first_then_sameness(
        self, client: httpx.AsyncClient, factory: Factory, app: FastAPI, settings: Settings
    ) -> None:
        event = await open_event(factory)
        zoe = await member(
            factory, event, "Zoé", seeks=["clients pilotes en logistique"], interests=["climat"]
        )
        await member(factory, event, "Léa", interests=["climat"])
        await member(factory, event, "Marc", offers=["intros to logistics customers"])
        await member(factory, event, "Nils")
        await recompute(app, settings, event)
        assert (await names(client, factory, zoe))[:2] == ["Marc", "Léa"]

    async def test_spread_across_companies(
        self, client: httpx.AsyncClient, factory: Factory, app: FastAPI, settings: Settings
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé", seeks=["Rust mentoring"])
        for i in range(5):
            await member(factory, event, f"Big {i}", company="Big Corp", offers=["Rust mentoring"])
        for i in range(3):
            await member(factory, event, f"Small {i}", interests=["design"])
        await recompute(app, settings, event)
        listed = await names(client, factory, zoe)
        assert sum(name.startswith("Big") for name in listed) == 2
        assert all(name.startswith("Big") for name in listed[:2])  # the two best, then the rest


class TestIncremental:
    async def test_a_profile_change_reaches_the_neighbours_lists(
        self, client: httpx.AsyncClient, factory: Factory, app: FastAPI, settings: Settings
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé", seeks=["a Rust mentor"])
        await member(factory, event, "Marc", interests=["design"], open_to_chat=True)
        lea = await member(factory, event, "Léa")
        await recompute(app, settings, event)
        assert (await names(client, factory, zoe))[0] == "Marc"
        changed = await client.patch(
            "/api/me", json={"offers": ["mentorat Rust"]}, headers=factory.attendee_headers(lea)
        )
        assert changed.status_code == 200
        assert (await names(client, factory, zoe))[0] == "Léa"

    async def test_leaving_the_directory_leaves_every_list(
        self, client: httpx.AsyncClient, factory: Factory, app: FastAPI, settings: Settings
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        marc = await member(factory, event, "Marc")
        await member(factory, event, "Léa")
        await recompute(app, settings, event)
        assert "Marc" in await names(client, factory, zoe)
        left = await client.patch(
            "/api/me", json={"directory_opt_in": False}, headers=factory.attendee_headers(marc)
        )
        assert left.status_code == 200
        assert await names(client, factory, zoe) == ["Léa"]
        stored = await client.get("/api/suggestions", headers=factory.attendee_headers(marc))
        assert stored.status_code == 403


class TestKeptBetweenRecomputes:
    """A process keeps an event's room and lists between recomputes; the database stays the truth."""

    async def stored(self, app: FastAPI, event: Event) -> dict[uuid.UUID, list[uuid.UUID]]:
        async with app.state.session_factory() as session:
            found = await repository.lists(session, event.id)
        return {reader: [p for p, _ in items] for reader, items in found.items()}

    async def room(self, factory: Factory) -> tuple[Event, Attendee, Attendee, Attendee]:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé", seeks=["a Rust mentor"])
        marc = await member(factory, event, "Marc", interests=["design"])
        lea = await member(factory, event, "Léa")
        return event, zoe, marc, lea

    async def edit(self, app: FastAPI, person: Attendee, **values: Any) -> None:
        async with app.state.session_factory() as session, session.begin():
            await session.execute(update(Attendee).where(Attendee.id == person.id).values(**values))

    async def test_kept_lists_serve_the_next_change_without_reading_them_again(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        app: FastAPI,
        settings: Settings,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        event, zoe, _, lea = await self.room(factory)
        await recompute(app, settings, event)

        async def not_read(*_: Any, **__: Any) -> None:
            raise AssertionError("the kept lists were read again")

        monkeypatch.setattr(repository, "lists", not_read)
        await self.edit(app, lea, offers=["mentorat Rust"])
        await engine.refresh(app.state.session_factory, settings, event.id, changed=lea.id)
        assert (await names(client, factory, zoe))[0] == "Léa"

    async def test_another_instances_write_makes_the_kept_lists_read_again(
        self, client: httpx.AsyncClient, factory: Factory, app: FastAPI, settings: Settings
    ) -> None:
        event, zoe, marc, lea = await self.room(factory)
        await member(factory, event, "Noé")
        await recompute(app, settings, event)
        this_instance = engine.kept(event.id)
        assert this_instance is not None
        # Another instance (nothing kept) takes a profile change and writes the lists it moves.
        engine.forget(event.id)
        await self.edit(app, lea, offers=["mentorat Rust"])
        await engine.refresh(app.state.session_factory, settings, event.id, changed=lea.id)
        assert (await names(client, factory, zoe))[0] == "Léa"
        # Back in this instance, whose memory is older than the database: the next change
        # must rest on the stored lists, not on the kept ones.
        engine.keep(event.id, this_instance)
        await self.edit(app, marc, interests=["logistique"])
        await engine.refresh(app.state.session_factory, settings, event.id, changed=marc.id)
        now_kept = engine.kept(event.id)
        assert now_kept is not None
        assert {r: [p for p, _ in items] for r, items in now_kept.lists.items()} == await self.stored(
            app, event
        )
        assert (await names(client, factory, zoe))[0] == "Léa"

    async def test_a_hide_moves_the_version_on(
        self, client: httpx.AsyncClient, factory: Factory, app: FastAPI, settings: Settings
    ) -> None:
        event = await open_event(factory)
        zoe, marc = [await member(factory, event, name) for name in ("Zoé", "Marc")]
        await recompute(app, settings, event)
        async with app.state.session_factory() as session:
            before = await repository.version(session, event.id)
        hidden = await client.post(f"/api/suggestions/{marc.id}/hide", headers=factory.attendee_headers(zoe))
        assert hidden.status_code == 200, hidden.text
        async with app.state.session_factory() as session:
            assert await repository.version(session, event.id) > before


class TestServingPlan:
    async def test_a_whole_recompute_leaves_postgresql_statistics_of_the_lists(
        self, factory: Factory, app: FastAPI, settings: Settings
    ) -> None:
        event = await open_event(factory)
        for name in ("Zoé", "Marc", "Léa"):
            await member(factory, event, name)
        await recompute(app, settings, event)
        async with app.state.session_factory() as session:
            if dialect_of(session).name != "postgresql":
                pytest.skip("SQLite plans the served list by its indexes alone")
            rows = await session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'suggestion'"))
        assert rows >= 6  # three readers, two lines each: the planner knows the table is not empty


class TestExclusions:
    async def test_met_either_way_leaves_the_list_at_once(
        self, client: httpx.AsyncClient, factory: Factory, app: FastAPI, settings: Settings
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        marc = await member(factory, event, "Marc")
        lea = await member(factory, event, "Léa")
        await recompute(app, settings, event)
        assert set(await names(client, factory, zoe)) == {"Marc", "Léa"}
        await factory.encounter(marc, zoe)  # Marc scanned Zoé: a contact, no longer a suggestion
        assert await names(client, factory, zoe) == ["Léa"]
        await factory.encounter(zoe, lea)
        assert await names(client, factory, zoe) == []
        await recompute(app, settings, event)
        assert await names(client, factory, zoe) == []

    async def test_left_directory_or_deleted_never_shown(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        app: FastAPI,
        settings: Settings,
        session: AsyncSession,
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        marc = await member(factory, event, "Marc")
        lea = await member(factory, event, "Léa")
        await member(factory, event, "Nils", directory_opt_in=False)
        await recompute(app, settings, event)
        assert set(await names(client, factory, zoe)) == {"Marc", "Léa"}
        marc.directory_opt_in = False
        lea.deleted_at = utcnow()
        await session.flush()
        assert await names(client, factory, zoe) == []

    async def test_a_block_hides_both_ways_at_once_and_after_a_recompute(
        self, client: httpx.AsyncClient, factory: Factory, app: FastAPI, settings: Settings
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé", seeks=["Rust mentoring"])
        marc = await member(factory, event, "Marc", offers=["Rust mentoring"])
        await member(factory, event, "Léa", interests=["design"])
        await recompute(app, settings, event)
        assert "Marc" in await names(client, factory, zoe)
        blocked = await client.post(
            "/api/blocks", json={"attendee_id": str(marc.id)}, headers=factory.attendee_headers(zoe)
        )
        assert blocked.status_code in (200, 204), blocked.text
        # At once, on the stored lists, both ways.
        assert "Marc" not in await names(client, factory, zoe)
        assert "Zoé" not in await names(client, factory, marc)
        # And for good: a whole recompute leaves them apart.
        await recompute(app, settings, event)
        assert "Marc" not in await names(client, factory, zoe)
        assert "Zoé" not in await names(client, factory, marc)

    async def test_hide_is_for_good(
        self, client: httpx.AsyncClient, factory: Factory, app: FastAPI, settings: Settings
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        marc = await member(factory, event, "Marc")
        await member(factory, event, "Léa")
        await recompute(app, settings, event)
        headers = factory.attendee_headers(zoe)
        hidden = await client.post(f"/api/suggestions/{marc.id}/hide", headers=headers)
        assert hidden.status_code == 200, hidden.text
        assert hidden.json() == {"attendee_id": str(marc.id), "until": None}
        assert await names(client, factory, zoe) == ["Léa"]
        await recompute(app, settings, event)
        assert await names(client, factory, zoe) == ["Léa"]

    async def test_not_now_comes_back_after_the_hours(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        app: FastAPI,
        settings: Settings,
        session: AsyncSession,
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        marc = await member(factory, event, "Marc")
        await recompute(app, settings, event)
        headers = factory.attendee_headers(zoe)
        later = await client.post(f"/api/suggestions/{marc.id}/not-now", headers=headers)
        assert later.status_code == 200
        until = later.json()["until"]
        assert until is not None
        assert await names(client, factory, zoe) == []
        await session.execute(
            update(SuggestionDismissal)
            .where(SuggestionDismissal.reader_id == zoe.id)
            .values(until=utcnow() - timedelta(minutes=1))
        )
        await recompute(app, settings, event)
        assert await names(client, factory, zoe) == ["Marc"]


class TestBadInput:
    async def test_refusals_change_nothing(
        self, client: httpx.AsyncClient, factory: Factory, app: FastAPI, settings: Settings
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        await member(factory, event, "Marc")
        outsider = await member(factory, event, "Nils", directory_opt_in=False)
        other_event = await open_event(factory)
        stranger = await member(factory, other_event, "Yann")
        await recompute(app, settings, event)
        headers = factory.attendee_headers(zoe)
        self_hide = await client.post(f"/api/suggestions/{zoe.id}/hide", headers=headers)
        assert (self_hide.status_code, self_hide.json()["code"]) == (409, "suggestion_of_yourself")
        for someone in (outsider.id, stranger.id, uuid.uuid4()):
            refused = await client.post(f"/api/suggestions/{someone}/not-now", headers=headers)
            assert (refused.status_code, refused.json()["code"]) == (404, "suggested_person_not_found")
        garbage = await client.post("/api/suggestions/not-a-uuid/hide", headers=headers)
        assert garbage.status_code == 422
        unknown_action = await client.post(f"/api/suggestions/{uuid.uuid4()}/later", headers=headers)
        assert unknown_action.status_code == 422
        assert "action" in unknown_action.text
        language = await client.get("/api/suggestions", headers=headers, params={"lang": "de"})
        assert language.status_code == 422
        assert "lang" in language.text
        assert await names(client, factory, zoe) == ["Marc"]


class TestPrivacy:
    async def test_cards_and_reasons_hold_only_what_is_shared(
        self, client: httpx.AsyncClient, factory: Factory, app: FastAPI, settings: Settings
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé", seeks=["retail buyers"])
        await member(
            factory,
            event,
            "Marc",
            email="marc.secret@example.org",
            phone="+33 6 12 34 56 78",
            shared_fields=["website"],
            website="https://marc.example.org",
            offers=["intros to retail buyers"],
        )
        await recompute(app, settings, event)
        response = await client.get("/api/suggestions", headers=factory.attendee_headers(zoe))
        text = response.text
        assert "marc.secret" not in text
        assert "12 34 56" not in text
        card = response.json()["suggestions"][0]["card"]
        assert card["website"] == "https://marc.example.org"
        assert card["email"] is None
        assert card["phone"] is None

    async def test_another_readers_dismissals_do_not_leak(
        self, client: httpx.AsyncClient, factory: Factory, app: FastAPI, settings: Settings
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        lea = await member(factory, event, "Léa")
        marc = await member(factory, event, "Marc")
        await recompute(app, settings, event)
        await client.post(f"/api/suggestions/{marc.id}/hide", headers=factory.attendee_headers(lea))
        assert "Marc" in await names(client, factory, zoe)


class TestConsoleSuggestedToMeet:
    async def test_names_only_when_the_feed_shows_names(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        app: FastAPI,
        settings: Settings,
        session: AsyncSession,
    ) -> None:
        organiser = await factory.organiser()
        event = await open_event(factory, organiser=organiser)
        zoe = await member(factory, event, "Zoé", arrived_at=utcnow())
        await member(factory, event, "Marc", arrived_at=utcnow(), company="Atelier")
        await member(factory, event, "Léa")  # not at the venue
        await recompute(app, settings, event)
        headers = factory.organiser_headers(organiser)
        url = f"/api/events/{event.id}/suggested-to-meet"
        hidden = (await client.get(url, params={"attendee_id": str(zoe.id)}, headers=headers)).json()
        assert hidden == [{"attendee_id": str(zoe.id), "people": [], "count": 1}]
        await session.execute(update(Event).where(Event.id == event.id).values(feed_shows_names=True))
        named = (await client.get(url, params={"attendee_id": str(zoe.id)}, headers=headers)).json()
        assert named[0]["people"] == ["Marc (Atelier)"]

    async def test_bad_input_and_other_organisers(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser = await factory.organiser()
        event = await open_event(factory, organiser=organiser)
        headers = factory.organiser_headers(organiser)
        url = f"/api/events/{event.id}/suggested-to-meet"
        assert (await client.get(url, headers=headers)).status_code == 422
        too_many = [("attendee_id", str(uuid.uuid4())) for _ in range(51)]
        assert (await client.get(url, params=too_many, headers=headers)).status_code == 422
        intruder = factory.organiser_headers(await factory.organiser())
        refused = await client.get(url, params={"attendee_id": str(uuid.uuid4())}, headers=intruder)
        assert refused.status_code == 404
