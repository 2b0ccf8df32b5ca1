"""The scan limit's settings: a burst that always holds a full offline batch."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from rencontre.config import Settings
from rencontre.kit.ratelimit import _with_burst


class TestBurstSetting:
    def test_a_burst_smaller_than_a_full_batch_is_refused_at_start(self) -> None:
        with pytest.raises(ValidationError, match="scan_burst"):
            Settings(scan_burst=100, max_batch_items=500)

    def test_the_defaults_let_a_full_batch_through_on_top_of_live_scanning(self) -> None:
        settings = Settings()
        assert settings.scan_burst >= settings.max_batch_items == 500


class TestBurstWindow:
    def test_a_burst_is_that_many_scans_in_the_time_the_rate_takes_to_allow_them(self) -> None:
        item = _with_burst("120/minute", 600)
        assert (item.amount, item.get_expiry()) == (600, 300)

    def test_a_burst_below_the_rate_changes_nothing(self) -> None:
        item = _with_burst("120/minute", 50)
        assert (item.amount, item.get_expiry()) == (120, 60)
