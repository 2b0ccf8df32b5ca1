"""What other attendees may see of a person: the public card.

Every path that shows a person to someone else (contacts, exports, follow-up
drafts, the directory, conversation prompts) goes through :func:`public_card`, so a
contact detail reaches a scanner only when its owner listed it in ``shared_fields``,
and a deleted account shows nothing at all.

What a card always carries is what the attendee wrote to be seen: name, company, job
title, pitch, objective, interests, and what they offer and seek with their "open to
chat" state. The sharing choices (``shared_fields``) cover the ways to reach them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from rencontre.attendees.schemas import SharedField
from rencontre.profile.addresses import web_address
from rencontre.profile.schemas import Language, PublicCard

DEFAULT_LANGUAGE: Language = "fr"
LINKEDIN_PREFIX = "https://www.linkedin.com/in/"
_DELETED_NAME: dict[Language, str] = {"fr": "Participant supprimé", "en": "Deleted attendee"}


class Speaks(Protocol):
    @property
    def language(self) -> str: ...


def language_of(attendee: Speaks) -> Language:
    """The attendee's chosen language, French until they choose."""
    return "en" if attendee.language == "en" else DEFAULT_LANGUAGE


def deleted_name(language: Language) -> str:
    return _DELETED_NAME[language]


class CardSource(Protocol):
    """What a card is made of: an ``Attendee``, or a snapshot of its columns (a badge's holder)."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def badge_code(self) -> str: ...
    @property
    def deleted_at(self) -> datetime | None: ...
    @property
    def name(self) -> str: ...
    @property
    def company(self) -> str: ...
    @property
    def job_title(self) -> str: ...
    @property
    def pitch(self) -> str: ...
    @property
    def objective(self) -> str: ...
    @property
    def interests(self) -> Sequence[str]: ...
    @property
    def shared_fields(self) -> Sequence[str]: ...
    @property
    def email(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def website(self) -> str: ...
    @property
    def linkedin(self) -> str: ...
    @property
    def offers(self) -> Sequence[str]: ...
    @property
    def seeks(self) -> Sequence[str]: ...
    @property
    def open_to_chat(self) -> bool: ...


def public_card(person: CardSource, *, language: Language = DEFAULT_LANGUAGE) -> PublicCard:
    """``person`` as a scanner sees them; ``language`` names a deleted account."""
    if person.deleted_at is not None:
        return PublicCard(attendee_id=person.id, badge_code=None, deleted=True, name=deleted_name(language))
    shared = set(person.shared_fields or ())
    return PublicCard(
        attendee_id=person.id,
        badge_code=person.badge_code,
        name=person.name,
        company=person.company,
        job_title=person.job_title,
        pitch=person.pitch,
        objective=person.objective,
        interests=list(person.interests or ()),
        email=(person.email or None) if SharedField.email in shared else None,
        phone=(person.phone or None) if SharedField.phone in shared else None,
        website=web_address(person.website) if SharedField.website in shared else None,
        linkedin=(
            web_address(person.linkedin, bare_handle_prefix=LINKEDIN_PREFIX)
            if SharedField.linkedin in shared
            else None
        ),
        offers=list(person.offers or ()),
        seeks=list(person.seeks or ()),
        open_to_chat=person.open_to_chat,
    )
