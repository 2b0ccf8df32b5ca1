from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field
from pydantic.json_schema import SkipJsonSchema

from rencontre.kit.text import clean_line
from rencontre.models import InviteState


def _non_blank(value: str) -> str:
    value = clean_line(value)
    if not value:
        raise ValueError("must not be blank")
    return value


class SharedField(StrEnum):
    email = "email"
    phone = "phone"
    website = "website"
    linkedin = "linkedin"


class Objective(StrEnum):
    partnership = "partnership"
    inspiration = "inspiration"
    visibility = "visibility"
    hiring = "hiring"
    learning = "learning"
    clients = "clients"
    other = "other"


Name = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(_non_blank)]
Line120 = Annotated[str, Field(max_length=120), AfterValidator(clean_line)]
Phone = Annotated[str, Field(max_length=40, pattern=r"^[0-9+().\s-]*$"), AfterValidator(clean_line)]
Url = Annotated[str, Field(max_length=200), AfterValidator(clean_line)]
Pitch = Annotated[str, Field(max_length=280), AfterValidator(clean_line)]
Interest = Annotated[str, Field(min_length=1, max_length=40), AfterValidator(_non_blank)]
Interests = Annotated[list[Interest], Field(max_length=12)]


class AttendeeFields(BaseModel):
    name: Name
    email: EmailStr
    company: Line120 = ""
    job_title: Line120 = ""
    phone: Phone = ""
    website: Url = ""
    linkedin: Url = ""


class AttendeeCreate(AttendeeFields):
    model_config = ConfigDict(extra="forbid")


class AttendeeUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | SkipJsonSchema[None] = None
    email: EmailStr | SkipJsonSchema[None] = None
    company: Line120 | None = None
    job_title: Line120 | None = None
    phone: Phone | None = None
    website: Url | None = None
    linkedin: Url | None = None


class Attendee(AttendeeFields):
    """An attendee as their organiser sees them: never their notes or contacts."""

    model_config = ConfigDict(from_attributes=True)

    email: str  # stored e-mails are not re-validated on read
    id: uuid.UUID
    event_id: uuid.UUID
    badge_version: int
    invite_state: InviteState
    joined_at: datetime | None
    created_at: datetime


class AttendeePage(BaseModel):
    items: list[Attendee]
    next_cursor: str | None = None
    total: int


class JoinLink(BaseModel):
    join_link: str


class ImportRowError(BaseModel):
    line: int = Field(description="Line number in the file (the header is line 1).")
    reason: str


class ImportReport(BaseModel):
    dry_run: bool
    rows: int = Field(description="Data rows read.")
    valid: int
    created: int
    errors: list[ImportRowError]
    columns: dict[str, str] = Field(description="Which file column feeds which field.")
