"""Text a person (or a script) can type that databases choke on: a NUL byte, control
characters, lone surrogates. PostgreSQL refuses NUL in text outright, so where such
text reaches a query unfiltered the API answers 500 on PostgreSQL only — which is how
the fuzzer found it. Every free-text input is tried here, on both databases, against
a real server: a clear 4xx or the text stored clean, never a 500 (invariant 6)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from rencontre.kit.pagination import encode_cursor
from tests.faults.live import Stage
from tests.fuzz.plan import PLAN

pytestmark = pytest.mark.slow

HOSTILE = ["nul\x00byte", "\x00", "bell\x07 and escape\x1b[31m", "tab\tnew\nline\r", "\u202eevil"]


def _organiser(stage: Stage) -> httpx.Client:
    headers = {"Authorization": f"Bearer {PLAN.organiser_token()}"}
    return httpx.Client(base_url=stage.url, headers=headers, timeout=30)


def _attendee(stage: Stage) -> httpx.Client:
    return httpx.Client(base_url=stage.url, headers=PLAN.attendee.person(PLAN.settings).headers, timeout=30)


def _fine(response: httpx.Response) -> None:
    assert response.status_code < 500, f"{response.request.method} {response.request.url}: {response.text}"
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"]


def _no_control_characters(body: Any) -> None:
    text = repr(body)
    assert "\\x00" not in text, text


class TestQueries:
    @pytest.mark.parametrize("text", HOSTILE)
    def test_searching_attendees(self, fuzz_stage: Stage, text: str) -> None:
        with _organiser(fuzz_stage) as client:
            _fine(client.get(f"/api/events/{PLAN.event.id}/attendees", params={"q": text}))

    @pytest.mark.parametrize("text", HOSTILE)
    def test_searching_contacts(self, fuzz_stage: Stage, text: str) -> None:
        with _attendee(fuzz_stage) as client:
            _fine(client.get("/api/contacts", params={"q": text}))
            _fine(client.get("/api/contacts", params={"tag": text}))

    def test_forged_cursors(self, fuzz_stage: Stage) -> None:
        attendees = encode_cursor({"name": "nul\x00", "id": str(uuid.uuid4())})
        contacts = encode_cursor({"met_at": "2025-01-01T00:00:00\x00", "id": str(uuid.uuid4())})
        with _organiser(fuzz_stage) as organiser, _attendee(fuzz_stage) as attendee:
            _fine(organiser.get(f"/api/events/{PLAN.event.id}/attendees", params={"cursor": attendees}))
            _fine(attendee.get("/api/contacts", params={"cursor": contacts}))


class TestWrittenText:
    @pytest.mark.parametrize("text", HOSTILE)
    def test_an_attendee_named_with_it(self, fuzz_stage: Stage, text: str) -> None:
        body = {"name": f"Zoé {text}", "email": f"{uuid.uuid4().hex[:8]}@example.org", "company": text}
        with _organiser(fuzz_stage) as client:
            created = client.post(f"/api/events/{PLAN.event.id}/attendees", json=body)
            _fine(created)
            if created.is_success:
                _no_control_characters(created.json())
                changed = client.patch(
                    f"/api/events/{PLAN.event.id}/attendees/{created.json()['id']}", json={"job_title": text}
                )
                _fine(changed)
                _no_control_characters(changed.json())

    @pytest.mark.parametrize("text", HOSTILE)
    def test_an_event_named_with_it(self, fuzz_stage: Stage, text: str) -> None:
        body = {
            "name": f"Meetup {text}",
            "venue": text,
            "starts_at": "2030-01-01T09:00:00+01:00",
            "ends_at": "2030-01-01T18:00:00+01:00",
        }
        with _organiser(fuzz_stage) as client:
            created = client.post("/api/events", json=body)
            _fine(created)
            if created.is_success:
                _no_control_characters(created.json())

    @pytest.mark.parametrize("text", HOSTILE)
    def test_a_note_pitch_and_tags_with_it(self, fuzz_stage: Stage, text: str) -> None:
        [contact_id, *_] = PLAN.contact_ids
        with _attendee(fuzz_stage) as client:
            for response in (
                client.patch(f"/api/contacts/{contact_id}", json={"note": text, "tags": [f"t{text}"]}),
                client.patch("/api/me", json={"pitch": text, "interests": [f"i{text}"]}),
                client.post(
                    "/api/scans",
                    json={
                        "client_id": str(uuid.uuid4()),
                        "qr": PLAN.crowd[-1].person(PLAN.settings).badge,
                        "note": text,
                        "tags": [f"s{text}"],
                    },
                ),
            ):
                _fine(response)
                if response.is_success:
                    _no_control_characters(response.json())

    @pytest.mark.parametrize("text", HOSTILE)
    def test_signing_in_with_it(self, fuzz_stage: Stage, text: str) -> None:
        with httpx.Client(base_url=fuzz_stage.url, timeout=30) as client:
            _fine(client.post("/api/auth/login", json={"email": f"a{text}@example.org", "password": text}))
            _fine(client.post("/api/auth/join", json={"token": text}))
            _fine(
                client.get(
                    f"/api/badges/{quote(text, safe='')}", headers=PLAN.attendee.person(PLAN.settings).headers
                )
            )
