from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from rencontre.kit.strict import JsonDatetime, StrictBool, StrictInt
from rencontre.kit.text import clean_line, non_blank_line


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"'{value}' is not a known time zone (e.g. Europe/Paris)") from exc
    return value


TimeZone = Annotated[str, Field(max_length=64), AfterValidator(_time_zone)]
EventName = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(non_blank_line)]
Venue = Annotated[str, Field(max_length=200), AfterValidator(clean_line)]
RetentionDays = Annotated[
    StrictInt,
    Field(
        ge=1,
        le=3650,
        description="Days attendees' profiles, contacts and notes are kept after the event ends; then "
        "they are erased, except the contacts an attendee chose to keep.",
    ),
]


class EventBase(BaseModel):
    name: EventName
    starts_at: JsonDatetime
    ends_at: JsonDatetime
    timezone: TimeZone = "Europe/Paris"
    venue: Venue = ""
    feed_shows_names: StrictBool = Field(
        default=False,
        description="Whether live-feed frames name the two people who just met.",
    )
    # Retention (issue 19)
    retention_days: RetentionDays = 90
    directory_opens_at: JsonDatetime | None = Field(
        default=None,
        description=(
            "When attendees who opted in start seeing each other in the directory "
            "(before the event ends); null keeps the directory closed."
        ),
    )


class EventCreate(EventBase):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if self.directory_opens_at is not None and self.directory_opens_at >= self.ends_at:
            raise ValueError("directory_opens_at must be before ends_at")
        return self


class EventUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: EventName | SkipJsonSchema[None] = None
    starts_at: JsonDatetime | SkipJsonSchema[None] = None
    ends_at: JsonDatetime | SkipJsonSchema[None] = None
    timezone: TimeZone | SkipJsonSchema[None] = None
    venue: Venue | SkipJsonSchema[None] = None
    feed_shows_names: StrictBool | SkipJsonSchema[None] = None
    # Retention (issue 19)
    retention_days: RetentionDays | SkipJsonSchema[None] = None
    directory_opens_at: JsonDatetime | None = Field(
        default=None, description="Null closes the directory; left out, it stays as it is."
    )


class Event(EventBase):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    slug: str
    created_at: datetime
    attendee_count: int = 0
