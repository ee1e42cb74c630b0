"""Projects, their status updates, and the strategic goals they align to."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from pmo_tui import calculations as calc
from pmo_tui.formatting import format_number
from pmo_tui.models import (
    Cycle,
    Kpi,
    Objective,
    Project,
    ProjectUpdate,
    RaidItem,
    StrategicGoal,
)
from pmo_tui.records import (
    AlignedProject,
    GoalRow,
    GoalsView,
    ProjectDetail,
    StatusUpdateRecord,
)
from pmo_tui.store.common import (
    changed_fields,
    check_version,
    find_goal,
    find_project,
    found_by_id,
    goal_id_for,
    ident,
    log_change,
    log_edit,
)
from pmo_tui.store.database import Database
from pmo_tui.store.errors import NotFound
from pmo_tui.store.overview import (
    project_figures,
    project_row,
)
from pmo_tui.validation import (
    GoalDefinition,
    InvalidInput,
    ProjectClosing,
    ProjectDefinition,
    StatusUpdateEntry,
    check_earned_value,
    check_status_update_day,
)


class ProjectStore(Database):
    """Projects, status updates and strategic goals."""

    def project_codes(self) -> set[str]:
        with self._reading() as session:
            return set(session.exec(select(col(Project.code))).all())

    def project_detail(self, code: str, today: date | None = None) -> ProjectDetail:
        """One project with every figure of its latest status update, and all its updates; its
        open risks from its RAID log when it logs any risk (overdue counted as of `today`)."""
        with self._reading() as session:
            project = find_project(session, code)
            goal = (
                session.get(StrategicGoal, project.strategic_goal_id) if project.strategic_goal_id else None
            )
            updates = session.exec(
                select(ProjectUpdate)
                .where(col(ProjectUpdate.project_id) == project.id)
                .order_by(col(ProjectUpdate.on))
            ).all()
            latest = updates[-1] if updates else None
            raid_log = session.exec(
                select(col(RaidItem.kind), col(RaidItem.status), col(RaidItem.due)).where(
                    col(RaidItem.project_id) == project.id
                )
            ).all()
            figures = project_figures(project, latest, raid_log, today)
            estimate = calc.project_cost_estimate(figures)
            return ProjectDetail(
                row=project_row(
                    project.code,
                    project.name,
                    project.owner,
                    project.status,
                    goal.name if goal else None,
                    figures,
                ),
                goal_code=goal.code if goal else None,
                start=project.start,
                planned_finish=project.planned_finish,
                actual_finish=project.actual_finish,
                forecast_finish=latest.forecast_finish if latest else None,
                budget=project.budget,
                planned_value=figures.planned_value,
                earned_value=figures.earned_value,
                actual_cost=figures.actual_cost,
                estimate_at_completion=estimate,
                variance_at_completion=calc.vac(project.budget, estimate),
                expected_benefit=project.expected_benefit,
                realised_benefit=project.realised_benefit,
                roi=calc.project_roi(figures),
                change_requests=figures.change_requests,
                open_risks=figures.open_risks,
                satisfaction=latest.satisfaction if latest else None,
                updates=tuple(
                    StatusUpdateRecord(
                        ident(u),
                        u.on,
                        u.forecast_finish,
                        u.planned_value,
                        u.earned_value,
                        u.actual_cost,
                        u.change_requests,
                        u.open_risks,
                        u.satisfaction,
                        u.comment,
                        calc.spi(u.earned_value, u.planned_value),
                        calc.cpi(u.earned_value, u.actual_cost),
                        u.by,
                        u.version,
                    )
                    for u in updates
                ),
                version=project.version,
            )

    def save_project(
        self,
        definition: ProjectDefinition,
        *,
        original_code: str | None = None,
        expected_version: int | None = None,
    ) -> str:
        """Create a project, or change the one called `original_code` (refused with Conflict when
        it is no longer at `expected_version`, the version the form opened with); returns its code."""
        with self._writing() as session:
            clash = session.exec(select(Project).where(col(Project.code) == definition.code)).first()
            if clash is not None and definition.code != original_code:
                raise InvalidInput("code", f"{definition.code} is already used by “{clash.name}”")
            goal_id = goal_id_for(session, definition.goal)
            project = find_project(session, original_code) if original_code else None
            if project is None:
                project = Project(
                    code=definition.code,
                    name=definition.name,
                    start=definition.start,
                    planned_finish=definition.planned_finish,
                )
            else:
                check_version(
                    project, expected_version, f"project {project.code}", session, "project", project.code
                )
                check_updates_fit(session, project, definition)
            for name in (
                "code",
                "name",
                "owner",
                "status",
                "start",
                "planned_finish",
                "actual_finish",
                "budget",
                "expected_benefit",
                "realised_benefit",
            ):
                setattr(project, name, getattr(definition, name))
            project.strategic_goal_id = goal_id
            if project.id is None:
                log_change(session, self.user, "project", project.code, "created", project.name)
            else:
                log_edit(session, self.user, project, "project", project.code)
            session.add(project)
            return definition.code

    def close_project(
        self, code: str, status: str, finished: date, closing: ProjectClosing | None = None
    ) -> None:
        """Close a project as cancelled (stopped that day) or as done (finished that day), which
        needs `closing`: its realised benefit and final actual cost, and, when its earned value is
        well short of the budget (calc.asks_if_descoped), whether it was descoped.

        Done, its last status update (on the finish day) says all its scope was earned as planned:
        earned value = planned value = the budget, at the final actual cost. A descoped project's
        budget first becomes its earned value, the original budget kept in that update's comment."""
        if status not in ("done", "cancelled"):
            raise InvalidInput("status", "a project closes as done or cancelled")
        with self._writing() as session:
            project = find_project(session, code)
            if finished < project.start:
                raise InvalidInput("actual_finish", f"is before the start ({project.start.isoformat()})")
            if status == "done":
                close_as_done(session, project, finished, closing, self.user)
            project.status = status
            project.actual_finish = finished
            log_edit(session, self.user, project, "project", code, "closed")

    def delete_project(self, code: str) -> None:
        """Delete a project and its status updates."""
        with self._writing() as session:
            session.delete(find_project(session, code))
            log_change(session, self.user, "project", code, "deleted")

    def save_status_update(
        self,
        code: str,
        entry: StatusUpdateEntry,
        *,
        update_id: int | None = None,
        today: date | None = None,
        expected_version: int | None = None,
    ) -> None:
        """Add a dated status update to a project, or correct the update `update_id` (refused with
        Conflict when it is no longer at `expected_version`). The corrector becomes its `by`: the
        figures are theirs now; the change log keeps who made it first.

        One update per day: a second one on the same day is refused, so nothing is overwritten unseen.
        The day is neither after `today` (by default the real today) nor before the project's start;
        earned value never exceeds the budget.
        """
        with self._writing() as session:
            project = find_project(session, code)
            check_status_update_day(entry.on, today or date.today(), project.start)
            check_earned_value(entry.earned_value, project.budget)
            if entry.forecast_finish and entry.forecast_finish < project.start:
                raise InvalidInput(
                    "forecast_finish", f"is before the project's start ({project.start.isoformat()})"
                )
            same_day = session.exec(
                select(ProjectUpdate).where(
                    col(ProjectUpdate.project_id) == project.id, col(ProjectUpdate.on) == entry.on
                )
            ).first()
            if same_day is not None and same_day.id != update_id:
                raise InvalidInput(
                    "on", f"{code} already has an update on {entry.on.isoformat()}; correct that one instead"
                )
            if update_id is None:
                update = ProjectUpdate(project_id=ident(project), on=entry.on)
            else:
                missing = f"{code} has no such status update (deleted meanwhile?)"
                update = found_by_id(session, ProjectUpdate, update_id, missing)
                if update.project_id != project.id:
                    raise NotFound(missing)
                check_version(
                    update,
                    expected_version,
                    f"{code}'s status update of {update.on.isoformat()}",
                    session,
                    "status_update",
                    code,
                )
                first_by = update.by
            for name in (
                "on",
                "forecast_finish",
                "planned_value",
                "earned_value",
                "actual_cost",
                "change_requests",
                "open_risks",
                "satisfaction",
                "comment",
            ):
                setattr(update, name, getattr(entry, name))
            if update_id is None:
                update.by = self.user
                log_change(session, self.user, "status_update", code, "updated", entry.on.isoformat())
            elif changed_fields(update):
                fields = ", ".join(changed_fields(update))
                was = f" (made by {first_by})" if first_by and first_by != self.user else ""
                update.by = self.user
                log_change(
                    session,
                    self.user,
                    "status_update",
                    code,
                    "corrected the status update of",
                    f"{update.on.isoformat()}: {fields}{was}",
                )
            session.add(update)

    def delete_status_update(self, update_id: int) -> None:
        with self._writing() as session:
            update = found_by_id(session, ProjectUpdate, update_id, "that status update no longer exists")
            project = session.get(Project, update.project_id)
            session.delete(update)
            log_change(
                session,
                self.user,
                "status_update",
                project.code if project else "",
                "deleted the status update of",
                update.on.isoformat(),
            )

    def goals_view(self) -> GoalsView:
        """Each strategic goal with the projects, KPIs and objectives aligned to it, and its budget share."""
        with self._reading() as session:
            goals = session.exec(select(StrategicGoal).order_by(col(StrategicGoal.code))).all()
            projects = session.exec(select(Project).order_by(col(Project.code))).all()
            kpis = session.exec(select(Kpi).where(col(Kpi.active) == true()).order_by(col(Kpi.code))).all()
            objectives = session.execute(
                sa_select(
                    col(Objective.code),
                    col(Objective.title),
                    col(Cycle.name),
                    col(Objective.strategic_goal_id),
                )
                .join(Cycle, col(Cycle.id) == col(Objective.cycle_id))
                .where(col(Objective.status) != "archived", col(Cycle.status) != "archived")
                .order_by(col(Cycle.start).desc(), col(Objective.code))
            ).all()
            code_of = {g.id: g.code for g in goals}
            shares = calc.budget_shares(
                (code_of.get(p.strategic_goal_id), p.status, p.budget) for p in projects
            )
            figures = calc.portfolio_figures(
                project_figures(p, None) for p in projects
            )  # aligned % needs only status and goal

            def aligned(goal_id: int | None) -> tuple[AlignedProject, ...]:
                return tuple(
                    AlignedProject(p.code, p.name, p.status, p.budget)
                    for p in projects
                    if p.strategic_goal_id == goal_id
                )

            rows = tuple(
                GoalRow(
                    code=g.code,
                    name=g.name,
                    description=g.description,
                    owner=g.owner,
                    active=g.active,
                    projects=aligned(g.id),
                    kpis=tuple((k.code, k.name) for k in kpis if k.strategic_goal_id == g.id),
                    objectives=tuple(
                        (code, title, cycle) for code, title, cycle, goal_id in objectives if goal_id == g.id
                    ),
                    budget_share=shares.get(g.code, 0.0 if shares else None),
                    version=g.version,
                )
                for g in goals
            )
            return GoalsView(
                rows, aligned(None), shares.get(None, 0.0 if shares else None), figures.aligned_pct
            )

    def save_goal(
        self,
        definition: GoalDefinition,
        *,
        original_code: str | None = None,
        expected_version: int | None = None,
    ) -> str:
        with self._writing() as session:
            clash = session.exec(
                select(StrategicGoal).where(col(StrategicGoal.code) == definition.code)
            ).first()
            if clash is not None and definition.code != original_code:
                raise InvalidInput("code", f"{definition.code} is already used by “{clash.name}”")
            if original_code is None:
                goal = StrategicGoal(code=definition.code, name=definition.name)
            else:
                goal = find_goal(session, original_code)
                check_version(
                    goal, expected_version, f"strategic goal {goal.code}", session, "goal", goal.code
                )
            for name in ("code", "name", "description", "owner"):
                setattr(goal, name, getattr(definition, name))
            if goal.id is None:
                log_change(session, self.user, "goal", goal.code, "created", goal.name)
            else:
                log_edit(session, self.user, goal, "goal", goal.code)
            session.add(goal)
            return definition.code

    def set_goal_active(self, code: str, active: bool) -> None:
        """Retire a goal (what is aligned to it keeps the link) or bring it back."""
        with self._writing() as session:
            goal = find_goal(session, code)
            goal.active = active
            if changed_fields(goal):
                log_change(session, self.user, "goal", code, "brought back" if active else "retired")


