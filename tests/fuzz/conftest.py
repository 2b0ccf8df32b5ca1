"""One real server per database backend for the fuzzers, serving the planned world."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.faults.live import BACKENDS, Stage, stage
from tests.fuzz.plan import PLAN, SECRETS


@pytest.fixture(scope="session", params=BACKENDS)
def fuzz_stage(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    """A running server on a fresh database of each backend, seeded once with the plan."""
    with stage(request.param, tmp_path_factory.mktemp(f"fuzz-{request.param}"), **SECRETS) as the_stage:
        the_stage.query(PLAN.seed)
        the_stage.start()
        yield the_stage
