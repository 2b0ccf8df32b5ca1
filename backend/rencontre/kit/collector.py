"""The cyclic garbage collector, set for a long-running server with many open sockets.

CPython's defaults (a young collection every 700 net allocations) suit short
scripts. In a server holding a thousand dashboard sockets (each a few hundred
objects that live as long as the socket) they make short-lived request objects
survive into the old generation, and every few seconds a full collection walks
everything: 80–170 ms during which no scan is answered and no frame is sent
(measured by ``make bench``, feed scenario; bench/README.md).

So, once per process, when the application starts:

- collect, then freeze what survives (modules, routes, compiled statements): the
  collector never walks those objects again;
- collect the young generation after 50,000 net allocations instead of 700: a
  request's objects are freed by reference counting long before that, so few
  survive to be promoted, and full collections become rare. A young collection
  then takes a few milliseconds.
"""

from __future__ import annotations

import gc
import logging
from typing import Final

logger = logging.getLogger(__name__)

# The default of Settings.gc_young_threshold.
YOUNG_THRESHOLD: Final = 50_000
_tuned = False


def tune_for_serving(young_threshold: int = YOUNG_THRESHOLD) -> None:
    """Apply the settings above; later calls in the same process do nothing."""
    global _tuned
    if _tuned:
        return
    _tuned = True
    _, middle, old = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(young_threshold, middle, old)
    logger.debug("garbage collector: %d objects frozen at start-up", gc.get_freeze_count())
