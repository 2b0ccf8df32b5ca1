"""What a session refuses, and why (each rendered as problem+json)."""

from __future__ import annotations

from rencontre.errors import Conflict, NotFound, Unprocessable
from rencontre.models.format_session import SessionState


class SessionNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such session in this event.")


class SessionNotRunning(Conflict):
    def __init__(self, state: SessionState) -> None:
        super().__init__(f"This session is {state.value}: it cannot do that now.")


class SessionAlreadyStarted(Conflict):
    def __init__(self) -> None:
        super().__init__("This session has started: end it first (a running session is not deleted).")


class SessionEnded(Conflict):
    def __init__(self) -> None:
        super().__init__("This session has ended.")


class TooFewParticipants(Conflict):
    def __init__(self, count: int) -> None:
        super().__init__(
            f"Only {count} people can take part right now: a round needs at least two "
            "(check people in, or let them sign up from their phones)."
        )


class NoHost(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "A reverse forum needs at least one host present and one guest: name the hosts first."
        )


class NotHostsForThisFormat(Unprocessable):
    def __init__(self) -> None:
        super().__init__("Only a reverse forum has hosts.")


class HostsNotAttendees(Unprocessable):
    def __init__(self, count: int) -> None:
        super().__init__(f"{count} of these people are not attendees of this event (or were removed).")


class RoundsExhausted(Conflict):
    """Every arrangement of the next round would make people meet again (or meet someone
    they are kept apart from: the message never says which, so no block is revealed)."""

    def __init__(self) -> None:
        super().__init__(
            "Everyone taking part has met everyone they could: the session cannot go on without repeats."
        )
