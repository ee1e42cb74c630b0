"""Dates and values that can be true (issue 16): every way in obeys the same rules.

A check-in's day lies within its key result's cycle and is not after today; a measurement's period
is never after the current one, and a typed day is taken to the end of its period; a status update
is dated neither after today nor before the project's start; a milestone takes 0 or 1; earned value
never exceeds the budget; a weekly period that ends past the last year is not storable; every
number field says what it accepts; every export imports again.

Each rule is driven through the store, the command line (exit 2, one line on standard error, the
database byte for byte as it was), a TOML import, a CSV import and the app's forms, on real SQLite
files.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from helpers import TODAY, make_app, settle, wait_until
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Input, Static

from pmo_tui.calculations import period_end
from pmo_tui.cli import main
from pmo_tui.portfolio_file import PortfolioFileError, dump_portfolio
from pmo_tui.screens.dialogs import ConfirmScreen, FormScreen
from pmo_tui.store import PeriodTaken, Store
from pmo_tui.validation import (
    LAST_YEAR,
    InvalidInput,
    KeyResultDefinition,
    StatusUpdateEntry,
    accepts,
    check_key_result,
    check_status_update,
    measurement_period,
    parse_confidence,
    parse_number,
)

SIZE = (120, 40)
KR = "Q4-O1-KR2"  # increase, 70 → 90 %, cycle 2026-Q4 (2026-10-01 to 2026-12-31)
MILESTONE = "Q4-O1-KR1"
Q4_START, Q4_END = date(2026, 10, 1), date(2026, 12, 31)
PROJECT = "PRJ-101"  # starts 2025-09-01, budget 3 800 000
PROJECT_START, BUDGET = date(2025, 9, 1), 3_800_000.0
HEADER = 'format = "pmo-tui portfolio"\nversion = 1\n'
# The Monday of the last week of the last year: its week ends in the year after.
LAST_MONDAY = date(LAST_YEAR, 12, 30)
assert LAST_MONDAY.weekday() == 0


def db_bytes(path: Path) -> bytes:
    """The database as it is on disk, its write-ahead log included."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def entry(on: date, ev: float = 1_000_000.0) -> StatusUpdateEntry:
    return StatusUpdateEntry(
        on=on,
        forecast_finish=None,
        planned_value=1_000_000.0,
        earned_value=ev,
        actual_cost=1_000_000.0,
        change_requests=0,
        open_risks=0,
        satisfaction=None,
        comment="",
    )


def refused_by_store(store: Store, path: Path, call, field: str, *words: str) -> None:
    """The store refuses the call with a message for `field` and the file does not change."""
    before = db_bytes(path)
    with pytest.raises(InvalidInput) as refused:
        call()
    assert refused.value.field == field
    for word in words:
        assert word in refused.value.message
    assert db_bytes(path) == before


# ============================================================================ the rules themselves


def test_measurement_period_is_the_end_of_the_period_and_never_after_the_current_one() -> None:
    assert measurement_period(date(2026, 11, 3), "monthly", TODAY) == date(2026, 11, 30)
    assert measurement_period(date(2026, 11, 16), "weekly", TODAY) == date(2026, 11, 22)
    assert measurement_period(date(2026, 11, 20), "quarterly", TODAY) == date(2026, 12, 31)
    with pytest.raises(InvalidInput, match="after the current one"):
        measurement_period(date(2026, 12, 1), "monthly", TODAY)
    with pytest.raises(InvalidInput, match="after the current one"):
        measurement_period(date(2026, 11, 23), "weekly", TODAY)


@pytest.mark.parametrize("cadence", ["weekly", "fortnightly"])
def test_a_period_that_ends_after_the_last_year_cannot_be_stored(cadence: str) -> None:
    with pytest.raises(InvalidInput, match=f"ends after {LAST_YEAR}"):
        measurement_period(LAST_MONDAY, cadence)
    with pytest.raises(InvalidInput, match=f"ends after {LAST_YEAR}"):
        measurement_period(date(LAST_YEAR, 12, 31), cadence, date(LAST_YEAR, 12, 31))
    # The week before ends in time.
    assert measurement_period(LAST_MONDAY - timedelta(days=7), "weekly").year == LAST_YEAR


def test_number_messages_say_what_the_field_accepts() -> None:
    for text, minimum, maximum in (("-1", 0, None), ("120", 0, 100), ("abc", 0, 10), ("", 0, None)):
        with pytest.raises(InvalidInput) as refused:
            parse_number(text, "x", minimum=minimum, maximum=maximum)
        assert accepts(minimum, maximum) in refused.value.message
    with pytest.raises(InvalidInput, match="a number 0–10"):
        parse_confidence("11")


# ============================================================================ through the store


def test_store_check_in_day_within_the_cycle_and_not_after_today(
    sample_store: Store, sample_db: Path
) -> None:
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.record_check_in(KR, TODAY + timedelta(days=1), 80, 0.5, today=TODAY),
        "on",
        "after today",
    )
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.record_check_in(KR, Q4_START - timedelta(days=1), 80, 0.5, today=TODAY),
        "on",
        "outside the key result's cycle 2026-Q4",
        "2026-10-01 to 2026-12-31",
    )
    # A day after the cycle's end is refused too, even when today is later still.
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.record_check_in(KR, Q4_END + timedelta(days=1), 80, 0.5, today=date(2027, 2, 1)),
        "on",
        "outside",
    )
    sample_store.record_check_in(KR, Q4_START, 71, 0.5, today=TODAY)
    sample_store.record_check_in(KR, TODAY, 80, 0.5, today=TODAY)
    days = [c.on for c in sample_store.key_result_detail(KR, TODAY)[1].check_ins]
    assert Q4_START in days and TODAY in days


