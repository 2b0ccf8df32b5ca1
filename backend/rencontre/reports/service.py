"""The organiser's end-of-event report: totals, distribution and peak periods.

Only counts leave this module: no note, no tag, no name, no pair of people.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.kit.csvfile import csv_bytes
from rencontre.kit.time import utcnow
from rencontre.models import Event
from rencontre.reports import repository
from rencontre.reports.schemas import DistributionBucket, EventReport, PeakPeriod, ReportTotals

PERIOD = timedelta(minutes=15)
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


async def event_report(session: AsyncSession, event: Event) -> EventReport:
    connections = await repository.connection_totals(session, event.id)
    people = await repository.attendee_totals(session, event.id)
    zone = ZoneInfo(event.timezone)
    return EventReport(
        event_id=event.id,
        event_name=event.name,
        timezone=event.timezone,
        generated_at=utcnow(),
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
    )


def report_csv(report: EventReport) -> bytes:
    """The report's figures as ``section, metric, value`` rows."""
    rows: list[tuple[str, str, object]] = [
        ("event", "name", report.event_name),
        ("event", "timezone", report.timezone),
        ("event", "generated_at", report.generated_at.isoformat()),
    ]
    rows += [("totals", name, value) for name, value in report.totals.model_dump().items()]
    rows += [("distribution", f"{b.label} connections", b.attendees) for b in report.distribution]
    rows += [
        (
            f"peak {rank}",
            f"{p.starts_at_local:%Y-%m-%d %H:%M}–{p.ends_at_local:%H:%M}",
            p.connections,
        )
        for rank, p in enumerate(report.peaks, start=1)
    ]
    return csv_bytes(("section", "metric", "value"), rows)
