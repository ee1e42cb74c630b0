"""When a screen reads the store: ahead of time, and again only when something was committed."""

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


class ShowsStoreData:
    """Mixed into screens that read from the store. Set `shown_version` to the
    `Store.data_version()` taken *before* the read that is shown: a commit during the read then
    still counts as a change, and the screen reads again next time."""

    shown_version: int | None = None

    def data_is_stale(self) -> bool:
        return self.shown_version is None or self.shown_version != self.app.store.data_version()

    def is_reading(self, group: str) -> bool:
        """A read by this screen in worker group `group` is under way."""
        return any(
            worker.group == group and worker.node is self and not worker.is_finished
            for worker in self.workers
        )
