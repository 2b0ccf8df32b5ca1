from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from rencontre.formats.schemas import MySession

MAX_MESSAGE_BYTES = 8192
# A phone holds a handful of sessions; more in its hello is a bug or an attack.
MAX_VERSIONS = 50


class LiveTicketOut(BaseModel):
    ticket: str
    expires_at: datetime


class HelloMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["auth"]
    ticket: str = Field(min_length=1, max_length=64)
    versions: dict[uuid.UUID, Annotated[int, Field(ge=0, le=2**53)]] = Field(
        default_factory=dict, max_length=MAX_VERSIONS
    )


class PingMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["ping"]
    sent_at: float | None = Field(default=None, description="The phone's clock (ms), echoed in the pong.")


PhoneMessage = Annotated[HelloMessage | PingMessage, Field(discriminator="type")]
phone_message: TypeAdapter[HelloMessage | PingMessage] = TypeAdapter(PhoneMessage)


class SessionFrame(BaseModel):
    type: Literal["session"] = "session"
    session: MySession


class SessionGoneFrame(BaseModel):
    """A session the phone showed was deleted by the organiser."""

    type: Literal["session_gone"] = "session_gone"
    session_id: uuid.UUID


class PongFrame(BaseModel):
    type: Literal["pong"] = "pong"
    sent_at: float | None
    server_now: datetime


class ErrorFrame(BaseModel):
    type: Literal["error"] = "error"
    code: str
    detail: str
