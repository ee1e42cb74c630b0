"""One project in depth: dates, earned value, benefits and risks, its status updates and its RAID log."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Header, Sparkline, Static
from textual.worker import get_current_worker

from pmo_tui.calculations import BUDGET_WORDS, RAID_KINDS, Health, next_raid_code, schedule_words
from pmo_tui.formatting import (
    MISSING,
    format_index,
    format_number,
    format_pct,
    format_percent,
    literal,
    raid_exposure_text,
    raid_status_text,
)
from pmo_tui.records import GoalOption, ProjectDetail, RaidItemRecord, StatusUpdateRecord
from pmo_tui.screens.base import ShowsStoreData
from pmo_tui.screens.dialogs import ConfirmScreen, TextScreen
from pmo_tui.screens.project_forms import (
    STATUS_LABELS,
    close_project_form,
    project_form,
    status_update_form,
)
from pmo_tui.screens.raid_forms import close_raid_form, raid_item_form
from pmo_tui.widgets.cells import HEALTH_SYMBOLS, HEALTH_TONES, cell, tone
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.tables import FixedTable

UPDATE_COLUMNS = [
    ("Date", "on", 10),
    ("Forecast", "forecast", 10),
    ("PV", "pv", 11),
    ("EV", "ev", 11),
    ("AC", "ac", 11),
    ("SPI", "spi", 4),
    ("CPI", "cpi", 4),
    ("CRs", "crs", 3),
    ("Risks", "risks", 5),
    ("Sat.", "sat", 4),
    ("By", "by", 14),  # who made the update (issue 19)
    ("Comment", "comment", 40),
]
# The RAID log: what a review scans first (kind, status, exposure, due) before the title.
RAID_COLUMNS = [
    ("Kind", "kind", 10),
    ("Code", "code", 5),
    ("Status", "status", 9),
    ("Exposure", "exposure", 8),
    ("Due", "due", 10),
    ("Title", "title", 36),
    ("Owner", "owner", 18),
]


def raid_cells(app, item: RaidItemRecord) -> list[Text]:
    """One RAID item's cells; an overdue one says so in a symbol and a word, not colour alone."""
    status = raid_status_text(item.status, item.overdue)
    return [
        Text(item.kind),
        cell(item.code),
        tone(app, status, "error", bold=True) if item.overdue else Text(status),
        Text(raid_exposure_text(item.exposure, item.probability, item.impact), justify="right"),
        Text(item.due.isoformat() if item.due else MISSING),
        cell(item.title),
        cell(item.owner or MISSING),
    ]


def _money(value: float | None) -> str:
    return format_number(value, 0) if value is not None else MISSING


def _health(health: Health, words: dict[Health, str]) -> tuple[str, str]:
    return f"{HEALTH_SYMBOLS[health]} {words[health]}", f"${HEALTH_TONES[health]}"


