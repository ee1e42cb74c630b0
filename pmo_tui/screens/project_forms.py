"""The forms of projects and strategic goals: a project, a status update, closing, a goal."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from pmo_tui import calculations as calc
from pmo_tui.failures import explain
from pmo_tui.formatting import format_number, plain_number
from pmo_tui.records import GoalOption, GoalRow, ProjectDetail, StatusUpdateRecord
from pmo_tui.screens.dialogs import Based, FormField, FormScreen, values_of
from pmo_tui.store import NotFound
from pmo_tui.validation import (
    PROJECT_STATUSES,
    InvalidInput,
    ProjectClosing,
    accepts,
    check_goal,
    check_project,
    check_status_update,
    earned_value_accepts,
    parse_choice,
    parse_date,
    parse_number,
)

if TYPE_CHECKING:
    from pmo_tui.app import PmoApp

STATUS_LABELS = {
    "proposed": "proposed",
    "active": "active",
    "on_hold": "on hold",
    "done": "done",
    "cancelled": "cancelled",
}


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def project_form(
    app: PmoApp,
    goals: tuple[GoalOption, ...],
    taken_codes: set[str],
    detail: ProjectDetail | None = None,
    saved: Callable[[str], None] | None = None,
) -> FormScreen:
    """Create a project, or edit `detail`'s; `saved` hears the (possibly new) code."""
    row = detail.row if detail else None
    goal_choices = (
        ("none", ""),
        *((g.name, g.code) for g in goals if g.active or (detail and g.code == detail.goal_code)),
    )
    fields = project_fields(detail, app.today, goal_choices)
    goal_codes = {g.code for g in goals}
    original = row.code if row else None
    others = taken_codes - {original} if original else taken_codes
    based = None
    if detail is not None and original is not None:

        def reread(code: str = original) -> tuple[dict[str, str], int]:
            stored = app.store.project_detail(code)
            return {f.name: f.value for f in project_fields(stored, app.today, goal_choices)}, stored.version

        based = Based(detail.version, reread)

    async def save(values: dict[str, str]) -> dict[str, str]:
        definition, errors = check_project(values, goal_codes, others)
        if definition is None:
            return errors
        try:
            await asyncio.to_thread(
                app.store.save_project,
                definition,
                original_code=original,
                expected_version=based.version if based else None,
            )
        except InvalidInput as error:
            return {error.field: error.message}
        except NotFound as error:
            return {"": explain(error)}  # "deleted by another session": failures.explain
        app.notify(f"Project {definition.code} saved.", markup=False)
        if saved:
            saved(definition.code)
        return {}

    return FormScreen(f"Edit project {row.code}" if row else "New project", fields, save, based=based)


def project_fields(
    detail: ProjectDetail | None, today: date, goal_choices: tuple[tuple[str, str], ...]
) -> list[FormField]:
    """The project form's fields, holding `detail`'s values (a new project's defaults without)."""
    row = detail.row if detail else None
    return [
        FormField("code", "Code", row.code if row else "", placeholder="e.g. PRJ-115"),
        FormField("name", "Name", row.name if row else ""),
        FormField("owner", "Owner", row.owner if row else "", hint="The project manager"),
        FormField(
            "status",
            "Status",
            row.status if row else "active",
            choices=tuple((STATUS_LABELS[s], s) for s in PROJECT_STATUSES),
        ),
        FormField("goal", "Strategic goal", (detail.goal_code or "") if detail else "", choices=goal_choices),
        FormField("start", "Start", _iso(detail.start) if detail else today.isoformat()),
        FormField(
            "planned_finish",
            "Planned finish",
            _iso(detail.planned_finish) if detail else "",
            placeholder="YYYY-MM-DD",
        ),
        FormField(
            "actual_finish",
            "Actual finish",
            _iso(detail.actual_finish) if detail else "",
            hint="Only once the project is done",
        ),
        FormField(
            "budget",
            "Budget",
            plain_number(detail.budget) if detail else "",
            hint=f"{accepts(0)}: budget at completion (BAC)",
        ),
        FormField(
            "expected_benefit",
            "Expected benefit",
            plain_number(detail.expected_benefit) if detail else "",
            hint=f"{accepts(0)} (optional)",
        ),
        FormField(
            "realised_benefit",
            "Realised benefit",
            plain_number(detail.realised_benefit) if detail else "",
            hint=f"{accepts(0)} (optional)",
        ),
    ]


