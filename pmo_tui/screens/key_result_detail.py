"""One key result in depth: where it stands, its check-ins as a list and a sparkline, corrections."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Header, Sparkline, Static
from textual.worker import get_current_worker

from pmo_tui.formatting import format_confidence, format_number, format_value, literal
from pmo_tui.records import CheckInRecord, KeyResultRow, ObjectiveRow
from pmo_tui.screens.base import ShowsStoreData
from pmo_tui.screens.check_in import CheckInScreen
from pmo_tui.screens.dialogs import ConfirmScreen, TextScreen
from pmo_tui.screens.okr_forms import check_in_form, key_result_form
from pmo_tui.widgets.cells import cell, row_code
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.okr_text import key_result_facts
from pmo_tui.widgets.tables import FixedTable


class KeyResultDetailScreen(ShowsStoreData):
    """Opened with Enter on a key result; Esc goes back."""

    # The keys that change the portfolio: on a read-only one they say why they cannot work
    # (PmoApp.run_action).
    WRITE_ACTIONS = frozenset({"check_in", "add_check_in", "correct", "delete", "edit"})
    BINDINGS = [
        Binding("escape", "back", "Back", id="kr.back"),
        Binding("c", "check_in", "Check in", id="kr.check_in"),
        Binding("a", "add_check_in", "Add dated", id="kr.add"),
        Binding("enter", "view", "View", id="kr.view"),
        Binding("delete", "delete", "Delete check-in", id="kr.delete"),
        Binding("e", "edit", "Edit KR", id="kr.edit"),
        Binding("r", "reload", "Refresh", id="kr.reload"),
    ]
    READ_GROUP = "kr-detail"

    class Loaded(Message):
        def __init__(self, objective: ObjectiveRow, key_result: KeyResultRow, version: int) -> None:
            super().__init__()
            self.version = version
            self.objective = objective
            self.key_result = key_result

    def __init__(self, code: str) -> None:
        super().__init__(classes="kr-detail")
        self.code = code
        self.objective: ObjectiveRow | None = None
        self.key_result: KeyResultRow | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content(f"{literal(self.code)} · loading…"), id="kr-title", classes="heading")
        with Horizontal(id="kr-body"):
            with Vertical(id="kr-main"):
                yield Static("", id="kr-spark-label")
                yield Sparkline([], id="kr-spark")
                table = FixedTable(id="check-ins", cursor_type="row", zebra_stripes=True)
                for label, key, width in (
                    ("Date", "on", 10),
                    ("Value", "value", 12),
                    ("Conf", "confidence", 5),
                    ("By", "by", 14),  # who checked in (issue 19)
                    ("Comment", "comment", 40),
                ):
                    table.add_column(label, key=key, width=width)
                yield table
            with VerticalScroll(id="kr-side"):
                yield Static("", id="kr-definition")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#check-ins", DataTable).focus()
        self.load()

    def read_again(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        # Back from a form or the check-in: read again only if something was committed.
        if self.key_result is not None and self.data_is_stale():
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="kr-detail")
    def load(self) -> None:
        store = self.app.store
        version = store.data_version()
        objective, key_result = store.key_result_detail(self.code, self.app.today)
        # A newer read replaced this one (after a delete, say): its older picture must not win.
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(objective, key_result, version))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        self.objective, self.key_result = message.objective, message.key_result
        self.shown_version = message.version
        kr = message.key_result
        self.query_one("#kr-title", Static).update(
            Content.assemble(
                (f"{literal(kr.code)} · {literal(kr.title)}", "bold"),
                "  ",
                (format_value(kr.value, kr.unit), "bold"),
                f"  progress {kr.progress:.0%}",
            )
        )
        values = [c.value for c in kr.check_ins]
        self.query_one("#kr-spark-label", Static).update(
            Content.assemble(
                ("Check-ins ", "bold"),
                f"{len(values)}"
                + (
                    f" · from {format_number(min(values), 2)} to {format_number(max(values), 2)}"
                    if values
                    else " · none yet: c checks in"
                ),
            )
        )
        self.query_one("#kr-spark", Sparkline).data = values
        table = self.query_one("#check-ins", DataTable)
        selected = self._selected_id()
        table.clear()
        for check_in in reversed(kr.check_ins):
            table.add_row(
                Text(check_in.on.isoformat()),
                cell(format_value(check_in.value, kr.unit, with_unit=len(kr.unit) <= 2), right=True),
                Text(format_confidence(check_in.confidence), justify="right"),
                cell(check_in.by),
                cell(check_in.comment),
                key=str(check_in.id),
            )
        if selected is not None and str(selected) in table.rows:
            table.move_cursor(row=table.get_row_index(str(selected)))
        self.query_one("#kr-definition", Static).update(
            Content.assemble(
                (f"{literal(message.objective.code)} · {literal(message.objective.title)}", "$text-muted"),
                "\n\n",
                key_result_facts(kr),
            )
        )

    def _selected_id(self) -> int | None:
        table = self.query_one("#check-ins", DataTable)
        if not table.row_count:
            return None
        return int(row_code(table.coordinate_to_cell_key(table.cursor_coordinate).row_key))

    def _selected(self) -> CheckInRecord | None:
        chosen = self._selected_id()
        if self.key_result is None or chosen is None:
            return None
        return next((c for c in self.key_result.check_ins if c.id == chosen), None)

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.dismiss()

    def _reload(self, saved: object) -> None:
        if saved:
            self.load()

    def action_check_in(self) -> None:
        self.app.push_screen(CheckInScreen(codes=[self.code]), self._reload)

    def action_add_check_in(self) -> None:
        if self.key_result is not None:
            self.app.push_screen(check_in_form(self.app, self.key_result), self._reload)

    @on(DataTable.RowSelected, "#check-ins")
    def action_view(self) -> None:
        """Enter on a row: the check-in with its whole comment; `e` there corrects it."""
        check_in = self._selected()
        if check_in is None or self.key_result is None:
            return
        unit = self.key_result.unit
        title = (
            f"{self.code} · check-in of {check_in.on.isoformat()} · "
            f"{format_value(check_in.value, unit)} · confidence {format_confidence(check_in.confidence)}"
            + (f" · by {check_in.by}" if check_in.by else "")
        )

        def corrected(correct: bool | None) -> None:
            if correct:
                self._correct(check_in.id)

        self.app.push_screen(
            TextScreen(title, check_in.comment, correct=not self.app.store.read_only), corrected
        )

    def action_correct(self) -> None:
        check_in = self._selected()
        if check_in is not None:
            self._correct(check_in.id)

    def _correct(self, check_in_id: int) -> None:
        """The correction form of a check-in, as the key result holds it now."""
        if self.app.refuse_change() or self.key_result is None:
            return
        check_in = next((c for c in self.key_result.check_ins if c.id == check_in_id), None)
        if check_in is not None:
            self.app.push_screen(check_in_form(self.app, self.key_result, check_in), self._reload)

    @work(exclusive=True, exit_on_error=False, group="kr-action")
    async def action_delete(self) -> None:
        check_in = self._selected()
        if check_in is None or self.key_result is None:
            return
        question = (
            f"Delete {self.code}'s check-in of {check_in.on.isoformat()} "
            f"({format_value(check_in.value, self.key_result.unit)})? This cannot be undone."
        )
        if await self.app.push_screen_wait(ConfirmScreen(question, yes="Delete", no="Keep")):
            await asyncio.to_thread(self.app.store.delete_check_in, check_in.id)
            self.notify(f"{self.code}: the check-in of {check_in.on.isoformat()} was deleted.", markup=False)
            self.load()

    @work(exclusive=True, exit_on_error=False, group="kr-action")
    async def action_edit(self) -> None:
        if self.objective is None or self.key_result is None:
            return
        _, _, kpis = await asyncio.to_thread(self.app.store.okr_choices)
        form = key_result_form(self.app, objective=self.objective, kpis=kpis, key_result=self.key_result)
        if await self.app.push_screen_wait(form):
            self.load()
