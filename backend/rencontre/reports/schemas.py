from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from rencontre.people.schemas import WhoToMeetFigures


class ReportTotals(BaseModel):
    connections: int = Field(description="Contacts recorded: one per scanner and scanned person.")
    unique_pairs: int = Field(description="Pairs of people who met, each pair counted once.")
    mutual_connections: int = Field(description="Pairs in which both people scanned each other.")
    attendees: int = Field(description="Registered attendees (deleted accounts excluded).")
    attendees_who_scanned: int
    joined: int = Field(description="Attendees who opened their join link.")
    arrived: int = Field(
        description="Attendees at the venue: checked in at the door, or scanned during the event."
    )
    introduced: int = Field(
        description="Isolated attendees whom staff introduced to someone (never to whom)."
    )


class DistributionBucket(BaseModel):
    label: str = Field(description='"0", "1", "2-5", "6-10" or "11+".')
    min_connections: int
    max_connections: int | None
    attendees: int = Field(description="Attendees connected with that many distinct people.")


class PeakPeriod(BaseModel):
    starts_at: datetime = Field(description="Start of the 15-minute period (UTC).")
    starts_at_local: datetime = Field(description="The same start in the event's time zone.")
    ends_at_local: datetime
    connections: int


class FollowUpRate(BaseModel):
    contacts: int = Field(description="Contacts recorded (every connection).")
    followed_up: int = Field(description="Contacts marked done, whenever.")
    followed_up_within_48h: int = Field(description="Contacts marked done within 48 hours of the meeting.")
    # Next steps (issue 19)
    next_steps_agreed: int = Field(
        default=0,
        description="Next steps two attendees agreed on (a coffee, a call, a resource), cancelled later "
        "or not: a count, never who.",
    )


class ConnectionGroup(BaseModel):
    label: str = Field(description="The objective's code, or the interest as attendees wrote it.")
    attendees: int = Field(description="Present attendees in the group (at least the minimum group size).")
    connections: int = Field(description="Contacts in which someone of the group took part.")


class GroupedConnections(BaseModel):
    min_group_size: int = Field(description="Groups with fewer attendees are folded into `other`.")
    groups: list[ConnectionGroup] = Field(description="Largest first.")
    other: ConnectionGroup | None = Field(
        description="The smaller groups together (label `other`); absent when they hold fewer attendees "
        "than the minimum too."
    )


class EventReport(BaseModel):
    """End-of-event aggregates: never a note, never who met whom."""

    event_id: uuid.UUID
    event_name: str
    timezone: str
    generated_at: datetime
    generated_at_local: datetime = Field(description="The same moment in the event's time zone.")
    totals: ReportTotals
    distribution: list[DistributionBucket] = Field(
        description="Connections of an attendee: distinct people they scanned or were scanned by."
    )
    peaks: list[PeakPeriod] = Field(description="The busiest 15-minute periods, busiest first (3 at most).")
    follow_up: FollowUpRate
    by_objective: GroupedConnections = Field(
        description="Attendees without an objective are left out; one with several is in several groups."
    )
    by_interest: GroupedConnections = Field(
        description="An attendee with several interests is in several groups."
    )
    # Who-to-meet
    who_to_meet: WhoToMeetFigures | None = Field(
        default=None, description="The directory's uptake, requests and matches: counts only."
    )


class EventProgress(BaseModel):
    """Where the organiser stands before the event: counts of attendees only."""

    attendees: int = Field(description="Registered attendees (deleted accounts excluded).")
    invited: int = Field(description="Attendees whose join link was sent (or who already joined).")
    joined: int = Field(description="Attendees who opened their join link.")
    badges_printed_at: datetime | None = Field(
        description="When the last PDF of everyone's badges was downloaded (UTC); null if never."
    )
    badges_printed_count: int = Field(description="How many badges that PDF held (0 if never printed).")
    badges_to_reprint: int = Field(
        description="Attendees added or whose badge was re-issued since their badge was last printed "
        "(0 until a first sheet is printed)."
    )
