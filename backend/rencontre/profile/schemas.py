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
    ValidationInfo,
    field_validator,
)
from pydantic.json_schema import SkipJsonSchema

from rencontre.attendees.schemas import Interests, Objective, Phone, Pitch, SharedField, Url
from rencontre.kit.strict import StrictBool
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


def _distinct_objectives(values: list[Objective]) -> list[Objective]:
    return list(dict.fromkeys(values))


def _few_words(value: str) -> str:
    value = clean_line(value)
    if len(value.split()) > MAX_OBJECTIVE_OTHER_WORDS:
        raise ValueError(f"must be a few words (at most {MAX_OBJECTIVE_OTHER_WORDS})")
    return value


MAX_OBJECTIVE_OTHER_WORDS = 8
Objectives = Annotated[
    list[Objective], Field(max_length=len(Objective)), AfterValidator(_distinct_objectives)
]
ObjectiveOther = Annotated[str, Field(max_length=60), AfterValidator(_few_words)]
WebAddress = Annotated[Url, AfterValidator(_web_address)]
LinkedIn = Annotated[Url, AfterValidator(_linkedin)]
DistinctInterests = Annotated[Interests, AfterValidator(_distinct_interests)]
SharedFields = Annotated[
    list[SharedField], Field(max_length=len(SharedField)), AfterValidator(_distinct_fields)
]


class PhotoLinks(BaseModel):
    """Where a profile photo is served, square WebP at three sizes. The addresses change with
    the photo; fetching one needs a signed-in attendee of the event (see GET /api/photos)."""

    small: str = Field(description="96 px a side.")
    medium: str = Field(description="256 px a side.")
    large: str = Field(description="512 px a side.")


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
    objectives: list[str] = Field(default_factory=list, description="Codes, in the person's order.")
    objective_other: str = Field(default="", description='Their own words for "other", if chosen.')
    interests: list[str] = Field(default_factory=list)
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    linkedin: str | None = None
    photo: PhotoLinks | None = Field(default=None, description="Only when the person shares their photo.")
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
    objectives: list[str]
    objective_other: str
    interests: list[str]
    shared_fields: list[str]
    phone: str
    website: str
    linkedin: str
    language: str
    joined_at: datetime | None
    photo: PhotoLinks | None = Field(description="Your photo, if you added one (shared or not).")
    offers: list[str]
    seeks: list[str]
    open_to_chat: bool
    directory_opt_in: bool
    event: EventInfo
    # Who scanned me (issue 16).
    scan_notices: bool = Field(description="Whether you are told who scanned you.")


class MeUpdate(BaseModel):
    """Fields left out stay as they are; an empty string clears a text field."""

    model_config = ConfigDict(extra="forbid")

    pitch: Pitch | SkipJsonSchema[None] = Field(
        default=None, description="One or two lines, at most 280 characters."
    )
    objectives: Objectives | SkipJsonSchema[None] = Field(
        default=None, description="Your objectives for the event, several allowed; empty to clear."
    )
    objective_other: ObjectiveOther | SkipJsonSchema[None] = Field(
        default=None,
        description='A few words for "other" (needs "other" among the objectives); empty to clear.',
    )
    interests: DistinctInterests | SkipJsonSchema[None] = Field(default=None, description="At most 12.")
    shared_fields: SharedFields | SkipJsonSchema[None] = Field(
        default=None, description="The contact details a person who scans you receives."
    )
    phone: Phone | SkipJsonSchema[None] = None
    website: WebAddress | SkipJsonSchema[None] = None
    linkedin: LinkedIn | SkipJsonSchema[None] = None
    language: Language | SkipJsonSchema[None] = None
    # Who scanned me (issue 16).
    scan_notices: StrictBool | SkipJsonSchema[None] = Field(
        default=None,
        description="Be told who scanned you (on by default); whoever scans you never learns it.",
    )
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

    @field_validator("objective_other")
    @classmethod
    def _other_words_need_other(cls, value: str, info: ValidationInfo) -> str:
        objectives = info.data.get("objectives")
        if value and objectives is not None and Objective.other not in objectives:
            raise ValueError('words for "other" need "other" among the objectives')
        return value


class ScanRecord(BaseModel):
    """One scan request received from this attendee's phone."""

    model_config = ConfigDict(from_attributes=True)

    client_id: uuid.UUID
    contact_id: uuid.UUID = Field(validation_alias="encounter_id")
    created: bool = Field(description="Whether this scan created the contact (else it updated it).")
    received_at: datetime
