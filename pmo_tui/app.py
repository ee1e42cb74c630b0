"""The pmo-tui application: the shell that holds the four areas, the keys and the command palette."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable
from concurrent.futures import Future
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static
from textual.worker import Worker, WorkerState

from pmo_tui.commands import JumpProvider
from pmo_tui.failures import explain, is_about_the_database, read_only_message
from pmo_tui.formatting import literal, literal_lines
from pmo_tui.freshness import read_ahead
from pmo_tui.idle_collection import IdleCollector
from pmo_tui.screens.portfolio import PortfolioScreen, read_overview
from pmo_tui.store import DatabaseError, Store
from pmo_tui.textual_internals import OpaqueTopScreen, mark_styled_with_current_stylesheet

if TYPE_CHECKING:
    from pmo_tui.records import ChangeEntry
    from pmo_tui.screens.kpi_detail import KpiDetailScreen

# How often the app looks whether another session committed (seconds): a change shows within
# two seconds. A look costs next to nothing when nothing changed (Store.data_version).
WATCH_INTERVAL = 0.5
# At most this many changes are told one by one; more make one summary line.
NOTICE_LINES = 3

# Only the overview is imported up front: every other screen (and plotext, behind the KPI chart)
# loads when it is first opened, so that the first screen paints sooner.

# Textual posts a worker's state changes to the node that started it only (StateChanged does not
# bubble). Here they bubble, from a form or a screen up to the app, so that every worker's
# failure, whoever started it, reaches the app's one handler (PmoApp._worker_failed).
Worker.StateChanged.bubble = True


def _styled_as_it_mounts(screen: Screen) -> Screen:
    """A mode's new screen, marked as having seen the app's current stylesheet.

    Textual re-parses the whole stylesheet when a mode's first screen has not seen the current
    one, as a screen not yet mounted never has: two more parses of app.tcss (about 25 ms) at
    start-up and at each area's first visit. A new screen takes its styles as it mounts; a
    theme chosen later still reaches it, as it reaches every screen.

    That refresh also styled the app itself, which Textual otherwise does only after the first
    screen has mounted: the overview paints its data in its very first frame, and a widget
    drawn before the app has its colours keeps invisible text. The app is styled here instead.
    """
    app = screen.app
    mark_styled_with_current_stylesheet(screen)
    app.stylesheet.apply(app)
    # The width and height classes, which Textual sets only when the screen's first Resize
    # arrives, after that first frame: the KPI grid would show 3 tiles a row, then 4.
    width, height = app.size
    horizontal, vertical = app.HORIZONTAL_BREAKPOINTS or [], app.VERTICAL_BREAKPOINTS or []
    breakpoints = {name: False for _, name in [*horizontal, *vertical]}
    for size, sizes in ((width, horizontal), (height, vertical)):
        # As Textual picks it: the class of the largest breakpoint the size reaches.
        reached = [(at, name) for at, name in sizes if size >= at]
        if reached:
            breakpoints[max(reached)[1]] = True
    screen.update_classes(breakpoints, animate=False)
    return screen


def _portfolio_screen() -> Screen:
    return _styled_as_it_mounts(PortfolioScreen())


def _kpi_list_screen() -> Screen:
    from pmo_tui.screens.kpis import KpiListScreen

    return _styled_as_it_mounts(KpiListScreen())


def _okr_screen() -> Screen:
    from pmo_tui.screens.okrs import OkrScreen

    return _styled_as_it_mounts(OkrScreen())


def _maturity_screen() -> Screen:
    from pmo_tui.screens.maturity import MaturityScreen

    return _styled_as_it_mounts(MaturityScreen())


def _is_check_in(screen: Screen) -> bool:
    """Whether `screen` is the check-in card, without importing it: if its module is not loaded
    yet, no check-in card exists."""
    module = sys.modules.get("pmo_tui.screens.check_in")
    return module is not None and isinstance(screen, module.CheckInScreen)


class LoadSampleScreen(ModalScreen[bool]):
    """Offered on a first run: an empty database can start from the sample portfolio."""

    BINDINGS = [
        Binding("y", "answer(True)", "Load sample", id="sample.yes"),
        Binding("n,escape", "answer(False)", "Start empty", id="sample.no"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="sample-dialog"):
            yield Static(
                Content.assemble(
                    ("This portfolio is empty.", "bold"),
                    "\n\nLoad the sample portfolio (a mid-size PMO with projects, KPIs, "
                    "two OKR cycles and a maturity assessment) to look around?",
                )
            )
            with Horizontal(classes="buttons"):
                yield Button("Load sample (y)", id="yes", variant="primary")
                yield Button("Start empty (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, load: bool) -> None:
        self.dismiss(load)


def _database_failure(error: BaseException) -> bool:
    """A failure of the database itself (locked, damaged, its server gone), not of pmo's code."""
    return isinstance(error, DatabaseError) or is_about_the_database(error)


