"""One startup measurement, run as its own process: `python bench/startup_child.py pmo|baseline [DB]`.

Prints two wall-clock times (time.time()) and leaves at once with os._exit, so that no teardown
is counted (the parent takes the time it started this process, so interpreter start and every
import are in the figures):

- first frame: the first screen update Textual hands to the terminal (App._display, called for
  every frame, headless too) after which the screen shows its data, laid out;
- settled: the screen has then handled its messages and refreshed, with nothing left to paint
  (later batches of project rows keep the overview busy a little longer).

- pmo: what `pmo --db DB --today 2026-11-20` does (the click command line, Store.open,
  PmoApp(...).run()), headless at 120x40; "its data" is the portfolio overview's KPI tiles, a
  screenful of its projects (the rest follow in batches) and its objectives.
- baseline: a Textual app that imports SQLModel and shows a Header, a Footer and one Static,
  headless at the same size; "its data" is the Static.
- pmo-session (not timed): opens the app on DB as a user would, waits until the overview has
  been read and kept in the overview cache, and quits normally: the session before a warm start.

Kept free of the `bench` package so that only what is measured is imported.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
import time

SIZE = (120, 40)
TODAY = "2026-11-20"


_first_frame: list[float] = []


def _watch_frames(app, ready) -> None:
    """Note the time of the first frame sent to the terminal that shows the data."""
    display = app._display

    def watched(screen, renderable) -> None:
        display(screen, renderable)
        if not _first_frame and ready(app):
            _first_frame.append(time.time())

    app._display = watched


def _report_after_refresh(app) -> None:
    """Print the times once the current screen has refreshed, then leave without teardown."""

    def done() -> None:
        settled = time.time()
        first = _first_frame[0] if _first_frame else settled
        sys.stdout.write(f"{first:.6f} {settled:.6f}\n")
        sys.stdout.flush()
        os._exit(0)

    app.screen.call_after_refresh(done)


async def _poll(app, ready) -> None:
    while not ready(app):
        await asyncio.sleep(0.002)
    _report_after_refresh(app)
    await asyncio.sleep(60)  # os._exit comes first


def _laid_out(widget) -> bool:
    """The widget has a place on the screen, whole within its container (a KPI tile cut off at
    the grid's foot does not count): the frames since its last layout show it."""
    region = widget.region
    return bool(region) and widget.parent.region.contains_region(region)


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
    return (
        (projects.row_count >= screenful > 0 or not overview.projects)
        and objectives.row_count == len(overview.objectives)
        and len(tiles) == min(len(overview.kpis), MAX_TILES)
        and all(_laid_out(widget) for widget in (projects, objectives, *tiles))
    )


def run_pmo(db: str, *, session: bool = False) -> None:
    # Only the command line first, as the `pmo` script imports it: the app and the database
    # layer are imported by the command itself, and the app is made headless once imported.
    from pmo_tui import cli

    run_tui = cli._run_tui

    def headless_tui(*args, **kwargs):
        from pmo_tui.app import PmoApp

        original = PmoApp.run

        def headless_run(self, *args, **kwargs):
            async def pilot(_pilot) -> None:
                await _poll(self, _overview_painted)

            async def whole_session(_pilot) -> None:
                from pmo_tui import overview_cache

                def kept() -> bool:  # what the next start will find
                    store = self.store
                    return overview_cache.load(store.location, store.revision(), self.today) is not None

                while not _overview_painted(self) or not kept():
                    await asyncio.sleep(0.05)
                self.exit()

            if not session:
                _watch_frames(self, _overview_painted)
            return original(self, headless=True, size=SIZE, auto_pilot=whole_session if session else pilot)

        PmoApp.run = headless_run
        return run_tui(*args, **kwargs)

    cli._run_tui = headless_tui
    cli.main(["--db", db, "--today", TODAY])


def run_baseline() -> None:
    importlib.import_module("sqlmodel")  # the baseline pays for the same ORM import
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class Baseline(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("Hello from the baseline", id="hello")
            yield Footer()

    def shown(app) -> bool:
        return any(_laid_out(hello) for hello in app.screen.query("#hello"))

    async def pilot(_pilot) -> None:
        await _poll(app, shown)

    app = Baseline()
    _watch_frames(app, shown)
    app.run(headless=True, size=SIZE, auto_pilot=pilot)


if __name__ == "__main__":
    if os.environ.get("PMO_BENCH_TABLE_OFF"):  # FixedTable with some parts off (bench/README.md)
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        from bench.table_parts import apply_from_env

        apply_from_env()
    if sys.argv[1] == "pmo-session":
        run_pmo(sys.argv[2], session=True)
        sys.exit(0)
    if sys.argv[1] == "pmo":
        run_pmo(sys.argv[2])
    else:
        run_baseline()
    sys.exit("the app ended before it painted")
