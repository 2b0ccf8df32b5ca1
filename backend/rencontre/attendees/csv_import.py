"""Reading attendee lists as registration tools export them.

UTF-8 with or without BOM (Windows-1252 as a fallback for old spreadsheet
exports), comma or semicolon, quoted fields, French and English column names,
and an explicit mapping for the rest. Every bad row is reported with its line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from rencontre.attendees.schemas import AttendeeCreate
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
}


class CsvRejected(Exception):
    """The file as a whole cannot be read (encoding, header, size)."""


@dataclass
class ParsedRow:
    line: int
    attendee: AttendeeCreate


@dataclass
class ParseResult:
    rows: int = 0
    valid: list[ParsedRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)


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
        raise CsvRejected("The file is not text encoded as UTF-8; export it as CSV UTF-8.") from exc


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
                    f"Unknown field '{target}' in the column mapping; use one of {', '.join(FIELDS)}."
                )
            index = by_key.get(_key(header))
            if index is None:
                raise CsvRejected(f"The mapping names a column '{header}' that the file lacks.")
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
            "No e-mail column found (expected e.g. 'email', 'e-mail' or 'courriel'); map it explicitly."
        )
    if "name" not in columns and not ("first_name" in columns or "last_name" in columns):
        raise CsvRejected(
            "No name column found (expected e.g. 'name', 'first name'/'last name' or "
            "'prénom'/'nom'); map it explicitly."
        )
    return columns


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ()))
    message = str(err.get("msg", "invalid"))
    return f"{where}: {message}" if where else message


def parse_attendees(data: bytes, *, max_rows: int, mapping: dict[str, str] | None = None) -> ParseResult:
    text = _decode(data)
    if not text.strip():
        raise CsvRejected("The file is empty.")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        headers = next(reader)
    except csv.Error as exc:
        raise CsvRejected(f"The header line cannot be read: {exc}.") from exc
    columns = _map_columns(headers, mapping)
    result = ParseResult(columns={t: headers[i] for t, i in columns.items()})
    seen_emails: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            result.rows += 1
            if result.rows > max_rows:
                raise CsvRejected(f"The file has more than {max_rows} rows; split it.")
            if len(row) > len(headers):
                result.errors.append((line, f"{len(row)} fields where the header has {len(headers)}"))
                continue
            values = {t: row[i].strip() if i < len(row) else "" for t, i in columns.items()}
            name = values.pop("name", "") or " ".join(
                p for p in (values.pop("first_name", ""), values.pop("last_name", "")) if p
            )
            values.pop("first_name", None)
            values.pop("last_name", None)
            try:
                attendee = AttendeeCreate(name=name, **values)
            except ValidationError as exc:
                result.errors.append((line, _first_error(exc)))
                continue
            email = attendee.email.lower()
            if email in seen_emails:
                result.errors.append((line, f"e-mail {attendee.email} already on line {seen_emails[email]}"))
                continue
            seen_emails[email] = line
            result.valid.append(ParsedRow(line=line, attendee=attendee))
    except csv.Error as exc:
        raise CsvRejected(f"Line {reader.line_num} cannot be read: {exc}.") from exc
    if result.rows == 0:
        raise CsvRejected("The file has a header but no attendee rows.")
    return result
