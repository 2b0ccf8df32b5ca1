from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from rencontre.profile.schemas import PublicCard


class BadgeLink(BaseModel):
    token: str = Field(description="The signed badge token.")
    url: str = Field(description="What the badge's QR code encodes: {public_base_url}/b/{token}.")
    badge_code: str
    short_code: str = Field(description="The short code printed under the QR code, e.g. 7KQM2X.")


# Short badge codes and the sealed offline card cache.


class SealedCard(BaseModel):
    iv: str = Field(description="The AES-GCM nonce (base64url).")
    box: str = Field(
        description='The card (JSON) sealed with AES-256-GCM under its own key, AAD "rencontre/card".'
    )


class CardLock(BaseModel):
    id: str = Field(
        description="Where the lock is filed: HKDF of the badge token, or of the code's slow key."
    )
    iv: str = Field(description="The AES-GCM nonce (base64url).")
    key: str = Field(description="The card's key sealed with AES-256-GCM, the id as associated data.")
    card: int = Field(description="The index of the card this key opens in `cards`.")


class SealedDirectory(BaseModel):
    """The event's cards for offline scanning, each opening only with its badge or short code.

    Each card is sealed once under a key of its own (``cards``, in a random order), and that
    key is locked twice (``locks``, ordered by id): under the badge token and under the short
    code (after PBKDF2-HMAC-SHA256 with ``iterations`` and the event's ``salt``). The opened
    card is a ``PublicCard`` without ids, contact details or empty fields, plus the
    badge ``token`` (what its QR code carries: record the scan with it)."""

    format: Literal["rencontre-sealed-cards/1"]
    salt: str = Field(description="The event's salt (base64url) for both derivations.")
    iterations: int = Field(description="PBKDF2-HMAC-SHA256 iterations for a short code.")
    complete: bool = Field(description="False while some short codes are still being sealed: fetch later.")
    cards: list[SealedCard]
    locks: list[CardLock]


class ShortCodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, Field(min_length=1, max_length=64)] = Field(
        description="The code printed on the badge, as typed: any case, spaces and dashes ignored."
    )


class CodeBadge(BaseModel):
    """The badge a short code names: its token (record the scan with it, as for a QR) and card."""

    token: str
    url: str
    card: PublicCard