def test_store_corrected_check_in_obeys_the_same_rules(sample_store: Store, sample_db: Path) -> None:
    check_in = sample_store.key_result_detail(KR, TODAY)[1].check_ins[-1]
    for day, word in ((TODAY + timedelta(days=3), "after today"), (date(2026, 9, 30), "outside")):
        refused_by_store(
            sample_store,
            sample_db,
            lambda day=day: sample_store.correct_check_in(check_in.id, day, 80, 0.5, "", today=TODAY),
            "on",
            word,
        )


def test_store_milestone_takes_only_0_or_1(sample_store: Store, sample_db: Path) -> None:
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.record_check_in(MILESTONE, TODAY, 0.5, 0.5, today=TODAY),
        "value",
        "0 or 1",
    )
    sample_store.record_check_in(MILESTONE, TODAY, 1, 0.9, today=TODAY)
    objective, kr = sample_store.key_result_detail(MILESTONE, TODAY)
    definition = KeyResultDefinition(
        title=kr.title,
        kind="milestone",
        unit="",
        baseline=0.0,
        target=2.0,
        band_low=None,
        band_high=None,
        weight=1.0,
        owner="",
        kpi=None,
        reason="two of them",
    )
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.save_key_result(objective.code, definition, original_code=MILESTONE),
        "target",
        "0 or 1",
    )
    # A key result whose check-ins hold other values cannot become a milestone.
    objective, numeric = sample_store.key_result_detail(KR, TODAY)
    made_milestone = KeyResultDefinition(
        title=numeric.title,
        kind="milestone",
        unit="",
        baseline=0.0,
        target=1.0,
        band_low=None,
        band_high=None,
        weight=1.0,
        owner="",
        kpi=None,
        reason="now a milestone",
    )
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.save_key_result(objective.code, made_milestone, original_code=KR),
        "kind",
        "0 or 1",
    )
    # The form's own check says so beside the field before anything is sent.
    _, errors = check_key_result(
        {"title": "Go live", "kind": "milestone", "baseline": "0.5", "target": "3"}, set()
    )
    assert set(errors) == {"baseline", "target"} and all("0 or 1" in m for m in errors.values())


def test_store_measurement_period_is_moved_to_its_end_and_never_after_the_current_one(
    sample_store: Store, sample_db: Path
) -> None:
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.add_measurement("ONTIME", date(2026, 12, 1), 70.0, today=TODAY),
        "period",
        "after the current one",
    )
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.correct_measurement(
            "ONTIME", date(2026, 10, 31), date(2027, 1, 31), 70.0, "", today=TODAY
        ),
        "period",
        "after the current one",
    )
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.add_measurement("RAID", LAST_MONDAY, 3.0, today=date(LAST_YEAR, 12, 31)),
        "period",
        f"ends after {LAST_YEAR}",
    )
    sample_store.add_measurement("ONTIME", date(2026, 11, 3), 70.0, today=TODAY)
    periods = [m.period for m in sample_store.kpi_detail("ONTIME", TODAY).measurements]
    assert periods[-1] == date(2026, 11, 30) and date(2026, 11, 3) not in periods
    # Another day of the same period is the same period: a second value needs the user's word.
    with pytest.raises(PeriodTaken) as taken:
        sample_store.add_measurement("ONTIME", date(2026, 11, 17), 71.0, today=TODAY)
    assert taken.value.period == date(2026, 11, 30)


def test_store_status_update_day_and_earned_value(sample_store: Store, sample_db: Path) -> None:
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.save_status_update(PROJECT, entry(TODAY + timedelta(days=1)), today=TODAY),
        "on",
        "after today",
    )
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.save_status_update(
            PROJECT, entry(PROJECT_START - timedelta(days=1)), today=TODAY
        ),
        "on",
        "before the project's start (2025-09-01)",
    )
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.save_status_update(PROJECT, entry(TODAY, ev=BUDGET + 1), today=TODAY),
        "earned_value",
        "more than the budget (3800000)",
    )
    sample_store.save_status_update(PROJECT, entry(TODAY, ev=BUDGET), today=TODAY)
    sample_store.save_status_update(PROJECT, entry(PROJECT_START), today=TODAY)
    days = [u.on for u in sample_store.project_detail(PROJECT).updates]
    assert TODAY in days and PROJECT_START in days


def test_status_update_check_shows_each_message_beside_its_field() -> None:
    fields = {"on": "2026-11-21", "planned_value": "1", "earned_value": "5000001", "actual_cost": "1"}
    _, errors = check_status_update(fields, PROJECT_START, budget=5_000_000.0, today=TODAY)
    assert "after today" in errors["on"]
    assert "more than the budget" in errors["earned_value"] and "a number 0–5000000" in errors["earned_value"]


# ============================================================================ the command line


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def cli_refuses(runner: CliRunner, db: Path, arguments: list[str], *words: str) -> None:
    """Exit status 2, one `pmo:` line on standard error naming `words`, the database unchanged."""
    before = db_bytes(db)
    result = runner.invoke(main, ["--db", str(db), "--today", TODAY.isoformat(), *arguments])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("pmo: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert "Traceback" not in result.output and result.stdout == ""
    assert db_bytes(db) == before


def cli_accepts(runner: CliRunner, db: Path, arguments: list[str]) -> str:
    result = runner.invoke(main, ["--db", str(db), "--today", TODAY.isoformat(), *arguments])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        ([KR, "80", "--confidence", "5", "--at", "2026-11-21"], ("--at", "after today (2026-11-20)")),
        ([KR, "80", "--confidence", "5", "--at", "2026-09-30"], ("--at", "outside the key result's cycle")),
        ([MILESTONE, "0.5", "--confidence", "5"], ("value", "0 or 1")),
    ],
    ids=["after-today", "before-the-cycle", "milestone-half"],
)
def test_cli_checkin_refuses(runner, sample_db: Path, arguments, words) -> None:
    cli_refuses(runner, sample_db, ["checkin", *arguments], *words)


