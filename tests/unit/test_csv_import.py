from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rencontre.attendees.csv_import import CsvRejected, RowProblem, parse_attendees
from rencontre.attendees.schemas import ImportFileCode, ImportRowCode

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
        assert result.errors[0].line == 4


def only_problem(data: bytes) -> RowProblem:
    [problem] = parse_attendees(data, max_rows=10).errors
    return problem


class TestBadRows:
    def test_each_bad_row_is_reported_with_its_line(self) -> None:
        result = parse_attendees((DATA / "attendees_bad_rows.csv").read_bytes(), max_rows=100)
        reasons = {p.line: p.message for p in result.errors}
        assert set(reasons) == {3, 4, 5}
        assert "email" in reasons[3]
        assert "name" in reasons[4]
        assert "line 2" in reasons[5]
        assert [p.code for p in result.errors] == [
            ImportRowCode.email_invalid,
            ImportRowCode.name_missing,
            ImportRowCode.email_duplicate_in_file,
        ]
        assert [r.line for r in result.valid] == [2, 6]

    def test_too_many_fields_is_a_row_error(self) -> None:
        problem = only_problem(b"name,email\nAda,ada@example.org,extra\n")
        assert problem == RowProblem(
            2,
            ImportRowCode.too_many_fields,
            "3 fields where the header has 2",
            params={"fields": 3, "expected": 2},
        )


class TestRowProblemCodes:
    """Each check names its problem with a code, the field and column, and what phrasing it needs;
    the English message stays as API clients have read it so far."""

    def test_invalid_email(self) -> None:
        problem = only_problem(b"Nom;Courriel\nJean;jean@@x\n")
        assert (problem.line, problem.code) == (2, ImportRowCode.email_invalid)
        assert (problem.field, problem.column) == ("email", "Courriel")
        assert problem.params == {"value": "jean@@x"}
        assert problem.message.startswith("email: value is not a valid email address")

    def test_missing_email(self) -> None:
        problem = only_problem(b"name,email\nAda,\n")
        assert problem.code is ImportRowCode.email_missing
        assert (problem.field, problem.column, problem.params) == ("email", "email", {})
        assert problem.message.startswith("email: value is not a valid email address")

    def test_missing_email_cell_in_a_short_row(self) -> None:
        problem = only_problem(b"name,company,email\nAda,Engines\n")
        assert problem.code is ImportRowCode.email_missing

    @pytest.mark.parametrize("name", [b"", b"\x01\x02"], ids=["empty", "invisible"])
    def test_missing_name(self, name: bytes) -> None:
        problem = only_problem(b"name,email\n" + name + b",ada@example.org\n")
        assert problem.code is ImportRowCode.name_missing
        assert (problem.field, problem.column, problem.params) == ("name", "name", {})
        assert problem.message.startswith("name: ")

    def test_name_from_two_columns_has_no_single_column(self) -> None:
        problem = only_problem(b"First name,Last name,Email\n,,ada@example.org\n")
        assert problem.code is ImportRowCode.name_missing
        assert (problem.field, problem.column) == ("name", None)

    def test_too_long_value(self) -> None:
        problem = only_problem(b"name,email,Societe\nAda,ada@example.org," + b"x" * 130 + b"\n")
        assert problem.code is ImportRowCode.field_too_long
        assert (problem.field, problem.column) == ("company", "Societe")
        assert problem.params == {"max_length": 120, "length": 130}
        assert problem.message == "company: String should have at most 120 characters"

    def test_invalid_phone(self) -> None:
        problem = only_problem(b"name,email,phone\nAda,ada@example.org,call me\n")
        assert problem.code is ImportRowCode.phone_invalid
        assert (problem.field, problem.column, problem.params) == ("phone", "phone", {"value": "call me"})
        assert problem.message.startswith("phone: String should match pattern")

    def test_duplicate_in_the_file_names_the_first_line(self) -> None:
        problem = only_problem(b"name,email\nAda,ada@example.org\nAda L.,ADA@example.org\n")
        assert (problem.line, problem.code) == (3, ImportRowCode.email_duplicate_in_file)
        assert (problem.field, problem.column) == ("email", "email")
        assert problem.params == {"value": "ADA@example.org", "first_line": 2}
        assert problem.message == "e-mail ADA@example.org already on line 2"

    def test_a_long_value_is_quoted_cut_short(self) -> None:
        value = "x" * 200 + "@@example.org"
        problem = only_problem(f"name,email\nAda,{value}\n".encode())
        assert problem.code is ImportRowCode.email_invalid
        quoted = str(problem.params["value"])
        assert len(quoted) == 80
        assert quoted.endswith("…")
        assert value.startswith(quoted[:-1])

    def test_the_schema_keeps_reason_and_adds_the_code(self) -> None:
        row = only_problem(b"name,email\nAda,nope\n").to_schema().model_dump(mode="json")
        assert row == {
            "line": 2,
            "reason": "email: value is not a valid email address: An email address must have an @-sign.",
            "code": "email_invalid",
            "field": "email",
            "column": "email",
            "params": {"value": "nope"},
        }


