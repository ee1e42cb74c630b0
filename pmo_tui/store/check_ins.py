"""Check-ins of key results and the weekly check-in queue."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from pmo_tui import calculations as calc
from pmo_tui.formatting import format_confidence, format_percent, plain_number
from pmo_tui.models import (
    CheckIn,
    Cycle,
    KeyResult,
    Objective,
)
from pmo_tui.records import (
    CheckInItem,
    ImportSummary,
)
from pmo_tui.store.common import (
    changed_fields,
    check_unchanged_since,
    check_version,
    found_by_id,
    ident,
    log_change,
)
from pmo_tui.store.database import Database
from pmo_tui.store.errors import NotFound
from pmo_tui.store.kpis import latest_measurements
from pmo_tui.store.okrs import locate_key_result
from pmo_tui.store.overview import (
    current_cycles,
    objective_rows,
)
from pmo_tui.validation import (
    InvalidInput,
    check_check_in_day,
    check_milestone_value,
)

if TYPE_CHECKING:
    from pmo_tui.check_ins_csv import CheckInRow


class _DryRun(Exception):
    """Carries a dry run's counts out of the transaction it undoes."""

    def __init__(self, summary: ImportSummary) -> None:
        super().__init__("dry run")
        self.summary = summary


class CheckInStore(Database):
    """Check-ins."""

    def check_in_queue(
        self, today: date, *, owner: str | None = None, codes: list[str] | None = None
    ) -> tuple[CheckInItem, ...]:
        """The key results to walk in a check-in: those due this week in each current cycle that
        is open, cycle by cycle as the overview lists them (only one owner's when asked), or
        exactly `codes`, in that order."""
        with self._reading() as session:
            if codes:
                rows = []
                for code in codes:
                    objective, cycle, row = locate_key_result(session, code, today)
                    rows.append((objective.title, objective.owner, cycle, row))
            else:
                rows = [
                    (objective.title, objective.owner, cycle, kr)
                    for cycle in current_cycles(session, today)
                    if cycle.status == "open"
                    for objective in objective_rows(session, cycle, today)
                    if objective.status == "active"
                    for kr in objective.key_results
                    if kr.due and (owner is None or calc.same_person(kr.owner or objective.owner, owner))
                ]
            kpi_codes = {kr.kpi_code for _, _, _, kr in rows if kr.kpi_code is not None}
            latest = latest_measurements(session, kpi_codes)
            items = []
            for title, objective_owner, cycle, kr in rows:
                measured = latest.get(kr.kpi_code) if kr.kpi_code else None
                numeric = kr.kind in ("increase", "decrease")
                trend_known = numeric and len(kr.check_ins) >= 2
                direction = "lower" if kr.kind == "decrease" else "higher"
                items.append(
                    CheckInItem(
                        key_result=kr,
                        objective_title=title,
                        expected=cycle.elapsed,
                        value_needed=calc.value_on_pace(kr.kind, kr.baseline, kr.target, cycle.elapsed),
                        kpi_value=measured[1] if measured else None,
                        kpi_period=measured[0] if measured else None,
                        cycle_end=cycle.end,
                        cycle=cycle.name,
                        target_date=calc.date_target_reached(
                            [(c.on, c.value) for c in kr.check_ins], kr.target, direction, today
                        )
                        if trend_known
                        else None,
                        trend_known=trend_known,
                        owner=kr.owner or objective_owner,
                    )
                )
            return tuple(items)

    def record_check_in(
        self,
        code: str,
        on: date,
        value: float,
        confidence: float,
        comment: str = "",
        *,
        today: date | None = None,
        expected_version: int | None = None,
    ) -> None:
        """One check-in of a key result; a second one on the same day replaces the first (refused
        with Conflict when that one is no longer at `expected_version`, the version the caller
        read).

        The day lies within the key result's cycle and is not after `today` (by default the real
        today); a milestone takes 0 or 1."""
        check_check_in_values(value, confidence)
        with self._writing() as session:
            key_result, cycle, same_day = check_in_target(session, code, on)
            check_check_in_rules(key_result, cycle, on, value, today)
            if same_day is not None:
                check_version(
                    same_day,
                    expected_version,
                    f"{code}'s check-in of {on.isoformat()}",
                    session,
                    "check_in",
                    code,
                )
            check_in = same_day or CheckIn(
                key_result_id=ident(key_result), on=on, value=value, confidence=confidence
            )
            check_in.value, check_in.confidence, check_in.comment = value, confidence, comment
            check_in.by = self.user
            session.add(check_in)
            log_change(
                session,
                self.user,
                "check_in",
                code,
                "checked in",
                check_in_words(key_result, value, confidence),
            )

    def import_check_ins(
        self,
        rows: list[CheckInRow],
        *,
        dry_run: bool = False,
        today: date | None = None,
        based_on: int | None = None,
    ) -> ImportSummary:
        """Check-ins from a checked CSV (check_ins_csv), in one transaction, each by the rules of a
        check-in typed in the app (record_check_in): the day within the key result's cycle and not
        after `today`, a milestone's 0 or 1, one check-in per key result and day (a day that has
        one gets the new one). Without a confidence, the key result's last one is kept; without
        `by`, the check-in is the user working's. The first row refused rejects the whole file
        with its line and column (PortfolioFileError), the database unchanged. With `based_on`,
        anyone's change after that change of the log refuses it (Conflict), as for a portfolio file."""
        from pmo_tui.portfolio_file import PortfolioFileError

        added = replaced = 0
        try:
            with self._writing() as session:
                check_unchanged_since(session, based_on, "the portfolio")
                key_results: dict[str, KeyResult] = {}
                for row in rows:
                    where = f"line {row.line}"
                    key_result = key_results.get(row.key_result)
                    if key_result is None:
                        key_result = session.exec(
                            select(KeyResult).where(col(KeyResult.code) == row.key_result)
                        ).first()
                        if key_result is None:
                            raise PortfolioFileError(
                                where, f"column key_result: no key result with code “{row.key_result}”"
                            )
                        key_results[row.key_result] = key_result
                    confidence = row.confidence
                    if confidence is None:
                        # As `pmo checkin` keeps it: the confidence of the check-in before this one.
                        last = session.exec(
                            select(CheckIn)
                            .where(col(CheckIn.key_result_id) == key_result.id, col(CheckIn.on) <= row.on)
                            .order_by(col(CheckIn.on).desc())
                        ).first()
                        if last is None:
                            raise PortfolioFileError(
                                where,
                                f"column confidence: {row.key_result} has no check-in before "
                                f"{row.on.isoformat()}; give a confidence 0-10",
                            )
                        confidence = last.confidence
                    try:
                        check_check_in_values(row.value, confidence)
                        check_check_in(session, key_result, row.on, row.value, today)
                    except InvalidInput as error:
                        raise PortfolioFileError(where, f"column {error.field}: {error.message}") from None
                    same_day = session.exec(
                        select(CheckIn).where(
                            col(CheckIn.key_result_id) == key_result.id, col(CheckIn.on) == row.on
                        )
                    ).first()
                    by = row.by or self.user
                    if same_day is None:
                        added += 1
                        same_day = CheckIn(
                            key_result_id=ident(key_result), on=row.on, value=row.value, confidence=confidence
                        )
                    else:
                        replaced += 1
                    same_day.value, same_day.confidence, same_day.comment = row.value, confidence, row.comment
                    same_day.by = by
                    session.add(same_day)
                    log_change(
                        session,
                        by,
                        "check_in",  # the record kind of every check-in's change (record_check_in)
                        row.key_result,
                        "checked in",
                        f"{plain_number(row.value)} · {format_confidence(confidence)} on {row.on.isoformat()}",
                    )
                summary = ImportSummary({"check-ins": added}, {"check-ins": replaced})
                if dry_run:
                    raise _DryRun(summary)
        except _DryRun as rolled_back:
            return rolled_back.summary
        return summary

    def correct_check_in(
        self,
        check_in_id: int,
        on: date,
        value: float,
        confidence: float,
        comment: str,
        *,
        today: date | None = None,
        expected_version: int | None = None,
    ) -> None:
        """Change a past check-in; moving it onto a day that already has one is refused, and the
        day and value obey the rules of a new check-in (see record_check_in). Refused with
        Conflict when the check-in is no longer at `expected_version` (the version the form
        opened with). The corrector becomes its `by`: the figures are theirs now; the change log
        keeps who checked in first."""
        check_check_in_values(value, confidence)
        with self._writing() as session:
            check_in = found_by_id(session, CheckIn, check_in_id, "that check-in no longer exists")
            key_result = found_by_id(
                session, KeyResult, check_in.key_result_id, "that key result no longer exists"
            )
            check_version(
                check_in,
                expected_version,
                f"{key_result.code}'s check-in of {check_in.on.isoformat()}",
                session,
                "check_in",
                key_result.code,
            )
            first_on = check_in.on
            check_check_in(session, key_result, on, value, today)
            clash = session.exec(
                select(CheckIn).where(
                    col(CheckIn.key_result_id) == check_in.key_result_id,
                    col(CheckIn.on) == on,
                    col(CheckIn.id) != check_in_id,
                )
            ).first()
            if clash is not None:
                raise InvalidInput("on", f"{on.isoformat()} already has a check-in; correct that one")
            check_in.on, check_in.value = on, value
            check_in.confidence, check_in.comment = confidence, comment
            fields = changed_fields(check_in)
            if fields:
                was = f" (checked in by {check_in.by})" if check_in.by not in ("", self.user) else ""
                check_in.by = self.user
                log_change(
                    session,
                    self.user,
                    "check_in",
                    key_result.code,
                    "corrected the check-in of",
                    f"{first_on.isoformat()}: {', '.join(fields)}{was}",
                )

    def delete_check_in(self, check_in_id: int) -> None:
        with self._writing() as session:
            check_in = found_by_id(session, CheckIn, check_in_id, "that check-in no longer exists")
            key_result = session.get(KeyResult, check_in.key_result_id)
            session.delete(check_in)
            log_change(
                session,
                self.user,
                "check_in",
                key_result.code if key_result else "",
                "deleted the check-in of",
                check_in.on.isoformat(),
            )


