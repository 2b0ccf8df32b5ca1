"""Several objectives per attendee, and "other" in a few words of their own."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee
from tests.support import Factory


async def _zoe(factory: Factory) -> tuple[Attendee, dict[str, str]]:
    zoe = await factory.attendee(await factory.event(), name="Zoé Lefèvre")
    return zoe, factory.attendee_headers(zoe)


class TestObjectives:
    async def test_several_objectives_keep_their_order_once_each(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        zoe, headers = await _zoe(factory)
        response = await client.patch(
            "/api/me", json={"objectives": ["hiring", "partnership", "hiring"]}, headers=headers
        )
        assert response.status_code == 200, response.text
        assert response.json()["objectives"] == ["hiring", "partnership"]
        await session.refresh(zoe)
        assert zoe.objectives == ["hiring", "partnership"]

    async def test_other_takes_a_few_words_shown_on_the_card(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, headers = await _zoe(factory)
        response = await client.patch(
            "/api/me",
            json={"objectives": ["learning", "other"], "objective_other": "  trouver   un mentor "},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        assert response.json()["objective_other"] == "trouver un mentor"
        card = (await client.get("/api/me/card", headers=headers)).json()
        assert card["objectives"] == ["learning", "other"]
        assert card["objective_other"] == "trouver un mentor"

    async def test_words_alone_are_kept_when_other_is_already_chosen(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, headers = await _zoe(factory)
        await client.patch("/api/me", json={"objectives": ["other"]}, headers=headers)
        response = await client.patch("/api/me", json={"objective_other": "un associé"}, headers=headers)
        assert response.status_code == 200
        assert response.json()["objective_other"] == "un associé"

    async def test_leaving_other_clears_its_words(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, headers = await _zoe(factory)
        await client.patch(
            "/api/me", json={"objectives": ["other"], "objective_other": "un associé"}, headers=headers
        )
        response = await client.patch("/api/me", json={"objectives": ["hiring"]}, headers=headers)
        assert response.json()["objective_other"] == ""
        assert (await client.get("/api/me/card", headers=headers)).json()["objective_other"] == ""

    async def test_words_without_other_are_refused_and_change_nothing(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        zoe, headers = await _zoe(factory)
        await client.patch("/api/me", json={"objectives": ["hiring"]}, headers=headers)
        response = await client.patch(
            "/api/me", json={"objective_other": "un associé", "pitch": "changé ?"}, headers=headers
        )
        assert response.status_code == 422
        assert response.json()["code"] == "objective_other_without_other"
        await session.refresh(zoe)
        assert (zoe.objectives, zoe.objective_other, zoe.pitch) == (["hiring"], "", "")

    async def test_a_removed_account_keeps_no_objective(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        zoe, headers = await _zoe(factory)
        await client.patch(
            "/api/me", json={"objectives": ["other"], "objective_other": "un associé"}, headers=headers
        )
        assert (await client.delete("/api/me", headers=headers)).status_code == 204
        assert (zoe.objectives, zoe.objective_other) == ([], "")
