"""Invariant 1: a note (and its tags and rating) is readable by its author alone."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx

from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Encounter, Event, Organiser
from tests.support import Factory

NOTE = "Note privée d'Anna : très bon contact"
TAG = "anna-only-tag"


async def _anna_noted_bruno(
    factory: Factory,
) -> tuple[Organiser, Event, Attendee, Attendee, Attendee, Encounter]:
    organiser = await factory.organiser()
    event = await factory.event(organiser)
    anna = await factory.attendee(event, name="Anna")
    bruno = await factory.attendee(event, name="Bruno", shared_fields=["email"])
    chloe = await factory.attendee(event, name="Chloé")
    contact = await factory.encounter(anna, bruno, note=NOTE, tags=[TAG], rating=5, mutual=True)
    # Bruno scanned Anna back, without a note or a rating of his own.
    await factory.encounter(bruno, anna, mutual=True)
    await factory.encounter(chloe, bruno)
    return organiser, event, anna, bruno, chloe, contact


def _leaks(response: httpx.Response) -> bool:
    text = response.content.decode("utf-8-sig")
    return NOTE in text or TAG in text or json.dumps(NOTE)[1:-1] in text


class TestNotesStayWithTheirAuthor:
    async def test_the_author_reads_them(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, _, anna, _, _, contact = await _anna_noted_bruno(factory)
        headers = factory.attendee_headers(anna)
        for path in (
            "/api/contacts",
            f"/api/contacts/{contact.id}",
            "/api/contacts/export.csv",
            "/api/me/export",
        ):
            response = await client.get(path, headers=headers)
            assert _leaks(response), path

    async def test_the_scanned_person_and_others_cannot(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, _, _, bruno, chloe, contact = await _anna_noted_bruno(factory)
        for reader in (bruno, chloe):
            headers = factory.attendee_headers(reader)
            for path in (
                "/api/contacts",
                f"/api/contacts?q={TAG}",
                f"/api/contacts?tag={TAG}",
                "/api/contacts/export.csv",
                "/api/contacts/export.vcf",
                "/api/me",
                "/api/me/card",
                "/api/me/export",
            ):
                response = await client.get(path, headers=headers)
                assert response.status_code == 200, path
                assert not _leaks(response), path
            for path in (f"/api/contacts/{contact.id}", f"/api/contacts/{contact.id}/follow-up"):
                response = await client.get(path, headers=headers)
                assert response.status_code == 404, path
                assert not _leaks(response), path
        # Bruno's own contact of Anna carries his (empty) note and no rating, not hers.
        bruno_contacts = (await client.get("/api/contacts", headers=factory.attendee_headers(bruno))).json()
        assert [(c["note"], c["tags"], c["rating"]) for c in bruno_contacts["items"]] == [("", [], None)]

    async def test_the_organiser_cannot(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser, event, anna, _, _, contact = await _anna_noted_bruno(factory)
        headers = factory.organiser_headers(organiser)
        base = f"/api/events/{event.id}"
        for path in (
            "/api/events",
            base,
            f"{base}/attendees",
            f"{base}/attendees/{anna.id}",
            f"{base}/report",
            f"{base}/report.csv",
        ):
            response = await client.get(path, headers=headers)
            assert response.status_code == 200, path
            assert not _leaks(response), path
            assert '"rating"' not in response.text, path
        for path in ("/api/contacts", f"/api/contacts/{contact.id}", "/api/contacts/export.csv"):
            response = await client.get(path, headers=headers)
            assert response.status_code == 403, path
            assert not _leaks(response), path


class TestNextStepsCarryNoNote:
    """A next step is the only text two people share: the author's note never rides along."""

    async def test_the_other_side_never_gets_the_note(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, _, anna, bruno, chloe, contact = await _anna_noted_bruno(factory)
        anna_headers, bruno_headers = factory.attendee_headers(anna), factory.attendee_headers(bruno)
        starts_at = (utcnow() + timedelta(days=2)).isoformat()
        proposed = await client.post(
            f"/api/contacts/{contact.id}/next-step",
            json={"kind": "coffee", "starts_at": starts_at, "place": "Lyon"},
            headers=anna_headers,
        )
        assert proposed.status_code == 201
        bruno_contact = (await client.get("/api/contacts", headers=bruno_headers)).json()["items"][0]["id"]
        bruno_step = f"/api/contacts/{bruno_contact}/next-step"
        answered = [
            await client.get("/api/next-steps", headers=bruno_headers),
            await client.get(bruno_step, headers=bruno_headers),
            await client.post(f"{bruno_step}/accept", json={"version": 1}, headers=bruno_headers),
            await client.get(f"{bruno_step}.ics", headers=bruno_headers),
        ]
        for response in answered:
            assert response.status_code == 200, response.request.url
            assert not _leaks(response), response.request.url
            assert '"rating"' not in response.text
            assert '"tags"' not in response.text
        # Nor does an organiser or another attendee reach the step at all.
        assert (
            await client.get("/api/next-steps", headers=factory.organiser_headers(organiser))
        ).status_code == 403
        chloe_view = await client.get(
            f"/api/contacts/{contact.id}/next-step", headers=factory.attendee_headers(chloe)
        )
        assert chloe_view.status_code == 404
        assert not _leaks(chloe_view)


class TestKeepingAContactStaysWithItsAuthor:
    """Retention (issue 19): keep is its author's choice alone, and "my data" tells nothing of others'."""

    async def test_only_the_author_keeps_and_no_one_else_learns_of_it(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event, anna, bruno, chloe, contact = await _anna_noted_bruno(factory)
        for reader in (bruno, chloe):
            headers = factory.attendee_headers(reader)
            for method in ("PUT", "DELETE"):
                response = await client.request(method, f"/api/contacts/{contact.id}/keep", headers=headers)
                assert response.status_code == 404, (method, reader.name)
                assert not _leaks(response)
            mine = await client.get("/api/me/retention", headers=headers)
            assert mine.status_code == 200
            assert not _leaks(mine)
        kept = await client.put(f"/api/contacts/{contact.id}/keep", headers=factory.attendee_headers(anna))
        assert kept.json() == {"contact_id": str(contact.id), "kept": True}
        # Bruno's own contact of Anna is not kept because she kept hers.
        bruno_contacts = (await client.get("/api/contacts", headers=factory.attendee_headers(bruno))).json()
        assert [c["kept"] for c in bruno_contacts["items"]] == [False]
        # The organiser has no way to keep, or to see what was kept.
        organiser_headers = factory.organiser_headers(organiser)
        for method, path in (("PUT", f"/api/contacts/{contact.id}/keep"), ("GET", "/api/me/retention")):
            response = await client.request(method, path, headers=organiser_headers)
            assert response.status_code in (401, 403), (method, path, response.status_code)
        event_seen = (await client.get(f"/api/events/{event.id}", headers=organiser_headers)).text
        assert '"kept"' not in event_seen
