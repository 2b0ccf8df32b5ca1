"""Every table, re-exported for Alembic's autogenerate."""

from rencontre.models.access_reissue import AccessReissue
from rencontre.models.attendee import Attendee, InviteState
from rencontre.models.base import Base
from rencontre.models.encounter import Encounter, FollowUpState, Scan
from rencontre.models.event import Event
from rencontre.models.feed_ticket import FeedTicket
from rencontre.models.organiser import Organiser
from rencontre.models.passkey import Passkey, PasskeyChallenge
from rencontre.models.push import PushRecipient, PushSubscription

__all__ = [
    "AccessReissue",
    "Attendee",
    "Base",
    "Encounter",
    "Event",
    "FeedTicket",
    "FollowUpState",
    "InviteState",
    "Organiser",
    "Passkey",
    "PasskeyChallenge",
    "PushRecipient",
    "PushSubscription",
    "Scan",
]
