"""Import and export of whole portfolios and of measurement files."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete
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
    ProjectUpdate,
    RaidItem,
    StrategicGoal,
)
from pmo_tui.records import (
    ImportSummary,
)
from pmo_tui.store.common import (
    check_in_outside,
    check_unchanged_since,
    ident,
    log_change,
)
from pmo_tui.store.database import Database
from pmo_tui.store.dialect import dialect_of
from pmo_tui.validation import (
    InvalidInput,
    check_check_in_day,
    check_earned_value,
    check_milestone_value,
    check_raid_item,
    check_status_update_day,
    measurement_period,
)

if TYPE_CHECKING:  # the file formats load with the first import, not with the overview
    from pmo_tui.measurements_csv import MeasurementRow
    from pmo_tui.portfolio_file import Portfolio


class TransferStore(Database):
    """Export, and the imports (each one transaction)."""

    def export_portfolio(self) -> dict[str, Any]:
        """The whole database in the portfolio-file layout, in a stable order (codes, dates)."""
        with self._reading() as session:
            return export_document(session)

    def import_portfolio(
        self, portfolio: Portfolio, *, dry_run: bool = False, today: date | None = None
    ) -> ImportSummary:
        """Add a portfolio checked on its own (the sample) in one transaction; a code that already
        exists changes nothing. A dry run does all the work and the checks, then rolls back.

        Every rule of the data holds; only with `today` given are days after it refused (the
        sample is a portfolio as of its own day, loaded whatever the clock says). The change log
        is left as it is: the sample is no one's work, and its history starts empty."""
        from pmo_tui.portfolio_file import portfolio_changes

        try:
            with self._writing() as session:
                importer = _Importer(session)
                importer.refuse_existing(portfolio)
                importer.run(portfolio, today=today)
                added, _ = portfolio_changes(portfolio, None)
                if dry_run:
                    raise _RolledBack(added)
        except _RolledBack as rolled_back:
            return ImportSummary(rolled_back.counts)
        return ImportSummary(added)

    def import_portfolio_text(
        self,
        text: str,
        source: str = "",
        *,
        question_ids: set[str] | None = None,
        dry_run: bool = False,
        today: date | None = None,
        based_on: int | None = None,
    ) -> ImportSummary:
        """Import a portfolio file in one transaction: new codes are added, existing ones updated
        (see merge_portfolio), and any error leaves the database as it was. Nothing may be dated
        after `today` (by default the real today), as in a form. With `based_on`, the change the
        file was exported at (ChangeStore.last_change_id), anyone's change since refuses it
        (Conflict), so an edited export never silently undoes their work."""
        from pmo_tui.portfolio_file import parse_portfolio, portfolio_changes, shipped_question_ids

        ids = shipped_question_ids() if question_ids is None else question_ids
        try:
            with self._writing() as session:
                check_unchanged_since(session, based_on, "the portfolio")
                # Read and written in one transaction: no other writer can come between.
                current = export_document(session)
                portfolio = parse_portfolio(text, source, ids, current=current)
                added, updated = portfolio_changes(portfolio, current)
                _Importer(session).run(portfolio, source, today=today or date.today())
                if any(added.values()) or any(updated.values()):
                    log_change(
                        session,
                        self.user,
                        "import",
                        Path(source).name if source else "portfolio",
                        "imported",
                        ImportSummary(added, updated).sentence(),
                    )
                if dry_run:
                    raise _RolledBack(added, updated)
        except _RolledBack as rolled_back:
            return ImportSummary(rolled_back.counts, rolled_back.updated)
        return ImportSummary(added, updated)

    def import_measurements(
        self,
        rows: list[MeasurementRow],
        *,
        dry_run: bool = False,
        today: date | None = None,
        based_on: int | None = None,
    ) -> ImportSummary:
        """KPI values from a checked CSV, in one transaction: each row's date is taken to the end of
        its KPI's period; a period that has a value gets the new one. Any unknown KPI, two rows
        for one period, or a period after the current one (that holding `today`, by default the
        real today) reject the whole file with the row's line. With `based_on`, anyone's change
        after that change of the log refuses it (Conflict), as for a portfolio file."""
        try:
            with self._writing() as session:
                check_unchanged_since(session, based_on, "the portfolio")
                kpis = {
                    code: (kpi_id, cadence)
                    for kpi_id, code, cadence in session.exec(
                        select(col(Kpi.id), col(Kpi.code), col(Kpi.cadence)).where(
                            col(Kpi.code).in_({row.kpi for row in rows})
                        )
                    )
                }
                values = _measurement_values(rows, kpis, today or date.today())
                counts = {"measurements": 0, "replaced measurements": 0}
                if values:
                    connection = session.connection()
                    count = "SELECT count(*) FROM measurement"
                    before = connection.exec_driver_sql(count).scalar_one()
                    notes = any(row.note is not None for row in rows)
                    self._dialect.upsert_measurements(connection, values, notes=notes, by=self.user)
                    # Each row either adds a measurement or replaces the one of its period.
                    added = connection.exec_driver_sql(count).scalar_one() - before
                    counts = {"measurements": added, "replaced measurements": len(values) - added}
                    log_change(
                        session,
                        self.user,
                        "import",
                        "measurements",
                        "imported",
                        ImportSummary(counts).describe(),
                    )
                if dry_run:
                    raise _RolledBack(counts)
        except _RolledBack as rolled_back:
            return ImportSummary(rolled_back.counts)
        return ImportSummary(counts)


