"""A save on its way to the database that the interface may still call off, up to its commit.

A write waits for the database's write lock (another program may hold it). Until the store has
that lock and starts to write, `call_off()` stops the save: it then writes nothing. Once the
store has started to write, `call_off()` says so, and the save is stored (unless the write
itself fails, which its caller is told).
"""

from __future__ import annotations

import threading
from datetime import date
from typing import NamedTuple


class SaveCalledOff(Exception):
    """The save was called off before it wrote anything: the transaction is rolled back."""


class SaveTicket:
    """Shared by the interface (which may call the save off) and the store (which writes)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = "waiting"  # waiting → writing, or waiting → called off
        self.settled = threading.Event()  # set once the store has either written or given up

    def call_off(self) -> bool:
        """True: the save will write nothing. False: it is already writing and will be stored."""
        with self._lock:
            if self._state == "waiting":
                self._state = "called off"
            return self._state == "called off"

    def go_ahead(self) -> None:
        """Called by the store holding the write lock, just before it writes.

        Raises SaveCalledOff when the save was called off meanwhile."""
        with self._lock:
            called_off = self._state == "called off"
            if not called_off:
                self._state = "writing"
        self.settled.set()
        if called_off:
            raise SaveCalledOff()


class AnswerSaved(NamedTuple):
    """What saving one maturity answer did."""

    changed: bool  # False: the answer and comment were already stored as given; nothing written
    reopened: bool  # a finished assessment whose answer changed is unfinished again
    finished_others: tuple[date, ...] = ()  # the unfinished assessments set finished by the reopening