def test_cli_checkin_takes_today_from_the_today_option(runner, sample_db: Path) -> None:
    out = cli_accepts(runner, sample_db, ["checkin", KR, "80", "--confidence", "5"])
    assert "checked in on 2026-11-20" in out
    # With --today after the cycle, the default day is outside the key result's cycle.
    before = db_bytes(sample_db)
    result = runner.invoke(
        main, ["--db", str(sample_db), "--today", "2027-02-01", "checkin", KR, "81", "--confidence", "5"]
    )
    assert result.exit_code == 2 and "outside the key result's cycle" in result.stderr
    assert len(result.stderr.splitlines()) == 1 and db_bytes(sample_db) == before


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (
            ["ONTIME", "70", "--period", "2026-12-01"],
            ("--period", "after the current one (ending 2026-11-30)"),
        ),
        (["RAID", "3", "--period", "2026-11-23"], ("--period", "after the current one (ending 2026-11-22)")),
        (["RAID", "3", "--period", LAST_MONDAY.isoformat()], ("--period", f"ends after {LAST_YEAR}")),
    ],
    ids=["next-month", "next-week", "week-past-the-last-year"],
)
def test_cli_measure_refuses(runner, sample_db: Path, arguments, words) -> None:
    cli_refuses(runner, sample_db, ["measure", *arguments], *words)


def test_cli_measure_default_period_is_the_one_holding_the_today_option(runner, sample_db: Path) -> None:
    out = cli_accepts(runner, sample_db, ["measure", "RAID", "4"])
    assert "period ending 2026-11-22" in out


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["--on", "2026-11-21"], ("--on", "after today")),
        (["--on", "2025-08-31"], ("--on", "before the project's start (2025-09-01)")),
        (["--ev", "3800001"], ("--ev", "more than the budget (3800000)")),
    ],
    ids=["after-today", "before-start", "ev-over-budget"],
)
def test_cli_update_refuses(runner, sample_db: Path, arguments, words) -> None:
    cli_refuses(runner, sample_db, ["update", PROJECT, *arguments], *words)


def test_cli_update_on_today_with_earned_value_equal_to_the_budget(runner, sample_db: Path) -> None:
    assert "status update of 2026-11-20 saved" in cli_accepts(
        runner, sample_db, ["update", PROJECT, "--ev", "3800000"]
    )


# ============================================================================ the TOML import


def objective_file(
    check_ins: str, *, kind: str = "increase", target: str = "10", cycle: str = "2026-Q4"
) -> str:
    return (
        HEADER
        + f"""
[[objectives]]
code = "T-O1"
title = "Try the rules"
cycle = "{cycle}"

[[objectives.key_results]]
code = "T-O1-KR1"
title = "A key result"
kind = "{kind}"
baseline = 0
target = {target}
{check_ins}"""
    )


def check_in(on: str, value: str = "1") -> str:
    return f"\n[[objectives.key_results.check_ins]]\non = {on}\nvalue = {value}\nconfidence = 0.5\n"


def project_file(*updates: tuple[str, str]) -> str:
    rows = "".join(
        f"\n[[projects.updates]]\non = {on}\nplanned_value = 1\nearned_value = {ev}\nactual_cost = 1\n"
        for on, ev in updates
    )
    return (
        HEADER
        + f"""
[[projects]]
code = "T-P1"
name = "Try the rules"
start = 2026-01-05
planned_finish = 2026-12-31
budget = 1000
{rows}"""
    )


def kpi_file(cadence: str, *periods: str) -> str:
    rows = "".join(f"\n[[kpis.measurements]]\nperiod = {p}\nvalue = 1\n" for p in periods)
    return (
        HEADER
        + f"""
[[kpis]]
code = "T-K1"
name = "Try the rules"
direction = "higher"
cadence = "{cadence}"
{rows}"""
    )


TOML_REFUSED = [
    (objective_file(check_in("2026-11-21")), "objectives[0].key_results[0].check_ins[0].on", "after today"),
    (objective_file(check_in("2026-09-30")), "objectives[0].key_results[0].check_ins[0].on", "outside"),
    (
        objective_file(check_in("2026-11-02", "0.5"), kind="milestone", target="1"),
        "objectives[0].key_results[0].check_ins[0].value",
        "0 or 1",
    ),
    (objective_file("", kind="milestone", target="2"), "objectives[0].key_results[0].target", "0 or 1"),
    (project_file(("2026-11-21", "1")), "projects[0].updates[0].on", "after today"),
    (project_file(("2026-01-04", "1")), "projects[0].updates[0].on", "before the project's start"),
    (
        project_file(("2026-11-02", "1001")),
        "projects[0].updates[0].earned_value",
        "more than the budget (1000)",
    ),
    (kpi_file("monthly", "2026-12-31"), "kpis[0].measurements[0].period", "after the current one"),
    (
        kpi_file("weekly", LAST_MONDAY.isoformat()),
        "kpis[0].measurements[0].period",
        f"ends after {LAST_YEAR}",
    ),
    (
        kpi_file("monthly", "2026-10-15", "2026-10-31"),
        "kpis[0].measurements[1].period",
        "one value per period",
    ),
]
TOML_IDS = [
    "ci-after-today",
    "ci-outside-cycle",
    "milestone-ci",
    "milestone-target",
    "update-after-today",
    "update-before-start",
    "ev-over-budget",
    "period-after-current",
    "week-past-last-year",
    "two-in-one-period",
]