def _measurement_values(
    rows: list[MeasurementRow], kpis: dict[str, tuple[Any, str]], today: date
) -> list[tuple[int, str, float, str]]:
    """The rows as (kpi_id, period end, value, note) for the measurement table, in file order; an
    unknown KPI, a date whose period ends after the current one or past the last year, or two rows
    for one period raise PortfolioFileError with the row's line."""
    from pmo_tui.portfolio_file import PortfolioFileError

    ends: dict[tuple[date, str], str] = {}  # (day, cadence) -> the period's end as stored
    lines: dict[tuple[int, str], int] = {}
    values = []
    for row in rows:
        found = kpis.get(row.kpi)
        if found is None:
            raise PortfolioFileError(f"line {row.line}", f"no KPI with code “{row.kpi}”")
        kpi_id, cadence = found
        end = ends.get((row.period, cadence))
        if end is None:
            try:
                end = measurement_period(row.period, cadence, today).isoformat()
            except InvalidInput as error:
                raise PortfolioFileError(f"line {row.line}", f"{error.field}: {error.message}") from None
            ends[row.period, cadence] = end
        key = (kpi_id, end)
        if key in lines:
            raise PortfolioFileError(
                f"line {row.line}",
                f"{row.kpi}'s {cadence} period ending {end} already has a value on line {lines[key]}",
            )
        lines[key] = row.line
        values.append((kpi_id, end, row.value, row.note or ""))
    return values


def raid_fields(item: dict[str, Any]) -> dict[str, str]:
    """A RAID item of a portfolio file as the form's text fields (see validation.check_raid_item)."""
    return {
        name: "" if value is None else value.isoformat() if isinstance(value, date) else str(value)
        for name, value in item.items()
    }


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    # TOML has no null: a missing optional field is simply left out.
    return {key: value for key, value in record.items() if value is not None}


def _with_by(row: dict[str, Any], by: str) -> dict[str, Any]:
    """A check-in's or measurement's row with who made it, when known: a file written before
    pmo-tui kept `by` exports byte for byte as it was."""
    return {**row, "by": by} if by else row


