from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from rencontre.kit.strict import JsonDatetime
from rencontre.kit.text import clean_line, clean_text
from rencontre.models import NextStepKind, NextStepState
from rencontre.profile.addresses import web_address
from rencontre.profile.schemas import PublicCard

MAX_PLACE = 200
MAX_LINK = 500
MAX_MESSAGE = 500
MIN_DURATION = 10
MAX_DURATION = 480
DEFAULT_DURATION = 30
DATED_KINDS = frozenset({NextStepKind.coffee, NextStepKind.call})


def _link(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    address = web_address(value)
    if address is None:
        raise ValueError("must be a web address starting with http:// or https://")
    return address


def _whole_number(value: Any) -> Any:
    """A JSON number without a fraction (3 or 3.0, as JSON Schema's integer), never text or a boolean."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a whole number, e.g. 3")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("must be a whole number, e.g. 3")
        return int(value)
    return value


_WHOLE = BeforeValidator(_whole_number)
Place = Annotated[str, Field(max_length=MAX_PLACE), AfterValidator(clean_line)]
Link = Annotated[str, Field(max_length=MAX_LINK), AfterValidator(_link)]
Message = Annotated[str, Field(max_length=MAX_MESSAGE), AfterValidator(clean_text)]
Version = Annotated[int, Field(ge=1), _WHOLE, Field(description="The step's `version` you are answering.")]


class ProposalTerms(BaseModel):
    """What is proposed: a coffee or a call at a time (and place or link), or a resource to send."""

    model_config = ConfigDict(extra="forbid")

    kind: NextStepKind
    starts_at: JsonDatetime | None = Field(
        default=None,
        description="When the coffee or call starts, with its offset (required for them, absent for a "
        "resource); in the future, within the event's horizon.",
    )
    duration_minutes: Annotated[int, Field(ge=MIN_DURATION, le=MAX_DURATION), _WHOLE] | None = Field(
        default=None, description=f"Default {DEFAULT_DURATION} for a coffee or a call."
    )
    place: Place = Field(default="", description=f"Where to meet, at most {MAX_PLACE} characters.")
    link: Link = Field(default="", description="A video-call link: http(s) only.")
    message: Message = Field(
        default="",
        description=f"A few words, at most {MAX_MESSAGE} characters; for a resource, which one (required).",
    )

    @model_validator(mode="after")
    def _fits_its_kind(self) -> Self:
        if self.kind in DATED_KINDS:
            if self.starts_at is None:
                raise ValueError(f"a {self.kind.value} needs starts_at: the date and time you propose")
            if self.duration_minutes is None:
                self.duration_minutes = DEFAULT_DURATION
        else:
            if self.starts_at is not None or self.duration_minutes is not None:
                raise ValueError("a resource has no date: leave starts_at and duration_minutes out")
            if self.place or self.link:
                raise ValueError("a resource has no place or link: say which resource in message")
            if not self.message:
                raise ValueError("say in message which resource you would like to receive")
        return self


class CounterProposal(ProposalTerms):
    version: Version


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Version


class Proposal(BaseModel):
    number: int = Field(description="1 for the first proposal, then one more per counter-proposal.")
    by_me: bool = Field(description="You made this proposal.")
    kind: NextStepKind
    starts_at: datetime | None
    starts_at_local: datetime | None = Field(description="The same moment in the event's time zone.")
    duration_minutes: int | None
    place: str
    link: str
    message: str
    proposed_at: datetime


class NextStep(BaseModel):
    """A next step as one of its two people sees it: never a note, tag or rating of either."""

    id: uuid.UUID
    contact_id: uuid.UUID = Field(description="Your contact with the other person.")
    person: PublicCard = Field(description="The other person, as they share themselves.")
    state: NextStepState
    version: int = Field(description="Send it back with an answer: a superseded proposal is never answered.")
    awaiting_me: bool = Field(description="A proposal is waiting for your answer.")
    proposed_by_me: bool = Field(description="The current proposal is yours.")
    closed_by_me: bool = Field(description="You declined or cancelled it.")
    current: Proposal = Field(description="The latest proposal: what was agreed once agreed.")
    history: list[Proposal] = Field(description="Every proposal, the first one first.")
    has_calendar: bool = Field(description="A calendar file exists: a coffee or a call that was agreed.")
    agreed_at: datetime | None
    updated_at: datetime


class NextStepSlot(BaseModel):
    """A contact's next step: the open one, else the last one, and whether one may be proposed."""

    mutual: bool = Field(description="A next step needs both of you to have scanned each other.")
    can_propose: bool = Field(description="Mutual, and no step is proposed or agreed.")
    step: NextStep | None


class NextStepList(BaseModel):
    items: list[NextStep]
