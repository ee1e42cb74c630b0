"""Taking a maturity self-assessment: one statement at a time, answered with the keys 1–5."""

from __future__ import annotations

import asyncio
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from pmo_tui.calculations import STAGE_NAMES
from pmo_tui.formatting import literal, progress_bar
from pmo_tui.question_bank import Dimension, QuestionBank, Statement
from pmo_tui.records import AnswerRecord
from pmo_tui.widgets.form import ConfirmScreen
from pmo_tui.widgets.footer import KeyFooter


class AssessmentScreen(Screen[bool]):
    """Every answer is saved as it is given; Esc leaves an unfinished assessment to resume later.

    Dismisses with True once the assessment is finished.
    """

    BINDINGS = [
        *(Binding(str(level), f"answer({level})", STAGE_NAMES[level], show=False,
                  id=f"assessment.answer_{level}") for level in range(1, 6)),
        Binding("up,k", "move(-1)", "Previous", key_display="↑", id="assessment.previous"),
        Binding("down,j", "move(1)", "Next", key_display="↓", id="assessment.next"),
        Binding("c", "comment", "Comment", id="assessment.comment"),
        Binding("f", "finish", "Finish", id="assessment.finish"),
        Binding("escape", "leave", "Leave", id="assessment.leave"),
    ]

    def __init__(
        self,
        assessment_id: int,
        taken_on: date,
        bank: QuestionBank,
        answers: dict[str, AnswerRecord],
    ) -> None:
        super().__init__(classes="assessment")
        self.assessment_id = assessment_id
        self.taken_on = taken_on
        self.bank = bank
        self.answers = dict(answers)
        self.statements: list[tuple[Dimension, Statement]] = [
            (dimension, statement) for dimension in bank.dimensions for statement in dimension.statements
        ]
        # Resume at the first statement still unanswered.
        self.index = next(
            (i for i, (_, s) in enumerate(self.statements) if s.id not in self.answers), 0
        )

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="assess-progress", classes="heading")
        with VerticalScroll(id="assess-body"):
            yield Static("", id="assess-dimension")
            yield Static("", id="assess-statement")
            yield Static("", id="assess-levels")
            yield Input(placeholder="Optional comment: c to write, Enter to keep it",
                        id="assess-comment")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show_statement()

    @property
    def current(self) -> tuple[Dimension, Statement]:
        return self.statements[self.index]

    def show_statement(self) -> None:
        dimension, statement = self.current
        answered = sum(s.id in self.answers for _, s in self.statements)
        total = len(self.statements)
        done = " · all answered: f to finish" if answered == total else ""
        self.query_one("#assess-progress", Static).update(
            Content(
                f"Self-assessment of {self.taken_on.isoformat()} · {answered} of {total} answered "
                f"{progress_bar(answered / total, 12).rstrip()}{done}"
            )
        )
        position = self.bank.dimensions.index(dimension) + 1
        number = dimension.statements.index(statement) + 1
        self.query_one("#assess-dimension", Static).update(
            Content.assemble(
                (f"Dimension {position} of {len(self.bank.dimensions)} · {dimension.name}", "bold $accent"),
                "\n",
                (dimension.description, "$text-muted"),
            )
        )
        self.query_one("#assess-statement", Static).update(
            Content.assemble(
                (f"Statement {number} of {len(dimension.statements)}  ", "$text-muted"),
                (statement.text, "bold"),
            )
        )
        chosen = self.answers.get(statement.id)
        parts: list[str | tuple[str, str]] = [("Which describes your PMO best? Press 1–5.", "$text-muted")]
        for level, description in enumerate(statement.levels, start=1):
            selected = chosen is not None and chosen.level == level
            marker = "▶ " if selected else "  "
            style = "bold reverse" if selected else ""
            parts += ["\n", (f"{marker}{level} {STAGE_NAMES[level]:<17}", f"bold {style}".strip()),
                      (f" {description}", style)]
        self.query_one("#assess-levels", Static).update(Content.assemble(*parts))
        comment = self.query_one("#assess-comment", Input)
        # Escape codes in a stored comment are drawn as symbols, never sent to the terminal.
        comment.value = literal(chosen.comment) if chosen else ""

    # ------------------------------------------------------------------ actions

    @work(exclusive=True, group="assessment-save")
    async def action_answer(self, level: int) -> None:
        _, statement = self.current
        comment = self.query_one("#assess-comment", Input).value.strip()
        previous = self.answers.get(statement.id)
        if previous is not None and comment == literal(previous.comment).strip():
            comment = previous.comment  # untouched: keep it exactly as stored
        await asyncio.to_thread(
            self.app.store.save_answer, self.assessment_id, statement.id, level, comment
        )
        self.answers[statement.id] = AnswerRecord(level, comment)
        # Straight on to the next statement still unanswered, else simply the next one.
        following = [i for i in range(self.index + 1, len(self.statements))
                     if self.statements[i][1].id not in self.answers]
        if following:
            self.index = following[0]
        elif self.index + 1 < len(self.statements):
            self.index += 1
        self.show_statement()

    def action_move(self, step: int) -> None:
        self.index = max(0, min(len(self.statements) - 1, self.index + step))
        self.show_statement()

    def action_comment(self) -> None:
        self.query_one("#assess-comment", Input).focus()

    @on(Input.Submitted, "#assess-comment")
    async def _comment_done(self, event: Input.Submitted) -> None:
        """Keep the comment with the current answer (or with the next one given)."""
        _, statement = self.current
        answer = self.answers.get(statement.id)
        comment = event.value.strip()
        if answer is not None:
            await asyncio.to_thread(
                self.app.store.save_answer, self.assessment_id, statement.id, answer.level, comment
            )
            self.answers[statement.id] = AnswerRecord(answer.level, comment)
            self.notify("Comment saved.", timeout=2)
        elif comment:
            self.notify("The comment is saved with the stage you pick now (1–5).", timeout=4)
        self.set_focus(None)

    def on_key(self, event) -> None:
        # Esc in the comment box only leaves the box.
        if event.key == "escape" and isinstance(self.focused, Input):
            self.set_focus(None)
            event.stop()

    @work(exclusive=True, group="assessment-finish")
    async def action_finish(self) -> None:
        missing = sum(s.id not in self.answers for _, s in self.statements)
        if missing:
            question = (f"{missing} statements are unanswered; they will not count. "
                        "Finish the assessment anyway?")
            if not await self.app.push_screen_wait(ConfirmScreen(question, yes="Finish", no="Go on")):
                return
        await asyncio.to_thread(self.app.store.complete_assessment, self.assessment_id)
        self.dismiss(True)

    def action_leave(self) -> None:
        answered = sum(s.id in self.answers for _, s in self.statements)
        if answered < len(self.statements):
            self.notify(f"Kept: {answered} of {len(self.statements)} answered. n resumes it.",
                        timeout=4)
        self.dismiss(False)

