"""The overview's "badges printed" step: recorded when the organiser downloads everyone's badges."""

from __future__ import annotations

from datetime import datetime

import httpx

from rencontre.kit.time import utcnow
from rencontre.models import Event, Organiser
from tests.support import Factory


async def _printed_event(factory: Factory, attendees: int) -> tuple[Organiser, Event]:
    organiser = await factory.organiser()
    event = await factory.event(organiser)
    for i in range(attendees):
        await factory.attendee(event, name=f"Person {i}")
    return organiser, event


async def _progress(
    client: httpx.AsyncClient, factory: Factory, organiser: Organiser, event: Event
) -> dict[str, object]:
    response = await client.get(
        f"/api/events/{event.id}/progress", headers=factory.organiser_headers(organiser)
    )
    assert response.status_code == 200
    body: dict[str, object] = response.json()
    return body


async def _print(
    client: httpx.AsyncClient, factory: Factory, organiser: Organiser, event: Event, **params: object
) -> httpx.Response:
    return await client.get(
        f"/api/events/{event.id}/badges.pdf", params=params, headers=factory.organiser_headers(organiser)
    )


class TestDownloadingEveryonesBadgesMarksThemPrinted:
    async def test_the_sheet_sets_when_and_how_many(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event = await _printed_event(factory, 3)
        await factory.attendee(event, deleted_at=utcnow())
        before = utcnow()
        assert (await _print(client, factory, organiser, event)).status_code == 200
        progress = await _progress(client, factory, organiser, event)
        assert isinstance(progress["badges_printed_at"], str)
        printed_at = datetime.fromisoformat(progress["badges_printed_at"])
        assert printed_at.utcoffset() is not None
        assert printed_at >= before
        assert progress["badges_printed_count"] == 3
        assert progress["badges_to_reprint"] == 0

    async def test_a_later_sheet_replaces_the_mark(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser, event = await _printed_event(factory, 2)
        assert (await _print(client, factory, organiser, event, layout="a4")).status_code == 200
        first = await _progress(client, factory, organiser, event)
        await factory.attendee(event, name="Late")
        assert (await _print(client, factory, organiser, event)).status_code == 200
        second = await _progress(client, factory, organiser, event)
        assert second["badges_printed_count"] == 3
        assert str(second["badges_printed_at"]) >= str(first["badges_printed_at"])


class TestNothingIsMarkedWithoutABadgeOrByAnotherOrganiser:
    async def test_an_empty_events_sheet_is_refused_and_marks_nothing(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event = await _printed_event(factory, 0)
        assert (await _print(client, factory, organiser, event)).status_code == 422
        progress = await _progress(client, factory, organiser, event)
        assert (progress["badges_printed_at"], progress["badges_printed_count"]) == (None, 0)

    async def test_another_organiser_cannot_print_nor_mark(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event = await _printed_event(factory, 2)
        intruder = await factory.organiser()
        assert (await _print(client, factory, intruder, event)).status_code == 404
        progress = await _progress(client, factory, organiser, event)
        assert (progress["badges_printed_at"], progress["badges_printed_count"]) == (None, 0)

    async def test_a_refused_selection_marks_nothing(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event = await _printed_event(factory, 2)
        other = await factory.attendee(await factory.event(organiser))
        assert (await _print(client, factory, organiser, event, ids=[str(other.id)])).status_code == 404
        assert (await _print(client, factory, organiser, event, layout="a3")).status_code == 422
        progress = await _progress(client, factory, organiser, event)
        assert (progress["badges_printed_at"], progress["badges_printed_count"]) == (None, 0)


class TestBadgesToReprintCountNewcomersAndReissuedBadges:
    async def test_added_and_reissued_since_the_sheet_are_to_reprint(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event = await _printed_event(factory, 3)
        headers = factory.organiser_headers(organiser)
        assert (await _print(client, factory, organiser, event)).status_code == 200
        newcomer = await factory.attendee(event, name="Newcomer")
        attendees = (await client.get(f"/api/events/{event.id}/attendees", headers=headers)).json()
        items = attendees["items"] if isinstance(attendees, dict) else attendees
        reissued = next(a["id"] for a in items if a["name"] == "Person 0")
        url = f"/api/events/{event.id}/attendees/{reissued}/badge/reissue"
        assert (await client.post(url, headers=headers)).status_code == 200
        progress = await _progress(client, factory, organiser, event)
        assert (progress["badges_printed_count"], progress["badges_to_reprint"]) == (3, 2)
        # Reprinting just those two clears them, and leaves the full sheet's mark as it was.
        response = await _print(client, factory, organiser, event, ids=[reissued, str(newcomer.id)])
        assert response.status_code == 200
        after = await _progress(client, factory, organiser, event)
        assert (after["badges_printed_count"], after["badges_to_reprint"]) == (3, 0)
        assert after["badges_printed_at"] == progress["badges_printed_at"]

    async def test_nothing_is_to_reprint_before_a_first_sheet(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event = await _printed_event(factory, 2)
        progress = await _progress(client, factory, organiser, event)
        assert progress["badges_to_reprint"] == 0
