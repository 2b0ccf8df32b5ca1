from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from rencontre.profile.schemas import Language, PublicCard
from rencontre.suggestions.reasons import ReasonKind


class ReasonOut(BaseModel):
    kind: ReasonKind
    text: str = Field(description="The reason in words, in the answer's language.")


class SuggestionOut(BaseModel):
    card: PublicCard = Field(description="The person as their card shows them: what they chose to share.")
    reason: str = Field(description="The main reason, in words (the first of ``reasons``).")
    reasons: list[ReasonOut] = Field(description="Why this person, best reason first (one to three).")


class SuggestionsOut(BaseModel):
    language: Language
    suggestions: list[SuggestionOut]
    not_now_hours: float = Field(description='How long "not now" keeps a person out of the list.')


class Dismissed(BaseModel):
    attendee_id: uuid.UUID
    until: datetime | None = Field(description='"Not now": back in the list from then; null once hidden.')


class SuggestedToMeet(BaseModel):
    """For an isolated attendee: the people at the venue they were suggested to meet."""

    attendee_id: uuid.UUID
    people: list[str] = Field(
        description="Their names (and companies), only while the event's feed shows names; else empty."
    )
    count: int = Field(description="How many present people they were suggested to meet (at most a few).")
