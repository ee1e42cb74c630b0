"""A DataTable for long lists whose columns all have fixed widths."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import zip_longest

from textual.widgets import DataTable
from textual.widgets.data_table import CellType, DuplicateKey, Row, RowKey


class FixedTable(DataTable):
    """A DataTable that stays quick with thousands of rows (Textual is pinned, and
    tests/test_tables.py checks these against DataTable's own add_row):

    - DataTable measures every cell of every new row to size its auto-width columns, 18,000
      measurements for 2,000 projects; with fixed widths nothing needs measuring.
    - `add_keyed_rows` checks the cursor once for a batch, where add_row does it per row, and
      sets the scrollable size at once.
    """

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        rows = self.rows
        special = [key for key in new_rows
                   if (row := rows.get(key)) is not None and (row.label is not None or row.auto_height)]
        # Still called with no rows: it also works out the table's scrollable size.
        super()._update_dimensions(special)

    def add_keyed_rows(self, rows: Iterable[tuple[str, Sequence[CellType]]]) -> None:
        """Append rows of one line each, given as (key, cells), as add_row would one by one."""
        was_empty = self.row_count == 0
        columns = self.ordered_columns
        for key, cells in rows:
            row_key = RowKey(key)
            if row_key in self._row_locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            if len(cells) > len(columns):
                raise ValueError("More values provided than there are columns.")
            self._row_locations[row_key] = self.row_count
            self._data[row_key] = {column.key: cell for column, cell in zip_longest(columns, cells)}
            self.rows[row_key] = Row(row_key, 1, None, False)
            self._new_rows.add(row_key)
            self._update_count += 1
        if any(column.auto_width for column in self.columns.values()):
            self._require_update_dimensions = True
        else:
            # Nothing to measure: the scrollable size is set now, not at the next idle, so the
            # first layout already has it (no second layout and paint for the scroll bar).
            new_rows, self._new_rows = self._new_rows, set()
            self._update_dimensions(new_rows)
        self.cursor_coordinate = self.cursor_coordinate
        if was_empty and self.row_count and self.columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()
        self.check_idle()
