"""The product's application, as ``rencontre serve`` builds it, with one limit raised for the feed scenario.

A live feed allows 20 open dashboards per organiser and process (``FeedLimits``,
not a setting), and the scenario opens 1,000 for one event, whose organiser is
one person. ``RENCONTRE_BENCH_FEEDS_PER_ORGANISER`` raises that cap through the
``app.state.feed_limits`` hook the hub reads; every other limit keeps its value.
"""

from __future__ import annotations

import dataclasses
import os

from fastapi import FastAPI

from rencontre.app import create_app as create_product_app
from rencontre.config import get_settings

CAP_VARIABLE = "RENCONTRE_BENCH_FEEDS_PER_ORGANISER"


def create_app() -> FastAPI:
    settings = get_settings()
    app = create_product_app(settings)
    cap = int(os.environ.get(CAP_VARIABLE, "0") or 0)
    if cap:
        try:
            from rencontre.feed.dashboard import FeedLimits
        except ImportError:  # the feed has not landed: nothing to raise
            return app
        defaults = FeedLimits(coalesce_seconds=settings.feed_coalesce_ms / 1000)
        app.state.feed_limits = dataclasses.replace(defaults, feeds_per_organiser=cap)
    return app
