from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

MailLanguage = Annotated[
    Literal["fr", "en"],
    Field(description="For attendees who have not chosen a language of their own"),
]


class InvitationSelection(BaseModel):
    """Invite these attendees (again, if their invitation was sent or failed)."""

    model_config = ConfigDict(extra="forbid")

    attendee_ids: list[uuid.UUID] = Field(min_length=1, max_length=20_000)
    language: MailLanguage = "fr"


class InvitationEveryone(BaseModel):
    """Invite everyone whose invitation has not been sent."""

    model_config = ConfigDict(extra="forbid")

    everyone_not_invited: Literal[True]
    language: MailLanguage = "fr"


InvitationRequest = InvitationSelection | InvitationEveryone


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