class TestRejectedFiles:
    @pytest.mark.parametrize(
        ("data", "message", "code"),
        [
            (b"", "empty", ImportFileCode.file_empty),
            (b"name,email\n", "no attendee rows", ImportFileCode.no_rows),
            (b"name,company\nAda,Engines\n", "No e-mail column", ImportFileCode.email_column_missing),
            (
                b"email,company\nada@example.org,Engines\n",
                "No name column",
                ImportFileCode.name_column_missing,
            ),
            (b"\xff\xfe\x00\x81\x8d", "not text", ImportFileCode.file_encoding),
        ],
    )
    def test_unreadable_files(self, data: bytes, message: str, code: ImportFileCode) -> None:
        with pytest.raises(CsvRejected, match=message) as rejected:
            parse_attendees(data, max_rows=10)
        assert (rejected.value.code, rejected.value.params) == (code, {})

    def test_row_limit(self) -> None:
        rows = "".join(f"P{i},p{i}@example.org\n" for i in range(11))
        with pytest.raises(CsvRejected, match="more than 10 rows") as rejected:
            parse_attendees(f"name,email\n{rows}".encode(), max_rows=10)
        assert (rejected.value.code, rejected.value.params) == (
            ImportFileCode.too_many_rows,
            {"max_rows": 10},
        )

    def test_unreadable_line(self) -> None:
        huge = b"x" * (csv.field_size_limit() + 1)
        with pytest.raises(CsvRejected, match="Line 3 cannot be read") as rejected:
            parse_attendees(b"name,email\nAda,ada@example.org\n" + huge + b",b@example.org\n", max_rows=10)
        assert (rejected.value.code, rejected.value.params) == (ImportFileCode.line_unreadable, {"line": 3})

    def test_mapping_to_missing_column(self) -> None:
        with pytest.raises(CsvRejected, match="lacks") as rejected:
            parse_attendees(b"name,email\nA,a@example.org\n", max_rows=10, mapping={"email": "Mail"})
        assert rejected.value.code is ImportFileCode.mapping_column_missing
        assert rejected.value.params == {"column": "Mail"}

    def test_mapping_to_unknown_field(self) -> None:
        with pytest.raises(CsvRejected, match="Unknown field") as rejected:
            parse_attendees(b"name,email\nA,a@example.org\n", max_rows=10, mapping={"age": "name"})
        assert rejected.value.code is ImportFileCode.mapping_unknown_field
        assert rejected.value.params["field"] == "age"
        assert "email" in str(rejected.value.params["allowed"])


class TestNeverCrashes:
    @settings(max_examples=200, deadline=None)
    @given(st.binary(max_size=400))
    def test_arbitrary_bytes(self, data: bytes) -> None:
        with contextlib.suppress(CsvRejected):
            parse_attendees(b"name;email\n" + data, max_rows=50)

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.tuples(st.text(max_size=30), st.text(max_size=30)), max_size=10))
    def test_arbitrary_text_rows(self, rows: list[tuple[str, str]]) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["name", "email"])
        writer.writerows(rows)
        try:
            result = parse_attendees(buffer.getvalue().encode(), max_rows=50)
        except CsvRejected:
            return
        assert len(result.valid) + len(result.errors) == result.rows


class TestRegistrationIdColumn:
    @pytest.mark.parametrize(
        "header",
        [
            "Registration ID",
            "registration_id",
            "Ticket #",
            "Ticket ID",
            "Numéro d'inscription",
            "N° billet",
            "id",
        ],
    )
    def test_recognised_headers(self, header: str) -> None:
        data = f"name,email,{header}\nAda,ada@example.org, T-1 \n".encode()
        result = parse_attendees(data, max_rows=10)
        assert result.columns["registration_id"] == header
        assert result.valid[0].attendee.registration_id == "T-1"

    def test_an_order_number_is_not_a_registration_id(self) -> None:
        """One order often holds several people's tickets."""
        result = parse_attendees(b"name,email,Order #\nAda,ada@example.org,1\n", max_rows=10)
        assert "registration_id" not in result.columns

    def test_the_same_id_twice_is_a_bad_row(self) -> None:
        data = b"name,email,ticket\nAda,ada@example.org,T1\nGrace,grace@example.org,T1\n"
        problem = only_problem(data)
        assert (problem.line, problem.code) == (3, ImportRowCode.registration_id_duplicate_in_file)
        assert problem.params == {"value": "T1", "first_line": 2}

    def test_empty_ids_may_repeat(self) -> None:
        data = b"name,email,ticket\nAda,ada@example.org,\nGrace,grace@example.org,\n"
        assert len(parse_attendees(data, max_rows=10).valid) == 2

    def test_it_can_be_mapped_explicitly(self) -> None:
        data = b"name,email,Code\nAda,ada@example.org,X9\n"
        result = parse_attendees(data, max_rows=10, mapping={"registration_id": "Code"})
        assert result.valid[0].attendee.registration_id == "X9"