def status_update_form(
    app: PmoApp, detail: ProjectDetail, update: StatusUpdateRecord | None = None
) -> FormScreen:
    """Add a status update that starts from the latest figures (only what changed is typed),
    or correct `update`."""
    code = detail.row.code
    base = update or detail.latest
    today = app.today
    based = None
    if update is not None:

        def reread(update_id: int = update.id) -> tuple[dict[str, str], int]:
            stored = next((u for u in app.store.project_detail(code).updates if u.id == update_id), None)
            if stored is None:
                raise NotFound(f"{code} has no such status update (deleted meanwhile?)")
            return {
                "on": stored.on.isoformat(),
                "forecast_finish": _iso(stored.forecast_finish),
                "planned_value": plain_number(stored.planned_value),
                "earned_value": plain_number(stored.earned_value),
                "actual_cost": plain_number(stored.actual_cost),
                "change_requests": str(stored.change_requests),
                "open_risks": str(stored.open_risks),
                "satisfaction": plain_number(stored.satisfaction),
                "comment": stored.comment,
            }, stored.version

        based = Based(update.version, reread)
    fields = [
        FormField(
            "on",
            "Date",
            update.on.isoformat() if update else today.isoformat(),
            hint=f"YYYY-MM-DD, from the start ({detail.start.isoformat()}) to today",
        ),
        FormField(
            "forecast_finish",
            "Forecast finish",
            _iso(base.forecast_finish) if base else "",
            hint=f"Planned finish {detail.planned_finish.isoformat()}",
        ),
        FormField(
            "planned_value",
            "Planned value",
            plain_number(base.planned_value) if base else "",
            hint=f"{accepts(0)}: PV, the budgeted cost of the work scheduled to date",
        ),
        FormField(
            "earned_value",
            "Earned value",
            plain_number(base.earned_value) if base else "",
            hint=f"{earned_value_accepts(detail.budget)}: EV, the budgeted cost of the work done "
            "to date, at most the budget",
        ),
        FormField(
            "actual_cost",
            "Actual cost",
            plain_number(base.actual_cost) if base else "",
            hint=f"{accepts(0)}: AC, what the work done has cost",
        ),
        FormField(
            "change_requests",
            "Change requests",
            str(base.change_requests) if base else "0",
            hint=accepts(0, whole=True),
        ),
        FormField(
            "open_risks", "Open risks", str(base.open_risks) if base else "0", hint=accepts(0, whole=True)
        ),
        FormField(
            "satisfaction",
            "Satisfaction %",
            plain_number(base.satisfaction) if base else "",
            hint=f"{accepts(0, 100)} (optional): stakeholder satisfaction",
        ),
        FormField("comment", "Comment", update.comment if update else "", placeholder="one line"),
    ]

    async def save(values: dict[str, str]) -> dict[str, str]:
        entry, errors = check_status_update(values, detail.start, budget=detail.budget, today=today)
        if entry is None:
            return errors
        try:
            await asyncio.to_thread(
                app.store.save_status_update,
                code,
                entry,
                update_id=update.id if update else None,
                today=today,
                expected_version=based.version if based else None,
            )
        except InvalidInput as error:
            return {error.field: error.message}
        except NotFound as error:
            return {"": explain(error)}  # "deleted by another session": failures.explain
        app.notify(f"{code}: status update of {entry.on.isoformat()} saved.", markup=False)
        return {}

    title = f"{code}: correct the update of {update.on.isoformat()}" if update else f"{code}: status update"
    # The latest figures are filled in: begin at the top and change only what moved.
    return FormScreen(title, fields, save, start="on", replace_on_entry=True, based=based)


