"""Locked notes: a session that has not presented the attendee's passkey reads no note,
tag or rating on any path, and gets no draft or export; an unlocked one sees everything."""

from __future__ import annotations

import secrets
from typing import Any

import httpx
import pytest

from rencontre.auth import service as auth_service
from rencontre.models import Attendee, Encounter, Event, Passkey
from tests.api.scan_support import scan_body
from tests.support import Factory

NOTE = "Secret: rachat de la boîte en mars"
LOCKED = "notes_locked"


class Locked:
    """An attendee with a passkey, one contact with a note, and two sessions of theirs."""

    def __init__(
        self, event: Event, me: Attendee, zoe: Attendee, contact: Encounter, factory: Factory
    ) -> None:
        self.event, self.me, self.zoe, self.contact = event, me, zoe, contact
        self.locked = factory.attendee_headers(me)
        token = auth_service.attendee_token(factory.settings, me, passkey=True)
        self.unlocked = {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def world(factory: Factory) -> Locked:
    event = await factory.event()
    me = await factory.attendee(event, name="Alex Martin")
    zoe = await factory.attendee(event, name="Zoé Lefèvre", company="Atelier", shared_fields=["email"])
    contact = await factory.encounter(me, zoe, note=NOTE, tags=["rachat", "vip"], rating=5)
    factory.session.add(
        Passkey(attendee_id=me.id, credential_id=secrets.token_urlsafe(32), public_key=b"k", transports=[])
    )
    me.has_passkey = True
    await factory.session.flush()
    return Locked(event, me, zoe, contact, factory)


def _redacted(contact: dict[str, Any]) -> None:
    assert contact["note"] == ""
    assert contact["tags"] == []
    assert contact["rating"] is None
    assert contact["notes_locked"] is True


def _refused(response: httpx.Response) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == LOCKED
    assert "passkey" in response.json()["detail"]


class TestLockedContactList:
    async def test_the_list_withholds_note_tags_and_rating(
        self, client: httpx.AsyncClient, world: Locked
    ) -> None:
        response = await client.get("/api/contacts", headers=world.locked)
        assert response.status_code == 200
        [contact] = response.json()["items"]
        _redacted(contact)
        assert contact["person"]["name"] == "Zoé Lefèvre"
        assert NOTE not in response.text

    async def test_search_does_not_look_through_locked_notes(
        self, client: httpx.AsyncClient, world: Locked
    ) -> None:
        for q in ("rachat", "vip", "mars"):
            response = await client.get("/api/contacts", params={"q": q}, headers=world.locked)
            assert response.json()["items"] == [], q
        by_name = await client.get("/api/contacts", params={"q": "zoe"}, headers=world.locked)
        assert len(by_name.json()["items"]) == 1

    async def test_filtering_by_tag_or_rating_is_refused(
        self, client: httpx.AsyncClient, world: Locked
    ) -> None:
        _refused(await client.get("/api/contacts", params={"tag": "vip"}, headers=world.locked))
        _refused(await client.get("/api/contacts", params={"rating": 5}, headers=world.locked))


class TestLockedContactPage:
    async def test_the_contact_page_withholds_note_tags_and_rating(
        self, client: httpx.AsyncClient, world: Locked
    ) -> None:
        response = await client.get(f"/api/contacts/{world.contact.id}", headers=world.locked)
        assert response.status_code == 200
        _redacted(response.json())

    async def test_editing_note_tags_or_rating_is_refused_and_changes_nothing(
        self, client: httpx.AsyncClient, world: Locked, factory: Factory
    ) -> None:
        for body in ({"note": "écrasé"}, {"tags": []}, {"rating": None}, {"note": "x", "follow_up": "done"}):
            _refused(await client.patch(f"/api/contacts/{world.contact.id}", json=body, headers=world.locked))
        await factory.session.refresh(world.contact)
        assert (world.contact.note, world.contact.tags, world.contact.rating) == (NOTE, ["rachat", "vip"], 5)

    async def test_the_follow_up_state_stays_editable_and_its_answer_is_redacted(
        self, client: httpx.AsyncClient, world: Locked
    ) -> None:
        response = await client.patch(
            f"/api/contacts/{world.contact.id}", json={"follow_up": "done"}, headers=world.locked
        )
        assert response.status_code == 200, response.text
        _redacted(response.json())
        assert response.json()["follow_up"] == "done"

    async def test_a_version_conflict_answer_is_redacted(
        self, client: httpx.AsyncClient, world: Locked
    ) -> None:
        response = await client.patch(
            f"/api/contacts/{world.contact.id}",
            json={"follow_up": "done"},
            headers=world.locked | {"If-Match": '"stale-version"'},
        )
        assert response.status_code == 412, response.text
        _redacted(response.json()["contact"])
        assert NOTE not in response.text


class TestLockedDraftsAndExports:
    async def test_the_follow_up_draft_is_refused(self, client: httpx.AsyncClient, world: Locked) -> None:
        _refused(await client.get(f"/api/contacts/{world.contact.id}/follow-up", headers=world.locked))

    @pytest.mark.parametrize(
        "path",
        [
            "/api/contacts/export.csv",
            "/api/contacts/export.vcf",
            "/api/contacts/export.xlsx",
            "/api/me/export",
        ],
    )
    async def test_exports_are_refused(self, client: httpx.AsyncClient, world: Locked, path: str) -> None:
        _refused(await client.get(path, headers=world.locked))


class TestLockedScans:
    async def test_a_note_typed_at_a_new_scan_is_kept_and_only_it_is_echoed(
        self, client: httpx.AsyncClient, world: Locked, factory: Factory
    ) -> None:
        bob = await factory.attendee(world.event, name="Bob")
        body = scan_body(factory.settings, world.event, bob, note="Vu au stand", tags=["salon"], rating=3)
        response = await client.post("/api/scans", json=body, headers=world.locked)
        assert response.status_code == 201, response.text
        answer = response.json()
        assert (answer["note"], answer["tags"], answer["rating"], answer["notes_locked"]) == (
            "Vu au stand",
            ["salon"],
            3,
            True,
        )
        stored = await client.get(f"/api/contacts/{answer['contact_id']}", headers=world.unlocked)
        assert stored.json()["note"] == "Vu au stand"

    async def test_meeting_again_does_not_echo_earlier_notes(
        self, client: httpx.AsyncClient, world: Locked, factory: Factory
    ) -> None:
        body = scan_body(factory.settings, world.event, world.zoe, note="Revue")
        response = await client.post("/api/scans", json=body, headers=world.locked)
        assert response.status_code == 200, response.text
        assert response.json()["note"] == "Revue"
        assert response.json()["tags"] == []
        assert response.json()["rating"] is None
        assert NOTE not in response.text
        again = await client.post("/api/scans", json=body, headers=world.locked)
        assert again.status_code == 200
        assert NOTE not in again.text
        stored = await client.get(f"/api/contacts/{world.contact.id}", headers=world.unlocked)
        assert stored.json()["note"].startswith(NOTE)
        assert stored.json()["note"].endswith("Revue")

    async def test_batch_answers_do_not_echo_earlier_notes(
        self, client: httpx.AsyncClient, world: Locked, factory: Factory
    ) -> None:
        items = [scan_body(factory.settings, world.event, world.zoe)]
        response = await client.post("/api/scans/batch", json={"items": items}, headers=world.locked)
        assert response.status_code == 200, response.text
        [result] = response.json()["results"]
        assert result["status"] == "updated"
        assert result.get("note") in (None, "")
        assert result.get("tags") in (None, [])
        assert result.get("rating") is None
        assert NOTE not in response.text


class TestUnlockedSession:
    async def test_every_path_shows_the_notes(
        self, client: httpx.AsyncClient, world: Locked, factory: Factory
    ) -> None:
        headers = world.unlocked
        [listed] = (await client.get("/api/contacts", headers=headers)).json()["items"]
        assert (listed["note"], listed["tags"], listed["rating"], listed["notes_locked"]) == (
            NOTE,
            ["rachat", "vip"],
            5,
            False,
        )
        assert (
            len((await client.get("/api/contacts", params={"q": "rachat"}, headers=headers)).json()["items"])
            == 1
        )
        assert (
            len((await client.get("/api/contacts", params={"tag": "vip"}, headers=headers)).json()["items"])
            == 1
        )
        page = await client.get(f"/api/contacts/{world.contact.id}", headers=headers)
        assert page.json()["note"] == NOTE
        for path in ("/api/contacts/export.csv", "/api/contacts/export.vcf", "/api/me/export"):
            response = await client.get(path, headers=headers)
            assert response.status_code == 200, path
            assert "rachat" in response.text, path
        draft = await client.get(f"/api/contacts/{world.contact.id}/follow-up", headers=headers)
        assert draft.status_code == 200
        edit = await client.patch(f"/api/contacts/{world.contact.id}", json={"rating": 4}, headers=headers)
        assert edit.status_code == 200
        assert edit.json()["rating"] == 4
        assert edit.json()["note"] == NOTE
        scan = await client.post(
            "/api/scans",
            json=scan_body(factory.settings, world.event, world.zoe, note="Revue"),
            headers=headers,
        )
        assert scan.json()["note"].startswith(NOTE)
        assert scan.json()["notes_locked"] is False


class TestWithoutPasskey:
    async def test_an_attendee_without_passkey_is_never_locked(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await factory.event()
        me, zoe = await factory.attendee(event), await factory.attendee(event)
        await factory.encounter(me, zoe, note=NOTE)
        [contact] = (await client.get("/api/contacts", headers=factory.attendee_headers(me))).json()["items"]
        assert contact["note"] == NOTE
        assert contact["notes_locked"] is False
        response = await client.get("/api/contacts/export.csv", headers=factory.attendee_headers(me))
        assert response.status_code == 200
