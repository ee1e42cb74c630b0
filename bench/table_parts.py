"""FixedTable with some of its parts turned off: what each part buys (bench/README.md).

    PMO_BENCH_TABLE_OFF=cells,rows python -m bench ...     # the whole bench, those parts off
    PMO_BENCH_COUNT=1 python -m bench.interactive DB ...   # frames and cells drawn, counted
    python -m bench.tables                                 # the table alone, each part off in turn

Each part of FixedTable replaces a DataTable method; turning it off puts DataTable's own back
(on the class, for the whole process). Measuring code only: the app never imports this.
"""

from __future__ import annotations

import os
from collections import Counter

# The parts, as bench/README.md names them, and what turning each off restores.
PARTS = {
    "measure": "no measuring of fixed-width columns (_update_dimensions)",
    "batch": "add_keyed_rows in one go (off: DataTable.add_row per row)",
    "cells": "one-line Text cells drawn without Rich's renderable machinery (_render_cell)",
    "rows": "a row's line drawn with its style cached (_render_line_in_row)",
    "keep": "what is drawn kept through a style refresh that changes nothing",
    "scrollbars": "scroll bars set up only when what they show changes (_size_updated)",
}
ENV = "PMO_BENCH_TABLE_OFF"


def turn_off(table_class: type, parts: set[str]) -> None:
    """Put DataTable's own methods back on `table_class` for `parts`."""
    from textual.widget import Widget
    from textual.widgets import DataTable

    unknown = parts - set(PARTS)
    if unknown:
        raise ValueError(f"unknown table parts {sorted(unknown)}; known: {sorted(PARTS)}")

    def own(name: str) -> None:
        setattr(table_class, name, DataTable.__dict__[name])

    if "measure" in parts:
        own("_update_dimensions")
    if "batch" in parts:

        def add_keyed_rows(self, rows) -> None:
            for key, cells in rows:
                DataTable.add_row(self, *cells, key=key)

        table_class.add_keyed_rows = add_keyed_rows
    if "cells" in parts:
        own("_render_cell")
    if "rows" in parts:
        own("_render_line_in_row")
    if "keep" in parts:
        table_class.notify_style_update = DataTable.notify_style_update
        table_class.render_line = DataTable.render_line
    if "scrollbars" in parts:
        # DataTable has no _size_updated of its own: ScrollView's.
        table_class._size_updated = next(
            klass.__dict__["_size_updated"]
            for klass in DataTable.__mro__
            if "_size_updated" in klass.__dict__ and klass is not Widget
        )


def parts_off_from_env() -> set[str]:
    return {part for part in os.environ.get(ENV, "").replace(" ", "").split(",") if part}


def apply_from_env() -> None:
    """Turn off the parts named in PMO_BENCH_TABLE_OFF, if any."""
    parts = parts_off_from_env()
    if parts:
        from pmo_tui.widgets.tables import FixedTable

        turn_off(FixedTable, parts)


COUNT_ENV = "PMO_BENCH_COUNT"


def count_work_from_env() -> Counter | None:
    """With PMO_BENCH_COUNT=1, count the work done, for figures that a busy machine does not
    blur: the frames the app hands to the terminal, and the cells and row lines the FixedTables
    draw anew (their render caches' misses). The counting costs time: not for timed runs."""
    if not os.environ.get(COUNT_ENV):
        return None
    from textual.app import App
    from textual.cache import LRUCache

    from pmo_tui.widgets.tables import FixedTable

    counts: Counter = Counter()

    class Counting(LRUCache):
        def __init__(self, maxsize: int, what: str) -> None:
            super().__init__(maxsize)
            self.what = what

        def set(self, key, value) -> None:
            counts[self.what] += 1
            super().set(key, value)

        __setitem__ = set

    init = FixedTable.__init__

    def counting_init(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        self._cell_render_cache = Counting(self._cell_render_cache.maxsize, "cells_drawn")
        self._row_render_cache = Counting(self._row_render_cache.maxsize, "row_lines_drawn")

    FixedTable.__init__ = counting_init
    display = App._display

    def counting_display(self, screen, renderable) -> None:
        if renderable is not None:
            counts["frames"] += 1
        display(self, screen, renderable)

    App._display = counting_display
    return counts
