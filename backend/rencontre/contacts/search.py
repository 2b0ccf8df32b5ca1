"""Contact search and tag filter, folded in Python over the attendee's own contacts.

Why not in SQL: accent-insensitive matching needs PostgreSQL's ``unaccent``
(an extension, so a superuser) and has no SQLite twin, and a stored folded
column would go stale whenever the scanned person edits their name or deletes
their account. An attendee has at most a few hundred contacts, all loaded by one
indexed query (``scanner_id, met_at``), so folding them here is cheap, exact and
identical on both databases.
"""

from __future__ import annotations

from rencontre.kit.text import fold
from rencontre.models import Attendee, Encounter


def terms(query: str | None) -> list[str]:
    """The folded words of a search: every one must be found for a contact to match."""
    return fold(query).split() if query else []


def haystack(encounter: Encounter, person: Attendee, *, private: bool = True) -> str:
    """What a search looks through: the person's public identity, and unless locked the own note and tags."""
    public = [] if person.deleted_at is not None else [person.name, person.company, person.job_title]
    own = [encounter.note, *encounter.tags] if private else []
    return fold("\n".join([*public, *own]))


def matches(
    encounter: Encounter, person: Attendee, *, words: list[str], tag: str | None, private: bool = True
) -> bool:
    if tag is not None and fold(tag.strip()) not in {fold(t) for t in encounter.tags}:
        return False
    if words:
        text = haystack(encounter, person, private=private)
        return all(word in text for word in words)
    return True
