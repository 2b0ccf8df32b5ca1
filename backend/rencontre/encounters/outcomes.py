"""What one scan asks of a group (:class:`ScanRequest`) and what the group answers (:data:`Outcome`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from rencontre.auth.tokens import TokenClaims
from rencontre.contacts.versions import contact_version
from rencontre.encounters.schemas import MAX_TAGS, ScanBatchItem, ScanIn, ScanOut, ScanOutcome
from rencontre.errors import AppError
from rencontre.profile.schemas import PublicCard


@dataclass(frozen=True, slots=True)
class Recorded:
    """A recorded scan: the contact as this scan left it (``row``, a shallow copy), and how.

    The answers are built from it on demand: a batch's items need neither the card nor the note.
    The card is made in the group's transaction (it reads the person), for a single scan only.
    """

    client_id: uuid.UUID
    row: dict[str, Any]
    card: PublicCard | None
    created: bool
    outcome: ScanOutcome
    note_full: bool
    # Notes locked by a passkey this session has not presented are write-only: the answer
    # carries what this scan sent (``sent``), never what was there before.
    sent: ScanIn
    locked: bool

    @property
    def version(self) -> str:
        return contact_version(self.row["id"], self.row["updated_at"], self.row["scan_count"])

    def out(self) -> ScanOut:
        assert self.card is not None, "recorded with_card"
        row = self.row
        return ScanOut(
            client_id=self.client_id,
            status="created" if self.created else "updated",
            outcome=self.outcome,
            contact_id=row["id"],
            version=self.version,
            already_met=not self.created,
            mutual=row["mutual"],
            note_full=self.note_full,
            scan_count=row["scan_count"],
            met_at=row["met_at"],
            last_scanned_at=row["last_scanned_at"],
            note=self.sent.note if self.locked else row["note"],
            tags=list(self.sent.tags[:MAX_TAGS] if self.locked else row["tags"] or ()),
            rating=self.sent.rating if self.locked else row["rating"],
            notes_locked=self.locked,
            card=self.card,
        )

    def item(self, index: int) -> ScanBatchItem:
        # Built from values made here: checked once, by construction.
        return ScanBatchItem.model_construct(
            index=index,
            client_id=self.client_id,
            status="created" if self.created else "updated",
            outcome=self.outcome,
            http_status=201 if self.created else 200,
            detail=None,
            error=None,
            contact_id=self.row["id"],
            version=self.version,
            note_full=self.note_full,
        )


@dataclass(frozen=True)
class ScanRequest:
    """One scan to record, and the (verified) access token of who sent it.

    Whether that session still stands is checked with the group's other reads, in its
    transaction: a revoked session records nothing, without a query of its own.
    """

    caller: TokenClaims
    scan: ScanIn
    # A batch's answers carry no card: the phone has it, and a card costs a few reads.
    with_card: bool = True

    @property
    def event_id(self) -> uuid.UUID:
        assert self.caller.event_id is not None  # an attendee token names its event
        return self.caller.event_id


Outcome = Recorded | AppError
