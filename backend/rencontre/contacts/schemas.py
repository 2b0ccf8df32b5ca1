from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    computed_field,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from rencontre.contacts.versions import contact_version
from rencontre.kit.strict import StrictInt
from rencontre.kit.text import clean_line, clean_text, fold
from rencontre.models import FollowUpState
from rencontre.profile.schemas import Language, PublicCard

MAX_NOTE_LENGTH = 5000
MAX_TAGS = 10
MAX_TAG_LENGTH = 30
MAX_PAGE = 100


def _tag(value: str) -> str:
    value = clean_line(value)
    if not value:
        raise ValueError("a tag must not be blank")
    return value


def _distinct_tags(values: list[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for value in values:
        if fold(value) not in seen:
            seen.add(fold(value))
            kept.append(value)
    return kept


# The length is checked against the stored note (see service.check_note_length): a note
# that rescans grew past MAX_NOTE_LENGTH may still be edited, as long as it does not grow.
Note = Annotated[str, AfterValidator(clean_text)]
Tag = Annotated[str, Field(min_length=1, max_length=MAX_TAG_LENGTH), AfterValidator(_tag)]
Tags = Annotated[list[Tag], Field(max_length=MAX_TAGS), AfterValidator(_distinct_tags)]
Rating = Annotated[int, Field(ge=1, le=5)]
FollowUpKind = Literal["message", "coffee", "resource"]


class ContactFilters(BaseModel):
    """Query of GET /api/contacts; an unknown parameter is refused rather than ignored."""

    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(
        default=None,
        max_length=100,
        description="Words found in the name, company, job title, note or tags; accents and case ignored.",
    )
    tag: str | None = Field(default=None, min_length=1, max_length=MAX_TAG_LENGTH)
    rating: Rating | None = None
    mutual: bool | None = None
    follow_up: FollowUpState | None = None
    cursor: str | None = Field(default=None, max_length=500, description="next_cursor of the previous page")
    limit: int = Field(default=50, ge=1, le=MAX_PAGE)


class Contact(BaseModel):
    """One of the attendee's own contacts; the note, tags and rating are theirs alone."""

    id: uuid.UUID
    event_id: uuid.UUID
    person: PublicCard
    note: str
    tags: list[str]
    rating: int | None
    notes_locked: bool = Field(
        default=False,
        description="Your notes are locked with a passkey this session has not presented: note, tags "
        "and rating are withheld (empty) until it does.",
    )
    mutual: bool = Field(description="The other person scanned you too.")
    met_at: datetime = Field(description="When you first scanned them (UTC).")
    met_at_local: datetime = Field(description="The same moment in the event's time zone.")
    device_at: datetime | None = Field(
        default=None,
        description="Your phone's clock when you first scanned them (UTC), as it sent it; "
        "null when it sent none. Scans queued offline arrive later than this.",
    )
    last_scanned_at: datetime
    scan_count: int
    follow_up: FollowUpState
    followed_up_at: datetime | None
    follow_up_due_at: datetime = Field(description="End of the 48-hour follow-up window.")
    follow_up_seconds_left: int = Field(ge=0, description="Seconds left in the window, 0 once over.")
    updated_at: datetime
    # Retention (issue 19)
    kept: bool = Field(
        default=False,
        description="You chose to keep this contact past the event's retention (see /api/me/retention).",
    )

    @computed_field(  # type: ignore[prop-decorator]
        description="This state of the contact, also sent as the ETag header. To edit it safely, "
        'send it back in double quotes as If-Match (If-Match: "<version>"): if the contact changed '
        "meanwhile (you met again and a note was added), the edit is refused with 412."
    )
    @property
    def version(self) -> str:
        """Derived from what every change moves, so it is never stored nor out of step."""
        return contact_version(self.id, self.updated_at, self.scan_count)


class ContactPage(BaseModel):
    items: list[Contact]
    next_cursor: str | None = None


class ContactUpdate(BaseModel):
    """Fields left out stay as they are; ``rating: null`` removes the rating."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})

    note: Note | SkipJsonSchema[None] = Field(
        default=None,
        description=f"The whole note, at most {MAX_NOTE_LENGTH} characters; a note that later "
        "meetings made longer than that may keep its length but not grow.",
    )
    tags: Tags | SkipJsonSchema[None] = Field(
        default=None, description=f"At most {MAX_TAGS} tags of {MAX_TAG_LENGTH} characters."
    )
    rating: Annotated[StrictInt, Field(ge=1, le=5)] | None = None
    follow_up: FollowUpState | SkipJsonSchema[None] = None

    @field_validator("note", "tags", "follow_up", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("cannot be null; send an empty value to clear it")
        return value

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("nothing to change: give note, tags, rating or follow_up")
        return self


class FollowUpDraft(BaseModel):
    """A message for the attendee's own mail app; the server sends nothing."""

    kind: FollowUpKind
    language: Language
    quotes_note: bool = Field(description="The body quotes your private note (only when you asked).")
    subject: str
    body: str
    mailto: str = Field(description="Addressed only if the person shares their e-mail.")
