"""Tests of the KPI part of pmo_tui.store on real SQLite files (the sample portfolio, never mocks).

"Changes nothing" is checked by dumping the tables through a plain sqlite3 connection before and after.
Facts of the sample portfolio used below (sample_data/portfolio.toml):
ONTIME is monthly, higher is better, derived from on_time_pct, 20 measurements 2025-03-31 .. 2026-10-31
(last 76.9, before it 78.0 on 2026-09-30), last reviewed 2026-10-14. UTIL's last value is for 2026-08-31
and its last review 2026-04-14; SAT and RAID were last reviewed 2026-07-08. RPTOT is retired.
"""

from __future__ import annotations

import dataclasses
import math
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from helpers import TODAY

from pmo_tui import calculations as calc
from pmo_tui.calculations import Status
from pmo_tui.store import NotFound, PeriodTaken, Store
from pmo_tui.validation import InvalidInput, KpiDefinition, check_kpi_definition

ACTIVE_CODES = ("ALIGN", "BUDGET", "CRPP", "ONTIME", "PIPE", "RAID", "RISKS", "ROI", "SAT", "SPI", "UTIL")
ALL_CODES = (
    "ALIGN",
    "BUDGET",
    "CRPP",
    "ONTIME",
    "PIPE",
    "RAID",
    "RISKS",
    "ROI",
    "RPTOT",
    "SAT",
    "SPI",
    "UTIL",
)
SMART_NAMES = ("Specific", "Measurable", "Achievable", "Relevant", "Time-bound")

# --------------------------------------------------------------------------- helpers


def dump(path: Path, table: str = "measurement") -> list[tuple]:
    """Every row of a table in a stable order, read through a plain sqlite3 connection."""
    connection = sqlite3.connect(path)
    try:
        columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
        order = ", ".join(f'"{c}"' for c in columns)
        return connection.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall()
    finally:
        connection.close()


