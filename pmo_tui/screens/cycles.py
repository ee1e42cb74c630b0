"""The list of OKR cycles: pick one to look at, create, rename, archive, reopen or delete one."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from pmo_tui.formatting import format_percent, literal
from pmo_tui.records import CycleInfo
from pmo_tui.screens.base import PmoModalScreen
from pmo_tui.screens.dialogs import ConfirmScreen
from pmo_tui.screens.okr_forms import cycle_form
from pmo_tui.widgets.cells import cell, tone
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.tables import FixedTable

STATUS_TONES = {"open": "success", "closed": "text-muted", "archived": "text-muted"}
# An open cycle holding today is current; more than one can be (a year and its quarter).
CURRENT_TONE = "accent"


class CyclesScreen(PmoModalScreen[str | None]):
    """Dismisses with the cycle to show: the one picked with Enter, the new name of the one shown
    when it was renamed, "" (the current cycle) when the one shown was deleted, else None."""

    # The keys that change the portfolio: on a read-only one they say why they cannot work
    # (PmoApp.run_action).
    WRITE_ACTIONS = frozenset({"new", "edit", "archive", "reopen", "delete"})
    BINDINGS = [
        Binding("escape", "back", "Back", id="cycles.back"),
        Binding("n", "new", "New cycle", id="cycles.new"),
        Binding("e", "edit", "Edit", id="cycles.edit"),
        Binding("a", "archive", "Archive/restore", id="cycles.archive"),
        Binding("r", "reopen", "Reopen", id="cycles.reopen"),
        Binding("delete", "delete", "Delete", id="cycles.delete"),
    ]

    def __init__(self, selected: str | None = None) -> None:
        super().__init__(classes="cycles-screen")
        self.selected = selected
        self.showing = selected  # the cycle the OKR screen shows
        self.show: str | None = None  # what to show instead, once that cycle changed here
        self.cycles: tuple[CycleInfo, ...] = ()

    def compose(self) -> ComposeResult:
        with Vertical(id="cycles-dialog"):
            yield Static(Content("OKR cycles · Enter shows one"), classes="form-title")
            table = FixedTable(id="cycles-table", cursor_type="row")
            for label, key, width in (
                ("Cycle", "name", 14),
                ("Starts", "start", 10),
                ("Ends", "end", 10),
                ("Status", "status", 8),
                ("Elapsed", "elapsed", 7),
            ):
                table.add_column(label, key=key, width=width)
            yield table
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    def follow_changes(self) -> None:
        """Another session committed (PmoApp.look_for_changes): the cycles again, the cursor on
        the cycle it was on."""
        cycle = self._cycle()
        if cycle is not None:
            self.selected = cycle.name
        self.load()

    @work(exclusive=True, exit_on_error=False, group="cycles-load")
    async def load(self) -> None:
        self.cycles = await asyncio.to_thread(self.app.store.cycles, self.app.today)
        table = self.query_one(DataTable)
        table.clear()
        for cycle in self.cycles:
            table.add_row(
                cell(cycle.name),
                Text(cycle.start.isoformat()),
                Text(cycle.end.isoformat()),
                tone(self.app, "current", CURRENT_TONE, bold=True)
                if cycle.live
                else tone(self.app, cycle.status, STATUS_TONES.get(cycle.status, "text")),
                Text(format_percent(cycle.elapsed), justify="right"),
                key=cycle.name,
            )
        if self.selected is not None and self.selected in table.rows:
            table.move_cursor(row=table.get_row_index(self.selected))

    def _cycle(self) -> CycleInfo | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        name = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((c for c in self.cycles if c.name == name), None)

    def action_back(self) -> None:
        self.dismiss(self.show)

    @on(DataTable.RowSelected)
    def _picked(self) -> None:
        cycle = self._cycle()
        if cycle is not None:
            self.dismiss(cycle.name)

    @work(exclusive=True, exit_on_error=False, group="cycles-action")
    async def action_new(self) -> None:
        latest = self.cycles[0] if self.cycles else None
        if await self.app.push_screen_wait(cycle_form(self.app, None, after=latest)):
            self.load()

    @work(exclusive=True, exit_on_error=False, group="cycles-action")
    async def action_edit(self) -> None:
        cycle = self._cycle()
        if cycle is None:
            return
        renamed: list[str] = []
        if await self.app.push_screen_wait(cycle_form(self.app, cycle, saved=renamed.append)):
            self.selected = renamed[0] if renamed else cycle.name
            if cycle.name == self.showing and renamed:
                self.showing = self.show = renamed[0]
            self.load()

    async def _set_status(self, cycle: CycleInfo, status: str, said: str) -> None:
        await asyncio.to_thread(self.app.store.set_cycle_status, cycle.name, status)
        self.notify(f"{literal(cycle.name)} {said}.", markup=False)
        self.selected = cycle.name
        self.load()

    @work(exclusive=True, exit_on_error=False, group="cycles-action")
    async def action_archive(self) -> None:
        cycle = self._cycle()
        if cycle is None:
            return
        if cycle.status == "archived":
            await self._set_status(cycle, "closed", "restored (closed)")
        else:
            await self._set_status(cycle, "archived", "archived: kept, out of the way")

    @work(exclusive=True, exit_on_error=False, group="cycles-action")
    async def action_reopen(self) -> None:
        cycle = self._cycle()
        if cycle is None or cycle.status == "open":
            return
        await self._set_status(cycle, "open", "reopened: check-ins count again; closing regrades it")

    @work(exclusive=True, exit_on_error=False, group="cycles-action")
    async def action_delete(self) -> None:
        cycle = self._cycle()
        if cycle is None:
            return
        question = (
            f"Delete cycle {literal(cycle.name)} with every objective, key result and check-in in it? "
            "This cannot be undone (a archives it instead)."
        )
        if await self.app.push_screen_wait(ConfirmScreen(question, yes="Delete", no="Keep")):
            await asyncio.to_thread(self.app.store.delete_cycle, cycle.name)
            self.notify(f"Cycle {literal(cycle.name)} deleted.", markup=False)
            if cycle.name == self.showing:
                self.showing, self.show = None, ""
            self.selected = None
            self.load()
