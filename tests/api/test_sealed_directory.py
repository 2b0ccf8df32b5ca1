"""The offline card cache: every card sealed, opening only with its badge or its short code."""

from __future__ import annotations

import json
from typing import Any

import httpx
from cryptography.exceptions import InvalidTag
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.badges import cache as sealed_cache
from rencontre.badges import sealed
from rencontre.config import Settings
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event
from tests.api.scan_support import token_of
from tests.support import Factory


class Cache:
    """A copy of the cache, as a phone (or anyone holding it) has it."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.salt = sealed.unb64(body["salt"])
        self.by_id = {card["id"]: card for card in body["cards"]}

    def open(self, opening: sealed.Opener) -> dict[str, Any] | None:
        entry = self.by_id.get(sealed.b64(opening.card_id))
        if entry is None:
            return None
        box = sealed.Sealed(card_id=entry["id"], nonce=entry["iv"], box=entry["box"])
        opened: dict[str, Any] = json.loads(sealed.unseal(box, opening))
        return opened

    def with_badge(self, token: str) -> dict[str, Any] | None:
        return self.open(sealed.badge_opener(token, self.salt))

    def with_code(self, code: str) -> dict[str, Any] | None:
        secret = sealed.code_secret(code, self.salt, self.body["iterations"])
        return self.open(sealed.opener(secret, self.salt))


async def _cache(client: httpx.AsyncClient, factory: Factory, viewer: Attendee) -> tuple[Cache, str]:
    response = await client.get("/api/directory", headers=factory.attendee_headers(viewer))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "private, no-store"
    return Cache(response.json()), response.text


class TestACardOpensOnlyWithItsBadge:
    async def test_the_badge_and_the_short_code_open_the_card_and_nothing_else(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event = await factory.event()
        viewer = await factory.attendee(event, name="Alain Viewer")
        zoe = await factory.attendee(event, name="Zoé Lefèvre", pitch="Emballages", interests=["design"])
        cache, _ = await _cache(client, factory, viewer)
        assert cache.body["format"] == "rencontre-sealed-cards/1"
        assert cache.body["complete"] is True
        assert cache.body["iterations"] == settings.short_code_kdf_iterations
        # Two entries per person, in an order that says nothing about who is who.
        assert len(cache.body["cards"]) == 4
        assert [card["id"] for card in cache.body["cards"]] == sorted(
            card["id"] for card in cache.body["cards"]
        )
        token = token_of(settings, event, zoe)
        card = cache.with_badge(token)
        assert card == {
            "badge_code": zoe.badge_code,
            "name": "Zoé Lefèvre",
            "company": zoe.company,
            "job_title": zoe.job_title,
            "pitch": "Emballages",
            "objective": "",
            "interests": ["design"],
            "token": token,
        }
        assert cache.with_code(zoe.short_code) == card
        assert cache.with_badge(token_of(settings, event, viewer))["name"] == "Alain Viewer"  # type: ignore[index]

    async def test_a_guess_opens_nothing(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event = await factory.event()
        viewer = await factory.attendee(event)
        zoe = await factory.attendee(event, short_code="7KQM2X")
        cache, _ = await _cache(client, factory, viewer)
        assert cache.with_code("7KQM2Y") is None
        # A forged token (a valid shape, a wrong MAC) names no entry.
        forged = token_of(settings.model_copy(update={"badge_secret": "x" * 43}), event, zoe)
        assert cache.with_badge(forged) is None

    async def test_an_entry_opened_with_another_key_fails_its_tag(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event = await factory.event()
        viewer = await factory.attendee(event)
        zoe = await factory.attendee(event)
        cache, _ = await _cache(client, factory, viewer)
        right = sealed.badge_opener(token_of(settings, event, zoe), cache.salt)
        wrong = sealed.Opener(card_id=right.card_id, key=bytes(32))
        try:
            cache.open(wrong)
        except InvalidTag:
            pass
        else:  # pragma: no cover
            raise AssertionError("a card opened with the wrong key")

    async def test_a_reissued_badge_and_its_old_code_open_nothing(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        viewer = await factory.attendee(event)
        zoe = await factory.attendee(event)
        old_token, old_code = token_of(settings, event, zoe), zoe.short_code
        assert (await _cache(client, factory, viewer))[0].with_badge(old_token) is not None
        response = await client.post(
            f"/api/events/{event.id}/attendees/{zoe.id}/badge/reissue",
            headers=factory.organiser_headers(organiser),
        )
        assert response.status_code == 200
        await session.refresh(zoe)
        cache, _ = await _cache(client, factory, viewer)
        assert cache.with_badge(old_token) is None
        assert cache.with_code(old_code) is None
        assert cache.with_badge(token_of(settings, event, zoe)) is not None
        assert cache.with_code(zoe.short_code) is not None


class TestWhatTheCacheShows:
    async def test_no_name_or_address_in_clear_and_only_this_events_people(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, other = await factory.event(), await factory.event()
        viewer = await factory.attendee(event, name="Alain Viewer")
        zoe = await factory.attendee(
            event,
            name="Zoé Lefèvre",
            company="Emballages Verts",
            pitch="Des emballages compostables",
            phone="+33 6 12 34 56 78",
            shared_fields=["email", "phone"],
        )
        gone = await factory.attendee(event, name="Gérard Gone")
        gone.deleted_at = utcnow()
        elsewhere = await factory.attendee(other, name="Elsewhere Person")
        await session.flush()
        cache, text = await _cache(client, factory, viewer)
        for clear in (
            "Zoé",
            "Lef",
            "Emballages",
            "compostables",
            zoe.email,
            "+33",
            zoe.badge_code,
            zoe.short_code,
        ):
            assert clear not in text, clear
        assert len(cache.body["cards"]) == 4
        card = cache.with_badge(token_of(settings, event, zoe))
        assert card is not None
        # Contact details are never in the cache, even those shared with scanners.
        assert not {"email", "phone", "website", "linkedin"} & card.keys()
        assert cache.with_badge(token_of(settings, event, gone)) is None
        assert cache.with_code(gone.short_code) is None
        assert cache.with_badge(token_of(settings, other, elsewhere)) is None

    async def test_a_profile_change_shows_in_the_next_copy(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event = await factory.event()
        viewer = await factory.attendee(event)
        zoe = await factory.attendee(event, pitch="Avant")
        await _cache(client, factory, viewer)
        response = await client.patch(
            "/api/me", json={"pitch": "Après"}, headers=factory.attendee_headers(zoe)
        )
        assert response.status_code == 200, response.text
        cache, _ = await _cache(client, factory, viewer)
        assert cache.with_badge(token_of(settings, event, zoe))["pitch"] == "Après"  # type: ignore[index]


class TestShortCodeKeys:
    async def test_slow_keys_are_derived_once_and_kept(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        event = await factory.event()
        viewer = await factory.attendee(event)
        zoe = await factory.attendee(event)
        assert zoe.short_code_key is None
        await _cache(client, factory, viewer)
        await session.refresh(zoe)
        assert zoe.short_code_key is not None
        assert zoe.short_code_key.startswith("1000:")

    async def test_a_request_derives_what_its_time_allows_and_says_the_cache_is_incomplete(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event = await factory.event()
        viewer = await factory.attendee(event)
        for index in range(6):
            await factory.attendee(event, name=f"Person {index}")
        settings.short_code_kdf_seconds = 1e-9
        cache, _ = await _cache(client, factory, viewer)
        # At least one code per request: a large import fills in over a few requests.
        assert cache.body["complete"] is False
        assert 7 + 1 <= len(cache.body["cards"]) < 14
        await _fill(client, factory, viewer, event)
        cache, _ = await _cache(client, factory, viewer)
        assert cache.body["complete"] is True
        assert len(cache.body["cards"]) == 14


async def _fill(client: httpx.AsyncClient, factory: Factory, viewer: Attendee, event: Event) -> None:
    for _ in range(20):
        sealed_cache.forget(event.id)
        if (await _cache(client, factory, viewer))[0].body["complete"]:
            return
