from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from rencontre.kit.strict import StrictInt
from rencontre.kit.text import non_blank_line
from rencontre.models import Audience, FormatKind, Phase, SessionState
from rencontre.profile.schemas import PublicCard

# The bounds a room can live with: a round long enough to say hello, a session that ends
# the same evening, a group small enough to talk while walking.
MAX_ROUNDS = 60
ROUND_SECONDS = (60, 3_600)
BREAK_SECONDS = (0, 1_800)
GROUP_SIZE = (2, 8)
MAX_TABLES = 1_000


Name = Annotated[str, Field(min_length=1, max_length=80), AfterValidator(non_blank_line)]
TableName = Annotated[str, Field(min_length=1, max_length=40), AfterValidator(non_blank_line)]


class SessionCreate(BaseModel):
    """A session as the organiser sets it up; it starts later (``…/start``)."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    kind: FormatKind
    audience: Audience = Audience.present
    table_names: list[TableName] = Field(
        default_factory=list,
        max_length=MAX_TABLES,
        description="The tables' or groups' names in order; tables beyond are numbered.",
    )
    group_min: Annotated[StrictInt, Field(ge=GROUP_SIZE[0], le=GROUP_SIZE[1])] | None = Field(
        default=None, description="Walk & talk only (default 3)."
    )
    group_max: Annotated[StrictInt, Field(ge=GROUP_SIZE[0], le=GROUP_SIZE[1])] | None = Field(
        default=None, description="Walk & talk only (default 5)."
    )
    rounds_total: Annotated[StrictInt, Field(ge=1, le=MAX_ROUNDS)]
    round_seconds: Annotated[StrictInt, Field(ge=ROUND_SECONDS[0], le=ROUND_SECONDS[1])]
    break_seconds: Annotated[StrictInt, Field(ge=BREAK_SECONDS[0], le=BREAK_SECONDS[1])] = 0

    @model_validator(mode="after")
    def _groups(self) -> Self:
        if self.kind is not FormatKind.walk_and_talk:
            if self.group_min is not None or self.group_max is not None:
                raise ValueError("group_min and group_max are for walk & talk sessions only")
            return self
        low = 3 if self.group_min is None else self.group_min
        high = max(low, 5) if self.group_max is None else self.group_max
        if low > high:
            raise ValueError("group_min must not exceed group_max")
        self.group_min, self.group_max = low, high
        return self

    @model_validator(mode="after")
    def _distinct_tables(self) -> Self:
        if len({name.casefold() for name in self.table_names}) != len(self.table_names):
            raise ValueError("two tables have the same name")
        return self


class Extension(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seconds: Annotated[StrictInt, Field(ge=10, le=1_800, description="Added to the phase under way.")]


class Hosts(BaseModel):
    """A reverse forum's hosts: they keep a table while guests rotate."""

    model_config = ConfigDict(extra="forbid")

    attendee_ids: list[uuid.UUID] = Field(max_length=MAX_TABLES)


class Clock(BaseModel):
    """Where a session stands, by the server's clock: every screen counts down from it."""

    state: SessionState
    current_round: int = Field(description="0 before the start; the round under way or just played.")
    rounds_total: int
    phase: Phase
    phase_ends_at: datetime | None = Field(description="When the round or break ends (absent when paused).")
    seconds_left: float | None = Field(description="Left in the phase, as of server_now.")
    server_now: datetime = Field(description="The server's time: phones correct their own clock by it.")
    version: int = Field(description="Bumped by every change; a screen holding it is up to date.")


class SessionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    kind: FormatKind
    audience: Audience
    table_names: list[str]
    group_min: int
    group_max: int
    round_seconds: int
    break_seconds: int
    participants: int = Field(description="Taking part now (present and not opted out, or signed up).")
    hosts: int
    clock: Clock


class TableOut(BaseModel):
    """A table on the wall screen: its name and how many sit at it, never who."""

    index: int
    name: str
    seats: int


class Board(BaseModel):
    """The wall screen: the round, the time left and the tables."""

    session: SessionOut
    tables: list[TableOut]


class Openers(BaseModel):
    """One or two conversation openers, in each language the app speaks: the phone shows its
    own, offline too, without asking again."""

    fr: list[str] = Field(max_length=2)
    en: list[str] = Field(max_length=2)


class SeatMate(BaseModel):
    """Someone at my table: their card as they share it, and their badge as its QR says."""

    card: PublicCard
    badge: str | None = Field(
        description="What their badge's QR encodes: saving them at the round's end is an ordinary "
        "scan of it (POST /api/scans), offline too. Absent for a deleted account."
    )
    openers: Openers = Field(
        description="Questions to start with, drawn from their card only (what they share); "
        "none for a deleted account or an empty card."
    )


class Seat(BaseModel):
    """Where I sit this round, and whom I meet there."""

    round: int
    table: int
    table_name: str
    host: bool = Field(description="I keep this table (reverse forum host).")
    people: list[SeatMate]


class MySession(BaseModel):
    id: uuid.UUID
    name: str
    kind: FormatKind
    audience: Audience
    taking_part: bool = Field(description="I am placed in the coming rounds.")
    clock: Clock
    seat: Seat | None = Field(
        description="This round's seat; absent before the start, in a break or when not placed."
    )
