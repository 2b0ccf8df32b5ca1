from __future__ import annotations

from pydantic import BaseModel, Field


class DirectoryCard(BaseModel):
    """What anyone at the event may know about a person, for scanning offline: no contact detail."""

    badge_code: str = Field(description="The attendee code a badge token carries (bytes 4–10, in hex).")
    name: str
    company: str
    job_title: str
    pitch: str
    objectives: list[str]
    objective_other: str
    interests: list[str]


class BadgeLink(BaseModel):
    token: str = Field(description="The signed badge token.")
    url: str = Field(description="What the badge's QR code encodes: {public_base_url}/b/{token}.")
    badge_code: str
