"""Latencies inside the running app, and its peak memory, measured in a process of their own.

    python -m bench.interactive DB [--checkins N] [--switches N] [--budget SECONDS]
    python -m bench.interactive DB --rss

Prints one JSON object. The app is the real one (`make_app(store, today=2026-11-20)`) driven
headless through Textual's `run_test` at 120x40; the database is changed (check-ins are saved),
so give it a copy.

Every timed action is a key event posted to the app exactly as a terminal would deliver it
(`events.Key`, no pilot waits inside the timing), and the clock stops once the screen shows the
result *and has refreshed after it* (`call_after_refresh`):

- check-in: Enter on the comment field saves the key result's check-in (a write through the
  Store) and shows the next key result of the queue; stopped when the check-in card shows it.
- switch: keys 2, 3, 4 and 1 (KPIs, OKRs, Maturity, Portfolio); stopped when the area is the
  current screen and shows the database as it is (`shown_version` equals the store's
  `data_version()`: an area re-reads only when something was committed since it last read).
- KPI detail: Enter on a row of the KPI list; stopped when the detail has shown its data (a new
  screen each time, so always read).

Between timed actions the app is let to settle (workers done, pilot idle), untimed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import resource
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 20)
SIZE = (120, 40)
# Waiting longer than this for one result is a failure, not a slow figure.
STEP_TIMEOUT = 120.0
# Workers that wait for the user are not waited for when settling.
INTERACTIVE_GROUPS = {
    "new-kpi",
    "kpi-action",
    "form-save",
    "maturity-action",
    "assessment-finish",
    "okr-action",
    "cycles-action",
    "kr-action",
    "check-in-save",
}


class Watch:
    """Counts the `Loaded` messages as each screen starts to handle one (the run_test hook)."""

    def __init__(self) -> None:
        self.counts: dict[type, int] = defaultdict(int)

    def hook(self, message) -> None:
        if type(message).__name__ == "Loaded":
            self.counts[type(message)] += 1


def _key(key: str):
    from textual import events

    characters = {"enter": "\r", "escape": "\x1b"}
    return events.Key(key, characters.get(key, key if len(key) == 1 else None))


async def _until(condition, what: str, timeout: float = STEP_TIMEOUT) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        await asyncio.sleep(0.001)


async def _after(schedule) -> None:
    """Wait for a callback scheduled with call_later / call_after_refresh to run."""
    future = asyncio.get_running_loop().create_future()
    if not schedule(lambda: future.done() or future.set_result(None)):
        return
    await asyncio.wait_for(future, STEP_TIMEOUT)


async def _shown(screen) -> None:
    """The screen has handled what is in its queue and refreshed after it."""
    await _after(screen.call_later)
    await _after(screen.call_after_refresh)


async def settle(app, pilot) -> None:
    """Let the database workers finish and the screen repaint (not timed)."""
    from textual.worker import WorkerCancelled, WorkerFailed

    for _ in range(3):
        running = [w for w in app.workers if w.group not in INTERACTIVE_GROUPS and not w.is_finished]
        for worker in running:
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await asyncio.wait_for(worker.wait(), STEP_TIMEOUT)
        await pilot.pause()
        if not running:
            break


def _up_to_date(app, screen_type: type) -> bool:
    """`screen_type` is the current screen and shows the database as it is now: either it
    has just read it, or nothing was committed since it last did."""
    screen = app.screen
    return isinstance(screen, screen_type) and screen.shown_version == app.store.data_version()


async def _timed_load(app, watch: Watch, key: str, screen_type: type) -> float:
    """Milliseconds from `key` to `screen_type` showing up-to-date data, painted."""
    started = time.perf_counter()
    app.post_message(_key(key))
    await _until(lambda: _up_to_date(app, screen_type), f"{screen_type.__name__} after key {key!r}")
    await _shown(app.screen)
    return (time.perf_counter() - started) * 1000


def _cycle_codes(store) -> list[str]:
    """Every live key result of the current cycle, to check in again when the queue runs out."""
    board = store.okr_board(TODAY)
    return [
        kr.code
        for objective in board.objectives
        if objective.status == "active"
        for kr in objective.key_results
        if not kr.archived
    ]


async def measure_checkins(app, pilot, count: int, deadline: float) -> list[float]:
    from textual.widgets import Input, Static

    from pmo_tui.screens.check_in import CheckInScreen

    times: list[float] = []
    await pilot.press("c")
    codes: list[str] | None = None
    screen = None
    while len(times) < count and time.perf_counter() < deadline:
        if app.screen is not screen:  # a new card: let it load and settle
            await _until(
                lambda: isinstance(app.screen, CheckInScreen) and app.screen.items, "the check-in queue"
            )
            await settle(app, pilot)
            screen = app.screen
        if screen.position + 1 >= len(screen.items):
            # Saving the last one closes the card: not a "next key result". Walk the cycle again.
            await pilot.press("escape")
            await settle(app, pilot)
            codes = codes or _cycle_codes(app.store)
            if len(codes) < 2:
                raise RuntimeError("the current cycle needs two key results for the check-in")
            app.push_screen(CheckInScreen(codes=codes))
            continue
        position = screen.position
        saved = len(screen.saved)
        next_code = screen.items[position + 1].key_result.code
        picker = screen.query_one("#ci-confidence")
        comment = screen.query_one("#ci-comment", Input)
        app.post_message(_key("enter"))  # keep the value shown
        await _until(lambda picker=picker: picker.has_focus, "the confidence picker")
        app.post_message(_key(str(7 - len(times) % 3)))  # the confidence; the comment is next
        await _until(lambda comment=comment: comment.has_focus, "the comment field")
        await _shown(screen)
        started = time.perf_counter()
        app.post_message(_key("enter"))  # saves and moves on
        await _until(
            lambda screen=screen, position=position: (
                screen.position == position + 1
                or screen.query_one("#ci-value-error", Static).has_class("-shown")
            ),
            "the next key result",
        )
        if screen.position != position + 1 or len(screen.saved) != saved + 1:
            raise RuntimeError(f"check-in {len(times) + 1} was not saved")
        await _shown(screen)
        times.append((time.perf_counter() - started) * 1000)
        if next_code not in str(screen.query_one("#ci-title", Static).render()):
            raise RuntimeError(f"the check-in card does not show {next_code}")
    await pilot.press("escape")
    await settle(app, pilot)
    return times


async def measure_switches(app, pilot, watch: Watch, count: int, deadline: float) -> dict[str, list[float]]:
    from textual.widgets import DataTable

    from pmo_tui.screens.kpi_detail import KpiDetailScreen
    from pmo_tui.screens.kpis import KpiListScreen
    from pmo_tui.screens.maturity import MaturityScreen
    from pmo_tui.screens.okrs import OkrScreen
    from pmo_tui.screens.portfolio import PortfolioScreen

    areas = [
        ("kpis", "2", KpiListScreen),
        ("okrs", "3", OkrScreen),
        ("maturity", "4", MaturityScreen),
        ("portfolio", "1", PortfolioScreen),
    ]
    times: dict[str, list[float]] = {name: [] for name, _, _ in areas}
    times["kpi_detail"] = []
    for round_number in range(count):
        if time.perf_counter() > deadline:
            break
        for name, key, screen_type in areas:
            times[name].append(await _timed_load(app, watch, key, screen_type))
            await settle(app, pilot)
            if name == "kpis":
                table = app.screen.query_one("#kpi-table", DataTable)
                table.focus()
                table.move_cursor(row=(round_number * 7) % max(1, table.row_count))
                await settle(app, pilot)
                times["kpi_detail"].append(await _timed_load(app, watch, "enter", KpiDetailScreen))
                await settle(app, pilot)
                await pilot.press("escape")
                await settle(app, pilot)
    return times


async def open_every_screen(app, pilot, watch: Watch) -> list[str]:
    """Each area, a KPI's detail, a key result's detail and the check-in, once."""
    from textual.widgets import DataTable

    from pmo_tui.screens.check_in import CheckInScreen
    from pmo_tui.screens.key_result_detail import KeyResultDetailScreen
    from pmo_tui.screens.kpi_detail import KpiDetailScreen
    from pmo_tui.screens.kpis import KpiListScreen
    from pmo_tui.screens.maturity import MaturityScreen
    from pmo_tui.screens.okrs import OkrScreen
    from pmo_tui.screens.portfolio import PortfolioScreen

    opened = []
    for key, screen_type in (
        ("2", KpiListScreen),
        ("enter", KpiDetailScreen),
        ("escape", None),
        ("3", OkrScreen),
        ("4", MaturityScreen),
        ("1", PortfolioScreen),
    ):
        if screen_type is None:
            await pilot.press(key)
        else:
            await _timed_load(app, watch, key, screen_type)
            opened.append(screen_type.__name__)
        await settle(app, pilot)
    code = _cycle_codes(app.store)[0]
    before = watch.counts[KeyResultDetailScreen.Loaded]
    app.push_screen(KeyResultDetailScreen(code))
    await _until(lambda: watch.counts[KeyResultDetailScreen.Loaded] > before, "the key result's detail")
    await settle(app, pilot)
    opened.append("KeyResultDetailScreen")
    await pilot.press("escape")
    await settle(app, pilot)
    await pilot.press("c")
    await _until(lambda: isinstance(app.screen, CheckInScreen) and app.screen.items, "the check-in")
    await settle(app, pilot)
    opened.append("CheckInScreen")
    # The overview at the bottom of the stack has everything: its tiles, projects and objectives.
    table = app.screen_stack[0].query_one("#projects", DataTable)
    if not isinstance(app.screen_stack[0], PortfolioScreen) or not table.row_count:
        raise RuntimeError("the overview shows no projects")
    return opened


async def baseline_switches(count: int) -> list[float]:
    """The same switch in a bare Textual app (four modes of a Header, a Static and a Footer,
    the same keys 1-4): what Textual alone costs on this machine, for comparison."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.screen import Screen
    from textual.widgets import Footer, Header, Static

    class Area(Screen):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static(f"Area {type(self).__name__}", id="body")
            yield Footer()

    areas = {name: type(f"Area{name.title()}", (Area,), {}) for name in ("one", "two", "three", "four")}

    class Bare(App[None]):
        MODES = areas
        DEFAULT_MODE = "one"
        BINDINGS = [Binding(str(n), f"switch_mode('{name}')", name) for n, name in enumerate(areas, start=1)]

    app = Bare()
    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for number in range(count):
            for key, name in ((str(n), name) for n, name in enumerate(areas, start=1)):
                if key == "1" and number == 0:
                    continue
                first = number == 0
                started = time.perf_counter()
                app.post_message(_key(key))
                await _until(
                    lambda name=name: isinstance(app.screen, areas[name]) and app.screen.query("#body"),
                    f"the bare app's {name}",
                )
                await _shown(app.screen)
                if not first:  # a screen's first showing mounts it: the app's are warm too
                    times.append((time.perf_counter() - started) * 1000)
                await pilot.pause()
    return times


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank): with 50 samples, the third slowest."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-95 * len(ordered) // 100))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50_ms": round(median(values), 2),
        "p95_ms": round(p95(values), 2),
        "max_ms": round(max(values), 2) if values else float("nan"),
    }


