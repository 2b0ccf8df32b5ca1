"""Next-step rules with no database: what a proposal may hold, the moment it may name, the calendar file."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar
from pydantic import ValidationError

from rencontre.models import NextStepKind
from rencontre.nextsteps import calendar
from rencontre.nextsteps.schemas import Answer, ProposalTerms
from rencontre.nextsteps.service import NextStepInThePast, NextStepTooFar, check_moment

NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


def _terms(**fields: Any) -> ProposalTerms:
    return ProposalTerms.model_validate(
        {"kind": "coffee", "starts_at": "2026-12-07T09:00:00+01:00", **fields}
    )


class TestTerms:
    def test_a_coffee_gets_the_default_duration_and_a_clean_place(self) -> None:
        terms = _terms(place="  Café   de la Gare\n Lyon ")
        assert (terms.duration_minutes, terms.place) == (30, "Café de la Gare Lyon")
        assert terms.starts_at == datetime(2026, 12, 7, 8, 0, tzinfo=UTC)

    def test_a_bare_web_address_becomes_https(self) -> None:
        assert _terms(kind="call", link="meet.example.org/abc").link == "https://meet.example.org/abc"

    @pytest.mark.parametrize(
        "link", ["javascript:alert(1)", "ftp://example.org/x", "data:text/html,hi", "not a link"]
    )
    def test_only_http_links(self, link: str) -> None:
        with pytest.raises(ValidationError, match="http"):
            _terms(kind="call", link=link)

    def test_a_resource_says_which_and_has_no_date_place_or_link(self) -> None:
        assert (
            ProposalTerms.model_validate({"kind": "resource", "message": " The deck "}).message == "The deck"
        )
        for extra in (
            {"starts_at": "2026-12-07T09:00:00Z"},
            {"place": "Lyon"},
            {"link": "https://x.org"},
            {},
        ):
            with pytest.raises(ValidationError):
                ProposalTerms.model_validate(
                    {"kind": "resource", **({"message": "deck"} if extra else {}), **extra}
                )

    def test_a_date_without_its_offset_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="timezone"):
            _terms(starts_at="2026-12-07T09:00:00")

    @pytest.mark.parametrize(
        ("value", "accepted"), [(3, 3), (3.0, 3), (2.5, None), ("3", None), (True, None), (0, None)]
    )
    def test_a_version_is_a_whole_number_from_one(self, value: object, accepted: int | None) -> None:
        if accepted is None:
            with pytest.raises(ValidationError):
                Answer.model_validate({"version": value})
        else:
            assert Answer.model_validate({"version": value}).version == accepted


class TestMoment:
    def test_in_the_future_within_the_horizon(self) -> None:
        check_moment(_terms(starts_at=(NOW + timedelta(minutes=1)).isoformat()), now=NOW, horizon_days=30)
        check_moment(_terms(starts_at=(NOW + timedelta(days=30)).isoformat()), now=NOW, horizon_days=30)

    def test_now_or_before_is_past(self) -> None:
        with pytest.raises(NextStepInThePast):
            check_moment(_terms(starts_at=NOW.isoformat()), now=NOW, horizon_days=30)

    def test_past_the_horizon_is_too_far(self) -> None:
        with pytest.raises(NextStepTooFar, match="30 days"):
            check_moment(
                _terms(starts_at=(NOW + timedelta(days=30, seconds=1)).isoformat()), now=NOW, horizon_days=30
            )


def _entry(**fields: Any) -> calendar.CalendarEntry:
    values: dict[str, Any] = {
        "uid": calendar.uid_of(uuid.UUID(int=7), "https://rencontre.example.org/app"),
        "sequence": 4,
        "cancelled": False,
        "kind": NextStepKind.call,
        "starts_at": datetime(2026, 12, 7, 8, 0, tzinfo=UTC),
        "duration_minutes": 45,
        "place": "Hall B, stand 12",
        "link": "https://meet.example.org/x",
        "message": "About the pilot; bring numbers",
        "other_name": "Zoé Lefèvre",
        "event_name": "Rencontres Lyon",
        "stamped_at": NOW,
        "language": "fr",
    }
    values.update(fields)
    return calendar.CalendarEntry(**values)


class TestCalendarFile:
    def test_what_the_parser_reads_back(self) -> None:
        parsed = Calendar.from_ical(calendar.ics(_entry()))
        [event] = parsed.walk("VEVENT")
        assert str(parsed["METHOD"]) == "PUBLISH"
        assert str(event["UID"]) == "next-step-00000000-0000-0000-0000-000000000007@rencontre.example.org"
        assert (int(event["SEQUENCE"]), str(event["STATUS"])) == (4, "CONFIRMED")
        assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(minutes=45)
        assert str(event["LOCATION"]) == "Hall B, stand 12"
        assert str(event["SUMMARY"]) == "Appel avec Zoé Lefèvre"
        assert "About the pilot; bring numbers" in str(event["DESCRIPTION"])
        assert "Rencontres Lyon" in str(event["DESCRIPTION"])

    def test_a_cancellation_keeps_the_uid(self) -> None:
        parsed = Calendar.from_ical(calendar.ics(_entry(cancelled=True, sequence=5, language="en")))
        [event] = parsed.walk("VEVENT")
        assert (str(parsed["METHOD"]), str(event["STATUS"])) == ("CANCEL", "CANCELLED")
        assert str(event["UID"]).startswith("next-step-00000000-0000-0000-0000-000000000007@")
        assert str(event["SUMMARY"]) == "Call with Zoé Lefèvre"
