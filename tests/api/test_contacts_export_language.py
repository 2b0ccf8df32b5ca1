"""Contact exports that open right in a French (or English) spreadsheet, and the .xlsx."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import httpx
import openpyxl
import pytest
import vobject

from rencontre.models import Attendee, FollowUpState
from tests.support import Factory

MET = datetime(2026, 6, 3, 9, 5, tzinfo=UTC)  # 11:05 in Paris
NOTE = '=HYPERLINK("x") à rappeler'
OTHERS_NOTE = "Note de Bob sur Zoé"


async def _world(factory: Factory, language: str = "fr") -> tuple[Attendee, Attendee]:
    event = await factory.event(name="Salon de l'Été", timezone="Europe/Paris")
    me = await factory.attendee(event, name="Alex Martin", language=language)
    zoe = await factory.attendee(event, name="Zoé Lefèvre", company="Atelier", shared_fields=[])
    bob = await factory.attendee(event, name="Bob")
    await factory.encounter(
        me,
        zoe,
        met_at=MET,
        note=NOTE,
        tags=["hot_lead", "follow_up", "Café"],
        rating=4,
        mutual=True,
        follow_up=FollowUpState.done,
        followed_up_at=MET + timedelta(hours=3),
    )
    await factory.encounter(bob, zoe, note=OTHERS_NOTE)
    return me, zoe


class TestFrenchCsv:
    async def test_semicolons_french_headers_and_words(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        me, _ = await _world(factory, language="fr")
        response = await client.get("/api/contacts/export.csv", headers=factory.attendee_headers(me))
        assert response.status_code == 200
        assert response.content.startswith("\ufeff".encode())
        text = response.content.decode("utf-8-sig")
        assert text.splitlines()[0].startswith("Nom;Entreprise;Fonction;E-mail;Téléphone")
        (row,) = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
        assert row["Nom"] == "Zoé Lefèvre"
        assert row["Étiquettes"] == "Piste chaude, À relancer, Café"
        assert row["Potentiel (sur 5)"] == "4"
        assert row["Scan mutuel"] == "Oui"
        assert row["Relance"] == "Faite"
        assert row["Rencontré le"] == "03/06/2026 11:05"
        assert row["Relancé le"] == "03/06/2026 14:05"
        assert row["À relancer avant le"] == "05/06/2026 11:05"
        assert row["Note"] == "'" + NOTE
        for code in ("hot_lead", "follow_up", "done", "true"):
            assert code not in text

    async def test_english_asked_explicitly_uses_commas(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        me, _ = await _world(factory, language="fr")
        response = await client.get("/api/contacts/export.csv?lang=en", headers=factory.attendee_headers(me))
        (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))
        assert row["Tags"] == "Hot lead, Follow up, Café"
        assert row["Follow-up"] == "Done"

    async def test_english_attendees_get_english_by_default(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        me, _ = await _world(factory, language="en")
        response = await client.get("/api/contacts/export.csv", headers=factory.attendee_headers(me))
        assert response.content.decode("utf-8-sig").startswith("Name,Company,")

    @pytest.mark.parametrize("path", ["export.csv", "export.xlsx", "export.vcf"])
    async def test_an_unknown_language_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, path: str
    ) -> None:
        me, _ = await _world(factory)
        response = await client.get(f"/api/contacts/{path}?lang=de", headers=factory.attendee_headers(me))
        assert response.status_code == 422
        assert "lang" in response.text


class TestXlsxExport:
    @pytest.mark.parametrize(
        ("lang", "headers", "tags", "state"),
        [
            ("fr", ("Nom", "Rencontré le", "Potentiel (sur 5)"), "Piste chaude, À relancer, Café", "Faite"),
            ("en", ("Name", "Met on", "Potential (out of 5)"), "Hot lead, Follow up, Café", "Done"),
        ],
    )
    async def test_same_columns_with_typed_cells(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        lang: str,
        headers: tuple[str, str, str],
        tags: str,
        state: str,
    ) -> None:
        me, _ = await _world(factory)
        response = await client.get(
            f"/api/contacts/export.xlsx?lang={lang}", headers=factory.attendee_headers(me)
        )
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
        assert (
            response.headers["content-disposition"] == 'attachment; filename="contacts-salon-de-l-ete.xlsx"'
        )
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        values = list(sheet.iter_rows(values_only=True))
        assert len(values) == 2
        head, row = values
        cells = dict(zip(head, row, strict=True))
        name, met, rating = headers
        assert cells[name] == "Zoé Lefèvre"
        # Dates are dates (the event's wall clock), the rating a number, the note plain text.
        assert cells[met] == datetime(2026, 6, 3, 11, 5)
        assert cells[rating] == 4
        assert tags in row
        assert state in row
        assert NOTE in row
        note_cell = sheet.cell(row=2, column=head.index("Note") + 1)
        assert note_cell.data_type == "s"

    async def test_only_the_attendees_own_contacts(self, client: httpx.AsyncClient, factory: Factory) -> None:
        me, zoe = await _world(factory)
        response = await client.get("/api/contacts/export.xlsx", headers=factory.attendee_headers(me))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        everything = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
        assert OTHERS_NOTE not in everything
        assert zoe.email not in everything  # not shared

    async def test_refused_without_a_session(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/api/contacts/export.xlsx")).status_code == 401


class TestVcardSaysWhereAndWhen:
    async def test_french_note(self, client: httpx.AsyncClient, factory: Factory) -> None:
        me, _ = await _world(factory, language="fr")
        response = await client.get("/api/contacts/export.vcf", headers=factory.attendee_headers(me))
        (card,) = vobject.readComponents(response.text)
        assert card.note.value == f"Rencontré à Salon de l'Été le 3 juin 2026\n\n{NOTE}"
        assert OTHERS_NOTE not in response.text

    async def test_english_note(self, client: httpx.AsyncClient, factory: Factory) -> None:
        me, _ = await _world(factory, language="en")
        response = await client.get("/api/contacts/export.vcf", headers=factory.attendee_headers(me))
        (card,) = vobject.readComponents(response.text)
        assert card.note.value.startswith("Met at Salon de l'Été on 3 June 2026")
