"""Reading attendee lists as registration tools export them.

UTF-8 with or without BOM (Windows-1252 as a fallback for old spreadsheet
exports), comma or semicolon, quoted fields, French and English column names,
and an explicit mapping for the rest. Every bad row is reported with its line.

Each problem carries an English message for people reading the API's answer and a
stable code with its parameters, so the console can say it in the organiser's language.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from rencontre.attendees.schemas import ImportedAttendee, ImportFileCode, ImportRowCode, ImportRowError
from rencontre.kit.text import fold

FIELDS = (
    "first_name",
    "last_name",
    "name",
    "email",
    "company",
    "job_title",
    "phone",
    "website",
    "linkedin",
    "registration_id",
)

_ALIASES: dict[str, tuple[str, ...]] = {
    "first_name": ("firstname", "first", "givenname", "prenom", "forename"),
    "last_name": ("lastname", "last", "surname", "familyname", "nomdefamille", "nom"),
    "name": ("name", "fullname", "nomcomplet", "participant", "attendee", "attendeename"),
    "email": (
        "email",
        "emailaddress",
        "mail",
        "courriel",
        "adresseemail",
        "adressemail",
        "adressecourriel",
    ),
    "company": (
        "company",
        "companyname",
        "societe",
        "organisation",
        "organization",
        "entreprise",
        "structure",
        "employer",
    ),
    "job_title": ("jobtitle", "title", "fonction", "poste", "position", "role", "job"),
    "phone": ("phone", "phonenumber", "telephone", "tel", "mobile", "portable"),
    "website": ("website", "site", "siteweb", "url", "web"),
    "linkedin": ("linkedin", "linkedinurl", "profillinkedin"),
    # One per person, so never an order number: one order often holds several tickets.
    "registration_id": (
        "registrationid",
        "registrationnumber",
        "registration",
        "ticketid",
        "ticketnumber",
        "ticket",
        "attendeeid",
        "participantid",
        "idinscription",
        "numeroinscription",
        "numerodinscription",
        "ninscription",
        "inscription",
        "idbillet",
        "nbillet",
        "numerobillet",
        "numerodebillet",
        "billet",
        "identifiant",
        "reference",
        "id",
    ),
}


# A cell quoted back in a problem is cut here: enough to find it, not a whole pasted paragraph.
SHOWN_VALUE_LENGTH = 80

Params = dict[str, str | int]


class CsvRejected(Exception):
    """The file as a whole cannot be read (encoding, header, size): an English message,
    and a code with its parameters for a client that phrases it in another language."""

    def __init__(self, message: str, code: ImportFileCode, **params: str | int) -> None:
        super().__init__(message)
        self.code = code
        self.params: Params = params


@dataclass(frozen=True)
class RowProblem:
    """Why one row cannot be imported; ``field`` and ``column`` are None for the whole row."""

    line: int
    code: ImportRowCode
    message: str
    field: str | None = None
    column: str | None = None
    params: Params = dataclasses.field(default_factory=dict)

    def to_schema(self) -> ImportRowError:
        return ImportRowError(
            line=self.line,
            reason=self.message,
            code=self.code,
            field=self.field,
            column=self.column,
            params=self.params,
        )


@dataclass
class ParsedRow:
    line: int
    attendee: ImportedAttendee


@dataclass
class ParseResult:
    rows: int = 0
    valid: list[ParsedRow] = dataclasses.field(default_factory=list)
    errors: list[RowProblem] = dataclasses.field(default_factory=list)
    columns: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def provided(self) -> set[str]:
        """The attendee fields the file has a column for; a name may come from its two parts."""
        fields = set(self.columns) - {"first_name", "last_name"}
        return fields | {"name"}


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(header))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise CsvRejected(
            "The file is not text encoded as UTF-8; export it as CSV UTF-8.", ImportFileCode.file_encoding
        ) from exc


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _map_columns(headers: list[str], mapping: dict[str, str] | None) -> dict[str, int]:
    by_key = {_key(h): i for i, h in enumerate(headers)}
    columns: dict[str, int] = {}
    if mapping:
        for target, header in mapping.items():
            if target not in FIELDS:
                raise CsvRejected(
                    f"Unknown field '{target}' in the column mapping; use one of {', '.join(FIELDS)}.",
                    ImportFileCode.mapping_unknown_field,
                    field=shown(target),
                    allowed=", ".join(FIELDS),
                )
            index = by_key.get(_key(header))
            if index is None:
                raise CsvRejected(
                    f"The mapping names a column '{header}' that the file lacks.",
                    ImportFileCode.mapping_column_missing,
                    column=shown(header),
                )
            columns[target] = index
    for target, aliases in _ALIASES.items():
        if target in columns:
            continue
        for alias in aliases:
            if alias in by_key and by_key[alias] not in columns.values():
                columns[target] = by_key[alias]
                break
    # "Nom" alone (no first-name column) is the whole name.
    if "last_name" in columns and "first_name" not in columns and "name" not in columns:
        columns["name"] = columns.pop("last_name")
    if "email" not in columns:
        raise CsvRejected(
            "No e-mail column found (expected e.g. 'email', 'e-mail' or 'courriel'); map it explicitly.",
            ImportFileCode.email_column_missing,
        )
    if "name" not in columns and not ("first_name" in columns or "last_name" in columns):
        raise CsvRejected(
            "No name column found (expected e.g. 'name', 'first name'/'last name' or "
            "'prénom'/'nom'); map it explicitly.",
            ImportFileCode.name_column_missing,
        )
    return columns


def shown(value: str) -> str:
    """A cell as quoted back to the organiser: whole if short, else its start and an ellipsis."""
    return value if len(value) <= SHOWN_VALUE_LENGTH else value[: SHOWN_VALUE_LENGTH - 1] + "…"


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ()))
    message = str(err.get("msg", "invalid"))
    return f"{where}: {message}" if where else message


def _invalid_code(field: str | None, kind: str, value: str) -> ImportRowCode:
    """The code for what Pydantic refused; anything unforeseen is ``field_invalid``, never a crash."""
    if field in ("name", "email") and not value.strip():
        return ImportRowCode.name_missing if field == "name" else ImportRowCode.email_missing
    if field == "name" and kind == "value_error":
        return ImportRowCode.name_missing  # only invisible characters: blank once cleaned
    if kind == "string_too_long":
        return ImportRowCode.field_too_long
    if field == "email":
        return ImportRowCode.email_invalid
    if field == "phone" and kind == "string_pattern_mismatch":
        return ImportRowCode.phone_invalid
    return ImportRowCode.field_invalid


def invalid_row(
    line: int, exc: ValidationError, cells: dict[str, str], columns: dict[str, str]
) -> RowProblem:
    """The first thing Pydantic refused in a row, as a code with what it takes to phrase it."""
    err = exc.errors()[0]
    loc = err.get("loc", ())
    field = str(loc[0]) if loc else None
    value = cells.get(field, "") if field else ""
    code = _invalid_code(field, str(err.get("type", "")), value)
    params: Params = {}
    if code is ImportRowCode.field_too_long:
        context: dict[str, Any] = err.get("ctx") or {}
        params = {"max_length": int(context.get("max_length", 0)), "length": len(value)}
    elif code in (ImportRowCode.email_invalid, ImportRowCode.phone_invalid, ImportRowCode.field_invalid):
        params = {"value": shown(value)}
    column = columns.get(field) if field else None
    return RowProblem(line, code, _first_error(exc), field, column, params)


def too_many_fields(line: int, fields: int, expected: int) -> RowProblem:
    return RowProblem(
        line,
        ImportRowCode.too_many_fields,
        f"{fields} fields where the header has {expected}",
        params={"fields": fields, "expected": expected},
    )


def duplicate_in_file(line: int, email: str, first_line: int, columns: dict[str, str]) -> RowProblem:
    return RowProblem(
        line,
        ImportRowCode.email_duplicate_in_file,
        f"e-mail {email} already on line {first_line}",
        "email",
        columns.get("email"),
        {"value": shown(email), "first_line": first_line},
    )


def registration_id_twice(line: int, value: str, first_line: int, columns: dict[str, str]) -> RowProblem:
    return RowProblem(
        line,
        ImportRowCode.registration_id_duplicate_in_file,
        f"registration id {value} already on line {first_line}",
        "registration_id",
        columns.get("registration_id"),
        {"value": shown(value), "first_line": first_line},
    )


def _cells(row: list[str], columns: dict[str, int]) -> dict[str, str]:
    """The row's values by attendee field, the name put together from its parts if need be."""
    values = {t: row[i].strip() if i < len(row) else "" for t, i in columns.items()}
    first, last = values.pop("first_name", ""), values.pop("last_name", "")
    name = values.pop("name", "") or " ".join(p for p in (first, last) if p)
    return {"name": name, **values}


