"""What an import does with each valid row, decided before anything is written.

A row matches a registered attendee by the registration tool's id when both have one,
else by e-mail (case-insensitive). A matched row is skipped, or updated when the
organiser asks; the rest are added. An update changes the details the organiser owns
(name, company, job title, the e-mail when the row was matched by its id, the
registration id when the attendee has none). Phone, website and LinkedIn are the
attendee's to edit in the app, and edits are not tracked: they are filled from the file
only while the attendee has never joined. An empty cell never erases a value. Badge,
access, invitation state and everything the attendee wrote are never touched.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass

from rencontre.attendees.csv_import import ParsedRow, RowProblem, shown
from rencontre.attendees.schemas import FieldChange, ImportRowCode, PlannedRow, SkipReason
from rencontre.models import Attendee

ORGANISER_FIELDS = ("name", "company", "job_title")
# Editable by the attendee in the app: the file's value only reaches someone who never joined.
ATTENDEE_FIELDS = ("phone", "website", "linkedin")


def already_registered(row: ParsedRow, columns: dict[str, str]) -> RowProblem:
    """A row that would give someone the e-mail of another attendee already in the event."""
    email = row.attendee.email
    return RowProblem(
        row.line,
        ImportRowCode.email_already_registered,
        f"e-mail {email} is already registered",
        "email",
        columns.get("email"),
        {"value": shown(email)},
    )


def registration_id_conflict(row: ParsedRow, registered: str, columns: dict[str, str]) -> RowProblem:
    """The e-mail is registered under another registration id: two people, or an id changed at the source."""
    email = row.attendee.email
    return RowProblem(
        row.line,
        ImportRowCode.registration_id_conflict,
        f"e-mail {email} is registered with the registration id {registered}, "
        f"not {row.attendee.registration_id}",
        "registration_id",
        columns.get("registration_id"),
        {
            "value": shown(row.attendee.registration_id),
            "email": shown(email),
            "registered": shown(registered),
        },
    )


def matched_twice(row: ParsedRow, first_line: int) -> RowProblem:
    return RowProblem(
        row.line,
        ImportRowCode.attendee_matched_twice,
        f"the attendee this row matches is already matched by line {first_line}",
        params={"first_line": first_line},
    )


@dataclass
class Update:
    row: ParsedRow
    attendee: Attendee
    changes: dict[str, tuple[str, str]]


@dataclass
class Plan:
    to_add: list[ParsedRow] = dataclasses.field(default_factory=list)
    to_update: list[Update] = dataclasses.field(default_factory=list)
    to_skip: list[tuple[Update, SkipReason]] = dataclasses.field(default_factory=list)
    errors: list[RowProblem] = dataclasses.field(default_factory=list)


def _changes(
    row: ParsedRow, attendee: Attendee, provided: set[str], *, by_id: bool
) -> dict[str, tuple[str, str]]:
    data = row.attendee
    fields = list(ORGANISER_FIELDS)
    if attendee.joined_at is None:
        fields.extend(ATTENDEE_FIELDS)
    changes: dict[str, tuple[str, str]] = {}
    for field in fields:
        after = getattr(data, field)
        before = getattr(attendee, field)
        if field in provided and after and after != before:
            changes[field] = (before, after)
    if by_id and data.email.lower() != attendee.email.lower():
        changes["email"] = (attendee.email, data.email)
    if data.registration_id and not attendee.registration_id:
        changes["registration_id"] = ("", data.registration_id)
    return changes


def plan_import(
    rows: list[ParsedRow],
    *,
    provided: set[str],
    columns: dict[str, str],
    registered: list[Attendee],
    taken_emails: set[str],
    update: bool,
) -> Plan:
    """``registered`` are the event's live attendees; ``taken_emails`` every e-mail its rows hold
    (lower case), removed attendees' placeholders included."""
    by_id = {a.registration_id: a for a in registered if a.registration_id}
    by_email = {a.email.lower(): a for a in registered}
    matched: dict[uuid.UUID, int] = {}
    plan = Plan()
    for row in rows:
        data = row.attendee
        attendee = by_id.get(data.registration_id) if data.registration_id else None
        found_by_id = attendee is not None
        if attendee is None:
            attendee = by_email.get(data.email.lower())
            if attendee and data.registration_id and attendee.registration_id:
                plan.errors.append(registration_id_conflict(row, attendee.registration_id, columns))
                continue
        if attendee is None:
            plan.to_add.append(row)
            continue
        if attendee.id in matched:
            plan.errors.append(matched_twice(row, matched[attendee.id]))
            continue
        matched[attendee.id] = row.line
        changes = _changes(row, attendee, provided, by_id=found_by_id)
        if "email" in changes and data.email.lower() in taken_emails:
            plan.errors.append(already_registered(row, columns))
            continue
        entry = Update(row, attendee, changes)
        if not changes:
            plan.to_skip.append((entry, SkipReason.unchanged))
        elif update:
            plan.to_update.append(entry)
        else:
            plan.to_skip.append((entry, SkipReason.existing))
    return plan


def apply(update: Update) -> None:
    for field, (_, after) in update.changes.items():
        setattr(update.attendee, field, after)


def planned(row: ParsedRow, update: Update | None = None, reason: SkipReason | None = None) -> PlannedRow:
    """A row as the preview lists it: name, e-mail and company as they will be stored."""
    data = row.attendee
    return PlannedRow(
        line=row.line,
        name=data.name,
        email=data.email,
        company=data.company,
        attendee_id=update.attendee.id if update else None,
        changes=[FieldChange(field=f, before=b, after=a) for f, (b, a) in update.changes.items()]
        if update
        else [],
        reason=reason,
    )
