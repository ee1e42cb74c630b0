"""FixedTable, the DataTable of long lists: the same table as Textual's own add_row builds."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

import pytest

from pmo_tui.widgets.tables import FixedTable

COLUMNS = [("Code", 8), ("Name", 20), ("Owner", 12)]


def _rows(count: int) -> list[tuple[str, list]]:
    # Mixed cell kinds, with brackets that must stay text.
    return [(f"P-{n:04d}", [Text(f"P-{n:04d}"), f"Project {n}", Text(f"[owner {n % 7}]")])
            for n in range(count)]


class Tables(App[None]):
    def __init__(self, widths: bool = True) -> None:
        super().__init__()
        self.widths = widths

    def compose(self) -> ComposeResult:
        for table in (DataTable(id="plain", cursor_type="row"), FixedTable(id="fixed", cursor_type="row")):
            for label, width in COLUMNS:
                table.add_column(label, key=label, width=width if self.widths else None)
            yield table


def _state(table: DataTable) -> tuple:
    return (
        [key.value for key in table.rows],
        [[str(value) for value in table.get_row_at(index)] for index in range(table.row_count)],
        table.cursor_coordinate,
        table.virtual_size,
        [column.get_render_width(table) for column in table.ordered_columns],
    )


def _lines(table: DataTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


@pytest.mark.parametrize("widths", [True, False], ids=["fixed widths", "auto widths"])
async def test_add_keyed_rows_builds_the_table_add_row_builds(widths: bool) -> None:
    app = Tables(widths)
    async with app.run_test(size=(60, 30)) as pilot:
        plain, fixed = app.query_one("#plain", DataTable), app.query_one("#fixed", FixedTable)
        rows = _rows(250)
        for key, cells in rows:
            plain.add_row(*cells, key=key)
        fixed.add_keyed_rows(rows[:100])
        fixed.add_keyed_rows(rows[100:])  # in batches, as the overview adds them
        await pilot.pause()
        assert _state(fixed) == _state(plain)
        assert _lines(fixed) == _lines(plain)
        assert "[owner 1]" in "".join(_lines(fixed))
        # The cursor works over every row, the last included.
        for table in (plain, fixed):
            table.move_cursor(row=249)
        await pilot.pause()
        assert _state(fixed) == _state(plain)
        assert _lines(fixed) == _lines(plain)


async def test_the_first_rows_put_the_cursor_on_the_first_row() -> None:
    app = Tables()
    async with app.run_test(size=(60, 30)) as pilot:
        fixed = app.query_one("#fixed", FixedTable)
        fixed.add_keyed_rows(_rows(3))
        await pilot.pause()
        assert fixed.cursor_coordinate.row == 0
        assert fixed.coordinate_to_cell_key(fixed.cursor_coordinate).row_key.value == "P-0000"


async def test_a_duplicate_key_is_refused_like_add_row() -> None:
    from textual.widgets.data_table import DuplicateKey

    app = Tables()
    async with app.run_test(size=(60, 30)):
        fixed = app.query_one("#fixed", FixedTable)
        fixed.add_keyed_rows(_rows(2))
        with pytest.raises(DuplicateKey):
            fixed.add_keyed_rows(_rows(1))
        with pytest.raises(ValueError):
            fixed.add_keyed_rows([("extra", ["a", "b", "c", "d"])])