def _refuse_nul(text: str) -> None:
    """A NUL character cannot be stored: the file is refused at its first, rather than
    imported with the character silently dropped from a name or an e-mail address."""
    at = text.find("\x00")
    if at >= 0:
        line = text.count("\n", 0, at) + 1
        raise CsvRejected(
            f"Line {line} holds a NUL character, which cannot be stored; remove it, then export again.",
            ImportFileCode.nul_character,
            line=line,
        )


def parse_attendees(data: bytes, *, max_rows: int, mapping: dict[str, str] | None = None) -> ParseResult:
    text = _decode(data)
    if not text.strip():
        raise CsvRejected("The file is empty.", ImportFileCode.file_empty)
    _refuse_nul(text)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        headers = next(reader)
    except csv.Error as exc:
        raise CsvRejected(
            f"The header line cannot be read: {exc}.", ImportFileCode.line_unreadable, line=1
        ) from exc
    columns = _map_columns(headers, mapping)
    result = ParseResult(columns={t: headers[i] for t, i in columns.items()})
    seen_emails: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            result.rows += 1
            if result.rows > max_rows:
                raise CsvRejected(
                    f"The file has more than {max_rows} rows; split it.",
                    ImportFileCode.too_many_rows,
                    max_rows=max_rows,
                )
            if len(row) > len(headers):
                result.errors.append(too_many_fields(line, len(row), len(headers)))
                continue
            cells = _cells(row, columns)
            try:
                attendee = ImportedAttendee(**cells)
            except ValidationError as exc:
                result.errors.append(invalid_row(line, exc, cells, result.columns))
                continue
            email = attendee.email.lower()
            if email in seen_emails:
                result.errors.append(
                    duplicate_in_file(line, attendee.email, seen_emails[email], result.columns)
                )
                continue
            registration_id = attendee.registration_id
            if registration_id in seen_ids:
                result.errors.append(
                    registration_id_twice(line, registration_id, seen_ids[registration_id], result.columns)
                )
                continue
            seen_emails[email] = line
            if registration_id:
                seen_ids[registration_id] = line
            result.valid.append(ParsedRow(line=line, attendee=attendee))
    except csv.Error as exc:
        raise CsvRejected(
            f"Line {reader.line_num} cannot be read: {exc}.",
            ImportFileCode.line_unreadable,
            line=reader.line_num,
        ) from exc
    if result.rows == 0:
        raise CsvRejected("The file has a header but no attendee rows.", ImportFileCode.no_rows)
    return result
