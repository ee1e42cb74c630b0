"""FixedTable alone, each of its parts turned off in turn (bench/table_parts.py).

    python -m bench.tables [--rows 2000] [--reps 5] [--parts none,measure,...,all]

Prints one JSON object: per variant, the median over `--reps` of each figure (milliseconds, or
counts), taken in a headless app at 120x40 holding one table of the overview's project columns
(9 fixed widths, zebra stripes, row cursor), the way the overview fills it:

- `add_ms`: 2,000 rows of Text cells added in batches of 200, up to the app idle again;
- `first_paint_ms`: the screenful drawn after that, from nothing drawn;
- `cursor_ms`: one key Down (the cursor one row on) and the screenful drawn again, per key;
- `page_ms`: one page further down (rows never drawn before) and the screenful drawn, per page;
- `restyle_ms`: a style refresh that changes nothing (a screen shown again, a notification)
  and the screenful drawn again;
- `scroll_setups`: how often the scroll bars were set up over 20 layouts that change nothing
  (each one a repaint a frame later).

Times are the process's CPU time (`time.process_time`), which other programs running on the
machine disturb far less than the clock. Variants run one after the other in one process,
interleaved over the repetitions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time

SIZE = (120, 40)
COLUMNS = [
    ("Code", 9),
    ("Project", 28),
    ("Schedule", 9),
    ("Cost", 9),
    ("SPI", 6),
    ("CPI", 6),
    ("Owner", 16),
    ("Phase", 12),
    ("Updated", 11),
]
BATCH = 200


def _rows(count: int) -> list[tuple[str, list]]:
    from rich.text import Text

    rows = []
    for n in range(count):
        rows.append(
            (
                f"P-{n:05d}",
                [
                    Text(f"P-{n:05d}"),
                    Text(f"Project number {n} of the portfolio", overflow="ellipsis", no_wrap=True),
                    Text("on track" if n % 3 else "late", style="green" if n % 3 else "red"),
                    Text(f"{(n * 37) % 100_000:,}", justify="right"),
                    Text(f"{0.8 + (n % 40) / 100:.2f}", justify="right"),
                    Text(f"{0.9 + (n % 30) / 100:.2f}", justify="right"),
                    Text(f"Owner {n % 53}"),
                    Text(("Initiation", "Planning", "Execution", "Closing")[n % 4]),
                    Text(f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}"),
                ],
            )
        )
    return rows


def _fastdatatable_class():
    """textual-fastdatatable's DataTable (pip install textual-fastdatatable), filled the same
    way as far as it can be: it stores cells in Arrow, which refuses Rich Text (ArrowTypeError),
    so each cell is given as its plain text, without its style; it has no row keys."""
    from textual_fastdatatable import DataTable as Fast
    from textual_fastdatatable.backend import create_backend

    class FastTable(Fast):
        def __init__(self, **kwargs) -> None:
            backend = create_backend(None, column_names=[label for label, _ in COLUMNS])
            super().__init__(backend=backend, column_widths=[width for _, width in COLUMNS], **kwargs)

        def add_column(self, label, *, key=None, width=None) -> None:
            pass  # the columns come with the backend

        def add_keyed_rows(self, rows) -> None:
            self.add_rows([[cell.plain for cell in cells] for _, cells in rows])

    return FastTable


def _table_class(off: set[str]):
    if off == {"fastdatatable"}:
        return _fastdatatable_class()
    from bench.table_parts import turn_off
    from pmo_tui.widgets.tables import FixedTable

    if off == {"all"}:
        from textual.widgets import DataTable

        class Plain(DataTable):
            def add_keyed_rows(self, rows) -> None:
                for key, cells in rows:
                    self.add_row(*cells, key=key)

        return Plain
    # A subclass per variant, so that the variants live side by side in one process.
    variant = type(f"FixedTable_{'_'.join(sorted(off)) or 'all_on'}", (FixedTable,), {})
    turn_off(variant, off)
    return variant


async def _measure(table_class, rows: list) -> dict:
    from textual.app import App, ComposeResult

    class One(App[None]):
        def compose(self) -> ComposeResult:
            table = table_class(id="t", cursor_type="row", zebra_stripes=True)
            for label, width in COLUMNS:
                table.add_column(label, key=label, width=width)
            yield table

    figures: dict = {}
    app = One()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one("#t")
        table.focus()
        await pilot.pause()

        def draw() -> None:
            for y in range(table.size.height):
                table.render_line(y)

        started = time.process_time()
        for start in range(0, len(rows), BATCH):
            table.add_keyed_rows(rows[start : start + BATCH])
            await pilot.pause()
        figures["add_ms"] = (time.process_time() - started) * 1000
        assert table.row_count == len(rows)

        table._clear_caches()  # as a table shown for the first time
        started = time.process_time()
        draw()
        figures["first_paint_ms"] = (time.process_time() - started) * 1000

        steps = 100
        started = time.process_time()
        for _ in range(steps):
            table.action_cursor_down()
            draw()
        figures["cursor_ms"] = (time.process_time() - started) * 1000 / steps

        height = table.size.height - 1
        pages = 20
        started = time.process_time()
        for page in range(1, pages + 1):
            table.scroll_to(y=page * height, animate=False, immediate=True)
            draw()
        figures["page_ms"] = (time.process_time() - started) * 1000 / pages

        restyles = 10
        total = 0.0
        for _ in range(restyles):
            started = time.process_time()
            app.stylesheet.update(app.screen)
            draw()
            total += time.process_time() - started
            await pilot.pause()
        figures["restyle_ms"] = total * 1000 / restyles

        setups = []
        original = table._scroll_update
        table._scroll_update = lambda virtual_size: (setups.append(1), original(virtual_size))
        for _ in range(20):
            app.screen.refresh(layout=True)
            await pilot.pause()
        figures["scroll_setups"] = len(setups)
    return figures


def main(argv: list[str] | None = None) -> int:
    from bench.table_parts import PARTS

    parser = argparse.ArgumentParser(prog="python -m bench.tables")
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument(
        "--parts",
        default=",".join(["none", *PARTS, "all"]),
        help="variants: none (FixedTable as it is), a part (that part off), all (plain DataTable),"
        " fastdatatable (textual-fastdatatable's DataTable, if installed)",
    )
    args = parser.parse_args(argv)
    rows = _rows(args.rows)
    variants = args.parts.split(",")
    classes = {name: _table_class(set() if name == "none" else {name}) for name in variants}
    samples: dict[str, list[dict]] = {name: [] for name in variants}
    for rep in range(args.reps):
        for name in variants:
            samples[name].append(asyncio.run(_measure(classes[name], rows)))
            print(f"[tables] rep {rep + 1}/{args.reps} {name}: {samples[name][-1]}", file=sys.stderr)
    report = {
        name: {key: round(statistics.median(s[key] for s in runs), 2) for key in runs[0]}
        for name, runs in samples.items()
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
