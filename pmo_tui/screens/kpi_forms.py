"""The forms of the KPI area: a KPI's definition and a measurement, checked field by field."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from pmo_tui.calculations import CADENCE_DAYS
from pmo_tui.failures import explain
from pmo_tui.formatting import format_number, plain_number
from pmo_tui.records import GoalOption, KpiDetail
from pmo_tui.screens.dialogs import Based, ConfirmScreen, FormField, FormScreen, values_of
from pmo_tui.store import NotFound, PeriodTaken
from pmo_tui.validation import (
    KPI_SOURCES,
    InvalidInput,
    accepts,
    check_kpi_definition,
    measurement_period,
    parse_date,
    parse_number,
    parse_text,
)

if TYPE_CHECKING:
    from pmo_tui.app import PmoApp

Parsed = TypeVar("Parsed")

SOURCE_LABELS = {
    "entered": "entered by hand",
    "on_time_pct": "projects on time %",
    "within_budget_pct": "projects within budget %",
    "spi": "portfolio SPI",
    "cpi": "portfolio CPI",
    "roi_pct": "portfolio ROI %",
    "aligned_pct": "projects aligned to a goal %",
    "change_requests_per_project": "change requests per project",
    "open_risks": "open risks",
    "overdue_raid_actions": "overdue RAID actions",
}


def kpi_form(
    app: PmoApp,
    goals: tuple[GoalOption, ...],
    detail: KpiDetail | None = None,
    saved: Callable[[str], None] | None = None,
) -> FormScreen:
    """The form that creates a KPI, or edits `detail`'s definition; `saved` hears the code."""
    kpi = detail.summary if detail else None
    goal_choices = (
        ("none", ""),
        *((g.name, g.code) for g in goals if g.active or (detail and g.code == detail.goal_code)),
    )

    def fields_for(detail: KpiDetail | None) -> list[FormField]:
        kpi = detail.summary if detail else None
        return [
            FormField("code", "Code", kpi.code if kpi else "", placeholder="e.g. ONTIME"),
            FormField("name", "Name", kpi.name if kpi else "", placeholder="e.g. Projects on time"),
            FormField(
                "description",
                "Description",
                detail.description if detail else "",
                hint="How it is measured, so anyone gets the same number",
            ),
            FormField("unit", "Unit", kpi.unit if kpi else "", placeholder="%, ratio, count, days…"),
            FormField(
                "direction",
                "Better when",
                kpi.direction if kpi else "higher",
                choices=(("higher", "higher"), ("lower", "lower")),
            ),
            FormField(
                "target", "Target", plain_number(kpi.target) if kpi else "", hint=f"{accepts()} (optional)"
            ),
            FormField(
                "warning",
                "Warning line",
                plain_number(kpi.warning) if kpi else "",
                hint=f"{accepts()} (optional): between target and warning is amber; beyond it red",
            ),
            FormField(
                "band_low",
                "Band from",
                plain_number(kpi.band_low) if kpi else "",
                hint="Or a target band in place of a target (e.g. 75 to 85): inside green, outside red",
            ),
            FormField(
                "band_high",
                "Band to",
                plain_number(kpi.band_high) if kpi else "",
                hint="Both bounds or neither; above the band is as bad as below it",
            ),
            FormField(
                "indicator",
                "Indicator",
                kpi.indicator if kpi else "lagging",
                choices=(("lagging (reports)", "lagging"), ("leading (predicts)", "leading")),
            ),
            FormField(
                "nature",
                "Nature",
                detail.nature if detail else "quantitative",
                choices=(("quantitative", "quantitative"), ("qualitative", "qualitative")),
            ),
            FormField("owner", "Owner", kpi.owner if kpi else ""),
            FormField(
                "cadence",
                "Cadence",
                kpi.cadence if kpi else "monthly",
                choices=tuple((c, c) for c in CADENCE_DAYS),
            ),
            FormField(
                "goal", "Strategic goal", detail.goal_code or "" if detail else "", choices=goal_choices
            ),
            FormField(
                "source",
                "Source",
                kpi.source if kpi else "entered",
                choices=tuple((SOURCE_LABELS[s], s) for s in KPI_SOURCES),
            ),
        ]

    fields = fields_for(detail)
    based = None
    if detail is not None:

        def reread(code: str = detail.summary.code) -> tuple[dict[str, str], int]:
            stored = app.store.kpi_detail(code, app.today)
            return values_of(fields_for(stored)), stored.version

        based = Based(detail.version, reread)
    goal_codes = {g.code for g in goals}
    original = kpi.code if kpi else None

    async def save(values: dict[str, str]) -> dict[str, str]:
        definition, errors = check_kpi_definition(values, goal_codes)
        if definition is None:
            return errors
        try:
            await asyncio.to_thread(
                app.store.save_kpi,
                definition,
                original_code=original,
                today=app.today,
                expected_version=based.version if based else None,
            )
        except InvalidInput as error:
            return {error.field: error.message}
        app.notify(f"KPI {definition.code} saved.", markup=False)
        if saved:
            saved(definition.code)
        return {}

    title = f"Edit KPI {kpi.code}" if kpi else "New KPI"
    return FormScreen(title, fields, save, based=based)


