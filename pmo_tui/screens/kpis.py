"""The KPI list: every KPI with its latest value, status, trend and whether anything is overdue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Header, Select, Static
from textual.worker import get_current_worker

from pmo_tui.calculations import TrendDirection, same_person
from pmo_tui.formatting import format_aim, format_value, literal, text_sparkline
from pmo_tui.records import GoalOption, KpiSummary
from pmo_tui.screens.base import ShowsStoreData
from pmo_tui.widgets.cells import cell, kpi_status_cell, row_code, tone
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.tables import FixedTable

STATUS_FILTERS = (
    ("on target", "green"),
    ("warning", "amber"),
    ("off target", "red"),
    ("overdue", "overdue"),
    ("no data", "unknown"),
)
# Worst first when sorting by status.
STATUS_ORDER = {"red": 0, "overdue": 1, "amber": 2, "unknown": 3, "green": 4}


def status_key(kpi: KpiSummary) -> str:
    return "overdue" if kpi.overdue else kpi.status.value


KPI_COLUMNS: list[tuple[str, str, int, Callable[[KpiSummary], Any]]] = [
    ("Code", "code", 8, lambda k: k.code),
    ("KPI", "name", 26, lambda k: k.name.casefold()),
    ("Value", "value", 9, lambda k: (k.value is None, k.value or 0)),
    ("Target", "target", 8, lambda k: (k.target is None and k.band is None, k.band or (k.target or 0, 0))),
    ("Status", "status", 12, lambda k: STATUS_ORDER[status_key(k)]),
    ("Trend", "trend", 14, lambda k: k.trend.direction.value),
    ("Type", "indicator", 7, lambda k: k.indicator),
    ("Cadence", "cadence", 9, lambda k: k.cadence),
    ("Review", "review", 6, lambda k: not k.review_overdue),
    ("Owner", "owner", 16, lambda k: k.owner.casefold()),
    ("Strategic goal", "goal", 28, lambda k: (k.goal is None, (k.goal or "").casefold())),
]
TREND_TONES = {
    TrendDirection.IMPROVING: "success",
    TrendDirection.WORSENING: "error",
    TrendDirection.FLAT: "text-muted",
    TrendDirection.UNKNOWN: "text-muted",
}


class KpiListScreen(ShowsStoreData):
    """Key 2: filter, sort and open any KPI; create new ones."""

    # The keys that change the portfolio: on a read-only one they say why they cannot work
    # (PmoApp.run_action).
    WRITE_ACTIONS = frozenset({"new"})
    BINDINGS = [
        Binding("enter", "open", "Open", id="kpis.open", show=True),
        Binding("n", "new", "New KPI", id="kpis.new"),
        Binding("x", "toggle_retired", "Retired", id="kpis.retired"),
        Binding("s", "sort", "Sort", id="kpis.sort"),
        Binding("S", "reverse_sort", "Reverse", show=False, id="kpis.reverse_sort"),
        Binding("f", "filters", "Filter", id="kpis.filter"),
        Binding("m", "mine", "Mine", id="kpis.mine"),
        Binding("r", "reload", "Refresh", id="kpis.reload"),
    ]

    class Loaded(Message):
        def __init__(self, kpis: tuple[KpiSummary, ...], goals: tuple[GoalOption, ...], version: int) -> None:
            super().__init__()
            self.kpis = kpis
            self.goals = goals
            self.version = version

    def __init__(self) -> None:
        super().__init__()
        self.kpis: tuple[KpiSummary, ...] = ()
        self.show_retired = False
        self.sort_index = 0
        self.sort_reverse = False
        self.mine = False  # only the KPIs the user working owns (m)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="kpi-filters"):
            yield Select([], prompt="Any owner", id="filter-owner")
            yield Select(
                [(label, value) for label, value in STATUS_FILTERS], prompt="Any status", id="filter-status"
            )
            yield Select(
                [("leading", "leading"), ("lagging", "lagging")], prompt="Any type", id="filter-indicator"
            )
            yield Select([], prompt="Any goal", id="filter-goal")
        yield Static("KPIs · loading…", id="kpi-list-heading", classes="heading", markup=False)
        table = FixedTable(id="kpi-table", cursor_type="row", zebra_stripes=True)
        for label, key, width, _ in KPI_COLUMNS:
            table.add_column(label, key=key, width=width)
        yield table
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#kpi-table", DataTable).focus()
        self.load()

    READ_GROUP = "kpi-list"

    def read_again(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        # Back from a KPI's detail or another area: read again only if something was saved
        # (and not while a read is under way: a first visit resumes the screen twice).
        if self.data_is_stale() and not self.is_reading("kpi-list"):
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="kpi-list")
    def load(self) -> None:
        store = self.app.store
        version = store.data_version()
        kpis = store.kpi_summaries(self.app.today, include_retired=self.show_retired)
        if not get_current_worker().is_cancelled:  # a newer read replaced this one
            self.post_message(self.Loaded(kpis, store.goal_options(), version))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.shown_version = message.version
        self.kpis = message.kpis
        owners = sorted({k.owner for k in message.kpis if k.owner}, key=str.casefold)
        self._set_options("#filter-owner", [(Content(literal(o)), o) for o in owners])
        self._set_options("#filter-goal", [(Content(literal(g.name)), g.name) for g in message.goals])
        self.fill()

    def _set_options(self, selector: str, options: list[tuple[Content, str]]) -> None:
        """New choices without losing the user's current filter."""
        select = self.query_one(selector, Select)
        chosen = select.value
        with select.prevent(Select.Changed):
            select.set_options(options)
            if chosen in {value for _, value in options}:
                select.value = chosen

    def _filtered(self) -> list[KpiSummary]:
        owner = self.query_one("#filter-owner", Select).value
        status = self.query_one("#filter-status", Select).value
        indicator = self.query_one("#filter-indicator", Select).value
        goal = self.query_one("#filter-goal", Select).value
        user = self.app.store.user
        chosen = [
            k
            for k in self.kpis
            if (owner is Select.NULL or k.owner == owner)
            and (not self.mine or same_person(k.owner, user))
            and (status is Select.NULL or status_key(k) == status)
            and (indicator is Select.NULL or k.indicator == indicator)
            and (goal is Select.NULL or k.goal == goal)
        ]
        key = KPI_COLUMNS[self.sort_index][3]
        return sorted(chosen, key=key, reverse=self.sort_reverse)

    def fill(self) -> None:
        table = self.query_one("#kpi-table", FixedTable)
        selected = None
        if table.row_count:
            selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear()
        shown = self._filtered()
        table.add_keyed_rows((kpi.code, self._cells(kpi)) for kpi in shown)
        arrow = "▼" if self.sort_reverse else "▲"
        for index, column in enumerate(table.ordered_columns):
            label = KPI_COLUMNS[index][0]
            column.label = Text(f"{label} {arrow}" if index == self.sort_index else label)
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))
        counts = {s: 0 for s in STATUS_ORDER}
        for kpi in shown:
            counts[status_key(kpi)] += 1
        parts = [f"KPIs · {len(shown)} of {len(self.kpis)} shown"]
        if self.mine:
            parts.append(f"owned by me ({literal(self.app.store.user)}), m: all")
        words = {"green": "on target", "amber": "warning", "red": "off target", "overdue": "overdue"}
        parts += [f"{counts[key]} {word}" for key, word in words.items() if counts[key]]
        reviews = sum(k.review_overdue for k in shown if k.active)
        if reviews:
            parts.append(f"{reviews} review{'s' if reviews > 1 else ''} due")
        parts.append("retired shown" if self.show_retired else "x: show retired")
        self.query_one("#kpi-list-heading", Static).update(Content(" · ".join(parts)))

    def _cells(self, kpi: KpiSummary) -> list[Text]:
        app = self.app
        name = cell(kpi.name) if kpi.active else tone(app, literal(kpi.name), "text-muted")
        status = (
            kpi_status_cell(app, kpi.status, kpi.overdue)
            if kpi.active
            else tone(app, "– retired", "text-muted")
        )
        trend = tone(app, text_sparkline(kpi.history, 11), "accent")
        trend.append(" ")
        trend.append_text(tone(app, kpi.trend.arrow, TREND_TONES[kpi.trend.direction], bold=True))
        return [
            cell(kpi.code),
            name,
            cell(format_value(kpi.value, kpi.unit, with_unit=len(kpi.unit) <= 2), right=True),
            cell(format_aim(kpi.target, kpi.band, kpi.unit, with_unit=len(kpi.unit) <= 2), right=True),
            status,
            trend,
            cell(kpi.indicator),
            cell(kpi.cadence),
            tone(app, "due", "warning") if kpi.review_overdue else tone(app, "ok", "text-muted"),
            cell(kpi.owner),
            cell(kpi.goal) if kpi.goal else tone(app, "none", "text-muted"),
        ]

    # ------------------------------------------------------------------ actions

    @on(Select.Changed)
    def _filter_changed(self) -> None:
        self.fill()

    def action_filters(self) -> None:
        self.query_one("#filter-owner", Select).focus()

    def action_mine(self) -> None:
        """m: only the KPIs the user working owns, or every owner's again."""
        self.mine = not self.mine
        self.fill()

    def action_toggle_retired(self) -> None:
        self.show_retired = not self.show_retired
        self.load()

    def action_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(KPI_COLUMNS)
        self.sort_reverse = False
        self.fill()

    def action_reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.fill()

    @on(DataTable.HeaderSelected, "#kpi-table")
    def _sort_by_header(self, event: DataTable.HeaderSelected) -> None:
        if event.column_index == self.sort_index:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_index, self.sort_reverse = event.column_index, False
        self.fill()

    def action_open(self) -> None:
        table = self.query_one("#kpi-table", DataTable)
        if table.row_count:
            self.app.open_kpi(row_code(table.coordinate_to_cell_key(table.cursor_coordinate).row_key))

    @on(DataTable.RowSelected, "#kpi-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_kpi(row_code(event.row_key))

    def action_new(self) -> None:
        self.app.new_kpi()

    def focus_kpi(self, code: str) -> None:
        table = self.query_one("#kpi-table", DataTable)
        if code in table.rows:
            table.move_cursor(row=table.get_row_index(code))
