from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from rencontre.kit.text import clean_line


class AccessReissueRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(max_length=280), AfterValidator(clean_line)] = Field(
        default="", description="Why, in a few words; the attendee reads it."
    )


class AccessRecord(BaseModel):
    """A re-issue of an attendee's access: when, by which organiser account, why."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    reissued_at: datetime = Field(validation_alias="created_at")
    organiser_name: str
    organiser_email: str
    reason: str


class AccessNotice(AccessRecord):
    """What the attendee is told; ``dismissed_at`` is set once they have read it."""

    dismissed_at: datetime | None


class ReissuedAccess(BaseModel):
    join_link: str = Field(description="A new join link; it works once.")
    record: AccessRecord