async def run(db: Path | str, checkins: int, switches: int, budget: float, rss: bool) -> dict:
    from bench.table_parts import apply_from_env, count_work_from_env
    from pmo_tui.app import make_app
    from pmo_tui.screens.portfolio import PortfolioScreen
    from pmo_tui.store import Store

    apply_from_env()  # PMO_BENCH_TABLE_OFF: FixedTable with some parts off (bench/README.md)
    counts = count_work_from_env()  # PMO_BENCH_COUNT: frames and cells drawn
    watch = Watch()
    store = Store.open(db)
    app = make_app(store, today=TODAY, offer_sample=False)
    result: dict = {}
    try:
        async with app.run_test(size=SIZE, message_hook=watch.hook) as pilot:
            # Shown at its first paint, or from a Loaded message: the screen has it either way.
            await _until(
                lambda: isinstance(app.screen, PortfolioScreen) and app.screen.overview is not None,
                "the overview",
            )
            await settle(app, pilot)
            if rss:
                result["screens"] = await open_every_screen(app, pilot, watch)
                # ru_maxrss is in kilobytes on Linux.
                result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
                return result
            started = time.perf_counter()
            # Half of the time budget for each part, so that a slow app still ends in time.
            counted = dict(counts or {})
            checkin = await measure_checkins(app, pilot, checkins, started + budget / 2)
            result["checkin"] = _summary(checkin)
            if counts is not None:
                result["checkin"]["counts_per_action"] = _per_action(counts, counted, len(checkin))
                counted = dict(counts)
            switch = await measure_switches(app, pilot, watch, switches, time.perf_counter() + budget / 2)
            if counts is not None:
                done = sum(len(values) for values in switch.values())
                result["switch_counts_per_action"] = _per_action(counts, counted, done)
            result["switch"] = {name: _summary(values) for name, values in switch.items()}
            every = [value for values in switch.values() for value in values]
            result["switch"]["all"] = _summary(every)
            result["seconds"] = round(time.perf_counter() - started, 1)
        result["baseline_switch"] = _summary(await baseline_switches(6))
    finally:
        store.close()
    return result


def _per_action(counts: dict, before: dict, actions: int) -> dict:
    """What was counted since `before`, per timed action (settling between them included)."""
    return {name: round((counts[name] - before.get(name, 0)) / max(1, actions), 1) for name in counts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.interactive")
    parser.add_argument("db", help="a SQLite file, or a PostgreSQL URL")
    parser.add_argument("--checkins", type=int, default=50)
    parser.add_argument("--switches", type=int, default=50)
    parser.add_argument(
        "--budget",
        type=float,
        default=240.0,
        help="seconds for the check-ins and the switches together; fewer samples past it",
    )
    parser.add_argument("--rss", action="store_true", help="open every screen once and report peak RSS")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.db, args.checkins, args.switches, args.budget, args.rss))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
