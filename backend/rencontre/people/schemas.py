from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from rencontre.kit.text import clean_line
from rencontre.profile.schemas import PublicCard

# What the reader knows of a request between them and a person: "sent" covers a request
# still waiting and one its recipient let be, so that the two cannot be told apart.
MeetState = Literal["none", "sent", "received", "match"]
Reason = Annotated[str, Field(max_length=140), AfterValidator(clean_line)]


class PersonEntry(BaseModel):
    """A person in the directory, as the reader may see them."""

    card: PublicCard
    prompts: list[str] = Field(
        description="Two or three questions drawn from the card, in the reader's language."
    )
    meet: MeetState = Field(description='Where an "I\'d like to meet you" between you two stands.')
    met: bool = Field(default=False, description="A match that became a scan between you.")


class PeoplePage(BaseModel):
    items: list[PersonEntry]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last one.")
    total: int = Field(description="People matching the search and filters (you excluded).")


class Prompts(BaseModel):
    prompts: list[str]


class MeetRequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: uuid.UUID = Field(description="The attendee you would like to meet (their card's attendee_id).")
    reason: Reason = Field(
        default="", description="An optional line the other person sees, 140 characters at most."
    )


class MeetRequestSent(BaseModel):
    state: Literal["sent", "match"] = Field(
        description="`match` when the other person had already asked to meet you; otherwise `sent`."
    )


class ReceivedRequest(BaseModel):
    id: uuid.UUID
    person: PublicCard
    reason: str
    created_at: datetime
    prompts: list[str]


class SentRequest(BaseModel):
    """A request of yours not (yet) answered by a match: whether it was let be is never said."""

    id: uuid.UUID
    person: PublicCard
    created_at: datetime


class Match(BaseModel):
    id: uuid.UUID
    person: PublicCard
    matched_at: datetime
    met: bool = Field(description="A scan between you two since the match.")
    prompts: list[str]


class MeetRequests(BaseModel):
    received: list[ReceivedRequest] = Field(description="Requests waiting for your answer, newest first.")
    sent: list[SentRequest] = Field(description="Your requests without a match, newest first.")
    matches: list[Match] = Field(description="Both of you want to meet, newest first.")
    sent_count: int = Field(description="Requests you have sent at this event (matches included).")
    sent_cap: int = Field(description="How many you may send at this event.")


class BlockCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attendee_id: uuid.UUID


class WhoToMeetFigures(BaseModel):
    """Counts only: who asked whom is never told."""

    attendees: int = Field(description="Registered attendees (deleted accounts excluded).")
    opted_in: int = Field(description="Attendees listed in the directory.")
    requests_sent: int = Field(description='"I\'d like to meet you" requests sent.')
    matches: int = Field(description="Requests both people wanted.")
    matches_met: int = Field(description="Matches followed by a scan between the two.")
    directory_opens_at: datetime | None
