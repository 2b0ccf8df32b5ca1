"""Attendee rules for organisers: one e-mail per event, badges and access re-issued."""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.access import service as access_service
from rencontre.attendees import reimport, repository
from rencontre.attendees.csv_import import CsvRejected, parse_attendees
from rencontre.attendees.schemas import (
    AttendeeCreate,
    AttendeeUpdate,
    ExistingRows,
    ImportFileCode,
    ImportReport,
)
from rencontre.auth import service as auth_service
from rencontre.badges import short_code
from rencontre.config import Settings
from rencontre.errors import BadRequest, Conflict, NotFound, PayloadTooLarge, Unprocessable
from rencontre.kit.csvfile import csv_bytes
from rencontre.kit.pagination import decode_cursor, encode_cursor
from rencontre.kit.text import clean_line
from rencontre.kit.time import utcnow
from rencontre.models import AccessReissue, Attendee, Event, InviteState, Organiser
from rencontre.profile import service as profile_service

MAX_BADGE_VERSION = 255


class AttendeeNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such attendee in this event.")


class AttendeeAlreadyJoined(Conflict):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name} has already joined with their link, which works once. If they lost their phone, "
            "re-issue their access: every session of theirs ends and they are told."
        )


class DuplicateEmail(Conflict):
    def __init__(self, email: str) -> None:
        super().__init__(f"An attendee with the e-mail {email} is already registered for this event.")


class AttendeesChangedMeanwhile(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "This event's attendees were changed by someone else at the same moment (the same "
            "e-mail added twice, for instance); nothing was saved. Try again."
        )


async def _flush(session: AsyncSession) -> None:
    """Write now; a check made before (e-mail free, code free) that another request beat is a 409."""
    try:
        await session.flush()
    except IntegrityError as exc:
        raise AttendeesChangedMeanwhile() from exc


async def get_attendee(session: AsyncSession, event: Event, attendee_id: uuid.UUID) -> Attendee:
    attendee = await repository.get(session, event.id, attendee_id)
    if attendee is None:
        raise AttendeeNotFound()
    return attendee


async def list_attendees(
    session: AsyncSession, event: Event, *, query: str | None, cursor: str | None, limit: int
) -> tuple[list[Attendee], str | None, int]:
    after = None
    if cursor:
        values = decode_cursor(cursor, ("name", "id"))
        try:
            after = (str(values["name"]), uuid.UUID(str(values["id"])))
        except ValueError as exc:
            raise BadRequest("The cursor is malformed; start again without it.") from exc
    # PostgreSQL refuses a NUL byte in any text, and a search needs no control character.
    query = clean_line(query) if query else None
    rows, total = await repository.page(session, event.id, query=query, after=after, limit=limit + 1)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor({"name": rows[-1].name, "id": str(rows[-1].id)})
    return rows, next_cursor, total


async def new_badge_codes(session: AsyncSession, count: int) -> list[str]:
    codes: list[str] = []
    while len(codes) < count:
        batch = [secrets.token_hex(6) for _ in range(count - len(codes))]
        taken = await repository.badge_codes_taken(session, batch)
        codes.extend(c for c in dict.fromkeys(batch) if c not in taken and c not in codes)
    return codes


async def new_short_codes(session: AsyncSession, event_id: uuid.UUID, count: int) -> list[str]:
    """Short codes free in this event: unique per event, so two people never share one at the door."""
    codes: list[str] = []
    while len(codes) < count:
        batch = [short_code.generate() for _ in range(count - len(codes))]
        taken = await repository.short_codes_taken(session, event_id, batch)
        codes.extend(c for c in dict.fromkeys(batch) if c not in taken and c not in codes)
    return codes


async def add_attendee(session: AsyncSession, event: Event, data: AttendeeCreate) -> Attendee:
    if await repository.email_taken(session, event.id, data.email):
        raise DuplicateEmail(data.email)
    [code] = await new_badge_codes(session, 1)
    [short] = await new_short_codes(session, event.id, 1)
    attendee = Attendee(event_id=event.id, badge_code=code, short_code=short, **data.model_dump())
    session.add(attendee)
    await _flush(session)
    return attendee


async def update_attendee(
    session: AsyncSession, event: Event, attendee_id: uuid.UUID, data: AttendeeUpdate
) -> Attendee:
    attendee = await get_attendee(session, event, attendee_id)
    changes = data.model_dump(exclude_unset=True)
    if ("name" in changes and changes["name"] is None) or ("email" in changes and changes["email"] is None):
        raise Unprocessable("The name and the e-mail cannot be emptied.")
    if changes.get("email") and await repository.email_taken(
        session, event.id, changes["email"], besides=attendee.id
    ):
        raise DuplicateEmail(changes["email"])
    for field, value in changes.items():
        if value is not None:
            setattr(attendee, field, value)
    await _flush(session)
    return attendee


async def remove_attendee(session: AsyncSession, event: Event, attendee_id: uuid.UUID) -> None:
    """The removed person's own profile, contacts and notes go, as if they deleted their account;
    the contacts others made of them, with their notes, stay theirs."""
    attendee = await get_attendee(session, event, attendee_id)
    await profile_service.erase(session, attendee)


