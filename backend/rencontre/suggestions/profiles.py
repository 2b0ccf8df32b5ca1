"""The scorer's view of a person: their public card, nothing more."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Protocol

from rencontre.profile import cards
from rencontre.profile.cards import CardSource
from rencontre.profile.schemas import PublicCard
from rencontre.suggestions.score import Profile


class DirectoryRow(Protocol):
    """A directory row as the scorer reads it (a card row, or only these columns)."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def company(self) -> str: ...
    @property
    def objectives(self) -> Sequence[str] | None: ...
    @property
    def interests(self) -> Sequence[str] | None: ...
    @property
    def offers(self) -> Sequence[str] | None: ...
    @property
    def seeks(self) -> Sequence[str] | None: ...
    @property
    def open_to_chat(self) -> bool: ...


def _objectives(chosen: Sequence[str]) -> tuple[str, ...]:
    # "Other" names nothing two people could share: its words are the person's own.
    return tuple(o for o in chosen if o and o != "other")


def from_card(card: PublicCard) -> Profile:
    return Profile(
        id=card.attendee_id,
        company=card.company,
        objectives=_objectives(card.objectives),
        interests=tuple(card.interests),
        offers=tuple(card.offers),
        seeks=tuple(card.seeks),
        open_to_chat=card.open_to_chat,
    )


def visible_profile(person: CardSource) -> Profile:
    """``person`` as any reader may see them: built from the card, so a score, a rank or a
    reason never rests on anything the card does not show."""
    return from_card(cards.public_card(person))


def directory_profile(row: DirectoryRow) -> Profile:
    """:func:`visible_profile` for a row of the directory (never a deleted account), without
    building the whole card: the same fields, each always on the card (tested equal)."""
    return Profile(
        id=row.id,
        company=row.company,
        objectives=_objectives(row.objectives or ()),
        interests=tuple(row.interests or ()),
        offers=tuple(row.offers or ()),
        seeks=tuple(row.seeks or ()),
        open_to_chat=row.open_to_chat,
    )
