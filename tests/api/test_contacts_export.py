"""The exports re-read by independent parsers: the csv module and vobject."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import httpx
import vobject

from rencontre.models import Attendee, Event, FollowUpState
from tests.support import Factory

MET = datetime(2026, 6, 3, 9, 5, 30, 123456, tzinfo=UTC)
NOTE = 'Projet "Lumière" — à rappeler\nDeuxième ligne; avec, virgules\n=SUM(A1)'


async def _world(factory: Factory) -> tuple[Event, Attendee, Attendee, Attendee]:
    event = await factory.event(name="Rencontres, Lyon — Été", timezone="Europe/Paris")
    me = await factory.attendee(event, name="Alex Martin")
    zoe = await factory.attendee(
        event,
        name="Zoé Lefèvre-Dupont",
        email="zoe@example.org",
        company="Société Générale d'Études",
        job_title="Directrice artistique",
        phone="+33 6 12 34 56 78",
        website="https://atelier.example.org/é",
        linkedin="zoe-lefevre",
        pitch="@home: design de services",
        shared_fields=["email", "phone", "website", "linkedin"],
    )
    bob = await factory.attendee(
        event,
        name="Bob",
        email="bob@example.org",
        company="-Moins",
        phone="+33 7 00 00 00 00",
        shared_fields=[],
    )
    await factory.encounter(
        me,
        zoe,
        met_at=MET,
        note=NOTE,
        tags=["partner", "Café"],
        rating=5,
        mutual=True,
        follow_up=FollowUpState.done,
        followed_up_at=MET + timedelta(hours=2),
    )
    await factory.encounter(me, bob, met_at=MET + timedelta(minutes=5))
    # Someone else's contact: never in my exports.
    await factory.encounter(bob, zoe, note="Bob's private note")
    return event, me, zoe, bob


def _rows(content: bytes, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=delimiter))


class TestCsvExport:
    async def test_every_field_round_trips(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, me, zoe, _ = await _world(factory)
        response = await client.get("/api/contacts/export.csv?lang=en", headers=factory.attendee_headers(me))
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["content-disposition"].startswith('attachment; filename="contacts-')
        assert response.content.startswith("\ufeff".encode())
        assert b"\r\n" in response.content

        rows = _rows(response.content)
        assert [r["Name"] for r in rows] == ["Bob", "Zoé Lefèvre-Dupont"]
        zoe_row = rows[1]
        # Times in the event's zone (Paris, +2 in June); words, not the app's codes.
        assert zoe_row == {
            "Name": "Zoé Lefèvre-Dupont",
            "Company": "Société Générale d'Études",
            "Job title": "Directrice artistique",
            "E-mail": "zoe@example.org",
            "Phone": "'+33 6 12 34 56 78",
            "Website": "https://atelier.example.org/é",
            "LinkedIn": "https://www.linkedin.com/in/zoe-lefevre",
            "Pitch": "'@home: design de services",
            "Note": NOTE,  # starts with "P": only whole cells are neutralised
            "Tags": "Partner, Café",
            "Potential (out of 5)": "5",
            "Mutual scan": "Yes",
            "Met on": "2026-06-03 11:05",
            "Follow-up": "Done",
            "Followed up on": "2026-06-03 13:05",
            "Follow up before": "2026-06-05 11:05",
            "Event": "Rencontres, Lyon — Été",
            "Contact ID": zoe_row["Contact ID"],
        }
        bob_row = rows[0]
        # Bob shares nothing: no e-mail, no phone, although both are on file.
        assert (bob_row["E-mail"], bob_row["Phone"]) == ("", "")
        assert bob_row["Company"] == "'-Moins"
        assert bob_row["Potential (out of 5)"] == ""
        assert bob_row["Mutual scan"] == "No"
        assert bob_row["Follow-up"] == "To do"
        assert "Bob's private note" not in response.content.decode("utf-8-sig")
        assert zoe.email not in bob_row.values()

    async def test_a_note_that_is_a_formula_is_neutralised(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await factory.event()
        me = await factory.attendee(event)
        for i, note in enumerate(["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"]):
            other = await factory.attendee(event, name=f"P{i}")
            await factory.encounter(me, other, note=note, met_at=MET - timedelta(minutes=i))
        response = await client.get("/api/contacts/export.csv?lang=en", headers=factory.attendee_headers(me))
        assert [r["Note"] for r in _rows(response.content)] == [
            "'=1+1",
            "'+cmd",
            "'-2+3",
            "'@SUM(A1)",
            "'\tx",
            "'\rx",
        ]

    async def test_no_contacts_is_just_the_header(self, client: httpx.AsyncClient, factory: Factory) -> None:
        me = await factory.attendee(await factory.event())
        response = await client.get("/api/contacts/export.csv?lang=en", headers=factory.attendee_headers(me))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
        assert len(rows) == 1
        assert rows[0][0] == "Name"


class TestVcardExport:
    async def test_every_field_round_trips(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, me, _, _ = await _world(factory)
        response = await client.get("/api/contacts/export.vcf?lang=en", headers=factory.attendee_headers(me))
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/vcard; charset=utf-8"
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["content-disposition"].endswith('.vcf"')

        cards = list(vobject.readComponents(response.text))
        assert len(cards) == 2
        bob, zoe = cards
        assert zoe.version.value == "3.0"
        assert zoe.fn.value == "Zoé Lefèvre-Dupont"
        assert (zoe.n.value.given, zoe.n.value.family) == ("Zoé", "Lefèvre-Dupont")
        assert zoe.org.value == ["Société Générale d'Études"]
        assert zoe.title.value == "Directrice artistique"
        assert zoe.email.value == "zoe@example.org"
        assert zoe.tel.value == "+33 6 12 34 56 78"
        assert [u.value for u in zoe.contents["url"]] == [
            "https://atelier.example.org/é",
            "https://www.linkedin.com/in/zoe-lefevre",
        ]
        # Where and when, on the event's calendar day, then the attendee's own note.
        assert zoe.note.value == f"Met at Rencontres, Lyon — Été on 3 June 2026\n\n{NOTE}"
        assert zoe.categories.value == ["Rencontres, Lyon — Été"]

        assert bob.fn.value == "Bob"
        assert bob.org.value == ["-Moins"]
        assert bob.title.value == "Designer"
        for absent in ("email", "tel", "url"):
            assert absent not in bob.contents
        assert bob.note.value == "Met at Rencontres, Lyon — Été on 3 June 2026"
        assert bob.categories.value == ["Rencontres, Lyon — Été"]
        assert "Bob's private note" not in response.text
        assert "bob@example.org" not in response.text


class TestRoutes:
    async def test_export_paths_are_not_taken_for_contact_ids(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        me = await factory.attendee(await factory.event())
        headers = factory.attendee_headers(me)
        for path in ("/api/contacts/export.csv", "/api/contacts/export.vcf", "/api/contacts/export.xlsx"):
            assert (await client.get(path, headers=headers)).status_code == 200
