"""What other attendees may see of a person: the public card.

Every path that shows a person to someone else (contacts, exports, follow-up
drafts) goes through :func:`public_card`, so a contact detail reaches a scanner
only when its owner listed it in ``shared_fields``, and a deleted account shows
nothing at all.
"""

from __future__ import annotations

from typing import Protocol

from rencontre.attendees.schemas import SharedField
from rencontre.models import Attendee
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


def public_card(person: Attendee, *, language: Language = DEFAULT_LANGUAGE) -> PublicCard:
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
    )
