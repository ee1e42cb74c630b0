"""OKRs: cycles, objectives, key results, closing a cycle and carrying over."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import false, func, true
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, col, select

from pmo_tui import calculations as calc
from pmo_tui.formatting import plain_number
from pmo_tui.models import (
    CheckIn,
    Cycle,
    KeyResult,
    Kpi,
    Objective,
)
from pmo_tui.records import (
    CloseSummary,
    CycleInfo,
    CycleOffer,
    KeyResultRow,
    ObjectiveRow,
    OkrBoard,
)
from pmo_tui.store.common import (
    changed_fields,
    check_in_outside,
    check_version,
    cycle_info,
    cycle_order,
    find_cycle,
    find_key_result,
    find_kpi,
    find_objective,
    found_by_id,
    goal_id_for,
    ident,
    is_live,
    list_cycles,
    log_change,
    log_edit,
)
from pmo_tui.store.database import Database
from pmo_tui.store.errors import NotFound
from pmo_tui.store.kpis import latest_measurements
from pmo_tui.store.overview import (
    current_cycles,
    objective_rows,
)
from pmo_tui.validation import (
    CYCLE_STATUSES,
    OBJECTIVE_STATUSES,
    CycleDefinition,
    InvalidInput,
    KeyResultDefinition,
    ObjectiveDefinition,
    check_milestone_value,
    parse_choice,
)


class OkrStore(Database):
    """Cycles, objectives and key results."""

    def create_draft_objective(self, title: str, owner: str, today: date) -> tuple[str, str]:
        """A draft objective in the current cycle (the quarter's cycle is created if none is open)."""
        with self._writing() as session:
            cycle = cycle_for_today(session, today)
            code = next_objective_code(session, cycle)
            session.add(Objective(code=code, title=title, cycle_id=ident(cycle), owner=owner, status="draft"))
            log_change(session, self.user, "objective", code, "created", title)
            return code, cycle.name

    def okr_board(
        self, today: date, cycle_name: str | None = None, *, holding: str | None = None
    ) -> OkrBoard:
        """One cycle (the current one unless named, or the one holding objective `holding`)
        with its objectives and key results."""
        with self._reading() as session:
            if holding is not None:
                cycle_name = found_by_id(
                    session, Cycle, find_objective(session, holding).cycle_id, "no such cycle"
                ).name
            cycles = list_cycles(session, today)
            currents = current_cycles(session, today)
            current = currents[0] if currents else None
            if cycle_name is not None:
                cycle = next((c for c in cycles if c.name == cycle_name), None)
                if cycle is None:
                    raise NotFound(f"no cycle named “{cycle_name}”")
            else:
                cycle = current or (cycles[0] if cycles else None)
            objectives = objective_rows(session, cycle, today, include_archived=True) if cycle else ()
            return OkrBoard(
                cycle, cycles, objectives, current.name if current else None, tuple(c.name for c in currents)
            )

    def key_result_detail(self, code: str, today: date) -> tuple[ObjectiveRow, KeyResultRow]:
        """A key result with its objective, as the key-result screen shows them."""
        with self._reading() as session:
            objective, _, key_result = locate_key_result(session, code, today)
            return objective, key_result

    def cycles(self, today: date) -> tuple[CycleInfo, ...]:
        """Every cycle, newest first."""
        with self._reading() as session:
            return list_cycles(session, today)

    def okr_choices(self) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
        """(cycle names, (objective code, title), (KPI code, name)) for the OKR forms' pick lists."""
        with self._reading() as session:
            cycles = tuple(
                session.exec(
                    select(col(Cycle.name))
                    .where(col(Cycle.status) != "archived")
                    .order_by(col(Cycle.start).desc())
                ).all()
            )
            objectives = tuple(
                (code, title)
                for code, title in session.exec(
                    select(col(Objective.code), col(Objective.title))
                    .where(col(Objective.status) != "archived")
                    .order_by(col(Objective.code))
                )
            )
            kpis = tuple(
                (code, name)
                for code, name in session.exec(
                    select(col(Kpi.code), col(Kpi.name))
                    .where(col(Kpi.active) == true())
                    .order_by(col(Kpi.code))
                )
            )
            return cycles, objectives, kpis

    def save_cycle(
        self,
        definition: CycleDefinition,
        *,
        original_name: str | None = None,
        expected_version: int | None = None,
    ) -> None:
        """Create a cycle, or rename or re-date the one called `original_name` (refused with
        Conflict when it is no longer at `expected_version`, the version its form opened with)."""
        with self._writing() as session:
            clash = session.exec(select(Cycle).where(col(Cycle.name) == definition.name)).first()
            if clash is not None and definition.name != original_name:
                raise InvalidInput("name", f"there is already a cycle named {definition.name}")
            if original_name:
                check_version(
                    find_cycle(session, original_name),
                    expected_version,
                    f"cycle {original_name}",
                    session,
                    "cycle",
                    original_name,
                )
                # Re-dated, the cycle still holds every check-in of its key results.
                outside = check_in_outside(
                    session, definition.start, definition.end, cycle_name=original_name
                )
                if outside is not None:
                    raise InvalidInput(*outside)
            cycle = (
                find_cycle(session, original_name)
                if original_name
                else Cycle(name=definition.name, start=definition.start, end=definition.end, status="open")
            )
            cycle.name, cycle.start, cycle.end = definition.name, definition.start, definition.end
            if cycle.id is None:
                log_change(session, self.user, "cycle", cycle.name, "created")
            else:
                log_edit(session, self.user, cycle, "cycle", cycle.name)
            session.add(cycle)

    def set_cycle_status(self, name: str, status: str) -> None:
        """Archive a cycle (kept, out of the way), bring it back, or reopen a closed one."""
        status = parse_choice(status, "status", CYCLE_STATUSES)
        with self._writing() as session:
            cycle = find_cycle(session, name)
            cycle.status = status
            if changed_fields(cycle):
                action = {"archived": "archived", "open": "reopened"}.get(status, "closed")
                log_change(session, self.user, "cycle", name, action)

    def delete_cycle(self, name: str) -> None:
        """Delete a cycle with its objectives, key results and check-ins."""
        with self._writing() as session:
            session.delete(find_cycle(session, name))
            log_change(session, self.user, "cycle", name, "deleted")

    def save_objective(
        self,
        definition: ObjectiveDefinition,
        *,
        original_code: str | None = None,
        expected_version: int | None = None,
    ) -> str:
        """Create an objective (its code follows its cycle's), or change one (refused with
        Conflict when it is no longer at `expected_version`); returns the code."""
        with self._writing() as session:
            cycle = session.exec(select(Cycle).where(col(Cycle.name) == definition.cycle)).first()
            if cycle is None:
                raise InvalidInput("cycle", f"no cycle named “{definition.cycle}”")
            goal_id = goal_id_for(session, definition.goal)
            if original_code:
                objective = find_objective(session, original_code)
                check_version(
                    objective,
                    expected_version,
                    f"objective {original_code}",
                    session,
                    "objective",
                    original_code,
                )
            else:
                code = next_objective_code(session, cycle)
                objective = Objective(code=code, title=definition.title, cycle_id=ident(cycle))
            if original_code and objective.cycle_id != cycle.id:
                # Moved to another cycle, its key results' check-ins must lie within that one.
                outside = check_in_outside(
                    session,
                    cycle.start,
                    cycle.end,
                    objective_id=ident(objective),
                    cycle_words=f"{cycle.name} ({cycle.start.isoformat()} to {cycle.end.isoformat()})",
                )
                if outside is not None:
                    raise InvalidInput("cycle", outside[1])
            parent_id = None
            if definition.parent:
                parent = session.exec(
                    select(Objective).where(col(Objective.code) == definition.parent)
                ).first()
                if parent is None:
                    raise InvalidInput("parent", f"no objective with code “{definition.parent}”")
                # Walk up from the new parent: meeting this objective would make a loop.
                ancestor: Objective | None = parent
                while ancestor is not None:
                    if ancestor.code == objective.code:
                        raise InvalidInput(
                            "parent", "an objective cannot sit under itself or under one of its own children"
                        )
                    ancestor = session.get(Objective, ancestor.parent_id) if ancestor.parent_id else None
                parent_id = parent.id
            objective.title, objective.owner = definition.title, definition.owner
            objective.cycle_id, objective.strategic_goal_id = ident(cycle), goal_id
            objective.parent_id, objective.status = parent_id, definition.status
            if objective.id is None:
                log_change(session, self.user, "objective", objective.code, "created", objective.title)
            else:
                log_edit(session, self.user, objective, "objective", objective.code)
            session.add(objective)
            return objective.code

    def set_objective_status(self, code: str, status: str) -> None:
        status = parse_choice(status, "status", OBJECTIVE_STATUSES)
        with self._writing() as session:
            objective = find_objective(session, code)
            objective.status = status
            if changed_fields(objective):
                # In words that read after the user's name: "Priya Raman archived Q4-O1".
                action = {"archived": "archived", "done": "marked done", "draft": "made a draft of"}
                log_change(session, self.user, "objective", code, action.get(status, "brought back"))

    def delete_objective(self, code: str) -> None:
        """Delete an objective with its key results and check-ins (children lose their parent)."""
        with self._writing() as session:
            session.delete(find_objective(session, code))
            log_change(session, self.user, "objective", code, "deleted")

    def save_key_result(
        self,
        objective_code: str,
        definition: KeyResultDefinition,
        *,
        original_code: str | None = None,
        today: date | None = None,
        expected_version: int | None = None,
    ) -> str:
        """Create a key result under an objective, or change one (refused with Conflict when it is
        no longer at `expected_version`); returns its code. A new one is created on `today` (by
        default the real today): its first check-in is due a week after.

        Moving the target once check-ins exist needs a reason; the first target stays on record.
        """
        with self._writing() as session:
            objective = find_objective(session, objective_code)
            kpi_id = None
            if definition.kpi:
                kpi = session.exec(select(Kpi).where(col(Kpi.code) == definition.kpi)).first()
                if kpi is None:
                    raise InvalidInput("kpi", f"no KPI with code “{definition.kpi}”")
                kpi_id = kpi.id
            if original_code:
                key_result = find_key_result(session, original_code)
                check_version(
                    key_result,
                    expected_version,
                    f"key result {original_code}",
                    session,
                    "key_result",
                    original_code,
                )
                checked_in = session.exec(
                    select(func.count())
                    .select_from(CheckIn)
                    .where(col(CheckIn.key_result_id) == key_result.id)
                ).one()
                if checked_in and definition.target != key_result.target:
                    if not definition.reason:
                        raise InvalidInput(
                            "reason",
                            f"{checked_in} check-in{'s' if checked_in != 1 else ''} exist: "
                            "say why the target changes",
                        )
                    if key_result.original_target is None:
                        key_result.original_target = key_result.target
                    key_result.target_change_reason = definition.reason
            else:
                code = next_code(session, col(KeyResult.code), f"{objective.code}-KR")
                key_result = KeyResult(
                    code=code,
                    title=definition.title,
                    objective_id=ident(objective),
                    created=today or date.today(),
                )
            if definition.kind == "milestone":
                check_milestone_value(definition.baseline, "baseline")
                check_milestone_value(definition.target, "target")
                if key_result.id is not None:
                    # A key result made a milestone keeps its check-ins only when each is 0 or 1.
                    values = session.exec(
                        select(col(CheckIn.value)).where(
                            col(CheckIn.key_result_id) == key_result.id, col(CheckIn.value).not_in([0, 1])
                        )
                    ).first()
                    if values is not None:
                        raise InvalidInput(
                            "kind",
                            "a milestone takes 0 or 1, and a check-in of this key "
                            f"result has {values:g}: keep its kind or correct it first",
                        )
            for field in (
                "title",
                "kind",
                "unit",
                "baseline",
                "target",
                "band_low",
                "band_high",
                "weight",
                "owner",
            ):
                setattr(key_result, field, getattr(definition, field))
            key_result.objective_id, key_result.kpi_id = ident(objective), kpi_id
            if key_result.id is None:
                log_change(session, self.user, "key_result", key_result.code, "created", key_result.title)
            else:
                log_key_result_edit(session, self.user, key_result)
            session.add(key_result)
            return key_result.code

    def set_key_result_archived(self, code: str, archived: bool) -> None:
        """Archive a key result (kept, counted for nothing) or bring it back."""
        with self._writing() as session:
            key_result = find_key_result(session, code)
            key_result.archived = archived
            if changed_fields(key_result):
                log_change(session, self.user, "key_result", code, "archived" if archived else "brought back")

    def delete_key_result(self, code: str) -> None:
        with self._writing() as session:
            session.delete(find_key_result(session, code))
            log_change(session, self.user, "key_result", code, "deleted")

    def close_cycle(self, name: str, today: date, *, carry_over: bool = False) -> CloseSummary:
        """Grade every live objective and key result (score = progress today) and close the cycle;
        with `carry_over`, copy its unfinished objectives into the next cycle in the same transaction
        (so a refused carry-over leaves the cycle open and ungraded)."""
        with self._writing() as session:
            cycle = find_cycle(session, name)
            # Grading twice would overwrite the scores of the day it was closed.
            if cycle.status != "open":
                raise InvalidInput(
                    "cycle", f"{name} is {cycle.status}; reopen it to close and grade it again"
                )
            if today < cycle.start:
                raise InvalidInput(
                    "cycle",
                    f"{name} starts on {cycle.start.isoformat()}: a cycle is closed and graded once it has begun",
                )
            info = cycle_info(cycle, today)
            rows = objective_rows(session, info, today)
            scores = {row.code: row for row in rows if row.status in ("active", "done")}
            for objective in session.exec(
                select(Objective).where(col(Objective.code).in_(list(scores)))
            ).all():
                row = scores[objective.code]
                graded = [
                    (calc.key_result_score(kr.progress), kr) for kr in row.key_results if not kr.archived
                ]
                for score, kr_row in graded:
                    find_key_result(session, kr_row.code).grade = score
                # The objective's score is the weighted mean of the scores just stored.
                objective.grade = calc.objective_score((score, kr.weight) for score, kr in graded)
                objective.status = "done"
            cycle.status = "closed"
            log_change(session, self.user, "cycle", name, "closed", f"{len(scores)} objectives graded")
            session.flush()
            info = cycle_info(cycle, today)
            closed = tuple(r for r in objective_rows(session, info, today) if r.code in scores)
            next_name, _ = following_cycle(session, cycle)
            unfinished = tuple(r.code for r in closed if (r.score or 0) < 1)
            carried: tuple[str, ...] = ()
            if carry_over and unfinished:
                next_name, carried = carry_objectives(session, list(unfinished), today)
            return CloseSummary(
                cycle=info,
                objectives=closed,
                unfinished=unfinished,
                next_cycle=next_name,
                carried=carried,
            )

    def carry_over(self, codes: list[str], today: date) -> tuple[str, tuple[str, ...]]:
        """Copy unfinished objectives into the next cycle (created when missing).

        Each copy keeps the link to its original; its key results start from their last value.
        Returns the cycle's name and the new objective codes.
        """
        with self._writing() as session:
            target_name, created = carry_objectives(session, codes, today)
            for code in created:
                log_change(session, self.user, "objective", code, "carried over", f"into {target_name}")
            return target_name, created

    def okr_cycle_offer(self, today: date) -> tuple[CycleOffer, ...]:
        """The cycles a new OKR can start in: the current one and the next (see offered_cycles)."""
        with self._reading() as session:
            return offered_cycles(session, today)

    def start_okr_from_kpi(
        self, kpi_code: str, title: str, owner: str, target: float, today: date, cycle: str | None = None
    ) -> str:
        """An objective in `cycle` (one of okr_cycle_offer's; None: the current one) with one key
        result tied to the KPI, from its latest value. A next cycle not stored yet is created."""
        with self._writing() as session:
            kpi = find_kpi(session, kpi_code)
            latest = latest_measurements(session, {kpi.code}).get(kpi.code)
            baseline = latest[1] if latest else 0.0
            lower = kpi.direction == "lower"
            band = calc.kpi_band(kpi.band_low, kpi.band_high)
            if band is None and ((target > baseline and lower) or (target < baseline and not lower)):
                better = "below" if lower else "above"
                raise InvalidInput(
                    "target",
                    f"{kpi.code} is better {kpi.direction}: aim {better} its latest value {baseline:g}",
                )
            chosen = (
                cycle_for_today(session, today) if cycle is None else offered_cycle(session, cycle, today)
            )
            code = next_objective_code(session, chosen)
            objective = Objective(
                code=code,
                title=title,
                cycle_id=ident(chosen),
                owner=owner,
                strategic_goal_id=kpi.strategic_goal_id,
                status="active",
            )
            session.add(objective)
            session.flush()
            session.add(
                KeyResult(
                    code=f"{code}-KR1",
                    title=f"{kpi.name} from {baseline:g} to {target:g}"
                    if band is None
                    else f"{kpi.name} back within {band[0]:g}–{band[1]:g}",
                    objective_id=ident(objective),
                    # A band KPI's key result keeps the value within the KPI's band.
                    kind="within_band" if band else "decrease" if lower else "increase",
                    unit=kpi.unit,
                    baseline=baseline,
                    target=target,
                    band_low=band[0] if band else None,
                    band_high=band[1] if band else None,
                    owner=owner or kpi.owner,
                    kpi_id=kpi.id,
                    created=today,
                )
            )
            log_change(session, self.user, "objective", code, "created", f"{title} (from KPI {kpi.code})")
            return code


def log_key_result_edit(session: Session, by: str, key_result: KeyResult) -> None:
    """A key result's edit in the change log: a moved target on a line of its own (from what, to
    what, and why), the other fields changed as an edit."""
    fields = [f for f in changed_fields(key_result) if f not in ("target", "original target")]
    reason_given = "target change reason" in fields
    if reason_given:
        fields.remove("target change reason")
    history = sa_inspect(key_result).attrs.target.history
    if history.has_changes():
        before = history.deleted[0] if history.deleted else None
        detail = f"from {plain_number(before)} to {plain_number(key_result.target)}"
        if reason_given:
            detail += f": {key_result.target_change_reason}"
        log_change(session, by, "key_result", key_result.code, "changed the target of", detail)
    if fields:
        log_change(session, by, "key_result", key_result.code, "edited", ", ".join(fields))


def cycle_for_today(session: Session, today: date) -> Cycle:
    """Where a new objective goes: the first current cycle (the shortest open one holding
    today, as the overview lists them), else the next open one; the calendar quarter's cycle
    is created when there is none. A closed quarter is refused."""
    open_cycles = session.exec(
        select(Cycle).where(col(Cycle.status) == "open", col(Cycle.end) >= today).order_by(col(Cycle.start))
    ).all()
    live = sorted((c for c in open_cycles if is_live(c, today)), key=cycle_order)
    cycle = next(iter(live), None) or next(iter(open_cycles), None)
    if cycle is not None:
        return cycle
    name = calc.quarter_name(today)
    existing = session.exec(select(Cycle).where(col(Cycle.name) == name)).first()
    if existing is not None:
        raise InvalidInput(
            "cycle",
            f"{name} is {existing.status} and no later cycle is open: "
            "reopen it or create the next cycle (OKRs, key y)",
        )
    cycle = Cycle(name=name, start=calc.quarter_start(today), end=calc.quarter_end(today), status="open")
    session.add(cycle)
    session.flush()
    return cycle


def offered_cycles(session: Session, today: date) -> tuple[CycleOffer, ...]:
    """Where a new OKR can go: the current cycle (the first live one, as the overview lists
    them; with none, the calendar quarter, created on save unless it is stored closed) and the
    next: the first cycle starting after it, or one as long as it that saving creates."""
    cycles = session.exec(select(Cycle).order_by(col(Cycle.start))).all()
    live = sorted((c for c in cycles if is_live(c, today)), key=cycle_order)
    offer: list[CycleOffer] = []
    if live:
        current = live[0]
        name, start, end = current.name, current.start, current.end
        offer.append(CycleOffer(name, start, end, "current"))
    else:
        name, start, end = calc.quarter_name(today), calc.quarter_start(today), calc.quarter_end(today)
        stored = next((c for c in cycles if c.name == name), None)
        if stored is None:
            offer.append(CycleOffer(name, start, end, "current", exists=False))
        else:  # closed or not yet open: the next cycle follows it all the same
            start, end = stored.start, stored.end
    # As carry-over picks it (following_cycle): the first open cycle after it, else a new one.
    later = sorted(
        (c for c in cycles if c.start > end and c.status == "open"), key=lambda c: (c.start, *cycle_order(c))
    )
    if later:
        offer.append(CycleOffer(later[0].name, later[0].start, later[0].end, "next"))
    else:
        name, start, end = calc.following_cycle(name, start, end)
        stored = next((c for c in cycles if c.name == name), None)
        if stored is None:
            offer.append(CycleOffer(name, start, end, "next", exists=False))
        else:  # stored but not open: offered, and saving says to reopen it
            offer.append(CycleOffer(name, stored.start, stored.end, "next"))
    return tuple(offer)


def offered_cycle(session: Session, name: str, today: date) -> Cycle:
    """The cycle called `name` among those offered for a new OKR, created when it is a next
    cycle not stored yet; a closed cycle takes no new objective."""
    offer = next((o for o in offered_cycles(session, today) if o.name == name), None)
    if offer is None:
        choices = " or ".join(o.name for o in offered_cycles(session, today))
        raise InvalidInput("cycle", f"choose {choices}: a new OKR starts in the current cycle or the next")
    cycle = session.exec(select(Cycle).where(col(Cycle.name) == name)).first()
    if cycle is None:
        cycle = Cycle(name=offer.name, start=offer.start, end=offer.end, status="open")
        session.add(cycle)
        session.flush()
    elif cycle.status != "open":
        raise InvalidInput(
            "cycle", f"{name} is {cycle.status}: reopen it first (OKRs, y: cycles, r) or choose another cycle"
        )
    return cycle


def next_code(session: Session, column: Any, prefix: str) -> str:
    """The first free code `prefix1`, `prefix2`, … for a new objective or key result."""
    taken = set(session.exec(select(column).where(column.startswith(prefix))).all())
    number = 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def next_objective_code(session: Session, cycle: Cycle) -> str:
    """The next objective code of a cycle, in the style its objectives already use (Q4-O3 → Q4-O4)."""
    prefixes = {
        match.group(1)
        for code in session.exec(select(col(Objective.code)).where(col(Objective.cycle_id) == cycle.id))
        if (match := re.fullmatch(r"(.*-O)\d+", code))
    }
    prefix = prefixes.pop() if len(prefixes) == 1 else f"{cycle.name}-O"
    return next_code(session, col(Objective.code), prefix)


def locate_key_result(
    session: Session, code: str, today: date
) -> tuple[ObjectiveRow, CycleInfo, KeyResultRow]:
    # The key result's objective and cycle in one query (on a server, each query is a round trip).
    found = session.exec(
        select(Objective, Cycle)
        .join(KeyResult, col(KeyResult.objective_id) == col(Objective.id))
        .join(Cycle, col(Cycle.id) == col(Objective.cycle_id))
        .where(col(KeyResult.code) == code)
    ).first()
    if found is None:
        raise NotFound(f"no key result with code “{code}”")
    objective, stored_cycle = found
    cycle = cycle_info(stored_cycle, today)
    (row,) = objective_rows(session, cycle, today, include_archived=True, only=objective.code)
    return row, cycle, next(kr for kr in row.key_results if kr.code == code)


def following_cycle(session: Session, cycle: Cycle) -> tuple[str, Cycle | None]:
    """The cycle that comes next (an existing one, or the name of the quarter to create)."""
    existing = session.exec(
        select(Cycle)
        .where(col(Cycle.start) > cycle.end, col(Cycle.status) == "open")
        .order_by(col(Cycle.start))
    ).first()
    if existing is not None:
        return existing.name, existing
    name, _, _ = calc.following_quarter(cycle.end)
    return name, session.exec(select(Cycle).where(col(Cycle.name) == name)).first()


def carry_objectives(session: Session, codes: list[str], today: date) -> tuple[str, tuple[str, ...]]:
    """Copy objectives of one cycle into the next one (created when missing), in the caller's
    transaction: each copy links to its original, its key results start from their last value.
    An objective carried over once already is skipped. Returns the cycle's name and the new codes."""
    originals = [find_objective(session, code) for code in codes]
    if not originals:
        return "", ()
    if len({o.cycle_id for o in originals}) > 1:
        raise InvalidInput("objectives", "carry over the objectives of one cycle at a time")
    source = found_by_id(session, Cycle, originals[0].cycle_id, "no such cycle")
    name, target = following_cycle(session, source)
    if target is None:
        _, start, end = calc.following_quarter(source.end)
        target = Cycle(name=name, start=start, end=end, status="open")
        session.add(target)
        session.flush()
    elif target.status != "open":
        raise InvalidInput("cycle", f"{name} is {target.status}; reopen it to carry objectives into it")
    created = []
    copies: dict[int, Objective] = {}
    for original in originals:
        if session.exec(select(Objective).where(col(Objective.carried_from_id) == original.id)).first():
            continue  # already carried over once
        code = next_objective_code(session, target)
        copy = Objective(
            code=code,
            title=original.title,
            cycle_id=ident(target),
            owner=original.owner,
            strategic_goal_id=original.strategic_goal_id,
            parent_id=original.parent_id,
            carried_from_id=original.id,
            status="active",
        )
        session.add(copy)
        session.flush()
        copies[ident(original)] = copy
        key_results = session.exec(
            select(KeyResult)
            .where(col(KeyResult.objective_id) == original.id, col(KeyResult.archived) == false())
            .order_by(col(KeyResult.code))
        ).all()
        for number, kr in enumerate(key_results, start=1):
            last = session.exec(
                select(col(CheckIn.value))
                .where(col(CheckIn.key_result_id) == kr.id)
                .order_by(col(CheckIn.on).desc(), col(CheckIn.id).desc())
            ).first()
            session.add(
                KeyResult(
                    code=f"{code}-KR{number}",
                    title=kr.title,
                    objective_id=ident(copy),
                    created=today,
                    kind=kr.kind,
                    unit=kr.unit,
                    baseline=calc.carried_baseline(kr.kind, kr.baseline, last),
                    target=kr.target,
                    band_low=kr.band_low,
                    band_high=kr.band_high,
                    weight=kr.weight,
                    owner=kr.owner,
                    kpi_id=kr.kpi_id,
                )
            )
        created.append(code)
    # A parent carried over in the same go: the copy sits under the parent's copy.
    for copy in copies.values():
        if copy.parent_id in copies:
            copy.parent_id = copies[copy.parent_id].id
    return target.name, tuple(created)
