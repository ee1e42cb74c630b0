"""The portfolio overview: KPI tiles, the projects table and the current cycle's objectives."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date
from typing import Any, NamedTuple

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Header, Static
from textual.widgets.data_table import ColumnKey
from textual.worker import get_current_worker

from pmo_tui import overview_cache
from pmo_tui.calculations import (
    BUDGET_WORDS,
    Health,
    Pace,
    Status,
    attention_rank,
    cycle_score,
    grade_band,
    schedule_words,
)
from pmo_tui.formatting import (
    format_confidence,
    format_index,
    format_pct,
    format_percent,
    literal,
    progress_bar,
)
from pmo_tui.freshness import arrived
from pmo_tui.records import KpiSummary, ObjectiveRow, Overview, ProjectRow
from pmo_tui.screens.base import ShowsStoreData
from pmo_tui.screens.dialogs import ConfirmScreen
from pmo_tui.widgets.cells import (
    GRADE_SYMBOLS,
    GRADE_TONES,
    HEALTH_SYMBOLS,
    HEALTH_TONES,
    PACE_SYMBOLS,
    PACE_TONES,
    cell,
    row_code,
    tone,
)
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.kpi_tile import KpiTile
from pmo_tui.widgets.tables import FixedTable

# The tiles are a glance: with more KPIs than this, the ones that most need a look are shown.
MAX_TILES = 12
# Project rows added before the overview paints (more than a tall terminal shows); the rest
# follow in batches, each a few milliseconds, so keys are answered while they arrive.
FIRST_PROJECT_ROWS = 80
PROJECT_ROW_BATCH = 200
# How long the first showing waits for the overview read at start-up (from the cache, it takes
# a few hundredths of a second), so that the first paint shows it rather than "loading".
FIRST_PAINT_WAIT = 0.1


class OverviewRead(NamedTuple):
    """One read of the overview, and what it was read from."""

    version: int  # Store.data_version() taken before the read (see ShowsStoreData)
    revision: str | None  # the file's revision the overview is of (None: an older file, read as it is)
    overview: Overview
    cached: bool  # from the overview cache, so not to be kept there again


def read_overview(store: Any, today: date, *, cache: bool = True) -> OverviewRead:
    """The overview as the database holds it now: kept from an earlier read of this very state
    (overview_cache), or read afresh (always, with cache=False)."""
    version = store.data_version()
    revision = store.revision() if cache else None
    kept = overview_cache.load(store.location, revision, today) if revision is not None else None
    if kept is not None:
        return OverviewRead(version, revision, kept, cached=True)
    revision, overview = store.revised_overview(today)
    return OverviewRead(version, revision, overview, cached=False)


# Worst first when sorting by health.
HEALTH_ORDER = {Health.RED: 0, Health.AMBER: 1, Health.GREEN: 2, Health.UNKNOWN: 3}
# Sort keys of the projects table, in the order `s` walks through them.
PROJECT_SORTS: list[tuple[str, Callable[[ProjectRow], Any]]] = [
    ("code", lambda p: p.code),
    ("name", lambda p: p.name.casefold()),
    ("schedule", lambda p: (HEALTH_ORDER[p.schedule], -(p.days_late or 0))),
    ("budget", lambda p: (HEALTH_ORDER[p.budget], p.cpi or 0)),
    ("spi", lambda p: (p.spi is None, p.spi or 0)),
    ("cpi", lambda p: (p.cpi is None, p.cpi or 0)),
    ("status", lambda p: p.status),
    ("owner", lambda p: p.owner.casefold()),
    ("goal", lambda p: (p.goal is None, (p.goal or "").casefold())),
]
# (label, width): health comes before owner so it is visible at 80 columns.
PROJECT_COLUMNS = [
    ("Code", 8),
    ("Project", 22),
    ("Schedule", 13),
    ("Budget", 14),
    ("SPI", 4),
    ("CPI", 4),
    ("Status", 9),
    ("Owner", 18),
    ("Strategic goal", 30),
]
OBJECTIVE_COLUMNS = [
    ("Objective", "title", 30),
    ("Progress", "progress", 15),
    ("Pace", "pace", 16),
    ("Conf.", "confidence", 5),
    ("KRs", "krs", 3),
    ("Owner", "owner", 18),
]


class PortfolioScreen(ShowsStoreData):
    """The first screen a PMO lead sees: how the portfolio is doing today."""

    # The keys that change the portfolio: on a read-only one they say why they cannot work
    # (PmoApp.run_action).
    WRITE_ACTIONS = frozenset({"new_project", "delete_project", "review_done"})
    BINDINGS = [
        Binding("s", "sort", "Sort", id="portfolio.sort"),
        Binding("S", "reverse_sort", "Reverse", show=False, id="portfolio.reverse_sort"),
        Binding("r", "reload", "Refresh", id="portfolio.reload"),
        Binding("n", "new_project", "New project", id="portfolio.new_project"),
        Binding("g", "goals", "Goals", id="portfolio.goals"),
        Binding("l", "raid", "RAID log", id="portfolio.raid"),
        Binding("v", "review", "Since last review", show=False, id="portfolio.review"),
        Binding("V", "review_done", "Mark review done", show=False, id="portfolio.review_done"),
        Binding("delete", "delete_project", "Delete project", show=False, id="portfolio.delete_project"),
    ]

    class Loaded(Message):
        """The overview has been read from the database."""

        def __init__(self, read: OverviewRead) -> None:
            super().__init__()
            self.read = read

    def __init__(self) -> None:
        super().__init__()
        self.overview: Overview | None = None
        self.shown_from_cache = False  # whether the overview shown came from the overview cache
        self.sort_index = 0
        self.sort_reverse = False
        self._pending_focus: tuple[str, str] | None = None
        # The projects in table order, and how many of them the table holds so far.
        self._project_order: list[ProjectRow] = []
        self._projects_added = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("KPIs · loading…", id="kpi-heading", classes="heading", markup=False)
        yield Grid(id="kpi-grid")
        yield Static("Projects", id="project-heading", classes="heading", markup=False)
        projects = FixedTable(id="projects", cursor_type="row", zebra_stripes=True)
        for (label, width), (key, _) in zip(PROJECT_COLUMNS, PROJECT_SORTS, strict=True):
            projects.add_column(label, key=key, width=width)
        yield projects
        yield Static("OKRs", id="objective-heading", classes="heading", markup=False)
        objectives = FixedTable(id="objectives", cursor_type="row")
        for label, key, width in OBJECTIVE_COLUMNS:
            objectives.add_column(label, key=key, width=width)
        yield objectives
        yield KeyFooter()

    async def on_mount(self) -> None:
        ahead = self.app.overview_read_ahead()
        read = arrived(ahead, FIRST_PAINT_WAIT) if ahead is not None else None
        if read is not None:
            await self._show(self.Loaded(read))
        else:
            self.load_overview(ahead)

    READ_GROUP = "overview"

    def read_again(self) -> None:
        self.load_overview()

    def on_screen_resume(self) -> None:
        # Back from a detail screen or another area: read again only if something was saved.
        if self.overview is not None and self.data_is_stale():
            self.load_overview()

    @on(KpiTile.Selected)
    def _open_kpi(self, message: KpiTile.Selected) -> None:
        self.app.open_kpi(message.code)

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview")
    def load_overview(self, ahead: Future | None = None, *, cache: bool = True) -> None:
        """Read the overview off the UI thread (or wait for the read started at start-up), then
        hand it back as a message."""
        read = (
            ahead.result()
            if ahead is not None
            else read_overview(self.app.store, self.app.today, cache=cache)
        )
        if not get_current_worker().is_cancelled:  # a newer read replaced this one
            self.post_message(self.Loaded(read))

    @work(thread=True, exit_on_error=False, group="overview-cache")
    def _keep_for_next_start(self, read: OverviewRead) -> None:
        if read.revision is not None:  # else no start could find it again (see read_overview)
            overview_cache.save(self.app.store.location, read.revision, read.overview.today, read.overview)

    def action_reload(self) -> None:
        # Asked for by the user: read from the database itself, never from the cache.
        self.load_overview(cache=False)

    @on(Loaded)
    async def _show(self, message: Loaded) -> None:
        # Only the parts that changed are redrawn: mostly nothing, after a save elsewhere.
        read = message.read
        previous, self.overview = self.overview, read.overview
        self.shown_from_cache = read.cached
        overview = read.overview
        self.shown_version = read.version
        if previous is None or previous.kpis != overview.kpis:
            await self._show_kpis(overview)
        if previous is None or (previous.figures, previous.projects) != (overview.figures, overview.projects):
            self._show_projects(overview)
        if previous is None or (previous.cycles, previous.objectives) != (
            overview.cycles,
            overview.objectives,
        ):
            self._show_objectives(overview)
        if self._pending_focus:
            self.focus_item(*self._pending_focus)
        # Once painted: keep a fresh read for the next start.
        if not read.cached:
            self.call_after_refresh(self._keep_for_next_start, read)

    async def _show_kpis(self, overview: Overview) -> None:
        grid = self.query_one("#kpi-grid", Grid)
        # A tile the user is on keeps the focus when the tiles are made again from fresh figures.
        focused = self.focused.tile.code if isinstance(self.focused, KpiTile) else None
        if focused is not None:
            # Else removing the tile hands the focus on to the next widget (the objectives),
            # which would then keep it as the user's.
            self.set_focus(None, scroll_visible=False)
        await grid.remove_children()
        made = [KpiTile(summary) for summary in _tiles_shown(overview.kpis)]
        await grid.mount_all(made)
        for kpi_tile in made:
            if kpi_tile.tile.code == focused:
                kpi_tile.focus(scroll_visible=False)
        counts = {status: 0 for status in Status}
        overdue = 0
        for tile in overview.kpis:
            if tile.overdue:
                overdue += 1
            else:
                counts[tile.status] += 1
        parts = [f"KPIs · {len(overview.kpis)} active"]
        if len(overview.kpis) > MAX_TILES:
            # Said before the counts, so that it is seen at 80 columns.
            parts.append(f"showing the {MAX_TILES} most in need of a look (2: all)")
        parts += [f"{counts[s]} {s.word}" for s in (Status.GREEN, Status.AMBER, Status.RED) if counts[s]]
        if overdue:
            parts.append(f"{overdue} overdue")
        if not overview.kpis:
            parts = ["KPIs · none yet"]
        self.query_one("#kpi-heading", Static).update(Content(" · ".join(parts)))

    def _tone(self, text: str, variable: str) -> Text:
        return tone(self.app, text, variable)

    def _show_projects(self, overview: Overview) -> None:
        figures = overview.figures
        heading = (
            f"Projects · {figures.project_count}"
            f" · on time {format_pct(figures.on_time_pct)}"
            f" · in budget {format_pct(figures.within_budget_pct)}"
            f" · SPI {format_index(figures.spi)} · CPI {format_index(figures.cpi)}"
            f" · ROI {format_pct(None if figures.roi is None else figures.roi * 100)}"
        )
        self.query_one("#project-heading", Static).update(Content(heading))
        self._fill_projects()

    def _fill_projects(self) -> None:
        """The projects in the chosen order: the first screenful now, the rest in batches."""
        if self.overview is None:
            return
        table = self.query_one("#projects", DataTable)
        selected = _row_key(table)
        table.clear()
        name, sort_key = PROJECT_SORTS[self.sort_index]
        self._project_order = sorted(self.overview.projects, key=sort_key, reverse=self.sort_reverse)
        self._projects_added = 0
        arrow = "▼" if self.sort_reverse else "▲"
        for index, column in enumerate(table.ordered_columns):
            label = PROJECT_COLUMNS[index][0]
            column.label = Text(f"{label} {arrow}" if column.key.value == name else label)
        position = next(
            (index for index, project in enumerate(self._project_order) if project.code == selected), None
        )
        # The selected project keeps the cursor, however far down the new order puts it.
        self._add_project_rows(max(FIRST_PROJECT_ROWS, (position or 0) + 1))
        table.refresh()
        if position is not None:
            table.move_cursor(row=position)
        if self._projects_added < len(self._project_order):
            # After the first screenful is painted: each batch would otherwise hold it up.
            self.call_after_refresh(self._add_remaining_projects, self._project_order)

    def _add_project_rows(self, upto: int) -> None:
        """Add the next projects of `_project_order`, up to row `upto`."""
        table = self.query_one("#projects", FixedTable)
        order = self._project_order
        end = min(upto, len(order))
        table.add_keyed_rows(
            (project.code, self._project_cells(project)) for project in order[self._projects_added : end]
        )
        self._projects_added = max(self._projects_added, end)

    @work(exclusive=True, exit_on_error=False, group="project-rows")
    async def _add_remaining_projects(self, order: list[ProjectRow]) -> None:
        # Between batches the screen paints and keys are answered.
        while order is self._project_order and self._projects_added < len(order):
            await asyncio.sleep(0)
            if order is self._project_order:  # else a newer fill (a sort, fresh data) took over
                self._add_project_rows(self._projects_added + PROJECT_ROW_BATCH)

    def _all_projects_added(self) -> None:
        self._add_project_rows(len(self._project_order))

    def _project_cells(self, project: ProjectRow) -> list[Text]:
        return [
            cell(project.code),
            cell(project.name),
            self._schedule(project),
            self._health(project.budget, BUDGET_WORDS),
            Text(format_index(project.spi), justify="right"),
            Text(format_index(project.cpi), justify="right"),
            Text(project.status.replace("_", " ")),
            cell(project.owner),
            cell(project.goal) if project.goal else self._tone("none", "text-muted"),
        ]

    def _schedule(self, project: ProjectRow) -> Text:
        """Schedule health; a late project says by how many days (as the project's header)."""
        health = project.schedule
        words = schedule_words(health, project.days_late)
        return self._tone(f"{HEALTH_SYMBOLS[health]} {words}", HEALTH_TONES[health])

    def _health(self, health: Health, words: dict[Health, str]) -> Text:
        return self._tone(f"{HEALTH_SYMBOLS[health]} {words[health]}", HEALTH_TONES[health])

    def _show_objectives(self, overview: Overview) -> None:
        table = self.query_one("#objectives", DataTable)
        selected = _row_key(table)  # the cursor stays on its objective when read again
        table.clear()
        cycles = overview.cycles
        # A closed cycle is shown alone (none open holds today): graded, its pace is over.
        closed = {c.name for c in cycles if c.status == "closed"}
        table.columns[ColumnKey("pace")].label = Text("Grade" if closed else "Pace")
        if not cycles:
            self.query_one("#objective-heading", Static).update(Content("OKRs · no current cycle"))
            return
        if len(cycles) == 1 and closed:
            (cycle,) = cycles
            score = cycle_score(o.score for o in overview.objectives if o.score is not None)
            graded = f"graded {score:.2f} ({grade_band(score).word})" if score is not None else "not graded"
            heading = (
                f"OKRs · {literal(cycle.name)} · closed, {graded}"
                f" · {_count(len(overview.objectives), 'objective')}"
            )
        elif len(cycles) == 1:
            (cycle,) = cycles
            heading = (
                f"OKRs · {literal(cycle.name)} · {format_percent(cycle.elapsed)} of the cycle elapsed"
                f" · {_count(len(overview.objectives), 'objective')}"
            )
        else:
            # More than one cycle holds today (a year and its quarter): each is current, and
            # each objective says which one it belongs to.
            elapsed = ", ".join(f"{literal(c.name)} {format_percent(c.elapsed)}" for c in cycles)
            heading = (
                f"OKRs · {len(cycles)} current cycles · elapsed {elapsed}"
                f" · {_count(len(overview.objectives), 'objective')}"
            )
        self.query_one("#objective-heading", Static).update(Content(heading))
        labelled = len(cycles) > 1
        for objective in overview.objectives:
            cells = self._objective_cells(objective, labelled, objective.cycle in closed)
            table.add_row(*cells, key=objective.code)
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))

    def _objective_cells(
        self, objective: ObjectiveRow, labelled: bool = False, closed: bool = False
    ) -> list[Text]:
        tone = GRADE_TONES[objective.grade]
        # Once graded, the score is what the objective achieved; until then, its progress.
        shown = objective.score if objective.score is not None else objective.progress
        progress = self._tone(progress_bar(shown, 10), tone)
        progress.append(f" {format_percent(shown):>4}")
        pace = objective.pace
        if closed:
            pace_text = self._graded(objective)
        else:
            pace_text = self._tone(f"{PACE_SYMBOLS[pace]} {pace.value}", PACE_TONES[pace])
        if objective.overdue_key_results and pace is not Pace.OVERDUE and not closed:
            pace_text.append(f" ({objective.overdue_key_results} overdue)")
        title = cell(objective.title)
        if labelled:  # the objective's cycle first, muted: "2026-Q4 · Increase the …"
            title = Text.assemble(
                self._tone(f"{literal(objective.cycle)} · ", "text-muted"),
                title,
                no_wrap=True,
                overflow="ellipsis",
            )
        return [
            title,
            progress,
            pace_text,
            Text(format_confidence(objective.confidence), justify="right"),
            Text(str(objective.key_result_count), justify="right"),
            cell(objective.owner),
        ]

    def _graded(self, objective: ObjectiveRow) -> Text:
        """An objective of a closed cycle: its grade as symbol, word and score, or why it has none."""
        if objective.score is None:
            return self._tone(
                "not graded" if objective.status == "active" else objective.status, "text-muted"
            )
        grade = objective.grade
        return self._tone(f"{GRADE_SYMBOLS[grade]} {grade.word} {objective.score:.2f}", GRADE_TONES[grade])

    # ------------------------------------------------------------------ actions

    def action_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(PROJECT_SORTS)
        self.sort_reverse = False
        # The ▲ beside the column's label says what the order is; no message needed.
        self._fill_projects()

    def action_reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._fill_projects()

    @on(DataTable.HeaderSelected, "#projects")
    def _sort_by_header(self, event: DataTable.HeaderSelected) -> None:
        index = event.column_index
        if index == self.sort_index:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_index, self.sort_reverse = index, False
        self._fill_projects()

    @on(DataTable.RowSelected, "#objectives")
    def _open_objective(self, event: DataTable.RowSelected) -> None:
        self.app.jump_to("objective", row_code(event.row_key))

    @on(DataTable.RowSelected, "#projects")
    def _open_project(self, event: DataTable.RowSelected) -> None:
        self.app.open_project(row_code(event.row_key))

    def action_new_project(self) -> None:
        self.app.new_project()

    def action_goals(self) -> None:
        self.app.open_goals()

    def action_raid(self) -> None:
        self.app.open_raid()

    def action_review(self) -> None:
        self.app.open_review()

    @work(exclusive=True, exit_on_error=False, group="portfolio-action")
    async def action_review_done(self) -> None:
        await self.app.confirm_review_done()

    @work(exclusive=True, exit_on_error=False, group="portfolio-action")
    async def action_delete_project(self) -> None:
        table = self.query_one("#projects", DataTable)
        code = _row_key(table) if table.has_focus else None
        if code is None or self.overview is None:
            return
        project = next(p for p in self.overview.projects if p.code == code)
        question = (
            f"Delete project {code} “{project.name}” and all its status updates? This cannot be "
            "undone (closing it as done or cancelled keeps its record: x on its detail)."
        )
        if not await self.app.push_screen_wait(ConfirmScreen(question, yes="Delete", no="Keep")):
            return
        await asyncio.to_thread(self.app.store.delete_project, code)
        self.notify(f"Project {literal(code)} deleted.", markup=False)
        self.load_overview()

    def focus_item(self, kind: str, code: str) -> None:
        """Put the cursor on a project, KPI or objective (the command palette's jump)."""
        if self.overview is None:
            self._pending_focus = (kind, code)
            return
        self._pending_focus = None
        if kind == "kpi":
            for tile in self.query(KpiTile):
                if tile.tile.code == code:
                    tile.focus()
                    tile.scroll_visible()
                    return
        else:
            if kind == "project":
                self._all_projects_added()
            table = self.query_one("#projects" if kind == "project" else "#objectives", DataTable)
            if code in table.rows:
                table.focus()
                table.move_cursor(row=table.get_row_index(code))
                return
        self.notify(f"{literal(code)} is not on the overview", severity="warning", markup=False)


def _tiles_shown(kpis: tuple[KpiSummary, ...]) -> tuple[KpiSummary, ...]:
    """Every KPI in the user's order, or, when there are too many, those that most need a look."""
    if len(kpis) <= MAX_TILES:
        return kpis
    # sorted is stable: within one rank the user's order holds.
    return tuple(sorted(kpis, key=lambda kpi: attention_rank(kpi.status, kpi.overdue))[:MAX_TILES])


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _row_key(table: DataTable) -> str | None:
    if not table.row_count:
        return None
    try:
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except Exception:  # the cursor can sit outside an emptied table
        return None
