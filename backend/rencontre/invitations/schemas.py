from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class InvitationRequest(BaseModel):
    """Whom to invite: a selection, or everyone whose invitation has not been sent."""

    model_config = ConfigDict(extra="forbid")

    attendee_ids: list[uuid.UUID] | None = Field(default=None, min_length=1, max_length=20_000)
    everyone_not_invited: bool = False
    language: Literal["fr", "en"] = Field(
        default="fr", description="For attendees who have not chosen a language of their own"
    )

    @model_validator(mode="after")
    def _one_audience(self) -> InvitationRequest:
        if (self.attendee_ids is None) == (not self.everyone_not_invited):
            raise ValueError("give either attendee_ids or everyone_not_invited: true, not both")
        return self


class InvitationCounts(BaseModel):
    """Attendees by invitation state; `pending` is "not sent"."""

    pending: int = 0
    queued: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    joined: int = 0


class InvitationProgress(BaseModel):
    mail_configured: bool = Field(
        description="Whether an SMTP server is set up; if not, only the CSV remains"
    )
    counts: InvitationCounts


class InvitationsQueued(InvitationProgress):
    queued_now: int = Field(description="Invitations this request put in the queue")


class InvitationPreview(BaseModel):
    language: Literal["fr", "en"]
    to: str
    subject: str
    text: str
    html: str = Field(description="The HTML part; its QR code is the `qr_png_base64` image")
    qr_png_base64: str
