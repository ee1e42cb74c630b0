"""Every place where pmo-tui reaches into Textual's private API, fenced in one module.

Each hook below is a speed fix that Textual's public API gave no way to make. It says why it
exists and which public API was missing. Textual is pinned exactly (`textual==` in
pyproject.toml), and tests/test_textual_internals.py checks the pin and, for every hook listed
in `HOOKS`, that what it overrides or touches is still there with the parameters it expects.
Lifting the pin makes that test fail with one checklist of every hook to re-check against the
new Textual, instead of a fix silently undone or cells drawn wrong.

The rest of pmo-tui uses Textual's public API only, and these hooks through the mixins and
functions defined here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import zip_longest
from typing import TYPE_CHECKING, NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App
from textual.color import Color
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets.data_table import CellType, DuplicateKey, Row, RowKey

_NULL = Style.null()

# The mixins below are plain classes at run time: a Widget subclass would take Textual's class
# set-up (can_focus fixed at its definition, a CSS type name) into every class that mixes it in.
if TYPE_CHECKING:
    _AppBase = App
    _WidgetBase = Widget
    _ScrollViewBase = ScrollView
else:
    _AppBase = _WidgetBase = _ScrollViewBase = object


class Hook(NamedTuple):
    """A private name of Textual that a hook here relies on, for the test to check."""

    owner: type
    name: str
    # A method's parameters (after self) as the hook calls or overrides it; None for an
    # attribute (checked on an instance) or a property.
    parameters: tuple[str, ...] | None
    used_by: str


HOOKS: list[Hook] = []


def _hook(owner: type, name: str, parameters: tuple[str, ...] | None, used_by: str) -> None:
    HOOKS.append(Hook(owner, name, parameters, used_by))


# --------------------------------------------------------------------------- the app


class OpaqueTopScreen(_AppBase):
    """App mixin: no screen under an opaque top screen is counted as showing through it.

    Why: Textual counts the screen just under the top one as visible whatever the top one is,
    so every change under an opaque screen (the list losing focus as a detail opens over it)
    repainted the top screen a frame later, for nothing. A screen that comes back on top is laid
    out and painted anew, as screens deeper in the stack always are.
    Missing public API: a way to say which screens show through (App._background_screens).
    """

    @property
    def _background_screens(self) -> list[Screen]:
        stack = self.screen_stack
        if stack and stack[-1].styles.background.a == 1:
            return []
        return super()._background_screens


_hook(App, "_background_screens", None, "OpaqueTopScreen (PmoApp)")


def mark_styled_with_current_stylesheet(screen: Screen) -> None:
    """Tell Textual that a mode's new screen needs no stylesheet refresh before it mounts.

    Why: App._init_mode re-parses the whole stylesheet (refresh_css) when a mode's first screen
    has not seen the current one, as a screen not yet mounted never has: two more parses of
    app.tcss (about 25 ms) at start-up and at each area's first visit, though a new screen takes
    its styles as it mounts anyway.
    Missing public API: a way to build a mode's screen as styled (Screen._css_update_count,
    compared with App._css_update_count).
    """
    screen._css_update_count = screen.app._css_update_count


_hook(App, "_css_update_count", None, "mark_styled_with_current_stylesheet (app._styled_as_it_mounts)")
_hook(Screen, "_css_update_count", None, "mark_styled_with_current_stylesheet (app._styled_as_it_mounts)")


# --------------------------------------------------------------------------- widgets' sizes


class SizedWithoutRelayout(_WidgetBase):
    """Widget mixin: a new size taken without asking for the screen to be laid out again.

    Why: when a widget's content changes height, Textual's layout gives it its new size and,
    because the size changed, asks for the whole screen to be laid out once more, a frame later.
    For a widget whose height follows its content, the second layout finds the same sizes: the
    first one measured this very content.
    Missing public API: a way to take a new size without a second layout (Widget._size_updated
    and its `layout` flag).
    """

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)


_hook(Widget, "_size_updated", ("size", "virtual_size", "container_size", "layout"), "SizedWithoutRelayout")


class ScrollBarsWhenShownChanges(_ScrollViewBase):
    """ScrollView mixin: the scroll bars set up only when what they show may have changed.

    Why: ScrollView compares its scrollable size (a table's every row) with the visible region
    the layout passes, which never match: it set up the scroll bars again at every layout, and
    they repainted a frame later.
    Missing public API: a way to keep the scroll bars as they are through a layout
    (ScrollView._size_updated).
    """

    _scroll_bars_shown_for: tuple | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        shown = (
            size,
            container_size,
            self.virtual_size,
            self.styles.gutter,
            self.show_vertical_scrollbar,
            self.show_horizontal_scrollbar,
        )
        if shown == self._scroll_bars_shown_for:
            return self.container_size != container_size
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


_hook(
    ScrollView,
    "_size_updated",
    ("size", "virtual_size", "container_size", "layout"),
    "ScrollBarsWhenShownChanges (FixedTable)",
)


# --------------------------------------------------------------------------- DataTable

# DataTable has no public API for adding many rows at once, for drawing a cell, or for keeping
# what it drew: its row store (_row_locations, _data, _new_rows), its dimension update and its
# render caches are private. The hooks below work on them as DataTable's own add_row and
# render methods do; tests/test_tables.py checks the result against DataTable's, cell by cell.


class DataTableInternals(DataTable):
    """The DataTable side of FixedTable (pmo_tui/widgets/tables.py): the parts that pay."""

    def __init__(self, *args, **kwargs) -> None:
        # Before DataTable's own __init__, which already clears the caches.
        self._row_styles: dict[tuple, Style] = {}
        self._drawn_with: tuple | None = None
        self._styles_to_check = True
        super().__init__(*args, **kwargs)

    # Fixed widths: nothing to measure. -----------------------------------------------------

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # Why: DataTable measures every cell of every new row to size its auto-width columns,
        # 18,000 measurements for 2,000 projects; with fixed widths nothing needs measuring.
        # Missing public API: a table of fixed widths that skips the measuring.
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
        """Append rows of one line each, given as (key, cells), as add_row would one by one.

        Why: add_row checks the cursor for every row and leaves the scrollable size to the next
        idle; here the cursor is checked once a batch and the size set at once, so the first
        layout already has it (no second layout and paint for the scroll bar).
        Missing public API: add_rows with keys (DataTable.add_rows takes no keys).
        """
        was_empty = self.row_count == 0
        columns = self.ordered_columns
        row_locations, data, new_rows = self._row_locations, self._data, self._new_rows
        for key, cells in rows:
            row_key = RowKey(key)
            if row_key in row_locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            if len(cells) > len(columns):
                raise ValueError("More values provided than there are columns.")
            row_locations[row_key] = self.row_count
            data[row_key] = {column.key: cell for column, cell in zip_longest(columns, cells)}
            self.rows[row_key] = Row(row_key, 1, None, False)
            new_rows.add(row_key)
            self._update_count += 1
        if any(column.auto_width for column in self.columns.values()):
            self._require_update_dimensions = True
        else:
            added, self._new_rows = self._new_rows, set()
            self._update_dimensions(added)
        self.cursor_coordinate = self.cursor_coordinate
        if was_empty and self.row_count and self.columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()
        self.check_idle()

    # What is drawn, kept through a style refresh that changes nothing. ----------------------

    def notify_style_update(self) -> None:
        # Why: Textual calls this on every node whenever a screen's styles are refreshed (a
        # screen shown again, a notification coming or going), changed or not, and DataTable
        # then drops everything it has drawn: 60-80 ms to draw a screenful of the KPI list
        # again. The styles are compared at the next paint instead (the component styles are
        # brought up to date only after this call), and what is drawn is kept if none changed.
        # Missing public API: DataTable's caches and a way to keep them (_clear_caches).
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

    # A row's line, its style worked out once per style change. ------------------------------

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
        # Why: DataTable works out a row's style (zebra stripe, header) for every line painted,
        # each a walk up the widget tree; here it is cached per style change, and the background
        # looked up only when the extension needs it. DataTable's own, for tables without row
        # labels or fixed columns (ours).
        # Missing public API: a way to draw a row (DataTable._render_line_in_row and its cache).
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
        located = self._row_locations.get(row_key)  # None: the header row
        row_index = -1 if located is None else located
        row_style = self._get_row_style(row_index, base_style)
        columns = self.ordered_columns
        scrollable_row: list[list[Segment]] = []
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
        row_pair: tuple[list[list[Segment]], list[list[Segment]]] = ([], scrollable_row)
        self._row_render_cache[cache_key] = row_pair
        return row_pair

    # A one-line Text cell drawn by Rich's steps directly. ------------------------------------

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        # Why: a one-line cell of Text is drawn by the same Rich steps as DataTable's, without
        # the generic renderable machinery around them (Styled, Padding, render_lines), which
        # took most of a table's paint.
        # Missing public API: a way to draw a cell (DataTable._render_cell and its cache).
        if row_index < self.fixed_rows or column_index < self.fixed_columns:  # header, labels
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
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
        line: list[Segment] = next(
            iter(Segment.split_and_crop_lines(segments, inner, style=_NULL, pad=True)), []
        )
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


_DATA_TABLE = "DataTableInternals (FixedTable)"
for _name, _parameters in [
    ("_update_dimensions", ("new_rows",)),
    ("_highlight_cursor", ()),
    ("_clear_caches", ()),
    ("_render_line_in_row", ("row_key", "line_no", "base_style", "cursor_location", "hover_location")),
    ("_render_cell", ("row_index", "column_index", "base_style", "width", "cursor", "hover")),
    ("_get_row_renderables", ("row_index",)),
    (
        "_get_styles_to_render_cell",
        (
            "is_header_cell",
            "is_row_label_cell",
            "is_fixed_style_cell",
            "hover",
            "cursor",
            "show_cursor",
            "show_hover_cursor",
            "has_css_foreground_priority",
            "has_css_background_priority",
        ),
    ),
    ("_should_highlight", ("cursor", "target_cell", "type_of_cursor")),
    ("_row_label_column_width", None),
]:
    _hook(DataTable, _name, _parameters, _DATA_TABLE)
for _name in [
    "_row_locations",
    "_column_locations",
    "_data",
    "_new_rows",
    "_update_count",
    "_require_update_dimensions",
    "_labelled_row_exists",
    "_show_hover_cursor",
    "_row_render_cache",
    "_cell_render_cache",
    "_pseudo_class_state",
]:
    _hook(DataTable, _name, None, _DATA_TABLE)
