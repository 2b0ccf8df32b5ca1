"""Who scanned me: the scanned person is told, sees the scanner's card as shared, adds them back."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select

from rencontre.config import Settings
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Encounter, Event, Organiser
from tests.api.scan_support import encounter_between, scan_body
from tests.support import Factory

NOTE = "Note d'Anaïs-4c1e : à rappeler"
TAG = "anais-only-tag"
PATH = "/api/me/scanned-by"


async def _anais_scanned_bruno(factory: Factory, **anais_fields: object) -> tuple[Event, Attendee, Attendee]:
    """Anaïs (sharing her e-mail only) scanned Bruno with a note, tags and a rating."""
    event = await factory.event()
    fields = {"name": "Anaïs Roux", "email": "anais@example.org", "phone": "+33 6 11 22 33 44"}
    fields.update({"shared_fields": ["email"], "pitch": "Je cherche des partenaires", **anais_fields})
    anais = await factory.attendee(event, **fields)
    bruno = await factory.attendee(event, name="Bruno Petit")
    await factory.encounter(anais, bruno, note=NOTE, tags=[TAG], rating=4)
    return event, anais, bruno


async def _notices(client: httpx.AsyncClient, factory: Factory, attendee: Attendee) -> dict[str, object]:
    response = await client.get(PATH, headers=factory.attendee_headers(attendee))
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def _met_at(factory: Factory, scanner: Attendee, scanned: Attendee) -> datetime:
    encounter = await encounter_between(factory.session, scanner, scanned)
    assert encounter is not None
    return encounter.met_at


class TestTheScannedPersonIsTold:
    async def test_lists_the_scanner_with_her_card_as_shared(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _event, anais, bruno = await _anais_scanned_bruno(factory)
        body = await _notices(client, factory, bruno)
        assert body["enabled"] is True
        assert body["count"] == 1
        [notice] = body["items"]  # type: ignore[misc]
        assert notice["attendee_id"] == str(anais.id)
        card = notice["card"]
        assert (card["name"], card["email"], card["pitch"]) == (
            "Anaïs Roux",
            "anais@example.org",
            "Je cherche des partenaires",
        )
        assert card["phone"] is None
        assert notice["qr"].startswith(f"{settings.public_base_url}/b/")

    async def test_newest_first_and_only_the_pending(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, anais, bruno = await _anais_scanned_bruno(factory)
        later = await factory.attendee(event, name="Chloé Later")
        mutual = await factory.attendee(event, name="Denis Mutual")
        first = await _met_at(factory, anais, bruno)
        await factory.encounter(later, bruno, met_at=first + timedelta(minutes=5))
        await factory.encounter(mutual, bruno, mutual=True)
        await factory.encounter(bruno, mutual, mutual=True)
        body = await _notices(client, factory, bruno)
        assert [n["card"]["name"] for n in body["items"]] == ["Chloé Later", "Anaïs Roux"]  # type: ignore[attr-defined]
        assert body["count"] == 2

    async def test_the_scanner_sees_no_notice_of_her_own_scan(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, anais, _ = await _anais_scanned_bruno(factory)
        assert (await _notices(client, factory, anais))["items"] == []

    async def test_deleted_or_removed_scanners_never_appear(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _event, anais, bruno = await _anais_scanned_bruno(factory)
        assert (await client.delete("/api/me", headers=factory.attendee_headers(anais))).status_code == 204
        body = await _notices(client, factory, bruno)
        assert (body["count"], body["items"]) == (0, [])

    async def test_a_removed_tombstone_still_holding_its_contact_is_not_listed(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _event, anais, bruno = await _anais_scanned_bruno(factory)
        anais.deleted_at = utcnow()
        await factory.session.flush()
        assert (await _notices(client, factory, bruno))["items"] == []


class TestAddingBack:
    async def test_a_scan_of_the_notice_link_makes_both_mutual_with_my_own_note(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _event, anais, bruno = await _anais_scanned_bruno(factory)
        [notice] = (await _notices(client, factory, bruno))["items"]  # type: ignore[misc]
        body = {"client_id": str(uuid.uuid4()), "qr": notice["qr"], "note": "Bruno's own note"}
        response = await client.post("/api/scans", json=body, headers=factory.attendee_headers(bruno))
        assert response.status_code == 201, response.text
        assert response.json()["outcome"] == "mutual"
        assert response.json()["note"] == "Bruno's own note"
        assert NOTE not in response.text
        assert TAG not in response.text
        # Sent twice (an offline retry), recorded once.
        again = await client.post("/api/scans", json=body, headers=factory.attendee_headers(bruno))
        assert again.json()["outcome"] == "duplicate"
        mine = await encounter_between(factory.session, bruno, anais)
        hers = await encounter_between(factory.session, anais, bruno)
        assert mine is not None
        assert hers is not None
        assert (mine.mutual, hers.mutual, hers.note) == (True, True, NOTE)
        assert (await _notices(client, factory, bruno))["items"] == []
        # Both see the mutual connection among their contacts.
        for who in (anais, bruno):
            contacts = await client.get("/api/contacts", headers=factory.attendee_headers(who))
            assert [c["mutual"] for c in contacts.json()["items"]] == [True]


class TestDismissing:
    async def test_not_now_hides_the_notice_and_leaves_the_scanners_contact_alone(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, anais, bruno = await _anais_scanned_bruno(factory)
        contacts = await client.get("/api/contacts", headers=factory.attendee_headers(anais))
        [before] = contacts.json()["items"]
        response = await client.post(f"{PATH}/{anais.id}/dismiss", headers=factory.attendee_headers(bruno))
        assert response.status_code == 204
        assert (await _notices(client, factory, bruno))["count"] == 0
        contacts = await client.get("/api/contacts", headers=factory.attendee_headers(anais))
        [after] = contacts.json()["items"]
        # The scanner's contact, its version included, tells nothing of the dismissal.
        assert after == before
        # Adding her back stays possible: a scan of her badge.
        response = await client.post(
            "/api/scans",
            json=scan_body(factory.settings, event, anais),
            headers=factory.attendee_headers(bruno),
        )
        assert response.json()["outcome"] == "mutual"

    async def test_dismissing_twice_or_an_unknown_person_is_a_404_that_changes_nothing(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _event, anais, bruno = await _anais_scanned_bruno(factory)
        headers = factory.attendee_headers(bruno)
        assert (await client.post(f"{PATH}/{anais.id}/dismiss", headers=headers)).status_code == 204
        for who in (anais.id, uuid.uuid4(), bruno.id):
            response = await client.post(f"{PATH}/{who}/dismiss", headers=headers)
            assert response.status_code == 404
            assert response.json()["code"] == "scan_notice_not_found"

    async def test_a_malformed_id_is_refused(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, _, bruno = await _anais_scanned_bruno(factory)
        response = await client.post(f"{PATH}/not-an-id/dismiss", headers=factory.attendee_headers(bruno))
        assert response.status_code in (404, 422)

    async def test_one_attendee_cannot_dismiss_anothers_notice(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, anais, bruno = await _anais_scanned_bruno(factory)
        chloe = await factory.attendee(event, name="Chloé")
        response = await client.post(f"{PATH}/{anais.id}/dismiss", headers=factory.attendee_headers(chloe))
        assert response.status_code == 404
        assert (await _notices(client, factory, bruno))["count"] == 1


class TestTurningNoticesOff:
    async def test_off_lists_nothing_and_on_again_shows_what_waits(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, anais, bruno = await _anais_scanned_bruno(factory)
        headers = factory.attendee_headers(bruno)
        me = await client.get("/api/me", headers=headers)
        assert me.json()["scan_notices"] is True
        off = await client.patch("/api/me", json={"scan_notices": False}, headers=headers)
        assert off.status_code == 200
        assert off.json()["scan_notices"] is False
        body = await _notices(client, factory, bruno)
        assert (body["enabled"], body["count"], body["items"]) == (False, 0, [])
        dismiss = await client.post(f"{PATH}/{anais.id}/dismiss", headers=headers)
        assert dismiss.status_code == 404
        await client.patch("/api/me", json={"scan_notices": True}, headers=headers)
        assert (await _notices(client, factory, bruno))["count"] == 1

    async def test_the_scanner_cannot_tell_whether_notices_are_on(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, anais, _bruno = await _anais_scanned_bruno(factory)
        chloe = await factory.attendee(event, name="Chloé", scan_notices=False)
        denis = await factory.attendee(event, name="Denis", scan_notices=True)
        seen = []
        for scanned in (denis, chloe):
            response = await client.post(
                "/api/scans",
                json=scan_body(factory.settings, event, scanned),
                headers=factory.attendee_headers(anais),
            )
            body = response.json()
            seen.append(
                {
                    k: v
                    for k, v in body.items()
                    if k not in ("client_id", "contact_id", "version", "met_at", "last_scanned_at", "card")
                }
            )
            assert "scan_notices" not in response.text
            card = await client.get(
                f"/api/badges/{scan_body(factory.settings, event, scanned)['qr'].rsplit('/', 1)[1]}",
                headers=factory.attendee_headers(anais),
            )
            assert "scan_notices" not in card.text
        assert seen[0] == seen[1]

    async def test_the_setting_takes_only_a_boolean(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, _, bruno = await _anais_scanned_bruno(factory)
        headers = factory.attendee_headers(bruno)
        for bad in ("no", 0, None, "false"):
            response = await client.patch("/api/me", json={"scan_notices": bad}, headers=headers)
            assert response.status_code == 422, bad
            assert "scan_notices" in response.text
        assert (await client.get("/api/me", headers=headers)).json()["scan_notices"] is True


class TestPrivacy:
    async def test_no_note_tag_or_rating_of_the_scanner_reaches_the_scanned(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, _, bruno = await _anais_scanned_bruno(factory)
        response = await client.get(PATH, headers=factory.attendee_headers(bruno))
        assert NOTE not in response.text
        assert TAG not in response.text
        assert "rating" not in response.text
        assert "note" not in response.text.replace("notice", "")

    async def test_unshared_fields_never_appear(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, _anais, bruno = await _anais_scanned_bruno(
            factory, shared_fields=[], linkedin="anais-r", website="https://anais.example"
        )
        response = await client.get(PATH, headers=factory.attendee_headers(bruno))
        for hidden in ("anais@example.org", "+33 6 11", "anais-r", "anais.example"):
            assert hidden not in response.text
        card = response.json()["items"][0]["card"]
        assert (card["email"], card["phone"], card["website"], card["linkedin"]) == (None, None, None, None)

    async def test_only_attendees_read_notices_and_only_their_own(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, _anais, _bruno = await _anais_scanned_bruno(factory)
        chloe = await factory.attendee(event, name="Chloé")
        assert (await _notices(client, factory, chloe))["items"] == []
        organiser_id = event.organiser_id
        organiser = await factory.session.get(Organiser, organiser_id)
        assert organiser is not None
        for headers in (factory.organiser_headers(organiser), {}):
            response = await client.get(PATH, headers=headers)
            assert response.status_code in (401, 403)
            assert "Anaïs" not in response.text

    async def test_organisers_learn_nothing_from_a_dismissal(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, anais, bruno = await _anais_scanned_bruno(factory)
        organiser = await factory.session.get(Organiser, event.organiser_id)
        assert organiser is not None
        headers = factory.organiser_headers(organiser)
        report_path = f"/api/events/{event.id}/report"
        before = (await client.get(report_path, headers=headers)).json()
        await client.post(f"{PATH}/{anais.id}/dismiss", headers=factory.attendee_headers(bruno))
        await client.patch("/api/me", json={"scan_notices": False}, headers=factory.attendee_headers(bruno))
        after = (await client.get(report_path, headers=headers)).json()
        for report in (before, after):
            report.pop("generated_at", None)
            report.pop("generated_at_local", None)
        assert after == before
        attendees = await client.get(f"/api/events/{event.id}/attendees", headers=headers)
        assert "scan_notices" not in attendees.text
        assert "notice_dismissed" not in attendees.text
        rows = await factory.session.scalars(select(Encounter).where(Encounter.event_id == event.id))
        assert len(list(rows)) == 1
