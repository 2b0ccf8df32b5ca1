"""The shape of an attendee's data download (GET /api/me/export)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from rencontre.access.schemas import AccessNotice
from rencontre.contacts.schemas import Contact
from rencontre.models import InviteState
from rencontre.passkeys.schemas import PasskeyOut
from rencontre.profile.schemas import Me, ScanRecord


class AccountRecord(BaseModel):
    """What the service keeps about the account itself, beside the profile."""

    model_config = ConfigDict(from_attributes=True)

    registered_at: datetime = Field(validation_alias="created_at", description="When you were registered.")
    invite_state: InviteState = Field(description="Whether your join link was handed out, and used.")
    last_seen_at: datetime | None = Field(description="Your last activity.")
    arrived_at: datetime | None = Field(
        description="When you arrived at the venue: checked in at the door, or your first scan during "
        "the event. It counts you as present on the organisers' dashboard."
    )
    introduced_at: datetime | None = Field(
        description="When the organisers' staff noted they had introduced you to someone (never to whom)."
    )
    badge_version: int = Field(description="Raised each time your badge was re-issued.")
    access_version: int = Field(description="Raised each time your access was re-issued.")


class ExportedPhoto(BaseModel):
    """Your profile photo as the service keeps it (its largest size)."""

    media_type: str
    size: int = Field(description="Pixels a side (the photo is square).")
    data_base64: str


class MyData(BaseModel):
    """Everything stored about the attendee. Others' notes about them stay the others'."""

    exported_at: datetime
    profile: Me
    account: AccountRecord
    contacts: list[Contact] = Field(
        description="Your contacts, with your notes, tags, ratings and your phone's time of the scan."
    )
    scans: list[ScanRecord] = Field(description="Every scan your phone sent.")
    scanned_by_count: int = Field(description="How many attendees recorded you as a contact.")
    passkeys: list[PasskeyOut] = Field(
        default_factory=list, description="The passkeys that lock your notes (their names and dates)."
    )
    access_reissues: list[AccessNotice] = Field(
        default_factory=list, description="When the organisers re-issued your access, and who."
    )
    photo: ExportedPhoto | None = Field(default=None, description="Your profile photo, if you added one.")
