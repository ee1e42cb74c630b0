"""Import, export and the report from inside the app: a file prompt with the command line's checks.

A file written is never the open database (nor its -wal or -shm), nor anything but a regular
file; an existing one is replaced only after the user says so. A long import shows how far it
has got as a progress bar.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import ProgressBar, Static

from pmo_tui.check_ins_csv import is_check_ins_csv, read_check_ins_csv
from pmo_tui.files import FileExists, FileNotWritten, check_target, database_files, write_private
from pmo_tui.formatting import literal
from pmo_tui.measurements_csv import read_measurements_csv
from pmo_tui.portfolio_file import PortfolioFileError, dump_portfolio, read_portfolio_text
from pmo_tui.progress import Step, report, reporting
from pmo_tui.report import build_report, report_json, report_markdown
from pmo_tui.report_html import report_html
from pmo_tui.screens.base import PmoModalScreen
from pmo_tui.screens.dialogs import ConfirmScreen, FormField, FormScreen
from pmo_tui.store import NotFound

if TYPE_CHECKING:
    from pmo_tui.app import PmoApp

# Seconds an import runs before its progress bar is shown: a short one just says what it did.
PROGRESS_DELAY = 0.5


def _path(text: str) -> Path | None:
    cleaned = text.strip()
    return Path(cleaned).expanduser() if cleaned else None


class ImportProgressScreen(PmoModalScreen[None]):
    """How far an import has got: the step it is at, a bar (the share of the file read, or
    moving while a step's end cannot be told), and the seconds taken. An import is one
    transaction: it runs to its end, and the database has all of it or none of it."""

    DEFAULT_CSS = """
    ImportProgressScreen { align: center middle; }
    ImportProgressScreen > .import-progress {
        width: 64; max-width: 100%; height: auto;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    ImportProgressScreen .import-progress-title { text-style: bold; color: $text-accent; }
    ImportProgressScreen ProgressBar { padding: 1 0 0 0; }
    """

    def __init__(self, name: str) -> None:
        super().__init__()
        self.file_name = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="import-progress"):
            yield Static(Content(f"Importing {literal(self.file_name)}"), classes="import-progress-title")
            yield Static("", id="import-step", markup=False)
            yield ProgressBar(total=None, show_eta=False, id="import-bar")

    def show(self, step: Step | None, elapsed: float) -> None:
        if step is None:
            return
        self.query_one("#import-step", Static).update(f"{step.text()} ({elapsed:.0f} s)")
        bar = self.query_one("#import-bar", ProgressBar)
        fraction = step.fraction
        if fraction is None:
            bar.update(total=None)
        else:
            bar.update(total=100, progress=round(fraction * 100, 1))


async def _with_progress(app: PmoApp, name: str, work: Callable[[], str]) -> str:
    """Run `work` in a thread; once it has taken PROGRESS_DELAY seconds, show its steps on an
    ImportProgressScreen until it ends."""
    latest: list[Step | None] = [None]

    def listened() -> str:
        with reporting(lambda step: latest.__setitem__(0, step)):
            return work()

    started = time.monotonic()
    task = asyncio.ensure_future(asyncio.to_thread(listened))
    screen: ImportProgressScreen | None = None
    try:
        while not task.done():
            await asyncio.wait({task}, timeout=0.1)
            elapsed = time.monotonic() - started
            if screen is None and not task.done() and elapsed >= PROGRESS_DELAY:
                screen = ImportProgressScreen(name)
                await app.push_screen(screen)
            if screen is not None:
                screen.show(latest[0], elapsed)
        return task.result()
    finally:
        if screen is not None and app.screen is screen:
            await app.pop_screen()


async def _write_asking(app: PmoApp, path: Path, make_text: Callable[[], str]) -> dict[str, str]:
    """Write what `make_text` gives to `path`, asking first when a file is there; never over
    the open database or anything that is not a regular file. {} once written, else the
    message for the file field."""
    protected = database_files(app.store.path)
    try:
        exists = check_target(path, protected=protected, replace=True)
    except FileNotWritten as error:
        return {"file": str(error)}
    if exists and not await app.push_screen_wait(
        ConfirmScreen(f"{path} already exists. Replace it?", yes="Replace", no="Keep")
    ):
        return {"file": "the file is there already and was kept; name another file"}
    try:
        await asyncio.to_thread(lambda: write_private(path, make_text(), protected=protected, replace=exists))
    except FileExists:
        return {"file": f"{path} has just appeared; save again to be asked about replacing it"}
    except FileNotWritten as error:
        return {"file": str(error)}
    return {}


def import_form(app: PmoApp) -> FormScreen:
    """A TOML portfolio, or a CSV of measurements or check-ins, all or nothing; a dry run only says
    what would change."""
    fields = [
        FormField(
            "file",
            "File",
            placeholder="portfolio.toml or measurements.csv",
            hint="A .csv holds KPI measurements (kpi, period, value, note) or check-ins (key_result, "
            "on, value, confidence, comment, by); anything else is TOML",
        ),
        FormField("dry_run", "Mode", "no", choices=(("import", "no"), ("dry run: check only", "yes"))),
    ]

    async def save(values: dict[str, str]) -> dict[str, str]:
        path = _path(values["file"])
        if path is None:
            return {"file": "name the file to import"}
        dry_run = values["dry_run"] == "yes"

        def run() -> str:
            if path.suffix.lower() == ".csv" and is_check_ins_csv(path):
                check_ins = read_check_ins_csv(path)
                report(f"writing {len(check_ins):,} check-ins to the database")
                summary = app.store.import_check_ins(check_ins, dry_run=dry_run, today=app.today)
                new, replaced = summary.counts["check-ins"], summary.updated["check-ins"]
                return (
                    f"{'would record' if dry_run else 'recorded'} "
                    f"{new + replaced} check-in{'' if new + replaced == 1 else 's'} "
                    f"({new} new, {replaced} replacing one of the same day)"
                )
            if path.suffix.lower() == ".csv":
                rows = read_measurements_csv(path)
                report(f"writing {len(rows):,} measurements to the database")
                # The app's day (fixed by --today or a test), not the clock's: "not after today".
                summary = app.store.import_measurements(rows, dry_run=dry_run, today=app.today)
                new, replaced = summary.counts["measurements"], summary.counts["replaced measurements"]
                return (
                    f"{'would record' if dry_run else 'recorded'} "
                    f"{new + replaced} measurement{'' if new + replaced == 1 else 's'} "
                    f"({new} new, {replaced} replacing a value)"
                )
            summary = app.store.import_portfolio_text(
                read_portfolio_text(path), str(path), dry_run=dry_run, today=app.today
            )
            said = summary.sentence(dry_run)
            return said[0].lower() + said[1:]

        try:
            said = await _with_progress(app, path.name, run)
        except PortfolioFileError as error:
            return {"file": str(error)}
        tail = " (dry run: nothing was written)" if dry_run else ""
        app.notify(f"From {path.name}: {said}{tail}.", markup=False, timeout=8)
        if not dry_run:
            app.refresh_overview()
        return {}

    return FormScreen("Import a file", fields, save)


def export_form(app: PmoApp) -> FormScreen:
    """The whole database as a TOML portfolio file, readable by the owner only."""
    # Named after the database file; a database on a server has none.
    path = app.store.path
    fields = [
        FormField(
            "file",
            "File",
            f"{path.stem if path is not None else 'portfolio'}.toml",
            hint="Written whole or not at all, readable by you only; an existing file "
            "is replaced only after you say so",
        )
    ]

    async def save(values: dict[str, str]) -> dict[str, str]:
        path = _path(values["file"])
        if path is None:
            return {"file": "name the file to write"}
        errors = await _write_asking(app, path, lambda: dump_portfolio(app.store.export_portfolio()))
        if errors:
            return errors
        app.notify(f"Portfolio exported to {path}.", markup=False, timeout=8)
        return {}

    return FormScreen("Export the portfolio", fields, save)


def report_form(app: PmoApp) -> FormScreen:
    """The executive report of today, as Markdown, JSON or one HTML page for the board."""
    fields = [
        FormField("file", "File", f"pmo-report-{app.today.isoformat()}.md"),
        FormField(
            "format",
            "Format",
            "markdown",
            choices=(("Markdown", "markdown"), ("JSON", "json"), ("HTML page with charts", "html")),
        ),
        FormField("cycle", "Cycle", "", placeholder="the current one", hint="e.g. 2026-Q3"),
    ]

    async def save(values: dict[str, str]) -> dict[str, str]:
        path = _path(values["file"])
        if path is None:
            return {"file": "name the file to write"}
        cycle = values["cycle"].strip() or None

        def text() -> str:
            made = build_report(app.store, app.today, cycle)
            writers = {"json": report_json, "html": report_html, "markdown": report_markdown}
            return writers[values["format"]](made)

        try:
            # Made first: a cycle that does not exist is said before any question is asked.
            made = await asyncio.to_thread(text)
        except NotFound as error:
            return {"cycle": str(error)}
        errors = await _write_asking(app, path, lambda: made)
        if errors:
            return errors
        app.notify(f"Report written to {path}.", markup=False, timeout=8)
        return {}

    return FormScreen("Write the executive report", fields, save)
