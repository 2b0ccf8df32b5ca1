"""A note, its tags and its rating are readable by their author alone.

After Alice scans Zoé with a note, every GET endpoint the application has (walked
from its OpenAPI document, so endpoints added later are covered too) is called as Zoé, as
another attendee and as the organiser, with every path parameter filled with
the ids and badges at hand: none of them returns the note or the tags.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pypdf
from fastapi import FastAPI

from rencontre.config import Settings
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event
from rencontre.suggestions import engine as suggestion_engine
from tests.api.scan_support import scan_body, token_of
from tests.photo_support import plain_photo
from tests.support import Factory

NOTE = "Secret-note-7f3a: ne pas répéter"
TAG = "tag-secret-91b"
RATING = 5
_PARAM = re.compile(r"{(\w+)(?::[^}]*)?}")


def _readable(response: httpx.Response) -> str:
    if response.headers.get("content-type", "").startswith("application/pdf"):
        return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    if response.headers.get("content-type", "").startswith("image/"):
        return ""
    return response.text


def _ratings(value: Any) -> list[Any]:
    if isinstance(value, dict):
        found = [value["rating"]] if "rating" in value else []
        return found + [r for v in value.values() for r in _ratings(v)]
    if isinstance(value, list):
        return [r for v in value for r in _ratings(v)]
    return []


def _fillings(path: str, values: dict[str, list[str]]) -> list[str]:
    """The path with each parameter filled in every way we have (one parameter varies at a time)."""
    names = _PARAM.findall(path)
    base = {name: values.get(name, [str(uuid.uuid4())])[0] for name in names}
    paths = {path.format(**base) if names else path}
    for name in names:
        for value in values.get(name, [])[1:]:
            paths.add(path.format(**{**base, name: value}))
    return sorted(paths)


class TestNotesStayWithTheirAuthor:
    async def test_no_endpoint_shows_a_note_to_anyone_else(
        self, app: FastAPI, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        # Suggestions (who-to-meet): the directory open and everyone in it, so that the
        # suggestion lists are among what is searched for a note.
        event: Event = await factory.event(organiser, directory_opens_at=utcnow() - timedelta(hours=1))
        alice = await factory.attendee(event, name="Alice Author", directory_opt_in=True)
        zoe = await factory.attendee(
            event, name="Zoé Scanned", shared_fields=["email"], directory_opt_in=True
        )
        carl = await factory.attendee(event, name="Carl Other", directory_opt_in=True)

        recorded = await client.post(
            "/api/scans",
            json=scan_body(settings, event, zoe, note=NOTE, tags=[TAG], rating=RATING),
            headers=factory.attendee_headers(alice),
        )
        assert recorded.status_code == 201
        # The author sees their own note: the search below would find it.
        assert NOTE in recorded.text
        assert TAG in recorded.text
        contact_id = recorded.json()["contact_id"]

        # Zoé scans Alice back: her answer shows Alice's card, not what Alice wrote about her.
        back = await client.post(
            "/api/scans", json=scan_body(settings, event, alice), headers=factory.attendee_headers(zoe)
        )
        assert back.status_code == 201
        assert back.json()["mutual"] is True
        own_contact = back.json()["contact_id"]
        for text in (NOTE, TAG):
            assert text not in back.text
        assert RATING not in _ratings(back.json())

        # Zoé's face, shared: its address is walked too (issue 16).
        photo = await client.put(
            "/api/me/photo",
            content=plain_photo(),
            headers={**factory.attendee_headers(zoe), "Content-Type": "image/jpeg"},
        )
        photo_key = photo.json()["photo"]["small"].split("/")[3]

        await suggestion_engine.recompute_event(app.state.session_factory, settings, event.id)
        people: list[Attendee] = [alice, zoe, carl]
        values = {
            "key": [photo_key],
            "size": ["96"],
            "event_id": [str(event.id)],
            "attendee_id": [str(person.id) for person in people],
            "token": [token_of(settings, event, person) for person in people],
            "contact_id": [contact_id, own_contact],
        }
        viewers = {
            "the scanned person": factory.attendee_headers(zoe),
            "another attendee": factory.attendee_headers(carl),
            "the organiser": factory.organiser_headers(organiser),
        }
        visited: set[str] = set()
        # The OpenAPI document lists every route, including those of domains added later.
        routes = [path for path, operations in app.openapi()["paths"].items() if "get" in operations]
        assert len(routes) > 10
        for route in routes:
            for path in _fillings(route, values):
                for viewer, headers in viewers.items():
                    response = await client.get(path, headers=headers)
                    assert response.status_code < 500, (viewer, path, response.text)
                    text = _readable(response)
                    assert NOTE not in text, (viewer, path)
                    assert TAG not in text, (viewer, path)
                    if response.headers.get("content-type", "").startswith("application/json"):
                        assert RATING not in _ratings(json.loads(text) if text else None), (viewer, path)
                    if response.is_success:
                        visited.add(route)
        assert {
            "/api/badges/{token}",
            "/api/directory",
            "/api/me/badge",
            "/api/events/{event_id}/attendees",
            "/api/events/{event_id}/attendees/{attendee_id}",
            "/api/events/{event_id}/attendees/{attendee_id}/badge.svg",
            "/api/events/{event_id}/badges.pdf",
            "/api/photos/{key}/{size}",
            "/api/suggestions",
        } <= visited
        # A typed short code (POST) names the same card as the badge: never a note about its holder.
        for person in people:
            found = await client.post(
                "/api/short-codes/resolve",
                json={"code": person.short_code},
                headers=viewers["another attendee"],
            )
            assert found.status_code == 200, found.text
            assert NOTE not in found.text
            assert TAG not in found.text
            assert RATING not in _ratings(found.json())
