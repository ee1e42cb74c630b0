"""Python's full garbage collection, moved to when the user is not typing.

With a large portfolio in memory a full collection takes 150–200 ms. Python starts one
whenever enough objects have survived the younger collections, which is in the middle of a
key press as often as not: the check-in card or a KPI's detail then appears a frame or ten
late. The young generations are still collected as usual (a millisecond or so each); the
oldest is collected here, once the keyboard and mouse have been quiet for a moment.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

# Quiet for this long: the user is reading, not typing.
QUIET_SECONDS = 1.0
# Python's own rule: a full collection is due after ten collections of the middle generation.
DUE_AFTER = 10
# However busy the user is, a full collection still runs after this many: memory held by
# reference cycles stays bounded.
OVERDUE_AFTER = 400
# The third threshold is what starts a full collection; this high, Python never does.
NEVER = 1_000_000_000


# From Python 3.14 the collector is incremental: it has no long full collections to move,
# and its third threshold and counts mean something else.
SUPPORTED = sys.version_info < (3, 14)

# Python's thresholds before the first collector started, and the collectors running (more
# than one app in a process, as in the tests): the last one to stop puts them back.
_saved_thresholds: tuple[int, int, int] | None = None
_running: set[int] = set()


class IdleCollector:
    """Call `touched()` on every key press or click and `tick()` every half second or so."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._last_input = clock()

    def start(self) -> None:
        global _saved_thresholds
        if not SUPPORTED or id(self) in _running:
            return
        if _saved_thresholds is None:  # the first collector to start keeps Python's own
            _saved_thresholds = gc.get_threshold()
        _running.add(id(self))
        young, middle, _ = _saved_thresholds
        gc.set_threshold(young, middle, NEVER)

    def stop(self) -> None:
        """Python's own thresholds again once no app defers collections."""
        global _saved_thresholds
        if id(self) not in _running:
            return
        _running.discard(id(self))
        if not _running and _saved_thresholds is not None:
            gc.set_threshold(*_saved_thresholds)
            _saved_thresholds = None

    def touched(self) -> None:
        self._last_input = self._clock()

    def tick(self) -> bool:
        """Collect the oldest generation if it is due and the user is quiet; True if it ran."""
        if id(self) not in _running:
            return False
        pending = gc.get_count()[2]
        quiet = self._clock() - self._last_input >= QUIET_SECONDS
        if (quiet and pending >= DUE_AFTER) or pending >= OVERDUE_AFTER:
            gc.collect()
            return True
        return False


@contextmanager
def held_at_start_up() -> Iterator[None]:
    """No full collection while the TUI starts (its imports, the database opened, the first
    screen): what start-up makes lives as long as the app does, so a full collection then frees
    nothing and costs 15-45 ms of the wait for the first screen. The app's collector takes over
    once it runs; Python's own thresholds are back when this ends and no collector runs."""
    global _saved_thresholds
    if not SUPPORTED or _saved_thresholds is not None:  # an app's collector already defers them
        yield
        return
    _saved_thresholds = gc.get_threshold()
    young, middle, _ = _saved_thresholds
    gc.set_threshold(young, middle, NEVER)
    try:
        yield
    finally:
        if not _running and _saved_thresholds is not None:
            gc.set_threshold(*_saved_thresholds)
            _saved_thresholds = None