class PmoApp(OpaqueTopScreen, App[None]):
    """The terminal cockpit of a Project Management Office.

    No screen shows through an opaque top screen (OpaqueTopScreen, pmo_tui/textual_internals.py):
    changes under it no longer repaint it a frame later.
    """

    CSS_PATH = "app.tcss"
    TITLE = "pmo"
    DEFAULT_MODE = "portfolio"
    MODES = {
        "portfolio": _portfolio_screen,
        "kpis": _kpi_list_screen,
        "okrs": _okr_screen,
        "maturity": _maturity_screen,
    }
    BINDINGS = [
        Binding("1", "switch_mode('portfolio')", "Portfolio", id="area.portfolio"),
        Binding("2", "switch_mode('kpis')", "KPIs", id="area.kpis"),
        Binding("3", "switch_mode('okrs')", "OKRs", id="area.okrs"),
        Binding("4", "switch_mode('maturity')", "Maturity", id="area.maturity"),
        Binding("c", "check_in", "Check in", id="app.check_in"),
        Binding("question_mark", "toggle_keys", "Keys", key_display="?", id="app.keys"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]
    COMMANDS = App.COMMANDS | {JumpProvider}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide"), (150, "-very-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]

    def __init__(
        self,
        store: Store,
        *,
        today: date | None = None,
        offer_sample: bool = True,
        sample_path: Path | None = None,
        watch_interval: float = WATCH_INTERVAL,
    ) -> None:
        super().__init__()
        self.store = store
        # Injected so that tests need not wait a whole interval for another session's change.
        self.watch_interval = watch_interval
        # What this session has seen: the database's data_version, and the change log's last id.
        self._seen_version: int | None = None
        self._seen_change: int | None = None
        # Injected so that tests and snapshots see one fixed day.
        self.today = today or date.today()
        self.offer_sample = offer_sample
        self.sample_path = sample_path
        # Full garbage collections wait for a quiet moment (see idle_collection) while the app
        # runs: started by on_load, stopped by on_unmount.
        self._collector = IdleCollector()
        # The overview is what the first screen waits for: it is read while Textual starts.
        self._overview_ahead: Future | None = read_ahead(partial(read_overview, store, self.today))
        # Each area's KPI detail screen, built on first use (see open_kpi).
        self._kpi_details: dict[str, KpiDetailScreen] = {}
        # The header's sign of a portfolio that cannot be changed (see refuse_change).
        read_only = " · read-only" if store.read_only else ""
        # Who is working, beside the database: written as `by` of every change of this session.
        user = f" · {literal(store.user)}" if store.user else ""
        self.sub_title = f"{literal(store.name)}{user}{read_only} · {self.today:%a %d %b %Y}"

    # ------------------------------------------------------------------ other sessions' changes

    @property
    def following_changes(self) -> bool:
        """The first look was taken: every change committed from here on will be told."""
        return self._seen_change is not None

    def _watch(self) -> None:
        # One look at a time: on a slow server a look may outlast the interval.
        if not any(worker.group == "watch" and not worker.is_finished for worker in self.workers):
            self.look_for_changes()

    @work(thread=True, exit_on_error=False, group="watch")
    def look_for_changes(self) -> None:
        """Whether anything was committed since the last look (this session's writes too); if
        so, the changes other sessions made, for the notice, and the screens shown read again."""
        store = self.store
        try:
            version = store.data_version()
        except Exception as error:
            # The database's own failures: looked at again at the next interval (a screen's read
            # says what is wrong). Anything else is a fault, for the one handler to show.
            if not _database_failure(error):
                raise
            return
        # Unknown (the file locked by another program): nothing to follow until it is known.
        if version == self._seen_version or version < 0:
            return
        first_look = self._seen_version is None
        self._seen_version = version
        changes: tuple[ChangeEntry, ...] = ()
        try:
            if self._seen_change is None:
                # Where this session starts following the change log: earlier changes are old news.
                self._seen_change = store.last_change_id()
            else:
                self._seen_change, changes = store.others_changes_since(self._seen_change)
        except Exception as error:  # no change log to read (an older file read as it is): no notice
            if not _database_failure(error):
                raise
        # The first look only marks where following starts: the screens have just read (a second
        # read then could land in the middle of the user's first keys).
        if first_look:
            return
        self.call_from_thread(self._follow_changes, changes)

    def _follow_changes(self, changes: tuple[ChangeEntry, ...]) -> None:
        """Tell what others changed, and have every screen in sight show today's data: the top
        screen and, under a form or a question, the screen it stands on (the others read again
        when they are shown, ShowsStoreData)."""
        if changes:
            self.notify(change_notice(changes), title="Changed meanwhile", timeout=6)
        for screen in reversed(self.screen_stack):
            follow = getattr(screen, "follow_changes", None)
            if callable(follow):
                follow()
            if not isinstance(screen, ModalScreen):
                break

    def overview_read_ahead(self) -> Future | None:
        """The overview read at start-up (an OverviewRead), for the first screen only."""
        ahead, self._overview_ahead = self._overview_ahead, None
        return ahead

    def on_load(self) -> None:
        """The app's first event once it runs, before the first screen is made: full garbage
        collections wait for a quiet moment from here on, as the start-up itself (the overview
        read while Textual starts) allocates enough to set off a full collection of 40-50 ms in
        the middle of the first screen's making. Not from the app's building: an app built and
        never run leaves Python's collector as it was."""
        self._collector.start()

    def on_mount(self) -> None:
        self.set_interval(0.5, self._collector.tick, name="idle-collection")
        self.set_interval(self.watch_interval, self._watch, name="watch-changes")
        # The first look, once the first screen is painted: where following the change log starts.
        self.call_after_refresh(self._watch)
        if self.offer_sample:
            self.check_first_run()

    def on_unmount(self) -> None:
        self._collector.stop()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._collector.touched()
        await super().on_event(event)

    @work(thread=True, exit_on_error=False, group="first-run")
    def check_first_run(self) -> None:
        # A read-only portfolio cannot take the sample: it is shown as it is, empty or not.
        if not self.store.read_only and self.store.is_empty():
            self.call_from_thread(self.push_screen, LoadSampleScreen(), self._answered_sample)

    def _answered_sample(self, load: bool | None) -> None:
        if load:
            self.load_sample()

    @work(thread=True, exit_on_error=False, group="first-run")
    def load_sample(self) -> str:
        """Import the bundled sample in one transaction; the result arrives as a state change."""
        from pmo_tui.locations import sample_portfolio_path, sample_weeks
        from pmo_tui.portfolio_file import read_portfolio, shifted_portfolio

        portfolio = read_portfolio(self.sample_path or sample_portfolio_path())
        if self.sample_path is None:
            # The bundled sample lives as of the day the app shows, by whole weeks.
            portfolio = shifted_portfolio(portfolio, sample_weeks(self.today))
        return self.store.import_portfolio(portfolio).describe()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification, whichever screen or form sends it, drawn as plain text: messages
        quote stored text (a code, a name, a unit), so each line goes through `literal_lines`
        (control characters become visible symbols) and none is read as markup (a `[b]` in a
        code stays as typed). `markup` is accepted for Textual's signature and ignored: no
        message here means markup."""
        super().notify(
            literal_lines(str(message)),
            title=literal_lines(str(title)),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    @on(Worker.StateChanged)
    def _sample_loaded(self, event: Worker.StateChanged) -> None:
        if event.worker.name == "load_sample" and event.state is WorkerState.SUCCESS:
            self.notify(f"Sample portfolio loaded: {event.worker.result}.", markup=False)
            self.refresh_overview()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """The one place where a failed worker is reported, whichever screen, form or provider
        started it: every worker runs with exit_on_error=False, so that no error of the data
        layer closes the app. The node that started the worker may keep quiet about it, or put
        its own state right first, through a `worker_failed(worker) -> bool` method."""
        worker = event.worker
        if event.state is not WorkerState.ERROR or worker.error is None:
            return
        hook = getattr(worker.node, "worker_failed", None)
        if callable(hook) and hook(worker) is False:
            return
        heading = "The sample portfolio could not be loaded. " if worker.name == "load_sample" else ""
        self.show_failure(worker.error, heading)

    def show_failure(self, error: BaseException, heading: str = "") -> None:
        """A notification that says, in the user's words, what went wrong and what to do
        (pmo_tui.failures). The same message already on screen is not shown twice: several
        reads failing at once on a locked database make one notification."""
        message = literal(heading + explain(error))
        if any(notification.message == message for notification in self._notifications):
            return
        self.notify(message, severity="error", markup=False, timeout=12)

    def refuse_change(self) -> bool:
        """For a write key on a read-only portfolio: say why it cannot work, and True; False when
        the portfolio may be changed. Checked before a form opens, so nothing typed is lost."""
        if not self.store.read_only:
            return False
        message = literal(read_only_message(self.store.read_only_reason or "opened for reading only"))
        if not any(notification.message == message for notification in self._notifications):
            self.notify(message, severity="warning", markup=False, timeout=10)
        return True

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        """Every key's action; on a read-only portfolio, a write key (one its screen lists in
        WRITE_ACTIONS) says why it cannot work instead of opening a form that could not be saved."""
        if self.store.read_only:
            try:
                target, name, _params = self._parse_action(
                    action, self if default_namespace is None else default_namespace, namespaces
                )
            except Exception:  # not ours to judge: Textual reports a bad action itself
                target, name = None, ""
            if name in getattr(target, "WRITE_ACTIONS", ()):
                self.refuse_change()
                return True
        return await super().run_action(action, default_namespace, namespaces)

    def refresh_overview(self) -> None:
        """Re-read the overview wherever it is open (after the data changed underneath it)."""
        for screen in self.screen_stack:
            if isinstance(screen, PortfolioScreen):
                screen.load_overview()

    def action_toggle_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def jump_to(self, kind: str, code: str) -> None:
        """Show a project, KPI or objective where it lives."""
        if kind == "kpi":
            self.open_kpi(code)
            return
        if kind == "project":
            self.open_project(code)
            return
        self.call_later(self._show_in_area, kind, code)

    async def _show_in_area(self, kind: str, code: str) -> None:
        from pmo_tui.screens.okrs import OkrScreen

        # The area's screen may not exist yet: it is there once the switch is awaited.
        area = OkrScreen if kind == "objective" else PortfolioScreen
        await self.switch_mode("okrs" if kind == "objective" else "portfolio")
        # A detail opened over the area (a KPI from the palette, say) makes way for it.
        while not isinstance(self.screen, area) and len(self.screen_stack) > 1:
            await self.pop_screen()
        screen = self.screen
        if isinstance(screen, OkrScreen):
            screen.focus_item(code)
        elif isinstance(screen, PortfolioScreen):
            screen.focus_item(kind, code)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from pmo_tui.screens.file_forms import export_form, import_form, report_form

        yield from super().get_system_commands(screen)
        if not (_is_check_in(screen) or isinstance(screen, ModalScreen)):
            yield SystemCommand(
                "Check in", "Walk through the key results due this week (key c)", self.action_check_in
            )
            yield SystemCommand(
                "Import a file",
                "Add a TOML portfolio or a CSV of KPI measurements",
                lambda: self.refuse_change() or self.push_screen(import_form(self)),
            )
            yield SystemCommand(
                "Export the portfolio",
                "Write the whole database as a TOML file",
                lambda: self.push_screen(export_form(self)),
            )
            yield SystemCommand(
                "Write the executive report",
                "Markdown or JSON, for today",
                lambda: self.push_screen(report_form(self)),
            )
            yield SystemCommand(
                "Strategic goals",
                "Each goal with what is aligned to it and its share of the budget (key g on the overview)",
                self.open_goals,
            )
            yield SystemCommand(
                "RAID log",
                "Every project's risks by exposure, issues, actions by due day, decisions and "
                "assumptions (key l on the overview)",
                self.open_raid,
            )
            yield SystemCommand(
                "Since last review",
                "What changed since the last review marked done, or in the last week (key v on the overview)",
                self.open_review,
            )
            yield SystemCommand(
                "New project", "Add a project to the portfolio (key n on the overview)", self.new_project
            )
        for mode, title, help_text in (
            ("portfolio", "Portfolio overview", "KPI tiles, projects and the current objectives (key 1)"),
            ("kpis", "KPIs", "Every KPI with its status, filters and details (key 2)"),
            ("okrs", "OKRs", "Cycles, objectives and key results; close and grade (key 3)"),
            ("maturity", "Maturity", "The self-assessment, its stage and advice (key 4)"),
        ):
            yield SystemCommand(title, help_text, partial(self.switch_mode, mode))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # No check-in on top of a check-in, a form or a question: finish that first.
        return not (
            action == "check_in" and (_is_check_in(self.screen) or isinstance(self.screen, ModalScreen))
        )

    def action_check_in(self) -> None:
        """The weekly check-in, from anywhere: the key results due in the current cycle."""
        from pmo_tui.screens.check_in import CheckInScreen

        if self.refuse_change():
            return
        self.push_screen(CheckInScreen())

    def open_kpi(self, code: str) -> None:
        """The KPI's detail on top of the current area; Esc comes back."""
        from pmo_tui.screens.kpi_detail import KpiDetailScreen, read_kpi_detail

        # Read from the key press on, while the screen is shown.
        ahead = read_ahead(partial(read_kpi_detail, self.store, code, self.today))
        screen = self._kpi_details.get(self.current_mode)
        if screen is None:
            # One detail screen per area, kept once built: showing it again costs a fraction
            # of building and laying out a new one.
            screen = self._kpi_details[self.current_mode] = KpiDetailScreen(code, ahead=ahead)
            self.install_screen(screen, f"kpi-detail-{self.current_mode}")
            self.push_screen(screen)
        elif screen is self.screen:  # a jump from one KPI's detail to another's
            screen.show_kpi(code, ahead)
        elif screen not in self.screen_stack:
            screen.show_kpi(code, ahead)
            self.push_screen(screen)
        else:  # the area's detail screen is further down this area's stack: a new one on top
            self.push_screen(KpiDetailScreen(code, ahead=ahead))

    def open_project(self, code: str) -> None:
        """The project's detail on top of the current area; Esc comes back."""
        from pmo_tui.screens.project_detail import ProjectDetailScreen  # not needed to paint the overview

        self.push_screen(ProjectDetailScreen(code))

    def open_raid(self) -> None:
        from pmo_tui.screens.raid import RaidScreen  # not needed to paint the overview

        self.push_screen(RaidScreen())

    def open_goals(self) -> None:
        from pmo_tui.screens.goals import GoalsScreen

        self.push_screen(GoalsScreen())

    def open_review(self) -> None:
        """What changed since the last review, on top of the current area; Esc comes back."""
        from pmo_tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen())

    async def confirm_review_done(self) -> bool:
        """Today's review marked done after a question that names the day (from a worker: it
        waits for the answer); False when the answer was no."""
        from pmo_tui.screens.dialogs import ConfirmScreen

        today = self.today
        question = (
            f"Mark the review of {today:%A %d %B %Y} done? The next review lists what changed from that day."
        )
        if not await self.push_screen_wait(ConfirmScreen(question, yes="Mark done", no="Not yet")):
            return False
        day, by = await asyncio.to_thread(self.store.mark_review_done, today)
        who = f" by {by}" if by else ""
        self.notify(f"Review of {day.isoformat()} marked done{who}.", markup=False)
        return True

    @work(exclusive=True, exit_on_error=False, group="new-project")
    async def new_project(self) -> None:
        from pmo_tui.screens.project_forms import project_form

        if self.refuse_change():
            return
        goals = await asyncio.to_thread(self.store.goal_options)
        codes = await asyncio.to_thread(self.store.project_codes)
        created: list[str] = []
        if await self.push_screen_wait(project_form(self, goals, codes, saved=created.append)) and created:
            self.open_project(created[0])

    @work(exclusive=True, exit_on_error=False, group="new-kpi")
    async def new_kpi(self) -> None:
        from pmo_tui.screens.kpi_forms import kpi_form

        if self.refuse_change():
            return
        goals = await asyncio.to_thread(self.store.goal_options)
        created: list[str] = []
        if await self.push_screen_wait(kpi_form(self, goals, saved=created.append)) and created:
            self.open_kpi(created[0])


