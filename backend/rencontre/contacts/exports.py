"""An attendee's contacts as a spreadsheet (CSV) and as an address book (vCard 3.0).

Both are built from :class:`Contact`, whose card already holds only what each
person chose to share.
"""

from __future__ import annotations

from typing import Any

import vobject

from rencontre.contacts.schemas import Contact
from rencontre.kit.csvfile import csv_bytes

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
    "met_at_local",
    "follow_up",
    "followed_up_at",
    "follow_up_due_at",
    "event",
    "contact_id",
)
TAG_SEPARATOR = "; "
VCARD_MEDIA_TYPE = "text/vcard; charset=utf-8"


def _iso(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def contacts_csv(contacts: list[Contact], *, event_name: str) -> bytes:
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
                TAG_SEPARATOR.join(contact.tags),
                contact.rating,
                contact.mutual,
                _iso(contact.met_at),
                _iso(contact.met_at_local),
                contact.follow_up.value,
                _iso(contact.followed_up_at),
                _iso(contact.follow_up_due_at),
                event_name,
                str(contact.id),
            ]
        )
    return csv_bytes(CSV_COLUMNS, rows)


def _split_name(name: str) -> tuple[str, str]:
    """(given, family): the last word is taken as the family name."""
    words = name.split()
    if len(words) < 2:
        return name, ""
    return " ".join(words[:-1]), words[-1]


def contact_vcard(contact: Contact, *, event_name: str) -> Any:
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
    if contact.note:
        card.add("note").value = contact.note
    card.add("categories").value = [event_name]
    return card


def contacts_vcf(contacts: list[Contact], *, event_name: str) -> str:
    """One .vcf holding every contact (CRLF lines, folded at 75 octets by vobject)."""
    return "".join(contact_vcard(c, event_name=event_name).serialize() for c in contacts)
