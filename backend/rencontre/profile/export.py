"""The shape of an attendee's data download (GET /api/me/export)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from rencontre.access.schemas import AccessNotice
from rencontre.contacts.schemas import Contact
from rencontre.profile.schemas import Me, ScanRecord


class MyData(BaseModel):
    """Everything stored about the attendee. Others' notes about them stay the others'."""

    exported_at: datetime
    profile: Me
    contacts: list[Contact] = Field(description="Your contacts, with your notes, tags and ratings.")
    scans: list[ScanRecord] = Field(description="Every scan your phone sent.")
    scanned_by_count: int = Field(description="How many attendees recorded you as a contact.")
    access_reissues: list[AccessNotice] = Field(
        default_factory=list, description="When the organisers re-issued your access, and who."
    )
