"""How far an import has got: the step it is at, and the bytes read where they are counted.

The code that does the work says where it is with `report(...)`; whoever started the work and
wants to show it (the command line on standard error, the app as a progress bar) listens with
`reporting(callback)`. Without a listener a report costs one lookup. The listener is kept in a
context variable, so it follows the work into the thread it runs in (asyncio.to_thread copies
the context) and two imports in two threads never hear each other.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One step of the work: what is being done, and for a step that reads a file, how many of
    its bytes are done (`total` None: the step's end cannot be told in advance)."""

    label: str
    done: int | None = None
    total: int | None = None

    @property
    def fraction(self) -> float | None:
        if self.total is None or self.done is None:
            return None
        return 1.0 if self.total <= 0 else min(1.0, self.done / self.total)

    def text(self) -> str:
        fraction = self.fraction
        if fraction is None or self.total is None:
            return self.label
        return f"{self.label}: {fraction:.0%} of {size_text(self.total)}"


Listener = Callable[[Step], None]
_listener: ContextVar[Listener | None] = ContextVar("pmo_progress_listener", default=None)


@contextmanager
def reporting(listener: Listener) -> Iterator[None]:
    """Send the steps of the work done inside to `listener`."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def report(label: str, done: int | None = None, total: int | None = None) -> None:
    """Say which step the work is at (see Step)."""
    listener = _listener.get()
    if listener is not None:
        listener(Step(label, done, total))


def size_text(size: int) -> str:
    """A file's size in the units people read: 820 bytes, 14 KB, 3.2 MB, 104 MB."""
    if size < 1000:
        return f"{size} byte{'' if size == 1 else 's'}"
    scaled = float(size)
    for unit in ("KB", "MB", "GB"):
        scaled /= 1000
        if scaled < 1000 or unit == "GB":
            return f"{scaled:.1f} {unit}" if scaled < 10 else f"{scaled:.0f} {unit}"
    raise AssertionError("unreachable")


# Seconds of work before the command line starts showing its progress, and the size of file
# from which it does: a short import, or one of a small file (however large the database it
# goes into), says nothing but its result (or its one line of error).
DELAY = 1.0
LARGE = 1_000_000


class StandardErrorProgress:
    """The command line's view of an import of a file of `size` bytes, on standard error, once
    it has taken DELAY seconds and when the file is LARGE.

    On a terminal one line, rewritten in place with the step, the share of the bytes read and
    the seconds taken, and wiped at the end, so that only the result stays. Elsewhere (a log, a
    pipe) a line for each new step and for each further tenth of a file read."""

    def __init__(self, what: str, size: int, stream=None, started: float | None = None) -> None:
        self.what = what
        self.large = size >= LARGE
        self.stream = stream if stream is not None else sys.stderr
        self.terminal = bool(getattr(self.stream, "isatty", lambda: False)())
        # A second part of the same work (after opening the database) goes on counting.
        self.started = time.monotonic() if started is None else started
        self.step: Step | None = None
        self.shown: tuple[str, int] | None = None  # (label, tenths) last written as a line
        self.drawn = False  # a line on the terminal to wipe
        self.drawn_text = ""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="pmo-progress", daemon=True)

    def __enter__(self) -> StandardErrorProgress:
        self._ticker.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._ticker.join()
        with self._lock:
            if self.drawn:
                self._write("\r\x1b[K")
                self.drawn = False

    def __call__(self, step: Step) -> None:
        with self._lock:
            self.step = step
            self._show()

    def _tick(self) -> None:
        # The seconds move on a terminal even while a step says nothing new (the TOML read).
        while not self._stop.wait(0.25):
            with self._lock:
                self._show()

    def _show(self) -> None:
        elapsed = time.monotonic() - self.started
        if self.step is None or not self.large or elapsed < DELAY or self._stop.is_set():
            return
        text = f"pmo: {self.what}: {self.step.text()} ({elapsed:.0f} s)"
        if self.terminal:
            if text != self.drawn_text:
                self._write(f"\r\x1b[K{text}")
                self.drawn, self.drawn_text = True, text
            return
        fraction = self.step.fraction
        seen = (self.step.label, int(fraction * 10) if fraction is not None else -1)
        if seen != self.shown:
            self.shown = seen
            self._write(f"{text}\n")

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # standard error closed: the import goes on regardless
            pass