@pytest.mark.parametrize(("text", "where", "words"), TOML_REFUSED, ids=TOML_IDS)
def test_toml_import_refuses_through_the_store(
    sample_store: Store, sample_db: Path, text, where, words
) -> None:
    before = db_bytes(sample_db)
    with pytest.raises(PortfolioFileError) as refused:
        sample_store.import_portfolio_text(text, "try.toml", today=TODAY)
    assert refused.value.location == f"try.toml: {where}"
    assert words in refused.value.message
    assert db_bytes(sample_db) == before


@pytest.mark.parametrize(("text", "where", "words"), TOML_REFUSED[::3], ids=TOML_IDS[::3])
def test_toml_import_refuses_through_the_cli(
    runner, sample_db: Path, tmp_path: Path, text, where, words
) -> None:
    path = tmp_path / "try.toml"
    path.write_text(text, encoding="utf-8")
    cli_refuses(runner, sample_db, ["import", str(path)], where, words)


def test_toml_import_takes_a_day_to_the_end_of_its_period(sample_store: Store) -> None:
    sample_store.import_portfolio_text(kpi_file("monthly", "2026-10-15", "2026-11-20"), today=TODAY)
    assert [m.period for m in sample_store.kpi_detail("T-K1", TODAY).measurements] == [
        date(2026, 10, 31),
        date(2026, 11, 30),
    ]


def test_toml_import_accepts_the_edges(sample_store: Store) -> None:
    sample_store.import_portfolio_text(
        project_file(("2026-01-05", "1000"), ("2026-11-20", "1000")), today=TODAY
    )
    sample_store.import_portfolio_text(
        objective_file(check_in("2026-10-01") + check_in("2026-11-20")), today=TODAY
    )
    assert len(sample_store.project_detail("T-P1").updates) == 2
    assert len(sample_store.key_result_detail("T-O1-KR1", TODAY)[1].check_ins) == 2


# ============================================================================ the CSV import


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("ONTIME,2026-12-01,70", "after the current one (ending 2026-11-30)"),
        (f"RAID,{LAST_MONDAY.isoformat()},3", f"ends after {LAST_YEAR}"),
    ],
    ids=["after-current", "week-past-last-year"],
)
def test_csv_import_refuses(runner, sample_db: Path, tmp_path: Path, row: str, words: str) -> None:
    path = tmp_path / "values.csv"
    path.write_text(f"kpi,period,value\nONTIME,2026-11-02,71\n{row}\n", encoding="utf-8")
    cli_refuses(runner, sample_db, ["import", str(path)], "line 3", words)


def test_csv_import_counts_the_today_option_as_today(runner, sample_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "values.csv"
    path.write_text("kpi,period,value\nONTIME,2026-11-02,71\n", encoding="utf-8")
    assert "Recorded 1 measurement" in cli_accepts(runner, sample_db, ["import", str(path)])
    path.write_text("kpi,period,value\nONTIME,2026-12-02,72\n", encoding="utf-8")
    before = db_bytes(sample_db)
    later = runner.invoke(main, ["--db", str(sample_db), "--today", "2026-12-02", "import", str(path)])
    assert later.exit_code == 0, later.output
    assert db_bytes(sample_db) != before


# ============================================================================ every export imports again


def test_the_sample_exports_and_imports_into_an_empty_database_unchanged(
    runner, sample_db: Path, tmp_path: Path
) -> None:
    exported = tmp_path / "sample.toml"
    cli_accepts(runner, sample_db, ["export", str(exported)])
    empty = tmp_path / "empty.db"
    cli_accepts(runner, empty, ["init"])
    cli_accepts(runner, empty, ["import", str(exported)])
    again = tmp_path / "again.toml"
    cli_accepts(runner, empty, ["export", str(again)])
    assert again.read_bytes() == exported.read_bytes()


CADENCES = ("weekly", "fortnightly", "monthly", "quarterly", "yearly")


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    today=st.dates(date(1901, 1, 1), date(LAST_YEAR, 12, 31)),
    cadence=st.sampled_from(CADENCES),
    back=st.lists(st.integers(0, 4000), max_size=8),
    check_in_back=st.lists(st.integers(0, 89), max_size=6),
    milestone=st.booleans(),
    ev_share=st.floats(0, 1),
)
def test_whatever_the_rules_let_in_exports_and_imports_again(
    tmp_path_factory, today, cadence, back, check_in_back, milestone, ev_share
) -> None:
    folder = tmp_path_factory.mktemp("roundtrip")
    store = Store.open(folder / "a.db")
    try:
        start = today - timedelta(days=89)
        store.import_portfolio_text(
            HEADER
            + f"""
[[kpis]]
code = "K"
name = "K"
direction = "higher"
cadence = "{cadence}"

[[projects]]
code = "P"
name = "P"
start = {start.isoformat()}
planned_finish = {today.isoformat()}
budget = 1000

[[cycles]]
name = "C"
start = {start.isoformat()}
end = {today.isoformat()}

[[objectives]]
code = "O"
title = "O"
cycle = "C"

[[objectives.key_results]]
code = "O-KR1"
title = "KR"
kind = "{"milestone" if milestone else "increase"}"
target = 1
""",
            today=today,
        )
        for days in back:
            day = max(today - timedelta(days=days), date(1900, 1, 1))
            try:
                store.add_measurement("K", day, float(days), replace=True, today=today)
            except InvalidInput:
                # Only a period that ends after the last year is refused here: every day is <= today.
                assert period_end(day, cadence).year > LAST_YEAR
        for days in check_in_back:
            store.record_check_in("O-KR1", today - timedelta(days=days), float(days % 2), 0.5, today=today)
        store.save_status_update("P", entry(today, ev=1000 * ev_share), today=today)
        text = dump_portfolio(store.export_portfolio())
    finally:
        store.close()
    copy = Store.open(folder / "b.db")
    try:
        copy.import_portfolio_text(text, "export.toml", today=today)
        assert dump_portfolio(copy.export_portfolio()) == text
    finally:
        copy.close()


