"""Reads started ahead of time, in a thread of their own: a screen's first data, read while it is built.

When a screen reads again (only when something was committed, by this session or another one):
screens/base.py, ShowsStoreData, and app.py, PmoApp.look_for_changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any


def read_ahead(read: Callable[[], Any]) -> Future:
    """Start `read` in a thread of its own at once (a screen's first data, read while the screen
    is still being built); the future holds its result or its error."""
    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(read())
        except BaseException as error:  # handed to whoever waits for it
            future.set_exception(error)

    threading.Thread(target=run, name="pmo-read-ahead", daemon=True).start()
    return future


def arrived(ahead: Future, within: float) -> Any | None:
    """The result of a read started ahead, if it comes within `within` seconds (a frame or so,
    so that a screen's first paint shows it rather than "loading"); else None: not ready yet, or
    failed, and the screen's worker waits for it and reports a failure."""
    try:
        return ahead.result(timeout=within)
    except Exception:
        return None
