"""Key 4: the maturity self-assessment's results, what mix of KPIs and OKRs fits, and what to do next."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from pmo_tui import calculations as calc
from pmo_tui.maturity import MaturityResult, gap_objective_title, results
from pmo_tui.question_bank import QuestionBank, default_bank
from pmo_tui.records import AssessmentSummary
from pmo_tui.screens.assessment import AssessmentScreen
from pmo_tui.screens.base import PmoModalScreen, ShowsStoreData
from pmo_tui.screens.dialogs import ConfirmScreen
from pmo_tui.validation import InvalidInput
from pmo_tui.widgets.cells import cell, tone
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.maturity_chart import MaturityChart
from pmo_tui.widgets.tables import FixedTable


@dataclass(frozen=True)
class MaturityView:
    """What the screen shows: the chosen assessment's results and the list of all of them."""

    bank: QuestionBank
    assessments: tuple[AssessmentSummary, ...]
    shown: AssessmentSummary | None
    result: MaturityResult | None


class HistoryScreen(PmoModalScreen[int | None]):
    """Every assessment taken; Enter reopens one."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="history.close")]

    def __init__(self, assessments: tuple[AssessmentSummary, ...], total: int) -> None:
        super().__init__(classes="confirm-screen")
        self.assessments = assessments
        self.total = total

    def compose(self) -> ComposeResult:
        with Vertical(classes="confirm"):
            yield Static(Content("Assessments, newest first · Enter opens one"), classes="form-title")
            yield OptionList(
                *(
                    Option(
                        f"{a.taken_on.isoformat()}  "
                        f"{'complete' if a.status == 'complete' else 'unfinished'}  "
                        f"{a.answered} of {self.total} answered",
                        id=str(a.id),
                    )
                    for a in self.assessments
                ),
                id="history-list",
            )

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:  # every option is an assessment's id
            self.dismiss(int(event.option.id))


class MaturityScreen(ShowsStoreData):
    """The latest assessment's results, with the keys to take, resume, revisit or act on one."""

    # The keys that change the portfolio: on a read-only one they say why they cannot work
    # (PmoApp.run_action).
    WRITE_ACTIONS = frozenset({"take", "edit", "gap_to_okr"})
    BINDINGS = [
        Binding("n", "take", "Take/resume", id="maturity.take"),
        Binding("e", "edit", "Edit answers", id="maturity.edit"),
        Binding("h", "history", "History", id="maturity.history"),
        Binding("o", "gap_to_okr", "Gap → OKR", id="maturity.okr"),
        Binding("d", "toggle_details", "Advice", id="maturity.details"),
        Binding("r", "reload", "Refresh", id="maturity.reload"),
    ]
    READ_GROUP = "maturity"

    class Loaded(Message):
        def __init__(self, view: MaturityView, version: int) -> None:
            super().__init__()
            self.view = view
            self.version = version

    def __init__(self) -> None:
        super().__init__(classes="maturity")
        self.view: MaturityView | None = None
        self.shown_id: int | None = None  # None: the latest complete assessment

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Maturity · loading…", id="maturity-heading", classes="heading", markup=False)
        with Horizontal(id="maturity-body"):
            with Vertical(id="maturity-main"):
                yield MaturityChart(id="maturity-chart")
                table = FixedTable(id="maturity-table", cursor_type="row", zebra_stripes=True)
                for label, key, width in [
                    ("Dimension", "name", 25),
                    ("Score", "score", 5),
                    ("Stage", "stage", 16),
                    ("Change", "change", 6),
                    ("Data supports", "evidence", 16),
                ]:
                    table.add_column(label, key=key, width=width)
                yield table
            with VerticalScroll(id="maturity-side"):
                yield Static("", id="maturity-advice")
                yield Static("", id="maturity-evidence")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load()

    def read_again(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        # Read again only if something was saved meanwhile (an assessment, or evidence).
        if self.view is not None and self.data_is_stale():
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="maturity")
    def load(self) -> None:
        store, today = self.app.store, self.app.today
        version = store.data_version()
        bank = default_bank()
        assessments = store.assessments()
        chosen = (
            [a for a in assessments if a.id == self.shown_id]
            or [a for a in assessments if a.status == "complete"]
            or list(assessments)
        )
        shown = chosen[0] if chosen else None
        result = None
        if shown is not None:
            result = results(
                bank,
                shown.taken_on,
                store.assessment_answers(shown.id),
                store.previous_answers(shown.id),
                store.evidence_facts(today),
            )
        if not get_current_worker().is_cancelled:  # a newer read replaced this one
            self.post_message(self.Loaded(MaturityView(bank, assessments, shown, result), version))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        self.view = view = message.view
        self.shown_version = message.version
        heading = self.query_one("#maturity-heading", Static)
        table = self.query_one("#maturity-table", DataTable)
        # The cursor stays on its dimension when the figures are read again.
        selected = (
            table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value if table.row_count else None
        )
        table.clear()
        unfinished = next((a for a in view.assessments if a.status == "in_progress"), None)
        total = len(view.bank.question_ids)
        result = view.result
        if result is None or view.shown is None:
            heading.update(
                Content("Maturity · no self-assessment yet · n takes one (about 24 questions, keys 1–5)")
            )
            self.query_one(MaturityChart).plt.clear_figure()
            self.query_one("#maturity-advice", Static).update(self._advice(None))
            self.query_one("#maturity-evidence", Static).update(Content(""))
            return
        change = "" if result.change is None else f" ({result.change:+.1f})"
        state = "" if view.shown.status == "complete" else ", unfinished"
        score = "—" if result.score is None else f"{result.score:.1f}"
        parts = [
            f"Maturity · {result.stage_name} {score}{change}"
            f" · assessed {view.shown.taken_on.isoformat()}{state}"
            f" · {result.answered}/{total} answered"
        ]
        if unfinished and unfinished.id != view.shown.id:
            parts.append(f" · unfinished one from {unfinished.taken_on.isoformat()}: n resumes")
        heading.update(Content("".join(parts)))
        self.query_one(MaturityChart).show(result)
        for number, dimension in enumerate(result.dimensions, start=1):
            stage = calc.STAGE_NAMES.get(dimension.stage, "—") if dimension.stage else "not rated"
            supported = min((i.implied_stage for i in dimension.evidence if i.implied_stage), default=None)
            evidence = Text("—")
            if supported is not None:
                evidence = tone(
                    self.app,
                    f"{'⚠ ' if dimension.gap >= 1 else ''}{calc.STAGE_NAMES[supported]}",
                    "warning" if dimension.gap >= 1 else "text-muted",
                )
            table.add_row(
                cell(f"{number} {dimension.name}"),
                cell("—" if dimension.score is None else f"{dimension.score:.1f}", right=True),
                tone(
                    self.app,
                    f"{dimension.stage or '–'} {stage}",
                    "error" if dimension.id in result.weakest[:1] else "text",
                ),
                cell("" if dimension.change is None else f"{dimension.change:+.1f}", right=True),
                evidence,
                key=dimension.id,
            )
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))
        self.query_one("#maturity-advice", Static).update(self._advice(result))
        self.query_one("#maturity-evidence", Static).update(self._evidence(result))

    def _advice(self, result: MaturityResult | None) -> Content:
        if result is None:
            return Content.assemble(
                ("What the assessment tells you", "bold"),
                "\nAnswer each statement with the stage that describes your PMO today "
                "(1 Initial/Basic … 5 Optimized). The results show the stage per dimension and "
                "overall, the mix of KPIs and OKRs that fits, and three next steps.",
            )
        mix = result.mix
        parts: list[str | tuple[str, str]] = [
            (f"Recommended mix · {mix.headline}", "bold"),
            "\n",
            ("KPIs  ", "bold $accent"),
            mix.kpis,
            "\n",
            ("OKRs  ", "bold $accent"),
            mix.okrs,
            "\n\n",
            ("Next steps", "bold"),
        ]
        for number, step in enumerate(result.next_steps, start=1):
            parts += ["\n", (f"{number}. ", "bold"), step]
        gap = gap_objective_title(result)
        if gap:
            parts += ["\n", (f"o turns “{gap[0]}” into a draft objective.", "$text-muted")]
        return Content.assemble(*parts)

    def _evidence(self, result: MaturityResult) -> Content:
        parts: list[str | tuple[str, str]] = [("\nEvidence in the data", "bold")]
        for dimension in result.dimensions:
            for item in dimension.evidence:
                share = "—" if item.share is None else f"{item.share:.0%}"
                parts += ["\n", (f"{share:>5} ", "bold"), item.label]
        if result.disagreements:
            parts += ["\n\n", ("Where the rating and the data disagree", "bold $warning")]
            for line in result.disagreements:
                parts += ["\n", ("• ", "$warning"), line]
        else:
            parts += ["\n\n", ("The self-rating and the data agree.", "$success")]
        return Content.assemble(*parts)

    # ------------------------------------------------------------------ actions

    def action_toggle_details(self) -> None:
        """At 80 columns the advice and evidence take the place of the chart."""
        self.toggle_class("-show-details")

    @work(exclusive=True, exit_on_error=False, group="maturity-action")
    async def action_take(self) -> None:
        """Resume the unfinished assessment, or start a new one."""
        store = self.app.store
        assessment_id = await asyncio.to_thread(store.open_assessment, self.app.today)
        await self._answer(assessment_id, finished=False)

    @work(exclusive=True, exit_on_error=False, group="maturity-action")
    async def action_edit(self) -> None:
        """Change the answers of the assessment on screen.

        A finished assessment stays finished until an answer or comment is actually changed."""
        if self.view is None or self.view.shown is None:
            return
        shown = self.view.shown
        await self._answer(shown.id, finished=shown.status == "complete")

    async def _answer(self, assessment_id: int, *, finished: bool) -> None:
        store = self.app.store
        bank = self.view.bank if self.view else default_bank()
        answers = await asyncio.to_thread(store.assessment_answers, assessment_id)
        summary = next(a for a in await asyncio.to_thread(store.assessments) if a.id == assessment_id)
        finished = await self.app.push_screen_wait(
            AssessmentScreen(
                assessment_id,
                summary.taken_on,
                bank,
                answers,
                finished=finished and summary.status == "complete",
            )
        )
        self.shown_id = assessment_id if finished else self.shown_id
        self.load()

    @work(exclusive=True, exit_on_error=False, group="maturity-action")
    async def action_history(self) -> None:
        if self.view is None or not self.view.assessments:
            self.notify("No assessment has been taken yet: n takes one.")
            return
        chosen = await self.app.push_screen_wait(
            HistoryScreen(self.view.assessments, len(self.view.bank.question_ids))
        )
        if chosen is not None:
            self.shown_id = chosen
            self.load()

    @work(exclusive=True, exit_on_error=False, group="maturity-action")
    async def action_gap_to_okr(self) -> None:
        result = self.view.result if self.view else None
        gap = gap_objective_title(result) if result else None
        if gap is None:
            self.notify("Take an assessment first: its weakest dimension becomes the objective.")
            return
        dimension, title = gap
        question = f"Create the draft objective “{title}” in the current cycle?"
        if not await self.app.push_screen_wait(ConfirmScreen(question, yes="Create", no="Cancel")):
            return
        try:
            code, cycle = await asyncio.to_thread(
                self.app.store.create_draft_objective, title, "", self.app.today
            )
        except InvalidInput as error:
            self.notify(
                f"No objective was created: {error.message}", severity="error", markup=False, timeout=8
            )
            return
        self.notify(f"Draft objective {code} “{title}” created in {cycle}.", markup=False, timeout=6)
