"""An attendee's contacts as a spreadsheet (CSV, .xlsx) and as an address book (vCard 3.0).

All are built from :class:`Contact`, whose card already holds only what each person
chose to share. The spreadsheets speak the attendee's language: headers, yes/no, the
follow-up state and the quick tags in words, never the app's internal codes, and every
time in the event's time zone. A French CSV is separated by ``;`` (the comma is the
decimal mark there), so that it opens in columns with a double click.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import vobject
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from rencontre.contacts.messages import long_date
from rencontre.contacts.schemas import Contact
from rencontre.kit.csvfile import csv_bytes
from rencontre.models import FollowUpState
from rencontre.profile.schemas import Language

CSV_COLUMNS = (
    "name",
    "company",
    "job_title",
    "email",
    "phone",
    "website",
    "linkedin",
    "pitch",
    "note",
    "tags",
    "rating",
    "mutual",
    "met_at",
    "follow_up",
    "followed_up_at",
    "follow_up_due_at",
    "event",
    "contact_id",
)
HEADERS: dict[Language, dict[str, str]] = {
    "fr": {
        "name": "Nom",
        "company": "Entreprise",
        "job_title": "Fonction",
        "email": "E-mail",
        "phone": "Téléphone",
        "website": "Site web",
        "linkedin": "LinkedIn",
        "pitch": "Présentation",
        "note": "Note",
        "tags": "Étiquettes",
        "rating": "Potentiel (sur 5)",
        "mutual": "Scan mutuel",
        "met_at": "Rencontré le",
        "follow_up": "Relance",
        "followed_up_at": "Relancé le",
        "follow_up_due_at": "À relancer avant le",
        "event": "Événement",
        "contact_id": "Identifiant",
    },
    "en": {
        "name": "Name",
        "company": "Company",
        "job_title": "Job title",
        "email": "E-mail",
        "phone": "Phone",
        "website": "Website",
        "linkedin": "LinkedIn",
        "pitch": "Pitch",
        "note": "Note",
        "tags": "Tags",
        "rating": "Potential (out of 5)",
        "mutual": "Mutual scan",
        "met_at": "Met on",
        "follow_up": "Follow-up",
        "followed_up_at": "Followed up on",
        "follow_up_due_at": "Follow up before",
        "event": "Event",
        "contact_id": "Contact ID",
    },
}
# The PWA's quick tags (frontend/src/attendee/format.ts), worded as its catalogues word them.
# "follow_up" is no longer offered (the follow-up state says it) but older contacts carry it.
QUICK_TAGS: dict[Language, dict[str, str]] = {
    "fr": {
        "follow_up": "À relancer",
        "hot_lead": "Piste chaude",
        "partner": "Partenaire",
        "candidate": "Candidat",
        "investor": "Investisseur",
        "speaker": "Intervenant",
    },
    "en": {
        "follow_up": "Follow up",
        "hot_lead": "Hot lead",
        "partner": "Partner",
        "candidate": "Candidate",
        "investor": "Investor",
        "speaker": "Speaker",
    },
}
FOLLOW_UP: dict[Language, dict[FollowUpState, str]] = {
    "fr": {FollowUpState.todo: "À faire", FollowUpState.done: "Faite"},
    "en": {FollowUpState.todo: "To do", FollowUpState.done: "Done"},
}
YES_NO: dict[Language, tuple[str, str]] = {"fr": ("Oui", "Non"), "en": ("Yes", "No")}
DATE_FORMAT: dict[Language, str] = {"fr": "%d/%m/%Y %H:%M", "en": "%Y-%m-%d %H:%M"}
XLSX_DATE_FORMAT: dict[Language, str] = {"fr": "dd/mm/yyyy hh:mm", "en": "yyyy-mm-dd hh:mm"}
CSV_DELIMITER: dict[Language, str] = {"fr": ";", "en": ","}
MET_AT: dict[Language, str] = {"fr": "Rencontré à {event} le {date}", "en": "Met at {event} on {date}"}
TAG_SEPARATOR = ", "
VCARD_MEDIA_TYPE = "text/vcard; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def tag_label(tag: str, language: Language) -> str:
    return QUICK_TAGS[language].get(tag, tag)


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """The event's wall-clock time, without offset: what a spreadsheet cell can hold."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment is not None else None


