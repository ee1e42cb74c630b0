"""A KPI tile: latest value against target, status word and colour, sparkline and trend arrow."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Sparkline, Static

from pmo_tui.calculations import TrendDirection
from pmo_tui.formatting import format_value, literal
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
        yield Static(
            Content.assemble(
                (format_value(tile.value, tile.unit), "bold"),
                " ",
                (tile.trend.arrow, TREND_STYLES[tile.trend.direction]),
                ("  target ", "$text-muted"),
                # A long unit is said once, on the value; the target then reads as a bare number.
                (format_value(tile.target, tile.unit, with_unit=len(tile.unit) <= 2), "$text-muted"),
            ),
            classes="kpi-value",
            markup=False,
        )
        # Up is drawn tall whatever the direction; the colours say which end is good.
        lower_is_better = tile.direction == "lower"
        yield Sparkline(
            list(tile.history),
            classes="kpi-spark lower-better" if lower_is_better else "kpi-spark",
        )

    def key_enter(self) -> None:
        self.post_message(self.Selected(self.tile.code))

    def on_click(self) -> None:
        self.post_message(self.Selected(self.tile.code))