async def reissue_badge(session: AsyncSession, event: Event, attendee_id: uuid.UUID) -> Attendee:
    attendee = await get_attendee(session, event, attendee_id)
    if attendee.badge_version >= MAX_BADGE_VERSION:
        raise Conflict("This badge has been re-issued too many times; add the attendee again.")
    attendee.badge_version += 1
    # The old short code stops working with the old QR code.
    [attendee.short_code] = await new_short_codes(session, event.id, 1)
    attendee.short_code_key = None
    await session.flush()
    return attendee


async def reissue_access(
    session: AsyncSession, event: Event, attendee_id: uuid.UUID, organiser: Organiser, *, reason: str
) -> tuple[Attendee, AccessReissue]:
    attendee = await get_attendee(session, event, attendee_id)
    record = await access_service.reissue(session, attendee, organiser, reason=reason)
    return attendee, record


async def access_reissues(session: AsyncSession, event: Event, attendee_id: uuid.UUID) -> list[AccessReissue]:
    return await access_service.records(session, await get_attendee(session, event, attendee_id))


async def invitable_attendee(session: AsyncSession, event: Event, attendee_id: uuid.UUID) -> Attendee:
    """The attendee, if their join link is still unused. Showing the link sends nothing: the
    state says what reached the attendee (an e-mail, or the CSV handed to a mail-merge)."""
    attendee = await get_attendee(session, event, attendee_id)
    if attendee.join_link_used:
        raise AttendeeAlreadyJoined(attendee.name)
    return attendee


INVITES_CSV_HEADER = ("name", "email", "company", "join_link", "status")


async def invites_csv(session: AsyncSession, settings: Settings, event: Event) -> bytes:
    """Every unused join link, for a mail-merge; handing them out counts as sending.

    A link already used gives no new one: its row says ``joined`` and the link stays empty.
    """
    rows = []
    for attendee in await repository.all_live(session, event.id):
        if attendee.join_link_used:
            rows.append((attendee.name, attendee.email, attendee.company, "", InviteState.joined.value))
            continue
        if attendee.invite_state is InviteState.pending:
            attendee.invite_state = InviteState.sent
        rows.append(
            (
                attendee.name,
                attendee.email,
                attendee.company,
                auth_service.invite_link(settings, attendee),
                # Joined before, and their access was re-issued since: the new link is unused.
                "reissued" if attendee.invite_state is InviteState.joined else attendee.invite_state.value,
            )
        )
    await session.flush()
    return csv_bytes(INVITES_CSV_HEADER, rows)


async def import_csv(
    session: AsyncSession,
    event: Event,
    data: bytes,
    *,
    dry_run: bool,
    existing: ExistingRows,
    mapping: dict[str, str] | None,
    max_bytes: int,
    max_rows: int,
) -> ImportReport:
    """Plan every row (a dry run stops there); carry out the whole plan, or nothing if a row is bad.

    Rows matching a registered attendee are skipped or updated as ``existing`` says (see
    ``reimport``). Refusals carry a ``code`` and ``params`` beside the English detail, as
    the rows do, so that the console can word them in the organiser's language.
    """
    if len(data) > max_bytes:
        kib = max_bytes // 1024
        raise PayloadTooLarge(
            f"The file is larger than {kib} KiB; split it.",
            code=ImportFileCode.file_too_large,
            params={"max_kib": kib},
        )
    try:
        parsed = parse_attendees(data, max_rows=max_rows, mapping=mapping)
    except CsvRejected as exc:
        raise Unprocessable(str(exc), code=exc.code, params=exc.params) from exc
    plan = reimport.plan_import(
        parsed.valid,
        provided=parsed.provided,
        columns=parsed.columns,
        registered=await repository.all_live(session, event.id),
        taken_emails=await repository.existing_emails(session, event.id),
        update=existing is ExistingRows.update,
    )
    errors = sorted([*parsed.errors, *plan.errors], key=lambda problem: problem.line)
    if errors and not dry_run:
        raise Unprocessable(
            f"{len(errors)} row(s) are not valid, so nothing was imported; fix them and retry.",
            code=ImportFileCode.rows_invalid,
            params={"count": len(errors)},
            errors=[problem.to_schema().model_dump(mode="json") for problem in errors],
        )
    if not dry_run:
        for update in plan.to_update:
            reimport.apply(update)
        codes = await new_badge_codes(session, len(plan.to_add))
        short_codes = await new_short_codes(session, event.id, len(plan.to_add))
        now = utcnow()
        session.add_all(
            Attendee(
                event_id=event.id,
                badge_code=code,
                short_code=short,
                created_at=now,
                **row.attendee.model_dump(exclude={"registration_id"}),
                registration_id=row.attendee.registration_id or None,
            )
            for code, short, row in zip(codes, short_codes, plan.to_add, strict=True)
        )
        await _flush(session)
    return ImportReport(
        dry_run=dry_run,
        existing=existing,
        rows=parsed.rows,
        valid=len(plan.to_add) + len(plan.to_update) + len(plan.to_skip),
        created=0 if dry_run else len(plan.to_add),
        updated=0 if dry_run else len(plan.to_update),
        skipped=0 if dry_run else len(plan.to_skip),
        errors=[problem.to_schema() for problem in errors],
        columns=parsed.columns,
        to_add=[reimport.planned(row) for row in plan.to_add],
        to_update=[reimport.planned(u.row, u) for u in plan.to_update],
        to_skip=[reimport.planned(u.row, u, reason) for u, reason in plan.to_skip],
    )