# ============================================================================ the app's forms


def stub_app(store: Store) -> SimpleNamespace:
    return SimpleNamespace(today=TODAY, store=store)


# Every number field of every form, by form.
NUMBER_FIELDS = {
    "kpi": {"target", "warning"},
    "measurement": {"value"},
    "key_result": {"baseline", "target", "band_low", "band_high", "weight"},
    "check_in": {"value", "confidence"},
    "milestone_check_in": {"value", "confidence"},
    "okr_from_kpi": {"target"},
    "project": {"budget", "expected_benefit", "realised_benefit"},
    "status_update": {
        "planned_value",
        "earned_value",
        "actual_cost",
        "change_requests",
        "open_risks",
        "satisfaction",
    },
}


def every_form(store: Store) -> dict[str, FormScreen]:
    from pmo_tui.screens.kpi_forms import kpi_form, measurement_form
    from pmo_tui.screens.okr_forms import check_in_form, key_result_form, okr_from_kpi_form
    from pmo_tui.screens.project_forms import project_form, status_update_form

    app = stub_app(store)
    goals = store.goal_options()
    detail = store.kpi_detail("ONTIME", TODAY)
    objective, kr = store.key_result_detail(KR, TODAY)
    _, milestone = store.key_result_detail(MILESTONE, TODAY)
    project = store.project_detail(PROJECT)
    return {
        "kpi": kpi_form(app, goals, detail),
        "measurement": measurement_form(app, detail),
        "key_result": key_result_form(app, objective=objective, kpis=(), key_result=kr),
        "check_in": check_in_form(app, kr),
        "milestone_check_in": check_in_form(app, milestone),
        "okr_from_kpi": okr_from_kpi_form(app, detail, store.okr_cycle_offer(TODAY)),
        "project": project_form(app, goals, set(), project),
        "status_update": status_update_form(app, project),
    }


def test_every_number_field_says_what_it_accepts(sample_store: Store) -> None:
    for name, form in every_form(sample_store).items():
        fields = {f.name: f for f in form.fields}
        for field in NUMBER_FIELDS[name]:
            said = fields[field].hint + " " + fields[field].placeholder
            assert "a number" in said or "a whole number" in said or "0 or 1" in said, (name, field, said)
    forms = every_form(sample_store)
    hint = {f.name: f.hint for f in forms["status_update"].fields}
    assert accepts(0, 100) in hint["satisfaction"] and accepts(0, BUDGET) in hint["earned_value"]
    assert accepts(0, whole=True) in hint["open_risks"]
    assert "0 or 1" in {f.name: f.hint for f in forms["milestone_check_in"].fields}["value"]
    assert accepts(0, 10) in {f.name: f.hint for f in forms["check_in"].fields}["confidence"]


def error_beside(form: FormScreen, field: str) -> str:
    widget = form.query_one(f"#error-{field}", Static)
    return getattr(widget.content, "plain", str(widget.content))


def set_fields(form: FormScreen, **values: str) -> None:
    for name, value in values.items():
        form.query_one(f"#field-{name}", Input).value = value


async def save_and_wait(pilot) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)

    def done() -> bool:
        screen = pilot.app.screen
        status = screen.query("#form-status") if isinstance(screen, FormScreen) else []
        return not status or not str(getattr(status.first().content, "plain", "")).startswith("saving")

    await wait_until(pilot, done, "the save to end")
    await settle(pilot)


@pytest.mark.slow
async def test_measurement_form_takes_a_day_to_its_period_end_and_refuses_a_later_period(
    sample_store: Store, sample_db: Path
) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_kpi("RAID")  # weekly: TODAY's week ends on Sunday 2026-11-22
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        before = db_bytes(sample_db)
        set_fields(form, period="2026-11-23", value="5")
        await save_and_wait(pilot)
        assert app.screen is form
        assert "after the current one (ending 2026-11-22)" in error_beside(form, "period")
        assert db_bytes(sample_db) == before
        set_fields(form, period="2026-11-17")
        await save_and_wait(pilot)
        assert app.screen is not form
        # Another day of the same week offers to replace the value just stored.
        await pilot.press("a")
        await settle(pilot)
        set_fields(app.screen, period="2026-11-19", value="6")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "2026-11-22" in app.screen.question and "Replace it with 6" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        await wait_until(
            pilot, lambda: not isinstance(app.screen, FormScreen | ConfirmScreen), "the form to close"
        )
        assert not isinstance(app.screen, FormScreen | ConfirmScreen), "replaced and closed"
    periods = {m.period: m.value for m in sample_store.kpi_detail("RAID", TODAY).measurements}
    assert periods[date(2026, 11, 22)] == 6.0
    assert date(2026, 11, 17) not in periods and date(2026, 11, 19) not in periods


