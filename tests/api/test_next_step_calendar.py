"""The agreed step's calendar file, re-read with the iCalendar parser."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from icalendar import Calendar

from tests.api.next_step_support import Pair, Side, answer, coffee, moment, mutual_pair, propose
from tests.support import Factory


async def _ics(client: httpx.AsyncClient, side: Side, **params: str) -> Calendar:
    response = await client.get(f"{side.step_url}.ics", params=params, headers=side.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    assert "attachment" in response.headers["content-disposition"]
    return Calendar.from_ical(response.content)


def _event(calendar: Calendar) -> Any:
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


async def _agreed(client: httpx.AsyncClient, pair: Pair, body: dict[str, object]) -> dict[str, object]:
    step = await propose(client, pair.alex, body)
    response = await answer(client, pair.bruno, "accept", int(step["version"]))
    assert response.status_code == 200
    agreed: dict[str, object] = response.json()
    return agreed


class TestAgreedCoffee:
    async def test_both_files_describe_the_same_event_in_each_readers_language(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        at = moment(days=3, hour=8)
        step = await _agreed(client, pair, coffee(at, duration_minutes=45))
        alex_cal, bruno_cal = await _ics(client, pair.alex), await _ics(client, pair.bruno)
        alex_event, bruno_event = _event(alex_cal), _event(bruno_cal)
        for calendar, event in ((alex_cal, alex_event), (bruno_cal, bruno_event)):
            assert str(calendar["METHOD"]) == "PUBLISH"
            assert str(calendar["VERSION"]) == "2.0"
            assert str(event["STATUS"]) == "CONFIRMED"
            assert str(event["UID"]) == f"next-step-{step['id']}@127.0.0.1"
            assert int(event["SEQUENCE"]) == 2
            start = event["DTSTART"].dt
            assert start == at
            assert start.utcoffset() == timedelta(0)
            assert event["DTEND"].dt == at + timedelta(minutes=45)
            assert str(event["LOCATION"]) == "Café de la Gare, Lyon"
            assert "Let's talk about the partnership" in str(event["DESCRIPTION"])
        assert str(alex_event["SUMMARY"]) == "Café avec Bruno Keller"
        assert str(bruno_event["SUMMARY"]) == "Coffee with Alex Martin"
        english = _event(await _ics(client, pair.alex, lang="en"))
        assert str(english["SUMMARY"]) == "Coffee with Bruno Keller"

    async def test_a_call_carries_its_link_as_url(self, client: httpx.AsyncClient, factory: Factory) -> None:
        pair = await mutual_pair(factory)
        await _agreed(
            client,
            pair,
            {"kind": "call", "starts_at": moment().isoformat(), "link": "https://meet.example.org/x"},
        )
        event = _event(await _ics(client, pair.bruno))
        assert str(event["URL"]) == "https://meet.example.org/x"
        assert "LOCATION" not in event
        assert str(event["SUMMARY"]) == "Call with Alex Martin"

    async def test_a_time_given_with_an_offset_is_written_in_utc(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        at = moment(days=5, hour=7)
        paris = at.astimezone(ZoneInfo("Europe/Paris"))
        await _agreed(client, pair, coffee(paris))
        start = _event(await _ics(client, pair.alex))["DTSTART"].dt
        assert (start, start.utcoffset()) == (at, timedelta(0))


class TestCancelledCoffee:
    async def test_the_file_cancels_the_same_uid_with_a_higher_sequence(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        await _agreed(client, pair, coffee())
        before = _event(await _ics(client, pair.alex))
        assert (await answer(client, pair.bruno, "cancel", 2)).status_code == 200
        calendar = await _ics(client, pair.alex)
        after = _event(calendar)
        assert str(calendar["METHOD"]) == "CANCEL"
        assert str(after["STATUS"]) == "CANCELLED"
        assert str(after["UID"]) == str(before["UID"])
        assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])


class TestNoCalendar:
    async def test_a_proposal_not_yet_agreed_has_none(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        await propose(client, pair.alex)
        response = await client.get(f"{pair.bruno.step_url}.ics", headers=pair.bruno.headers)
        assert (response.status_code, response.json()["code"]) == (409, "next_step_has_no_calendar")

    async def test_a_resource_has_none(self, client: httpx.AsyncClient, factory: Factory) -> None:
        pair = await mutual_pair(factory)
        agreed = await _agreed(client, pair, {"kind": "resource", "message": "Your deck"})
        assert agreed["has_calendar"] is False
        response = await client.get(f"{pair.alex.step_url}.ics", headers=pair.alex.headers)
        assert response.json()["code"] == "next_step_has_no_calendar"

    async def test_no_step_no_file(self, client: httpx.AsyncClient, factory: Factory) -> None:
        pair = await mutual_pair(factory)
        response = await client.get(f"{pair.alex.step_url}.ics", headers=pair.alex.headers)
        assert (response.status_code, response.json()["code"]) == (404, "no_next_step")

    @pytest.mark.parametrize("lang", ["de", ""])
    async def test_an_unknown_language_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, lang: str
    ) -> None:
        pair = await mutual_pair(factory)
        await _agreed(client, pair, coffee())
        response = await client.get(
            f"{pair.alex.step_url}.ics", params={"lang": lang}, headers=pair.alex.headers
        )
        assert (response.status_code, response.json()["code"]) == (422, "invalid_request")