def measurement_rows(path: Path, code: str) -> list[tuple[str, float, str]]:
    """(period, value, note) of one KPI's measurements, oldest first, straight from the file."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute(
            "SELECT m.period, m.value, m.note FROM measurement m JOIN kpi k ON k.id = m.kpi_id "
            "WHERE k.code = ? ORDER BY m.period",
            (code,),
        ).fetchall()
    finally:
        connection.close()


def summary(store: Store, code: str, *, include_retired: bool = False):
    return {s.code: s for s in store.kpi_summaries(TODAY, include_retired=include_retired)}[code]


def form(**changes: str) -> dict[str, str]:
    """A complete KPI form as the screen hands it over: every value a string."""
    fields = {
        "code": "LEAD",
        "name": "Lead time to approval",
        "description": "Days from a project proposal to its approval by the portfolio board.",
        "unit": "days",
        "direction": "lower",
        "target": "30",
        "warning": "45",
        "indicator": "leading",
        "nature": "quantitative",
        "owner": "Grace Whitfield",
        "cadence": "weekly",
        "goal": "G2",
        "source": "entered",
    }
    fields.update(changes)
    return fields


def definition(store: Store, **changes: str) -> KpiDefinition:
    goal_codes = {g.code for g in store.goal_options()}
    checked, errors = check_kpi_definition(form(**changes), goal_codes)
    assert errors == {}
    assert checked is not None
    return checked


# --------------------------------------------------------------------------- kpi_summaries & goals


def test_kpi_summaries_active_sorted_by_code(sample_store: Store) -> None:
    summaries = sample_store.kpi_summaries(TODAY)
    assert len(summaries) == 11
    assert tuple(s.code for s in summaries) == ACTIVE_CODES
    assert all(s.active for s in summaries)


def test_kpi_summaries_with_retired(sample_store: Store) -> None:
    summaries = sample_store.kpi_summaries(TODAY, include_retired=True)
    assert len(summaries) == 12
    assert tuple(s.code for s in summaries) == ALL_CODES
    retired = [s.code for s in summaries if not s.active]
    assert retired == ["RPTOT"]


def test_util_is_overdue(sample_store: Store) -> None:
    # Monthly: 31 days + grace 7 = 38; 2026-08-31 to 2026-11-20 is 30 + 31 + 20 = 81 days.
    util = summary(sample_store, "UTIL")
    assert util.last_period == date(2026, 8, 31)
    assert util.overdue is True
    assert util.status is Status.UNKNOWN


def test_ontime_is_not_overdue(sample_store: Store) -> None:
    # 2026-10-31 is 20 days before TODAY, within 38.
    ontime = summary(sample_store, "ONTIME")
    assert ontime.overdue is False
    assert ontime.value == pytest.approx(76.9)
    assert ontime.last_period == date(2026, 10, 31)
    # Higher is better, target 80, warning 70: 70 <= 76.9 < 80 is amber.
    assert ontime.status is Status.AMBER


@pytest.mark.parametrize(
    ("code", "overdue"),
    [
        ("UTIL", True),  # reviewed 2026-04-14: 220 days ago
        ("SAT", True),  # reviewed 2026-07-08: 23 + 31 + 30 + 31 + 20 = 135 days ago
        ("RAID", True),  # same day as SAT
        ("ONTIME", False),  # reviewed 2026-10-14: 17 + 20 = 37 days ago
    ],
)
def test_review_overdue_in_summaries(sample_store: Store, code: str, overdue: bool) -> None:
    assert summary(sample_store, code).review_overdue is overdue


def test_goal_options(sample_store: Store) -> None:
    goals = sample_store.goal_options()
    assert [g.code for g in goals] == ["G1", "G2", "G3", "G4"]
    assert goals[1].name == "Improve operational efficiency"


def test_empty_store_has_no_kpis(empty_store: Store) -> None:
    assert empty_store.kpi_summaries(TODAY) == ()
    assert empty_store.kpi_summaries(TODAY, include_retired=True) == ()
    assert empty_store.goal_options() == ()
    with pytest.raises(NotFound):
        empty_store.kpi_detail("ONTIME", TODAY)


# --------------------------------------------------------------------------- kpi_detail


def test_kpi_detail_ontime(sample_store: Store) -> None:
    detail = sample_store.kpi_detail("ONTIME", TODAY)
    assert detail.summary.code == "ONTIME"
    assert detail.goal_code == "G2"
    assert detail.summary.goal == "Improve operational efficiency"
    assert detail.last_reviewed == date(2026, 10, 14)
    assert detail.nature == "quantitative"

    periods = [m.period for m in detail.measurements]
    assert len(detail.measurements) == 20
    assert periods == sorted(periods)
    assert len(set(periods)) == 20
    assert detail.measurements[0].period == date(2025, 3, 31)
    assert detail.measurements[0].value == pytest.approx(86.0)
    assert detail.measurements[-1].period == date(2026, 10, 31)
    assert detail.measurements[-1].value == pytest.approx(76.9)
    assert detail.measurements[-1].note == "Mobile app relaunch re-planned to March"


def test_kpi_detail_derived_value_matches_overview(sample_store: Store) -> None:
    detail = sample_store.kpi_detail("ONTIME", TODAY)
    figures = sample_store.overview(TODAY).figures
    assert figures.on_time_pct is not None
    assert detail.derived_value == pytest.approx(figures.on_time_pct)


def test_kpi_detail_derived_roi_is_a_percentage(sample_store: Store) -> None:
    # ROI is a fraction in the formulas and a percentage on the KPI.
    figures = sample_store.overview(TODAY).figures
    assert figures.roi is not None
    assert sample_store.kpi_detail("ROI", TODAY).derived_value == pytest.approx(figures.roi * 100)


def test_kpi_detail_entered_kpi_has_no_derived_value(sample_store: Store) -> None:
    assert sample_store.kpi_detail("UTIL", TODAY).derived_value is None


def test_kpi_detail_record_period_and_forecast(sample_store: Store) -> None:
    detail = sample_store.kpi_detail("ONTIME", TODAY)
    # Monthly: the period of 2026-11-20 ends 2026-11-30.
    assert detail.record_period == date(2026, 11, 30)
    # After the last value (2026-10-31), each month end up to the quarter's end 2026-12-31.
    assert [d for d, _ in detail.forecast] == [date(2026, 11, 30), date(2026, 12, 31)]
    assert all(math.isfinite(v) for _, v in detail.forecast)
    # The values lie on the straight line through the last six measurements.
    recent = [(m.period, m.value) for m in detail.measurements[-6:]]
    for day, value in detail.forecast:
        assert value == pytest.approx(calc.forecast(recent, day))


def test_kpi_detail_weekly_forecast(sample_store: Store) -> None:
    # RAID is weekly, last value for Sunday 2026-11-15: the record period is Sunday 2026-11-22 and the
    # forecast runs over every Sunday to the quarter's end (2026-12-27; the next, 2027-01-03, is past it).
    detail = sample_store.kpi_detail("RAID", TODAY)
    assert detail.record_period == date(2026, 11, 22)
    assert [d for d, _ in detail.forecast] == [
        date(2026, 11, 22),
        date(2026, 11, 29),
        date(2026, 12, 6),
        date(2026, 12, 13),
        date(2026, 12, 20),
        date(2026, 12, 27),
    ]


def test_kpi_detail_quarterly(sample_store: Store) -> None:
    # SAT is quarterly, last value 2026-09-30: one forecast point at the quarter's end.
    detail = sample_store.kpi_detail("SAT", TODAY)
    assert detail.record_period == date(2026, 12, 31)
    assert [d for d, _ in detail.forecast] == [date(2026, 12, 31)]
    assert len(detail.measurements) == 7


def test_kpi_detail_smart(sample_store: Store) -> None:
    smart = sample_store.kpi_detail("ONTIME", TODAY).smart
    assert len(smart) == 5
    assert tuple(c.name for c in smart) == SMART_NAMES
    by_name = {c.name: c for c in smart}
    assert by_name["Relevant"].passed
    assert "Improve operational efficiency" in by_name["Relevant"].reason
    assert by_name["Time-bound"].passed
    assert "31 Oct 2026" in by_name["Time-bound"].reason


def test_kpi_detail_smart_util_is_not_time_bound(sample_store: Store) -> None:
    by_name = {c.name: c for c in sample_store.kpi_detail("UTIL", TODAY).smart}
    assert not by_name["Time-bound"].passed
    assert "31 Aug 2026" in by_name["Time-bound"].reason


def test_kpi_detail_unknown_code(sample_store: Store) -> None:
    with pytest.raises(NotFound):
        sample_store.kpi_detail("NOPE", TODAY)


def test_kpi_detail_of_retired_kpi(sample_store: Store) -> None:
    detail = sample_store.kpi_detail("RPTOT", TODAY)
    assert detail.summary.active is False
    assert len(detail.measurements) == 10


# --------------------------------------------------------------------------- add_measurement


def test_add_measurement_is_stored(sample_store: Store, sample_db: Path) -> None:
    sample_store.add_measurement("ONTIME", date(2026, 11, 30), 75.0, "November close")
    detail = sample_store.kpi_detail("ONTIME", TODAY)
    assert len(detail.measurements) == 21
    last = detail.measurements[-1]
    assert (last.period, last.value, last.note) == (date(2026, 11, 30), 75.0, "November close")
    assert detail.summary.value == 75.0
    assert detail.summary.last_period == date(2026, 11, 30)
    assert measurement_rows(sample_db, "ONTIME")[-1] == ("2026-11-30", 75.0, "November close")


def test_add_measurement_to_taken_period_is_refused(sample_store: Store, sample_db: Path) -> None:
    sample_store.add_measurement("ONTIME", date(2026, 11, 30), 75.0, "first")
    before = dump(sample_db)
    with pytest.raises(PeriodTaken) as caught:
        sample_store.add_measurement("ONTIME", date(2026, 11, 30), 99.0, "second")
    assert caught.value.value == 75.0
    assert caught.value.period == date(2026, 11, 30)
    assert caught.value.kpi_code == "ONTIME"
    assert dump(sample_db) == before


def test_add_measurement_to_imported_period_carries_its_value(sample_store: Store, sample_db: Path) -> None:
    before = dump(sample_db)
    with pytest.raises(PeriodTaken) as caught:
        sample_store.add_measurement("ONTIME", date(2026, 10, 31), 50.0)
    assert caught.value.value == pytest.approx(76.9)
    assert "76.9" in str(caught.value)
    assert dump(sample_db) == before


def test_add_measurement_replace(sample_store: Store, sample_db: Path) -> None:
    sample_store.add_measurement("ONTIME", date(2026, 11, 30), 75.0, "first")
    count = len(dump(sample_db))
    sample_store.add_measurement("ONTIME", date(2026, 11, 30), 74.0, "second", replace=True)
    assert len(dump(sample_db)) == count
    last = sample_store.kpi_detail("ONTIME", TODAY).measurements[-1]
    assert (last.period, last.value, last.note) == (date(2026, 11, 30), 74.0, "second")


def test_add_measurement_replace_on_free_period_adds(sample_store: Store, sample_db: Path) -> None:
    count = len(dump(sample_db))
    sample_store.add_measurement("ONTIME", date(2026, 11, 30), 75.0, replace=True)
    assert len(dump(sample_db)) == count + 1


def test_add_measurement_unknown_kpi(sample_store: Store, sample_db: Path) -> None:
    before = dump(sample_db)
    with pytest.raises(NotFound):
        sample_store.add_measurement("NOPE", date(2026, 11, 30), 1.0)
    assert dump(sample_db) == before


# --------------------------------------------------------------------------- correct_measurement


def test_correct_measurement_value_and_note(sample_store: Store, sample_db: Path) -> None:
    count = len(dump(sample_db))
    sample_store.correct_measurement("ONTIME", date(2026, 10, 31), date(2026, 10, 31), 77.5, "recounted")
    last = sample_store.kpi_detail("ONTIME", TODAY).measurements[-1]
    assert (last.period, last.value, last.note) == (date(2026, 10, 31), 77.5, "recounted")
    assert len(dump(sample_db)) == count


def test_correct_measurement_moves_to_free_period(sample_store: Store, sample_db: Path) -> None:
    sample_store.correct_measurement("ONTIME", date(2026, 10, 31), date(2026, 11, 30), 76.9, "moved")
    measurements = sample_store.kpi_detail("ONTIME", TODAY).measurements
    periods = [m.period for m in measurements]
    assert len(measurements) == 20
    assert date(2026, 10, 31) not in periods
    assert measurements[-1].period == date(2026, 11, 30)
    assert measurements[-1].value == pytest.approx(76.9)
    assert measurements[-1].note == "moved"
    assert measurements[-2].period == date(2026, 9, 30)


def test_correct_measurement_onto_taken_period_is_refused(sample_store: Store, sample_db: Path) -> None:
    before = dump(sample_db)
    with pytest.raises(PeriodTaken) as caught:
        sample_store.correct_measurement("ONTIME", date(2026, 10, 31), date(2026, 9, 30), 1.0, "x")
    assert caught.value.period == date(2026, 9, 30)
    assert caught.value.value == pytest.approx(78.0)
    assert dump(sample_db) == before


def test_correct_missing_measurement(sample_store: Store, sample_db: Path) -> None:
    before = dump(sample_db)
    with pytest.raises(NotFound):
        sample_store.correct_measurement("ONTIME", date(2026, 11, 30), date(2026, 11, 30), 1.0, "")
    with pytest.raises(NotFound):
        sample_store.correct_measurement("NOPE", date(2026, 10, 31), date(2026, 10, 31), 1.0, "")
    assert dump(sample_db) == before


def test_correct_measurement_leaves_other_kpis_alone(sample_store: Store, sample_db: Path) -> None:
    # BUDGET also has a value for 2026-09-30: moving ONTIME's 10-31 there is fine, only ONTIME's own count.
    budget_before = measurement_rows(sample_db, "BUDGET")
    sample_store.correct_measurement("ONTIME", date(2026, 10, 31), date(2026, 11, 30), 70.0, "")
    assert measurement_rows(sample_db, "BUDGET") == budget_before


# --------------------------------------------------------------------------- delete_measurement


def test_delete_measurement_removes_exactly_one_row(sample_store: Store, sample_db: Path) -> None:
    before = dump(sample_db)
    ontime_before = measurement_rows(sample_db, "ONTIME")
    sample_store.delete_measurement("ONTIME", date(2026, 10, 31))
    after = dump(sample_db)
    assert len(after) == len(before) - 1
    assert set(after) < set(before)
    assert measurement_rows(sample_db, "ONTIME") == ontime_before[:-1]
    assert sample_store.kpi_detail("ONTIME", TODAY).summary.last_period == date(2026, 9, 30)


def test_delete_missing_measurement(sample_store: Store, sample_db: Path) -> None:
    before = dump(sample_db)
    with pytest.raises(NotFound):
        sample_store.delete_measurement("ONTIME", date(2026, 11, 30))
    with pytest.raises(NotFound):
        sample_store.delete_measurement("NOPE", date(2026, 10, 31))
    assert dump(sample_db) == before


# --------------------------------------------------------------------------- save_kpi


def test_save_kpi_creates(sample_store: Store, sample_db: Path) -> None:
    sample_store.save_kpi(definition(sample_store))
    summaries = sample_store.kpi_summaries(TODAY)
    assert len(summaries) == 12
    assert [s.code for s in summaries] == sorted(s.code for s in summaries)
    lead = summary(sample_store, "LEAD")
    assert lead.name == "Lead time to approval"
    assert (lead.direction, lead.target, lead.warning) == ("lower", 30.0, 45.0)
    assert lead.cadence == "weekly"
    assert lead.goal == "Improve operational efficiency"
    assert lead.active is True
    assert lead.value is None
    assert lead.overdue is True  # never measured
    assert lead.review_overdue is True  # never reviewed
    detail = sample_store.kpi_detail("LEAD", TODAY)
    assert detail.goal_code == "G2"
    assert detail.measurements == ()
    assert detail.forecast == ()
    # The cadence's day count is stored with it (weekly = 7).
    connection = sqlite3.connect(sample_db)
    try:
        assert connection.execute("SELECT cadence_days FROM kpi WHERE code = 'LEAD'").fetchone() == (7,)
    finally:
        connection.close()


def test_save_kpi_without_goal(sample_store: Store) -> None:
    sample_store.save_kpi(definition(sample_store, goal=""))
    assert summary(sample_store, "LEAD").goal is None
    assert sample_store.kpi_detail("LEAD", TODAY).goal_code is None


def test_save_kpi_refuses_duplicate_code(sample_store: Store, sample_db: Path) -> None:
    kpis_before, measurements_before = dump(sample_db, "kpi"), dump(sample_db)
    with pytest.raises(InvalidInput) as caught:
        sample_store.save_kpi(definition(sample_store, code="ONTIME"))
    assert caught.value.field == "code"
    assert "ONTIME" in caught.value.message
    assert "Projects on time" in caught.value.message
    assert dump(sample_db, "kpi") == kpis_before
    assert dump(sample_db) == measurements_before


def test_save_kpi_edits_existing(sample_store: Store, sample_db: Path) -> None:
    edited = definition(
        sample_store,
        code="ONTIME",
        name="Projects finishing on time",
        cadence="monthly",
        goal="G3",
        direction="higher",
        target="85",
        warning="75",
        unit="%",
    )
    sample_store.save_kpi(edited, original_code="ONTIME")
    detail = sample_store.kpi_detail("ONTIME", TODAY)
    assert detail.summary.name == "Projects finishing on time"
    assert (detail.summary.target, detail.summary.warning) == (85.0, 75.0)
    assert detail.goal_code == "G3"
    assert len(detail.measurements) == 20
    # What the form does not hold stays as it was.
    assert detail.last_reviewed == date(2026, 10, 14)
    assert detail.summary.active is True
    assert len(sample_store.kpi_summaries(TODAY, include_retired=True)) == 12


def test_save_kpi_renames_code_keeping_measurements(sample_store: Store, sample_db: Path) -> None:
    history_before = measurement_rows(sample_db, "ONTIME")
    measurements_before = dump(sample_db)
    renamed = definition(
        sample_store,
        code="ONTIME2",
        cadence="monthly",
        direction="higher",
        target="80",
        warning="70",
        unit="%",
    )
    sample_store.save_kpi(renamed, original_code="ONTIME")
    with pytest.raises(NotFound):
        sample_store.kpi_detail("ONTIME", TODAY)
    detail = sample_store.kpi_detail("ONTIME2", TODAY)
    assert len(detail.measurements) == 20
    assert measurement_rows(sample_db, "ONTIME2") == history_before
    assert dump(sample_db) == measurements_before  # rows keep their kpi_id
    codes = [s.code for s in sample_store.kpi_summaries(TODAY)]
    assert "ONTIME2" in codes and "ONTIME" not in codes and len(codes) == 11


def test_save_kpi_rename_onto_another_code_is_refused(sample_store: Store, sample_db: Path) -> None:
    kpis_before = dump(sample_db, "kpi")
    with pytest.raises(InvalidInput) as caught:
        sample_store.save_kpi(definition(sample_store, code="BUDGET"), original_code="ONTIME")
    assert caught.value.field == "code"
    assert dump(sample_db, "kpi") == kpis_before


def test_save_kpi_refuses_unknown_goal(sample_store: Store, sample_db: Path) -> None:
    # A goal that passed the form's check but is not in the database (e.g. deleted meanwhile).
    checked, errors = check_kpi_definition(form(goal="G9"), {"G1", "G2", "G3", "G4", "G9"})
    assert errors == {} and checked is not None
    kpis_before = dump(sample_db, "kpi")
    with pytest.raises(InvalidInput) as caught:
        sample_store.save_kpi(checked)
    assert caught.value.field == "goal"
    assert "G9" in caught.value.message
    assert dump(sample_db, "kpi") == kpis_before
    # The same for an edit.
    with pytest.raises(InvalidInput):
        sample_store.save_kpi(dataclasses.replace(checked, code="ONTIME"), original_code="ONTIME")
    assert dump(sample_db, "kpi") == kpis_before


# --------------------------------------------------------------------------- reviews & retiring


def test_mark_kpi_reviewed(sample_store: Store, sample_db: Path) -> None:
    assert summary(sample_store, "UTIL").review_overdue is True
    sample_store.mark_kpi_reviewed("UTIL", TODAY)
    assert summary(sample_store, "UTIL").review_overdue is False
    assert sample_store.kpi_detail("UTIL", TODAY).last_reviewed == TODAY


def test_mark_unknown_kpi_reviewed(sample_store: Store, sample_db: Path) -> None:
    before = dump(sample_db, "kpi")
    with pytest.raises(NotFound):
        sample_store.mark_kpi_reviewed("NOPE", TODAY)
    assert dump(sample_db, "kpi") == before


def test_retire_and_bring_back(sample_store: Store, sample_db: Path) -> None:
    measurements_before = dump(sample_db)
    assert "ONTIME" in [k.code for k in sample_store.overview(TODAY).kpis]

    sample_store.set_kpi_active("ONTIME", False)
    assert "ONTIME" not in [s.code for s in sample_store.kpi_summaries(TODAY)]
    assert len(sample_store.kpi_summaries(TODAY)) == 10
    assert "ONTIME" not in [k.code for k in sample_store.overview(TODAY).kpis]
    retired = summary(sample_store, "ONTIME", include_retired=True)
    assert retired.active is False
    assert len(retired.history) == 20
    detail = sample_store.kpi_detail("ONTIME", TODAY)
    assert detail.summary.active is False
    assert len(detail.measurements) == 20
    assert dump(sample_db) == measurements_before

    sample_store.set_kpi_active("ONTIME", True)
    assert "ONTIME" in [s.code for s in sample_store.kpi_summaries(TODAY)]
    assert len(sample_store.kpi_summaries(TODAY)) == 11
    assert "ONTIME" in [k.code for k in sample_store.overview(TODAY).kpis]
    assert summary(sample_store, "ONTIME").active is True
    assert dump(sample_db) == measurements_before


def test_bring_back_retired_sample_kpi(sample_store: Store) -> None:
    sample_store.set_kpi_active("RPTOT", True)
    assert tuple(s.code for s in sample_store.kpi_summaries(TODAY)) == ALL_CODES


def test_set_unknown_kpi_active(sample_store: Store) -> None:
    with pytest.raises(NotFound):
        sample_store.set_kpi_active("NOPE", False)


def test_changes_survive_reopening(sample_store: Store, sample_db: Path) -> None:
    sample_store.add_measurement("ONTIME", date(2026, 11, 30), 75.0)
    sample_store.mark_kpi_reviewed("UTIL", TODAY)
    sample_store.close()
    again = Store.open(sample_db)
    try:
        assert again.kpi_detail("ONTIME", TODAY).measurements[-1].value == 75.0
        assert again.kpi_detail("UTIL", TODAY).last_reviewed == TODAY
    finally:
        again.close()
