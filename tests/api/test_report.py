from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from rencontre.models import Event, InviteState, Organiser
from tests.support import Factory

NINE = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)  # 11:00 in Paris
SECRET = "NOTE-SECRÈTE"


async def _event_with_connections(factory: Factory) -> tuple[Organiser, Event]:
    organiser = await factory.organiser()
    event = await factory.event(organiser, name="Rencontres Lyon", timezone="Europe/Paris")
    joined = {"invite_state": InviteState.joined}
    a = await factory.attendee(event, name="Anna", **joined)
    b = await factory.attendee(event, name="Bruno", **joined)
    c = await factory.attendee(event, name="Céline", **joined)
    d = await factory.attendee(event, name="David")
    e = await factory.attendee(event, name="Emma")
    await factory.attendee(event, name="Fanny")  # never connected
    gone = await factory.attendee(event, name="", deleted_at=NINE, **joined)

    def at(minutes: int) -> dict[str, object]:
        return {"met_at": NINE + timedelta(minutes=minutes), "note": SECRET, "tags": ["secret-tag"]}

    await factory.encounter(a, b, mutual=True, **at(2))
    await factory.encounter(b, a, mutual=True, **at(3))
    await factory.encounter(a, c, **at(5))
    await factory.encounter(a, gone, **at(10))
    await factory.encounter(c, d, **at(20))
    await factory.encounter(a, d, **at(21))
    await factory.encounter(e, a, **at(40))

    # Another organiser's event: none of it counts.
    elsewhere = await factory.event(name="Ailleurs")
    x = await factory.attendee(elsewhere)
    y = await factory.attendee(elsewhere)
    await factory.encounter(x, y, **at(2))
    return organiser, event


class TestReport:
    async def test_totals_distribution_and_peaks(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser, event = await _event_with_connections(factory)
        response = await client.get(
            f"/api/events/{event.id}/report", headers=factory.organiser_headers(organiser)
        )
        assert response.status_code == 200
        report = response.json()
        assert report["event_name"] == "Rencontres Lyon"
        assert report["totals"] == {
            "connections": 7,
            "unique_pairs": 6,
            "mutual_connections": 1,
            "attendees": 6,  # the deleted account is not counted
            "attendees_who_scanned": 4,
            "joined": 3,
            "arrived": 0,
            "introduced": 0,
        }
        # Anna: Bruno, Céline, the deleted one, David, Emma (5); Bruno 1; Céline 2; David 2; Emma 1; Fanny 0.
        assert {b["label"]: b["attendees"] for b in report["distribution"]} == {
            "0": 1,
            "1": 2,
            "2-5": 3,
            "6-10": 0,
            "11+": 0,
        }
        assert [(p["starts_at_local"], p["ends_at_local"], p["connections"]) for p in report["peaks"]] == [
            ("2026-06-03T11:00:00+02:00", "2026-06-03T11:15:00+02:00", 4),
            ("2026-06-03T11:15:00+02:00", "2026-06-03T11:30:00+02:00", 2),
            ("2026-06-03T11:30:00+02:00", "2026-06-03T11:45:00+02:00", 1),
        ]
        assert report["peaks"][0]["starts_at"] == "2026-06-03T09:00:00Z"

    async def test_never_notes_nor_who_met_whom(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser, event = await _event_with_connections(factory)
        headers = factory.organiser_headers(organiser)
        for path in ("report", "report.csv"):
            response = await client.get(f"/api/events/{event.id}/{path}", headers=headers)
            text = response.content.decode("utf-8-sig")
            for private in (SECRET, "secret-tag", "Anna", "Bruno", "Céline", "David", "Emma"):
                assert private not in text

    async def test_csv_of_the_aggregates(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser, event = await _event_with_connections(factory)
        response = await client.get(
            f"/api/events/{event.id}/report.csv", headers=factory.organiser_headers(organiser)
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-disposition"] == 'attachment; filename="report-rencontres-lyon.csv"'
        assert response.content.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
        assert rows[0] == ["section", "metric", "value"]
        figures = {(section, metric): value for section, metric, value in rows[1:]}
        assert figures[("event", "name")] == "Rencontres Lyon"
        assert figures[("totals", "connections")] == "7"
        assert figures[("totals", "unique_pairs")] == "6"
        assert figures[("totals", "mutual_connections")] == "1"
        assert figures[("totals", "attendees_who_scanned")] == "4"
        assert figures[("distribution", "2-5 connections")] == "3"
        assert figures[("distribution", "0 connections")] == "1"
        assert figures[("peak 1", "2026-06-03 11:00–11:15")] == "4"
        assert figures[("peak 3", "2026-06-03 11:30–11:45")] == "1"

    async def test_an_empty_event(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser, name="=HYPERLINK(1)")
        await factory.attendee(event)
        headers = factory.organiser_headers(organiser)
        report = (await client.get(f"/api/events/{event.id}/report", headers=headers)).json()
        assert report["totals"]["connections"] == 0
        assert report["peaks"] == []
        assert report["distribution"][0] == {
            "label": "0",
            "min_connections": 0,
            "max_connections": 0,
            "attendees": 1,
        }
        exported = await client.get(f"/api/events/{event.id}/report.csv", headers=headers)
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"), newline="")))
        assert rows[1] == ["event", "name", "'=HYPERLINK(1)"]


class TestReportAccess:
    @pytest.mark.parametrize("path", ["report", "report.csv"])
    async def test_another_organisers_event_is_not_found(
        self, client: httpx.AsyncClient, factory: Factory, path: str
    ) -> None:
        _, event = await _event_with_connections(factory)
        intruder = await factory.organiser()
        response = await client.get(
            f"/api/events/{event.id}/{path}", headers=factory.organiser_headers(intruder)
        )
        assert response.status_code == 404
        assert SECRET not in response.text

    @pytest.mark.parametrize("path", ["report", "report.csv"])
    async def test_attendees_and_strangers_are_refused(
        self, client: httpx.AsyncClient, factory: Factory, path: str
    ) -> None:
        _, event = await _event_with_connections(factory)
        attendee = await factory.attendee(event)
        url = f"/api/events/{event.id}/{path}"
        assert (await client.get(url)).status_code == 401
        assert (await client.get(url, headers=factory.attendee_headers(attendee))).status_code == 403
