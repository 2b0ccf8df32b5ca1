"""Short badge codes: printed on each badge, typed when the camera cannot help."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.badges import token
from rencontre.badges.short_code import ALPHABET, LENGTH
from rencontre.config import Settings
from rencontre.kit.time import utcnow
from rencontre.models import Attendee
from tests.support import Factory


def _other_code(code: str) -> str:
    """A code differing from ``code`` in its last character."""
    return code[:-1] + next(char for char in ALPHABET if char != code[-1])


async def _by_code(
    client: httpx.AsyncClient, factory: Factory, viewer: Attendee, code: str
) -> httpx.Response:
    return await client.post(
        "/api/short-codes/resolve", json={"code": code}, headers=factory.attendee_headers(viewer)
    )


class TestEveryBadgeHasACode:
    async def test_added_and_imported_attendees_get_distinct_codes(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        headers = factory.organiser_headers(organiser)
        added = await client.post(
            f"/api/events/{event.id}/attendees",
            json={"name": "Zoé", "email": "zoe@example.org"},
            headers=headers,
        )
        assert added.status_code == 201, added.text
        rows = "name,email\n" + "".join(f"Person {i},p{i}@example.org\n" for i in range(40))
        imported = await client.post(
            f"/api/events/{event.id}/attendees/import",
            params={"dry_run": "false"},
            files={"file": ("people.csv", rows.encode(), "text/csv")},
            headers=headers,
        )
        assert imported.status_code == 200, imported.text
        codes = list(await session.scalars(select(Attendee.short_code).where(Attendee.event_id == event.id)))
        assert len(codes) == len(set(codes)) == 41
        assert all(len(code) == LENGTH and set(code) <= set(ALPHABET) for code in codes)

    async def test_a_code_is_unique_within_its_event_only(
        self, factory: Factory, session: AsyncSession
    ) -> None:
        event, other = await factory.event(), await factory.event()
        zoe = await factory.attendee(event, short_code="7KQM2X")
        # The same code in another event is fine: a code is looked up within the scanner's event.
        await factory.attendee(other, short_code="7KQM2X")
        async with session.begin_nested():
            with pytest.raises(IntegrityError):
                await factory.attendee(event, short_code=zoe.short_code)

    async def test_my_badge_shows_my_code(self, client: httpx.AsyncClient, factory: Factory) -> None:
        zoe = await factory.attendee(await factory.event())
        response = await client.get("/api/me/badge", headers=factory.attendee_headers(zoe))
        assert response.status_code == 200
        assert response.json()["short_code"] == zoe.short_code


class TestLookingUpATypedCode:
    async def test_a_code_as_typed_names_the_badge_and_shows_the_card_as_shared(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event = await factory.event()
        viewer = await factory.attendee(event, name="Alain")
        zoe = await factory.attendee(
            event, name="Zoé", short_code="7KQM2X", phone="+33 6 12 34 56 78", shared_fields=["phone"]
        )
        response = await _by_code(client, factory, viewer, " 7kq-m2x ")
        assert response.status_code == 200, response.text
        body = response.json()
        ref = token.verify(settings.badge_key(), body["token"])
        assert (ref.attendee_code, ref.version) == (zoe.badge_code, zoe.badge_version)
        assert body["url"].endswith("/b/" + body["token"])
        assert body["card"]["name"] == "Zoé"
        assert body["card"]["phone"] == "+33 6 12 34 56 78"
        # Not shared: never shown.
        assert body["card"]["email"] is None
        assert zoe.email not in response.text

    async def test_the_token_it_gives_records_a_scan_like_a_qr_code(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await factory.event()
        viewer = await factory.attendee(event)
        zoe = await factory.attendee(event, short_code="7KQM2X")
        found = (await _by_code(client, factory, viewer, "7KQM2X")).json()
        scan = await client.post(
            "/api/scans",
            json={"client_id": "7b0c1b1e-9f5a-4c43-8d2e-0c4f3a1d2b10", "qr": found["url"], "note": "typed"},
            headers=factory.attendee_headers(viewer),
        )
        assert scan.status_code == 201, scan.text
        assert scan.json()["card"]["attendee_id"] == str(zoe.id)

    async def test_a_code_of_another_event_is_refused_as_such(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        viewer = await factory.attendee(await factory.event())
        await factory.attendee(await factory.event(), short_code="7KQM2X")
        response = await _by_code(client, factory, viewer, "7KQM2X")
        assert response.status_code == 403
        assert response.json()["code"] == "short_code_of_other_event"

    async def test_a_code_that_names_no_one_is_refused(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await factory.event()
        viewer = await factory.attendee(event)
        zoe = await factory.attendee(event)
        response = await _by_code(client, factory, viewer, _other_code(zoe.short_code))
        assert response.status_code == 404
        assert response.json()["code"] == "short_code_unknown"

    async def test_a_removed_attendees_code_names_no_one(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        event = await factory.event()
        viewer = await factory.attendee(event)
        gone = await factory.attendee(event, deleted_at=utcnow())
        await session.flush()
        response = await _by_code(client, factory, viewer, gone.short_code)
        assert response.json()["code"] == "short_code_unknown"

    @pytest.mark.parametrize(
        ("body", "says"),
        [
            ({"code": "7KQM2"}, "5 were typed"),
            ({"code": "Zoé Lefèvre"}, "cannot be part of one"),
            ({"code": "  -  "}, "Type the 6-character code"),
        ],
    )
    async def test_text_that_cannot_be_a_code_is_refused_saying_why(
        self, client: httpx.AsyncClient, factory: Factory, body: dict[str, str], says: str
    ) -> None:
        viewer = await factory.attendee(await factory.event())
        response = await client.post(
            "/api/short-codes/resolve", json=body, headers=factory.attendee_headers(viewer)
        )
        assert response.status_code == 422
        assert response.json()["code"] == "invalid_short_code"
        assert says in response.json()["detail"]

    @pytest.mark.parametrize("body", [{}, {"code": ""}, {"code": "x" * 65}, {"code": "7KQM2X", "extra": 1}])
    async def test_a_malformed_body_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, body: dict[str, object]
    ) -> None:
        viewer = await factory.attendee(await factory.event())
        response = await client.post(
            "/api/short-codes/resolve", json=body, headers=factory.attendee_headers(viewer)
        )
        assert response.status_code == 422

    async def test_only_an_attendee_may_look_up(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser = await factory.organiser()
        assert (await client.post("/api/short-codes/resolve", json={"code": "7KQM2X"})).status_code == 401
        response = await client.post(
            "/api/short-codes/resolve", json={"code": "7KQM2X"}, headers=factory.organiser_headers(organiser)
        )
        assert response.status_code == 403


class TestReissue:
    async def test_a_reissued_badge_gets_a_new_code_and_the_old_one_stops_working(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        viewer = await factory.attendee(event)
        zoe = await factory.attendee(event)
        old = zoe.short_code
        response = await client.post(
            f"/api/events/{event.id}/attendees/{zoe.id}/badge/reissue",
            headers=factory.organiser_headers(organiser),
        )
        assert response.status_code == 200, response.text
        await session.refresh(zoe)
        assert zoe.short_code != old
        assert (await _by_code(client, factory, viewer, old)).json()["code"] == "short_code_unknown"
        assert (await _by_code(client, factory, viewer, zoe.short_code)).status_code == 200


class TestGuessing:
    async def test_codes_that_name_no_one_are_limited_then_every_lookup_waits(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(settings, "short_code_rate_limit", "1000/minute")
        monkeypatch.setattr(settings, "short_code_miss_rate_limit", "5/hour")
        event = await factory.event()
        guesser, other = await factory.attendee(event), await factory.attendee(event)
        zoe = await factory.attendee(event, short_code="7KQM2X")
        for _ in range(5):
            assert (await _by_code(client, factory, guesser, "222222")).status_code == 404
        refused = await _by_code(client, factory, guesser, zoe.short_code)
        assert refused.status_code == 429
        assert refused.json()["code"] == "too_many_code_guesses"
        assert int(refused.headers["Retry-After"]) > 0
        # Counted per attendee: someone else typing a right code is not held back.
        assert (await _by_code(client, factory, other, zoe.short_code)).status_code == 200

    async def test_every_lookup_counts_against_a_rate(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(settings, "short_code_rate_limit", "3/minute")
        event = await factory.event()
        viewer = await factory.attendee(event)
        zoe = await factory.attendee(event)
        for _ in range(3):
            assert (await _by_code(client, factory, viewer, zoe.short_code)).status_code == 200
        assert (await _by_code(client, factory, viewer, zoe.short_code)).status_code == 429
