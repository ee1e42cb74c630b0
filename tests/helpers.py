"""Helpers for tests that drive the app: the app factory with a fixed day, and what the screen shows."""

from __future__ import annotations

import html
import re
from datetime import date

from pmo_tui.store import Store

# Every test sees the same day, so statuses, pace and snapshots never drift.
TODAY = date(2026, 11, 20)


def make_app(store: Store, *, today: date = TODAY, offer_sample: bool = False):
    """The app exactly as `pmo` builds it, with the fixed day of the tests."""
    from pmo_tui.app import PmoApp

    return PmoApp(store, today=today, offer_sample=offer_sample)


def screen_text(app) -> str:
    """What the terminal shows right now, as plain text (from the app's own screenshot)."""
    svg = app.export_screenshot()
    text = re.sub(r"<[^>]+>", "", svg)
    return html.unescape(text).replace("\xa0", " ")


async def settle(pilot) -> None:
    """Let workers finish and the screen repaint."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
