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

    def clear(self, columns: bool = False) -> FixedTable:
        """Every row removed, to be filled again. Filled again with what was just read (another
        session's change, key r), the table stays scrolled where the user left it, as long as
        the cursor (kept on its record by each screen) is still in sight there."""
        scroll_x, scroll_y = self.scroll_x, self.scroll_y
        super().clear(columns)
        if scroll_x or scroll_y:
            # After the new rows are in: the cursor's own scroll into view comes after this one.
            self.call_after_refresh(self._scroll_back, scroll_x, scroll_y)
        return self

    def _scroll_back(self, scroll_x: float, scroll_y: float) -> None:
        rows_in_sight = self.scrollable_content_region.height - (
            self.header_height if self.show_header else 0
        )
        if self.cursor_type == "row" and not scroll_y <= self.cursor_row < scroll_y + rows_in_sight:
            return  # the rows moved (a new sort): the cursor's row is shown instead
        self.scroll_to(x=scroll_x, y=scroll_y, animate=False, immediate=True)
