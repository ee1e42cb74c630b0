"""Helpers for tests that drive the app: the app factory with a fixed day, and what the screen shows."""

from __future__ import annotations

import contextlib
import html
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import WorkerCancelled, WorkerFailed

from pmo_tui.store import Store

if TYPE_CHECKING:
    from pmo_tui.app import PmoApp

# Every test sees the same day, so statuses, pace and snapshots never drift.
TODAY = date(2026, 11, 20)


def make_app(
    store: Store, *, today: date = TODAY, offer_sample: bool = False, sample_path: Path | None = None
) -> PmoApp:
    """The app exactly as `pmo` builds it (pmo_tui.app.make_app), with the fixed day of the tests."""
    from pmo_tui.app import make_app as make_pmo_app

    return make_pmo_app(store, today=today, offer_sample=offer_sample, sample_path=sample_path)


def screenshot(app) -> str:
    """The app's screenshot (SVG) without the ids Textual makes up for each export, so that two
    screenshots of the same picture compare equal."""
    return re.sub(r"terminal-[0-9a-z-]+", "", app.export_screenshot())


def screen_text(app) -> str:
    """What the terminal shows right now, as plain text (from the app's own screenshot)."""
    svg = app.export_screenshot()
    text = re.sub(r"<[^>]+>", "", svg)
    return html.unescape(text).replace("\xa0", " ")


# Workers that wait for the user (a form, a question) finish only when answered: not waited for.
INTERACTIVE_GROUPS = {
    "new-kpi",
    "kpi-action",
    "form-save",
    "maturity-action",
    "assessment-finish",
    "okr-action",
    "cycles-action",
    "kr-action",
    "new-project",
    "project-action",
    "portfolio-action",
    "goals-action",
}


async def settle(pilot) -> None:
    """Let the workers that read or write the database finish, and the screen repaint."""
    for _ in range(3):
        for worker in [w for w in pilot.app.workers if w.group not in INTERACTIVE_GROUPS]:
            # Replaced by a newer load, or reported on screen: either way it is done.
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await worker.wait()
        await pilot.pause()
