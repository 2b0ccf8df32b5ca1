"""A contact's version, its ETag, and the If-Match precondition an edit may carry.

A contact changes behind its owner's back: meeting the person again appends the new
scan's note, merges tags, may set the rating, and bumps ``updated_at`` and
``scan_count``. A phone that sends back the whole note it displayed would erase that
addition. So every contact carries a version; an edit that names the version it was
made on (``If-Match``) is refused with 412 if the contact has moved on since.

The version is derived from what every change already moves (the id, ``updated_at``
and ``scan_count``), so it needs no column of its own. It is opaque to clients: they
get it as the ``ETag`` header and as ``version`` in the JSON (for the offline copy),
and send it back as ``If-Match: "<version>"``.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from rencontre.errors import BadRequest
from rencontre.kit.time import as_utc
from rencontre.models import Encounter

# An entity-tag (RFC 9110 §8.8.3): optional W/, then visible ASCII but DQUOTE, quoted. The
# obsolete non-ASCII octets the RFC still tolerates are refused: no version of ours has any.
_ETAGC = r"[\x21\x23-\x7e]"
_ENTITY_TAG = re.compile(rf'(W/)?"({_ETAGC}*)"')
# What parse_if_match accepts, as an ECMA-262 pattern for the OpenAPI document: a request
# that matches it is never refused as malformed, and one that does not always is.
IF_MATCH_PATTERN = rf'^[ \t]*(\*|[ \t,]*(W/)?"{_ETAGC}*"([ \t]*,[ \t,]*(W/)?"{_ETAGC}*")*[ \t,]*)[ \t]*$'
_BARE_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,100}")
_SHOWN = 60  # characters of a malformed header echoed back in the message


@dataclass(frozen=True)
class Version:
    """What an edit compares before it writes: the contact as the client last saw it."""

    updated_at: datetime
    scan_count: int

    @classmethod
    def of(cls, encounter: Encounter) -> Version:
        return cls(updated_at=as_utc(encounter.updated_at), scan_count=encounter.scan_count)


def contact_version(contact_id: uuid.UUID, updated_at: datetime, scan_count: int) -> str:
    """The contact's version: a short hash, so clients cannot (and need not) read anything into it."""
    key = f"{contact_id}|{as_utc(updated_at).isoformat()}|{scan_count}"
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


def version_of(encounter: Encounter) -> str:
    return contact_version(encounter.id, encounter.updated_at, encounter.scan_count)


def etag(version: str) -> str:
    """The version as a strong ETag header value."""
    return f'"{version}"'


@dataclass(frozen=True)
class EntityTag:
    opaque: str
    weak: bool


@dataclass(frozen=True)
class Precondition:
    """A parsed ``If-Match``: ``*`` (any current version) or the versions the client accepts."""

    tags: tuple[EntityTag, ...] = ()
    any: bool = False

    def matches(self, version: str) -> bool:
        """Strong comparison (RFC 9110 §13.1.1): a weak tag never matches an edit."""
        return self.any or any(not tag.weak and tag.opaque == version for tag in self.tags)

    @property
    def only_weak(self) -> bool:
        return bool(self.tags) and all(tag.weak for tag in self.tags)


class MalformedIfMatch(BadRequest):
    def __init__(self, value: str) -> None:
        shown = value.strip()
        if _BARE_TOKEN.fullmatch(shown):
            # The usual mistake: the version from the JSON sent without its quotes.
            detail = (
                f'If-Match must be an ETag in double quotes: send If-Match: "{shown}". Nothing was saved.'
            )
        else:
            if len(shown) > _SHOWN:
                shown = shown[:_SHOWN] + "…"
            detail = (
                f"If-Match is not valid ({shown or 'empty'}): send the contact's ETag exactly as "
                'GET /api/contacts/{id} returned it, in double quotes (If-Match: "…"), or * '
                "to edit whatever the current version is. Nothing was saved."
            )
        super().__init__(detail)


def parse_if_match(value: str | None) -> Precondition | None:
    """``None`` when the header is absent; a malformed header is refused, never ignored.

    Ignoring it would silently turn a careful client's edit into an unconditional one.
    """
    if value is None:
        return None
    text = value.strip(" \t")
    if text == "*":
        return Precondition(any=True)
    tags: list[EntityTag] = []
    position, _ = _skip_separators(text, 0)
    while position < len(text):
        found = _ENTITY_TAG.match(text, position)
        if found is None:
            raise MalformedIfMatch(value)
        tags.append(EntityTag(opaque=found[2], weak=found[1] is not None))
        position, comma = _skip_separators(text, found.end())
        if position < len(text) and not comma:
            raise MalformedIfMatch(value)  # two tags not separated by a comma
    if not tags:
        raise MalformedIfMatch(value)
    return Precondition(tags=tuple(tags))


def _skip_separators(text: str, position: int) -> tuple[int, bool]:
    """Past the blanks and commas of a list at ``position``, and whether a comma was among them."""
    end = position
    while end < len(text) and text[end] in " \t,":
        end += 1
    return end, "," in text[position:end]