def export_document(session: Session) -> dict[str, Any]:
    """The database in the portfolio-file layout, read inside the caller's transaction."""
    goal_code = {g.id: g.code for g in session.exec(select(StrategicGoal))}
    kpi_code = {k.id: k.code for k in session.exec(select(Kpi))}
    objective_code = {o.id: o.code for o in session.exec(select(Objective))}
    cycle_name = {c.id: c.name for c in session.exec(select(Cycle))}
    updates: dict[int | None, list[ProjectUpdate]] = defaultdict(list)
    for update in session.exec(select(ProjectUpdate).order_by(col(ProjectUpdate.on))):
        updates[update.project_id].append(update)
    raid_log: dict[int | None, list[RaidItem]] = defaultdict(list)
    for item in session.exec(select(RaidItem).order_by(col(RaidItem.raised), col(RaidItem.code))):
        raid_log[item.project_id].append(item)
    measurements: dict[int | None, list[Measurement]] = defaultdict(list)
    for measurement in session.exec(select(Measurement).order_by(col(Measurement.period))):
        measurements[measurement.kpi_id].append(measurement)
    check_ins: dict[int | None, list[CheckIn]] = defaultdict(list)
    for check_in in session.exec(select(CheckIn).order_by(col(CheckIn.on), col(CheckIn.id))):
        check_ins[check_in.key_result_id].append(check_in)
    key_results: dict[int | None, list[KeyResult]] = defaultdict(list)
    for key_result in session.exec(select(KeyResult).order_by(col(KeyResult.code))):
        key_results[key_result.objective_id].append(key_result)
    answers: dict[int | None, list[Answer]] = defaultdict(list)
    for answer in session.exec(select(Answer).order_by(col(Answer.question_id))):
        answers[answer.assessment_id].append(answer)

    document: dict[str, Any] = {"format": "pmo-tui portfolio", "version": 1}
    document["goals"] = [
        _clean(
            {
                "code": g.code,
                "name": g.name,
                "description": g.description,
                "owner": g.owner,
                "active": g.active,
            }
        )
        for g in session.exec(select(StrategicGoal).order_by(col(StrategicGoal.code)))
    ]
    document["projects"] = [
        _clean(
            {
                "code": p.code,
                "name": p.name,
                "owner": p.owner,
                "status": p.status,
                "goal": goal_code.get(p.strategic_goal_id),
                "start": p.start,
                "planned_finish": p.planned_finish,
                "actual_finish": p.actual_finish,
                "budget": p.budget,
                "expected_benefit": p.expected_benefit,
                "realised_benefit": p.realised_benefit,
                "updates": [
                    _clean(
                        {
                            "on": u.on,
                            "forecast_finish": u.forecast_finish,
                            "planned_value": u.planned_value,
                            "earned_value": u.earned_value,
                            "actual_cost": u.actual_cost,
                            "change_requests": u.change_requests,
                            "open_risks": u.open_risks,
                            "satisfaction": u.satisfaction,
                            "comment": u.comment,
                            "by": u.by or None,  # left out unless known
                        }
                    )
                    for u in updates[p.id]
                ],
                "raid": [
                    _clean(
                        {
                            "code": r.code,
                            "kind": r.kind,
                            "title": r.title,
                            "owner": r.owner,
                            "status": r.status,
                            "raised": r.raised,
                            "due": r.due,
                            "closed": r.closed,
                            # Written only when there is something to say: most items have no
                            # note, and only decisions are decided by someone for a reason.
                            "note": r.note or None,
                            "probability": r.probability,
                            "impact": r.impact,
                            "decided": r.decided,
                            "decided_by": r.decided_by or None,
                            "rationale": r.rationale or None,
                        }
                    )
                    for r in raid_log[p.id]
                ],
            }
        )
        for p in session.exec(select(Project).order_by(col(Project.code)))
    ]
    document["kpis"] = [
        _clean(
            {
                "code": k.code,
                "name": k.name,
                "description": k.description,
                "unit": k.unit,
                "direction": k.direction,
                "target": k.target,
                "warning": k.warning,
                "band_low": k.band_low,
                "band_high": k.band_high,
                "indicator": k.indicator,
                "nature": k.nature,
                "owner": k.owner,
                "cadence": k.cadence,
                "goal": goal_code.get(k.strategic_goal_id),
                "source": k.source,
                "active": k.active,
                "last_reviewed": k.last_reviewed,
                "measurements": [
                    _with_by({"period": m.period, "value": m.value, "note": m.note}, m.by)
                    for m in measurements[k.id]
                ],
            }
        )
        for k in session.exec(select(Kpi).order_by(col(Kpi.code)))
    ]
    document["cycles"] = [
        {"name": c.name, "start": c.start, "end": c.end, "status": c.status}
        for c in session.exec(select(Cycle).order_by(col(Cycle.start), col(Cycle.name)))
    ]
    document["objectives"] = [
        _clean(
            {
                "code": o.code,
                "title": o.title,
                "cycle": cycle_name[o.cycle_id],
                "owner": o.owner,
                "goal": goal_code.get(o.strategic_goal_id),
                "parent": objective_code.get(o.parent_id),
                "carried_from": objective_code.get(o.carried_from_id),
                "status": o.status,
                "grade": o.grade,
                "key_results": [
                    _clean(
                        {
                            "code": kr.code,
                            "title": kr.title,
                            "kind": kr.kind,
                            "unit": kr.unit,
                            "baseline": kr.baseline,
                            "target": kr.target,
                            "band_low": kr.band_low,
                            "band_high": kr.band_high,
                            "weight": kr.weight,
                            "owner": kr.owner,
                            "kpi": kpi_code.get(kr.kpi_id),
                            "original_target": kr.original_target,
                            "target_change_reason": kr.target_change_reason,
                            "grade": kr.grade,
                            "archived": kr.archived or None,  # left out unless true
                            "check_ins": [
                                _with_by(
                                    {
                                        "on": c.on,
                                        "value": c.value,
                                        "confidence": c.confidence,
                                        "comment": c.comment,
                                    },
                                    c.by,
                                )
                                for c in check_ins[kr.id]
                            ],
                        }
                    )
                    for kr in key_results[o.id]
                ],
            }
        )
        for o in session.exec(select(Objective).order_by(col(Objective.code)))
    ]
    document["assessments"] = [
        {
            "taken_on": a.taken_on,
            "status": a.status,
            "answers": [
                {"question": x.question_id, "level": x.level, "comment": x.comment} for x in answers[a.id]
            ],
        }
        for a in session.exec(select(Assessment).order_by(col(Assessment.taken_on), col(Assessment.id)))
    ]
    return document


