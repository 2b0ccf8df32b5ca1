"""The organiser's end-of-event report: totals, distribution and peak periods.

Only counts leave this module: no note, no tag, no name, no pair of people.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.kit.csvfile import csv_bytes
from rencontre.kit.time import utcnow
from rencontre.models import Event
from rencontre.nextsteps import service as next_step_service
from rencontre.people import service as people_service
from rencontre.reports import repository
from rencontre.reports.schemas import (
    ConnectionGroup,
    DistributionBucket,
    EventProgress,
    EventReport,
    FollowUpRate,
    GroupedConnections,
    PeakPeriod,
    ReportTotals,
)

PERIOD = timedelta(minutes=15)
FOLLOW_UP_WINDOW = timedelta(hours=48)
OTHER = "other"
TOP_PEAKS = 3
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0", 0, 0),
    ("1", 1, 1),
    ("2-5", 2, 5),
    ("6-10", 6, 10),
    ("11+", 11, None),
)


def distribution(partner_counts: list[int], attendees: int) -> list[DistributionBucket]:
    """How many attendees are connected with 0, 1, 2-5, 6-10 and 11+ distinct people."""
    connected = Counter(partner_counts)
    buckets = []
    for label, low, high in BUCKETS:
        if low == 0:
            count = max(0, attendees - len(partner_counts))
        else:
            count = sum(n for size, n in connected.items() if size >= low and (high is None or size <= high))
        buckets.append(
            DistributionBucket(label=label, min_connections=low, max_connections=high, attendees=count)
        )
    return buckets


def period_start(moment: datetime, zone: ZoneInfo) -> datetime:
    """The start of the 15-minute period of the event's wall clock holding ``moment`` (as UTC)."""
    local = moment.astimezone(zone)
    floored = local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)
    return floored.astimezone(UTC)


