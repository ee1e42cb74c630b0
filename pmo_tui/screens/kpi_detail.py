"""One KPI in depth: its chart, measurements, definition, SMART check and review status."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import ScreenResume
from textual.message import Message
from textual.widgets import DataTable, Header, Static
from textual.worker import get_current_worker

from pmo_tui.formatting import MISSING, format_aim, format_number, format_value, literal
from pmo_tui.freshness import arrived
from pmo_tui.records import GoalOption, KpiDetail
from pmo_tui.screens.base import ShowsStoreData
from pmo_tui.screens.dialogs import ConfirmScreen, TextScreen
from pmo_tui.screens.kpi_forms import SOURCE_LABELS, kpi_form, measurement_form
from pmo_tui.screens.okr_forms import okr_from_kpi_form
from pmo_tui.store import PeriodTaken
from pmo_tui.widgets.cells import cell, kpi_status_label
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.kpi_chart import BAND_LEGEND, LEGEND, KpiChart
from pmo_tui.widgets.kpi_tile import TREND_STYLES
from pmo_tui.widgets.laid_out_text import LaidOutText
from pmo_tui.widgets.tables import FixedTable

# How long the screen's first paint may wait for data already being read (a frame, at most).
FIRST_PAINT_WAIT = 0.06


def read_kpi_detail(store, code: str, today) -> tuple:
    """What the screen shows, (data version, KpiDetail, goal options), the version taken first."""
    return store.data_version(), *store.kpi_detail_and_goals(code, today)


class KpiDetailScreen(ShowsStoreData):
    """Opened from the KPI list, an overview tile or the command palette; Esc goes back."""

    # The keys that change the portfolio: on a read-only one they say why they cannot work
    # (PmoApp.run_action).
    WRITE_ACTIONS = frozenset(
        {
            "add_measurement",
            "correct_measurement",
            "start_okr",
            "delete_measurement",
            "edit",
            "reviewed",
            "retire",
            "record_derived",
        }
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="kpi.back"),
        Binding("a", "add_measurement", "Add value", id="kpi.add"),
        Binding("enter", "view_measurement", "View", id="kpi.view"),
        Binding("o", "start_okr", "Start OKR", id="kpi.okr"),
        Binding("delete", "delete_measurement", "Delete value", id="kpi.delete"),
        Binding("e", "edit", "Edit", id="kpi.edit"),
        Binding("v", "reviewed", "Reviewed", id="kpi.reviewed"),
        Binding("x", "retire", "Retire/restore", id="kpi.retire"),
        Binding("R", "record_derived", "Record period", id="kpi.record"),
        Binding("d", "toggle_definition", "Definition", id="kpi.definition"),
        Binding("r", "reload", "Refresh", id="kpi.reload"),
    ]

    class Loaded(Message):
        def __init__(self, detail: KpiDetail, goals: tuple[GoalOption, ...], version: int, code: str) -> None:
            super().__init__()
            self.version = version
            self.code = code  # the code asked for: a read for a KPI no longer shown is dropped
            self.detail = detail
            self.goals = goals

    def __init__(self, code: str, *, ahead: Future | None = None) -> None:
        super().__init__(classes="kpi-detail")
        self.code = code
        # (data version, KpiDetail, goal options) already being read, for the first showing.
        self._ahead = ahead
        self.detail: KpiDetail | None = None
        self.goals: tuple[GoalOption, ...] = ()
        # What the app's styles were made of when this screen was last shown (see below).
        self._styled_with: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content(f"{literal(self.code)} · loading…"), id="kpi-title", classes="heading")
        with Horizontal(id="kpi-body"):
            with Vertical(id="kpi-main"):
                yield KpiChart(id="kpi-chart")
                yield Static(Content.assemble(*LEGEND), id="kpi-legend")
                measurements = FixedTable(id="measurements", cursor_type="row", zebra_stripes=True)
                measurements.add_column("Period", key="period", width=10)
                measurements.add_column("Value", key="value", width=12)
                measurements.add_column("By", key="by", width=14)  # who measured it (issue 19)
                # A fixed width: an auto-sized column depends on when the rows arrive.
                measurements.add_column("Note", key="note", width=40)
                yield measurements
            with VerticalScroll(id="kpi-side"):
                yield LaidOutText("", id="kpi-definition")
                yield LaidOutText("", id="kpi-smart")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#measurements", DataTable).focus()
        self._first_showing()

    def on_screen_resume(self, event: ScreenResume) -> None:
        # Runs before Screen's own handler (a subclass's handler comes first). Textual styles
        # every node of a screen pushed again, though nothing they are styled from changed
        # while it was off the stack: 5 ms, and every scroll bar and table repainted a frame
        # after the screen is shown. Styles come from the stylesheet, the theme (and the
        # terminal colours of an ANSI theme) and the app's classes; when none changed, the
        # event's refresh_styles is turned off.
        app = self.app
        styled_with = (
            app.stylesheet,
            app.current_theme,
            app.ansi_theme,
            frozenset(app.classes),
            frozenset(app.pseudo_classes),
        )
        if styled_with == self._styled_with:
            event.refresh_styles = False
        self._styled_with = styled_with
        # Back from a form or another screen: read again only if something was committed.
        if self.shown_version is not None and self.data_is_stale() and not self.is_reading(self.READ_GROUP):
            self.load()

    READ_GROUP = "kpi-detail"

    def read_again(self) -> None:
        self.load()

    def show_kpi(self, code: str, ahead: Future | None = None) -> None:
        """Show another KPI in this same screen: a screen already built is shown again without
        being laid out anew, which is most of what opening a KPI's detail costs."""
        self.workers.cancel_group(self, "kpi-detail")
        self.code, self._ahead = code, ahead
        self.detail, self.goals, self.shown_version = None, (), None
        self.remove_class("-show-definition")
        self.query_one("#kpi-side", VerticalScroll).scroll_home(animate=False, immediate=True)
        table = self.query_one("#measurements", FixedTable)
        table.clear()
        table.focus()
        if not self._first_showing():
            self._show_loading()

    def _first_showing(self) -> bool:
        """Show the data read since the key press if it arrives within a frame or so, so that
        the first paint shows the KPI rather than "loading"; otherwise read in a worker.
        True when the data is shown."""
        read = arrived(self._ahead, FIRST_PAINT_WAIT) if self._ahead is not None else None
        if read is not None:
            self._ahead = None
            version, detail, goals = read
            self._show(self.Loaded(detail, goals, version, self.code))
            return True
        self.load()
        return False

    def _show_loading(self) -> None:
        self.query_one("#kpi-title", Static).update(Content(f"{literal(self.code)} · loading…"))
        self.query_one(KpiChart).clear()
        self.query_one("#kpi-definition", Static).update("")
        self.query_one("#kpi-smart", Static).update("")

    @work(thread=True, exclusive=True, exit_on_error=False, group="kpi-detail")
    def load(self) -> None:
        store, code = self.app.store, self.code
        ahead, self._ahead = self._ahead, None
        version, detail, goals = (
            ahead.result() if ahead is not None else read_kpi_detail(store, code, self.app.today)
        )
        if not get_current_worker().is_cancelled:  # a newer read replaced this one
            self.post_message(self.Loaded(detail, goals, version, code))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        if message.code != self.code:  # read for the KPI shown before this one
            return
        self.detail, self.goals = message.detail, message.goals
        self.shown_version = message.version
        self.code = message.detail.summary.code
        self._show_title(message.detail)
        self.query_one(KpiChart).show(message.detail)
        legend = BAND_LEGEND if message.detail.summary.band else LEGEND
        self.query_one("#kpi-legend", Static).update(Content.assemble(*legend))
        self._show_measurements(message.detail)
        self._show_definition(message.detail)
        self._show_smart(message.detail)

    def _show_title(self, detail: KpiDetail) -> None:
        kpi = detail.summary
        status, status_tone = kpi_status_label(kpi.status, kpi.overdue)
        parts: list[str | tuple[str, str]] = [
            (f"{literal(kpi.code)} · {literal(kpi.name)}", "bold"),
            "  ",
            (format_value(kpi.value, kpi.unit), "bold"),
            " ",
            (kpi.trend.arrow, TREND_STYLES[kpi.trend.direction]),
            "  ",
            (status, f"${status_tone}"),
            f"  target {format_aim(kpi.target, kpi.band, kpi.unit)}",
        ]
        if kpi.warning is not None:
            parts.append(f" · warning {format_value(kpi.warning, kpi.unit)}")
        if not kpi.active:
            parts.append(("  · retired", "$text-muted"))
        self.query_one("#kpi-title", Static).update(Content.assemble(*parts))

    def _show_measurements(self, detail: KpiDetail) -> None:
        table = self.query_one("#measurements", FixedTable)
        selected = None
        if table.row_count:
            selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear()
        unit = detail.summary.unit
        table.add_keyed_rows(
            (
                measurement.period.isoformat(),
                [
                    Text(measurement.period.isoformat()),
                    cell(format_value(measurement.value, unit, with_unit=len(unit) <= 2), right=True),
                    cell(measurement.by),
                    cell(measurement.note),
                ],
            )
            for measurement in reversed(detail.measurements)
        )
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))

    def _show_definition(self, detail: KpiDetail) -> None:
        kpi = detail.summary
        reviewed = detail.last_reviewed.isoformat() if detail.last_reviewed else "never"
        review_due = (
            ("review due", "$warning") if kpi.review_overdue else ("reviewed this quarter", "$success")
        )
        derived: list[str | tuple[str, str]] = []
        if kpi.source != "entered":
            today_value = format_value(detail.derived_value, kpi.unit)
            derived = [
                "\n",
                ("Today from project data  ", "$text-muted"),
                (today_value, "bold"),
                (f"  (R records it for {detail.record_period.isoformat()})", "$text-muted"),
            ]
        rows = [
            ("Description", detail.description or MISSING),
            ("Unit", kpi.unit or MISSING),
            ("Better when", "within the band" if kpi.band else kpi.direction),
            ("Target band" if kpi.band else "Target", format_aim(kpi.target, kpi.band, kpi.unit)),
            # A band has no warning line: outside it is off target on either side.
            ("Outside band", "off target, above as below")
            if kpi.band
            else ("Warning line", format_value(kpi.warning, kpi.unit)),
            ("Indicator", kpi.indicator),
            ("Nature", detail.nature),
            ("Owner", kpi.owner or MISSING),
            ("Cadence", kpi.cadence),
            ("Strategic goal", kpi.goal or "none"),
            ("Source", SOURCE_LABELS.get(kpi.source, kpi.source)),
            ("Last review", reviewed),
        ]
        parts: list[str | tuple[str, str]] = [("Definition", "bold")]
        for label, value in rows:
            parts += ["\n", (f"{label:<15}", "$text-muted"), literal(value)]
        parts += ["\n", (f"{'':<15}", ""), review_due, *derived]
        self.query_one("#kpi-definition", Static).update(Content.assemble(*parts))

    def _show_smart(self, detail: KpiDetail) -> None:
        passed = sum(c.passed for c in detail.smart)
        parts: list[str | tuple[str, str]] = [(f"SMART check · {passed} of 5 met", "bold")]
        for criterion in detail.smart:
            mark = ("✓ ", "$success") if criterion.passed else ("✗ ", "$error")
            parts += ["\n", mark, (f"{criterion.name}: ", "bold"), literal(criterion.reason)]
        self.query_one("#kpi-smart", Static).update(Content.assemble(*parts))

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.dismiss()

    def action_toggle_definition(self) -> None:
        """At 80 columns the definition and SMART check take the place of the chart."""
        self.toggle_class("-show-definition")

    def _selected_period(self):
        table = self.query_one("#measurements", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((m.period for m in self.detail.measurements if m.period.isoformat() == key), None)

    def _after_form(self, saved: bool | None) -> None:
        if saved:
            self.load()

    def action_add_measurement(self) -> None:
        if self.detail:
            self.app.push_screen(measurement_form(self.app, self.detail), self._after_form)

    def action_correct_measurement(self) -> None:
        period = self._selected_period() if self.detail else None
        if self.detail is not None and period is not None:
            self.app.push_screen(measurement_form(self.app, self.detail, period), self._after_form)

    @on(DataTable.RowSelected, "#measurements")
    def action_view_measurement(self) -> None:
        """Enter on a row: the measurement with its whole note; `e` there corrects it."""
        detail = self.detail
        if detail is None:
            return
        period = self._selected_period()
        found = next((m for m in detail.measurements if m.period == period), None)
        if found is None:
            return
        value = format_value(found.value, detail.summary.unit)

        def corrected(correct: bool | None) -> None:
            if correct and self.detail is not None:
                self.app.push_screen(measurement_form(self.app, self.detail, found.period), self._after_form)

        self.app.push_screen(
            TextScreen(
                f"{self.code} · {found.period.isoformat()} · {value}"
                + (f" · by {found.by}" if found.by else ""),
                found.note,
                correct=not self.app.store.read_only,
            ),
            corrected,
        )

    @work(exclusive=True, exit_on_error=False, group="kpi-action")
    async def action_delete_measurement(self) -> None:
        code = self.code  # the detail may show another KPI by the time this ends
        period = self._selected_period() if self.detail else None
        if self.detail is None or period is None:
            return
        value = next(m.value for m in self.detail.measurements if m.period == period)
        question = (
            f"Delete {code}'s value {format_number(value, 2)} for {period.isoformat()}? "
            "This cannot be undone."
        )
        if await self.app.push_screen_wait(ConfirmScreen(question, yes="Delete", no="Keep")):
            await asyncio.to_thread(self.app.store.delete_measurement, code, period)
            self.notify(f"{code}: the value for {period.isoformat()} was deleted.", markup=False)
            self.load()

    def action_edit(self) -> None:
        if self.detail:
            form = kpi_form(self.app, self.goals, self.detail, saved=self._follow_code)
            self.app.push_screen(form, self._after_form)

    @work(exclusive=True, exit_on_error=False, group="kpi-action")
    async def action_start_okr(self) -> None:
        """KPIs inform OKRs: an objective whose key result moves this KPI to a target."""
        detail = self.detail
        if not detail:
            return
        offer = await asyncio.to_thread(self.app.store.okr_cycle_offer, self.app.today)
        if not self.is_current:  # left meanwhile: the form belongs to this KPI's screen
            return
        created: list[str] = []

        def opened(saved: bool | None) -> None:
            if saved and created:
                self.app.jump_to("objective", created[0])

        self.app.push_screen(okr_from_kpi_form(self.app, detail, offer, saved=created.append), opened)

    def _follow_code(self, code: str) -> None:
        """The code itself may have been changed in the form."""
        self.code = code

    @work(exclusive=True, exit_on_error=False, group="kpi-action")
    async def action_reviewed(self) -> None:
        code = self.code  # the detail may show another KPI by the time this ends
        await asyncio.to_thread(self.app.store.mark_kpi_reviewed, code, self.app.today)
        self.notify(f"{code} marked as reviewed on {self.app.today.isoformat()}.", markup=False)
        self.load()

    @work(exclusive=True, exit_on_error=False, group="kpi-action")
    async def action_retire(self) -> None:
        code = self.code  # the detail may show another KPI by the time this ends
        if not self.detail:
            return
        active = self.detail.summary.active
        if active:
            question = (
                f"Retire {code}? Its history stays; it leaves the overview and the "
                "active KPI list (x brings it back)."
            )
            if not await self.app.push_screen_wait(ConfirmScreen(question, yes="Retire", no="Keep")):
                return
        await asyncio.to_thread(self.app.store.set_kpi_active, code, not active)
        self.notify(f"{code} {'retired' if active else 'is active again'}.", markup=False)
        self.load()

    @work(exclusive=True, exit_on_error=False, group="kpi-action")
    async def action_record_derived(self) -> None:
        code = self.code  # the detail may show another KPI by the time this ends
        detail = self.detail
        if detail is None:
            return
        if detail.summary.source == "entered":
            self.notify(f"{code} is entered by hand: use a to add a value.", markup=False)
            return
        if detail.derived_value is None:
            self.notify("There is no project data to compute it from yet.", severity="warning")
            return
        period = detail.record_period
        try:
            await asyncio.to_thread(
                self.app.store.add_measurement,
                code,
                period,
                detail.derived_value,
                "recorded from project data",
                today=self.app.today,
            )
        except PeriodTaken as taken:
            question = (
                f"{code} already has {format_number(taken.value, 2)} for "
                f"{period.isoformat()}. Replace it with today's "
                f"{format_number(detail.derived_value, 2)}?"
            )
            if not await self.app.push_screen_wait(ConfirmScreen(question, yes="Replace", no="Keep")):
                return
            await asyncio.to_thread(
                self.app.store.add_measurement,
                code,
                period,
                detail.derived_value,
                "recorded from project data",
                replace=True,
                today=self.app.today,
            )
        self.notify(
            f"{code}: {format_number(detail.derived_value, 2)} recorded for {period.isoformat()}.",
            markup=False,
        )
        self.load()
