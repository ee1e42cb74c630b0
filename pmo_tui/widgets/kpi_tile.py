"""A KPI tile: latest value against target, status word and colour, sparkline and trend arrow."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Sparkline, Static

from pmo_tui.calculations import TrendDirection
from pmo_tui.formatting import format_aim, format_value, literal
from pmo_tui.records import KpiSummary
from pmo_tui.widgets.cells import kpi_status_label

# The arrow shows which way the value moves; its colour says whether that is good.
TREND_STYLES = {
    TrendDirection.IMPROVING: "bold $success",
    TrendDirection.WORSENING: "bold $error",
    TrendDirection.FLAT: "$text-muted",
    TrendDirection.UNKNOWN: "$text-muted",
}


class KpiTile(Vertical, can_focus=True):
    """One KPI of the portfolio overview; Enter or a click selects it."""

    class Selected(Message):
        def __init__(self, code: str) -> None:
            super().__init__()
            self.code = code

    def __init__(self, tile: KpiSummary) -> None:
        super().__init__(classes="kpi-tile")
        self.tile = tile

    def compose(self) -> ComposeResult:
        tile = self.tile
        words, status_tone = kpi_status_label(tile.status, tile.overdue)
        self.add_class(f"tone-{status_tone}")
        self.border_title = Content(literal(tile.name))
        self.border_subtitle = Content(words)
        yield Static(self.value_line(None), classes="kpi-value", markup=False)
        # On a short terminal the tile is one line (see app.tcss, .-short): status, name, value.
        yield Static(self.compact_line(None), classes="kpi-compact", markup=False)
        # Up is drawn tall whatever the direction; the colours say which end is good.
        lower_is_better = tile.direction == "lower"
        yield Sparkline(
            list(tile.history),
            classes="kpi-spark lower-better" if lower_is_better else "kpi-spark",
        )

    def value_line(self, width: int | None) -> Content:
        """Value, trend arrow and target, as they fit in `width` cells (None: all of it). The
        word "target" goes first, then the spaces: the target's number is never lost while
        the value is shown ("76.9% ↓ vs 80%", then "76.9% ↓ 80%"; never "76.9% ↓ target")."""
        lines = self.value_lines()
        for line in lines:
            if width is None or line.cell_length <= width:
                return line
        return lines[-1]

    def value_lines(self) -> tuple[Content, ...]:
        """The value line from longest to shortest."""
        tile = self.tile
        value = (format_value(tile.value, tile.unit), "bold")
        arrow = (tile.trend.arrow, TREND_STYLES[tile.trend.direction])
        # A long unit is said once, on the value; the target then reads as a bare number.
        target = format_aim(tile.target, tile.band, tile.unit, with_unit=len(tile.unit) <= 2)
        return (
            Content.assemble(value, " ", arrow, ("  target ", "$text-muted"), (target, "$text-muted")),
            Content.assemble(value, " ", arrow, (" vs ", "$text-muted"), (target, "$text-muted")),
            Content.assemble(value, " ", arrow, " ", (target, "$text-muted")),
            # A long unit ("per project") goes last: the two figures stay.
            Content.assemble(
                (format_value(tile.value, tile.unit, with_unit=False), "bold"),
                " ",
                arrow,
                " ",
                (format_aim(tile.target, tile.band, tile.unit, with_unit=False), "$text-muted"),
            ),
        )

    def compact_line(self, width: int | None) -> Content:
        """The one-line tile: status symbol, name (shortened first), value and target."""
        tile = self.tile
        words, status_tone = kpi_status_label(tile.status, tile.overdue)
        symbol = (words.split(" ", 1)[0], f"bold ${status_tone}")
        name = literal(tile.name)
        if width is None:
            return Content.assemble(symbol, " ", name, " ", self.value_line(None))
        # The figures in their shortest form ("76.9% ↓ 80%"), and the name in the room left.
        lines = self.value_lines()
        value = lines[2] if width - 3 - lines[2].cell_length >= 8 else lines[3]
        room = max(0, width - 3 - value.cell_length)
        shown = name if len(name) <= room else name[: max(0, room - 1)] + "…"
        return Content.assemble(symbol, " ", shown.ljust(room), " ", value)

    def on_resize(self) -> None:
        width = self.content_size.width
        self.query_one(".kpi-value", Static).update(self.value_line(width))
        self.query_one(".kpi-compact", Static).update(self.compact_line(width))

    def key_enter(self) -> None:
        self.post_message(self.Selected(self.tile.code))

    def on_click(self) -> None:
        self.post_message(self.Selected(self.tile.code))
