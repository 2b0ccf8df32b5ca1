"""CSV and vCard exports, re-read by independent parsers (csv, vobject)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from rencontre.contacts.exports import CSV_COLUMNS, HEADERS, contacts_csv, contacts_vcf, contacts_xlsx
from rencontre.contacts.schemas import Contact
from rencontre.kit.csvfile import csv_bytes, neutralise
from rencontre.models import FollowUpState
from rencontre.profile.addresses import web_address
from rencontre.profile.schemas import PublicCard

MET = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)


def _contact(note: str = "", name: str = "Zoé Lefèvre", **card: object) -> Contact:
    person = PublicCard(attendee_id=uuid.uuid4(), badge_code="abc", name=name, **card)  # type: ignore[arg-type]
    return Contact(
        id=uuid.uuid4(),
        event_id=uuid.uuid4(),
        person=person,
        note=note,
        tags=["a", "b"],
        rating=None,
        mutual=False,
        met_at=MET,
        met_at_local=MET.astimezone(ZoneInfo("Europe/Paris")),
        last_scanned_at=MET,
        scan_count=1,
        follow_up=FollowUpState.todo,
        followed_up_at=None,
        follow_up_due_at=MET + timedelta(hours=48),
        follow_up_seconds_left=0,
        updated_at=MET,
    )


def _rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


class TestNeutralise:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("=1+1", "'=1+1"),
            ("+33 6", "'+33 6"),
            ("-x", "'-x"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("a=b", "a=b"),
            (" =1", " =1"),
            ("", ""),
            (None, ""),
            (5, "5"),
            (True, "true"),
        ],
    )
    def test_cells(self, value: object, expected: str) -> None:
        assert neutralise(value) == expected

    def test_header_and_rows_are_neutralised(self) -> None:
        rows = list(csv.reader(io.StringIO(csv_bytes(["=h"], [["@x"]]).decode("utf-8-sig"))))
        assert rows == [["'=h"], ["'@x"]]


class TestContactsCsv:
    def test_columns_and_line_breaks(self) -> None:
        data = contacts_csv([_contact('l1\nl2\r\n« guillemets », "quotes"')], event_name="Été")
        rows = _rows(data)
        assert tuple(rows[0]) == tuple(HEADERS["en"][column] for column in CSV_COLUMNS)
        assert rows[0]["Note"] == 'l1\nl2\r\n« guillemets », "quotes"'
        assert rows[0]["Tags"] == "a, b"
        assert rows[0]["Event"] == "Été"
        assert rows[0]["E-mail"] == ""

    @given(note=st.text(max_size=200), name=st.text(min_size=1, max_size=60).filter(str.strip))
    def test_any_text_round_trips(self, note: str, name: str) -> None:
        row = _rows(contacts_csv([_contact(note, name=name)], event_name="E"))[0]
        assert row["Note"] == neutralise(note)
        assert row["Name"] == neutralise(name)


class TestContactsXlsx:
    # Writing and reading a whole workbook takes tens of milliseconds, more on a busy machine.
    @settings(deadline=None, max_examples=50)
    @given(note=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=120))
    def test_any_note_reads_back_as_text(self, note: str) -> None:
        data = contacts_xlsx([_contact(note)], event_name="=E", timezone="Europe/Paris", language="fr")
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        assert sheet is not None
        head, row = list(sheet.iter_rows(values_only=True))
        cells = dict(zip(head, row, strict=True))
        assert (cells["Note"] or "") == note
        assert cells["Événement"] == "=E"  # text, never a formula
        assert cells["Rencontré le"] == datetime(2026, 6, 3, 11, 0)
        assert cells["Relance"] == "À faire"

    def test_control_characters_are_dropped_not_refused(self) -> None:
        data = contacts_xlsx([_contact("a\x0bb\x00c\nd")], event_name="E")
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        assert sheet is not None
        assert "abc\nd" in next(sheet.iter_rows(min_row=2, values_only=True))


class TestContactsVcard:
    def test_long_accented_note_is_folded_and_read_back(self) -> None:
        note = "Éléphant " * 40 + "\nfin; avec, virgules\\"
        text = contacts_vcf(
            [_contact(note, email="z@example.org", phone="+33 6"), _contact("", name="Bob")],
            event_name="Rencontres, Lyon",
        )
        assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
        first, second = vobject.readComponents(text)
        assert first.note.value == f"Met at Rencontres, Lyon on 3 June 2026\n\n{note}"
        assert first.email.value == "z@example.org"
        assert first.tel.value == "+33 6"
        assert first.categories.value == ["Rencontres, Lyon"]
        assert second.fn.value == "Bob"
        assert second.note.value == "Met at Rencontres, Lyon on 3 June 2026"

    @given(note=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=120))
    def test_any_printable_note_round_trips(self, note: str) -> None:
        (card,) = vobject.readComponents(contacts_vcf([_contact(note)], event_name="E", language="fr"))
        assert card.note.value == "Rencontré à E le 3 juin 2026" + (f"\n\n{note}" if note else "")


class TestWebAddress:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("example.org", "https://example.org"),
            ("http://example.org/a?b=c", "http://example.org/a?b=c"),
            ("javascript:alert(1)", None),
            ("JavaScript://example.org/%0aalert(1)", None),
            ("data:text/html,x", None),
            ("ftp://example.org", None),
            ("https://localhost", None),
            ("exa mple.org", None),
            ("", None),
        ],
    )
    def test_only_http_addresses(self, value: str, expected: str | None) -> None:
        assert web_address(value) == expected

    def test_linkedin_handle(self) -> None:
        prefix = "https://www.linkedin.com/in/"
        assert web_address("zoe-lefevre", bare_handle_prefix=prefix) == prefix + "zoe-lefevre"
        assert web_address("zoe-lefevre") is None
