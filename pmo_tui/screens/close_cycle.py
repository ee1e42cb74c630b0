"""A closed cycle's grades, and the choice of which unfinished objectives to carry into the next one."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from pmo_tui.calculations import Grade, cycle_score, grade_band
from pmo_tui.formatting import format_confidence, literal
from pmo_tui.records import CloseSummary
from pmo_tui.screens.base import PmoModalScreen
from pmo_tui.validation import InvalidInput
from pmo_tui.widgets.cells import GRADE_TONES, grade_cell
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.tables import FixedTable


class CloseSummaryScreen(PmoModalScreen[None]):
    """Shown once a cycle is closed: every score with its colour and word; Enter carries over."""

    # The keys that change the portfolio: on a read-only one they say why they cannot work
    # (PmoApp.run_action).
    WRITE_ACTIONS = frozenset({"carry"})
    BINDINGS = [
        Binding("escape", "done", "Done", id="close.done"),
        Binding("ctrl+s", "carry", "Carry over", id="close.carry"),
    ]

    def __init__(self, summary: CloseSummary) -> None:
        super().__init__(classes="close-screen")
        self.summary = summary

    def compose(self) -> ComposeResult:
        summary = self.summary
        objectives = summary.objectives
        scores = [o.score or 0.0 for o in objectives]
        average = cycle_score(scores) or 0.0
        counts = {grade: sum(grade_band(s) is grade for s in scores) for grade in Grade}
        with Vertical(id="close-dialog"):
            yield Static(
                Content.assemble(
                    (f"{literal(summary.cycle.name)} is closed and graded", "bold $text-accent"),
                    f"  ·  {len(objectives)} objectives, average score ",
                    (f"{average:.2f}", f"bold ${GRADE_TONES[grade_band(average)]}"),
                    f" ({grade_band(average).word})  ·  ",
                    (f"{counts[Grade.GREEN]} achieved", "$success"),
                    ", ",
                    (f"{counts[Grade.AMBER]} partial", "$warning"),
                    ", ",
                    (f"{counts[Grade.RED]} missed", "$error"),
                ),
                id="close-title",
            )
            table = FixedTable(id="close-table", cursor_type="row", zebra_stripes=True)
            for label, key, width in (
                ("Objective / key result", "title", 44),
                ("Score", "score", 5),
                ("Grade", "grade", 11),
                ("Conf", "confidence", 5),
            ):
                table.add_column(label, key=key, width=width)
            for objective in objectives:
                table.add_row(
                    Text(
                        f"{literal(objective.code)} {literal(objective.title)}",
                        style="bold",
                        no_wrap=True,
                        overflow="ellipsis",
                    ),
                    *self._score_cells(objective.score, objective.confidence),
                    key=objective.code,
                )
                for kr in objective.key_results:
                    table.add_row(
                        Text(
                            f"  {literal(kr.code.rsplit('-', 1)[-1])} {literal(kr.title)}",
                            no_wrap=True,
                            overflow="ellipsis",
                        ),
                        *self._score_cells(kr.score, kr.confidence),
                        key=kr.code,
                    )
            yield table
            if summary.unfinished:
                yield Static(
                    Content.assemble(
                        ("Carry unfinished objectives into ", "bold"),
                        (literal(summary.next_cycle), "bold"),
                        (
                            "\nspace ticks or unticks · ctrl+s carries the ticked ones · Esc carries none",
                            "$text-muted",
                        ),
                    ),
                    id="carry-heading",
                )
                yield SelectionList[str](
                    # Content, not a string: a string prompt would be read as markup.
                    *(
                        Selection(
                            Content(f"{literal(o.code)} · {literal(o.title)} ({(o.score or 0):.2f})"),
                            o.code,
                            True,
                        )
                        for o in objectives
                        if o.code in summary.unfinished
                    ),
                    id="carry-list",
                )
            else:
                yield Static(
                    Content("Every objective was finished: nothing to carry over. Esc closes this summary."),
                    id="carry-heading",
                )
        yield KeyFooter()

    def _score_cells(self, score: float | None, confidence: float | None) -> list[Text]:
        value = score or 0.0
        grade = grade_band(value)
        return [
            Text(f"{value:.2f}", justify="right"),
            grade_cell(self.app, grade, graded=True),
            Text(format_confidence(confidence), justify="right"),
        ]

    def on_mount(self) -> None:
        if self.summary.unfinished:
            self.query_one(SelectionList).focus()

    def action_done(self) -> None:
        self.dismiss(None)

    @work(exclusive=True, exit_on_error=False, group="carry-over")
    async def action_carry(self) -> None:
        if not self.summary.unfinished:
            self.dismiss(None)
            return
        codes = [code for code in self.summary.unfinished if code in self.query_one(SelectionList).selected]
        if not codes:
            self.dismiss(None)
            return
        try:
            cycle, created = await asyncio.to_thread(self.app.store.carry_over, codes, self.app.today)
        except InvalidInput as error:
            self.notify(f"Nothing was carried over: {error.message}", severity="error", markup=False)
            return
        skipped = len(codes) - len(created)
        note = f" ({skipped} had been carried over already)" if skipped else ""
        self.notify(
            f"{len(created)} objective{'s' if len(created) != 1 else ''} carried into "
            f"{literal(cycle)}: {literal(', '.join(created)) or 'none'}{note}.",
            markup=False,
            timeout=8,
        )
        self.dismiss(None)