async def test_check_in_form_refuses_a_day_after_today_or_outside_the_cycle_and_a_milestone_half(
    sample_store: Store, sample_db: Path
) -> None:
    from pmo_tui.screens.key_result_detail import KeyResultDetailScreen

    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(KeyResultDetailScreen(MILESTONE))
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        before = db_bytes(sample_db)
        for typed, field, words in (
            ({"on": "2026-11-21", "value": "1"}, "on", "after today"),
            ({"on": "2026-09-30", "value": "1"}, "on", "outside the key result's cycle"),
            ({"on": "2026-11-20", "value": "0.5"}, "value", "0 or 1"),
        ):
            set_fields(form, **typed)
            await save_and_wait(pilot)
            assert app.screen is form, typed
            assert words in error_beside(form, field), (typed, error_beside(form, field))
            assert db_bytes(sample_db) == before
        set_fields(form, on="2026-11-20", value="1")
        await save_and_wait(pilot)
        assert app.screen is not form
    latest = sample_store.key_result_detail(MILESTONE, TODAY)[1].latest
    assert (latest.on, latest.value) == (TODAY, 1.0)


async def test_status_update_form_refuses_a_later_day_and_earned_value_over_the_budget(
    sample_store: Store, sample_db: Path
) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_project(PROJECT)
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        before = db_bytes(sample_db)
        for typed, field, words in (
            ({"on": "2026-11-21"}, "on", "after today"),
            ({"on": "2025-08-31"}, "on", "before the project's start"),
            ({"on": "2026-11-20", "earned_value": "3800001"}, "earned_value", "a number 0–3800000"),
        ):
            set_fields(form, **typed)
            await save_and_wait(pilot)
            assert app.screen is form, typed
            assert words in error_beside(form, field), (typed, error_beside(form, field))
            assert db_bytes(sample_db) == before
        set_fields(form, earned_value="3800000")
        await save_and_wait(pilot)
        assert app.screen is not form
    assert sample_store.project_detail(PROJECT).latest.earned_value == BUDGET


def test_weekly_entry_in_the_last_week_of_the_last_year_is_refused_everywhere(sample_db: Path) -> None:
    """No way in stores it, so no export can hold a period its import would refuse."""
    store = Store.open(sample_db)
    try:
        with pytest.raises(InvalidInput):
            store.add_measurement("RAID", LAST_MONDAY, 1.0, today=date(LAST_YEAR, 12, 31))
        with pytest.raises(PortfolioFileError):
            store.import_portfolio_text(
                kpi_file("weekly", LAST_MONDAY.isoformat()), today=date(LAST_YEAR, 12, 31)
            )
    finally:
        store.close()
    with sqlite3.connect(sample_db) as connection:
        assert (
            connection.execute(
                "SELECT count(*) FROM measurement WHERE period > ?", (f"{LAST_YEAR}-12-31",)
            ).fetchone()[0]
            == 0
        )
    connection.close()


# ============================================================================ a KPI's new cadence


def kpi_definition(store: Store, code: str, cadence: str):
    from pmo_tui.validation import check_kpi_definition

    detail = store.kpi_detail(code, TODAY)
    kpi = detail.summary
    definition, errors = check_kpi_definition(
        {
            "code": kpi.code,
            "name": kpi.name,
            "description": detail.description,
            "unit": kpi.unit,
            "direction": kpi.direction,
            "target": "" if kpi.target is None else str(kpi.target),
            "warning": "" if kpi.warning is None else str(kpi.warning),
            "indicator": kpi.indicator,
            "nature": detail.nature,
            "owner": kpi.owner,
            "cadence": cadence,
            "goal": detail.goal_code or "",
            "source": kpi.source,
        },
        {g.code for g in store.goal_options()},
    )
    assert not errors, errors
    return definition


def test_a_new_cadence_never_puts_two_values_in_one_period(sample_store: Store, sample_db: Path) -> None:
    # RAID is weekly with several values a month: monthly would put two in one period.
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.save_kpi(
            kpi_definition(sample_store, "RAID", "monthly"), original_code="RAID", today=TODAY
        ),
        "cadence",
        "share the monthly period",
    )
    # ONTIME is monthly, one value a month: made weekly, each value moves to the Sunday ending its week.
    sample_store.save_kpi(
        kpi_definition(sample_store, "ONTIME", "weekly"), original_code="ONTIME", today=TODAY
    )
    periods = [m.period for m in sample_store.kpi_detail("ONTIME", TODAY).measurements]
    assert periods and all(p.weekday() == 6 for p in periods)
    assert len(set(periods)) == len(periods)


async def test_the_weekly_check_in_refuses_a_milestone_value_other_than_0_or_1(
    sample_store: Store, sample_db: Path
) -> None:
    from pmo_tui.screens.check_in import CheckInScreen

    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CheckInScreen(codes=[MILESTONE]))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CheckInScreen)
        assert "0 or 1" in screen.query_one("#ci-value", Input).placeholder
        before = db_bytes(sample_db)
        await pilot.press("ctrl+a", *"0.5", "enter")
        await settle(pilot)
        error = screen.query_one("#ci-value-error", Static)
        assert error.has_class("-shown") and "0 or 1" in str(error.content)
        # Saving from the comment anyway is refused by the store's rule, beside the value.
        await pilot.press("tab", "7", "enter")
        await settle(pilot)
        assert app.screen is screen and MILESTONE not in screen.saved
        assert "0 or 1" in str(screen.query_one("#ci-value-error", Static).content)
        assert db_bytes(sample_db) == before


