from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class CheckInRequest(BaseModel):
    """One of ``badge`` (what the badge's QR code holds) or ``attendee_id`` (a manual search)."""

    model_config = ConfigDict(extra="forbid")

    badge: Annotated[str, Field(min_length=1, max_length=512)] | None = Field(
        default=None, description="The badge's QR code content: its link or its bare token."
    )
    attendee_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def one_of(self) -> Self:
        if (self.badge is None) == (self.attendee_id is None):
            raise ValueError("give either badge (the QR code's content) or attendee_id, not both nor neither")
        return self


class CheckIn(BaseModel):
    attendee_id: uuid.UUID
    name: str
    company: str
    arrived_at: datetime = Field(description="When they arrived: this check-in, or an earlier arrival.")
    already: bool = Field(description="They had arrived already (checked in, or scanned during the event).")


class Introduced(BaseModel):
    attendee_id: uuid.UUID
    introduced_at: datetime = Field(description="When staff first marked them introduced.")
