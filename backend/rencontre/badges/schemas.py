from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from rencontre.profile.schemas import PublicCard


class DirectoryCard(BaseModel):
    """What a phone holding a person's badge may know of them offline: no contact detail.

    Sealed in the offline cache (``SealedDirectory``), never sent in clear to everyone."""

    badge_code: str = Field(description="The attendee code a badge token carries (bytes 4–10, in hex).")
    name: str
    company: str
    job_title: str
    pitch: str
    objective: str
    interests: list[str]
    token: str = Field(description="The badge token: a scan is recorded with it, as if the QR were read.")


class BadgeLink(BaseModel):
    token: str = Field(description="The signed badge token.")
    url: str = Field(description="What the badge's QR code encodes: {public_base_url}/b/{token}.")
    badge_code: str
    short_code: str = Field(description="The short code printed under the QR code, e.g. 7KQM2X.")


# Short badge codes and the sealed offline card cache.


class SealedCard(BaseModel):
    id: str = Field(description="Where the card is filed: HKDF of the badge token, or of the code's key.")
    iv: str = Field(description="The AES-GCM nonce (base64url).")
    box: str = Field(description="The card sealed with AES-256-GCM, the id as associated data (base64url).")


class SealedDirectory(BaseModel):
    """The event's cards for offline scanning, each opening only with its badge or short code.

    Each card is filed twice: under its badge token and under its short code (after
    PBKDF2-HMAC-SHA256 with ``iterations`` and the event's ``salt``); entries are ordered by
    id, so nothing says which two belong together. The opened card is a ``DirectoryCard``
    plus the badge ``token`` (what its QR code carries)."""

    format: Literal["rencontre-sealed-cards/1"]
    salt: str = Field(description="The event's salt (base64url) for both derivations.")
    iterations: int = Field(description="PBKDF2-HMAC-SHA256 iterations for a short code.")
    complete: bool = Field(description="False while some short codes are still being sealed: fetch later.")
    cards: list[SealedCard]


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
