"""FixedTable, the DataTable of long lists: the same table as Textual's own add_row builds."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from pmo_tui.widgets.tables import FixedTable

COLUMNS = [("Code", 8), ("Name", 20), ("Owner", 12)]


def _rows(count: int) -> list[tuple[str, list]]:
    # Mixed cell kinds, with brackets that must stay text.
    return [
        (f"P-{n:04d}", [Text(f"P-{n:04d}"), f"Project {n}", Text(f"[owner {n % 7}]")]) for n in range(count)
    ]


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


def _cells() -> list[Text]:
    """One-line cells of every kind the screens use, and the awkward ones."""
    plains = [
        "",
        "x",
        "Project 12",
        "[b]not markup[/b]",
        "a" * 30,
        "日本語のプロジェクト名",
        "🚀 launch",
        "trailing   ",
        "two\nlines",
        "tab\there",
    ]
    cells: list[Text] = []
    for plain in plains:
        for justify in (None, "left", "right", "center", "full"):
            for overflow in (None, "ellipsis", "crop", "fold"):
                for no_wrap in (None, True, False):
                    cells.append(Text(plain, justify=justify, overflow=overflow, no_wrap=no_wrap))
        cells.append(Text(plain, style="bold red"))
        spanned = Text(plain, style="italic")
        spanned.stylize("underline green", 0, max(1, len(plain) // 2))
        cells.append(spanned)
    return cells


class ThreeColumns(App[None]):
    """The same cells in a DataTable and a FixedTable; row cursor, zebra stripes."""

    def compose(self) -> ComposeResult:
        for table in (
            DataTable(id="plain", cursor_type="row", zebra_stripes=True),
            FixedTable(id="fixed", cursor_type="row", zebra_stripes=True),
        ):
            for key, width in (("a", 12), ("b", 1), ("c", 7)):
                table.add_column(key, key=key, width=width)
            yield table


@pytest.mark.slow
async def test_one_line_cells_are_drawn_exactly_as_datatable_draws_them() -> None:
    cells = _cells()
    app = ThreeColumns()
    async with app.run_test(size=(40, 200)) as pilot:
        plain, fixed = app.query_one("#plain", DataTable), app.query_one("#fixed", FixedTable)
        rows = [(f"r{n}", [cell, cell, cell]) for n, cell in enumerate(cells)]
        for key, row in rows:
            plain.add_row(*row, key=key)
        fixed.add_keyed_rows(rows)
        # The cursor's colours too, over plain cells and over cells with colours of their own.
        styled = [n for n, cell in enumerate(cells) if cell.style or cell.spans]
        for row in (0, 77, *styled[:4]):
            drawn = []
            for table in (plain, fixed):  # each with the focus, as a user would see it
                table.focus()
                table.move_cursor(row=row)
                table.scroll_to(y=row, animate=False)
                await pilot.pause()
                drawn.append([list(table.render_line(y)) for y in range(table.size.height)])
            assert drawn[1] == drawn[0], f"cursor on row {row}"


def _kept(table: FixedTable) -> dict:
    """The cells the table keeps drawn, by key (Textual's LRUCache has keys() but no iteration)."""
    cache = table._cell_render_cache
    keys = cache.keys()
    return {key: cache.get(key) for key in keys}


async def test_a_style_refresh_that_changes_nothing_keeps_what_is_drawn() -> None:
    app = Tables()
    async with app.run_test(size=(60, 30)) as pilot:
        plain, fixed = app.query_one("#plain", DataTable), app.query_one("#fixed", FixedTable)
        for key, cells in _rows(40):
            plain.add_row(*cells, key=key)
        fixed.add_keyed_rows(_rows(40))
        await pilot.pause()
        for table in (plain, fixed):
            table.render_lines(table.region.reset_offset)  # draw both, whatever is on screen
        drawn = _kept(fixed)
        assert drawn
        # What Textual does when a screen is shown again or a notification comes and goes.
        app.stylesheet.update(app)
        assert len(plain._cell_render_cache) == 0, "DataTable drops everything it drew"
        assert _kept(fixed) == drawn


@pytest.mark.parametrize(
    ("first", "theme"),
    [("textual-dark", "textual-light"), ("textual-dark", "nord"), ("ansi-dark", "ansi-light")],
)
async def test_a_new_theme_redraws_every_cell_in_its_colours(first: str, theme: str) -> None:
    app = ThreeColumns()
    app.theme = first
    async with app.run_test(size=(40, 60)) as pilot:
        fixed = app.query_one("#fixed", FixedTable)
        fixed.add_keyed_rows([(f"r{n}", [cell, cell, cell]) for n, cell in enumerate(_cells()[:50])])
        fixed.focus()
        await pilot.pause()
        before = [list(fixed.render_line(y)) for y in range(fixed.size.height)]
        app.stylesheet.update(app.screen)  # a refresh that changes nothing comes first, as in use
        await pilot.pause()
        app.theme = theme
        await pilot.pause()
        shown = [list(fixed.render_line(y)) for y in range(fixed.size.height)]
        # What the table draws with nothing kept from before.
        fixed._clear_caches()
        fresh = [list(fixed.render_line(y)) for y in range(fixed.size.height)]
        assert shown == fresh
        assert shown != before


def _scroll_bars(table: DataTable) -> tuple:
    bar = table.vertical_scrollbar
    return (
        table.show_vertical_scrollbar,
        bar.window_virtual_size,
        bar.window_size,
        table.max_scroll_y,
        table.scroll_y,
    )


async def test_the_scroll_bars_follow_the_rows_and_the_size_but_are_not_set_up_at_every_layout() -> None:
    # ScrollView compares the table's scrollable size with the visible region the layout
    # passes, which never match, and set its scroll bars up again at every layout: a repaint a
    # frame later. FixedTable does it only when something they show changed, and ends where
    # DataTable ends.
    app = Tables()
    async with app.run_test(size=(100, 30)) as pilot:
        plain, fixed = app.query_one("#plain", DataTable), app.query_one("#fixed", FixedTable)
        for table in (plain, fixed):
            table.styles.height = 10

        async def both_alike() -> None:
            await pilot.pause()
            assert _scroll_bars(fixed) == _scroll_bars(plain)
            assert _lines(fixed) == _lines(plain)

        rows = _rows(60)
        for key, cells in rows:
            plain.add_row(*cells, key=key)
        fixed.add_keyed_rows(rows)
        await both_alike()
        assert fixed.show_vertical_scrollbar and fixed.vertical_scrollbar.window_virtual_size == 61
        # Laid out again with nothing changed: the scroll bars are left as they are.
        set_up = []
        original = fixed._scroll_update
        fixed._scroll_update = lambda virtual_size: (set_up.append(virtual_size), original(virtual_size))
        app.screen.refresh(layout=True)
        await pilot.pause()
        assert set_up == []
        # More rows, a scroll, a new height, a narrower terminal: set up again each time.
        more = _rows(90)[60:]
        for key, cells in more:
            plain.add_row(*cells, key=key)
        fixed.add_keyed_rows(more)
        await both_alike()
        assert fixed.vertical_scrollbar.window_virtual_size == 91 and set_up
        for table in (plain, fixed):
            table.scroll_to(y=40, animate=False)
        await both_alike()
        for table in (plain, fixed):
            table.styles.height = 6
        await both_alike()
        await pilot.resize_terminal(50, 30)
        await both_alike()
        for table in (plain, fixed):
            table.clear()
        await both_alike()
        assert not fixed.show_vertical_scrollbar
