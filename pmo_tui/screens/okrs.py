"""The OKR area: a cycle's objectives with their key results, written, checked in on and graded."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Header, Static
from textual.worker import get_current_worker

from pmo_tui.calculations import same_person
from pmo_tui.formatting import (
    format_confidence,
    format_percent,
    literal,
    progress_bar,
)
from pmo_tui.records import KeyResultRow, ObjectiveRow, OkrBoard
from pmo_tui.screens.base import ShowsStoreData
from pmo_tui.screens.check_in import CheckInScreen
from pmo_tui.screens.close_cycle import CloseSummaryScreen
from pmo_tui.screens.cycles import CyclesScreen
from pmo_tui.screens.dialogs import ConfirmScreen
from pmo_tui.screens.key_result_detail import KeyResultDetailScreen
from pmo_tui.screens.okr_forms import key_result_form, objective_form
from pmo_tui.store import NotFound
from pmo_tui.validation import InvalidInput
from pmo_tui.widgets.cells import GRADE_TONES, PACE_SYMBOLS, PACE_TONES, cell, grade_cell, tone
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.okr_text import key_result_facts, objective_facts, value_text
from pmo_tui.widgets.tables import FixedTable

# Columns beside the title: (label, key, width); the title takes what the terminal has left.
NARROW_COLUMNS = (
    ("Progress", "progress", 13),
    ("Grade", "grade", 10),
    ("Conf", "confidence", 5),
    ("Pace", "pace", 13),
)
WIDE_COLUMNS = (
    ("Progress", "progress", 13),
    ("Goal · value", "value", 15),
    ("Grade", "grade", 10),
    ("Conf", "confidence", 5),
    ("Pace", "pace", 13),
    ("Owner", "owner", 16),
)


class OkrScreen(ShowsStoreData):
    """Objectives and key results of one cycle; the current cycle unless another is picked."""

    # The keys that change the portfolio: on a read-only one they say why they cannot work
    # (PmoApp.run_action).
    WRITE_ACTIONS = frozenset(
        {"check_in", "new_objective", "new_key_result", "edit", "archive", "delete", "close_cycle"}
    )
    BINDINGS = [
        Binding("c", "check_in", "Check in", id="okr.check_in"),
        Binding("o", "new_objective", "New objective", id="okr.new_objective"),
        Binding("k", "new_key_result", "New KR", id="okr.new_key_result"),
        Binding("e", "edit", "Edit", id="okr.edit"),
        Binding("a", "archive", "Archive", id="okr.archive"),
        Binding("delete", "delete", "Delete", id="okr.delete"),
        Binding("w", "owner_filter", "Whose", id="okr.owner"),
        Binding("m", "mine", "Mine", id="okr.mine"),
        Binding("left_square_bracket", "cycle(-1)", "Older cycle", key_display="[", id="okr.older"),
        Binding("right_square_bracket", "cycle(1)", "Newer cycle", key_display="]", id="okr.newer"),
        Binding("y", "cycles", "Cycles", id="okr.cycles"),
        Binding("x", "close_cycle", "Close & grade", id="okr.close"),
        Binding("r", "reload", "Refresh", id="okr.reload"),
    ]
    READ_GROUP = "okr-board"

    class Loaded(Message):
        def __init__(
            self, board: OkrBoard, focus: str | None, choices: tuple, goals: tuple, version: int
        ) -> None:
            super().__init__()
            self.version = version
            self.board = board
            self.focus = focus
            self.choices = choices
            self.goals = goals

    def __init__(self) -> None:
        super().__init__(classes="okrs")
        self.board: OkrBoard | None = None
        self.cycle_name: str | None = None  # None: the current cycle
        self.owner: str | None = None
        self.mine = False  # only what the user working owns (m)
        self._pending: tuple[str, str] | None = None  # (focus, holding) of a jump not shown yet
        self._columns_for: int | None = None
        # The forms' pick lists, read with the board so that a form opens at the key press.
        self._choices: tuple = ((), (), ())
        self._goals: tuple = ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content("OKRs · loading…"), id="okr-heading", classes="heading")
        with Horizontal(id="okr-body"):
            yield FixedTable(id="okr-table", cursor_type="row", zebra_stripes=False)
            with VerticalScroll(id="okr-side"):
                yield Static("", id="okr-details")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#okr-table", DataTable).focus()
        self.load(*self._pending or (None, None))

    def read_again(self) -> None:
        self.load(*self._pending or (None, None))

    def on_screen_resume(self) -> None:
        # Read again only for a jump not shown yet, or if something was saved meanwhile.
        if self.board is not None and (self._pending or self.data_is_stale()):
            self.load(*self._pending or (None, None))

    def on_resize(self) -> None:
        if self.board is not None and self._columns_for != self._title_width():
            self._show_table(self.board)

    @work(thread=True, exclusive=True, exit_on_error=False, group="okr-board")
    def load(self, focus: str | None = None, holding: str | None = None) -> None:
        store, today = self.app.store, self.app.today
        version = store.data_version()
        try:
            board = store.okr_board(today, self.cycle_name, holding=holding)
        except NotFound:
            # The cycle looked at was renamed or deleted meanwhile: show the current one.
            board = store.okr_board(today)
        # A newer read replaced this one: its board must not overwrite the newer one's.
        choices, goals = store.okr_choices(), store.goal_options()
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(board, focus, choices, goals, version))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        board = message.board
        self.board = board
        self.shown_version = message.version
        self._choices, self._goals = message.choices, message.goals
        self._pending = None
        if board.cycle is not None:
            self.cycle_name = board.cycle.name
        self._show_heading(board)
        self._show_table(board, message.focus)
        self._show_details()

    # ------------------------------------------------------------------ drawing

    def _show_heading(self, board: OkrBoard) -> None:
        heading = self.query_one("#okr-heading", Static)
        cycle = board.cycle
        if cycle is None:
            heading.update(Content("OKRs · no cycle yet: press y to create one, o for an objective"))
            return
        # Every cycle holding today is current (a year and its quarter), not only the default one.
        current = cycle.name in board.currents or cycle.name == board.current
        where = "current" if current and cycle.status == "open" else cycle.status
        position = [c.name for c in board.cycles].index(cycle.name)
        parts: list[str | tuple[str, str]] = [f"OKRs · {literal(cycle.name)} ({where})"]
        # Whose, early: on a narrow terminal the heading's end is cut off, and a filter must show.
        if self.owner:
            parts.append((f" · {literal(self.owner)}'s", "$warning"))
        if self.mine:
            parts.append((f" · owned by me ({literal(self.app.store.user)}), m: all", "$warning"))
        parts += [
            f" · {cycle.start:%d %b} – {cycle.end:%d %b %Y}",
            f" · {format_percent(cycle.elapsed)} elapsed",
        ]
        others = [name for name in board.currents if name != cycle.name]
        if others and len(board.currents) > 1:
            parts.append((f" · also current: {literal(', '.join(others))}", "$text-muted"))
        if len(board.cycles) > 1:
            parts.append(
                (f" · cycle {len(board.cycles) - position} of {len(board.cycles)} ([ ])", "$text-muted")
            )
        heading.update(Content.assemble(*parts))

    def _title_width(self) -> int:
        columns = WIDE_COLUMNS if self.size.width >= 110 else NARROW_COLUMNS
        side = 0 if self.size.width < 150 else 46
        used = sum(width + 2 for _, _, width in columns) + side + 2 + 2
        return max(20, self.size.width - used)

    def _visible(self, board: OkrBoard) -> list[ObjectiveRow]:
        whose = self.app.store.user if self.mine else self.owner
        if not whose:
            return list(board.objectives)
        return [
            o
            for o in board.objectives
            if same_person(o.owner, whose) or any(same_person(kr.owner, whose) for kr in o.key_results)
        ]

    def _show_table(self, board: OkrBoard, focus: str | None = None) -> None:
        table = self.query_one("#okr-table", DataTable)
        if focus is None:
            focus = self._selected_key()
        title_width = self._title_width()
        self._columns_for = title_width
        table.clear(columns=True)
        table.add_column("Objective / key result", key="title", width=title_width)
        wide = self.size.width >= 110
        for label, key, width in WIDE_COLUMNS if wide else NARROW_COLUMNS:
            table.add_column(label, key=key, width=width)
        for objective in self._visible(board):
            table.add_row(*self._objective_cells(objective, wide), key=objective.code)
            for number, kr in enumerate(objective.key_results, start=1):
                last = number == len(objective.key_results)
                table.add_row(*self._key_result_cells(kr, objective.status, wide, last), key=kr.code)
        if focus is not None and focus in table.rows:
            table.move_cursor(row=table.get_row_index(focus))

    def _pace(self, row: ObjectiveRow | KeyResultRow, status: str) -> Text:
        if status in ("draft", "archived"):
            return tone(self.app, status, "text-muted")
        if row.score is not None:
            return tone(self.app, f"graded {row.score:.2f}", GRADE_TONES[row.grade])
        return tone(self.app, f"{PACE_SYMBOLS[row.pace]} {row.pace.value}", PACE_TONES[row.pace])

    def _progress(self, progress: float, grade) -> Text:
        bar = tone(self.app, progress_bar(progress, 8), GRADE_TONES[grade])
        bar.append(f" {format_percent(progress):>4}")
        return bar

    def _objective_cells(self, objective: ObjectiveRow, wide: bool) -> list[Text]:
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(f"{literal(objective.code)} ", style="bold")
        title.append(literal(objective.title), style="bold")
        if objective.lint:
            title.append(f"  ✗{len(objective.lint)}", style=self.app.theme_variables.get("warning", ""))
        score = objective.score if objective.score is not None else objective.progress
        cells = [title, self._progress(score, objective.grade)]
        if wide:
            # Alignment at a glance: the strategic goal, and the parent objective after ↑.
            where = objective.goal_code or "no goal"
            if objective.parent_code:
                where += f" ↑{objective.parent_code}"
            cells.append(cell(where))
        cells += [
            grade_cell(self.app, objective.grade, objective.score is not None),
            Text(format_confidence(objective.confidence), justify="right"),
            self._pace(objective, objective.status),
        ]
        if wide:
            cells.append(cell(objective.owner))
        return cells

    def _key_result_cells(self, kr: KeyResultRow, status: str, wide: bool, last: bool) -> list[Text]:
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(" └ " if last else " ├ ", style="dim")
        title.append(literal(kr.code.rsplit("-", 1)[-1]) + " ", style="dim")
        title.append(literal(kr.title))
        score = kr.score if kr.score is not None else kr.progress
        cells = [title, self._progress(score, kr.grade)]
        if wide:
            cells.append(cell(value_text(kr), right=True))
        cells += [
            grade_cell(self.app, kr.grade, kr.score is not None),
            Text(format_confidence(kr.confidence), justify="right"),
            self._pace(kr, "archived" if kr.archived else status),
        ]
        if wide:
            cells.append(cell(kr.owner))
        return cells

    def _selected_key(self) -> str | None:
        table = self.query_one("#okr-table", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _selected(self) -> tuple[ObjectiveRow | None, KeyResultRow | None]:
        """The highlighted objective, and the highlighted key result when the cursor is on one."""
        key = self._selected_key()
        if self.board is None or key is None:
            return None, None
        for objective in self.board.objectives:
            if objective.code == key:
                return objective, None
            for kr in objective.key_results:
                if kr.code == key:
                    return objective, kr
        return None, None

    @on(DataTable.RowHighlighted, "#okr-table")
    def _show_details(self) -> None:
        objective, kr = self._selected()
        details = self.query_one("#okr-details", Static)
        if objective is None:
            empty = (
                "No objectives in this cycle yet: press o to write one."
                if self.board and self.board.cycle
                else ""
            )
            details.update(Content(empty))
            return
        details.update(key_result_facts(kr) if kr else objective_facts(objective))

    # ------------------------------------------------------------------ actions

    def focus_item(self, code: str) -> None:
        """Show the cycle holding objective `code` with the cursor on it."""
        # Kept until shown: a reload on resume or mount must not lose the jump.
        self._pending = (code, code)
        self.load(code, code)

    @on(DataTable.RowSelected, "#okr-table")
    def _open(self) -> None:
        objective, kr = self._selected()
        if kr is not None:
            self.app.push_screen(KeyResultDetailScreen(kr.code))
        elif objective is not None and not self.app.refuse_change():
            self.action_edit()

    def action_check_in(self) -> None:
        self.app.push_screen(CheckInScreen(owner=self.owner), self._after_check_in)

    def _after_check_in(self, saved: int | None) -> None:
        self.load()

    def action_cycle(self, step: int) -> None:
        """[ and ]: the older or newer cycle."""
        if self.board is None or self.board.cycle is None:
            return
        names = [c.name for c in self.board.cycles]  # newest first
        index = names.index(self.board.cycle.name) - step
        if 0 <= index < len(names):
            self.cycle_name = names[index]
            self.load()

    def action_owner_filter(self) -> None:
        """w: all owners, then each owner in turn; the check-in follows the same choice."""
        if self.board is None:
            return
        owners = sorted(
            {o.owner for o in self.board.objectives if o.owner}
            | {kr.owner for o in self.board.objectives for kr in o.key_results if kr.owner}
        )
        choices = [None, *owners]
        self.owner = (
            choices[(choices.index(self.owner) + 1) % len(choices)] if self.owner in choices else None
        )
        self.mine = False  # one filter of owners at a time
        self.notify(
            f"Showing {literal(self.owner)}'s objectives" if self.owner else "Showing every owner",
            markup=False,
            timeout=2,
        )
        self._show_heading(self.board)
        self._show_table(self.board)
        self._show_details()

    def action_mine(self) -> None:
        """m: only the objectives and key results the user working owns, or everyone's again."""
        if self.board is None:
            return
        self.mine, self.owner = not self.mine, None
        user = self.app.store.user
        if self.mine and not self._visible(self.board):
            self.notify(f"{user} owns no objective or key result in this cycle.", markup=False, timeout=3)
        self._show_heading(self.board)
        self._show_table(self.board)
        self._show_details()

    async def _run_form(self, form, created: list[str]) -> None:
        """Show a form; once it saved, reload with the cursor on what it created or changed."""
        if await self.app.push_screen_wait(form):
            self.load(focus=created[0] if created else None)

    @work(exclusive=True, exit_on_error=False, group="okr-action")
    async def action_new_objective(self) -> None:
        if self.board is None:
            return
        if self.board.cycle is None:
            self.notify("Create a cycle first (y, then n).", severity="warning")
            return
        (cycles, objectives, _), goals = self._choices, self._goals
        created: list[str] = []
        form = objective_form(
            self.app,
            cycles=cycles,
            objectives=objectives,
            goals=goals,
            cycle=self.board.cycle.name,
            saved=created.append,
        )
        await self._run_form(form, created)

    @work(exclusive=True, exit_on_error=False, group="okr-action")
    async def action_new_key_result(self) -> None:
        objective, _ = self._selected()
        if objective is None:
            self.notify("Put the cursor on an objective first (o writes one).", severity="warning")
            return
        _, _, kpis = self._choices
        created: list[str] = []
        await self._run_form(
            key_result_form(self.app, objective=objective, kpis=kpis, saved=created.append), created
        )

    @work(exclusive=True, exit_on_error=False, group="okr-action")
    async def action_edit(self) -> None:
        objective, kr = self._selected()
        if objective is None:
            return
        (cycles, objectives, kpis), goals = self._choices, self._goals
        created: list[str] = []
        if kr is not None:
            form = key_result_form(
                self.app, objective=objective, kpis=kpis, key_result=kr, saved=created.append
            )
        else:
            form = objective_form(
                self.app,
                cycles=cycles,
                objectives=objectives,
                goals=goals,
                cycle=objective.cycle,
                objective=objective,
                saved=created.append,
            )
        await self._run_form(form, created)

    @work(exclusive=True, exit_on_error=False, group="okr-action")
    async def action_archive(self) -> None:
        objective, kr = self._selected()
        if objective is None:
            return
        if kr is not None:
            await asyncio.to_thread(self.app.store.set_key_result_archived, kr.code, not kr.archived)
            said = (
                "is active again" if kr.archived else "archived: kept, counted for nothing (a brings it back)"
            )
            self.notify(f"{literal(kr.code)} {said}.", markup=False)
            self.load(focus=kr.code)
            return
        archived = objective.status == "archived"
        # Back to what it was: a graded objective was done; any other one goes back to work.
        status = ("done" if objective.score is not None else "active") if archived else "archived"
        await asyncio.to_thread(self.app.store.set_objective_status, objective.code, status)
        self.notify(
            f"{literal(objective.code)} {'is active again' if archived else 'archived (a brings it back)'}.",
            markup=False,
        )
        self.load(focus=objective.code)

    @work(exclusive=True, exit_on_error=False, group="okr-action")
    async def action_delete(self) -> None:
        objective, kr = self._selected()
        if objective is None:
            return
        if kr is not None:
            question = (
                f"Delete key result {kr.code} “{kr.title}” and its "
                f"{len(kr.check_ins)} check-ins? This cannot be undone."
            )
        else:
            question = (
                f"Delete objective {objective.code} “{objective.title}” with its "
                f"{objective.key_result_count} key results and all their check-ins? "
                "This cannot be undone (a archives it instead)."
            )
        if not await self.app.push_screen_wait(ConfirmScreen(question, yes="Delete", no="Keep")):
            return
        if kr is not None:
            await asyncio.to_thread(self.app.store.delete_key_result, kr.code)
        else:
            await asyncio.to_thread(self.app.store.delete_objective, objective.code)
        self.notify(f"{literal((kr or objective).code)} deleted.", markup=False)
        self.load(focus=objective.code if kr else None)

    @work(exclusive=True, exit_on_error=False, group="okr-action")
    async def action_cycles(self) -> None:
        if self.board is None:
            return
        picked = await self.app.push_screen_wait(CyclesScreen(self.cycle_name))
        if picked is not None:
            self.cycle_name = picked or None  # "": the current cycle
        self.load()

    @work(exclusive=True, exit_on_error=False, group="okr-action")
    async def action_close_cycle(self) -> None:
        board = self.board
        if board is None or board.cycle is None:
            return
        cycle = board.cycle
        if cycle.status != "open":
            self.notify(
                f"{literal(cycle.name)} is {cycle.status}; reopen it from the cycles list (y) to close "
                "it again.",
                markup=False,
                severity="warning",
            )
            return
        live = [o for o in board.objectives if o.status in ("active", "done")]
        question = (
            f"Close {cycle.name} and grade it? Each of its {len(live)} objectives and their "
            "key results is scored by its progress today, and the scores are stored. "
            "Then you can carry unfinished objectives into the next cycle."
        )
        if not await self.app.push_screen_wait(ConfirmScreen(question, yes="Close and grade", no="Not now")):
            return
        try:
            summary = await asyncio.to_thread(self.app.store.close_cycle, cycle.name, self.app.today)
        except InvalidInput as error:  # closed meanwhile in another window
            self.notify(error.message, markup=False, severity="warning")
            self.load()
            return
        # The board behind the summary shows the cycle closed and graded at once.
        self.load()
        await self.app.push_screen_wait(CloseSummaryScreen(summary))
        self.load()