class _RolledBack(Exception):
    """Carries a dry run's counts out of the transaction it undoes."""

    def __init__(self, counts: dict[str, int], updated: dict[str, int] | None = None) -> None:
        super().__init__("dry run")
        self.counts = counts
        self.updated = updated or {}


class _Importer:
    """Writes a checked Portfolio inside the caller's transaction: a record whose code exists is
    updated in place (its rows replaced by the merged ones), any other is added."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _refuse(self, column: Any, where: str, records: list[dict[str, Any]], key: str) -> None:
        codes = [r[key] for r in records]
        if not codes:
            return
        clash = self.session.exec(select(column).where(column.in_(codes))).first()
        if clash is not None:
            from pmo_tui.portfolio_file import PortfolioFileError

            index = codes.index(clash)
            raise PortfolioFileError(f"{where}[{index}].{key}", f"{clash!r} already exists in the database")

    def refuse_existing(self, p: Portfolio) -> None:
        self._refuse(col(StrategicGoal.code), "goals", p.goals, "code")
        self._refuse(col(Project.code), "projects", p.projects, "code")
        self._refuse(col(Kpi.code), "kpis", p.kpis, "code")
        self._refuse(col(Cycle.name), "cycles", p.cycles, "name")
        self._refuse(col(Objective.code), "objectives", p.objectives, "code")
        key_results = [kr for o in p.objectives for kr in o["key_results"]]
        self._refuse(col(KeyResult.code), "key_results", key_results, "code")

    def _ids(self, column: Any, id_column: Any) -> dict[Any, int]:
        return dict(self.session.execute(sa_select(column, id_column)).all())

    def _put(self, model: Any, column: Any, key: Any, fields: dict[str, Any]) -> tuple[Any, bool]:
        """The record with this code, updated, or a new one; and whether it existed."""
        record = self.session.exec(select(model).where(column == key)).first()
        if record is None:
            record = model(**fields)
            self.session.add(record)
            return record, False
        for name, value in fields.items():
            setattr(record, name, value)
        return record, True

    def _rows(
        self,
        table: Any,
        parent: Any,
        parent_id: int,
        existed: bool,
        rows: list[dict[str, Any]],
        into: list[dict[str, Any]],
    ) -> None:
        """A record's rows are written whole: the merged list replaces what was there."""
        if existed:
            self.session.exec(delete(table).where(parent == parent_id))
        into += rows

    def _raid_log(self, project_id: int, existed: bool, items: list[dict[str, Any]]) -> None:
        """A project's RAID items matched by code: a stored one is changed in place (its version
        moves, so a form opened on it before the import does not save over it), others added."""
        stored = (
            {
                item.code: item
                for item in self.session.exec(select(RaidItem).where(col(RaidItem.project_id) == project_id))
            }
            if existed
            else {}
        )
        for fields in items:
            item = stored.get(fields["code"])
            if item is None:
                self.session.add(RaidItem(**fields, project_id=project_id))
            else:
                for name, value in fields.items():
                    setattr(item, name, value)

    def _bulk(self, table: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            dialect_of(self.session).bulk_insert(self.session, table, rows)

    def _check_rules(self, p: Portfolio, source: str, today: date | None) -> list[list[date]]:
        """The rules a form and the command line obey (see validation), on every record the import
        writes, before anything is written; a message names the record and field in the file.
        Returns each KPI's measurement periods taken to the end of their period, as typed in a form."""
        from pmo_tui.portfolio_file import PortfolioFileError

        prefix = f"{source}: " if source else ""

        def check(where: str, rule: Any, *args: Any) -> Any:
            try:
                return rule(*args)
            except InvalidInput as error:
                raise PortfolioFileError(f"{prefix}{where}", error.message) from None

        for i, project in enumerate(p.projects):
            start, budget = project["start"], project["budget"]
            for j, raid_item in enumerate(project["raid"]):
                # The form's rules (validation.check_raid_item), on the item as a form would hold it.
                _, errors = check_raid_item(raid_fields(raid_item), today=today)
                if errors:
                    field, message = next(iter(errors.items()))
                    raise PortfolioFileError(f"{prefix}projects[{i}].raid[{j}].{field}", message)
            for j, update in enumerate(project["updates"]):
                here = f"projects[{i}].updates[{j}]"
                if update["on"] < start or (today is not None and update["on"] > today):
                    check(f"{here}.on", check_status_update_day, update["on"], today, start)
                if update["earned_value"] > budget:
                    check(f"{here}.earned_value", check_earned_value, update["earned_value"], budget)

        periods: list[list[date]] = []
        ends: dict[tuple[date, str], date] = {}  # (day, cadence) -> the period's end
        for i, kpi in enumerate(p.kpis):
            cadence = kpi["cadence"]
            held: dict[date, int] = {}
            periods.append([])
            for j, measurement in enumerate(kpi["measurements"]):
                here = f"kpis[{i}].measurements[{j}].period"
                end = ends.get((measurement["period"], cadence))
                if end is None:
                    end = ends[measurement["period"], cadence] = check(
                        here, measurement_period, measurement["period"], cadence, today
                    )
                if end in held:
                    raise PortfolioFileError(
                        f"{prefix}{here}",
                        (
                            f"{measurement['period'].isoformat()} is in the {cadence} period ending "
                            f"{end.isoformat()}, which measurements[{held[end]}] already holds: "
                            "one value per period"
                        ),
                    )
                held[end] = j
                periods[-1].append(end)

        cycles = {
            name: (start, end)
            for name, start, end in self.session.execute(
                sa_select(col(Cycle.name), col(Cycle.start), col(Cycle.end))
            ).all()
        }
        cycles.update((c["name"], (c["start"], c["end"])) for c in p.cycles)
        in_file = [o["code"] for o in p.objectives]
        for i, cycle in enumerate(p.cycles):
            # A cycle the file re-dates keeps the check-ins of its objectives the file leaves out.
            outside = check_in_outside(
                self.session, cycle["start"], cycle["end"], cycle_name=cycle["name"], leaving_out=in_file
            )
            if outside is not None:
                field, message = outside
                raise PortfolioFileError(f"{prefix}cycles[{i}].{field}", message)
        for i, objective in enumerate(p.objectives):
            name = objective["cycle"]
            start, end = cycles[name]
            for j, key_result in enumerate(objective["key_results"]):
                here = f"objectives[{i}].key_results[{j}]"
                milestone = key_result["kind"] == "milestone"
                if milestone:
                    for field in ("baseline", "target", "original_target"):
                        if key_result[field] is not None:
                            check(f"{here}.{field}", check_milestone_value, key_result[field], field)
                for k, check_in in enumerate(key_result["check_ins"]):
                    on = check_in["on"]
                    if on < start or on > end or (today is not None and on > today):
                        check(f"{here}.check_ins[{k}].on", check_check_in_day, on, today, name, start, end)
                    if milestone:
                        check(
                            f"{here}.check_ins[{k}].value", check_milestone_value, check_in["value"], "value"
                        )
        return periods

    def run(self, p: Portfolio, source: str = "", *, today: date | None = None) -> None:
        """Write the portfolio; `today` None: no day is refused for being after today (the sample)."""
        session = self.session
        periods = self._check_rules(p, source, today)
        for record in p.goals:
            self._put(StrategicGoal, col(StrategicGoal.code), record["code"], record)
        session.flush()
        goal_id = self._ids(col(StrategicGoal.code), col(StrategicGoal.id))

        updates: list[dict[str, Any]] = []
        for record in p.projects:
            fields = {k: v for k, v in record.items() if k not in ("goal", "updates", "raid")}
            project, existed = self._put(
                Project,
                col(Project.code),
                record["code"],
                {**fields, "strategic_goal_id": goal_id.get(record["goal"])},
            )
            session.flush()
            self._rows(
                ProjectUpdate,
                col(ProjectUpdate.project_id),
                project.id,
                existed,
                [{**u, "project_id": project.id} for u in record["updates"]],
                updates,
            )
            self._raid_log(ident(project), existed, record["raid"])
        self._bulk(ProjectUpdate, updates)

        measurements: list[dict[str, Any]] = []
        for record, ends in zip(p.kpis, periods, strict=True):
            fields = {k: v for k, v in record.items() if k not in ("goal", "measurements")}
            kpi, existed = self._put(
                Kpi,
                col(Kpi.code),
                record["code"],
                {
                    **fields,
                    "cadence_days": calc.cadence_days(record["cadence"]),
                    "strategic_goal_id": goal_id.get(record["goal"]),
                },
            )
            session.flush()
            self._rows(
                Measurement,
                col(Measurement.kpi_id),
                kpi.id,
                existed,
                [
                    {**m, "period": end, "kpi_id": kpi.id}
                    for m, end in zip(record["measurements"], ends, strict=True)
                ],
                measurements,
            )
        self._bulk(Measurement, measurements)
        kpi_id = self._ids(col(Kpi.code), col(Kpi.id))

        for record in p.cycles:
            self._put(Cycle, col(Cycle.name), record["name"], record)
        session.flush()
        cycle_id = self._ids(col(Cycle.name), col(Cycle.id))

        objectives: dict[str, Objective] = {}
        for record in p.objectives:
            fields = {
                k: v
                for k, v in record.items()
                if k not in ("goal", "cycle", "parent", "carried_from", "key_results")
            }
            objectives[record["code"]], _ = self._put(
                Objective,
                col(Objective.code),
                record["code"],
                {
                    **fields,
                    "cycle_id": cycle_id[record["cycle"]],
                    "strategic_goal_id": goal_id.get(record["goal"]),
                },
            )
        session.flush()
        objective_id = self._ids(col(Objective.code), col(Objective.id))
        check_ins: list[dict[str, Any]] = []
        for record in p.objectives:
            objective = objectives[record["code"]]
            # Links between objectives are set once every objective has an id.
            objective.parent_id = objective_id.get(record["parent"])
            objective.carried_from_id = objective_id.get(record["carried_from"])
            for kr in record["key_results"]:
                fields = {k: v for k, v in kr.items() if k not in ("kpi", "check_ins")}
                key_result, existed = self._put(
                    KeyResult,
                    col(KeyResult.code),
                    kr["code"],
                    {**fields, "objective_id": objective.id, "kpi_id": kpi_id.get(kr["kpi"])},
                )
                session.flush()
                self._rows(
                    CheckIn,
                    col(CheckIn.key_result_id),
                    key_result.id,
                    existed,
                    [{**c, "key_result_id": key_result.id} for c in kr["check_ins"]],
                    check_ins,
                )
        self._bulk(CheckIn, check_ins)
        session.flush()
        self._refuse_parent_loops(p, source)

        answers: list[dict[str, Any]] = []
        for record in p.assessments:
            assessment = session.exec(
                select(Assessment)
                .where(col(Assessment.taken_on) == record["taken_on"])
                .order_by(col(Assessment.id))
            ).first()
            existed = assessment is not None
            if assessment is None:
                assessment = Assessment(taken_on=record["taken_on"])
                session.add(assessment)
            assessment.status = record["status"]
            session.flush()
            self._rows(
                Answer,
                col(Answer.assessment_id),
                ident(assessment),
                existed,
                [
                    {
                        "assessment_id": assessment.id,
                        "question_id": a["question"],
                        "level": a["level"],
                        "comment": a["comment"],
                    }
                    for a in record["answers"]
                ],
                answers,
            )
        self._bulk(Answer, answers)

    def _refuse_parent_loops(self, p: Portfolio, source: str) -> None:
        """A parent named by the file may be in the database: no objective may end up above itself."""
        parent = dict(self.session.execute(sa_select(col(Objective.id), col(Objective.parent_id))).all())
        code = dict(self.session.execute(sa_select(col(Objective.code), col(Objective.id))).all())
        for i, record in enumerate(p.objectives):
            start = code[record["code"]]
            seen, at = {start}, parent.get(start)
            while at is not None:
                if at in seen:
                    from pmo_tui.portfolio_file import PortfolioFileError

                    prefix = f"{source}: " if source else ""
                    raise PortfolioFileError(
                        f"{prefix}objectives[{i}].parent",
                        "would put the objective under itself (a loop of parents)",
                    )
                seen.add(at)
                at = parent.get(at)
