"""One startup measurement, run as its own process: `python bench/startup_child.py pmo|baseline [DB]`.

Prints the wall-clock time (time.time()) at which the first screen had painted its data, then
leaves at once with os._exit, so that no teardown is counted (the parent takes the time it
started this process, so interpreter start and every import are in the figure).

- pmo: what `pmo --db DB --today 2026-11-20` does (the click command line, Store.open,
  PmoApp(...).run()), headless at 120x40; "painted" is the portfolio overview showing its KPI
  tiles, a screenful of its projects (the rest follow in batches) and its objectives, and the
  screen refreshed after that.
- baseline: a Textual app that imports SQLModel and shows a Header, a Footer and one Static,
  headless at the same size; "painted" is the screen refreshed with the Static on it.

Kept free of the `bench` package so that only what is measured is imported.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time

SIZE = (120, 40)
TODAY = "2026-11-20"


def _report_after_refresh(app) -> None:
    """Print the time once the current screen has refreshed, then leave without teardown."""

    def done() -> None:
        sys.stdout.write(f"{time.time():.6f}\n")
        sys.stdout.flush()
        os._exit(0)

    app.screen.call_after_refresh(done)


async def _poll(app, ready) -> None:
    while not ready(app):
        await asyncio.sleep(0.002)
    _report_after_refresh(app)
    await asyncio.sleep(60)  # os._exit comes first


def _overview_painted(app) -> bool:
    from textual.widgets import DataTable

    from pmo_tui.screens.portfolio import MAX_TILES, PortfolioScreen

    screen = app.screen
    if not isinstance(screen, PortfolioScreen) or screen.overview is None:
        return False
    overview = screen.overview
    try:
        projects = screen.query_one("#projects", DataTable)
        objectives = screen.query_one("#objectives", DataTable)
        tiles = screen.query_one("#kpi-grid").children
    except Exception:
        return False
    # What the terminal shows: a screenful of projects (more follow in batches without holding
    # up the keys), every objective, and the tiles (all KPIs, or the 12 that most need a look).
    screenful = min(len(overview.projects), projects.size.height)
    return (projects.row_count >= screenful > 0 or not overview.projects) \
        and objectives.row_count == len(overview.objectives) \
        and len(tiles) == min(len(overview.kpis), MAX_TILES)


def run_pmo(db: str) -> None:
    from pmo_tui.app import PmoApp
    from pmo_tui.cli import main

    original = PmoApp.run

    def headless_run(self, *args, **kwargs):
        async def pilot(_pilot) -> None:
            await _poll(self, _overview_painted)

        return original(self, headless=True, size=SIZE, auto_pilot=pilot)

    PmoApp.run = headless_run
    main(["--db", db, "--today", TODAY])


def run_baseline() -> None:
    import sqlmodel  # noqa: F401  (the baseline pays for the same ORM import)
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class Baseline(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("Hello from the baseline", id="hello")
            yield Footer()

    def shown(app) -> bool:
        return bool(app.screen.query("#hello"))

    async def pilot(_pilot) -> None:
        await _poll(app, shown)

    app = Baseline()
    app.run(headless=True, size=SIZE, auto_pilot=pilot)


if __name__ == "__main__":
    if sys.argv[1] == "pmo":
        run_pmo(sys.argv[2])
    else:
        run_baseline()
    sys.exit("the app ended before it painted")
