from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class CheckInByBadge(BaseModel):
    """A check-in by badge: what its QR code holds."""

    model_config = ConfigDict(extra="forbid")

    badge: str = Field(
        min_length=1, max_length=512, description="The badge's QR code content: its link or its bare token."
    )


class CheckInById(BaseModel):
    """A check-in by attendee id (found by name, badge forgotten)."""

    model_config = ConfigDict(extra="forbid")

    attendee_id: uuid.UUID


CheckInRequest = CheckInByBadge | CheckInById


class CheckIn(BaseModel):
    attendee_id: uuid.UUID
    name: str
    company: str
    arrived_at: datetime = Field(description="When they arrived: this check-in, or an earlier arrival.")
    already: bool = Field(description="They had arrived already (checked in, or scanned during the event).")


class Introduced(BaseModel):
    attendee_id: uuid.UUID
    introduced_at: datetime = Field(description="When staff first marked them introduced.")
