"""Contacts, report and account deletion fed by the real scan endpoint."""

from __future__ import annotations

import httpx
import pytest

from tests.support import Factory

pytest.importorskip("rencontre.encounters.endpoints")

from tests.api.scan_support import scan_body


class TestScansBecomeContacts:
    async def test_scan_both_ways_then_review_report_and_delete(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser, name="Rencontres Lyon")
        anna = await factory.attendee(event, name="Anna Évrard", shared_fields=["email"])
        bruno = await factory.attendee(event, name="Bruno Durand")
        anna_headers, bruno_headers = factory.attendee_headers(anna), factory.attendee_headers(bruno)

        first = await client.post(
            "/api/scans",
            json=scan_body(factory.settings, event, bruno, note="Parle de vélo cargo", tags=["partner"]),
            headers=anna_headers,
        )
        assert first.status_code in (200, 201), first.text
        back = await client.post(
            "/api/scans", json=scan_body(factory.settings, event, anna), headers=bruno_headers
        )
        assert back.status_code in (200, 201), back.text

        annas = (await client.get("/api/contacts", params={"q": "velo"}, headers=anna_headers)).json()[
            "items"
        ]
        assert [(c["person"]["name"], c["note"], c["tags"], c["mutual"]) for c in annas] == [
            ("Bruno Durand", "Parle de vélo cargo", ["partner"], True)
        ]
        brunos = (await client.get("/api/contacts", headers=bruno_headers)).json()["items"]
        assert [(c["person"]["name"], c["person"]["email"], c["note"], c["mutual"]) for c in brunos] == [
            ("Anna Évrard", anna.email, "", True)
        ]

        report = (
            await client.get(f"/api/events/{event.id}/report", headers=factory.organiser_headers(organiser))
        ).json()
        assert report["totals"]["connections"] == 2
        assert report["totals"]["unique_pairs"] == 1
        assert report["totals"]["mutual_connections"] == 1

        assert (await client.delete("/api/me", headers=anna_headers)).status_code == 204
        brunos = (await client.get("/api/contacts", headers=bruno_headers)).json()["items"]
        assert [(c["person"]["deleted"], c["person"]["email"], c["mutual"]) for c in brunos] == [
            (True, None, False)
        ]
        again = await client.post(
            "/api/scans", json=scan_body(factory.settings, event, anna), headers=bruno_headers
        )
        assert again.status_code >= 400
        assert "Évrard" not in again.text
