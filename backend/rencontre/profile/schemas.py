from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
)
from pydantic.json_schema import SkipJsonSchema

from rencontre.attendees.schemas import Interests, Objective, Phone, Pitch, SharedField, Url
from rencontre.kit.text import clean_line, fold
from rencontre.profile.addresses import web_address

Language = Literal["fr", "en"]


def _distinct_interests(values: list[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for value in values:
        if fold(value) not in seen:
            seen.add(fold(value))
            kept.append(value)
    return kept


def _non_blank(value: str) -> str:
    value = clean_line(value)
    if not value:
        raise ValueError("must not be blank")
    return value


def _distinct_fields(values: list[SharedField]) -> list[SharedField]:
    return list(dict.fromkeys(values))


def _web_address(value: str) -> str:
    if not value:
        return value
    address = web_address(value)
    if address is None:
        raise ValueError("must be a web address such as https://example.org")
    return address


def _linkedin(value: str) -> str:
    if not value:
        return value
    address = web_address(value, bare_handle_prefix="https://www.linkedin.com/in/")
    if address is None:
        raise ValueError("must be a LinkedIn profile address or handle, e.g. https://www.linkedin.com/in/zoe")
    return address


def _objective(value: str) -> str:
    if value and value not in Objective.__members__:
        raise ValueError(f"must be one of {', '.join(Objective)}, or empty")
    return value


ObjectiveChoice = Annotated[
    str,
    AfterValidator(_objective),
    WithJsonSchema({"type": "string", "enum": ["", *Objective]}),
]
WebAddress = Annotated[Url, AfterValidator(_web_address)]
LinkedIn = Annotated[Url, AfterValidator(_linkedin)]
DistinctInterests = Annotated[Interests, AfterValidator(_distinct_interests)]
SharedFields = Annotated[list[SharedField], Field(max_length=4), AfterValidator(_distinct_fields)]


def _switch(value: Any) -> Any:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


# An on/off choice, typed as JSON true/false (a named validator keeps the error on the field).
Switch = Annotated[bool, BeforeValidator(_switch)]

# Who-to-meet: what an attendee offers and seeks, a few short lines in any language.
MAX_GIVES_ASKS = 3
GiveAsk = Annotated[str, Field(min_length=1, max_length=80), AfterValidator(_non_blank)]
GivesAsks = Annotated[list[GiveAsk], Field(max_length=MAX_GIVES_ASKS), AfterValidator(_distinct_interests)]


class PublicCard(BaseModel):
    """A person as someone who scanned them sees them: contact details only as they chose."""

    attendee_id: uuid.UUID
    badge_code: str | None = Field(description="Matches the offline directory; absent once deleted.")
    deleted: bool = Field(default=False, description="The person deleted their account: no data left.")
    name: str
    company: str = ""
    job_title: str = ""
    pitch: str = ""
    objective: str = ""
    interests: list[str] = Field(default_factory=list)
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    linkedin: str | None = None
    offers: list[str] = Field(default_factory=list, description="What they offer (who-to-meet).")
    seeks: list[str] = Field(default_factory=list, description="What they seek (who-to-meet).")
    open_to_chat: bool = Field(default=False, description='They flipped "open to chat now".')


class EventInfo(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue: str
    directory_opens_at: datetime | None = Field(
        default=None, description="When the opt-in directory opens; null while the organiser keeps it closed."
    )


class Me(BaseModel):
    """The signed-in attendee's own profile, every field included."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    event_id: uuid.UUID
    badge_code: str
    name: str
    email: str
    company: str
    job_title: str
    pitch: str
    objective: str
    interests: list[str]
    shared_fields: list[str]
    phone: str
    website: str
    linkedin: str
    language: str
    joined_at: datetime | None
    offers: list[str]
    seeks: list[str]
    open_to_chat: bool
    directory_opt_in: bool
    event: EventInfo


class MeUpdate(BaseModel):
    """Fields left out stay as they are; an empty string clears a text field."""

    model_config = ConfigDict(extra="forbid")

    pitch: Pitch | SkipJsonSchema[None] = Field(
        default=None, description="One or two lines, at most 280 characters."
    )
    objective: ObjectiveChoice | SkipJsonSchema[None] = Field(default=None, description="Empty to clear.")
    interests: DistinctInterests | SkipJsonSchema[None] = Field(default=None, description="At most 12.")
    shared_fields: SharedFields | SkipJsonSchema[None] = Field(
        default=None, description="The contact details a person who scans you receives."
    )
    phone: Phone | SkipJsonSchema[None] = None
    website: WebAddress | SkipJsonSchema[None] = None
    linkedin: LinkedIn | SkipJsonSchema[None] = None
    language: Language | SkipJsonSchema[None] = None
    offers: GivesAsks | SkipJsonSchema[None] = Field(
        default=None, description="What you offer: at most 3 short lines, shown on your card."
    )
    seeks: GivesAsks | SkipJsonSchema[None] = Field(
        default=None, description="What you seek: at most 3 short lines, shown on your card."
    )
    open_to_chat: Switch | SkipJsonSchema[None] = Field(default=None, description="Open to chat now.")
    directory_opt_in: Switch | SkipJsonSchema[None] = Field(
        default=None, description="Be listed in the event's directory (and browse it)."
    )

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("cannot be null; send an empty value to clear it")
        return value


class ScanRecord(BaseModel):
    """One scan request received from this attendee's phone."""

    model_config = ConfigDict(from_attributes=True)

    client_id: uuid.UUID
    contact_id: uuid.UUID = Field(validation_alias="encounter_id")
    created: bool = Field(description="Whether this scan created the contact (else it updated it).")
    received_at: datetime
