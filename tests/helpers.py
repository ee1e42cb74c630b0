"""Helpers for tests that drive the app: the app factory with a fixed day, and what the screen shows."""

from __future__ import annotations

import asyncio
import contextlib
import html
import os
import re
import sqlite3
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from hypothesis import settings
from textual import events
from textual.keys import _character_to_key  # how pilot.press names a typed character
from textual.worker import WorkerCancelled, WorkerFailed

from pmo_tui.schema import BAND_COLUMNS, SCHEMA_6_TABLES, SIGNED_TABLES, VERSIONED_TABLES
from pmo_tui.store import Store

if TYPE_CHECKING:
    from pmo_tui.app import PmoApp

# Every test sees the same day, so statuses, pace and snapshots never drift.
TODAY = date(2026, 11, 20)

# Hypothesis: a developer's run draws new examples each time (and replays the failures it kept in
# .hypothesis/); CI (CI=true) draws the same ones on every run, so its verdict on a commit does not
# depend on chance. The example counts are each test's own. HYPOTHESIS_PROFILE names either.
settings.register_profile("dev")
settings.register_profile("ci", derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def make_app(
    store: Store,
    *,
    today: date = TODAY,
    offer_sample: bool = False,
    sample_path: Path | None = None,
    watch_interval: float | None = None,
) -> PmoApp:
    """The app exactly as `pmo` builds it (pmo_tui.app.make_app), with the fixed day of the tests;
    `watch_interval`: how often it looks for other sessions' changes (None: as `pmo` does)."""
    from pmo_tui.app import WATCH_INTERVAL
    from pmo_tui.app import make_app as make_pmo_app

    return make_pmo_app(
        store,
        today=today,
        offer_sample=offer_sample,
        sample_path=sample_path,
        watch_interval=WATCH_INTERVAL if watch_interval is None else watch_interval,
    )


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
    "review-action",
}


async def settle(pilot) -> None:
    """Let the workers that read or write the database finish, and the screen repaint."""
    for _ in range(3):
        for worker in [w for w in pilot.app.workers if w.group not in INTERACTIVE_GROUPS]:
            # Replaced by a newer load, or reported on screen: either way it is done.
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await worker.wait()
        await pilot.pause()


# ------------------------------------------------------------------ waiting for the work, typing


async def wait_until(pilot, condition, what: str = "the condition", timeout: float = 20.0) -> None:
    """Let the app run until condition() holds, looking every 10 ms: a test waits only as long as the
    work takes. The timeout is generous for a busy machine (pytest -n runs several apps at once)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(
                f"timed out after {timeout:g} s waiting for {what}; the screen is {pilot.app.screen!r}"
            )
        await pilot.pause(0.01)


def saving(app) -> bool:
    """A form's save is still running: its worker (group form-save) has not finished. It may be
    waiting for the answer to a question."""
    return any(worker.group == "form-save" and not worker.is_finished for worker in app.workers)


async def wait_for_screen(pilot, kind: type):
    """Wait until the app shows a screen of this type; it is returned."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind), kind.__name__)
    await pilot.pause()
    return pilot.app.screen


async def type_text(pilot, text: str) -> None:
    """Type text key by key into the focused field: the same key events, in the same order, as
    pilot.press(*text), but sent at once and waited for once instead of the app going idle after each
    key. Only for characters typed into one field (none of them moves the focus); keys that move on
    (Enter, Tab, a confidence digit) go through pilot.press."""
    for character in text:
        # The key's name as pilot.press names a character (a letter or digit is its own name).
        key = character if character.isalnum() else _character_to_key(character)
        pilot.app.post_message(events.Key(key, character))
    await pilot.pause()  # the app has passed every key on to the focused field...
    await pilot.pause()  # ...and the field has taken them


def fill(form, **values: str) -> None:
    """Set a form's inputs and selects directly (field name=value), where the typing itself is not
    what is tested; each form keeps a test that types into it key by key. A select without a ""
    choice is blanked by ""."""
    from textual.widgets import Input, Select
    from textual.widgets.select import InvalidSelectValueError

    for name, value in values.items():
        widget = form.query_one(f"#field-{name}")
        if isinstance(widget, Select):
            try:
                widget.value = value
            except InvalidSelectValueError:  # no "" choice: blank it
                widget.value = Select.NULL
        else:
            assert isinstance(widget, Input), f"#field-{name} is a {type(widget).__name__}"
            widget.value = value


async def palette(pilot, command: str) -> None:
    """Open the command palette, type a command key by key, wait until its search has put that
    command first (the search runs in a worker, its results come in batches) and press Enter."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    palette_screen = await wait_for_screen(pilot, CommandPalette)
    await type_text(pilot, command)
    commands = palette_screen.query_one(CommandList)

    def command_first() -> bool:
        if commands.option_count == 0 or any(w.node is palette_screen for w in pilot.app.workers):
            return False
        prompt = commands.get_option_at_index(0).prompt
        return command.casefold() in str(getattr(prompt, "plain", prompt)).casefold()

    await wait_until(pilot, command_first, f"the palette to list {command!r} first")
    await pilot.press("enter")
    await settle(pilot)


async def discard(pilot) -> None:
    """Esc: leave the screen shown; a form with changes asks first, and is told to throw them away."""
    from pmo_tui.screens.dialogs import ConfirmScreen, FormScreen

    screen = pilot.app.screen
    changed = isinstance(screen, FormScreen) and not screen.saving and screen.changed
    await pilot.press("escape")
    if changed:
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")


def schema_6_undone() -> list[str]:
    """The statements that make a schema 6 database what schema 5 was (on either database): no
    `by`, no versions, no band, no new tables."""
    statements = [f"DROP TABLE {table}" for table in SCHEMA_6_TABLES]
    statements += [f'ALTER TABLE {table} DROP COLUMN "by"' for table in SIGNED_TABLES]
    statements += [f"ALTER TABLE kpi DROP COLUMN {bound}" for bound in BAND_COLUMNS]
    statements += [f"ALTER TABLE {table} DROP COLUMN version" for table in VERSIONED_TABLES]
    return statements


def undo_schema_6(connection: sqlite3.Connection) -> None:
    """Make a schema 6 file what schema 5 was (see schema_6_undone)."""
    for statement in schema_6_undone():
        connection.execute(statement)
