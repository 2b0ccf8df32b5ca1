from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from rencontre.profile.schemas import Language


def _b64url(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("must be base64url, as the browser's subscription.toJSON() gives it") from exc


def _p256dh(value: str) -> str:
    raw = _b64url(value)
    if len(raw) != 65 or raw[0] != 4:
        raise ValueError("must be the browser's P-256 public key: 65 bytes, uncompressed, base64url")
    return value


def _auth(value: str) -> str:
    if len(_b64url(value)) != 16:
        raise ValueError("must be the browser's 16-byte auth secret, base64url")
    return value


P256dh = Annotated[str, Field(min_length=80, max_length=100), AfterValidator(_p256dh)]
AuthSecret = Annotated[str, Field(min_length=16, max_length=30), AfterValidator(_auth)]


class PushKeys(BaseModel):
    model_config = ConfigDict(extra="forbid")

    p256dh: P256dh
    auth: AuthSecret


class SubscriptionIn(BaseModel):
    """What ``PushSubscription.toJSON()`` gives in the browser, and the app's language."""

    model_config = ConfigDict(extra="ignore")

    endpoint: str = Field(
        min_length=10, max_length=1000, description="The push service's URL for this phone."
    )
    keys: PushKeys
    language: Language | None = Field(default=None, description="Reminders in this language.")


class Unsubscribe(BaseModel):
    model_config = ConfigDict(extra="forbid")

    endpoint: str = Field(min_length=1, max_length=1000)


class PushKey(BaseModel):
    public_key: str = Field(
        description="The VAPID public key (base64url): PushManager.subscribe's applicationServerKey."
    )


class Subscription(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    created_at: datetime
    language: str