def test_a_correction_onto_a_taken_period_replaces_only_when_asked(
    sample_store: Store, sample_db: Path
) -> None:
    september, october = date(2026, 9, 30), date(2026, 10, 31)
    before = db_bytes(sample_db)
    with pytest.raises(PeriodTaken):
        sample_store.correct_measurement("ONTIME", september, date(2026, 10, 12), 60.0, "", today=TODAY)
    assert db_bytes(sample_db) == before
    sample_store.correct_measurement(
        "ONTIME", september, date(2026, 10, 12), 60.0, "moved", today=TODAY, replace=True
    )
    periods = {m.period: (m.value, m.note) for m in sample_store.kpi_detail("ONTIME", TODAY).measurements}
    assert periods[october] == (60.0, "moved") and september not in periods


async def test_measurement_form_correction_onto_a_taken_period_offers_to_replace(sample_store: Store) -> None:
    september, october = date(2026, 9, 30), date(2026, 10, 31)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from pmo_tui.screens.kpi_forms import measurement_form

        detail = sample_store.kpi_detail("ONTIME", TODAY)
        app.push_screen(measurement_form(app, detail, september))
        await settle(pilot)
        set_fields(app.screen, period="2026-10-05", value="61")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert (
            "2026-10-31" in app.screen.question
            and "the value of 2026-09-30 moves there" in app.screen.question
        )
        await pilot.press("y")
        for _ in range(40):
            await settle(pilot)
            if not isinstance(app.screen, FormScreen | ConfirmScreen):
                break
    periods = {m.period: m.value for m in sample_store.kpi_detail("ONTIME", TODAY).measurements}
    assert periods[october] == 61.0 and september not in periods


def test_a_project_keeps_its_updates_true_when_its_start_or_budget_changes(
    sample_store: Store, sample_db: Path
) -> None:
    """A new start after an update, or a budget below an earned value, would make the project's own
    export refuse to import again."""
    from dataclasses import replace

    from pmo_tui.validation import check_project

    detail = sample_store.project_detail(PROJECT)
    fields = {
        "code": PROJECT,
        "name": detail.row.name,
        "owner": detail.row.owner,
        "status": detail.row.status,
        "goal": detail.goal_code or "",
        "start": PROJECT_START.isoformat(),
        "planned_finish": detail.planned_finish.isoformat(),
        "actual_finish": "",
        "budget": str(int(BUDGET)),
        "expected_benefit": "0",
        "realised_benefit": "0",
    }
    definition, errors = check_project(fields, {g.code for g in sample_store.goal_options()})
    assert not errors, errors
    first = min(u.on for u in detail.updates)
    most = max(u.earned_value for u in detail.updates)
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.save_project(
            replace(definition, start=first + timedelta(days=1)), original_code=PROJECT
        ),
        "start",
        f"a status update of {first.isoformat()} comes before it",
    )
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.save_project(replace(definition, budget=most - 1), original_code=PROJECT),
        "budget",
        "more than this budget",
    )
    sample_store.save_project(replace(definition, start=first, budget=most), original_code=PROJECT)


def test_a_toml_file_that_re_dates_a_cycle_keeps_its_check_ins_inside(
    sample_store: Store, sample_db: Path
) -> None:
    before = db_bytes(sample_db)
    with pytest.raises(PortfolioFileError) as refused:
        sample_store.import_portfolio_text(
            HEADER + '\n[[cycles]]\nname = "2026-Q4"\nstart = 2026-10-15\nend = 2026-12-31\n',
            "try.toml",
            today=TODAY,
        )
    assert refused.value.location == "try.toml: cycles[0].start"
    assert "would fall outside the cycle" in refused.value.message
    assert db_bytes(sample_db) == before
    sample_store.import_portfolio_text(
        HEADER + '\n[[cycles]]\nname = "2026-Q4"\nstart = 2026-09-28\nend = 2026-12-31\n',
        "try.toml",
        today=TODAY,
    )


# ============================================================================ the app's import form


async def import_in_app(store: Store, path: Path, today: date) -> tuple[str, bool]:
    """Import `path` through the app's import form, the app run as of `today`: (the message beside
    the file field, whether the form closed)."""
    from pmo_tui.screens.file_forms import import_form

    app = make_app(store, today=today)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = import_form(app)
        app.push_screen(form)
        await settle(pilot)
        set_fields(form, file=str(path))
        await save_and_wait(pilot)
        closed = app.screen is not form
        return ("" if closed else error_beside(form, "file")), closed


async def test_the_app_import_counts_the_apps_day_as_today(
    sample_store: Store, sample_db: Path, tmp_path: Path
) -> None:
    """An app run as of a fixed day (tests, --today) applies "not after today" against that day,
    in either direction from the clock's."""
    before = db_bytes(sample_db)
    toml = tmp_path / "later.toml"
    toml.write_text(objective_file(check_in("2026-11-21")), encoding="utf-8")
    said, closed = await import_in_app(sample_store, toml, TODAY)
    assert not closed and "check_ins[0].on" in said and "after today" in said, said
    csv = tmp_path / "later.csv"
    csv.write_text("kpi,period,value\nONTIME,2026-12-01,70\n", encoding="utf-8")
    said, closed = await import_in_app(sample_store, csv, TODAY)
    assert not closed and "after the current one (ending 2026-11-30)" in said, said
    assert db_bytes(sample_db) == before
    # A day far after the clock's: what it holds is no longer "after today".
    future = date(2090, 6, 15)
    csv.write_text("kpi,period,value\nONTIME,2090-06-01,70\n", encoding="utf-8")
    said, closed = await import_in_app(sample_store, csv, future)
    assert closed, said
    assert sample_store.kpi_detail("ONTIME", future).measurements[-1].period == date(2090, 6, 30)


