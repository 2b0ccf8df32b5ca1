"""What a phone and the wall screen see of a session: a phone its own seat and the others'
cards as they share them, with conversation openers; the wall screen counts and names no one."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.kit.time import utcnow
from rencontre.models import Encounter
from tests.api.sessions_support import advance_past_phase, room, started
from tests.support import Factory


class TestWhatScreensSee:
    async def test_a_phone_sees_its_table_and_the_other_card_as_shared(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, (a, b) = await room(factory, 2, phone="+33 6 00 00 00 00")
        b.shared_fields = ["email"]
        await session.flush()
        sid = await started(client, factory, organiser, event, table_names=["Table 7"])
        response = await client.get(f"/api/me/sessions/{sid}", headers=factory.attendee_headers(a))
        assert response.status_code == 200, response.text
        mine = response.json()
        assert mine["taking_part"] is True
        assert mine["seat"]["table_name"] == "Table 7"
        assert mine["seat"]["round"] == 1
        [mate] = mine["seat"]["people"]
        card = mate["card"]
        assert card["attendee_id"] == str(b.id)
        assert card["email"] == b.email
        assert card["phone"] is None, "a detail not shared never reaches the other person"
        assert 0 < mine["clock"]["seconds_left"] <= 300
        listed = await client.get("/api/me/sessions", headers=factory.attendee_headers(b))
        assert [s["id"] for s in listed.json()] == [sid]

    async def test_saving_each_other_at_the_rounds_end_is_a_mutual_contact(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, (a, b) = await room(factory, 2)
        sid = await started(client, factory, organiser, event)
        for me, note in [(a, "Rust mentoring, call next week"), (b, "Knows retail buyers")]:
            mine = (await client.get(f"/api/me/sessions/{sid}", headers=factory.attendee_headers(me))).json()
            [mate] = mine["seat"]["people"]
            saved = await client.post(
                "/api/scans",
                json={"client_id": str(uuid.uuid4()), "qr": mate["badge"], "note": note},
                headers=factory.attendee_headers(me),
            )
            assert saved.status_code == 201, saved.text
        contacts = (
            await session.scalars(
                select(Encounter)
                .where(Encounter.event_id == event.id)
                .execution_options(populate_existing=True)
            )
        ).all()
        assert {(c.scanner_id, c.scanned_id, c.mutual) for c in contacts} == {
            (a.id, b.id, True),
            (b.id, a.id, True),
        }
        # Each note stays with its author: the other's view of the seat never carries it.
        theirs = await client.get(f"/api/me/sessions/{sid}", headers=factory.attendee_headers(b))
        assert "Rust mentoring" not in theirs.text

    async def test_the_wall_screen_counts_tables_and_names_no_one(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event, people = await room(factory, 4)
        sid = await started(client, factory, organiser, event, table_names=["Loire", "Rhône"])
        response = await client.get(
            f"/api/events/{event.id}/sessions/{sid}/board", headers=factory.organiser_headers(organiser)
        )
        assert response.status_code == 200
        board = response.json()
        assert [(t["name"], t["seats"]) for t in board["tables"]] == [("Loire", 2), ("Rhône", 2)]
        for person in people:
            assert str(person.id) not in response.text
            assert person.name not in response.text

    async def test_another_event_session_is_not_found_by_an_attendee(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event, _ = await room(factory, 2)
        sid = await started(client, factory, organiser, event)
        _, _, (outsider,) = await room(factory, 1)
        for method, action in [("GET", ""), ("POST", "/join"), ("POST", "/leave")]:
            response = await client.request(
                method, f"/api/me/sessions/{sid}{action}", headers=factory.attendee_headers(outsider)
            )
            assert response.status_code == 404, action
            assert response.json()["code"] == "session_not_found"

    async def test_an_organiser_token_is_not_an_attendee(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, _, _ = await room(factory, 2)
        response = await client.get("/api/me/sessions", headers=factory.organiser_headers(organiser))
        assert response.status_code == 403


class TestOpeners:
    """One or two conversation openers per person at my table, drawn from their card only."""

    async def test_a_seat_carries_openers_in_both_languages_from_the_mates_card(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, (a, b) = await room(factory, 2)
        b.seeks, b.offers, b.interests = ["a retail buyer"], ["Rust mentoring"], ["urban farming"]
        await session.flush()
        sid = await started(client, factory, organiser, event)
        mine = (await client.get(f"/api/me/sessions/{sid}", headers=factory.attendee_headers(a))).json()
        [mate] = mine["seat"]["people"]
        assert mate["openers"] == {
            "fr": [
                "Vous cherchez « a retail buyer » : à quoi ressemblerait la bonne personne ?",
                "Vous proposez « Rust mentoring » : à qui est-ce le plus utile ?",
            ],
            "en": [
                "You are looking for “a retail buyer”: what would the right person look like?",
                "You offer “Rust mentoring”: who does it help most?",
            ],
        }
        listed = (await client.get("/api/me/sessions", headers=factory.attendee_headers(a))).json()
        assert listed[0]["seat"]["people"][0]["openers"] == mate["openers"]

    async def test_openers_never_use_what_the_mate_does_not_share(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        """Unshared details, words written for an objective not chosen, an emptied pitch,
        interests or offers: none reaches an opener (nor the viewer's own card)."""
        secrets = {
            "email": "hidden-mail@secret.example",
            "phone": "+33 6 99 99 99 99",
            "website": "https://secret-site.example",
            "linkedin": "secret-linkedin-handle",
            "objective_other": "secret ambition",
        }
        organiser, event, (a, b) = await room(factory, 2)
        for key, value in secrets.items():
            setattr(b, key, value)
        b.shared_fields, b.objectives = [], ["partnership"]
        b.pitch, b.interests, b.offers, b.seeks = "", [], [], []
        a.pitch, a.seeks = "Viewer's own pitch", ["viewer secret seek"]
        await session.flush()
        sid = await started(client, factory, organiser, event)
        mine = (await client.get(f"/api/me/sessions/{sid}", headers=factory.attendee_headers(a))).json()
        [mate] = mine["seat"]["people"]
        assert mate["openers"] == {
            "fr": ["Quel partenariat aimeriez-vous nouer ici ?"],
            "en": ["What partnership would you like to start here?"],
        }
        said = " ".join(mate["openers"]["fr"] + mate["openers"]["en"])
        for value in [*secrets.values(), "viewer secret seek"]:
            assert value not in said
        # An empty card gives no opener at all.
        b.objectives = []
        await session.flush()
        again = (await client.get(f"/api/me/sessions/{sid}", headers=factory.attendee_headers(a))).json()
        assert again["seat"]["people"][0]["openers"] == {"fr": [], "en": []}

    async def test_openers_follow_each_round(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, people = await room(factory, 4)
        for person in people:
            person.seeks = [f"seek of {person.name}"]
        await session.flush()
        sid = await started(client, factory, organiser, event)
        me = people[0]
        seen = []
        for round_ in (1, 2, 3):
            mine = (await client.get(f"/api/me/sessions/{sid}", headers=factory.attendee_headers(me))).json()
            assert mine["seat"]["round"] == round_
            [mate] = mine["seat"]["people"]
            wanted = f"You are looking for “seek of {mate['card']['name']}”"
            assert mate["openers"]["en"][0].startswith(wanted)
            seen.append(mate["card"]["attendee_id"])
            if round_ < 3:
                assert await advance_past_phase(session, sid)
        assert sorted(seen) == sorted(str(p.id) for p in people[1:])

    async def test_a_deleted_mate_has_no_opener(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, (a, b) = await room(factory, 2)
        b.seeks = ["a retail buyer"]
        await session.flush()
        sid = await started(client, factory, organiser, event)
        b.deleted_at = utcnow()
        await session.flush()
        mine = (await client.get(f"/api/me/sessions/{sid}", headers=factory.attendee_headers(a))).json()
        assert mine["seat"]["people"][0]["openers"] == {"fr": [], "en": []}
