"""Next steps raced for real: separate sessions on separate connections, each committing
(SQLite and PostgreSQL). Two people proposing at once get one step; two answers at once, one wins."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from rencontre.models import Attendee, Encounter
from tests.api.conftest import Live
from tests.api.next_step_support import coffee
from tests.support import Factory


async def _mutual(live: Live) -> tuple[Factory, list[tuple[Attendee, Encounter]]]:
    _, (alex, bruno), factory = await live.event_with(2)
    async with live.sessions() as session:
        maker = Factory(session, live.settings)
        alex_contact = await maker.encounter(alex, bruno, mutual=True)
        bruno_contact = await maker.encounter(bruno, alex, mutual=True)
        await session.commit()
    return factory, [(alex, alex_contact), (bruno, bruno_contact)]


def _post(live: Live, factory: Factory, side: tuple[Attendee, Encounter], path: str, body: Any) -> Any:
    attendee, contact = side
    return live.client.post(
        f"/api/contacts/{contact.id}/next-step{path}", json=body, headers=factory.attendee_headers(attendee)
    )


class TestAtTheSameMoment:
    async def test_both_proposing_at_once_make_one_step(self, live: Live) -> None:
        factory, sides = await _mutual(live)
        responses: list[httpx.Response] = await asyncio.gather(
            *(_post(live, factory, side, "", coffee()) for side in sides)
        )
        assert sorted(r.status_code for r in responses) == [201, 409], [r.text for r in responses]
        [refused] = [r for r in responses if r.status_code == 409]
        assert refused.json()["code"] == "next_step_already_open"

    async def test_accept_and_decline_at_once_one_wins(self, live: Live) -> None:
        factory, (alex, bruno) = await _mutual(live)
        assert (await _post(live, factory, alex, "", coffee())).status_code == 201
        responses: list[httpx.Response] = await asyncio.gather(
            *(_post(live, factory, bruno, f"/{action}", {"version": 1}) for action in ("accept", "decline"))
        )
        assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
        [loser] = [r for r in responses if r.status_code == 409]
        assert loser.json()["code"] == "next_step_already_answered"
