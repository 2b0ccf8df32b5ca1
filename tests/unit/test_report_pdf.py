from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pypdf
import pypdfium2
import pytest

from rencontre.reports import pdf
from rencontre.reports.repository import FollowUpRow
from rencontre.reports.schemas import (
    ConnectionGroup,
    DistributionBucket,
    EventReport,
    FollowUpRate,
    GroupedConnections,
    PeakPeriod,
    ReportTotals,
)
from rencontre.reports.service import follow_up_rate, grouped_connections

PARIS = ZoneInfo("Europe/Paris")
NOON = datetime(2026, 6, 3, 10, 0, tzinfo=UTC)


def _report() -> EventReport:
    return EventReport(
        event_id=uuid.uuid4(),
        event_name="Rencontres de l'Économie",
        timezone="Europe/Paris",
        generated_at=NOON,
        generated_at_local=NOON.astimezone(PARIS),
        totals=ReportTotals(
            connections=137,
            unique_pairs=121,
            mutual_connections=16,
            attendees=58,
            attendees_who_scanned=44,
            joined=51,
            arrived=49,
            introduced=3,
        ),
        distribution=[
            DistributionBucket(label="0", min_connections=0, max_connections=0, attendees=7),
            DistributionBucket(label="1", min_connections=1, max_connections=1, attendees=9),
            DistributionBucket(label="2-5", min_connections=2, max_connections=5, attendees=29),
            DistributionBucket(label="6-10", min_connections=6, max_connections=10, attendees=12),
            DistributionBucket(label="11+", min_connections=11, max_connections=None, attendees=1),
        ],
        peaks=[
            PeakPeriod(
                starts_at=NOON,
                starts_at_local=NOON.astimezone(PARIS),
                ends_at_local=(NOON + timedelta(minutes=15)).astimezone(PARIS),
                connections=42,
            )
        ],
        follow_up=FollowUpRate(contacts=137, followed_up=83, followed_up_within_48h=61),
        by_objective=GroupedConnections(
            min_group_size=5,
            groups=[ConnectionGroup(label="hiring", attendees=23, connections=88)],
            other=ConnectionGroup(label="other", attendees=6, connections=19),
        ),
        by_interest=GroupedConnections(
            min_group_size=5,
            groups=[ConnectionGroup(label="Énergie solaire", attendees=11, connections=54)],
            other=None,
        ),
    )


def _text(document: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(document))
    # Table cells come out one a line: compare with single spaces.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


class TestReportPdfFigures:
    @pytest.mark.parametrize(
        ("language", "words"),
        [
            (
                "fr",
                (
                    "Bilan de l’événement",
                    "Relancés sous 48 h 61",
                    "Recrutement 23 88",
                    "Autres (petits groupes) 6 19",
                ),
            ),
            (
                "en",
                (
                    "End-of-event report",
                    "Followed up within 48 h 61",
                    "Hiring 23 88",
                    "Other (smaller groups) 6 19",
                ),
            ),
        ],
    )
    def test_the_figures_read_back_equal_the_report(
        self, language: pdf.Language, words: tuple[str, ...]
    ) -> None:
        text = _text(pdf.report_pdf(_report(), language))
        for line in words:
            assert line in text
        assert "Rencontres de l'Économie" in text
        assert "Connections recorded 137" in text or "Connexions enregistrées 137" in text
        assert "2-5 29" in text
        assert "Énergie solaire 11 54" in text

    def test_times_are_in_the_event_time_zone(self) -> None:
        text = _text(pdf.report_pdf(_report(), "fr"))
        assert "03/06/2026 12:00–12:15 42" in text  # 10:00 UTC is noon in Paris in June
        assert "Généré le 03/06/2026 12:00 (Europe/Paris)" in text

    def test_it_renders_as_a_page_with_charts(self) -> None:
        document = pdf.report_pdf(_report(), "en")
        page = pypdfium2.PdfDocument(document)[0]
        image = page.render(scale=1).to_pil()
        assert image.size[0] > 500
        # Charts are drawn in the accent colour: some pixels carry it.
        assert (0x1F, 0x5F, 0x8B) in {colour for _, colour in image.convert("RGB").getcolors(1 << 24) or []}


class TestManyGroups:
    def test_sixty_interests_still_lay_out(self) -> None:
        groups = [ConnectionGroup(label=f"Sujet {i:02d}", attendees=5, connections=60 - i) for i in range(60)]
        report = _report().model_copy(
            update={"by_interest": GroupedConnections(min_group_size=5, groups=groups, other=None)}
        )
        text = _text(pdf.report_pdf(report, "en"))
        assert "Sujet 00 5 60" in text
        assert "Sujet 59 5 1" in text


class TestFollowUpRate:
    def test_only_contacts_done_within_48_hours_count_as_in_time(self) -> None:
        met = NOON
        rows = [
            FollowUpRow(met, True, met + timedelta(hours=47)),
            FollowUpRow(met, True, met + timedelta(hours=48)),
            FollowUpRow(met, True, met + timedelta(hours=49)),
            FollowUpRow(met, False, None),
        ]
        assert follow_up_rate(rows) == FollowUpRate(contacts=4, followed_up=3, followed_up_within_48h=2)


class TestGroupsBelowTheMinimum:
    def test_a_group_of_four_is_folded_into_other(self) -> None:
        people = [uuid.uuid4() for _ in range(10)]
        members = {"hiring": set(people[:5]), "learning": set(people[5:9]), "visibility": {people[9]}}
        pairs = [(people[0], people[5]), (people[1], people[2]), (people[6], people[7])]
        grouped = grouped_connections(members, {key: key for key in members}, pairs, 5)
        assert grouped.groups == [ConnectionGroup(label="hiring", attendees=5, connections=2)]
        assert grouped.other == ConnectionGroup(label="other", attendees=5, connections=2)
        assert "learning" not in grouped.model_dump_json()

    def test_an_other_below_the_minimum_is_left_out(self) -> None:
        people = [uuid.uuid4() for _ in range(6)]
        members = {"hiring": set(people[:5]), "visibility": {people[5]}}
        grouped = grouped_connections(members, {key: key for key in members}, [(people[5], people[0])], 5)
        assert grouped.other is None
        assert "visibility" not in grouped.model_dump_json()
