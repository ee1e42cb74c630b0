"""Lookups and small rules the parts of the store share."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, func, select

from pmo_tui import calculations as calc
from pmo_tui.models import (
    ChangeLog,
    CheckIn,
    Cycle,
    KeyResult,
    Kpi,
    Objective,
    Project,
    StrategicGoal,
)
from pmo_tui.records import (
    CycleInfo,
)
from pmo_tui.store.errors import Conflict, NotFound
from pmo_tui.validation import (
    InvalidInput,
)


def log_change(session: Session, by: str, record: str, code: str, action: str, detail: str = "") -> None:
    """Who did what, in the transaction of the change itself (see models.ChangeLog)."""
    session.add(
        ChangeLog(
            at=datetime.now(UTC),
            by=by,
            record=record,
            code=code,
            action=action,
            detail=detail,
        )
    )


# The names a change-log detail gives a column, where its own name is not the PMO's word.
_FIELD_WORDS = {
    "strategic_goal_id": "goal",
    "kpi_id": "KPI",
    "parent_id": "parent",
    "cycle_id": "cycle",
    "objective_id": "objective",
    "cadence_days": "cadence",
}


def changed_fields(row: Any) -> tuple[str, ...]:
    """The fields of `row` this transaction has changed so far, in words ("budget, owner"):
    a value set to what it was counts for nothing."""
    words: list[str] = []
    for attribute in sa_inspect(row).attrs:
        if attribute.key in ("id", "version") or not attribute.history.has_changes():
            continue
        word = _FIELD_WORDS.get(attribute.key, attribute.key.replace("_", " "))
        if word not in words:
            words.append(word)
    return tuple(words)


def log_edit(session: Session, by: str, row: Any, record: str, code: str, action: str = "edited") -> None:
    """One change-log row for an edit of `row` naming the fields it changed; none when it
    changed nothing (its version does not move either)."""
    fields = changed_fields(row)
    if fields:
        log_change(session, by, record, code, action, ", ".join(fields))


def check_version(
    row: Any, expected: int | None, what: str, session: Session, record: str, code: str
) -> None:
    """Refuse an edit made on `expected`, a version of `row` someone else has changed since
    (None: the caller read no version, a command that names the record to change outright)."""
    if expected is None or row.version == expected:
        return
    last = session.exec(
        select(ChangeLog)
        .where(
            # The record's own last change, or an import since (it changes records wholesale).
            ((col(ChangeLog.record) == record) & (col(ChangeLog.code) == code))
            | (col(ChangeLog.record) == "import")
        )
        .order_by(col(ChangeLog.id).desc())
    ).first()
    if last is not None and last.record == "import":
        raise Conflict(what, last.by, (f"an import of {last.code}",))
    raise Conflict(
        what, last.by if last else "", tuple(last.detail.split(", ")) if last and last.detail else ()
    )


def check_unchanged_since(session: Session, change_id: int | None, what: str) -> None:
    """Refuse a write based on the portfolio as it was at change `change_id` of the change log
    (an export's) when anyone has changed it since: Conflict naming the last to, and what they
    did (None: the caller read nothing, and writes over whatever is there)."""
    if change_id is None:
        return
    latest = session.exec(select(func.coalesce(func.max(ChangeLog.id), 0))).one() or 0
    if change_id > latest:  # compared here: a number past any id never reaches the database
        raise InvalidInput(
            "based_on",
            f"change {change_id} is later than this portfolio's latest ({latest}): "
            "it was printed by an export of another database",
        )
    newer = session.exec(
        select(ChangeLog).where(col(ChangeLog.id) > change_id).order_by(col(ChangeLog.id))
    ).all()
    if newer:
        done = list(dict.fromkeys(f"{row.action} {row.code}".rstrip() for row in newer))
        shown = done[:3] + ([f"{len(done) - 3} more"] if len(done) > 3 else [])
        raise Conflict(what, newer[-1].by, tuple(shown))


def goal_id_for(session: Session, code: str | None) -> int | None:
    """The id of the strategic goal called `code` (None for none); an unknown code is refused."""
    if not code:
        return None
    goal = session.exec(select(StrategicGoal).where(col(StrategicGoal.code) == code)).first()
    if goal is None:
        raise InvalidInput("goal", f"no strategic goal with code “{code}”")
    return goal.id


def list_cycles(session: Session, today: date) -> tuple[CycleInfo, ...]:
    return tuple(
        cycle_info(c, today)
        for c in session.exec(select(Cycle).order_by(col(Cycle.start).desc(), col(Cycle.name))).all()
    )


def check_in_outside(
    session: Session,
    start: date,
    end: date,
    *,
    cycle_name: str | None = None,
    objective_id: int | None = None,
    leaving_out: list[str] | None = None,
    cycle_words: str = "the cycle",
) -> tuple[str, str] | None:
    """The rule that a check-in's day lies within its key result's cycle, for a cycle that would
    run from `start` to `end`: of the check-ins stored for the objectives of the cycle now named
    `cycle_name` (less those coded in `leaving_out`), or for the objective `objective_id`, the
    earliest that would fall outside it, as (the field to correct: start or end, the message);
    None when every one fits. One query for the import, the cycle form and the objective form."""
    query = (
        sa_select(col(KeyResult.code), col(CheckIn.on))
        .join(KeyResult, col(KeyResult.id) == col(CheckIn.key_result_id))
        .join(Objective, col(Objective.id) == col(KeyResult.objective_id))
        .where((col(CheckIn.on) < start) | (col(CheckIn.on) > end))
    )
    if cycle_name is not None:
        query = query.join(Cycle, col(Cycle.id) == col(Objective.cycle_id)).where(
            col(Cycle.name) == cycle_name
        )
    if objective_id is not None:
        query = query.where(col(Objective.id) == objective_id)
    if leaving_out is not None:
        query = query.where(col(Objective.code).not_in(leaving_out))
    outside = session.execute(query.order_by(col(CheckIn.on))).first()
    if outside is None:
        return None
    code, on = outside
    return (
        "start" if on < start else "end",
        (
            f"key result {code} has a check-in on {on.isoformat()}, which would fall outside "
            f"{cycle_words}; a check-in lies within its key result's cycle"
        ),
    )


def cycle_info(cycle: Cycle, today: date) -> CycleInfo:
    return CycleInfo(
        cycle.name,
        cycle.start,
        cycle.end,
        cycle.status,
        calc.elapsed_share(cycle.start, cycle.end, today),
        live=is_live(cycle, today),
        version=cycle.version,
    )


def is_live(cycle: Cycle, today: date) -> bool:
    """Open and holding today: a current cycle, whatever other cycle holds today too."""
    return cycle.status == "open" and cycle.start <= today <= cycle.end


def cycle_order(cycle: Cycle) -> tuple:
    """Of the cycles holding one day, the shortest first (a quarter before its year), then the
    one started last, then by name."""
    return (cycle.end - cycle.start).days, -cycle.start.toordinal(), cycle.name


_Row = TypeVar("_Row", bound=SQLModel)


class _Stored(Protocol):
    @property
    def id(self) -> int | None: ...


def ident(row: _Stored) -> int:
    """The id of a row that is in the database (read, or added and flushed): never None."""
    if row.id is None:
        raise RuntimeError(f"{type(row).__name__} has no id yet: flush it first")
    return row.id


def found(session: Session, model: type[_Row], where: Any, missing: str) -> _Row:
    """The one row of `model` that `where` picks (a code or a name: unique), or NotFound(missing)."""
    row = session.exec(select(model).where(where)).first()
    if row is None:
        raise NotFound(missing)
    return row


def found_by_id(session: Session, model: type[_Row], row_id: int, missing: str) -> _Row:
    """The row of `model` with this id, or NotFound(missing): deleted meanwhile, say."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(missing)
    return row


def find_kpi(session: Session, code: str) -> Kpi:
    return found(session, Kpi, col(col(Kpi.code)) == code, f"no KPI with code {code!r}")


def find_project(session: Session, code: str) -> Project:
    return found(session, Project, col(col(Project.code)) == code, f"no project with code {code!r}")


def find_goal(session: Session, code: str) -> StrategicGoal:
    return found(
        session, StrategicGoal, col(col(StrategicGoal.code)) == code, f"no strategic goal with code {code!r}"
    )


def find_cycle(session: Session, name: str) -> Cycle:
    return found(session, Cycle, col(col(Cycle.name)) == name, f"no cycle named “{name}”")


def find_objective(session: Session, code: str) -> Objective:
    return found(session, Objective, col(col(Objective.code)) == code, f"no objective with code “{code}”")


def find_key_result(session: Session, code: str) -> KeyResult:
    return found(session, KeyResult, col(col(KeyResult.code)) == code, f"no key result with code “{code}”")
