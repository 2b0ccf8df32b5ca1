"""Every table, re-exported for Alembic's autogenerate."""

from rencontre.models.access_reissue import AccessReissue
from rencontre.models.attendee import Attendee, InviteState
from rencontre.models.base import Base
from rencontre.models.encounter import Encounter, FollowUpState, Scan
from rencontre.models.event import Event
from rencontre.models.feed_ticket import FeedTicket
from rencontre.models.format_session import (
    Audience,
    FormatKind,
    FormatParticipant,
    FormatSeat,
    FormatSession,
    Phase,
    SessionState,
)
from rencontre.models.live_ticket import LiveTicket

# Who-to-meet: the directory's requests and blocks.
from rencontre.models.meet_request import AttendeeBlock, MeetRequest, MeetRequestState
from rencontre.models.next_step import NextStep, NextStepKind, NextStepProposal, NextStepState
from rencontre.models.organiser import Organiser
from rencontre.models.passkey import Passkey, PasskeyChallenge
from rencontre.models.profile_photo import ProfilePhoto  # profile photos (issue 16)
from rencontre.models.push import PushRecipient, PushSubscription

# Suggestions (who-to-meet): the computed lists and the readers' hide / not now.
from rencontre.models.suggestion import DismissalKind, Suggestion, SuggestionDismissal

__all__ = [
    "AccessReissue",
    "Attendee",
    "Audience",
    "Base",
    "DismissalKind",
    "Encounter",
    "Event",
    "FeedTicket",
    "FollowUpState",
    "FormatKind",
    "FormatParticipant",
    "FormatSeat",
    "FormatSession",
    "InviteState",
    "LiveTicket",
    "NextStep",
    "NextStepKind",
    "NextStepProposal",
    "NextStepState",
    "Organiser",
    "Passkey",
    "PasskeyChallenge",
    "Phase",
    "ProfilePhoto",  # profile photos (issue 16)
    "PushRecipient",
    "PushSubscription",
    "Scan",
    "SessionState",
    "Suggestion",
    "SuggestionDismissal",
]
# Who-to-meet
__all__ += ["AttendeeBlock", "MeetRequest", "MeetRequestState"]