def export_rows(
    contacts: Sequence[Contact], *, event_name: str, timezone: str, language: Language
) -> list[list[Any]]:
    """One row a contact, in :data:`CSV_COLUMNS` order: text, whole numbers and local times."""
    zone = ZoneInfo(timezone)
    yes, no = YES_NO[language]
    rows = []
    for contact in contacts:
        person = contact.person
        rows.append(
            [
                person.name,
                person.company,
                person.job_title,
                person.email,
                person.phone,
                person.website,
                person.linkedin,
                person.pitch,
                contact.note,
                TAG_SEPARATOR.join(tag_label(tag, language) for tag in contact.tags),
                contact.rating,
                yes if contact.mutual else no,
                _local(contact.met_at, zone),
                FOLLOW_UP[language][contact.follow_up],
                _local(contact.followed_up_at, zone),
                _local(contact.follow_up_due_at, zone),
                event_name,
                str(contact.id),
            ]
        )
    return rows


def header(language: Language) -> list[str]:
    return [HEADERS[language][column] for column in CSV_COLUMNS]


def contacts_csv(
    contacts: Sequence[Contact], *, event_name: str, timezone: str = "UTC", language: Language = "en"
) -> bytes:
    rows = export_rows(contacts, event_name=event_name, timezone=timezone, language=language)
    text_rows = [
        [cell.strftime(DATE_FORMAT[language]) if isinstance(cell, datetime) else cell for cell in row]
        for row in rows
    ]
    return csv_bytes(header(language), text_rows, delimiter=CSV_DELIMITER[language])


def contacts_xlsx(
    contacts: Sequence[Contact], *, event_name: str, timezone: str = "UTC", language: Language = "en"
) -> bytes:
    """The CSV's columns as an Excel workbook whose dates are dates and ratings numbers."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = "Contacts"
    sheet.append(header(language))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export_rows(contacts, event_name=event_name, timezone=timezone, language=language):
        # The file format has no room for most control characters; openpyxl refuses them.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = XLSX_DATE_FORMAT[language]
            elif isinstance(cell.value, str):
                # openpyxl takes "=…" for a formula: an attendee's text is always text.
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(CSV_COLUMNS, start=1):
        wide = column in ("note", "pitch", "contact_id")
        sheet.column_dimensions[get_column_letter(index)].width = 40 if wide else 18
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _split_name(name: str) -> tuple[str, str]:
    """(given, family): the last word is taken as the family name."""
    words = name.split()
    if len(words) < 2:
        return name, ""
    return " ".join(words[:-1]), words[-1]


def vcard_note(contact: Contact, *, event_name: str, language: Language) -> str:
    """Where and when the two met (the event's calendar day), then the attendee's own note."""
    met = MET_AT[language].format(event=event_name, date=long_date(contact.met_at_local.date(), language))
    return f"{met}\n\n{contact.note}" if contact.note else met


def contact_vcard(contact: Contact, *, event_name: str, language: Language = "en") -> Any:
    person = contact.person
    card = vobject.vCard()
    card.add("fn").value = person.name
    given, family = _split_name(person.name)
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    if person.company:
        card.add("org").value = [person.company]
    if person.job_title:
        card.add("title").value = person.job_title
    if person.email:
        email = card.add("email")
        email.value = person.email
        email.type_param = "INTERNET"
    if person.phone:
        card.add("tel").value = person.phone
    for address in (person.website, person.linkedin):
        if address:
            card.add("url").value = address
    card.add("note").value = vcard_note(contact, event_name=event_name, language=language)
    card.add("categories").value = [event_name]
    return card


def contacts_vcf(contacts: Sequence[Contact], *, event_name: str, language: Language = "en") -> str:
    """One .vcf holding every contact (CRLF lines, folded at 75 octets by vobject)."""
    return "".join(contact_vcard(c, event_name=event_name, language=language).serialize() for c in contacts)
