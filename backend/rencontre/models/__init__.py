"""Every table, re-exported for Alembic's autogenerate."""

from rencontre.models.access_reissue import AccessReissue
from rencontre.models.attendee import Attendee, InviteState
from rencontre.models.base import Base
from rencontre.models.encounter import Encounter, FollowUpState, Scan
from rencontre.models.event import Event
from rencontre.models.feed_ticket import FeedTicket

# Who-to-meet: the directory's requests and blocks.
from rencontre.models.meet_request import AttendeeBlock, MeetRequest, MeetRequestState
from rencontre.models.organiser import Organiser
from rencontre.models.passkey import Passkey, PasskeyChallenge

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
    "Scan",
]
# Who-to-meet
__all__ += ["AttendeeBlock", "MeetRequest", "MeetRequestState"]
