"""The live feed's messages, both ways, and its close codes.

Server → dashboard: ``snapshot`` (the whole picture), ``delta`` (what changed up
to ``seq`` since ``from_seq``; counts are absolute, so a frame applied twice
changes nothing; ``seq`` may equal ``from_seq`` when only the figures that move
with time changed), ``pong``, ``error``. Dashboard → server: ``auth`` first, then
``ping`` or ``resync``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import IntEnum
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter

# A client message is small: anything larger is refused (close 1009).
MAX_CLIENT_MESSAGE_BYTES = 4096


class FeedClose(IntEnum):
    """Close codes; the close reason says the rest in words."""

    GOING_AWAY = 1001  # the server is shutting down: reconnect (elsewhere)
    UNSUPPORTED_DATA = 1003  # binary frames
    POLICY_VIOLATION = 1008  # message flood, too many open feeds
    MESSAGE_TOO_BIG = 1009
    INTERNAL_ERROR = 1011
    SERVICE_RESTART = 1012
    TRY_AGAIN_LATER = 1013  # feed unavailable for a moment, or this client fell too far behind
    BAD_HELLO = 4400  # the first message was not a valid ``auth`` message
    TICKET_REFUSED = 4401  # unknown, expired or already used ticket
    FORBIDDEN = 4403  # a ticket for another event
    EVENT_NOT_FOUND = 4404
    AUTH_TIMEOUT = 4408


# Clients reconnect (with their last_seq) after these; the others need a person to act.
RECONNECT_CODES = frozenset(
    {
        FeedClose.GOING_AWAY,
        FeedClose.INTERNAL_ERROR,
        FeedClose.SERVICE_RESTART,
        FeedClose.TRY_AGAIN_LATER,
        FeedClose.TICKET_REFUSED,
        1006,  # abnormal closure: the connection dropped
    }
)


class FeedTicketOut(BaseModel):
    ticket: str = Field(description="Send it in the websocket's first message; valid once, briefly.")
    expires_at: datetime


# --- dashboard → server -------------------------------------------------------------------------


class AuthMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["auth"]
    ticket: str = Field(min_length=1, max_length=64)
    last_seq: int | None = Field(default=None, ge=0, le=2**53)


class PingMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["ping"]


class ResyncMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["resync"]


ClientMessage = Annotated[AuthMessage | PingMessage | ResyncMessage, Field(discriminator="type")]
client_message: TypeAdapter[AuthMessage | PingMessage | ResyncMessage] = TypeAdapter(ClientMessage)


# --- server → dashboard -------------------------------------------------------------------------


class CountsOut(BaseModel):
    connections: int = Field(description="Contacts recorded (A scanned B).")
    unique_pairs: int = Field(description="Pairs of people who met, whichever scanned.")
    mutual: int = Field(description="Pairs where both scanned each other.")
    active_scanners: int = Field(description="People who recorded a new connection in the last 15 minutes.")
    present: int = Field(
        description="People at the venue: checked in at the door, or scanned during the event's hours."
    )
    isolated: int = Field(
        description="Present for 20 minutes or more (from arrival) with at most one connection and not "
        "introduced by staff; moves with the lists."
    )


class BucketOut(BaseModel):
    start: AwareDatetime
    connections: int


_PER_PERSON = "People met; only while the event's feed_shows_names is on (else null or absent)."


class RankedOut(BaseModel):
    name: str
    connections: int | None = Field(default=None, description=_PER_PERSON)


class LonelyOut(BaseModel):
    id: uuid.UUID = Field(description='The attendee, for the organiser\'s "introduced" mark.')
    name: str
    company: str
    present_since: AwareDatetime = Field(description="When they arrived.")
    connections: int | None = Field(default=None, description=_PER_PERSON)


class ConnectionOut(BaseModel):
    """A connection made while names were on; with names off, no connection is listed."""

    seq: int
    at: AwareDatetime
    mutual: bool
    names: tuple[str, str] = Field(description="Who scanned whom.")


class SnapshotFrame(BaseModel):
    type: Literal["snapshot"] = "snapshot"
    event_id: uuid.UUID
    seq: int
    at: AwareDatetime
    shows_names: bool
    bucket_minutes: int
    counts: CountsOut
    timeline: list[BucketOut]
    top: list[RankedOut] = Field(description="As of the last periodic refresh of the lists.")
    isolated: list[LonelyOut] = Field(
        description="As of the last periodic refresh; the longest alone first; at most 50 (see counts)."
    )


class DeltaFrame(BaseModel):
    type: Literal["delta"] = "delta"
    event_id: uuid.UUID
    seq: int
    from_seq: int
    at: AwareDatetime
    shows_names: bool
    counts: CountsOut
    timeline: list[BucketOut] = Field(description="Only the buckets that changed, with their new totals.")
    top: list[RankedOut] | None = Field(
        default=None, description="Present when a periodic refresh changed it; never with one connection."
    )
    isolated: list[LonelyOut] | None = Field(
        default=None, description="Present when a periodic refresh changed it; never with one connection."
    )
    connections: list[ConnectionOut] = Field(
        description="The new connections made since names were turned on, in order; empty with names off."
    )


class ErrorFrame(BaseModel):
    type: Literal["error"] = "error"
    code: str
    detail: str


class PongFrame(BaseModel):
    type: Literal["pong"] = "pong"
    seq: int


ServerFrame = Annotated[SnapshotFrame | DeltaFrame | ErrorFrame | PongFrame, Field(discriminator="type")]
server_frame: TypeAdapter[SnapshotFrame | DeltaFrame | ErrorFrame | PongFrame] = TypeAdapter(ServerFrame)
