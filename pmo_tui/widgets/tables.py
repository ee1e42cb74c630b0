"""A DataTable for long lists whose columns all have fixed widths."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import zip_longest

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets.data_table import CellType, DuplicateKey, Row, RowKey

_NULL = Style.null()


class FixedTable(DataTable):
    """A DataTable that stays quick with thousands of rows (Textual is pinned, and
    tests/test_tables.py checks these against DataTable's own add_row):

    - DataTable measures every cell of every new row to size its auto-width columns, 18,000
      measurements for 2,000 projects; with fixed widths nothing needs measuring.
    - `add_keyed_rows` checks the cursor once for a batch, where add_row does it per row, and
      sets the scrollable size at once.
    - A one-line cell of Text is drawn by the same Rich steps as DataTable's, without the
      generic renderable machinery around them, which took most of a table's paint.
    - A row's style (zebra stripe, header) is worked out once per style change, not for every
      line painted: each costs a walk up the widget tree.
    - What is drawn is kept through a style refresh that changes none of the styles it was
      drawn with (see notify_style_update).
    """

    def __init__(self, *args, **kwargs) -> None:
        # Before DataTable's own __init__, which already clears the caches.
        self._row_styles: dict[tuple, Style] = {}
        self._drawn_with: tuple | None = None
        self._styles_to_check = True
        self._scroll_bars_shown_for: tuple | None = None
        super().__init__(*args, **kwargs)

    def notify_style_update(self) -> None:
        # Textual calls this on every node whenever a screen's styles are refreshed (a screen
        # shown again, a notification coming or going), changed or not, and DataTable then
        # drops everything it has drawn: 60-80 ms to draw a screenful of the KPI list again.
        # The styles are compared at the next paint instead (the component styles are brought
        # up to date only after this call), and what is drawn is kept if none has changed.
        Widget.notify_style_update(self)
        self._styles_to_check = True
        self.refresh()

    def render_line(self, y: int) -> Strip:
        if self._styles_to_check:
            self._check_styles()
        return super().render_line(y)

    def _check_styles(self) -> None:
        self._styles_to_check = False
        try:
            drawn_with = (
                self.rich_style,
                tuple(self.get_component_styles(name).rich_style for name in sorted(self.COMPONENT_CLASSES)),
            )
        except KeyError:  # the component styles are not set up yet (mounting)
            drawn_with = None
        if drawn_with is None or drawn_with != self._drawn_with:
            self._drawn_with = drawn_with
            self._clear_caches()

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._row_styles.clear()

    def _component_rich_style(self, name: str) -> Style:
        key = (name, self._pseudo_class_state)
        style = self._row_styles.get(key)
        if style is None:
            style = self._row_styles[key] = self.get_component_styles(name).rich_style
        return style

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        """DataTable's own choice of row style, from the cache."""
        if row_index == -1:
            return self._component_rich_style("datatable--header")
        if row_index < self.fixed_rows:
            return self._component_rich_style("datatable--fixed")
        if self.zebra_stripes:
            return self._component_rich_style(
                "datatable--odd-row" if row_index % 2 else "datatable--even-row"
            )
        return base_style

    def _render_line_in_row(
        self,
        row_key: RowKey,
        line_no: int,
        base_style: Style,
        cursor_location: Coordinate,
        hover_location: Coordinate,
    ) -> tuple:
        """DataTable's own, for tables without row labels or fixed columns (ours), with the
        row style cached and the background looked up only when the extension needs it."""
        if (self._labelled_row_exists and self.show_row_labels) or self.fixed_columns:
            return super()._render_line_in_row(row_key, line_no, base_style, cursor_location, hover_location)
        cursor_type = self.cursor_type
        cache_key = (
            row_key,
            line_no,
            base_style,
            cursor_location,
            hover_location,
            cursor_type,
            self.show_cursor,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._row_render_cache.get(cache_key)
        if cached is not None:
            return cached
        should_highlight = self._should_highlight
        render_cell = self._render_cell
        row_index = self._row_locations.get(row_key) if row_key in self._row_locations else -1
        row_style = self._get_row_style(row_index, base_style)
        columns = self.ordered_columns
        scrollable_row = []
        table_width = self._row_label_column_width
        for column_index, column in enumerate(columns):
            cell_location = Coordinate(row_index, column_index)
            width = column.get_render_width(self)
            table_width += width
            scrollable_row.append(
                render_cell(
                    row_index,
                    column_index,
                    row_style,
                    width,
                    cursor=should_highlight(cursor_location, cell_location, cursor_type),
                    hover=should_highlight(hover_location, cell_location, cursor_type),
                )[line_no]
            )
        remaining_space = max(0, self.size.width - table_width)
        if cursor_type == "row":
            extend_style, _ = self._get_styles_to_render_cell(
                row_index == -1,
                False,
                False,
                should_highlight(hover_location, Coordinate(row_index or 0, 0), cursor_type),
                row_index == cursor_location.row,
                self.show_cursor,
                self._show_hover_cursor,
                False,
                False,
            )
            extend_style = row_style + extend_style
        elif row_style.bgcolor is not None:
            faded_color = Color.from_rich_color(row_style.bgcolor).blend(
                self.background_colors[1], factor=0.25
            )
            extend_style = Style.from_color(color=row_style.color, bgcolor=faded_color.rich_color)
        else:
            extend_style = Style.from_color(row_style.color, row_style.bgcolor)
        extend_style += Style.from_meta({"row": row_index, "column": 0, "out_of_bounds": True})
        scrollable_row.append([Segment(" " * remaining_space, extend_style)])
        row_pair = ([], scrollable_row)
        self._row_render_cache[cache_key] = row_pair
        return row_pair

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # ScrollView compares the table's scrollable size (every row) with the visible region
        # the layout passes, which never match: it set up the scroll bars again at every
        # layout, and they repainted a frame later. Done only when what they show may differ.
        shown = (
            size,
            container_size,
            self.virtual_size,
            self.styles.gutter,
            self.show_vertical_scrollbar,
            self.show_horizontal_scrollbar,
        )
        if shown == self._scroll_bars_shown_for:
            return self._container_size != container_size
        result = super()._size_updated(size, virtual_size, container_size, layout)
        self._scroll_bars_shown_for = (
            size,
            container_size,
            self.virtual_size,
            self.styles.gutter,
            self.show_vertical_scrollbar,
            self.show_horizontal_scrollbar,
        )
        return result

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        rows = self.rows
        special = [
            key
            for key in new_rows
            if (row := rows.get(key)) is not None and (row.label is not None or row.auto_height)
        ]
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

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        if row_index < self.fixed_rows or column_index < self.fixed_columns:  # header, labels
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        # DataTable's own cache key, so that its cache clearing applies alike.
        cache_key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._cell_render_cache.get(cache_key)
        if cached is not None:
            return cached
        lines = None
        row = self.rows.get(row_key)
        if row is not None and row.height == 1:
            cell = self._get_row_renderables(row_index).cells[column_index]
            if type(cell) is Text:
                lines = self._one_line(cell, row_index, column_index, base_style, width, cursor, hover)
        if lines is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        self._cell_render_cache[cache_key] = lines
        return lines

    def _one_line(
        self,
        text: Text,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool,
        hover: bool,
    ) -> list[list[Segment]] | None:
        """What DataTable renders for a one-line cell (Styled(Padding(text)) through the
        console at height 1, no wrapping), or None to leave an unusual cell to it."""
        padding = self.cell_padding
        inner = width - 2 * padding
        if inner < 1:
            return None
        console = self.app.console
        options = self.app.console_options
        tab_size = console.tab_size if text.tab_size is None else text.tab_size
        lines = text.wrap(
            console,
            inner,
            justify=text.justify or options.justify or "default",
            overflow=text.overflow or options.overflow or "fold",
            tab_size=tab_size or 8,
            no_wrap=True if text.no_wrap is None else text.no_wrap,
        )
        if len(lines) != 1:  # a line break or wrapping: DataTable shows the first line its way
            return None
        segments = Text("\n").join(lines).render(console, end="")
        line = next(Segment.split_and_crop_lines(segments, inner, style=_NULL, pad=True), [])
        if padding:
            space = Segment(" " * padding, _NULL)
            line = [space, *line, space]
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component_style
        return [list(Segment.apply_style(line, style=pre_style, post_style=post_style))]
