from __future__ import annotations

import unicodedata
import uuid
from typing import Any

import pytest
from pydantic import ValidationError

from rencontre.encounters.schemas import ScanIn


def _scan(**fields: Any) -> ScanIn:
    return ScanIn.model_validate({"client_id": str(uuid.uuid4()), "qr": "x", **fields})


class TestNote:
    def test_cleaned_but_kept_multiline(self) -> None:
        scan = _scan(note="  Première ligne\r\nSeconde\x00 ligne\x07  ")
        assert scan.note == "Première ligne\nSeconde ligne"

    def test_null_and_absent_are_empty(self) -> None:
        assert _scan(note=None).note == ""
        assert _scan().note == ""

    def test_500_characters_counted_once_composed(self) -> None:
        decomposed = unicodedata.normalize("NFD", "é" * 500)
        assert len(decomposed) == 1000
        assert _scan(note=decomposed).note == "é" * 500

    def test_501_characters_refused(self) -> None:
        with pytest.raises(ValidationError, match="at most 500 characters"):
            _scan(note="é" * 501)


class TestTags:
    def test_trimmed_and_distinct_ignoring_case(self) -> None:
        assert _scan(tags=[" Design ", "design", "À rappeler", "à rappeler"]).tags == ["Design", "À rappeler"]

    def test_null_is_none(self) -> None:
        assert _scan(tags=None).tags == []

    @pytest.mark.parametrize("tags", [["  "], ["x" * 31], [f"t{i}" for i in range(11)], "design"])
    def test_refused(self, tags: Any) -> None:
        with pytest.raises(ValidationError):
            _scan(tags=tags)


class TestDeviceTime:
    def test_kept_with_its_offset(self) -> None:
        scan = _scan(device_at="2026-11-27T09:15:00+01:00")
        assert scan.device_at is not None
        assert scan.device_at.utcoffset() is not None
        assert scan.device_at.isoformat() == "2026-11-27T09:15:00+01:00"

    def test_naive_time_refused(self) -> None:
        with pytest.raises(ValidationError):
            _scan(device_at="2026-11-27T09:15:00")