# ============================================================================ a cycle's check-ins stay inside it


def cycle_definition(name: str, start: date, end: date):
    from pmo_tui.validation import CycleDefinition

    return CycleDefinition(name, start, end)


def objective_definition(store: Store, code: str, cycle: str):
    """The objective `code` as stored, put in `cycle`."""
    from pmo_tui.validation import ObjectiveDefinition

    row = next(o for o in store.okr_board(TODAY, holding=code).objectives if o.code == code)
    return ObjectiveDefinition(row.title, cycle, row.owner, row.goal_code, row.parent_code, row.status)


FIRST_Q4_CHECK_IN = date(2026, 10, 4)


def test_a_cycle_re_dated_keeps_its_check_ins_inside(sample_store: Store, sample_db: Path) -> None:
    """Re-dated by the store (the cycle form), a cycle still holds every check-in of its key results,
    as a TOML import requires: otherwise its own export would not import again."""
    last_q3 = max(
        check_in["on"]
        for objective in sample_store.export_portfolio()["objectives"]
        if objective["cycle"] == "2026-Q3"
        for kr in objective["key_results"]
        for check_in in kr["check_ins"]
    )
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.save_cycle(
            cycle_definition("2026-Q4", date(2026, 10, 5), Q4_END), original_name="2026-Q4"
        ),
        "start",
        "has a check-in on 2026-10-04",
        "would fall outside the cycle",
    )
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.save_cycle(
            cycle_definition("2026-Q3b", date(2026, 7, 1), last_q3 - timedelta(days=1)),
            original_name="2026-Q3",
        ),
        "end",
        f"has a check-in on {last_q3.isoformat()}",
    )
    # Up to the first and the last check-in, renamed too, is allowed; so is a new cycle.
    sample_store.save_cycle(cycle_definition("2026-Q4x", FIRST_Q4_CHECK_IN, Q4_END), original_name="2026-Q4")
    sample_store.save_cycle(cycle_definition("2026-Q3", date(2026, 7, 1), last_q3), original_name="2026-Q3")
    sample_store.save_cycle(cycle_definition("2027-Q1", date(2027, 1, 1), date(2027, 3, 31)))
    text = dump_portfolio(sample_store.export_portfolio())
    copy = Store.open(sample_db.with_name("copy.db"))
    try:
        copy.import_portfolio_text(text, "export.toml", today=TODAY)  # every export imports again
    finally:
        copy.close()


def test_an_objective_moved_to_another_cycle_keeps_its_check_ins_inside(
    sample_store: Store, sample_db: Path
) -> None:
    refused_by_store(
        sample_store,
        sample_db,
        lambda: sample_store.save_objective(
            objective_definition(sample_store, "Q4-O1", "2026-Q3"), original_code="Q4-O1"
        ),
        "cycle",
        "has a check-in on 2026-10-04",
        "2026-Q3 (2026-07-01 to 2026-09-30)",
    )
    # Unchanged in its own cycle, or moved without check-ins, it is saved.
    sample_store.save_objective(objective_definition(sample_store, "Q4-O1", "2026-Q4"), original_code="Q4-O1")
    new = sample_store.save_objective(objective_definition(sample_store, "Q4-O1", "2026-Q4"))
    sample_store.save_objective(objective_definition(sample_store, new, "2026-Q3"), original_code=new)
    assert sample_store.okr_board(TODAY, holding=new).cycle.name == "2026-Q3"
    assert sample_store.okr_board(TODAY, holding="Q4-O1").cycle.name == "2026-Q4"


async def test_the_cycle_and_objective_forms_say_which_check_in_would_fall_outside(
    sample_store: Store, sample_db: Path
) -> None:
    from textual.widgets import Select

    from pmo_tui.screens.okr_forms import cycle_form, objective_form

    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = db_bytes(sample_db)
        q4 = next(c for c in sample_store.cycles(TODAY) if c.name == "2026-Q4")
        form = cycle_form(app, q4)
        app.push_screen(form)
        await settle(pilot)
        set_fields(form, start="2026-10-05")
        await save_and_wait(pilot)
        assert app.screen is form
        said = error_beside(form, "start")
        assert "key result Q4-O1-KR1 has a check-in on 2026-10-04" in said, said
        assert "a check-in lies within its key result's cycle" in said
        assert error_beside(form, "end") == ""
        assert db_bytes(sample_db) == before
        await pilot.press("escape")
        await settle(pilot)

        cycles, objectives, _ = sample_store.okr_choices()
        row = next(o for o in sample_store.okr_board(TODAY, "2026-Q4").objectives if o.code == "Q4-O1")
        form = objective_form(
            app,
            cycles=cycles,
            objectives=objectives,
            goals=sample_store.goal_options(),
            cycle="2026-Q4",
            objective=row,
        )
        app.push_screen(form)
        await settle(pilot)
        form.query_one("#field-cycle", Select).value = "2026-Q3"
        await save_and_wait(pilot)
        assert app.screen is form
        said = error_beside(form, "cycle")
        assert (
            "has a check-in on 2026-10-04, which would fall outside 2026-Q3 (2026-07-01 to 2026-09-30)"
            in said
        )
        assert db_bytes(sample_db) == before
        # Put back, it saves.
        form.query_one("#field-cycle", Select).value = "2026-Q4"
        await save_and_wait(pilot)
        assert app.screen is not form
    assert sample_store.okr_board(TODAY, holding="Q4-O1").cycle.name == "2026-Q4"
    assert next(c for c in sample_store.cycles(TODAY) if c.name == "2026-Q4").start == Q4_START
