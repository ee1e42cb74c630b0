"""Taking a maturity self-assessment: one statement at a time, answered with the keys 1–5."""

from __future__ import annotations

import asyncio
from collections import deque
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Header, Input, Static

from pmo_tui.calculations import STAGE_NAMES
from pmo_tui.failures import explain
from pmo_tui.formatting import literal, progress_bar
from pmo_tui.question_bank import Dimension, QuestionBank, Statement
from pmo_tui.records import AnswerRecord
from pmo_tui.saving import SaveCalledOff, SaveTicket
from pmo_tui.screens.base import PmoScreen
from pmo_tui.screens.dialogs import ConfirmScreen
from pmo_tui.widgets.footer import KeyFooter


class AssessmentScreen(PmoScreen[bool]):
    """Every answer is saved as it is given; Esc leaves an unfinished assessment to resume later.

    Answers and comments are written one after the other, in the order given, while the screen
    moves straight on: the count of answers shown is the count stored, and "saving…" says that
    some still wait for the database. A comment belongs to the statement it was typed on. Looking
    through a finished assessment changes nothing; only a changed answer or comment reopens it.
    Dismisses with True once the assessment is finished.
    """

    BINDINGS = [
        *(
            Binding(
                str(level),
                f"answer({level})",
                STAGE_NAMES[level],
                show=False,
                id=f"assessment.answer_{level}",
            )
            for level in range(1, 6)
        ),
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
        *,
        finished: bool = False,
    ) -> None:
        super().__init__(classes="assessment")
        self.assessment_id = assessment_id
        self.taken_on = taken_on
        self.bank = bank
        self.finished = finished  # a finished assessment stays so until an answer changes
        self.answers = dict(answers)  # what the database holds
        self.given: dict[str, AnswerRecord] = {}  # answers given and not yet stored (the newest)
        self.drafts: dict[str, str] = {}  # comments typed on statements with no stage yet
        self.queue: deque[tuple[str, AnswerRecord, str]] = deque()  # (statement, answer, notice)
        self.ticket: SaveTicket | None = None  # the save now waiting for (or writing to) the database
        self.saving = False
        self.leaving = False  # Esc was pressed while answers waited: leave once they are stored
        self.shown_id: str | None = None  # the statement whose comment the box holds
        self.failures = 0  # saves the database refused (each said on screen)
        self.statements: list[tuple[Dimension, Statement]] = [
            (dimension, statement) for dimension in bank.dimensions for statement in dimension.statements
        ]
        # Resume at the first statement still unanswered.
        self.index = next((i for i, (_, s) in enumerate(self.statements) if s.id not in self.answers), 0)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="assess-progress", classes="heading")
        with VerticalScroll(id="assess-body"):
            yield Static("", id="assess-dimension")
            yield Static("", id="assess-statement")
            yield Static("", id="assess-levels")
            yield Input(placeholder="Optional comment: c to write, Enter to keep it", id="assess-comment")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show_statement()

    @property
    def current(self) -> tuple[Dimension, Statement]:
        return self.statements[self.index]

    def chosen(self, statement_id: str) -> AnswerRecord | None:
        """The answer given to a statement: the newest one given, else the one stored."""
        return self.given.get(statement_id) or self.answers.get(statement_id)

    def show_progress(self) -> None:
        """The progress line: the answers stored, and whether some still wait for the database."""
        answered = sum(s.id in self.answers for _, s in self.statements)
        total = len(self.statements)
        waiting = len(self.queue)
        if waiting:
            done = f" · saving {waiting}…" + (
                " (leaving once stored; Esc again calls them off)" if self.leaving else ""
            )
        elif answered == total:
            done = " · all answered: f to finish"
        else:
            done = ""
        self.query_one("#assess-progress", Static).update(
            Content(
                f"Self-assessment of {self.taken_on.isoformat()} · {answered} of {total} answered "
                f"{progress_bar(answered / total, 12).rstrip()}{done}"
            )
        )

    def show_statement(self) -> None:
        dimension, statement = self.current
        self.show_progress()
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
        chosen = self.chosen(statement.id)
        parts: list[str | tuple[str, str]] = [("Which describes your PMO best? Press 1–5.", "$text-muted")]
        for level, description in enumerate(statement.levels, start=1):
            selected = chosen is not None and chosen.level == level
            marker = "▶ " if selected else "  "
            style = "bold reverse" if selected else ""
            parts += [
                "\n",
                (f"{marker}{level} {STAGE_NAMES[level]:<17}", f"bold {style}".strip()),
                (f" {description}", style),
            ]
        self.query_one("#assess-levels", Static).update(Content.assemble(*parts))
        comment = self.query_one("#assess-comment", Input)
        # Escape codes in a stored comment are drawn as symbols, never sent to the terminal.
        if statement.id in self.drafts:
            comment.value = self.drafts[statement.id]
        else:
            comment.value = literal(chosen.comment) if chosen else ""
        self.shown_id = statement.id

    # ------------------------------------------------------------------ comments

    def _typed_comment(self, statement_id: str) -> str:
        """The comment in the box, as it would be stored for `statement_id`."""
        typed = self.query_one("#assess-comment", Input).value.strip()
        chosen = self.chosen(statement_id)
        if chosen is not None and typed == literal(chosen.comment).strip():
            return chosen.comment  # untouched: keep it exactly as stored (control characters too)
        return typed

    def keep_comment(self) -> None:
        """Before the box shows another statement, its text stays with the one it was typed on:
        saved with that statement's answer, or kept for it until it is given a stage."""
        statement_id = self.shown_id
        if statement_id is None:
            return
        comment = self._typed_comment(statement_id)
        chosen = self.chosen(statement_id)
        if chosen is None:
            if comment:
                self.drafts[statement_id] = comment
            else:
                self.drafts.pop(statement_id, None)
        elif comment != chosen.comment:
            self._give(statement_id, AnswerRecord(chosen.level, comment), "Comment saved.")

    # ------------------------------------------------------------------ saving, in order

    def _give(self, statement_id: str, answer: AnswerRecord, notice: str = "") -> None:
        """Queue an answer to be saved; the screen goes on at once."""
        self.drafts.pop(statement_id, None)
        self.given[statement_id] = answer
        self.queue.append((statement_id, answer, notice))
        if not self.saving:
            self.saving = True
            self._save_given()
        self.show_progress()

    @work(group="assessment-save", exit_on_error=False)
    async def _save_given(self) -> None:
        """Write the answers given, one at a time, in the order given."""
        store = self.app.store
        try:
            while self.queue:
                statement_id, answer, notice = self.queue[0]
                ticket = self.ticket = SaveTicket()
                try:
                    saved = await asyncio.to_thread(
                        store.save_answer,
                        self.assessment_id,
                        statement_id,
                        answer.level,
                        answer.comment,
                        ticket=ticket,
                    )
                except SaveCalledOff:
                    return  # Esc called it off: whoever did so has cleared the queue
                except Exception as error:  # not stored: say so, and keep what was typed
                    self._not_saved(error)
                    return
                finally:
                    self.ticket = None
                if self.queue and self.queue[0][1] is answer:
                    self.queue.popleft()
                self.answers[statement_id] = answer
                if self.given.get(statement_id) is answer:
                    del self.given[statement_id]
                if saved.reopened:
                    self.finished = False
                    others = "".join(
                        f" The unfinished one of {day.isoformat()} was set finished."
                        for day in saved.finished_others
                    )
                    self.notify(
                        f"You changed the finished assessment of {self.taken_on.isoformat()}: "
                        f"it is unfinished again, and f finishes it.{others}",
                        timeout=8,
                    )
                elif notice and saved.changed:
                    self.notify(notice, timeout=2)
                self.show_progress()
        finally:
            self.saving = False
            if self.is_attached:
                self.show_progress()
                if self.leaving and not self.queue:
                    self._leave_now()

    def _not_saved(self, error: BaseException) -> None:
        """The answers still waiting are not stored: the screen shows again what is stored, and
        a comment typed with them stays in its statement's box."""
        count = len(self.queue)
        self.failures += 1
        for statement_id, answer, _ in self.queue:
            self.given.pop(statement_id, None)
            if answer.comment and statement_id not in self.answers:
                self.drafts[statement_id] = answer.comment
        self.queue.clear()
        self.leaving = False
        self.notify(
            f"{count} answer{'s' if count != 1 else ''} not saved: {explain(error)} "
            "The statements show what is stored; answer them again.",
            severity="error",
            markup=False,
            timeout=12,
        )
        if self.is_attached:
            box = self.query_one("#assess-comment", Input)
            typed, shown = box.value, self.shown_id
            self.show_statement()
            if self.shown_id == shown:
                box.value = typed  # what is being typed stays where it is

    # ------------------------------------------------------------------ actions

    def action_answer(self, level: int) -> None:
        if self.leaving:
            return
        _, statement = self.current
        comment = self._typed_comment(statement.id)
        chosen = self.chosen(statement.id)
        self.drafts.pop(statement.id, None)
        if chosen is None or (chosen.level, chosen.comment) != (level, comment):
            self._give(statement.id, AnswerRecord(level, comment))
        self.shown_id = None  # its comment went with the answer
        # Straight on to the next statement still unanswered, else simply the next one.
        following = [
            i
            for i in range(self.index + 1, len(self.statements))
            if self.chosen(self.statements[i][1].id) is None
        ]
        if following:
            self.index = following[0]
        elif self.index + 1 < len(self.statements):
            self.index += 1
        self.show_statement()

    def action_move(self, step: int) -> None:
        self.keep_comment()
        self.index = max(0, min(len(self.statements) - 1, self.index + step))
        self.show_statement()

    def action_comment(self) -> None:
        self.query_one("#assess-comment", Input).focus()

    @on(Input.Submitted, "#assess-comment")
    def _comment_done(self, event: Input.Submitted) -> None:
        """Keep the comment with the current answer (or with the stage given to this statement)."""
        _, statement = self.current
        self.keep_comment()
        if statement.id in self.drafts:
            self.notify(
                "The comment stays with this statement and is saved with the stage you pick for it (1–5).",
                timeout=4,
            )
        self.set_focus(None)

    def on_key(self, event) -> None:
        # Esc in the comment box only leaves the box.
        if event.key == "escape" and isinstance(self.focused, Input):
            self.set_focus(None)
            event.stop()

    def _drafts_question(self) -> str:
        count = len(self.drafts)
        return (
            f"{count} comment{'s are' if count != 1 else ' is'} on "
            f"{'statements' if count != 1 else 'a statement'} with no stage yet, and a comment "
            "is stored only with its stage (1–5)."
        )

    def _to_first_draft(self) -> None:
        self.index = next(i for i, (_, s) in enumerate(self.statements) if s.id in self.drafts)
        self.show_statement()

    @work(exclusive=True, group="assessment-finish", exit_on_error=False)
    async def action_finish(self) -> None:
        if self.leaving:
            return
        self.keep_comment()
        missing = sum(self.chosen(s.id) is None for _, s in self.statements)
        if missing or self.drafts:
            question = f"{missing} statements are unanswered; they will not count. " if missing else ""
            if self.drafts:
                question += self._drafts_question() + " They will be dropped. "
            question += "Finish the assessment anyway?"
            if not await self.app.push_screen_wait(ConfirmScreen(question, yes="Finish", no="Go on")):
                if self.drafts:
                    self._to_first_draft()
                return
            self.drafts.clear()
        failures = self.failures
        while self.saving:  # the answers given first, then the finish
            await asyncio.sleep(0.05)
        if self.failures != failures:  # an answer could not be stored (and it was said)
            return
        if not self.finished:  # a finished assessment, unchanged, is left as it is
            try:
                await asyncio.to_thread(self.app.store.complete_assessment, self.assessment_id)
            except Exception as error:
                self.notify(f"Not finished: {explain(error)}", severity="error", markup=False, timeout=12)
                return
        self.dismiss(True)

    def action_leave(self) -> None:
        """Esc: leave, keeping every answer given. Answers still waiting for the database are
        stored first (the screen says so); Esc again calls off those not yet being written."""
        if self.leaving:
            self._call_off()
            return
        self.keep_comment()
        if self.drafts:
            question = self._drafts_question() + " Leave and drop them?"
            self.app.push_screen(
                ConfirmScreen(question, yes="Leave, drop them", no="Go back"), self._leave_confirmed
            )
            return
        self._leave()

    def _leave_confirmed(self, leave: bool | None) -> None:
        if leave:
            self.drafts.clear()
            self._leave()
        else:
            self._to_first_draft()

    def _leave(self) -> None:
        if self.queue:
            self.leaving = True
            count = len(self.queue)
            self.notify(
                f"Saving {count} answer{'s' if count != 1 else ''}: "
                f"{'they' if count != 1 else 'it'} will still be stored, and the assessment "
                "closes, as soon as the database is free. Esc again calls off what is not "
                "yet being written.",
                timeout=8,
            )
            self.show_progress()
            return
        self._leave_now()

    def _call_off(self) -> None:
        """Esc while leaving: the answers not yet being written are called off (never stored)."""
        ticket = self.ticket
        writing = ticket is not None and not ticket.call_off()
        # The one being written is stored whatever happens now: wait for it alone.
        kept = [self.queue[0]] if writing and self.queue else []
        called_off = [item for item in self.queue if item not in kept]
        for statement_id, _, _ in called_off:
            self.given.pop(statement_id, None)
        self.queue = deque(kept)
        count = len(called_off)
        if count:
            self.notify(f"{count} answer{'s' if count != 1 else ''} called off: not stored.", timeout=6)
        self.show_progress()
        if not kept:
            self._leave_now()

    def _leave_now(self) -> None:
        self.leaving = False
        answered = sum(s.id in self.answers for _, s in self.statements)
        if self.finished:
            self.notify(
                f"Unchanged: the assessment of {self.taken_on.isoformat()} stays finished.", timeout=4
            )
        else:
            total = len(self.statements)
            finish = ", f then finishes it" if answered == total else ""
            self.notify(f"Kept unfinished: {answered} of {total} answered. n resumes it{finish}.", timeout=4)
        self.dismiss(False)
