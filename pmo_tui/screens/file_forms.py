"""Import, export and the report from inside the app: a file prompt with the command line's checks."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.app import App

from pmo_tui.files import FileNotWritten, write_private
from pmo_tui.measurements_csv import read_measurements_csv
from pmo_tui.portfolio_file import PortfolioFileError, dump_portfolio, read_portfolio_text
from pmo_tui.report import build_report, report_json, report_markdown
from pmo_tui.store import NotFound
from pmo_tui.widgets.form import FormField, FormScreen


def _path(text: str) -> Path | None:
    cleaned = text.strip()
    return Path(cleaned).expanduser() if cleaned else None


def import_form(app: App) -> FormScreen:
    """A TOML portfolio or a CSV of measurements, all or nothing; a dry run only says what would change."""
    fields = [
        FormField("file", "File", placeholder="portfolio.toml or measurements.csv",
                  hint="A .csv holds KPI measurements (kpi, period, value, note); anything else is TOML"),
        FormField("dry_run", "Mode", "no", choices=(("import", "no"), ("dry run: check only", "yes"))),
    ]

    async def save(values: dict[str, str]) -> dict[str, str]:
        path = _path(values["file"])
        if path is None:
            return {"file": "name the file to import"}
        dry_run = values["dry_run"] == "yes"

        def run() -> str:
            if path.suffix.lower() == ".csv":
                summary = app.store.import_measurements(read_measurements_csv(path), dry_run=dry_run)
                new, replaced = summary.counts["measurements"], summary.counts["replaced measurements"]
                return (f"{'would record' if dry_run else 'recorded'} {new + replaced} measurements "
                        f"({new} new, {replaced} replacing a value)")
            summary = app.store.import_portfolio_text(read_portfolio_text(path), str(path),
                                                      dry_run=dry_run)
            said = summary.sentence(dry_run)
            return said[0].lower() + said[1:]

        try:
            said = await asyncio.to_thread(run)
        except PortfolioFileError as error:
            return {"file": str(error)}
        tail = " (dry run: nothing was written)" if dry_run else ""
        app.notify(f"From {path.name}: {said}{tail}.", markup=False, timeout=8)
        if not dry_run:
            app.refresh_overview()
        return {}

    return FormScreen("Import a file", fields, save)


def export_form(app: App) -> FormScreen:
    """The whole database as a TOML portfolio file, readable by the owner only."""
    fields = [FormField("file", "File", f"{app.store.path.stem}.toml",
                        hint="Written whole or not at all, readable by you only")]

    async def save(values: dict[str, str]) -> dict[str, str]:
        path = _path(values["file"])
        if path is None:
            return {"file": "name the file to write"}
        try:
            await asyncio.to_thread(lambda: write_private(path, dump_portfolio(app.store.export_portfolio())))
        except FileNotWritten as error:
            return {"file": str(error)}
        app.notify(f"Portfolio exported to {path}.", markup=False, timeout=8)
        return {}

    return FormScreen("Export the portfolio", fields, save)


def report_form(app: App) -> FormScreen:
    """The executive report of today, as Markdown or JSON."""
    fields = [
        FormField("file", "File", f"pmo-report-{app.today.isoformat()}.md"),
        FormField("format", "Format", "markdown", choices=(("Markdown", "markdown"), ("JSON", "json"))),
        FormField("cycle", "Cycle", "", placeholder="the current one", hint="e.g. 2026-Q3"),
    ]

    async def save(values: dict[str, str]) -> dict[str, str]:
        path = _path(values["file"])
        if path is None:
            return {"file": "name the file to write"}
        cycle = values["cycle"].strip() or None

        def run() -> None:
            report = build_report(app.store, app.today, cycle)
            text = report_json(report) if values["format"] == "json" else report_markdown(report)
            write_private(path, text)

        try:
            await asyncio.to_thread(run)
        except NotFound as error:
            return {"cycle": str(error)}
        except FileNotWritten as error:
            return {"file": str(error)}
        app.notify(f"Report written to {path}.", markup=False, timeout=8)
        return {}

    return FormScreen("Write the executive report", fields, save)
