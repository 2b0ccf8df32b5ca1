"""Fault tests: real server processes on a database of their own, killed and cut off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.live import BACKENDS, Stage, stage


@pytest.fixture(params=BACKENDS)
def live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stage]:
    """A migrated database of each backend and a server ready to start on it."""
    with stage(request.param, tmp_path / "data") as the_stage:
        yield the_stage
