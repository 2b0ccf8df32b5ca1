"""The attendee's own profile and data rights: read, edit, export, delete."""

from __future__ import annotations

import asyncio
import base64
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.access import service as access_service
from rencontre.access.schemas import AccessNotice
from rencontre.attendees.schemas import Objective, SharedField
from rencontre.config import Settings
from rencontre.contacts import service as contact_service
from rencontre.db import checkpoint_after_commit
from rencontre.errors import NotFound, Unprocessable
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event, ProfilePhoto
from rencontre.nextsteps import service as next_step_service
from rencontre.passkeys import service as passkey_service
from rencontre.people import service as people_service
from rencontre.profile import cards, photos, repository
from rencontre.profile.export import AccountRecord, ExportedPhoto, MyData
from rencontre.profile.schemas import EventInfo, Me, MeUpdate, PublicCard, ScanRecord
from rencontre.push import repository as push_repository

MAX_BADGE_VERSION = 255


def placeholder_email(attendee_id: uuid.UUID) -> str:
    """Unique per attendee (the e-mail is unique per event) and deliverable nowhere."""
    return f"deleted-{attendee_id.hex}@deleted.invalid"


class ObjectiveOtherWithoutOther(Unprocessable):
    title = "Other objective not chosen"


class PhotoNotFound(NotFound):
    title = "No such photo"


def _me(attendee: Attendee, event: Event) -> Me:
    return Me.model_validate(
        {
            **{name: getattr(attendee, name) for name in Me.model_fields if name not in ("event", "photo")},
            "photo": cards.photo_links(attendee.photo_key),
            "event": EventInfo.model_validate(event),
        }
    )


async def get_me(session: AsyncSession, attendee: Attendee) -> Me:
    return _me(attendee, await repository.event(session, attendee.event_id))


async def update_me(session: AsyncSession, attendee: Attendee, changes: MeUpdate) -> Me:
    values = changes.model_dump(exclude_unset=True, mode="json")
    objectives = values.get("objectives", attendee.objectives or [])
    if values.get("objective_other") and Objective.other not in objectives:
        raise ObjectiveOtherWithoutOther(
            'Words for "other" need "other" among your objectives: choose it, or leave the words out.'
        )
    if Objective.other not in objectives:
        # Words for an objective no longer chosen would linger unseen on the card's source.
        values["objective_other"] = ""
    for field, value in values.items():
        setattr(attendee, field, value)
    await session.flush()
    return await get_me(session, attendee)


# Profile photos (issue 16).


def photo_limits(settings: Settings) -> photos.PhotoLimits:
    return photos.PhotoLimits(
        max_bytes=settings.max_photo_bytes,
        max_pixels=settings.max_photo_pixels,
        min_side=settings.min_photo_side,
    )


async def set_photo(
    session: AsyncSession, settings: Settings, attendee: Attendee, content_type: str, data: bytes
) -> Me:
    """Keep a new photo (re-encoded, metadata gone) under a new key.

    A first photo is shared at once: a face is added to be recognised by the people one
    meets, and the profile shows the choice beside it to take back. Replacing a photo
    keeps whatever the attendee chose.
    """
    photos.check_media_type(content_type)
    # Decoding and encoding take tens of milliseconds: off the event loop.
    clean = await asyncio.to_thread(photos.clean, data, photo_limits(settings))
    stored = await repository.photo_of(session, attendee.id)
    key = photos.new_key()
    if stored is None:
        session.add(
            ProfilePhoto(
                attendee_id=attendee.id, key=key, small=clean.small, medium=clean.medium, large=clean.large
            )
        )
    else:
        stored.key, stored.small, stored.medium, stored.large = key, clean.small, clean.medium, clean.large
        stored.created_at = utcnow()
    if attendee.photo_key is None and SharedField.photo not in (attendee.shared_fields or []):
        attendee.shared_fields = [*(attendee.shared_fields or []), SharedField.photo.value]
    attendee.photo_key = key
    await session.flush()
    return await get_me(session, attendee)


async def delete_photo(session: AsyncSession, attendee: Attendee) -> Me:
    await _forget_photo(session, attendee)
    checkpoint_after_commit(session)
    return await get_me(session, attendee)


async def _forget_photo(session: AsyncSession, attendee: Attendee) -> None:
    await repository.delete_photo(session, attendee.id)
    attendee.photo_key = None
    await session.flush()


_COLUMN_OF_SIZE = {side: name for name, side in photos.SIZES.items()}


async def photo(session: AsyncSession, viewer: Attendee, key: str, size: int) -> bytes:
    """One size of a photo, for its owner, or for an attendee of the same event when shared.

    Anything else is "no such photo", so an address tells nothing about a photo one may not see.
    """
    found = await repository.photo_by_key(session, key, _COLUMN_OF_SIZE[size])
    if found is not None:
        data, owner = found
        if owner.id == viewer.id or (
            owner.event_id == viewer.event_id
            and owner.deleted_at is None
            and SharedField.photo in (owner.shared_fields or [])
        ):
            return data
    raise PhotoNotFound("There is no photo you may see at this address.")


def my_card(attendee: Attendee) -> PublicCard:
    return cards.public_card(attendee, language=cards.language_of(attendee))


async def export_me(session: AsyncSession, attendee: Attendee, *, locked: bool) -> MyData:
    event, contacts = await contact_service.all_contacts(session, attendee, locked=locked)
    scans = [ScanRecord.model_validate(s) for s in await contact_service.scans_by(session, attendee)]
    scanned_by = await contact_service.times_scanned(session, attendee)
    own_photo = await repository.photo_of(session, attendee.id)
    return MyData(
        photo=(
            ExportedPhoto(
                media_type=photos.MEDIA_TYPE,
                size=photos.SIZES["large"],
                data_base64=base64.b64encode(own_photo.large).decode(),
            )
            if own_photo is not None
            else None
        ),
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
    await next_step_service.forget(session, attendee)
    await passkey_service.forget(session, attendee)
    await access_service.forget(session, attendee)
    await push_repository.forget(session, [attendee.id])
    await people_service.forget(session, attendee)
    attendee.name = ""
    attendee.email = placeholder_email(attendee.id)
    # A later import of the registration list adds them afresh rather than matching a tombstone.
    attendee.registration_id = None
    attendee.language = ""
    await blank_profile(session, attendee)
    attendee.access_version += 1
    attendee.badge_version = min(attendee.badge_version + 1, MAX_BADGE_VERSION)
    attendee.last_seen_at = None
    attendee.deleted_at = utcnow()
    await session.flush()
    checkpoint_after_commit(session)


async def blank_profile(session: AsyncSession, attendee: Attendee) -> None:
    """Empty what others may see of the attendee (their card): erasure, and the retention purge
    of someone who keeps contacts (their name, e-mail and sign-in stay, for them alone)."""
    for field in ("company", "job_title", "phone", "website", "linkedin", "pitch", "objective_other"):
        setattr(attendee, field, "")
    attendee.objectives = []
    attendee.interests = []
    attendee.shared_fields = []
    attendee.offers = []
    attendee.seeks = []
    attendee.open_to_chat = False
    attendee.directory_opt_in = False
    await _forget_photo(session, attendee)
