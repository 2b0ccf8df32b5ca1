from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from rencontre.kit.strict import StrictBool


class RetentionStatus(BaseModel):
    """What the attendee's "my data" page shows: what is kept, until when, and why."""

    event_name: str
    event_ends_at: datetime
    retention_days: int = Field(description="Days the event's data is kept after it ends.")
    purge_at: datetime = Field(description="When profiles, contacts and notes of the event are erased.")
    purged_at: datetime | None = Field(description="When they were erased; null until then.")
    warning: bool = Field(description="The erasure is less than a week away: the app shows a banner.")
    keep_all: bool = Field(description="Every contact is kept past the erasure, not only those marked.")
    contacts: int = Field(description="Your contacts of the event.")
    kept: int = Field(description="Those that stay after the erasure (with your note and their card).")


class RetentionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    keep_all: StrictBool


class KeptContact(BaseModel):
    contact_id: uuid.UUID
    kept: bool
