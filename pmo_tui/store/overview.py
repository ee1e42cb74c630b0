"""The overview read: KPI tiles, project rows, current cycles and their objectives."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Table, func, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, select

from pmo_tui import calculations as calc
from pmo_tui.models import (
    Assessment,
    CheckIn,
    Cycle,
    KeyResult,
    Kpi,
    Objective,
    Project,
    ProjectUpdate,
    RaidItem,
    StrategicGoal,
)
from pmo_tui.records import (
    CheckInRecord,
    CycleInfo,
    KeyResultRow,
    KpiSummary,
    ObjectiveRow,
    Overview,
    ProjectRow,
    SearchTarget,
)
from pmo_tui.store.common import (
    cycle_info,
    cycle_order,
    is_live,
)
from pmo_tui.store.database import Database
from pmo_tui.store.dialect import dialect_of

# How many past measurements a KPI tile's sparkline and trend read.
TILE_HISTORY = 24


class OverviewStore(Database):
    """The portfolio overview and the reads of the whole portfolio."""

    def is_empty(self) -> bool:
        """True when the database holds no portfolio yet (a first run)."""
        with self._reading() as session:
            for table in (StrategicGoal, Project, Kpi, Cycle, Assessment):
                if session.exec(select(func.count()).select_from(table)).one():
                    return False
        return True

    def search_targets(self) -> list[SearchTarget]:
        """Every project, KPI and objective, for the command palette."""
        with self._reading() as session:
            projects = session.exec(select(col(Project.code), col(Project.name)).order_by(col(Project.code)))
            targets = [SearchTarget("project", code, name) for code, name in projects]
            kpis = session.exec(
                select(col(Kpi.code), col(Kpi.name)).where(col(Kpi.active) == true()).order_by(col(Kpi.code))
            )
            targets += [SearchTarget("kpi", code, name) for code, name in kpis]
            objectives = session.exec(
                select(col(Objective.code), col(Objective.title)).order_by(col(Objective.code))
            )
            targets += [SearchTarget("objective", code, title) for code, title in objectives]
        return targets

    def owners(self) -> list[str]:
        """Everyone who owns a key result, an objective or a KPI, as each name was stored."""
        with self._reading() as session:
            names: set[str] = set()
            for column in (col(KeyResult.owner), col(Objective.owner), col(Kpi.owner)):
                names.update(name for name in session.exec(select(column).distinct()) if name)
        return sorted(names)

    def overview(self, today: date) -> Overview:
        """The portfolio overview as it stands on `today`, read in one transaction."""
        with self._reading() as session:
            return read_overview(session, today)

    def revised_overview(self, today: date) -> tuple[str | None, Overview]:
        """(revision, overview) read in one transaction: the overview is of that revision (None:
        an older file read as it is, see revision)."""
        with self._reading() as session:
            revision = self._read_revision(session)
            return revision, read_overview(session, today)


def read_overview(session: Session, today: date) -> Overview:
    kpis = kpi_tiles(session, today)
    figures, projects = project_rows(session, today)
    cycles = current_cycles(session, today)
    # The objectives of each current cycle, cycle by cycle (a year's and its quarter's).
    objectives = tuple(row for cycle in cycles for row in objective_rows(session, cycle, today))
    return Overview(today, figures, kpis, projects, cycles, objectives)


def kpi_tiles(session: Session, today: date) -> tuple[KpiSummary, ...]:
    kpis = session.exec(select(Kpi).where(col(Kpi.active) == true()).order_by(col(Kpi.id))).all()
    return summaries(session, kpis, today)


def summaries(session: Session, kpis: Sequence[Kpi], today: date) -> tuple[KpiSummary, ...]:
    """Latest value, status and recent history of each KPI, from one query for all of them."""
    history: dict[int | None, list[tuple[date, float]]] = defaultdict(list)
    # Core, not ORM, execution for plain rows: a third of the time on thousands of them.
    recent = dialect_of(session).recent_measurements([kpi.id for kpi in kpis], TILE_HISTORY)
    for kpi_id, period, value in session.connection().execute(recent):
        history[kpi_id].append((period, value))
    goals = {g.id: g.name for g in session.exec(select(StrategicGoal)).all()}
    return tuple(kpi_summary(kpi, history.get(kpi.id, []), goals, today) for kpi in kpis)


def kpi_summary(
    kpi: Kpi, points: list[tuple[date, float]], goals: dict[int | None, str], today: date
) -> KpiSummary:
    values = tuple(value for _, value in points)
    last_period = points[-1][0] if points else None
    latest = values[-1] if values else None
    band = calc.kpi_band(kpi.band_low, kpi.band_high)
    status, overdue = calc.kpi_current_status(
        latest, kpi.target, kpi.warning, kpi.direction, last_period, today, kpi.cadence_days, band
    )
    return KpiSummary(
        code=kpi.code,
        name=kpi.name,
        unit=kpi.unit,
        direction=kpi.direction,
        indicator=kpi.indicator,
        target=kpi.target,
        warning=kpi.warning,
        value=latest,
        last_period=last_period,
        status=status,
        overdue=overdue,
        history=values,
        trend=calc.trend(values, kpi.direction, band=band),
        owner=kpi.owner,
        cadence=kpi.cadence,
        goal=goals.get(kpi.strategic_goal_id) if kpi.strategic_goal_id else None,
        review_overdue=calc.review_overdue(kpi.last_reviewed, today),
        active=kpi.active,
        source=kpi.source,
        last_reviewed=kpi.last_reviewed,
        band_low=kpi.band_low,
        band_high=kpi.band_high,
    )


def raid_logs(session: Session) -> dict[int, list[tuple[str, str, date | None]]]:
    """Each project's RAID items as (kind, status, due), by project id: what its open risks and
    overdue actions are counted from."""
    logs: dict[int, list[tuple[str, str, date | None]]] = defaultdict(list)
    for project_id, kind, status, due in session.connection().execute(
        sa_select(col(RaidItem.project_id), col(RaidItem.kind), col(RaidItem.status), col(RaidItem.due))
    ):
        logs[project_id].append((kind, status, due))
    return logs


def project_rows(
    session: Session, today: date | None = None
) -> tuple[calc.PortfolioFigures, tuple[ProjectRow, ...]]:
    """Every project with the figures of its latest status update and its RAID log (counted as
    of `today`, the real today by default), as plain columns (no ORM objects: thousands of
    projects are read on every overview)."""
    logs = raid_logs(session)
    update = _table(ProjectUpdate).alias("latest_update")
    newest = _table(ProjectUpdate).alias("newest")
    # The day of the latest update, found through the (project_id, on) index per project.
    latest_day = (
        sa_select(func.max(newest.c.on)).where(newest.c.project_id == col(Project.id)).scalar_subquery()
    )
    # Columns named as on Project and ProjectUpdate, so project_figures reads a row as it
    # reads the ORM objects.
    rows = (
        session.connection()
        .execute(
            sa_select(
                col(Project.id),
                col(Project.code),
                col(Project.name),
                col(Project.owner),
                col(Project.status),
                col(Project.budget),
                col(Project.planned_finish),
                col(Project.actual_finish),
                col(Project.expected_benefit),
                col(Project.realised_benefit),
                col(Project.strategic_goal_id),
                col(StrategicGoal.name).label("goal_name"),
                update.c.id.label("update_id"),
                update.c.forecast_finish,
                update.c.planned_value,
                update.c.earned_value,
                update.c.actual_cost,
                update.c.change_requests,
                update.c.open_risks,
            )
            .outerjoin(StrategicGoal, col(StrategicGoal.id) == col(Project.strategic_goal_id))
            .outerjoin(update, (update.c.project_id == col(Project.id)) & (update.c.on == latest_day))
            .order_by(col(Project.code))
        )
        .all()
    )
    figures_list = []
    project_rows = []
    for row in rows:
        figures = project_figures(
            row, row if row.update_id is not None else None, logs.get(row.id, ()), today or date.today()
        )
        figures_list.append(figures)
        project_rows.append(project_row(row.code, row.name, row.owner, row.status, row.goal_name, figures))
    return calc.portfolio_figures(figures_list), tuple(project_rows)


def current_cycles(session: Session, today: date) -> tuple[CycleInfo, ...]:
    """The current cycles: every open cycle that holds today (a year and its quarter can
    both), the shortest first, then the one started last; when no open cycle holds today,
    the latest cycle that has started, alone; none before the first cycle starts."""
    cycles = session.exec(
        select(Cycle)
        .where(col(Cycle.status) != "archived")
        .order_by(col(Cycle.start).desc(), col(Cycle.name))
    ).all()
    live = sorted((c for c in cycles if is_live(c, today)), key=cycle_order)
    if not live:
        latest = next((c for c in cycles if c.start <= today), None)
        live = [latest] if latest is not None else []
    return tuple(cycle_info(c, today) for c in live)


def objective_rows(
    session: Session,
    cycle: CycleInfo,
    today: date,
    *,
    include_archived: bool = False,
    only: str | None = None,
) -> tuple[ObjectiveRow, ...]:
    """Each objective of a cycle (or only the one coded `only`) with its key results, progress,
    pace, confidence and lint."""
    query = (
        select(Objective)
        .join(Cycle, col(Cycle.id) == col(Objective.cycle_id))
        .where(col(Cycle.name) == cycle.name)
        .order_by(col(Objective.code))
    )
    if only is not None:  # one key result's card need not read a cycle of thousands of check-ins
        query = query.where(col(Objective.code) == only)
    if not include_archived:
        query = query.where(col(Objective.status) != "archived")
    objectives = session.exec(query).all()
    ids = [o.id for o in objectives]
    key_results = session.exec(
        select(KeyResult).where(col(KeyResult.objective_id).in_(ids)).order_by(col(KeyResult.code))
    ).all()
    check_ins: dict[int | None, list[CheckInRecord]] = defaultdict(list)
    # Plain columns: a cycle's thousands of check-ins need no ORM objects.
    for (
        key_result_id,
        check_in_id,
        day,
        number,
        certainty,
        comment,
        by,
        version,
    ) in session.connection().execute(
        sa_select(
            col(CheckIn.key_result_id),
            _table(CheckIn).c.id,  # a stored row's: never None
            col(CheckIn.on),
            col(CheckIn.value),
            col(CheckIn.confidence),
            col(CheckIn.comment),
            col(CheckIn.by),
            col(CheckIn.version),
        )
        .where(col(CheckIn.key_result_id).in_([kr.id for kr in key_results]))
        .order_by(col(CheckIn.key_result_id), col(CheckIn.on), col(CheckIn.id))
    ):
        check_ins[key_result_id].append(
            CheckInRecord(check_in_id, day, number, certainty, comment, by, version)
        )
    by_objective: dict[int | None, list[KeyResult]] = defaultdict(list)
    for key_result in key_results:
        by_objective[key_result.objective_id].append(key_result)
    referenced = {o.parent_id for o in objectives} | {o.carried_from_id for o in objectives}
    referenced -= {None}
    # No query for nothing: most objectives have no parent and were not carried over.
    codes = (
        dict(
            session.exec(
                select(col(Objective.id), col(Objective.code)).where(col(Objective.id).in_(referenced))
            ).all()
        )
        if referenced
        else {}
    )
    goals = {g.id: g for g in session.exec(select(StrategicGoal)).all()}
    kpi_ids = {kr.kpi_id for kr in key_results} - {None}
    kpi_codes = (
        dict(session.exec(select(col(Kpi.id), col(Kpi.code)).where(col(Kpi.id).in_(kpi_ids))).all())
        if kpi_ids
        else {}
    )
    # Check-ins are due only in an open cycle that has started; overdue only for live objectives.
    running = cycle.status == "open" and cycle.start <= today
    rows = []
    for objective in objectives:
        live = running and objective.status == "active"
        objective_codes = {objective.id: objective.code}
        every_kr = tuple(
            key_result_row(
                kr,
                objective_codes[objective.id],
                check_ins[kr.id],
                cycle,
                today,
                kpi_codes.get(kr.kpi_id),
                live and not kr.archived,
            )
            for kr in sorted(by_objective[objective.id], key=lambda kr: kr.archived)
        )
        # Archived key results are listed last and count for nothing.
        kr_rows = tuple(kr for kr in every_kr if not kr.archived)
        progress = calc.objective_progress((kr.progress, kr.weight) for kr in kr_rows)
        confidences = [kr.confidence for kr in kr_rows if kr.confidence is not None]
        confidence = min(confidences) if confidences else None
        overdue = sum(kr.overdue for kr in kr_rows)
        goal = goals.get(objective.strategic_goal_id)
        lint = calc.objective_lint(
            objective.owner,
            goal is not None,
            [
                calc.KeyResultFacts(
                    kr.code, kr.kind, kr.unit, kr.baseline, kr.target, kr.band_low, kr.band_high
                )
                for kr in kr_rows
            ],
        )
        rows.append(
            ObjectiveRow(
                code=objective.code,
                title=objective.title,
                owner=objective.owner,
                status=objective.status,
                progress=progress,
                grade=calc.grade_band(objective.grade if objective.grade is not None else progress),
                pace=calc.pace(progress, cycle.elapsed, confidence, overdue > 0),
                confidence=confidence,
                key_result_count=len(kr_rows),
                overdue_key_results=overdue,
                cycle=cycle.name,
                goal_code=goal.code if goal else None,
                goal=goal.name if goal else None,
                parent_code=codes.get(objective.parent_id),
                carried_from=codes.get(objective.carried_from_id),
                score=objective.grade,
                key_results=every_kr,
                lint=lint,
                version=objective.version,
            )
        )
    # Archived objectives come last: they are kept for the record, not worked on.
    return tuple(sorted(rows, key=lambda row: row.status == "archived"))


def _table(model: type[SQLModel]) -> Table:
    """The table of a model, for an alias of it."""
    return SQLModel.metadata.tables[str(model.__tablename__)]


def project_figures(
    project: Any,
    latest: Any | None,
    raid_log: Sequence[tuple[str, str, date | None]] = (),
    today: date | None = None,
) -> calc.ProjectFigures:
    """The figures the formulas read: the project's own, those of its latest status update
    (a Project and a ProjectUpdate, or rows with their column names), and its RAID log's
    (kind, status, due): its open risks when it logs any risk, its actions overdue on `today`."""
    return calc.ProjectFigures(
        status=project.status,
        budget=project.budget,
        planned_finish=project.planned_finish,
        forecast_finish=latest.forecast_finish if latest else None,
        actual_finish=project.actual_finish,
        planned_value=latest.planned_value if latest else None,
        earned_value=latest.earned_value if latest else None,
        actual_cost=latest.actual_cost if latest else None,
        expected_benefit=project.expected_benefit,
        realised_benefit=project.realised_benefit,
        change_requests=latest.change_requests if latest else 0,
        open_risks=calc.open_risk_count(
            ((kind, status) for kind, status, _ in raid_log), latest.open_risks if latest else 0
        ),
        overdue_actions=sum(
            kind == "action" and calc.raid_overdue(status, due, today or date.today())
            for kind, status, due in raid_log
        ),
        aligned=project.strategic_goal_id is not None,
    )


def project_row(
    code: str, name: str, owner: str, status: str, goal_name: str | None, figures: calc.ProjectFigures
) -> ProjectRow:
    estimate = calc.project_cost_estimate(figures)
    return ProjectRow(
        code=code,
        name=name,
        owner=owner,
        status=status,
        goal=goal_name,
        spi=calc.spi(figures.earned_value, figures.planned_value),
        cpi=calc.cpi(figures.earned_value, figures.actual_cost),
        schedule=calc.schedule_health(figures),
        budget=calc.budget_health(figures),
        days_late=calc.days_late(figures.planned_finish, figures.finish),
        on_time=calc.project_on_time(figures),
        within_budget=calc.project_within_budget(figures),
        bac=figures.budget,
        estimate_at_completion=estimate,
        variance_at_completion=calc.vac(figures.budget, estimate),
    )


def key_result_row(
    kr: KeyResult,
    objective_code: str,
    check_ins: list[CheckInRecord],
    cycle: CycleInfo,
    today: date,
    kpi_code: str | None,
    live: bool,
) -> KeyResultRow:
    """A key result as it stands today: progress from its check-ins, pace against the cycle."""
    progress = calc.key_result_progress(
        kr.kind, kr.baseline, kr.target, [c.value for c in check_ins], kr.band_low, kr.band_high
    )
    last = check_ins[-1] if check_ins else None
    overdue = live and calc.check_in_overdue(last.on if last else None, cycle.start, today, kr.created)
    return KeyResultRow(
        code=kr.code,
        title=kr.title,
        objective_code=objective_code,
        kind=kr.kind,
        unit=kr.unit,
        baseline=kr.baseline,
        target=kr.target,
        band_low=kr.band_low,
        band_high=kr.band_high,
        weight=kr.weight,
        owner=kr.owner,
        kpi_code=kpi_code,
        original_target=kr.original_target,
        target_change_reason=kr.target_change_reason,
        score=kr.grade,
        progress=progress,
        grade=calc.grade_band(kr.grade if kr.grade is not None else progress),
        pace=calc.pace(progress, cycle.elapsed, last.confidence if last else None, overdue),
        overdue=overdue,
        due=live and calc.check_in_due(last.on if last else None, today),
        check_ins=tuple(check_ins),
        archived=kr.archived,
        version=kr.version,
    )
