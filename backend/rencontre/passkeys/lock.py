"""Whether a session may read its attendee's notes: the one place the lock is decided."""

from __future__ import annotations

from dataclasses import dataclass

from rencontre.errors import Forbidden
from rencontre.models import Attendee


class NotesLocked(Forbidden):
    def __init__(self, detail: str | None = None) -> None:
        super().__init__(
            detail
            or "Your notes are locked with a passkey, and this session has not presented it: "
            "unlock them with your passkey first."
        )


def is_locked(*, has_passkey: bool, presented: bool) -> bool:
    return has_passkey and not presented


@dataclass(frozen=True)
class NotesAccess:
    """The signed-in attendee, and whether this session may read their notes."""

    attendee: Attendee
    presented: bool

    @property
    def locked(self) -> bool:
        return is_locked(has_passkey=self.attendee.has_passkey, presented=self.presented)

    def require_unlocked(self, detail: str | None = None) -> None:
        if self.locked:
            raise NotesLocked(detail)
