"""The report's aggregates: distribution buckets and 15-minute periods."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from rencontre.reports.schemas import EventReport, FollowUpRate, GroupedConnections, ReportTotals
from rencontre.reports.service import distribution, peaks, period_start, report_csv


def test_distribution_buckets() -> None:
    counts = [1, 2, 5, 6, 10, 11, 250]
    buckets = {b.label: b.attendees for b in distribution(counts, attendees=10)}
    assert buckets == {"0": 3, "1": 1, "2-5": 2, "6-10": 2, "11+": 2}


def test_periods_follow_the_event_wall_clock() -> None:
    kathmandu = ZoneInfo("Asia/Kathmandu")  # UTC+05:45
    moment = datetime(2026, 6, 3, 4, 20, tzinfo=UTC)  # 10:05 local
    assert period_start(moment, kathmandu).astimezone(kathmandu).strftime("%H:%M") == "10:00"


def test_periods_across_the_autumn_clock_change_stay_apart() -> None:
    paris = ZoneInfo("Europe/Paris")
    # 02:10 local happens twice on 25 October 2026: at 00:10 and 01:10 UTC.
    first, second = datetime(2026, 10, 25, 0, 10, tzinfo=UTC), datetime(2026, 10, 25, 1, 10, tzinfo=UTC)
    found = peaks([first, second, second], paris)
    assert [(p.starts_at, p.connections) for p in found] == [
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), 2),
        (datetime(2026, 10, 25, 0, 0, tzinfo=UTC), 1),
    ]
    assert found[0].starts_at_local.utcoffset() == timedelta(hours=1)
    assert found[1].starts_at_local.utcoffset() == timedelta(hours=2)


def test_top_three_busiest_then_earliest() -> None:
    start = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)
    times = [start + timedelta(minutes=m) for m in (0, 1, 16, 17, 31, 32, 46, 61, 62, 63)]
    found = peaks(times, ZoneInfo("UTC"))
    assert [(p.starts_at.strftime("%H:%M"), p.connections) for p in found] == [
        ("10:00", 3),
        ("09:00", 2),
        ("09:15", 2),
    ]


def test_report_csv_has_no_formula() -> None:
    report = EventReport(
        event_id=uuid.uuid4(),
        event_name="@evil",
        timezone="Europe/Paris",
        generated_at=datetime(2026, 6, 3, tzinfo=UTC),
        generated_at_local=datetime(2026, 6, 3, tzinfo=UTC).astimezone(ZoneInfo("Europe/Paris")),
        totals=ReportTotals(
            connections=1,
            unique_pairs=1,
            mutual_connections=0,
            attendees=2,
            attendees_who_scanned=1,
            joined=2,
            arrived=2,
            introduced=0,
        ),
        distribution=distribution([1, 1], attendees=2),
        peaks=[],
        follow_up=FollowUpRate(contacts=1, followed_up=0, followed_up_within_48h=0),
        by_objective=GroupedConnections(min_group_size=5, groups=[], other=None),
        by_interest=GroupedConnections(min_group_size=5, groups=[], other=None),
    )
    rows = list(csv.reader(io.StringIO(report_csv(report).decode("utf-8-sig"))))
    assert rows[1] == ["event", "name", "'@evil"]
    assert ["totals", "unique_pairs", "1"] in rows
    assert ["distribution", "1 connections", "2"] in rows
