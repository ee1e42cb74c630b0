"""Maturity self-assessments and the evidence the data gives of the practice."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import func, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from pmo_tui import calculations as calc
from pmo_tui.models import (
    Answer,
    Assessment,
    CheckIn,
    Cycle,
    KeyResult,
    Kpi,
    Measurement,
    Objective,
    Project,
)
from pmo_tui.records import (
    AnswerRecord,
    AssessmentSummary,
)
from pmo_tui.store.common import (
    found_by_id,
    ident,
    log_change,
)
from pmo_tui.store.database import Database
from pmo_tui.store.errors import NotFound
from pmo_tui.store.overview import (
    current_cycles,
)
from pmo_tui.validation import (
    InvalidInput,
)


class AssessmentStore(Database):
    """Self-assessments and their answers."""

    def assessments(self) -> tuple[AssessmentSummary, ...]:
        """Every self-assessment, newest first, with how many statements it answers."""
        with self._reading() as session:
            answered = dict(
                session.execute(
                    sa_select(col(Answer.assessment_id), func.count()).group_by(col(Answer.assessment_id))
                ).all()
            )
            rows = session.exec(
                select(Assessment).order_by(col(Assessment.taken_on).desc(), col(Assessment.id).desc())
            ).all()
            return tuple(
                AssessmentSummary(ident(a), a.taken_on, a.status, answered.get(a.id, 0)) for a in rows
            )

    def assessment_answers(self, assessment_id: int) -> dict[str, AnswerRecord]:
        with self._reading() as session:
            return answers_of(session, assessment_id)

    def previous_answers(self, assessment_id: int) -> dict[str, AnswerRecord] | None:
        """The answers of the complete assessment taken before this one, if any."""
        with self._reading() as session:
            current = found_by_id(session, Assessment, assessment_id, f"no assessment {assessment_id}")
            earlier = session.exec(
                select(Assessment)
                .where(
                    col(Assessment.status) == "complete",
                    col(Assessment.id) != assessment_id,
                    (col(Assessment.taken_on) < current.taken_on)
                    | ((col(Assessment.taken_on) == current.taken_on) & (col(Assessment.id) < assessment_id)),
                )
                .order_by(col(Assessment.taken_on).desc(), col(Assessment.id).desc())
            ).first()
            # Read in the same transaction: one user action, one consistent view.
            return answers_of(session, earlier.id) if earlier is not None and earlier.id else None

    def open_assessment(self, today: date) -> int:
        """The unfinished assessment to resume, or a new one started today."""
        with self._writing() as session:
            unfinished = session.exec(
                select(Assessment).where(col(Assessment.status) == "in_progress").order_by(col(Assessment.id))
            ).first()
            if unfinished is not None:
                return ident(unfinished)
            assessment = Assessment(taken_on=today, status="in_progress")
            session.add(assessment)
            session.flush()
            return ident(assessment)

    def save_answer(
        self, assessment_id: int, question_id: str, level: int, comment: str = "", *, ticket: Any = None
    ) -> Any:
        """One answer, saved as it is given, so an unfinished assessment loses nothing.

        An answer and comment already stored exactly so write nothing: looking through a
        finished assessment leaves it finished. A change to a finished one makes it unfinished
        again (as `reopen_assessment` does), and the result says so. `ticket` (a SaveTicket)
        lets the interface call the save off while it waits for the write lock.
        Returns an AnswerSaved."""
        from pmo_tui.saving import AnswerSaved

        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
            raise InvalidInput("level", "choose a stage from 1 to 5")
        with self._writing() as session:
            assessment = session.get(Assessment, assessment_id)  # waits for the write lock
            if ticket is not None:
                ticket.go_ahead()  # raises SaveCalledOff if called off meanwhile
            if assessment is None:
                raise NotFound(f"no assessment {assessment_id}")
            answer = session.exec(
                select(Answer).where(
                    col(Answer.assessment_id) == assessment_id, col(Answer.question_id) == question_id
                )
            ).first()
            if answer is not None and (answer.level, answer.comment) == (level, comment):
                return AnswerSaved(changed=False, reopened=False)
            if answer is None:
                answer = Answer(assessment_id=assessment_id, question_id=question_id, level=level)
            answer.level, answer.comment = level, comment
            session.add(answer)
            if assessment.status != "complete":
                return AnswerSaved(changed=True, reopened=False)
            finished = reopen(session, assessment)
            return AnswerSaved(changed=True, reopened=True, finished_others=finished)

    def complete_assessment(self, assessment_id: int) -> None:
        with self._writing() as session:
            assessment = found_by_id(session, Assessment, assessment_id, f"no assessment {assessment_id}")
            assessment.status = "complete"
            log_change(session, self.user, "assessment", assessment.taken_on.isoformat(), "finished")

    def reopen_assessment(self, assessment_id: int) -> None:
        """Let a complete assessment's answers be changed again."""
        with self._writing() as session:
            assessment = found_by_id(session, Assessment, assessment_id, f"no assessment {assessment_id}")
            reopen(session, assessment)
            log_change(session, self.user, "assessment", assessment.taken_on.isoformat(), "reopened")

    def evidence_facts(self, today: date) -> calc.EvidenceFacts:
        """What the data shows of the practice: KPI definitions, cadence, reviews, alignment, check-ins."""
        with self._reading() as session:
            kpis = session.exec(select(Kpi).where(col(Kpi.active) == true())).all()
            last = dict(
                session.execute(
                    sa_select(col(Measurement.kpi_id), func.max(col(Measurement.period))).group_by(
                        col(Measurement.kpi_id)
                    )
                ).all()
            )
            projects = session.exec(
                select(Project).where(col(Project.status).in_(list(calc.COUNTED_STATUSES)))
            ).all()
            due = done = 0
            # The weeks of every current cycle (a year's and its quarter's key results alike).
            for cycle in current_cycles(session, today):
                rows = session.execute(
                    sa_select(col(KeyResult.id), col(CheckIn.on))
                    .join(Objective, col(Objective.id) == col(KeyResult.objective_id))
                    .join(Cycle, col(Cycle.id) == col(Objective.cycle_id))
                    .outerjoin(CheckIn, col(CheckIn.key_result_id) == col(KeyResult.id))
                    .where(col(Cycle.name) == cycle.name, col(Objective.status) != "archived")
                ).all()
                days: dict[int, list[date]] = defaultdict(list)
                for key_result_id, on in rows:
                    days[key_result_id]
                    if on is not None:
                        days[key_result_id].append(on)
                until = min(today, cycle.end)
                for check_ins in days.values():
                    weeks_due, weeks_done = calc.check_in_weeks(check_ins, cycle.start, until)
                    due += weeks_due
                    done += weeks_done
            return calc.EvidenceFacts(
                kpis=len(kpis),
                kpis_with_target=sum(
                    k.target is not None or calc.kpi_band(k.band_low, k.band_high) is not None for k in kpis
                ),
                kpis_with_owner=sum(bool(k.owner.strip()) for k in kpis),
                kpis_with_goal=sum(k.strategic_goal_id is not None for k in kpis),
                kpis_on_cadence=sum(not calc.is_overdue(last.get(k.id), today, k.cadence_days) for k in kpis),
                kpis_reviewed=sum(not calc.review_overdue(k.last_reviewed, today) for k in kpis),
                kpis_leading=sum(k.indicator == "leading" for k in kpis),
                projects=len(projects),
                projects_aligned=sum(p.strategic_goal_id is not None for p in projects),
                check_in_weeks_due=due,
                check_in_weeks_done=done,
            )


def reopen(session: Session, assessment: Assessment) -> tuple[date, ...]:
    """Make `assessment` the one unfinished assessment; the days of any other set finished."""
    finished = []
    for other in session.exec(select(Assessment).where(col(Assessment.status) == "in_progress")):
        if other.id != assessment.id:
            other.status = "complete"
            finished.append(other.taken_on)
    assessment.status = "in_progress"
    return tuple(finished)


def answers_of(session: Session, assessment_id: int) -> dict[str, AnswerRecord]:
    """An assessment's answers by question."""
    return {
        a.question_id: AnswerRecord(a.level, a.comment)
        for a in session.exec(select(Answer).where(col(Answer.assessment_id) == assessment_id))
    }