class ProjectDetailScreen(ShowsStoreData):
    """Opened with Enter on a project in the overview, or from the command palette; Esc goes back."""

    # The keys that change the portfolio: on a read-only one they say why they cannot work
    # (PmoApp.run_action).
    WRITE_ACTIONS = frozenset(
        {
            "add_update",
            "correct_update",
            "delete_update",
            "edit",
            "close_project",
            "add_raid_item",
            "edit_raid_item",
            "close_raid_item",
        }
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="project.back"),
        Binding("u", "add_update", "Status update", id="project.update"),
        Binding("a", "add_raid_item", "RAID item", id="project.add_raid_item"),
        Binding("enter", "view_update", "View", show=False, id="project.view"),
        Binding("delete", "delete_update", "Delete", id="project.delete_update"),
        Binding("e", "edit", "Edit", id="project.edit"),
        Binding("x", "close_project", "Close", id="project.close"),
        Binding("o", "close_raid_item", "Close/reopen item", id="project.close_raid_item"),
        Binding("r", "reload", "Refresh", id="project.reload"),
    ]
    READ_GROUP = "project-detail"

    class Loaded(Message):
        def __init__(
            self,
            detail: ProjectDetail,
            goals: tuple[GoalOption, ...],
            codes: set[str],
            raid_log: tuple[RaidItemRecord, ...],
            version: int,
        ) -> None:
            super().__init__()
            self.version = version
            self.detail = detail
            self.goals = goals
            self.codes = codes
            self.raid_log = raid_log

    def __init__(self, code: str) -> None:
        super().__init__(classes="project-detail")
        self.code = code
        self.detail: ProjectDetail | None = None
        self.goals: tuple[GoalOption, ...] = ()
        self.codes: set[str] = set()
        self.raid_log: tuple[RaidItemRecord, ...] = ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content(f"{literal(self.code)} · loading…"), id="project-title", classes="heading")
        with Grid(id="project-facts"):
            yield Static("", id="project-dates")
            yield Static("", id="project-value")
            yield Static("", id="project-benefits")
        with Horizontal(id="project-trends"):
            for name in ("spi", "cpi"):
                yield Static("", id=f"{name}-label", classes="trend-label")
                yield Sparkline([], id=f"{name}-spark", classes="trend-spark")
        yield Static("Status updates", id="updates-heading", classes="heading", markup=False)
        updates = FixedTable(id="updates", cursor_type="row", zebra_stripes=True)
        for label, key, width in UPDATE_COLUMNS:
            updates.add_column(label, key=key, width=width)
        yield updates
        yield Static("RAID log", id="raid-heading", classes="heading", markup=False)
        raid_log = FixedTable(id="raid-log", cursor_type="row", zebra_stripes=True)
        for label, key, width in RAID_COLUMNS:
            raid_log.add_column(label, key=key, width=width)
        yield raid_log
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#updates", DataTable).focus()
        self.load()

    def read_again(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        # Back from a form or a question: read again only if something was committed.
        if self.detail is not None and self.data_is_stale() and not self.is_reading(self.READ_GROUP):
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="project-detail")
    def load(self) -> None:
        store = self.app.store
        version = store.data_version()
        detail = store.project_detail(self.code, self.app.today)
        goals, codes = store.goal_options(), store.project_codes()
        raid_log = store.raid_items(self.code, self.app.today)
        if not get_current_worker().is_cancelled:  # a newer read replaced this one
            self.post_message(self.Loaded(detail, goals, codes, raid_log, version))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        self.detail, self.goals, self.codes = message.detail, message.goals, message.codes
        self.raid_log = message.raid_log
        self.shown_version = message.version
        detail = message.detail
        self._show_title(detail)
        self._show_facts(detail)
        self._show_trends(detail)
        self._show_updates(detail)
        self._show_raid_log(message.raid_log)

    # ------------------------------------------------------------------ drawing

    def _show_title(self, detail: ProjectDetail) -> None:
        row = detail.row
        self.query_one("#project-title", Static).update(
            Content.assemble(
                (f"{literal(row.code)} · {literal(row.name)}", "bold"),
                f"  {STATUS_LABELS.get(row.status, row.status)}  ",
                # The schedule in the overview row's words: by how many days it is late.
                (
                    f"{HEALTH_SYMBOLS[row.schedule]} {schedule_words(row.schedule, row.days_late)}",
                    f"${HEALTH_TONES[row.schedule]}",
                ),
                "  ",
                _health(row.budget, BUDGET_WORDS),
            )
        )

    @staticmethod
    def _block(title: str, rows: list[tuple[str, str | tuple[str, str]]]) -> Content:
        parts: list[str | tuple[str, str]] = [(title, "bold")]
        for label, value in rows:
            parts += ["\n", (f"{label:<12} ", "$text-muted")]
            parts.append(value if isinstance(value, tuple) else literal(value))
        return Content.assemble(*parts)

    def _show_facts(self, detail: ProjectDetail) -> None:
        row = detail.row
        if detail.actual_finish:
            finish_label, finish = "Finished", detail.actual_finish.isoformat()
        else:
            finish_label, finish = (
                "Forecast",
                detail.forecast_finish.isoformat() if detail.forecast_finish else MISSING,
            )
        late = row.days_late
        late_text: str | tuple[str, str] = (
            MISSING
            if late is None
            else (
                (f"{late} days", f"${HEALTH_TONES[row.schedule]}")
                if late > 0
                else ("on time" if late == 0 else f"{-late} days early")
            )
        )
        self.query_one("#project-dates", Static).update(
            self._block(
                "Who and when",
                [
                    ("Owner", row.owner or MISSING),
                    ("Goal", f"{detail.goal_code} {row.goal}" if detail.goal_code else "none (not aligned)"),
                    ("Start", detail.start.isoformat()),
                    ("Planned end", detail.planned_finish.isoformat()),
                    (finish_label, finish),
                    ("Days late", late_text),
                ],
            )
        )
        vac = detail.variance_at_completion
        vac_text: str | tuple[str, str] = _money(vac) if vac is None or vac >= 0 else (_money(vac), "$error")
        self.query_one("#project-value", Static).update(
            self._block(
                "Earned value",
                [
                    ("Budget", _money(detail.budget)),
                    ("Planned", _money(detail.planned_value)),
                    ("Earned", _money(detail.earned_value)),
                    ("Actual cost", _money(detail.actual_cost)),
                    (
                        "SPI · CPI",
                        (
                            f"{format_index(row.spi)} · {format_index(row.cpi)}",
                            f"${HEALTH_TONES[row.schedule]}",
                        ),
                    ),
                    ("EAC", _money(detail.estimate_at_completion)),
                    ("VAC", vac_text),
                ],
            )
        )
        self.query_one("#project-benefits", Static).update(
            self._block(
                "Benefits and risks",
                [
                    ("Expected", _money(detail.expected_benefit)),
                    ("Realised", _money(detail.realised_benefit)),
                    ("ROI", format_percent(detail.roi)),
                    ("Changes", str(detail.change_requests)),
                    ("Open risks", str(detail.open_risks)),
                    ("Satisfaction", format_pct(detail.satisfaction)),
                ],
            )
        )

    def _show_trends(self, detail: ProjectDetail) -> None:
        for name, values in (
            ("spi", [u.spi for u in detail.updates]),
            ("cpi", [u.cpi for u in detail.updates]),
        ):
            known = [v for v in values if v is not None]
            latest = format_index(known[-1]) if known else MISSING
            span = f" over {len(known)} updates" if len(known) > 1 else ""
            self.query_one(f"#{name}-label", Static).update(
                Content.assemble((name.upper(), "bold"), f" {latest}{span}")
            )
            self.query_one(f"#{name}-spark", Sparkline).data = known

    def _show_updates(self, detail: ProjectDetail) -> None:
        table = self.query_one("#updates", DataTable)
        selected = None
        if table.row_count:
            selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear()
        for update in reversed(detail.updates):  # newest first
            table.add_row(*self._update_cells(update), key=str(update.id))
        self.query_one("#updates-heading", Static).update(
            f"Status updates · {len(detail.updates)} · u adds one from the latest figures"
            if detail.updates
            else "Status updates · none yet · u adds the first"
        )
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))

    def _show_raid_log(self, raid_log: tuple[RaidItemRecord, ...]) -> None:
        table = self.query_one("#raid-log", DataTable)
        selected = None
        if table.row_count:
            selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear()
        for item in raid_log:
            table.add_row(*raid_cells(self.app, item), key=item.code)
        opened = [item for item in raid_log if item.status == "open"]
        overdue = sum(item.overdue for item in raid_log)
        self.query_one("#raid-heading", Static).update(
            (
                f"RAID log · {len(opened)} open of {len(raid_log)}"
                + (f" · {overdue} ⚠ overdue" if overdue else "")
                + " · a adds, Enter edits, o closes"
            )
            if raid_log
            else "RAID log · none yet · a adds a risk, assumption, issue, decision or action"
        )
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))

    @staticmethod
    def _update_cells(update: StatusUpdateRecord) -> list[Text]:
        def right(text: str) -> Text:
            return Text(text, justify="right")

        return [
            Text(update.on.isoformat()),
            Text(update.forecast_finish.isoformat() if update.forecast_finish else MISSING),
            right(_money(update.planned_value)),
            right(_money(update.earned_value)),
            right(_money(update.actual_cost)),
            right(format_index(update.spi)),
            right(format_index(update.cpi)),
            right(str(update.change_requests)),
            right(str(update.open_risks)),
            right(format_pct(update.satisfaction)),
            cell(update.by),
            cell(update.comment),
        ]

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.dismiss()

    def _after_form(self, saved: bool | None) -> None:
        if saved:
            self.load()

    def _selected_update(self) -> StatusUpdateRecord | None:
        table = self.query_one("#updates", DataTable)
        if self.detail is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((u for u in self.detail.updates if str(u.id) == key), None)

    def action_add_update(self) -> None:
        if self.detail:
            self.app.push_screen(status_update_form(self.app, self.detail), self._after_form)

    def _raid_focused(self) -> bool:
        return self.focused is self.query_one("#raid-log", DataTable)

    def _selected_raid_item(self) -> RaidItemRecord | None:
        table = self.query_one("#raid-log", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((item for item in self.raid_log if item.code == key), None)

    def _raid_form(self, item: RaidItemRecord | None) -> None:
        codes = {existing.code for existing in self.raid_log}
        next_codes = {kind: next_raid_code(kind, codes) for kind in RAID_KINDS}
        self.app.push_screen(raid_item_form(self.app, self.code, codes, next_codes, item), self._after_form)

    def action_add_raid_item(self) -> None:
        if self.detail:
            self._raid_form(None)

    def action_edit_raid_item(self) -> None:
        item = self._selected_raid_item()
        if item is not None:
            self._raid_form(item)

    @work(exclusive=True, exit_on_error=False, group="project-action")
    async def action_close_raid_item(self) -> None:
        item = self._selected_raid_item()
        if item is None:
            self.notify("No RAID item to close: a adds one.", markup=False, severity="warning")
            return
        if item.status == "open":
            self.app.push_screen(close_raid_form(self.app, item), self._after_form)
            return
        question = f"Reopen {item.code} · {item.title}? It was closed on {item.closed}."
        if await self.app.push_screen_wait(ConfirmScreen(question, yes="Reopen", no="Keep closed")):
            await asyncio.to_thread(
                self.app.store.reopen_raid_item, self.code, item.code, expected_version=item.version
            )
            self.notify(f"{self.code} {item.code} is open again.", markup=False)
            self.load()

    @on(DataTable.RowSelected, "#raid-log")
    def _raid_row_selected(self) -> None:
        # Enter on a RAID item edits it; on a portfolio that cannot be changed it shows it whole.
        item = self._selected_raid_item()
        if item is None:
            return
        if not self.app.store.read_only:
            self.action_edit_raid_item()
            return
        lines = [f"{label}: {value}" for label, value in item.as_fields().items() if value]
        self.app.push_screen(TextScreen(f"{self.code} · {item.code}", "\n".join(lines)))
        self.app.refuse_change()

    def action_correct_update(self) -> None:
        if self._raid_focused():
            self.action_edit_raid_item()
            return
        update = self._selected_update()
        if self.detail is not None and update is not None:
            self.app.push_screen(status_update_form(self.app, self.detail, update), self._after_form)

    @on(DataTable.RowSelected, "#updates")
    def action_view_update(self) -> None:
        """Enter on a row: the status update with its whole comment; `e` there corrects it."""
        update = self._selected_update()
        if update is None:
            return
        title = (
            f"{self.code} · status update of {update.on.isoformat()} · "
            f"SPI {format_index(update.spi)} · CPI {format_index(update.cpi)}"
            + (f" · by {update.by}" if update.by else "")
        )

        def corrected(correct: bool | None) -> None:
            if correct and self.detail is not None:
                again = next((u for u in self.detail.updates if u.id == update.id), None)
                if again is not None:
                    self.app.push_screen(status_update_form(self.app, self.detail, again), self._after_form)

        self.app.push_screen(
            TextScreen(title, update.comment, correct=not self.app.store.read_only), corrected
        )

    @work(exclusive=True, exit_on_error=False, group="project-action")
    async def action_delete_update(self) -> None:
        if self._raid_focused():
            await self._delete_raid_item()
            return
        update = self._selected_update()
        if update is None:
            return
        question = (
            f"Delete {self.code}'s status update of {update.on.isoformat()}? The figures go back "
            "to the update before it. This cannot be undone."
        )
        if await self.app.push_screen_wait(ConfirmScreen(question, yes="Delete", no="Keep")):
            await asyncio.to_thread(self.app.store.delete_status_update, update.id)
            self.notify(f"{self.code}: the update of {update.on.isoformat()} was deleted.", markup=False)
            self.load()

    async def _delete_raid_item(self) -> None:
        item = self._selected_raid_item()
        if item is None:
            return
        question = (
            f"Delete {self.code}'s {item.kind} {item.code} · {item.title}? Closing it keeps it on "
            "record (o); deleting cannot be undone."
        )
        if await self.app.push_screen_wait(ConfirmScreen(question, yes="Delete", no="Keep")):
            await asyncio.to_thread(
                self.app.store.delete_raid_item, self.code, item.code, expected_version=item.version
            )
            self.notify(f"{self.code}: {item.code} was deleted.", markup=False)
            self.load()

    def action_edit(self) -> None:
        if self.detail:
            form = project_form(self.app, self.goals, self.codes, self.detail, saved=self._follow_code)
            self.app.push_screen(form, self._after_form)

    def _follow_code(self, code: str) -> None:
        self.code = code

    def action_close_project(self) -> None:
        if self.detail is None:
            return
        if self.detail.row.status in ("done", "cancelled"):
            self.notify(
                f"{self.code} is already {self.detail.row.status}; e edits its status.",
                markup=False,
                severity="warning",
            )
            return
        self.app.push_screen(close_project_form(self.app, self.detail), self._after_form)
