"""Contact versions: the ETag, If-Match on edits (412 when the contact moved on), and
notes that meeting again made longer than an edit may write."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.contacts import repository
from rencontre.contacts.schemas import MAX_NOTE_LENGTH
from rencontre.contacts.versions import (
    IF_MATCH_PATTERN,
    MalformedIfMatch,
    Version,
    parse_if_match,
    version_of,
)
from rencontre.errors import PROBLEM_JSON
from rencontre.models import Attendee, Encounter, Event
from tests.api.scan_support import scan_body
from tests.support import Factory

CHANGED = "This contact changed since you opened it"


async def _setup(factory: Factory, **contact: Any) -> tuple[Event, Attendee, Encounter, dict[str, str]]:
    event = await factory.event(timezone="Europe/Paris")
    me = await factory.attendee(event, name="Alex Martin")
    other = await factory.attendee(event, name="Zoé Lefèvre")
    encounter = await factory.encounter(me, other, **({"note": "Premier café"} | contact))
    return event, other, encounter, factory.attendee_headers(me)


async def _read(client: httpx.AsyncClient, encounter: Encounter, headers: dict[str, str]) -> httpx.Response:
    response = await client.get(f"/api/contacts/{encounter.id}", headers=headers)
    assert response.status_code == 200, response.text
    return response


async def _patch(
    client: httpx.AsyncClient,
    encounter: Encounter,
    headers: dict[str, str],
    body: dict[str, Any],
    if_match: str | None = None,
) -> httpx.Response:
    extra = {} if if_match is None else {"If-Match": if_match}
    return await client.patch(f"/api/contacts/{encounter.id}", json=body, headers=headers | extra)


async def _meet_again(
    client: httpx.AsyncClient, factory: Factory, event: Event, other: Attendee, headers: dict[str, str]
) -> None:
    body = scan_body(factory.settings, event, other, note="Revu au stand", tags=["salon"])
    response = await client.post("/api/scans", json=body, headers=headers)
    assert response.status_code == 200, response.text


async def _stored(session: AsyncSession, encounter: Encounter) -> Encounter:
    await session.refresh(encounter)
    return encounter


class TestTheVersion:
    async def test_one_contact_carries_its_version_as_a_strong_etag(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, _, encounter, headers = await _setup(factory)
        response = await _read(client, encounter, headers)
        version = response.json()["version"]
        assert response.headers["etag"] == f'"{version}"'
        assert version == version_of(encounter)
        listed = (await client.get("/api/contacts", headers=headers)).json()["items"]
        assert [item["version"] for item in listed] == [version]

    async def test_the_version_moves_when_met_again(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, other, encounter, headers = await _setup(factory)
        before = (await _read(client, encounter, headers)).headers["etag"]
        await _meet_again(client, factory, event, other, headers)
        assert (await _read(client, encounter, headers)).headers["etag"] != before

    async def test_an_edit_in_the_same_microsecond_still_moves_the_version(
        self, client: httpx.AsyncClient, factory: Factory, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _, _, encounter, headers = await _setup(factory)
        before = (await _read(client, encounter, headers)).headers["etag"]
        # The clock says exactly the stored updated_at (or earlier, after a clock step back).
        stuck = encounter.updated_at - timedelta(seconds=1)
        monkeypatch.setattr("rencontre.contacts.service.utcnow", lambda: stuck)
        edited = await _patch(client, encounter, headers, {"rating": 4}, if_match=before)
        assert edited.status_code == 200, edited.text
        assert edited.headers["etag"] != before


class TestConditionalEdits:
    async def test_matching_if_match_saves_and_gives_the_new_version(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, _, encounter, headers = await _setup(factory)
        etag = (await _read(client, encounter, headers)).headers["etag"]
        response = await _patch(client, encounter, headers, {"note": "Premier café, à rappeler"}, etag)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["note"] == "Premier café, à rappeler"
        assert response.headers["etag"] == f'"{body["version"]}"' != etag
        assert (await _read(client, encounter, headers)).headers["etag"] == response.headers["etag"]

    async def test_stale_if_match_after_meeting_again_is_412_and_keeps_the_added_note(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        event, other, encounter, headers = await _setup(factory, tags=["café"])
        etag = (await _read(client, encounter, headers)).headers["etag"]
        await _meet_again(client, factory, event, other, headers)
        current = await _read(client, encounter, headers)

        # The phone sends back the whole note it displayed, without the added line.
        response = await _patch(client, encounter, headers, {"note": "Premier café — rappeler"}, etag)

        assert response.status_code == 412
        assert response.headers["content-type"] == PROBLEM_JSON
        problem = response.json()
        assert problem["status"] == 412
        assert problem["title"] == "Precondition failed"
        assert problem["detail"].startswith(CHANGED)
        assert "Reload it and make your edit again" in problem["detail"]
        assert problem["contact"] == current.json()
        assert problem["contact"]["note"].endswith("Revu au stand")
        stored = await _stored(session, encounter)
        assert stored.note.startswith("Premier café\n\n[")
        assert stored.note.endswith("] Revu au stand")
        assert stored.tags == ["café", "salon"]

        # Made again on the current version, the edit goes through.
        again = await _patch(
            client, encounter, headers, {"note": stored.note + "\nRappeler"}, current.headers["etag"]
        )
        assert again.status_code == 200, again.text
        assert again.json()["note"].endswith("Revu au stand\nRappeler")

    async def test_an_edit_made_twice_on_the_same_version_wins_once(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        _, _, encounter, headers = await _setup(factory)
        etag = (await _read(client, encounter, headers)).headers["etag"]
        first = await _patch(client, encounter, headers, {"note": "depuis le téléphone"}, etag)
        second = await _patch(client, encounter, headers, {"note": "depuis la tablette"}, etag)
        assert (first.status_code, second.status_code) == (200, 412)
        assert second.json()["contact"]["note"] == "depuis le téléphone"
        assert (await _stored(session, encounter)).note == "depuis le téléphone"

    @pytest.mark.parametrize("if_match", ["*", '"0000", {etag}', '{etag} , "ffff"', "{etag},"])
    async def test_any_version_or_a_list_that_holds_the_current_one(
        self, client: httpx.AsyncClient, factory: Factory, if_match: str
    ) -> None:
        _, _, encounter, headers = await _setup(factory)
        etag = (await _read(client, encounter, headers)).headers["etag"]
        response = await _patch(client, encounter, headers, {"rating": 5}, if_match.format(etag=etag))
        assert response.status_code == 200, response.text

    async def test_a_weak_etag_never_matches_an_edit(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        _, _, encounter, headers = await _setup(factory)
        etag = (await _read(client, encounter, headers)).headers["etag"]
        response = await _patch(client, encounter, headers, {"note": "x"}, f"W/{etag}")
        assert response.status_code == 412
        assert "weak ETag" in response.json()["detail"]
        assert (await _stored(session, encounter)).note == "Premier café"

    async def test_without_if_match_the_edit_applies_to_the_current_contact(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        """Older clients keep working; they may still overwrite a note added meanwhile."""
        event, other, encounter, headers = await _setup(factory)
        await _meet_again(client, factory, event, other, headers)
        response = await _patch(client, encounter, headers, {"note": "Premier café"})
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == f'"{response.json()["version"]}"'
        assert (await _stored(session, encounter)).note == "Premier café"

    async def test_someone_elses_contact_is_not_found_whatever_if_match_says(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, _, encounter, _ = await _setup(factory)
        stranger = factory.attendee_headers(await factory.attendee(event))
        for if_match in ("*", f'"{version_of(encounter)}"', '"stale"'):
            response = await _patch(client, encounter, stranger, {"note": "mine"}, if_match)
            assert response.status_code == 404
            assert "contact" not in response.json()


class TestMalformedIfMatch:
    @pytest.mark.parametrize(
        ("if_match", "hint"),
        [
            ("{version}", 'send If-Match: "{version}"'),
            ("", "If-Match is not valid (empty)"),
            ('"{version}', "in double quotes"),
            ('"{version}" "0000"', "in double quotes"),
            ("W/{version}", "If-Match is not valid"),
            ("  ,  ", "If-Match is not valid"),
            ('"a b"', "If-Match is not valid"),
            ("x" * 500, "…"),
        ],
    )
    async def test_is_refused_with_400_and_changes_nothing(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        session: AsyncSession,
        if_match: str,
        hint: str,
    ) -> None:
        _, _, encounter, headers = await _setup(factory)
        version = version_of(encounter)
        response = await _patch(client, encounter, headers, {"note": "x"}, if_match.format(version=version))
        assert response.status_code == 400
        assert response.headers["content-type"] == PROBLEM_JSON
        detail = response.json()["detail"]
        assert hint.format(version=version) in detail
        assert detail.endswith("Nothing was saved.")
        assert len(detail) < 400
        assert (await _stored(session, encounter)).note == "Premier café"

    async def test_if_match_sent_on_several_lines_is_one_list(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, _, encounter, headers = await _setup(factory)
        etag = (await _read(client, encounter, headers)).headers["etag"]
        lines = [*headers.items(), ("If-Match", '"0000"'), ("If-Match", etag)]
        response = await client.patch(f"/api/contacts/{encounter.id}", json={"rating": 2}, headers=lines)
        assert response.status_code == 200, response.text

    def test_parsing(self) -> None:
        assert parse_if_match(None) is None
        anything = parse_if_match(" * ")
        assert anything is not None
        assert anything.matches("anything")
        parsed = parse_if_match('W/"a", "b",, "c,d"')
        assert parsed is not None
        assert [(t.opaque, t.weak) for t in parsed.tags] == [("a", True), ("b", False), ("c,d", False)]
        assert not parsed.matches("a")
        assert parsed.matches("b")
        assert parsed.matches("c,d")
        assert not parsed.only_weak


@given(st.text(alphabet=' \t,"W/*a0\x7f\x80é', max_size=12))
@example('"a",,"b" ')
@example('"a" "b"')
@example(" * ")
@example('"é"')
def test_the_documented_pattern_accepts_exactly_what_the_parser_does(value: str) -> None:
    """The OpenAPI pattern is what fuzzers and clients go by: it must not promise more, nor less."""
    try:
        parse_if_match(value)
        parsed = True
    except MalformedIfMatch:
        parsed = False
    assert (re.search(IF_MATCH_PATTERN, value) is not None) == parsed


class TestLongNotes:
    async def test_a_note_longer_than_the_limit_is_refused_with_what_to_remove(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        _, _, encounter, headers = await _setup(factory)
        response = await _patch(client, encounter, headers, {"note": "é" * (MAX_NOTE_LENGTH + 12)})
        assert response.status_code == 422
        problem = response.json()
        assert problem["detail"] == (
            f"The note has {MAX_NOTE_LENGTH + 12} characters. A note holds at most "
            f"{MAX_NOTE_LENGTH} characters. Remove 12 and save again."
        )
        assert problem["errors"] == [{"field": "note", "message": problem["detail"]}]
        assert (await _stored(session, encounter)).note == "Premier café"

    async def test_a_note_grown_by_meeting_again_stays_editable_but_may_not_grow(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        grown = "Rencontre." * 605  # 6,050 characters, appended over many meetings
        _, _, encounter, headers = await _setup(factory, note=grown, tags=["salon"])
        length = len(encounter.note)
        assert length > MAX_NOTE_LENGTH

        # Other fields change without touching the note.
        tags = await _patch(client, encounter, headers, {"tags": ["salon", "partner"], "rating": 4})
        assert tags.status_code == 200, tags.text

        # A word fixed at the same length, then the note shortened: both fine.
        fixed = "Rendezvous" + encounter.note[len("Rencontre.") :]
        assert len(fixed) == length
        same = await _patch(client, encounter, headers, {"note": fixed}, tags.headers["etag"])
        assert same.status_code == 200, same.text
        shorter = await _patch(client, encounter, headers, {"note": fixed[:5500]}, same.headers["etag"])
        assert shorter.status_code == 200, shorter.text

        # It may not grow again, and the answer says by how much to cut it.
        longer = await _patch(client, encounter, headers, {"note": fixed[:5500] + " et plus"})
        assert longer.status_code == 422
        detail = longer.json()["detail"]
        assert detail == (
            "The note has 5508 characters. This note had already grown to 5500 characters with "
            f"the notes added when you met again, past the usual {MAX_NOTE_LENGTH}: it may stay "
            "that long but not grow. Remove 8 and save again."
        )
        assert (await _stored(session, encounter)).note == fixed[:5500]


class TestCompareAndSet:
    async def test_the_update_only_writes_the_version_it_was_given(
        self, factory: Factory, session: AsyncSession
    ) -> None:
        _, _, encounter, _ = await _setup(factory)
        seen = Version.of(encounter)
        stale = [
            Version(updated_at=seen.updated_at - timedelta(microseconds=1), scan_count=seen.scan_count),
            Version(updated_at=seen.updated_at, scan_count=seen.scan_count + 1),
        ]
        later = seen.updated_at + timedelta(seconds=1)
        for version in stale:
            values = {"note": "lost", "updated_at": later}
            assert not await repository.write(session, encounter.id, values, seen=version)
        assert (await _stored(session, encounter)).note == "Premier café"
        assert await repository.write(session, encounter.id, {"note": "kept", "updated_at": later}, seen=seen)
        assert (await _stored(session, encounter)).note == "kept"


class TestDocumented:
    async def test_openapi_documents_etag_if_match_and_412(self, client: httpx.AsyncClient) -> None:
        document = (await client.get("/api/openapi.json")).json()
        item = document["paths"]["/api/contacts/{contact_id}"]
        assert "ETag" in item["get"]["responses"]["200"]["headers"]
        patch = item["patch"]
        assert "ETag" in patch["responses"]["200"]["headers"]
        [header] = [p for p in patch["parameters"] if p["in"] == "header"]
        assert header["name"] == "If-Match"
        assert "412" in header["description"]
        assert header["schema"] == {"type": "string", "pattern": IF_MATCH_PATTERN}
        changed = patch["responses"]["412"]["content"]
        assert list(changed) == [PROBLEM_JSON]
        schema = changed[PROBLEM_JSON]["schema"]
        assert schema["properties"]["contact"]["$ref"] == "#/components/schemas/Contact"
        assert {"detail", "contact"} <= set(schema["required"])
        assert "400" in patch["responses"]
        assert "version" in document["components"]["schemas"]["Contact"]["required"]
