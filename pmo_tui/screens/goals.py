"""The strategic goals: what is aligned to each, its share of the budget, and what is aligned to none."""

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

from pmo_tui.formatting import MISSING, format_number, format_pct, format_percent, literal
from pmo_tui.records import GoalRow, GoalsView
from pmo_tui.screens.base import ShowsStoreData
from pmo_tui.screens.dialogs import ConfirmScreen
from pmo_tui.screens.project_forms import STATUS_LABELS, goal_form
from pmo_tui.widgets.cells import cell
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.tables import FixedTable

# The row of the projects aligned to no goal: a key no goal code can take (codes start alphanumeric).
UNALIGNED = "-none"
GOAL_COLUMNS = [
    ("Code", "code", 5),
    ("Goal", "name", 24),
    ("Owner", "owner", 14),
    ("Budget", "share", 6),
    ("Proj.", "projects", 5),
    ("KPIs", "kpis", 4),
    ("Obj.", "objectives", 4),
]


class GoalsScreen(ShowsStoreData):
    """Opened with g on the overview or from the command palette; Esc goes back."""

    # The keys that change the portfolio: on a read-only one they say why they cannot work
    # (PmoApp.run_action).
    WRITE_ACTIONS = frozenset({"new_goal", "edit", "retire"})
    BINDINGS = [
        Binding("escape", "back", "Back", id="goals.back"),
        Binding("n", "new_goal", "New goal", id="goals.new"),
        Binding("e", "edit", "Edit", id="goals.edit"),
        Binding("x", "retire", "Retire/restore", id="goals.retire"),
        Binding("r", "reload", "Refresh", id="goals.reload"),
    ]
    READ_GROUP = "goals"

    class Loaded(Message):
        def __init__(self, view: GoalsView, focus: str | None, version: int) -> None:
            super().__init__()
            self.version = version
            self.view = view
            self.focus = focus

    def __init__(self) -> None:
        super().__init__(classes="goals")
        self.view: GoalsView | None = None
        self._next_focus: str | None = None  # the goal a form just saved: the cursor goes there

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content("Strategic goals · loading…"), id="goals-heading", classes="heading")
        with Horizontal(id="goals-body"):
            table = FixedTable(id="goals-table", cursor_type="row", zebra_stripes=True)
            for label, key, width in GOAL_COLUMNS:
                table.add_column(label, key=key, width=width)
            yield table
            with VerticalScroll(id="goal-side"):
                yield Static("", id="goal-details")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#goals-table", DataTable).focus()
        self.load()

    def read_again(self) -> None:
        self.load(self._selected_key())

    def on_screen_resume(self) -> None:
        # Back from a form: the goal it saved; else read again only if something was committed.
        if self.view is not None and (self._next_focus or self.data_is_stale()):
            self.load(self._next_focus or self._selected_key())

    @work(thread=True, exclusive=True, exit_on_error=False, group="goals")
    def load(self, focus: str | None = None) -> None:
        store = self.app.store
        version = store.data_version()
        view = store.goals_view()
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(view, focus, version))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        view = self.view = message.view
        self.shown_version = message.version
        active = sum(g.active for g in view.goals)
        self.query_one("#goals-heading", Static).update(
            Content(
                f"Strategic goals · {active} active of {len(view.goals)} · "
                f"{format_pct(view.aligned_pct)} of projects aligned · {len(view.unaligned)} aligned to none"
            )
        )
        table = self.query_one("#goals-table", DataTable)
        focus = message.focus or self._next_focus or self._selected_key()
        self._next_focus = None
        table.clear()
        for goal in view.goals:
            muted = "" if goal.active else "dim"
            table.add_row(
                cell(goal.code),
                cell(goal.name + ("" if goal.active else " (retired)")),
                cell(goal.owner),
                Text(format_percent(goal.budget_share), justify="right", style=muted),
                Text(str(len(goal.projects)), justify="right", style=muted),
                Text(str(len(goal.kpis)), justify="right", style=muted),
                Text(str(len(goal.objectives)), justify="right", style=muted),
                key=goal.code,
            )
        table.add_row(
            Text("—"),
            Text("aligned to no goal", style="italic"),
            Text(""),
            Text(format_percent(view.unaligned_share), justify="right"),
            Text(str(len(view.unaligned)), justify="right"),
            Text(""),
            Text(""),
            key=UNALIGNED,
        )
        if focus is not None and focus in table.rows:
            table.move_cursor(row=table.get_row_index(focus))
        self._show_details()

    def _selected_key(self) -> str | None:
        table = self.query_one("#goals-table", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _selected_goal(self) -> GoalRow | None:
        key = self._selected_key()
        return next((g for g in self.view.goals if g.code == key), None) if self.view else None

    @on(DataTable.RowHighlighted, "#goals-table")
    def _highlighted(self) -> None:
        self._show_details()

    def _show_details(self) -> None:
        view = self.view
        if view is None:
            return
        goal = self._selected_goal()
        parts: list[str | tuple[str, str]] = []
        if goal is None:
            parts += [
                ("Projects aligned to no goal", "bold"),
                (
                    "\nThey lower “aligned %”: give each a goal (e on its detail) or question it.",
                    "$text-muted",
                ),
            ]
            projects = view.unaligned
        else:
            parts += [(f"{literal(goal.code)} · {literal(goal.name)}", "bold")]
            if not goal.active:
                parts.append(("  retired", "$warning"))
            if goal.description:
                parts += ["\n", literal(goal.description)]
            parts += [
                "\n",
                ("Owner ", "$text-muted"),
                literal(goal.owner or MISSING),
                ("   budget share ", "$text-muted"),
                format_percent(goal.budget_share),
            ]
            projects = goal.projects
        parts += ["\n\n", (f"Projects ({len(projects)})", "bold")]
        for project in projects:
            parts += [
                "\n",
                literal(project.code),
                "  ",
                literal(project.name),
                (
                    f"  {STATUS_LABELS.get(project.status, project.status)} · "
                    f"{format_number(project.budget, 0)}",
                    "$text-muted",
                ),
            ]
        if goal is not None:
            parts += ["\n\n", (f"KPIs ({len(goal.kpis)})", "bold")]
            for code, name in goal.kpis:
                parts += ["\n", literal(code), "  ", literal(name)]
            parts += ["\n\n", (f"Objectives ({len(goal.objectives)})", "bold")]
            for code, title, cycle in goal.objectives:
                parts += ["\n", literal(code), "  ", literal(title), (f"  {literal(cycle)}", "$text-muted")]
        self.query_one("#goal-details", Static).update(Content.assemble(*parts))

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.dismiss()

    def _codes(self) -> set[str]:
        return {g.code for g in self.view.goals} if self.view else set()

    def _after(self, created: list[str]):
        def reload(saved: bool | None) -> None:
            if saved and created:
                self._next_focus = created[0]
                self.load(created[0])

        return reload

    def action_new_goal(self) -> None:
        created: list[str] = []
        self.app.push_screen(goal_form(self.app, self._codes(), saved=created.append), self._after(created))

    def action_edit(self) -> None:
        goal = self._selected_goal()
        if goal is None:
            return
        created: list[str] = []
        self.app.push_screen(
            goal_form(self.app, self._codes(), goal, saved=created.append), self._after(created)
        )

    @on(DataTable.RowSelected, "#goals-table")
    def _row_selected(self) -> None:
        if self._selected_key() == UNALIGNED:
            self.notify(
                "Give a project its goal from its detail (Enter on it in the overview, then e).", timeout=4
            )
            return
        if not self.app.refuse_change():  # Enter on a row: a write key like any other
            self.action_edit()

    @work(exclusive=True, exit_on_error=False, group="goals-action")
    async def action_retire(self) -> None:
        goal = self._selected_goal()
        if goal is None:
            return
        if goal.active:
            question = (
                f"Retire {goal.code} “{goal.name}”? What is aligned to it keeps the link and still "
                "counts as aligned; it is no longer offered for new work (x brings it back)."
            )
            if not await self.app.push_screen_wait(ConfirmScreen(question, yes="Retire", no="Keep")):
                return
        await asyncio.to_thread(self.app.store.set_goal_active, goal.code, not goal.active)
        self.notify(f"{goal.code} {'retired' if goal.active else 'is active again'}.", markup=False)
        self.load(goal.code)
