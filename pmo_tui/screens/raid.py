"""The portfolio's RAID log: every project's risks, assumptions, issues, decisions and actions."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Header, Static
from textual.worker import get_current_worker

from pmo_tui.calculations import RAID_ORDER
from pmo_tui.formatting import MISSING, OVERDUE, raid_status_text
from pmo_tui.records import RaidItemRecord
from pmo_tui.screens.base import ShowsStoreData
from pmo_tui.widgets.cells import cell, tone
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.tables import FixedTable

RAID_LIST_COLUMNS = [
    ("Project", "project", 8),
    ("Kind", "kind", 10),
    ("Code", "code", 5),
    ("Status", "status", 9),
    # The exposure alone (probability × impact): the title needs the room at 80 columns.
    ("Exp.", "exposure", 4),
    ("Due", "due", 10),
    ("Title", "title", 36),
    ("Owner", "owner", 18),
]
# What k steps through: every kind, then each kind in the order the log is read.
KIND_FILTERS: tuple[str | None, ...] = (None, *RAID_ORDER)


def _plural(kind: str) -> str:
    return f"{kind}s"


class RaidScreen(ShowsStoreData):
    """Opened with l on the overview or from the command palette; Esc goes back. Risks by
    exposure, highest first, then issues, actions by due day, decisions and assumptions; closed
    items last, and only when asked for."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="raid.back"),
        Binding("k", "next_kind", "Kind", id="raid.kind"),
        Binding("h", "toggle_closed", "Closed items", id="raid.closed"),
        Binding("r", "reload", "Refresh", id="raid.reload"),
        Binding("enter", "open_project", "Open project", show=False, id="raid.open_project"),
    ]
    READ_GROUP = "raid-list"

    class Loaded(Message):
        def __init__(self, items: tuple[RaidItemRecord, ...], version: int) -> None:
            super().__init__()
            self.items = items
            self.version = version

    def __init__(self) -> None:
        super().__init__(classes="raid")
        self.items: tuple[RaidItemRecord, ...] = ()
        self.kind: str | None = None
        self.show_closed = False
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content("RAID log · loading…"), id="raid-list-heading", classes="heading")
        table = FixedTable(id="raid-list", cursor_type="row", zebra_stripes=True)
        for label, key, width in RAID_LIST_COLUMNS:
            table.add_column(label, key=key, width=width)
        yield table
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#raid-list", DataTable).focus()
        self.load()

    def read_again(self) -> None:
        self.load()  # the filters and the cursor's item are kept by _fill

    def on_screen_resume(self) -> None:
        # Back from a project, where items may have changed: read again only if something was.
        if self.loaded and self.data_is_stale() and not self.is_reading(self.READ_GROUP):
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="raid-list")
    def load(self) -> None:
        store = self.app.store
        version = store.data_version()  # taken before the read: a commit during it still counts
        items = store.portfolio_raid(self.app.today)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(items, version))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        self.items, self.loaded = message.items, True
        self.shown_version = message.version
        self._fill()

    def _shown(self) -> list[RaidItemRecord]:
        return [
            item
            for item in self.items
            if (self.show_closed or item.status == "open") and (self.kind is None or item.kind == self.kind)
        ]

    def _fill(self) -> None:
        table = self.query_one("#raid-list", DataTable)
        selected = None
        if table.row_count:
            selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear()
        shown = self._shown()
        for item in shown:
            table.add_row(*self._cells(item), key=f"{item.project_code}\t{item.code}")
        opened = sum(item.status == "open" for item in self.items)
        overdue = sum(item.overdue for item in self.items)
        what = "all kinds" if self.kind is None else _plural(self.kind)
        closed = "open and closed" if self.show_closed else "open only"
        heading = (
            f"RAID log · {opened} open in {len({i.project_code for i in self.items})} projects"
            + (f" · {overdue} {OVERDUE}" if overdue else "")
            + f" · showing {what}, {closed} ({len(shown)})"
        )
        if not self.items:
            heading = "RAID log · no items yet · a on a project's page adds one"
        self.query_one("#raid-list-heading", Static).update(Content(heading))
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))

    def _cells(self, item: RaidItemRecord) -> list[Text]:
        status = raid_status_text(item.status, item.overdue)
        return [
            cell(item.project_code),
            Text(item.kind),
            cell(item.code),
            tone(self.app, status, "error", bold=True) if item.overdue else Text(status),
            Text("" if item.exposure is None else str(item.exposure), justify="right"),
            Text(item.due.isoformat() if item.due else MISSING),
            cell(item.title),
            cell(item.owner or MISSING),
        ]

    def action_back(self) -> None:
        self.dismiss()

    def action_next_kind(self) -> None:
        self.kind = KIND_FILTERS[(KIND_FILTERS.index(self.kind) + 1) % len(KIND_FILTERS)]
        self._fill()

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self._fill()

    def _selected(self) -> RaidItemRecord | None:
        table = self.query_one("#raid-list", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((i for i in self.items if f"{i.project_code}\t{i.code}" == key), None)

    def action_open_project(self) -> None:
        item = self._selected()
        if item is not None:
            self.app.open_project(item.project_code)

    @on(DataTable.RowSelected, "#raid-list")
    def _row_selected(self) -> None:
        self.action_open_project()
