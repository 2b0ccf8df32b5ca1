from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from rencontre.models import Event, Organiser
from tests.support import Factory

DATA = Path(__file__).resolve().parents[1] / "data"


async def _setup(factory: Factory) -> tuple[Organiser, Event, dict[str, str]]:
    organiser = await factory.organiser()
    event = await factory.event(organiser)
    return organiser, event, factory.organiser_headers(organiser)


class TestAttendeeLifecycle:
    async def test_add_list_update_remove(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, event, headers = await _setup(factory)
        base = f"/api/events/{event.id}/attendees"
        created = await client.post(
            base,
            json={"name": "Zoé Lefèvre", "email": "zoe@example.org", "company": "Atelier"},
            headers=headers,
        )
        assert created.status_code == 201
        attendee = created.json()
        assert attendee["invite_state"] == "pending"
        assert attendee["badge_version"] == 1
        updated = await client.patch(
            f"{base}/{attendee['id']}", json={"job_title": "Directrice"}, headers=headers
        )
        assert updated.json()["job_title"] == "Directrice"
        assert (await client.get(base, headers=headers)).json()["total"] == 1
        removed = await client.delete(f"{base}/{attendee['id']}", headers=headers)
        assert removed.status_code == 204
        assert (await client.get(f"{base}/{attendee['id']}", headers=headers)).status_code == 404

    async def test_duplicate_email_in_event_is_a_conflict(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, event, headers = await _setup(factory)
        await factory.attendee(event, email="zoe@example.org")
        response = await client.post(
            f"/api/events/{event.id}/attendees",
            json={"name": "Zoé Bis", "email": "ZOE@example.org"},
            headers=headers,
        )
        assert response.status_code == 409
        assert "zoe@example.org".upper() in response.json()["detail"].upper()
        assert (await client.get(f"/api/events/{event.id}/attendees", headers=headers)).json()["total"] == 1

    async def test_same_email_in_another_event_is_fine(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event, headers = await _setup(factory)
        other = await factory.event(organiser)
        await factory.attendee(other, email="zoe@example.org")
        response = await client.post(
            f"/api/events/{event.id}/attendees",
            json={"name": "Zoé", "email": "zoe@example.org"},
            headers=headers,
        )
        assert response.status_code == 201

    @pytest.mark.parametrize(
        "body",
        [
            {"name": "x" * 121, "email": "a@example.org"},
            {"name": "Ada", "email": "nope"},
            {"name": "", "email": "a@example.org"},
            {"name": "Ada", "email": "a@example.org", "phone": "call me maybe"},
            {"name": "Ada", "email": "a@example.org", "badge_version": 9},
        ],
    )
    async def test_bad_attendee_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, body: dict[str, object]
    ) -> None:
        _, event, headers = await _setup(factory)
        response = await client.post(f"/api/events/{event.id}/attendees", json=body, headers=headers)
        assert response.status_code == 422
        assert response.json()["errors"]

    async def test_search_and_cursor_pagination(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, event, headers = await _setup(factory)
        for i in range(5):
            await factory.attendee(event, name=f"Person {i}", company="Acme" if i % 2 else "Other")
        base = f"/api/events/{event.id}/attendees"
        first = (await client.get(base, params={"limit": 2}, headers=headers)).json()
        assert [a["name"] for a in first["items"]] == ["Person 0", "Person 1"]
        second = (
            await client.get(base, params={"limit": 2, "cursor": first["next_cursor"]}, headers=headers)
        ).json()
        assert [a["name"] for a in second["items"]] == ["Person 2", "Person 3"]
        acme = (await client.get(base, params={"q": "acme"}, headers=headers)).json()
        assert acme["total"] == 2

    @pytest.mark.parametrize("cursor", ["garbage", "eyJ4IjoxfQ", "%%%"])
    async def test_malformed_cursor(self, client: httpx.AsyncClient, factory: Factory, cursor: str) -> None:
        _, event, headers = await _setup(factory)
        response = await client.get(
            f"/api/events/{event.id}/attendees", params={"cursor": cursor}, headers=headers
        )
        assert response.status_code == 400
        assert "cursor" in response.json()["detail"]

    async def test_reissue_badge_bumps_version(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, event, headers = await _setup(factory)
        attendee = await factory.attendee(event)
        response = await client.post(
            f"/api/events/{event.id}/attendees/{attendee.id}/badge/reissue", headers=headers
        )
        assert response.json()["badge_version"] == 2

    async def test_attendee_of_another_organiser_is_out_of_reach(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, event, _ = await _setup(factory)
        attendee = await factory.attendee(event)
        _, _, intruder = await _setup(factory)
        base = f"/api/events/{event.id}/attendees/{attendee.id}"
        for method, path in [
            ("GET", base),
            ("PATCH", base),
            ("DELETE", base),
            ("POST", f"{base}/badge/reissue"),
            ("POST", f"{base}/access/reissue"),
            ("GET", f"{base}/invite"),
        ]:
            response = await client.request(method, path, headers=intruder, json={"name": "Hacked"})
            assert response.status_code == 404, (method, path)
        await factory.session.refresh(attendee)
        assert attendee.name == "Zoé Lefèvre"
        assert attendee.badge_version == 1


class TestCsvImport:
    async def _import(
        self,
        client: httpx.AsyncClient,
        event: Event,
        headers: dict[str, str],
        data: bytes,
        *,
        dry_run: bool,
        mapping: str | None = None,
    ) -> httpx.Response:
        form = {"mapping": mapping} if mapping else None
        return await client.post(
            f"/api/events/{event.id}/attendees/import",
            params={"dry_run": str(dry_run).lower()},
            files={"file": ("attendees.csv", data, "text/csv")},
            data=form,
            headers=headers,
        )

    async def test_preview_then_import_the_sample(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, event, headers = await _setup(factory)
        data = (DATA / "attendees_sample.csv").read_bytes()
        preview = await self._import(client, event, headers, data, dry_run=True)
        assert preview.status_code == 200
        assert preview.json()["valid"] == 10
        assert preview.json()["created"] == 0
        listing = f"/api/events/{event.id}/attendees"
        assert (await client.get(listing, headers=headers)).json()["total"] == 0
        imported = await self._import(client, event, headers, data, dry_run=False)
        assert imported.json()["created"] == 10
        names = {
            a["name"]
            for a in (await client.get(listing, headers=headers, params={"limit": 50})).json()["items"]
        }
        assert "Zoé Lefèvre" in names
        assert "Ἀλέξανδρος Παπαδόπουλος" in names
        again = await self._import(client, event, headers, data, dry_run=True)
        assert again.json()["errors"] == []
        assert [row["reason"] for row in again.json()["to_skip"]] == ["unchanged"] * 10

    async def test_bad_rows_reject_the_whole_file(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, event, headers = await _setup(factory)
        data = (DATA / "attendees_bad_rows.csv").read_bytes()
        preview = await self._import(client, event, headers, data, dry_run=True)
        assert [e["line"] for e in preview.json()["errors"]] == [3, 4, 5]
        refused = await self._import(client, event, headers, data, dry_run=False)
        assert refused.status_code == 422
        assert "nothing was imported" in refused.json()["detail"]
        assert (refused.json()["code"], refused.json()["params"]) == ("rows_invalid", {"count": 3})
        assert refused.json()["errors"] == preview.json()["errors"]
        listing = await client.get(f"/api/events/{event.id}/attendees", headers=headers)
        assert listing.json()["total"] == 0

    async def test_dry_run_names_each_problem_with_a_code(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, event, headers = await _setup(factory)
        data = (DATA / "attendees_bad_rows.csv").read_bytes()
        preview = await self._import(client, event, headers, data, dry_run=True)
        assert preview.status_code == 200
        rows = preview.json()["errors"]
        assert [(e["line"], e["code"], e["field"], e["column"]) for e in rows] == [
            (3, "email_invalid", "email", "E-mail"),
            (4, "name_missing", "name", None),
            (5, "email_duplicate_in_file", "email", "E-mail"),
        ]
        assert rows[0]["params"] == {"value": "not-an-email"}
        assert rows[0]["reason"].startswith("email: value is not a valid email address")
        assert rows[2]["params"] == {"value": "ada@example.org", "first_line": 2}
        assert rows[2]["reason"] == "e-mail ada@example.org already on line 2"

    async def test_explicit_mapping(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, event, headers = await _setup(factory)
        response = await self._import(
            client,
            event,
            headers,
            b"Who;Where\nAda;ada@example.org\n",
            dry_run=False,
            mapping='{"name": "Who", "email": "Where"}',
        )
        assert response.json()["created"] == 1

    @pytest.mark.parametrize("mapping", ["{not json", '["name"]', '{"name": 3}'])
    async def test_malformed_mapping(self, client: httpx.AsyncClient, factory: Factory, mapping: str) -> None:
        _, event, headers = await _setup(factory)
        response = await self._import(client, event, headers, b"a,b\n1,2\n", dry_run=True, mapping=mapping)
        assert response.status_code == 400
        assert (response.json()["code"], response.json()["params"]) == ("mapping_invalid", {})

    async def test_malformed_csv(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, event, headers = await _setup(factory)
        response = await self._import(client, event, headers, b"\x00\xff\xfe garbage", dry_run=True)
        assert response.status_code == 422
        assert any(word in response.json()["detail"] for word in ("column", "text", "NUL"))
        assert response.json()["code"] in ("email_column_missing", "file_encoding", "nul_character")

    @pytest.mark.parametrize(
        ("data", "mapping", "code", "params"),
        [
            (b"name,company\nAda,Engines\n", None, "email_column_missing", {}),
            (b"name,email\n", None, "no_rows", {}),
            (
                b"name,email\nAda,ada@example.org\n",
                '{"email": "Mail"}',
                "mapping_column_missing",
                {"column": "Mail"},
            ),
        ],
    )
    async def test_refused_file_has_a_code(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        data: bytes,
        mapping: str | None,
        code: str,
        params: dict[str, object],
    ) -> None:
        _, event, headers = await _setup(factory)
        response = await self._import(client, event, headers, data, dry_run=True, mapping=mapping)
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert (response.json()["code"], response.json()["params"]) == (code, params)
        assert response.json()["detail"]

    async def test_too_many_rows(self, client: httpx.AsyncClient, factory: Factory, app: FastAPI) -> None:
        _, event, headers = await _setup(factory)
        app.state.settings.max_csv_rows = 2
        data = b"name,email\n" + b"".join(f"P{i},p{i}@example.org\n".encode() for i in range(3))
        response = await self._import(client, event, headers, data, dry_run=True)
        assert response.status_code == 422
        assert (response.json()["code"], response.json()["params"]) == ("too_many_rows", {"max_rows": 2})

    async def test_oversize_csv(self, client: httpx.AsyncClient, factory: Factory, app: FastAPI) -> None:
        _, event, headers = await _setup(factory)
        app.state.settings.max_csv_bytes = 2048
        data = b"name,email\n" + b"Ada,ada@example.org\n" * 200
        response = await self._import(client, event, headers, data, dry_run=True)
        assert response.status_code == 413
        assert (response.json()["code"], response.json()["params"]) == ("file_too_large", {"max_kib": 2})

    async def test_missing_file(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, event, headers = await _setup(factory)
        response = await client.post(
            f"/api/events/{event.id}/attendees/import", headers=headers, data={"x": "1"}
        )
        assert response.status_code == 422
        assert "file" in response.json()["detail"]


class TestTwoOrganisersAtTheSameMoment:
    """The e-mail check and the write are two steps: when another request slips between them,
    the database's own constraint refuses the write, and the organiser gets a 409 that says
    to try again (never a 500), with nothing saved."""

    @pytest.fixture(autouse=True)
    def check_beaten(self, monkeypatch: pytest.MonkeyPatch) -> None:
        async def free(*args: object, **kwargs: object) -> bool:
            return False

        async def none(*args: object, **kwargs: object) -> set[str]:
            return set()

        async def nobody(*args: object, **kwargs: object) -> list[object]:
            return []

        monkeypatch.setattr("rencontre.attendees.repository.email_taken", free)
        monkeypatch.setattr("rencontre.attendees.repository.existing_emails", none)
        monkeypatch.setattr("rencontre.attendees.repository.all_live", nobody)

    @staticmethod
    def _refused(response: httpx.Response) -> None:
        assert response.status_code == 409, response.text
        assert response.json()["code"] == "attendees_changed_meanwhile"
        assert "Try again" in response.json()["detail"]

    async def test_adding(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, event, headers = await _setup(factory)
        await factory.attendee(event, email="zoe@example.org")
        base = f"/api/events/{event.id}/attendees"
        self._refused(
            await client.post(base, json={"name": "Zoé Bis", "email": "zoe@example.org"}, headers=headers)
        )
        assert (await client.get(base, headers=headers)).json()["total"] == 1

    async def test_changing_an_email(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, event, headers = await _setup(factory)
        await factory.attendee(event, email="zoe@example.org")
        other = await factory.attendee(event, email="ines@example.org")
        path = f"/api/events/{event.id}/attendees/{other.id}"
        self._refused(await client.patch(path, json={"email": "zoe@example.org"}, headers=headers))
        assert (await client.get(path, headers=headers)).json()["email"] == "ines@example.org"

    async def test_importing(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, event, headers = await _setup(factory)
        await factory.attendee(event, email="zoe@example.org")
        csv = "name,email\nNew Person,new@example.org\nZoé Again,zoe@example.org\n"
        response = await client.post(
            f"/api/events/{event.id}/attendees/import",
            params={"dry_run": "false"},
            files={"file": ("list.csv", csv.encode(), "text/csv")},
            headers=headers,
        )
        self._refused(response)
        assert (await client.get(f"/api/events/{event.id}/attendees", headers=headers)).json()["total"] == 1
