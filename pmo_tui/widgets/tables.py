"""A DataTable for long lists whose columns all have fixed widths."""

from __future__ import annotations

from pmo_tui.textual_internals import DataTableInternals, ScrollBarsWhenShownChanges


class FixedTable(ScrollBarsWhenShownChanges, DataTableInternals):
    """A DataTable that stays quick with thousands of rows, its columns of fixed widths.

    What it does differently, each part measured in bench/README.md ("FixedTable, part by
    part") and each built on DataTable's private API in pmo_tui/textual_internals.py, where
    tests/test_textual_internals.py checks it against the pinned Textual; tests/test_tables.py
    checks that the table built and drawn is DataTable's own:

    - nothing is measured to size the columns (DataTable measures every cell of every new row
      for its auto-width columns: 18,000 measurements for 2,000 projects);
    - `add_keyed_rows` adds a batch of rows at once, and sets the scrollable size at once;
    - a one-line cell of Text is drawn by the same Rich steps as DataTable's, without the
      generic renderable machinery around them;
    - a row's style (zebra stripe, header) is worked out once per style change, not for every
      line painted;
    - what is drawn is kept through a style refresh that changes none of the styles it was
      drawn with;
    - the scroll bars are set up only when what they show may have changed, not at every
      layout.
    """
