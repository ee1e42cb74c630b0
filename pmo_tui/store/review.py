"""The portfolio review: reviews marked done, and the history read that says what changed since."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import and_, func, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from pmo_tui import review as core
from pmo_tui.models import (
    CheckIn,
    Cycle,
    KeyResult,
    Kpi,
    Measurement,
    Objective,
    Project,
    ProjectUpdate,
    RaidItem,
    Review,
)
from pmo_tui.store.common import log_change
from pmo_tui.store.database import Database
from pmo_tui.store.overview import current_cycles


class ReviewStore(Database):
    def mark_review_done(self, today: date) -> tuple[date, str]:
        """Today's review marked done by the user working: the baseline of the next one. Marked
        twice on one day, it stays one review (the first one's)."""
        with self._writing() as session:
            done = session.exec(select(Review).where(col(Review.on) == today)).first()
            if done is not None:
                return done.on, done.by
            session.add(Review(on=today, by=self.user))
            log_change(session, self.user, "review", today.isoformat(), "marked done the review of")
        return today, self.user

    def last_review(self, today: date) -> tuple[date, str] | None:
        """(day, by) of the latest review marked done on or before today; None: none yet."""
        with self._reading() as session:
            return _last_review(session, today)

    def review_changes(self, today: date, since: date | None = None) -> core.Changes:
        """What changed between `since` (default: the last review done, else a week ago) and
        today, read in one transaction."""
        with self._reading() as session:
            last = _last_review(session, today)
            baseline = since if since is not None else core.default_baseline(last[0] if last else None, today)
            reviewed_on, reviewed_by = last if last and last[0] == baseline else (None, "")
            history = read_history(session, baseline, today)
        return core.compare(history, baseline, today, reviewed_on, reviewed_by)


def _last_review(session: Session, today: date) -> tuple[date, str] | None:
    row = session.exec(
        select(Review).where(col(Review.on) <= today).order_by(col(Review.on).desc(), col(Review.id).desc())
    ).first()
    return (row.on, row.by) if row else None


def _since_or_latest_before(
    session: Session, columns: list[Any], day_column: Any, parent_column: Any, baseline: date, today: date
) -> list[Any]:
    """`columns` of the rows dated after the baseline up to today, and of each parent's latest row
    on or before the baseline: all the history the two days need, never a record's whole past.
    Two plain queries (a range, and a grouped latest day joined back) rather than one with a
    subquery per row, which reads a large portfolio's status updates several times slower."""
    connection = session.connection()
    recent = connection.execute(sa_select(*columns).where(day_column > baseline, day_column <= today)).all()
    latest = (
        sa_select(parent_column.label("parent"), func.max(day_column).label("day"))
        .where(day_column <= baseline)
        .group_by(parent_column)
        .subquery()
    )
    before = connection.execute(
        sa_select(*columns).join(latest, and_(parent_column == latest.c.parent, day_column == latest.c.day))
    ).all()
    return [*before, *recent]


def read_history(session: Session, baseline: date, today: date) -> core.PortfolioHistory:
    """The portfolio's history the comparison of `baseline` and `today` reads."""
    kpis = session.exec(select(Kpi).where(col(Kpi.active) == true()).order_by(col(Kpi.code))).all()
    measurements: dict[int, list[tuple[date, float]]] = defaultdict(list)
    for kpi_id, period, value in _since_or_latest_before(
        session,
        [col(Measurement.kpi_id), col(Measurement.period), col(Measurement.value)],
        col(Measurement.period),
        col(Measurement.kpi_id),
        baseline,
        today,
    ):
        measurements[kpi_id].append((period, value))
    kpi_histories = tuple(
        core.KpiHistory(
            code=kpi.code,
            name=kpi.name,
            unit=kpi.unit,
            direction=kpi.direction,
            target=kpi.target,
            warning=kpi.warning,
            cadence_days=kpi.cadence_days,
            owner=kpi.owner,
            measurements=tuple(measurements.get(kpi.id or 0, ())),
            band_low=kpi.band_low,
            band_high=kpi.band_high,
        )
        for kpi in kpis
    )
    return core.PortfolioHistory(
        kpis=kpi_histories,
        key_results=_key_results(session, today),
        projects=_projects(session, baseline, today),
        raid_items=_raid_items(session),
    )


def _key_results(session: Session, today: date) -> tuple[core.KeyResultHistory, ...]:
    """The key results of the current cycles (those the overview shows), with their check-ins."""
    names = [cycle.name for cycle in current_cycles(session, today)]
    rows = session.exec(
        select(KeyResult, Objective, Cycle)
        .join(Objective, col(Objective.id) == col(KeyResult.objective_id))
        .join(Cycle, col(Cycle.id) == col(Objective.cycle_id))
        .where(col(Cycle.name).in_(names), col(Objective.status) != "archived")
        .order_by(col(KeyResult.code))
    ).all()
    check_ins: dict[int, list[core.CheckInPoint]] = defaultdict(list)
    for key_result_id, on, value, confidence in session.connection().execute(
        sa_select(col(CheckIn.key_result_id), col(CheckIn.on), col(CheckIn.value), col(CheckIn.confidence))
        .where(col(CheckIn.key_result_id).in_([kr.id for kr, _, _ in rows]), col(CheckIn.on) <= today)
        .order_by(col(CheckIn.key_result_id), col(CheckIn.on))
    ):
        check_ins[key_result_id].append(core.CheckInPoint(on, value, confidence))
    return tuple(
        core.KeyResultHistory(
            code=kr.code,
            title=kr.title,
            kind=kr.kind,
            unit=kr.unit,
            baseline=kr.baseline,
            target=kr.target,
            band_low=kr.band_low,
            band_high=kr.band_high,
            owner=kr.owner or objective.owner,
            created=kr.created,
            cycle_start=cycle.start,
            cycle_end=cycle.end,
            live=cycle.status == "open" and objective.status == "active" and not kr.archived,
            check_ins=tuple(check_ins.get(kr.id or 0, ())),
        )
        for kr, objective, cycle in rows
        if not kr.archived
    )


def _projects(session: Session, baseline: date, today: date) -> tuple[core.ProjectHistory, ...]:
    projects = session.exec(
        select(Project).where(col(Project.status) != "cancelled").order_by(col(Project.code))
    ).all()
    updates: dict[int, list[core.StatusPoint]] = defaultdict(list)
    for project_id, on, forecast, planned, earned, cost in _since_or_latest_before(
        session,
        [
            col(ProjectUpdate.project_id),
            col(ProjectUpdate.on),
            col(ProjectUpdate.forecast_finish),
            col(ProjectUpdate.planned_value),
            col(ProjectUpdate.earned_value),
            col(ProjectUpdate.actual_cost),
        ],
        col(ProjectUpdate.on),
        col(ProjectUpdate.project_id),
        baseline,
        today,
    ):
        updates[project_id].append(core.StatusPoint(on, forecast, planned, earned, cost))
    return tuple(
        core.ProjectHistory(
            code=project.code,
            name=project.name,
            owner=project.owner,
            status=project.status,
            budget=project.budget,
            start=project.start,
            planned_finish=project.planned_finish,
            actual_finish=project.actual_finish,
            updates=tuple(updates.get(project.id or 0, ())),
        )
        for project in projects
    )


def _raid_items(session: Session) -> tuple[core.RaidHistory, ...]:
    rows = session.exec(
        select(RaidItem, Project)
        .join(Project, col(Project.id) == col(RaidItem.project_id))
        .where(col(Project.status) != "cancelled")
        .order_by(col(Project.code), col(RaidItem.code))
    ).all()
    return tuple(
        core.RaidHistory(
            project=project.code,
            code=item.code,
            kind=item.kind,
            title=item.title,
            owner=item.owner,
            status=item.status,
            raised=item.raised,
            due=item.due,
            closed=item.closed,
        )
        for item, project in rows
    )
