"""Every table, re-exported for Alembic's autogenerate."""

from rencontre.models.access_reissue import AccessReissue
from rencontre.models.attendee import Attendee, InviteState
from rencontre.models.base import Base
from rencontre.models.encounter import Encounter, FollowUpState, Scan
from rencontre.models.event import Event
from rencontre.models.feed_ticket import FeedTicket
from rencontre.models.organiser import Organiser
from rencontre.models.passkey import Passkey, PasskeyChallenge

# Suggestions (who-to-meet): the computed lists and the readers' hide / not now.
from rencontre.models.suggestion import DismissalKind, Suggestion, SuggestionDismissal

__all__ = [
    "AccessReissue",
    "Attendee",
    "Base",
    "DismissalKind",
    "Encounter",
    "Event",
    "FeedTicket",
    "FollowUpState",
    "InviteState",
    "Organiser",
    "Passkey",
    "PasskeyChallenge",
    "Scan",
    "Suggestion",
    "SuggestionDismissal",
]
