from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rencontre.attendees.csv_import import CsvRejected, parse_attendees

DATA = Path(__file__).resolve().parents[1] / "data"


class TestRecognisedFormats:
    def test_sample_file_reads_every_script(self) -> None:
        result = parse_attendees((DATA / "attendees_sample.csv").read_bytes(), max_rows=100)
        assert result.errors == []
        names = [row.attendee.name for row in result.valid]
        assert names[0] == "Zoé Lefèvre"
        assert "Jean-François D'Arcy" in names
        assert "美咲 佐藤" in names
        assert "Aïcha Diallo 🌍" in names
        darcy = next(r.attendee for r in result.valid if r.attendee.name.startswith("Jean"))
        assert darcy.company == "Durand; Fils & Cie"
        assert result.columns["email"] == "Courriel"
        assert result.columns["company"] == "Société"

    def test_comma_separated_english_headers_without_bom(self) -> None:
        data = b'Full name,Email,Company,Job title\nAda Lovelace,ada@example.org,Engines,"Maths, poetry"\n'
        result = parse_attendees(data, max_rows=10)
        [row] = result.valid
        assert row.attendee.name == "Ada Lovelace"
        assert row.attendee.job_title == "Maths, poetry"

    def test_windows_1252_export_is_read(self) -> None:
        data = "Nom;E-mail\nHélène Côté;helene@example.org\n".encode("cp1252")
        [row] = parse_attendees(data, max_rows=10).valid
        assert row.attendee.name == "Hélène Côté"

    def test_explicit_mapping_for_unknown_headers(self) -> None:
        data = b"Participant Full;Contact\nAda Lovelace;ada@example.org\n"
        result = parse_attendees(data, max_rows=10, mapping={"name": "Participant Full", "email": "Contact"})
        assert result.valid[0].attendee.email == "ada@example.org"

    def test_quoted_line_breaks_keep_line_numbers(self) -> None:
        data = b'name,email\n"Ada\nLovelace",ada@example.org\nGrace,bad\n'
        result = parse_attendees(data, max_rows=10)
        assert result.valid[0].attendee.name == "Ada Lovelace"
        assert result.errors[0][0] == 4


class TestBadRows:
    def test_each_bad_row_is_reported_with_its_line(self) -> None:
        result = parse_attendees((DATA / "attendees_bad_rows.csv").read_bytes(), max_rows=100)
        reasons = dict(result.errors)
        assert set(reasons) == {3, 4, 5}
        assert "email" in reasons[3]
        assert "name" in reasons[4]
        assert "line 2" in reasons[5]
        assert [r.line for r in result.valid] == [2, 6]

    def test_too_many_fields_is_a_row_error(self) -> None:
        result = parse_attendees(b"name,email\nAda,ada@example.org,extra\n", max_rows=10)
        assert result.errors == [(2, "3 fields where the header has 2")]


class TestRejectedFiles:
    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "empty"),
            (b"name,email\n", "no attendee rows"),
            (b"name,company\nAda,Engines\n", "No e-mail column"),
            (b"email,company\nada@example.org,Engines\n", "No name column"),
            (b"\xff\xfe\x00\x81\x8d", "not text"),
        ],
    )
    def test_unreadable_files(self, data: bytes, message: str) -> None:
        with pytest.raises(CsvRejected, match=message):
            parse_attendees(data, max_rows=10)

    def test_row_limit(self) -> None:
        rows = "".join(f"P{i},p{i}@example.org\n" for i in range(11))
        with pytest.raises(CsvRejected, match="more than 10 rows"):
            parse_attendees(f"name,email\n{rows}".encode(), max_rows=10)

    def test_mapping_to_missing_column(self) -> None:
        with pytest.raises(CsvRejected, match="lacks"):
            parse_attendees(b"name,email\nA,a@example.org\n", max_rows=10, mapping={"email": "Mail"})

    def test_mapping_to_unknown_field(self) -> None:
        with pytest.raises(CsvRejected, match="Unknown field"):
            parse_attendees(b"name,email\nA,a@example.org\n", max_rows=10, mapping={"age": "name"})


class TestNeverCrashes:
    @settings(max_examples=200, deadline=None)
    @given(st.binary(max_size=400))
    def test_arbitrary_bytes(self, data: bytes) -> None:
        with contextlib.suppress(CsvRejected):
            parse_attendees(b"name;email\n" + data, max_rows=50)

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.tuples(st.text(max_size=30), st.text(max_size=30)), max_size=10))
    def test_arbitrary_text_rows(self, rows: list[tuple[str, str]]) -> None:
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["name", "email"])
        writer.writerows(rows)
        try:
            result = parse_attendees(buffer.getvalue().encode(), max_rows=50)
        except CsvRejected:
            return
        assert len(result.valid) + len(result.errors) == result.rows