def peaks(met_times: list[datetime], zone: ZoneInfo, *, top: int = TOP_PEAKS) -> list[PeakPeriod]:
    per_period = Counter(period_start(moment, zone) for moment in met_times)
    busiest = sorted(per_period.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [
        PeakPeriod(
            starts_at=start,
            starts_at_local=start.astimezone(zone),
            ends_at_local=(start + PERIOD).astimezone(zone),
            connections=count,
        )
        for start, count in busiest
    ]


def follow_up_rate(rows: list[repository.FollowUpRow]) -> FollowUpRate:
    done = [row for row in rows if row.done]
    in_time = [
        row
        for row in done
        if row.followed_up_at is not None and row.followed_up_at - row.met_at <= FOLLOW_UP_WINDOW
    ]
    return FollowUpRate(contacts=len(rows), followed_up=len(done), followed_up_within_48h=len(in_time))


def grouped_connections(
    members: dict[str, set[uuid.UUID]],
    labels: dict[str, str],
    pairs: list[tuple[uuid.UUID, uuid.UUID]],
    min_size: int,
) -> GroupedConnections:
    """Connections per group of attendees, groups under ``min_size`` people folded into one.

    The folded group is shown only when it reaches ``min_size`` itself.
    """

    def connections(people: set[uuid.UUID]) -> int:
        return sum(1 for scanner, scanned in pairs if scanner in people or scanned in people)

    large = {key: people for key, people in members.items() if len(people) >= min_size}
    small: set[uuid.UUID] = set()
    for key, people in members.items():
        if key not in large:
            small |= people
    groups = [
        ConnectionGroup(label=labels[key], attendees=len(people), connections=connections(people))
        for key, people in large.items()
    ]
    groups.sort(key=lambda group: (-group.attendees, -group.connections, group.label.casefold()))
    other = ConnectionGroup(label=OTHER, attendees=len(small), connections=connections(small))
    # "Other" is held to the same minimum: one person with a rare objective stays out of sight.
    return GroupedConnections(
        min_group_size=min_size, groups=groups, other=other if len(small) >= min_size else None
    )


def _by(
    profiles: Iterable[tuple[uuid.UUID, Iterable[str]]],
) -> tuple[dict[str, set[uuid.UUID]], dict[str, str]]:
    """Members by group key (case and spacing ignored), and each key's most common spelling."""
    members: dict[str, set[uuid.UUID]] = {}
    spellings: dict[str, Counter[str]] = {}
    for attendee_id, values in profiles:
        for value in values:
            key = " ".join(value.split()).casefold()
            if key:
                spellings.setdefault(key, Counter())[" ".join(value.split())] += 1
                members.setdefault(key, set()).add(attendee_id)
    labels = {key: min(counts, key=lambda text: (-counts[text], text)) for key, counts in spellings.items()}
    return members, labels


async def event_report(session: AsyncSession, event: Event, *, min_group_size: int = 5) -> EventReport:
    if event.report_snapshot is not None:
        # Past the retention the rows are gone: the figures stored before the purge stand.
        return EventReport.model_validate(event.report_snapshot)
    connections = await repository.connection_totals(session, event.id)
    people = await repository.attendee_totals(session, event.id)
    zone = ZoneInfo(event.timezone)
    now = utcnow()
    profiles = await repository.profiles(session, event.id)
    pairs = await repository.pairs(session, event.id)
    by_objective = _by((p.attendee_id, p.objectives) for p in profiles)
    by_interest = _by((p.attendee_id, p.interests) for p in profiles)
    return EventReport(
        event_id=event.id,
        event_name=event.name,
        timezone=event.timezone,
        generated_at=now,
        generated_at_local=now.astimezone(zone),
        totals=ReportTotals(
            connections=connections.connections,
            unique_pairs=connections.unique_pairs,
            # One contact per scanner and scanned person: a pair has one row, or two when mutual.
            mutual_connections=connections.connections - connections.unique_pairs,
            attendees=people.attendees,
            attendees_who_scanned=connections.scanners,
            joined=people.joined,
            arrived=people.arrived,
            introduced=people.introduced,
        ),
        distribution=distribution(await repository.partner_counts(session, event.id), people.attendees),
        peaks=peaks(await repository.met_times(session, event.id), zone),
        follow_up=follow_up_rate(await repository.follow_ups(session, event.id)).model_copy(
            update={"next_steps_agreed": await next_step_service.agreed_count(session, event.id)}
        ),
        by_objective=grouped_connections(*by_objective, pairs, min_group_size),
        by_interest=grouped_connections(*by_interest, pairs, min_group_size),
        who_to_meet=await people_service.figures(session, event),
    )


async def event_progress(session: AsyncSession, event: Event) -> EventProgress:
    people = await repository.attendee_totals(session, event.id)
    printed = event.badges_printed_at is not None
    return EventProgress(
        attendees=people.attendees,
        invited=people.invited,
        joined=people.joined,
        badges_printed_at=event.badges_printed_at,
        badges_printed_count=event.badges_printed_count if printed else 0,
        # Before the first sheet everyone is "to print", which the unticked step already says.
        badges_to_reprint=await repository.badges_to_reprint(session, event.id) if printed else 0,
    )


def report_csv(report: EventReport) -> bytes:
    """The report's figures as ``section, metric, value`` rows."""
    rows: list[tuple[str, str, object]] = [
        ("event", "name", report.event_name),
        ("event", "timezone", report.timezone),
        ("event", "generated_at", report.generated_at_local.isoformat()),
    ]
    rows += [("totals", name, value) for name, value in report.totals.model_dump().items()]
    rows += [("follow_up", name, value) for name, value in report.follow_up.model_dump().items()]
    for section, grouped in (("objective", report.by_objective), ("interest", report.by_interest)):
        for group in [*grouped.groups, *([grouped.other] if grouped.other else [])]:
            rows += [
                (section, f"{group.label}: attendees", group.attendees),
                (section, f"{group.label}: connections", group.connections),
            ]
    rows += [("distribution", f"{b.label} connections", b.attendees) for b in report.distribution]
    if report.who_to_meet is not None:
        rows += [
            ("who_to_meet", name, value)
            for name, value in report.who_to_meet.model_dump(exclude={"directory_opens_at"}).items()
        ]
    rows += [
        (
            f"peak {rank}",
            f"{p.starts_at_local:%Y-%m-%d %H:%M}–{p.ends_at_local:%H:%M}",
            p.connections,
        )
        for rank, p in enumerate(report.peaks, start=1)
    ]
    return csv_bytes(("section", "metric", "value"), rows)
