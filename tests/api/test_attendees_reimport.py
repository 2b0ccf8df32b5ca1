"""Re-importing a registration list that grew: rows already there are matched (by the
registration tool's id, else by e-mail), then skipped or updated as the organiser chooses;
the dry run's plan is exactly what the real run does."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event
from tests.support import Factory

HEADER = "Registration ID,First name,Last name,Email,Company,Job title,Phone\n"


async def _setup(factory: Factory) -> tuple[Event, dict[str, str]]:
    organiser = await factory.organiser()
    event = await factory.event(organiser)
    return event, factory.organiser_headers(organiser)


async def _import(
    client: httpx.AsyncClient,
    event: Event,
    headers: dict[str, str],
    text: str,
    *,
    dry_run: bool,
    existing: str | None = None,
) -> httpx.Response:
    params = {"dry_run": str(dry_run).lower()}
    if existing:
        params["existing"] = existing
    return await client.post(
        f"/api/events/{event.id}/attendees/import",
        params=params,
        files={"file": ("list.csv", text.encode(), "text/csv")},
        headers=headers,
    )


async def _people(client: httpx.AsyncClient, event: Event, headers: dict[str, str]) -> dict[str, Any]:
    listing = await client.get(f"/api/events/{event.id}/attendees", params={"limit": 200}, headers=headers)
    return {a["email"]: a for a in listing.json()["items"]}


FIRST = HEADER + (
    "R1,Zoé,Lefèvre,zoe@example.org,Atelier,Designer,\nR2,Ada,Lovelace,ada@example.org,Engines,CTO,\n"
)
# Zoé's company changed, Ada is unchanged, Noël is new.
SECOND = HEADER + (
    "R1,Zoé,Lefèvre,zoe@example.org,Atelier Lumière,Designer,\n"
    "R2,Ada,Lovelace,ada@example.org,Engines,CTO,\n"
    "R3,Noël,Çelik,noel@example.org,Büro,,\n"
)


class TestReimportSkipsExistingByDefault:
    async def test_existing_rows_are_skipped_and_new_ones_added(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, headers = await _setup(factory)
        assert (await _import(client, event, headers, FIRST, dry_run=False)).json()["created"] == 2
        preview = (await _import(client, event, headers, SECOND, dry_run=True)).json()
        assert preview["existing"] == "skip"
        assert preview["errors"] == []
        assert [(r["line"], r["name"]) for r in preview["to_add"]] == [(4, "Noël Çelik")]
        assert preview["to_update"] == []
        skipped = {r["name"]: r for r in preview["to_skip"]}
        assert skipped["Zoé Lefèvre"]["reason"] == "existing"
        assert skipped["Zoé Lefèvre"]["changes"] == [
            {"field": "company", "before": "Atelier", "after": "Atelier Lumière"}
        ]
        assert skipped["Ada Lovelace"]["reason"] == "unchanged"
        done = (await _import(client, event, headers, SECOND, dry_run=False)).json()
        assert (done["created"], done["updated"], done["skipped"]) == (1, 0, 2)
        people = await _people(client, event, headers)
        assert people["zoe@example.org"]["company"] == "Atelier"
        assert people["noel@example.org"]["name"] == "Noël Çelik"

    async def test_matching_ignores_the_e_mail_case(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, headers = await _setup(factory)
        await factory.attendee(event, name="Zoé Lefèvre", email="Zoe@Example.org", company="Atelier")
        preview = (
            await _import(client, event, headers, "name,email\nZoé Lefèvre,ZOE@example.org\n", dry_run=True)
        ).json()
        assert (preview["errors"], preview["to_add"]) == ([], [])
        assert preview["to_skip"][0]["reason"] == "unchanged"


class TestReimportUpdates:
    async def test_update_changes_the_organisers_fields_and_nothing_else(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, headers = await _setup(factory)
        zoe = await factory.attendee(
            event,
            name="Zoé Lefèvre",
            email="zoe@example.org",
            company="Atelier",
            pitch="Mes mots à moi",
            badge_version=3,
        )
        preview = (await _import(client, event, headers, SECOND, dry_run=True, existing="update")).json()
        assert [r["name"] for r in preview["to_add"]] == ["Ada Lovelace", "Noël Çelik"]
        [update] = preview["to_update"]
        assert update["attendee_id"] == str(zoe.id)
        assert {c["field"]: (c["before"], c["after"]) for c in update["changes"]} == {
            "company": ("Atelier", "Atelier Lumière"),
            "registration_id": ("", "R1"),
        }
        done = (await _import(client, event, headers, SECOND, dry_run=False, existing="update")).json()
        assert (done["created"], done["updated"], done["skipped"]) == (2, 1, 0)
        await factory.session.refresh(zoe)
        assert (zoe.company, zoe.registration_id) == ("Atelier Lumière", "R1")
        assert (zoe.pitch, zoe.badge_version, zoe.access_version) == ("Mes mots à moi", 3, 1)
        assert zoe.invite_state.value == "pending"

    async def test_contact_details_of_someone_who_joined_stay_theirs(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, headers = await _setup(factory)
        joined = await factory.attendee(event, email="zoe@example.org", phone="01 02", joined_at=utcnow())
        waiting = await factory.attendee(event, email="ada@example.org", phone="01 02")
        text = "name,email,phone\nZoé Lefèvre,zoe@example.org,09 99\nAda,ada@example.org,09 99\n"
        done = (await _import(client, event, headers, text, dry_run=False, existing="update")).json()
        assert done["errors"] == []
        await factory.session.refresh(joined)
        await factory.session.refresh(waiting)
        assert joined.phone == "01 02"
        assert waiting.phone == "09 99"

    async def test_an_empty_cell_or_a_missing_column_never_erases(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, headers = await _setup(factory)
        zoe = await factory.attendee(event, name="Zoé", email="zoe@example.org", company="Atelier")
        for text in ("name,email,company\nZoé,zoe@example.org,\n", "name,email\nZoé,zoe@example.org\n"):
            preview = (await _import(client, event, headers, text, dry_run=True, existing="update")).json()
            assert preview["to_update"] == []
            assert preview["to_skip"][0]["reason"] == "unchanged"
        await factory.session.refresh(zoe)
        assert zoe.company == "Atelier"


class TestMatchByRegistrationId:
    async def test_an_e_mail_changed_at_the_source_follows_the_id(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, headers = await _setup(factory)
        await _import(client, event, headers, FIRST, dry_run=False)
        moved = FIRST.replace("zoe@example.org", "zoe@new.example.org")
        done = (await _import(client, event, headers, moved, dry_run=False, existing="update")).json()
        assert (done["created"], done["updated"]) == (0, 1)
        people = await _people(client, event, headers)
        assert people["zoe@new.example.org"]["registration_id"] == "R1"
        assert "zoe@example.org" not in people

    async def test_a_removed_attendee_comes_back_as_new(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, headers = await _setup(factory)
        await _import(client, event, headers, FIRST, dry_run=False)
        zoe = (await _people(client, event, headers))["zoe@example.org"]
        await client.delete(f"/api/events/{event.id}/attendees/{zoe['id']}", headers=headers)
        preview = (await _import(client, event, headers, FIRST, dry_run=True)).json()
        assert [r["name"] for r in preview["to_add"]] == ["Zoé Lefèvre"]


def _codes(report: dict[str, Any]) -> list[tuple[int, str]]:
    return [(e["line"], e["code"]) for e in report["errors"]]


class TestReimportBadRows:
    async def _refused(
        self, client: httpx.AsyncClient, event: Event, headers: dict[str, str], text: str
    ) -> dict[str, Any]:
        """The dry run's bad rows, after checking that the real run writes nothing."""
        before = await _people(client, event, headers)
        refused = await _import(client, event, headers, text, dry_run=False, existing="update")
        assert refused.status_code == 422
        assert refused.json()["code"] == "rows_invalid"
        assert await _people(client, event, headers) == before
        return (await _import(client, event, headers, text, dry_run=True, existing="update")).json()

    async def test_the_same_registration_id_twice_in_the_file(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, headers = await _setup(factory)
        text = HEADER + "R1,Zoé,L,zoe@example.org,,,\nR1,Ada,L,ada@example.org,,,\n"
        report = await self._refused(client, event, headers, text)
        assert _codes(report) == [(3, "registration_id_duplicate_in_file")]
        assert report["errors"][0]["params"] == {"value": "R1", "first_line": 2}
        assert report["errors"][0]["column"] == "Registration ID"

    async def test_an_e_mail_registered_under_another_id(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, headers = await _setup(factory)
        await factory.attendee(event, email="zoe@example.org", registration_id="R9")
        report = await self._refused(client, event, headers, HEADER + "R1,Zoé,L,zoe@example.org,,,\n")
        assert _codes(report) == [(2, "registration_id_conflict")]
        assert report["errors"][0]["params"]["registered"] == "R9"

    async def test_an_id_that_would_take_another_attendees_e_mail(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, headers = await _setup(factory)
        await factory.attendee(event, email="zoe@example.org", registration_id="R1")
        await factory.attendee(event, email="ada@example.org")
        report = await self._refused(client, event, headers, HEADER + "R1,Zoé,L,ada@example.org,,,\n")
        assert _codes(report) == [(2, "email_already_registered")]

    async def test_two_rows_matching_one_attendee(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event, headers = await _setup(factory)
        await factory.attendee(event, email="zoe@example.org", registration_id="R1")
        text = HEADER + "R1,Zoé,L,zoe@new.example.org,,,\n,Zoé,L,zoe@example.org,,,\n"
        report = await self._refused(client, event, headers, text)
        assert _codes(report) == [(3, "attendee_matched_twice")]
        assert report["errors"][0]["params"] == {"first_line": 2}

    async def test_a_registration_id_too_long(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event, headers = await _setup(factory)
        report = await self._refused(client, event, headers, HEADER + f"{'x' * 101},Zoé,L,z@example.org,,,\n")
        assert _codes(report) == [(2, "field_too_long")]

    @pytest.mark.parametrize("existing", ["replace", "", "SKIP"])
    async def test_an_unknown_mode_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, existing: str
    ) -> None:
        event, headers = await _setup(factory)
        response = await client.post(
            f"/api/events/{event.id}/attendees/import",
            params={"dry_run": "false", "existing": existing},
            files={"file": ("list.csv", FIRST.encode(), "text/csv")},
            headers=headers,
        )
        assert response.status_code == 422
        assert await _people(client, event, headers) == {}


class TestSampleCsv:
    @pytest.mark.parametrize(("lang", "header"), [("en", "Registration ID"), ("fr", "Numéro d'inscription")])
    async def test_the_sample_imports_as_it_is(
        self, client: httpx.AsyncClient, factory: Factory, lang: str, header: str
    ) -> None:
        event, headers = await _setup(factory)
        sample = await client.get(
            f"/api/events/{event.id}/attendees/import/sample.csv", params={"lang": lang}, headers=headers
        )
        assert sample.status_code == 200
        assert sample.headers["content-type"].startswith("text/csv")
        text = sample.content.decode("utf-8-sig")
        assert text.startswith(header)
        report = (await _import(client, event, headers, text, dry_run=True)).json()
        assert report["errors"] == []
        assert len(report["to_add"]) == 3
        assert set(report["columns"]) >= {"registration_id", "first_name", "last_name", "email", "phone"}

    async def test_an_unknown_language_is_refused(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event, headers = await _setup(factory)
        response = await client.get(
            f"/api/events/{event.id}/attendees/import/sample.csv", params={"lang": "de"}, headers=headers
        )
        assert response.status_code == 422

    async def test_the_sample_needs_the_events_organiser(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, _ = await _setup(factory)
        path = f"/api/events/{event.id}/attendees/import/sample.csv"
        assert (await client.get(path)).status_code == 401
        intruder = factory.organiser_headers(await factory.organiser())
        assert (await client.get(path, headers=intruder)).status_code == 404


class TestRegistrationIdIsShown:
    async def test_the_attendee_carries_their_registration_id(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, headers = await _setup(factory)
        attendee: Attendee = await factory.attendee(event, registration_id="T-42")
        got = await client.get(f"/api/events/{event.id}/attendees/{attendee.id}", headers=headers)
        assert got.json()["registration_id"] == "T-42"