def change_notice(changes: tuple[ChangeEntry, ...]) -> str:
    """What other sessions changed, in a few lines: each change ("Priya Raman checked in
    Q4-O1-KR2"), or for many at once, how many and by whom, and the latest."""
    lines = list(dict.fromkeys(change.words for change in changes))  # each said once, in order
    if len(lines) <= NOTICE_LINES:
        return "\n".join(lines)
    people = list(dict.fromkeys(change.by or "someone" for change in changes))
    who = ", ".join(people[:NOTICE_LINES]) + (
        f" and {len(people) - NOTICE_LINES} more" if len(people) > NOTICE_LINES else ""
    )
    return f"{len(changes)} changes by {who}; the latest: {lines[-1]}"


def make_app(
    store: Store,
    *,
    today: date | None = None,
    offer_sample: bool = True,
    sample_path: Path | None = None,
    watch_interval: float = WATCH_INTERVAL,
) -> PmoApp:
    """The one way in: the app as `pmo` opens it, built alike by the CLI (pmo_tui.cli), the
    tests (tests/helpers.py) and the bench.

    `today` is the day the portfolio is looked at (None: the clock's); `offer_sample` offers an
    empty database the bundled sample portfolio, or the one at `sample_path`. Building the app
    leaves Python's garbage collector as it was: the idle collector starts when the app runs.
    `watch_interval` is how often it looks for other sessions' changes (seconds).
    """
    return PmoApp(
        store, today=today, offer_sample=offer_sample, sample_path=sample_path, watch_interval=watch_interval
    )
