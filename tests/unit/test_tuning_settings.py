"""The feed's and the collector's tuning figures are settings an operator may change, bounded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from rencontre.app import create_app
from rencontre.config import Settings
from rencontre.feed.broker import InProcessBroker
from rencontre.feed.dashboard import read_message
from rencontre.feed.hub import get_hub
from rencontre.feed.room import Room
from rencontre.feed.schemas import FeedClose
from rencontre.feed.service import FeedRefused


class TestDefaultsKeepTheMeasuredValues:
    def test_each_tuning_setting_defaults_to_the_value_the_code_had(self, tmp_path: Path) -> None:
        settings = Settings(data_dir=tmp_path)
        assert settings.feed_fanout_slice == 100
        assert settings.gc_young_threshold == 50_000
        assert settings.feed_client_message_bytes == 4096
        assert settings.feed_client_messages_per_second == 5.0
        assert settings.feed_client_message_burst == 20
        assert settings.feed_resume_window == 1000


class TestOutOfBoundsTuningIsRefused:
    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("feed_fanout_slice", 0),
            ("gc_young_threshold", 10),
            ("feed_client_message_bytes", 100),
            ("feed_client_message_bytes", 1_000_000),
            ("feed_client_messages_per_second", 0),
            ("feed_client_message_burst", 0),
            ("feed_resume_window", 10),
        ],
    )
    def test_a_value_outside_its_bounds_names_the_setting(
        self, tmp_path: Path, field: str, value: Any
    ) -> None:
        with pytest.raises(ValidationError, match=field):
            Settings(data_dir=tmp_path, **{field: value})

    def test_the_lists_step_may_not_exceed_the_resume_window(self, tmp_path: Path) -> None:
        with pytest.raises(
            ValidationError, match=r"feed_lists_min_connections \(200\).*feed_resume_window \(100\)"
        ):
            Settings(data_dir=tmp_path, feed_resume_window=100, feed_lists_min_connections=200)

    def test_a_value_from_the_environment_is_read(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("RENCONTRE_FEED_FANOUT_SLICE", "25")
        assert Settings(data_dir=tmp_path).feed_fanout_slice == 25


class TestTheFeedFollowsItsSettings:
    def test_the_hub_limits_come_from_the_settings(self, tmp_path: Path) -> None:
        settings = Settings(
            data_dir=tmp_path,
            feed_fanout_slice=7,
            feed_client_message_bytes=1024,
            feed_client_messages_per_second=2.5,
            feed_client_message_burst=9,
            feed_resume_window=300,
        )
        app = create_app(settings)
        app.state.broker = InProcessBroker()
        app.state.session_factory = None
        limits = get_hub(app).limits
        assert (limits.fanout_slice, limits.message_bytes, limits.resume_window) == (7, 1024, 300)
        assert (limits.messages_per_second, limits.message_burst) == (2.5, 9)

    def test_a_message_longer_than_the_setting_closes_the_socket(self) -> None:
        text = '{"type": "ping", "pad": "' + "x" * 600 + '"}'
        with pytest.raises(FeedRefused) as refused:
            read_message({"type": "websocket.receive", "text": text}, max_bytes=512)
        assert refused.value.code == FeedClose.MESSAGE_TOO_BIG
        assert "512 bytes" in refused.value.reason

    def test_the_room_keeps_as_many_recent_connections_as_the_resume_window(self) -> None:
        room = Room({}, list_step=3, resume_window=200)
        assert room.recent.maxlen == 200
        assert room.resume_window == 200

    def test_a_lists_step_beyond_the_resume_window_is_refused(self) -> None:
        with pytest.raises(ValueError, match="between 1 and 50"):
            Room({}, list_step=51, resume_window=50)
