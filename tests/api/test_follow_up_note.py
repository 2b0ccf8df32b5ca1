"""A follow-up draft goes to the person the private note is about: it quotes the note only on request."""

from __future__ import annotations

from urllib.parse import unquote

import httpx
import pytest

from rencontre.models import Encounter
from tests.api.contacts_support import event_with_me
from tests.support import Factory

NOTE = "Trop bavard, budget serré"


async def _contact(factory: Factory, *, note: str = NOTE) -> tuple[Encounter, dict[str, str]]:
    event, me, headers = await event_with_me(factory)
    bruno = await factory.attendee(
        event, name="Bruno Keller", email="bruno@keller.example", shared_fields=["email"]
    )
    return await factory.encounter(me, bruno, note=note), headers


class TestDraftLeavesTheNoteOutByDefault:
    @pytest.mark.parametrize("kind", ["message", "coffee", "resource"])
    async def test_no_note_in_the_body_or_the_mail_link(
        self, client: httpx.AsyncClient, factory: Factory, kind: str
    ) -> None:
        contact, headers = await _contact(factory)
        response = await client.get(
            f"/api/contacts/{contact.id}/follow-up", params={"kind": kind}, headers=headers
        )
        assert response.status_code == 200
        draft = response.json()
        assert draft["quotes_note"] is False
        assert "bavard" not in draft["body"]
        assert "bavard" not in unquote(draft["mailto"])
        assert draft["body"].startswith("Bonjour Bruno,")

    async def test_saying_no_explicitly_also_leaves_it_out(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        contact, headers = await _contact(factory)
        draft = (
            await client.get(
                f"/api/contacts/{contact.id}/follow-up", params={"include_note": "false"}, headers=headers
            )
        ).json()
        assert (draft["quotes_note"], "bavard" in draft["body"]) == (False, False)


class TestDraftQuotesTheNoteWhenAsked:
    async def test_the_note_is_quoted_in_the_body_and_the_mail_link(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        contact, headers = await _contact(factory)
        draft = (
            await client.get(
                f"/api/contacts/{contact.id}/follow-up", params={"include_note": "true"}, headers=headers
            )
        ).json()
        assert draft["quotes_note"] is True
        assert f"Pour mémoire, nous avions évoqué : {NOTE}" in draft["body"]
        assert NOTE in unquote(draft["mailto"])

    async def test_an_empty_note_quotes_nothing(self, client: httpx.AsyncClient, factory: Factory) -> None:
        contact, headers = await _contact(factory, note="")
        draft = (
            await client.get(
                f"/api/contacts/{contact.id}/follow-up", params={"include_note": "true"}, headers=headers
            )
        ).json()
        assert draft["quotes_note"] is False
        assert "Pour mémoire" not in draft["body"]


class TestIncludeNoteRefusals:
    @pytest.mark.parametrize("value", ["maybe", "", "2"])
    async def test_a_value_that_is_not_a_yes_or_no_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, value: str
    ) -> None:
        contact, headers = await _contact(factory)
        response = await client.get(
            f"/api/contacts/{contact.id}/follow-up", params={"include_note": value}, headers=headers
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "include_note"
        assert "bavard" not in response.text

    async def test_someone_elses_contact_is_not_found_even_with_the_note_asked(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        contact, _ = await _contact(factory)
        _, _, stranger = await event_with_me(factory)
        response = await client.get(
            f"/api/contacts/{contact.id}/follow-up", params={"include_note": "true"}, headers=stranger
        )
        assert response.status_code == 404
        assert "bavard" not in response.text