def check_updates_fit(session: Session, project: Project, definition: ProjectDefinition) -> None:
    """A project's status updates stay true of it: none before a new start, and no earned value
    above a new budget (so the project still exports and imports again)."""
    first, most = session.exec(
        select(func.min(col(ProjectUpdate.on)), func.max(col(ProjectUpdate.earned_value))).where(
            col(ProjectUpdate.project_id) == project.id
        )
    ).one()
    if first is not None and first < definition.start:
        raise InvalidInput(
            "start",
            f"a status update of {first.isoformat()} comes before it; the start "
            "is on or before the first update",
        )
    if most is not None and most > definition.budget:
        from pmo_tui.formatting import plain_number

        raise InvalidInput(
            "budget",
            f"a status update has earned value {plain_number(most)}, more than "
            "this budget; the budget is at least the earned value",
        )


def close_as_done(
    session: Session, project: Project, finished: date, closing: ProjectClosing | None, by: str = ""
) -> None:
    """The figures of a project done, in the caller's transaction (see ProjectStore.close_project);
    the closing status update is `by` the user who closes it."""
    if closing is None:
        raise InvalidInput("realised_benefit", "closing as done needs the realised benefit")
    for field, value in (
        ("realised_benefit", closing.realised_benefit),
        ("actual_cost", closing.actual_cost),
    ):
        if not calc.is_number(value) or value < 0:
            raise InvalidInput(field, "enter a number of 0 or more")
    latest = session.exec(
        select(ProjectUpdate)
        .where(col(ProjectUpdate.project_id) == project.id)
        .order_by(col(ProjectUpdate.on).desc())
    ).first()
    earned = latest.earned_value if latest is not None else None
    asked = calc.asks_if_descoped(earned, project.budget)
    if asked and closing.descoped is None:
        share = calc.ratio(earned, project.budget) or 0.0
        raise InvalidInput(
            "descoped",
            f"earned value is {share:.0%} of the budget: say whether {project.code} was descoped",
        )
    descoped = bool(asked and closing.descoped)
    budget = calc.closing_budget(project.budget, earned, descoped)
    if descoped:
        words = (
            f"Closed as done, descoped: budget {format_number(project.budget)} became the earned "
            f"value {format_number(budget)} of the scope delivered"
        )
    else:
        words = "Closed as done: all its scope delivered"
    # The closing figures are the project's last: on the finish day, or on a later update.
    update = latest if latest is not None and latest.on >= finished else None
    if update is None:
        update = ProjectUpdate(
            project_id=ident(project),
            on=finished,
            change_requests=latest.change_requests if latest else 0,
            open_risks=latest.open_risks if latest else 0,
            satisfaction=latest.satisfaction if latest else None,
        )
        session.add(update)
    update.forecast_finish = finished
    update.planned_value = update.earned_value = budget
    update.actual_cost = closing.actual_cost
    update.comment = f"{update.comment} · {words}" if update.comment else words
    update.by = by
    project.budget = budget
    project.realised_benefit = closing.realised_benefit