def check_in_words(key_result: KeyResult, value: float, confidence: float) -> str:
    """A check-in in the change log's words: the progress it gives and the confidence, "55% · 7/10"."""
    progress = calc.key_result_progress(
        key_result.kind,
        key_result.baseline,
        key_result.target,
        [value],
        key_result.band_low,
        key_result.band_high,
    )
    return f"{format_percent(progress)} · {format_confidence(confidence)}"


def check_in_target(session: Session, code: str, on: date) -> tuple[KeyResult, Cycle, CheckIn | None]:
    """The key result coded `code`, its cycle, and its check-in on `on` if it has one: one query
    (on a server, each query is a round trip), or NotFound."""
    row = session.exec(
        select(KeyResult, Cycle, CheckIn)
        .join(Objective, col(Objective.id) == col(KeyResult.objective_id))
        .join(Cycle, col(Cycle.id) == col(Objective.cycle_id))
        .outerjoin(CheckIn, (col(CheckIn.key_result_id) == col(KeyResult.id)) & (col(CheckIn.on) == on))
        .where(col(KeyResult.code) == code)
    ).first()
    if row is None:
        raise NotFound(f"no key result with code “{code}”")
    key_result, cycle, same_day = row
    return key_result, cycle, same_day


def check_check_in(
    session: Session, key_result: KeyResult, on: date, value: float, today: date | None
) -> None:
    """The rules a check-in's day and value obey, whoever writes it (see validation)."""
    cycle = session.exec(
        select(Cycle)
        .join(Objective, col(Objective.cycle_id) == col(Cycle.id))
        .where(col(Objective.id) == key_result.objective_id)
    ).one()
    check_check_in_rules(key_result, cycle, on, value, today)


def check_check_in_rules(
    key_result: KeyResult, cycle: Cycle, on: date, value: float, today: date | None
) -> None:
    """The rules of check_check_in, the key result's cycle already read."""
    if cycle.status != "open":
        # Its scores were stored when it was closed: a check-in now would change none of them.
        raise InvalidInput(
            "on", f"{cycle.name} is {cycle.status}: its key results take no check-in (reopen the cycle first)"
        )
    check_check_in_day(on, today or date.today(), cycle.name, cycle.start, cycle.end)
    if key_result.kind == "milestone":
        check_milestone_value(value, "value")


def check_check_in_values(value: float, confidence: float) -> None:
    """The last guard before a check-in is written, whoever called."""
    if not calc.is_number(value):
        raise InvalidInput("value", "enter a finite number")
    if not calc.is_number(confidence) or not 0 <= confidence <= 1:
        raise InvalidInput("confidence", "must be between 0 and 10")
