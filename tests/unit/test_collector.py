"""The garbage collector is set for serving once the application has started."""

from __future__ import annotations

import gc

from rencontre.app import create_app
from rencontre.config import Settings
from rencontre.kit import collector


async def test_a_started_app_freezes_the_start_up_heap_and_collects_young_objects_less_often(
    settings: Settings,
) -> None:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        assert gc.get_threshold()[0] == collector.YOUNG_THRESHOLD
        assert gc.get_freeze_count() > 0
        frozen = gc.get_freeze_count()
    # Once per process: another start (or a direct call) freezes nothing more.
    async with app.router.lifespan_context(app):
        collector.tune_for_serving()
        assert gc.get_freeze_count() <= frozen  # frozen objects may still be freed, never added
