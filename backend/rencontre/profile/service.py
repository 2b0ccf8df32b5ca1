"""The attendee's own profile and data rights: read, edit, export, delete."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.access import service as access_service
from rencontre.access.schemas import AccessNotice
from rencontre.contacts import service as contact_service
from rencontre.db import checkpoint_after_commit
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event
from rencontre.passkeys import service as passkey_service
from rencontre.profile import cards, repository
from rencontre.profile.export import AccountRecord, MyData
from rencontre.profile.schemas import EventInfo, Me, MeUpdate, PublicCard, ScanRecord

MAX_BADGE_VERSION = 255


def placeholder_email(attendee_id: uuid.UUID) -> str:
    """Unique per attendee (the e-mail is unique per event) and deliverable nowhere."""
    return f"deleted-{attendee_id.hex}@deleted.invalid"


def _me(attendee: Attendee, event: Event) -> Me:
    return Me.model_validate(
        {
            **{name: getattr(attendee, name) for name in Me.model_fields if name != "event"},
            "event": EventInfo.model_validate(event),
        }
    )


async def get_me(session: AsyncSession, attendee: Attendee) -> Me:
    return _me(attendee, await repository.event(session, attendee.event_id))


async def update_me(session: AsyncSession, attendee: Attendee, changes: MeUpdate) -> Me:
    for field, value in changes.model_dump(exclude_unset=True, mode="json").items():
        setattr(attendee, field, value)
    await session.flush()
    return await get_me(session, attendee)


def my_card(attendee: Attendee) -> PublicCard:
    return cards.public_card(attendee, language=cards.language_of(attendee))


async def export_me(session: AsyncSession, attendee: Attendee, *, locked: bool) -> MyData:
    event, contacts = await contact_service.all_contacts(session, attendee, locked=locked)
    scans = [ScanRecord.model_validate(s) for s in await contact_service.scans_by(session, attendee)]
    scanned_by = await contact_service.times_scanned(session, attendee)
    return MyData(
        passkeys=await passkey_service.passkeys_of(session, attendee),
        exported_at=utcnow(),
        profile=_me(attendee, event),
        account=AccountRecord.model_validate(attendee),
        contacts=contacts,
        scans=scans,
        scanned_by_count=scanned_by,
        access_reissues=[
            AccessNotice.model_validate(r) for r in await access_service.records(session, attendee)
        ],
    )


async def delete_me(session: AsyncSession, attendee: Attendee) -> None:
    """The attendee's own choice: everything of theirs goes, nothing of anyone else's."""
    await erase(session, attendee)


async def erase(session: AsyncSession, attendee: Attendee) -> None:
    """Blank the profile, revoke every token and badge, and remove the own notes.

    Account deletion and an organiser's removal both come here. The row stays as a
    tombstone so that others' contacts still point somewhere: they show a "deleted
    attendee" card carrying no data, and keep their own notes. On SQLite the freed
    pages are zeroed (``secure_delete``) and the write-ahead log emptied once committed,
    so the erased text is gone from the disk too.
    """
    await contact_service.forget_author(session, attendee)
    await passkey_service.forget(session, attendee)
    await access_service.forget(session, attendee)
    attendee.name = ""
    attendee.email = placeholder_email(attendee.id)
    # A later import of the registration list adds them afresh rather than matching a tombstone.
    attendee.registration_id = None
    for field in ("company", "job_title", "phone", "website", "linkedin", "pitch", "objective", "language"):
        setattr(attendee, field, "")
    attendee.interests = []
    attendee.shared_fields = []
    attendee.offers = []
    attendee.seeks = []
    attendee.open_to_chat = False
    attendee.directory_opt_in = False
    attendee.access_version += 1
    attendee.badge_version = min(attendee.badge_version + 1, MAX_BADGE_VERSION)
    attendee.last_seen_at = None
    attendee.deleted_at = utcnow()
    await session.flush()
    checkpoint_after_commit(session)
