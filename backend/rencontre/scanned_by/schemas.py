from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from rencontre.profile.schemas import PublicCard


class ScanNotice(BaseModel):
    """Someone scanned you and you have not scanned them back: their card, as they share it."""

    attendee_id: uuid.UUID = Field(description="The person who scanned you; dismiss the notice with it.")
    scanned_at: datetime = Field(description="When they first scanned you.")
    qr: str = Field(
        description="Their badge link: send it as `qr` to POST /api/scans to add them back"
        " (a mutual connection)."
    )
    card: PublicCard


class ScanNotices(BaseModel):
    """Your pending notices, newest first: never the scanner's note, tags or rating."""

    enabled: bool = Field(
        description="False when you turned these notices off (`scan_notices`): nothing is listed."
    )
    count: int = Field(description="How many notices are pending (the list holds at most the newest 100).")
    items: list[ScanNotice]