def measurement_form(app: PmoApp, detail: KpiDetail, period: date | None = None) -> FormScreen:
    """Add a measurement, or correct the one of `period`."""
    kpi = detail.summary
    existing = next((m for m in detail.measurements if m.period == period), None)
    based = None
    if existing is not None:

        def reread(code: str = kpi.code, period: date = existing.period) -> tuple[dict[str, str], int]:
            stored = next(
                (m for m in app.store.kpi_detail(code, app.today).measurements if m.period == period), None
            )
            if stored is None:
                raise NotFound(f"{code} has no measurement for {period.isoformat()} (deleted meanwhile?)")
            return {"period": period.isoformat(), "value": plain_number(stored.value), "note": stored.note}, (
                stored.version
            )

        based = Based(existing.version, reread)
    fields = [
        FormField(
            "period",
            "Period end",
            (existing.period if existing else detail.record_period).isoformat(),
            hint=f"Any day of the {kpi.cadence} period the value stands for, up to the current "
            "one; it is stored on the period's last day",
        ),
        FormField(
            "value",
            f"Value ({kpi.unit})" if kpi.unit else "Value",
            plain_number(existing.value) if existing else "",
            hint=accepts(),
        ),
        FormField("note", "Note", existing.note if existing else ""),
    ]

    async def save(values: dict[str, str]) -> dict[str, str]:
        errors: dict[str, str] = {}

        def parsed(name: str, parse: Callable[[str], Parsed]) -> Parsed | None:
            """The field's value, or None and its message in `errors`: every field is checked."""
            try:
                return parse(values[name])
            except InvalidInput as error:
                errors[name] = error.message
                return None

        # A typed day is taken to the end of its period, as the command line and the CSV import
        # take it: a KPI never holds two values for one period.
        new_period = parsed(
            "period", lambda t: measurement_period(parse_date(t, "period"), kpi.cadence, app.today)
        )
        value = parsed("value", lambda t: parse_number(t, "value"))
        note = parsed("note", lambda t: parse_text(t, "note", limit=500))
        if new_period is None or value is None or note is None:
            return errors
        try:
            if existing is None:
                await asyncio.to_thread(
                    app.store.add_measurement, kpi.code, new_period, value, note, today=app.today
                )
            else:
                await asyncio.to_thread(
                    app.store.correct_measurement,
                    kpi.code,
                    existing.period,
                    new_period,
                    value,
                    note,
                    today=app.today,
                    expected_version=based.version if based else None,
                )
        except InvalidInput as error:
            return {error.field: error.message}
        except PeriodTaken as taken:
            moved = (
                f" (the value of {existing.period.isoformat()} moves there)" if existing is not None else ""
            )
            replace = await app.push_screen_wait(
                ConfirmScreen(
                    f"{kpi.code} already has {format_number(taken.value, 2)} for "
                    f"{taken.period.isoformat()}. Replace it with {format_number(value, 2)}{moved}?",
                    yes="Replace",
                    no="Keep the old value",
                )
            )
            if not replace:
                return {"period": f"{taken.period.isoformat()} already has a value; nothing was changed"}
            try:
                if existing is None:
                    await asyncio.to_thread(
                        app.store.add_measurement,
                        kpi.code,
                        new_period,
                        value,
                        note,
                        replace=True,
                        today=app.today,
                    )
                else:
                    await asyncio.to_thread(
                        app.store.correct_measurement,
                        kpi.code,
                        existing.period,
                        new_period,
                        value,
                        note,
                        today=app.today,
                        replace=True,
                        expected_version=based.version if based else None,
                    )
            except InvalidInput as error:
                return {error.field: error.message}
        except NotFound as error:
            return {"": explain(error)}  # "deleted by another session": failures.explain
        app.notify(
            f"{kpi.code}: {format_number(value, 2)} recorded for {new_period.isoformat()}.", markup=False
        )
        return {}

    title = (
        f"{kpi.code}: correct the measurement of {existing.period.isoformat()}"
        if existing
        else f"{kpi.code}: add a measurement"
    )
    return FormScreen(title, fields, save, based=based)