def close_project_form(app: PmoApp, detail: ProjectDetail) -> FormScreen:
    """Close a project as done or cancelled, on the day it finished or stopped. Done, it asks
    for the realised benefit and the final cost (so that ROI is not silently −100 %), and, when
    the earned value is well short of the budget, whether it was descoped."""
    code = detail.row.code
    today = app.today
    ask_descoped = calc.asks_if_descoped(detail.earned_value, detail.budget)
    fields = [
        FormField(
            "status",
            "Closed as",
            "done",
            choices=(("done: delivered", "done"), ("cancelled: stopped", "cancelled")),
        ),
        FormField("actual_finish", "On", today.isoformat(), hint="The day it finished or was stopped"),
        FormField(
            "realised_benefit",
            "Realised benefit",
            plain_number(detail.realised_benefit) if detail.realised_benefit else "",
            hint=f"{accepts(0)}, when done: what it brought (expected "
            f"{format_number(detail.expected_benefit)}); ROI = (benefit − cost) / cost",
        ),
        FormField(
            "actual_cost",
            "Final actual cost",
            plain_number(detail.actual_cost),
            hint=f"{accepts(0)}, when done: what it cost in the end",
        ),
    ]
    if ask_descoped:
        earned, budget = format_number(detail.earned_value), format_number(detail.budget)
        share = calc.ratio(detail.earned_value, detail.budget) or 0.0
        fields.append(
            FormField(
                "descoped",
                "Descoped?",
                "",
                choices=(
                    ("no: its full scope was delivered", "no"),
                    (f"yes: descoped to what was delivered, {earned}", "yes"),
                ),
                hint=f"Earned value {earned} is {share:.0%} of the budget {budget}. Descoped, the "
                f"budget becomes {earned}, so that within budget judges the scope delivered; "
                f"not descoped, earned value becomes {budget}",
            )
        )

    async def save(values: dict[str, str]) -> dict[str, str]:
        errors: dict[str, str] = {}
        status: str | None = None
        finished: date | None = None
        closing: ProjectClosing | None = None
        try:
            status = parse_choice(values["status"], "status", ("done", "cancelled"))
        except InvalidInput as error:
            errors["status"] = error.message
        try:
            finished = parse_date(values["actual_finish"], "date")
        except InvalidInput as error:
            errors["actual_finish"] = error.message
        if status == "done":
            closing, closing_errors = _closing(values, ask_descoped)
            errors |= closing_errors
        if status is None or finished is None or errors:
            return errors
        try:
            await asyncio.to_thread(app.store.close_project, code, status, finished, closing)
        except InvalidInput as error:
            return {error.field: error.message}
        except NotFound as error:
            return {"": explain(error)}  # "deleted by another session": failures.explain
        app.notify(f"{code} closed as {status} on {finished.isoformat()}.", markup=False)
        return {}

    return FormScreen(f"Close project {code}", fields, save)


def _closing(values: dict[str, str], ask_descoped: bool) -> tuple[ProjectClosing | None, dict[str, str]]:
    """What closing as done records, as typed in the close form; each refused field's message."""
    errors: dict[str, str] = {}
    numbers: dict[str, float] = {}
    for name in ("realised_benefit", "actual_cost"):
        try:
            numbers[name] = parse_number(values[name], name, minimum=0)
        except InvalidInput as error:
            errors[name] = error.message
    descoped: bool | None = None
    if ask_descoped:
        answer = values.get("descoped", "")
        if answer not in ("yes", "no"):
            errors["descoped"] = "say whether it was descoped: yes or no"
        descoped = answer == "yes"
    if errors:
        return None, errors
    return ProjectClosing(numbers["realised_benefit"], numbers["actual_cost"], descoped), {}


def goal_form(
    app: PmoApp,
    taken_codes: set[str],
    goal: GoalRow | None = None,
    saved: Callable[[str], None] | None = None,
) -> FormScreen:
    """Create a strategic goal, or edit `goal`."""

    def fields_for(goal: GoalRow | None) -> list[FormField]:
        return [
            FormField("code", "Code", goal.code if goal else "", placeholder="e.g. G5"),
            FormField("name", "Name", goal.name if goal else "", placeholder="The goal in a few words"),
            FormField(
                "description",
                "Description",
                goal.description if goal else "",
                hint="What success looks like, with a number and a date",
            ),
            FormField("owner", "Owner", goal.owner if goal else "", hint="The executive accountable"),
        ]

    fields = fields_for(goal)
    based = None
    if goal is not None:

        def reread(code: str = goal.code) -> tuple[dict[str, str], int]:
            stored = next((g for g in app.store.goals_view().goals if g.code == code), None)
            if stored is None:
                raise NotFound(f"no strategic goal with code {code!r} (deleted meanwhile?)")
            return values_of(fields_for(stored)), stored.version

        based = Based(goal.version, reread)
    original = goal.code if goal else None
    others = taken_codes - {original} if original else taken_codes

    async def save(values: dict[str, str]) -> dict[str, str]:
        definition, errors = check_goal(values, others)
        if definition is None:
            return errors
        try:
            await asyncio.to_thread(
                app.store.save_goal,
                definition,
                original_code=original,
                expected_version=based.version if based else None,
            )
        except InvalidInput as error:
            return {error.field: error.message}
        app.notify(f"Goal {definition.code} saved.", markup=False)
        if saved:
            saved(definition.code)
        return {}

    return FormScreen(f"Edit goal {goal.code}" if goal else "New strategic goal", fields, save, based=based)
