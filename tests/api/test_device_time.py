"""The phone's time of a scan, stored as sent, is returned: on the contact and in the data export."""

from __future__ import annotations

import httpx

from rencontre.models import Attendee, Event
from tests.api.scan_support import scan_body
from tests.support import Factory


async def _pair(factory: Factory) -> tuple[Event, Attendee, Attendee, dict[str, str]]:
    event = await factory.event(timezone="Europe/Paris")
    anais = await factory.attendee(event, name="Anaïs Roux")
    bruno = await factory.attendee(event, name="Bruno Keller")
    return event, anais, bruno, factory.attendee_headers(anais)


async def _scan(
    client: httpx.AsyncClient,
    factory: Factory,
    event: Event,
    scanned: Attendee,
    headers: dict[str, str],
    **fields: str,
) -> str:
    response = await client.post(
        "/api/scans", json=scan_body(factory.settings, event, scanned, **fields), headers=headers
    )
    assert response.status_code in (200, 201), response.text
    return str(response.json()["contact_id"])


class TestContactShowsThePhonesTime:
    async def test_the_contact_carries_the_device_time_in_utc(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, _, bruno, headers = await _pair(factory)
        contact_id = await _scan(
            client, factory, event, bruno, headers, device_at="2026-11-27T14:32:00+01:00"
        )
        contact = (await client.get(f"/api/contacts/{contact_id}", headers=headers)).json()
        assert contact["device_at"] == "2026-11-27T13:32:00Z"
        listed = (await client.get("/api/contacts", headers=headers)).json()["items"]
        assert [item["device_at"] for item in listed] == ["2026-11-27T13:32:00Z"]

    async def test_a_scan_without_device_time_shows_none(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, _, bruno, headers = await _pair(factory)
        contact_id = await _scan(client, factory, event, bruno, headers)
        assert (await client.get(f"/api/contacts/{contact_id}", headers=headers)).json()["device_at"] is None

    async def test_meeting_again_keeps_the_first_meetings_device_time(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, _, bruno, headers = await _pair(factory)
        contact_id = await _scan(
            client, factory, event, bruno, headers, device_at="2026-11-27T14:32:00+01:00"
        )
        await _scan(client, factory, event, bruno, headers, device_at="2026-11-27T16:00:00+01:00")
        contact = (await client.get(f"/api/contacts/{contact_id}", headers=headers)).json()
        assert (contact["scan_count"], contact["device_at"]) == (2, "2026-11-27T13:32:00Z")

    async def test_a_device_time_without_offset_is_refused_and_records_nothing(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, _, bruno, headers = await _pair(factory)
        body = scan_body(factory.settings, event, bruno, device_at="2026-11-27T14:32:00")
        response = await client.post("/api/scans", json=body, headers=headers)
        assert response.status_code == 422
        assert "device_at" in response.text
        assert (await client.get("/api/contacts", headers=headers)).json()["items"] == []


class TestExportHoldsThePhonesTime:
    async def test_the_personal_export_includes_each_contacts_device_time(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, _, bruno, headers = await _pair(factory)
        await _scan(client, factory, event, bruno, headers, device_at="2026-11-27T14:32:00+01:00")
        exported = (await client.get("/api/me/export", headers=headers)).json()
        assert [c["device_at"] for c in exported["contacts"]] == ["2026-11-27T13:32:00Z"]
