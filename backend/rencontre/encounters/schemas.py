from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)

from rencontre.errors import Problem
from rencontre.kit.strict import JsonDatetime, StrictInt
from rencontre.kit.text import clean_line, clean_text
from rencontre.profile.schemas import PublicCard

MAX_NOTE = 500
MAX_TAGS = 10
MAX_TAG = 30


def _note(value: str) -> str:
    value = clean_text(value)
    if len(value) > MAX_NOTE:
        raise ValueError(f"a note has at most {MAX_NOTE} characters (this one has {len(value)})")
    return value


def _tag(value: str) -> str:
    value = clean_line(value)
    if not value:
        raise ValueError("a tag must not be blank")
    if len(value) > MAX_TAG:
        raise ValueError(f"a tag has at most {MAX_TAG} characters")
    return value


def _distinct(tags: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag.casefold(), tag)
    return list(seen.values())


def _null_as(empty: Any) -> Any:
    return lambda value: empty if value is None else value


# Raw lengths are bounded too, so that cleaning never runs over megabytes.
Note = Annotated[str, BeforeValidator(_null_as("")), Field(max_length=4 * MAX_NOTE), AfterValidator(_note)]
Tag = Annotated[str, Field(max_length=4 * MAX_TAG), AfterValidator(_tag)]
Tags = Annotated[
    list[Tag], BeforeValidator(_null_as([])), Field(max_length=MAX_TAGS), AfterValidator(_distinct)
]


class ScanIn(BaseModel):
    """One scan, as the phone recorded it (live or from its offline queue)."""

    model_config = ConfigDict(extra="forbid")

    client_id: uuid.UUID = Field(
        description="Made by the phone for this scan: sending it again records nothing new."
    )
    qr: Annotated[str, Field(min_length=1, max_length=512)] = Field(
        description="The scanned text: a badge URL (…/b/<token>) or a bare token."
    )
    note: Note = Field(default="", description=f"A private note, at most {MAX_NOTE} characters.")
    tags: Tags = Field(default_factory=list, description=f"At most {MAX_TAGS} tags of {MAX_TAG} characters.")
    rating: Annotated[StrictInt | None, Field(ge=1, le=5)] = None
    device_at: JsonDatetime | None = Field(
        default=None, description="The phone's clock at the scan, with its offset; kept as given."
    )


ScanOutcome = Literal["created", "mutual", "again", "duplicate"]
OUTCOME_DESCRIPTION = (
    "`created`: a new contact; `mutual`: a new contact, and the person had scanned you already;"
    " `again`: you had met, the contact was updated; `duplicate`: this scan (its client_id) was"
    " recorded already, nothing changed."
)
NOTE_FULL_DESCRIPTION = (
    "True when the scan was recorded without its note: the contact's note would have passed its"
    " total length. Edit the contact's note to make room."
)


class ScanOut(BaseModel):
    """The scanner's view of the contact a scan made or updated: their own note, tags and rating only."""

    client_id: uuid.UUID
    status: Literal["created", "updated"]
    outcome: ScanOutcome = Field(description=OUTCOME_DESCRIPTION)
    contact_id: uuid.UUID
    version: str = Field(description="The contact's version (its ETag, for an edit's If-Match).")
    already_met: bool = Field(description="True when this person was already among your contacts.")
    mutual: bool = Field(description="True when the person has scanned you too.")
    note_full: bool = Field(description=NOTE_FULL_DESCRIPTION)
    scan_count: int
    met_at: datetime
    last_scanned_at: datetime
    note: str
    tags: list[str]
    rating: int | None
    notes_locked: bool = Field(
        default=False,
        description="Your notes are locked with a passkey this session has not presented: note, tags "
        "and rating are only those this scan sent, never earlier ones.",
    )
    card: PublicCard


ScanItems = Annotated[
    list[Any],
    WithJsonSchema({"type": "array", "items": {"$ref": "#/components/schemas/ScanIn"}}),
]


class ScanBatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: ScanItems = Field(
        description="Scans as for POST /api/scans; each is checked on its own, so one bad item fails alone."
    )


class ScanBatchItem(BaseModel):
    """One item's answer, in the order sent. Only what the phone lacks: the contact's id,
    version and what became of the scan; not the note or the card, which it has already
    (an answer the size of the batch, however often one person was scanned)."""

    index: int
    client_id: uuid.UUID | None
    status: Literal["created", "updated", "error"]
    outcome: ScanOutcome | Literal["error"] = Field(description=OUTCOME_DESCRIPTION)
    http_status: int = Field(description="What POST /api/scans would have answered for this item alone.")
    detail: str | None = None
    error: Problem | None = None
    contact_id: uuid.UUID | None = None
    version: str | None = None
    note_full: bool | None = Field(default=None, description=NOTE_FULL_DESCRIPTION)


class ScanBatchOut(BaseModel):
    results: list[ScanBatchItem]
