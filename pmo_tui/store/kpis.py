"""KPIs and their measurements."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from pmo_tui import calculations as calc
from pmo_tui.formatting import plain_number
from pmo_tui.models import (
    Kpi,
    Measurement,
    StrategicGoal,
)
from pmo_tui.records import (
    GoalOption,
    KpiDetail,
    KpiSummary,
    MeasurementRecord,
)
from pmo_tui.store.common import (
    changed_fields,
    check_version,
    find_kpi,
    goal_id_for,
    ident,
    log_change,
    log_edit,
)
from pmo_tui.store.database import Database
from pmo_tui.store.errors import NotFound, PeriodTaken
from pmo_tui.store.overview import (
    TILE_HISTORY,
    kpi_summary,
    project_rows,
    summaries,
)
from pmo_tui.validation import (
    InvalidInput,
    KpiDefinition,
    measurement_period,
)


class KpiStore(Database):
    """KPIs: definitions, measurements, reviews."""

    def kpi_summaries(self, today: date, *, include_retired: bool = False) -> tuple[KpiSummary, ...]:
        """Every KPI (active ones only unless asked) with its latest value and status."""
        with self._reading() as session:
            query = select(Kpi).order_by(col(Kpi.code))
            if not include_retired:
                query = query.where(col(Kpi.active) == true())
            return summaries(session, session.exec(query).all(), today)

    def goal_options(self) -> tuple[GoalOption, ...]:
        with self._reading() as session:
            goals = session.exec(select(StrategicGoal).order_by(col(StrategicGoal.code))).all()
            return tuple(GoalOption(g.code, g.name, g.active) for g in goals)

    def kpi_detail_and_goals(self, code: str, today: date) -> tuple[KpiDetail, tuple[GoalOption, ...]]:
        """kpi_detail and goal_options (its edit form's choices) in one read transaction."""
        with self._reading():
            return self.kpi_detail(code, today), self.goal_options()

    def kpi_detail(self, code: str, today: date) -> KpiDetail:
        """One KPI with its whole history, SMART check, forecast and (if derived) today's figure."""
        with self._reading() as session:
            # The KPI and its goal in one query (on a server, each query is a round trip).
            row = session.exec(
                select(Kpi, StrategicGoal)
                .outerjoin(StrategicGoal, col(StrategicGoal.id) == col(Kpi.strategic_goal_id))
                .where(col(Kpi.code) == code)
            ).first()
            if row is None:
                raise NotFound(f"no KPI with code {code!r}")
            kpi, goal = row
            # Plain columns: ten years of weekly values need no ORM objects.
            measurements = tuple(
                MeasurementRecord(period, value, note, by, version)
                for period, value, note, by, version in session.connection().execute(
                    sa_select(
                        col(Measurement.period),
                        col(Measurement.value),
                        col(Measurement.note),
                        col(Measurement.by),
                        col(Measurement.version),
                    )
                    .where(col(Measurement.kpi_id) == kpi.id)
                    .order_by(col(Measurement.period))
                )
            )
            points = [(m.period, m.value) for m in measurements]
            summary = kpi_summary(
                kpi, points[-TILE_HISTORY:], {ident(goal): goal.name} if goal else {}, today
            )
            derived = None
            if kpi.source in calc.DERIVED_SOURCES:
                figures, _ = project_rows(session, today)
                derived = calc.derived_kpi_value(kpi.source, figures)
            subject = calc.SmartSubject(
                name=kpi.name,
                description=kpi.description,
                unit=kpi.unit,
                owner=kpi.owner,
                target=kpi.target,
                direction=kpi.direction,
                goal=goal.name if goal else None,
                cadence=kpi.cadence,
                values=tuple(m.value for m in measurements),
                last_period=summary.last_period,
                every_days=kpi.cadence_days,
                band=calc.kpi_band(kpi.band_low, kpi.band_high),
            )
            return KpiDetail(
                summary=summary,
                description=kpi.description,
                nature=kpi.nature,
                goal_code=goal.code if goal else None,
                last_reviewed=kpi.last_reviewed,
                measurements=measurements,
                smart=calc.smart_check(subject, today),
                derived_value=derived,
                forecast=forecast_to_quarter_end(points, kpi.cadence, today),
                record_period=calc.period_end(today, kpi.cadence),
                version=kpi.version,
            )

    def add_measurement(
        self,
        code: str,
        period: date,
        value: float,
        note: str = "",
        *,
        replace: bool = False,
        today: date | None = None,
        expected_version: int | None = None,
    ) -> None:
        """Store one value for the period holding `period` (any of its days: the value is stored on
        the period's last day); an existing value is replaced only when asked, and only while it
        is at `expected_version` when given (else Conflict). A period after the
        current one (the one holding `today`, by default the real today) is refused."""
        check_measurement_value(value)
        with self._writing() as session:
            kpi = find_kpi(session, code)
            period = measurement_period(period, kpi.cadence, today or date.today())
            existing = session.exec(
                select(Measurement).where(
                    col(Measurement.kpi_id) == kpi.id, col(Measurement.period) == period
                )
            ).first()
            if existing is not None and not replace:
                raise PeriodTaken(code, period, existing.value)
            if existing is not None:
                check_version(
                    existing,
                    expected_version,
                    f"{code}'s measurement for {period.isoformat()}",
                    session,
                    "measurement",
                    code,
                )
            if existing is not None:
                existing.value, existing.note, existing.by = value, note, self.user
            else:
                session.add(
                    Measurement(kpi_id=ident(kpi), period=period, value=value, note=note, by=self.user)
                )
            log_change(
                session,
                self.user,
                "measurement",
                code,
                "measured",
                f"{plain_number(value)} for {period.isoformat()}",
            )

    def correct_measurement(
        self,
        code: str,
        period: date,
        new_period: date,
        value: float,
        note: str,
        *,
        today: date | None = None,
        replace: bool = False,
        expected_version: int | None = None,
    ) -> None:
        """Change a past measurement; `new_period` is taken to the end of its period, like a new
        value's. Moving it after the current period is refused, and onto a period that has a value
        too, unless asked to replace that value (in the same transaction). Refused with Conflict
        when the measurement is no longer at `expected_version` (the version the form opened
        with). The corrector becomes its `by`; the change log keeps who measured it first."""
        check_measurement_value(value)
        with self._writing() as session:
            kpi = find_kpi(session, code)
            new_period = measurement_period(new_period, kpi.cadence, today or date.today())
            rows = {
                m.period: m
                for m in session.exec(
                    select(Measurement).where(
                        col(Measurement.kpi_id) == kpi.id, col(Measurement.period).in_([period, new_period])
                    )
                )
            }
            if period not in rows:
                raise NotFound(f"{code} has no measurement for {period.isoformat()}")
            check_version(
                rows[period],
                expected_version,
                f"{code}'s measurement for {period.isoformat()}",
                session,
                "measurement",
                code,
            )
            if new_period != period and new_period in rows:
                if not replace:
                    raise PeriodTaken(code, new_period, rows[new_period].value)
                session.delete(rows[new_period])
                session.flush()  # the period is free before the corrected value moves onto it
            measurement = rows[period]
            measurement.period, measurement.value, measurement.note = new_period, value, note
            fields = changed_fields(measurement)
            if fields:
                was = f" (measured by {measurement.by})" if measurement.by not in ("", self.user) else ""
                measurement.by = self.user
                log_change(
                    session,
                    self.user,
                    "measurement",
                    code,
                    "corrected the measurement of",
                    f"{period.isoformat()}: {', '.join(fields)}{was}",
                )

    def delete_measurement(self, code: str, period: date) -> None:
        with self._writing() as session:
            kpi = find_kpi(session, code)
            measurement = session.exec(
                select(Measurement).where(
                    col(Measurement.kpi_id) == kpi.id, col(Measurement.period) == period
                )
            ).first()
            if measurement is None:
                raise NotFound(f"{code} has no measurement for {period.isoformat()}")
            session.delete(measurement)
            log_change(
                session, self.user, "measurement", code, "deleted the measurement of", period.isoformat()
            )

    def save_kpi(
        self,
        definition: KpiDefinition,
        *,
        original_code: str | None = None,
        today: date | None = None,
        expected_version: int | None = None,
    ) -> None:
        """Create a KPI, or change the definition of the one called `original_code`.

        A new cadence moves each value to the last day of its period of that cadence; two values
        that would share a period, or one whose period would come after the current one (that
        holding `today`, by default the real today), refuse the change."""
        with self._writing() as session:
            clash = session.exec(select(Kpi).where(col(Kpi.code) == definition.code)).first()
            if clash is not None and definition.code != original_code:
                raise InvalidInput("code", f"{definition.code} is already used by “{clash.name}”")
            goal_id = goal_id_for(session, definition.goal)
            kpi = find_kpi(session, original_code) if original_code else Kpi(code=definition.code, name="")
            if kpi.id is not None:
                check_version(kpi, expected_version, f"KPI {kpi.code}", session, "kpi", kpi.code)
            if kpi.id is not None and kpi.cadence != definition.cadence:
                move_to_cadence(session, kpi, definition.cadence, today or date.today())
            for field in (
                "code",
                "name",
                "description",
                "unit",
                "direction",
                "target",
                "warning",
                "band_low",
                "band_high",
                "indicator",
                "nature",
                "owner",
                "cadence",
                "source",
            ):
                setattr(kpi, field, getattr(definition, field))
            kpi.cadence_days = calc.cadence_days(definition.cadence)
            kpi.strategic_goal_id = goal_id
            if kpi.id is None:
                log_change(session, self.user, "kpi", kpi.code, "created", kpi.name)
            else:
                log_edit(session, self.user, kpi, "kpi", kpi.code)
            session.add(kpi)

    def latest_measurers(self) -> dict[str, str]:
        """Who made each KPI's latest measurement, by KPI code ("" when not known)."""
        latest = (
            sa_select(func.max(col(Measurement.period)))
            .where(col(Measurement.kpi_id) == col(Kpi.id))
            .correlate(Kpi)
            .scalar_subquery()
        )
        with self._reading() as session:
            rows = session.execute(
                sa_select(col(Kpi.code), col(Measurement.by))
                .join(Measurement, col(Measurement.kpi_id) == col(Kpi.id))
                .where(col(Measurement.period) == latest)
            ).all()
        return {code: by for code, by in rows}

    def mark_kpi_reviewed(self, code: str, on: date) -> None:
        with self._writing() as session:
            kpi = find_kpi(session, code)
            kpi.last_reviewed = on
            log_change(session, self.user, "kpi", code, "reviewed", on.isoformat())

    def set_kpi_active(self, code: str, active: bool) -> None:
        """Retire a KPI (its history stays) or bring it back."""
        with self._writing() as session:
            kpi = find_kpi(session, code)
            kpi.active = active
            if changed_fields(kpi):
                log_change(session, self.user, "kpi", code, "brought back" if active else "retired")


def move_to_cadence(session: Session, kpi: Kpi, cadence: str, today: date) -> None:
    """A KPI's values moved to the last day of their period of a new cadence, one per period."""
    held: dict[date, date] = {}
    moves = []
    for measurement in session.exec(
        select(Measurement).where(col(Measurement.kpi_id) == kpi.id).order_by(col(Measurement.period))
    ).all():
        try:
            end = measurement_period(measurement.period, cadence, today, "cadence")
        except InvalidInput as error:
            raise InvalidInput(
                "cadence", f"the value of {measurement.period.isoformat()}: {error.message}"
            ) from None
        if end in held:
            raise InvalidInput(
                "cadence",
                (
                    f"the values of {held[end].isoformat()} and {measurement.period.isoformat()} would "
                    f"share the {cadence} period ending {end.isoformat()} (one value per period): keep "
                    f"the {kpi.cadence} cadence, or delete one of them first"
                ),
            )
        held[end] = measurement.period
        if end != measurement.period:
            moves.append((measurement, end))
    for measurement, end in moves:
        measurement.period = end


def latest_measurements(session: Session, kpi_codes: set[str]) -> dict[str, tuple[date, float]]:
    """Each KPI's latest (period, value)."""
    if not kpi_codes:
        return {}
    newest = (
        select(col(Kpi.code).label("code"), func.max(col(Measurement.period)).label("period"))
        .join(Measurement, col(Measurement.kpi_id) == col(Kpi.id))
        .where(col(Kpi.code).in_(kpi_codes))
        .group_by(col(Kpi.code))
        .subquery()
    )
    rows = session.execute(
        sa_select(newest.c.code, col(Measurement.period), col(Measurement.value))
        .join(Kpi, col(Kpi.code) == newest.c.code)
        .join(
            Measurement,
            (col(Measurement.kpi_id) == col(Kpi.id)) & (col(Measurement.period) == newest.c.period),
        )
    ).all()
    return {code: (period, value) for code, period, value in rows}


def check_measurement_value(value: float) -> None:
    if not calc.is_number(value):
        raise InvalidInput("value", "enter a finite number")


def forecast_to_quarter_end(
    points: list[tuple[date, float]], cadence: str, today: date
) -> tuple[tuple[date, float], ...]:
    """The straight line through the last measurements, at each period end up to the quarter's end."""
    recent = points[-6:]
    if len(recent) < 2:
        return ()
    horizon = calc.quarter_end(today)
    result: list[tuple[date, float]] = []
    day = recent[-1][0]
    while True:
        day = calc.period_end(day + timedelta(days=1), cadence)
        if day > horizon or len(result) > 60:
            break
        value = calc.forecast(recent, day)
        if value is not None:
            result.append((day, value))
    return tuple(result)
