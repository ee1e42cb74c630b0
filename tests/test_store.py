"""Tests of pmo_tui.store on real SQLite files in tmp_path (never mocks).

Every expected number of the hand-made portfolio is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import copy
import os
import sqlite3
import stat
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy.exc
from conftest import TODAY

from pmo_tui import models
from pmo_tui.calculations import Grade, Health, Pace, Status
from pmo_tui.portfolio_file import Portfolio, PortfolioFileError, parse_portfolio
from pmo_tui.store import DatabaseError, Store

# --------------------------------------------------------------------------- helpers


def table_counts(path: Path) -> dict[str, int]:
    """Rows in every table of the file, read through a plain sqlite3 connection."""
    with sqlite3.connect(path) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        counts = {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    connection.close()
    return counts


def copy_row_sql(connection: sqlite3.Connection, table: str, overrides: dict[str, str] | None = None) -> str:
    """INSERT ... SELECT that copies one row of `table` (a new id), with some columns overridden."""
    overrides = overrides or {}
    columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")') if row[1] != "id"]
    selected = [overrides.get(c, f'"{c}"') for c in columns]
    quoted = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({quoted}) SELECT {", ".join(selected)} FROM "{table}" LIMIT 1'


def file_pragma(path: Path, name: str):
    connection = sqlite3.connect(path)
    try:
        return connection.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        connection.close()


def expected_counts(p: Portfolio) -> dict[str, int]:
    key_results = [kr for o in p.objectives for kr in o["key_results"]]
    return {
        "strategic goals": len(p.goals),
        "projects": len(p.projects),
        "status updates": sum(len(x["updates"]) for x in p.projects),
        "RAID items": sum(len(x["raid"]) for x in p.projects),
        "KPIs": len(p.kpis),
        "measurements": sum(len(k["measurements"]) for k in p.kpis),
        "cycles": len(p.cycles),
        "objectives": len(p.objectives),
        "key results": len(key_results),
        "check-ins": sum(len(kr["check_ins"]) for kr in key_results),
        "assessments": len(p.assessments),
    }


# --------------------------------------------------------------------------- a new database


def test_new_database_file_is_private_to_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store.open(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_new_database_records_wal_schema_version_and_application_id(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store.open(path).close()
    # These pragmas live in the file header, so a fresh sqlite3 connection sees them.
    assert file_pragma(path, "journal_mode") == "wal"
    assert file_pragma(path, "user_version") == models.SCHEMA_VERSION
    assert file_pragma(path, "application_id") == models.APPLICATION_ID


def test_store_connections_enforce_foreign_keys_and_wait_when_busy(empty_store: Store) -> None:
    # foreign_keys and busy_timeout are per connection: read them on the store's own engine.
    with empty_store._engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0


def test_new_database_is_empty(empty_store: Store) -> None:
    assert empty_store.is_empty()


def test_empty_file_becomes_a_database_only_through_pmo_init(tmp_path: Path) -> None:
    path = tmp_path / "zero.db"
    path.write_bytes(b"")
    # Another program may have made it for its own use: refused, untouched, unless initialised.
    with pytest.raises(DatabaseError) as raised:
        Store.open(path)
    assert "pmo init" in str(raised.value)
    assert path.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zero.db"], "no -wal or -shm left"
    store = Store.open(path, initialize=True)
    try:
        assert store.is_empty()
    finally:
        store.close()
    assert file_pragma(path, "application_id") == models.APPLICATION_ID
    assert file_pragma(path, "user_version") == models.SCHEMA_VERSION


def test_reopening_an_existing_database_keeps_its_data(sample_db: Path) -> None:
    before = table_counts(sample_db)
    store = Store.open(sample_db)
    try:
        assert not store.is_empty()
    finally:
        store.close()
    assert table_counts(sample_db) == before


def test_opening_and_reading_an_up_to_date_database_does_not_write_to_it(sample_db: Path) -> None:
    # Nothing to create or upgrade: opening and reading must leave the file byte-identical.
    before = sample_db.read_bytes()
    store = Store.open(sample_db)
    try:
        store.is_empty()
        store.overview(TODAY)
    finally:
        store.close()
    assert sample_db.read_bytes() == before


def _without_util_aim(document: dict) -> dict:
    """An export without UTIL's description and aim: the sample gave it a band after schema 1."""
    for kpi in document["kpis"]:
        if kpi["code"] == "UTIL":
            for field in ("description", "target", "warning", "band_low", "band_high"):
                kpi.pop(field, None)
    return document


def test_a_database_of_the_first_schema_is_upgraded_after_a_backup(
    tmp_path: Path, sample_store: Store
) -> None:
    # tests/data/schema-1.sql is the sample portfolio exactly as schema version 1 wrote it.
    path = tmp_path / "old.db"
    connection = sqlite3.connect(path)
    connection.executescript((Path(__file__).parent / "data" / "schema-1.sql").read_text())
    connection.close()
    assert file_pragma(path, "user_version") == 1
    before = path.read_bytes()
    store = Store.open(path)
    try:
        # Every record is still there, and the new column reads as its default. (The sample's
        # RAID logs and UTIL's band came after schema 1.)
        sample = sample_store.export_portfolio()
        sample["projects"] = [{**project, "raid": []} for project in sample["projects"]]
        assert _without_util_aim(store.export_portfolio()) == _without_util_aim(sample)
        board = store.okr_board(TODAY)
        assert [o.code for o in board.objectives] == ["Q4-O1", "Q4-O2", "Q4-O3"]
        assert not any(kr.archived for o in board.objectives for kr in o.key_results)
        store.set_key_result_archived("Q4-O1-KR1", True)
    finally:
        store.close()
    assert file_pragma(path, "user_version") == models.SCHEMA_VERSION
    assert (tmp_path / "old.db.schema-1.bak").read_bytes() == before
    # A second opening finds it up to date: no second backup, nothing lost.
    Store.open(path).close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".bak")) == ["old.db.schema-1.bak"]


# --------------------------------------------------------------------------- refusals


def test_refuses_a_text_file_and_leaves_it_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("my notes, not a database\n")
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="not a SQLite database"):
        Store.open(path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["notes.db"]


def test_refuses_a_sqlite_file_of_another_application_and_leaves_it_byte_identical(
    tmp_path: Path,
) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.execute("INSERT INTO recipes VALUES ('soup')")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="another application"):
        Store.open(path)
    # The message promises "left untouched": not even the journal mode may change.
    assert path.read_bytes() == before
    assert file_pragma(path, "journal_mode") == "delete"
    assert sorted(os.listdir(tmp_path)) == ["other.db"]


def test_refuses_a_database_of_a_newer_schema_and_leaves_it_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    Store.open(path).close()
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {models.SCHEMA_VERSION + 1}")
    connection.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="newer"):
        Store.open(path)
    assert path.read_bytes() == before
    assert file_pragma(path, "user_version") == models.SCHEMA_VERSION + 1
    assert sorted(os.listdir(tmp_path)) == ["newer.db"]  # no backup, no journal left behind


def test_refuses_a_path_in_a_missing_folder_and_creates_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "missing"
    with pytest.raises(DatabaseError) as raised:
        Store.open(folder / "portfolio.db")
    assert str(folder) in str(raised.value)
    assert "does not exist" in str(raised.value)
    assert not folder.exists()
    assert os.listdir(tmp_path) == []


def test_refuses_a_path_that_is_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "looks-like.db"
    folder.mkdir()
    with pytest.raises(DatabaseError, match="is a folder"):
        Store.open(folder)
    assert folder.is_dir()
    assert os.listdir(folder) == []


def test_create_folder_makes_the_missing_folder_private(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    store = Store.open(folder / "portfolio.db", create_folder=True)
    try:
        assert store.is_empty()
    finally:
        store.close()
    assert (folder / "portfolio.db").is_file()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


# --------------------------------------------------------------------------- constraints


@pytest.mark.parametrize(
    "table",
    ["strategic_goal", "project", "kpi", "cycle", "objective", "key_result"],
)
def test_codes_are_unique(sample_db: Path, table: str) -> None:
    connection = sqlite3.connect(sample_db)
    try:
        # Copying a row as-is repeats its code (or cycle name).
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            connection.execute(copy_row_sql(connection, table))
    finally:
        connection.close()


def test_one_measurement_per_kpi_and_period(sample_db: Path) -> None:
    connection = sqlite3.connect(sample_db)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            connection.execute(copy_row_sql(connection, "measurement", {"value": "value + 1"}))
    finally:
        connection.close()


def test_one_answer_per_question_in_an_assessment(sample_db: Path) -> None:
    connection = sqlite3.connect(sample_db)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            connection.execute(copy_row_sql(connection, "answer"))
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("measurement", "kpi_id"),
        ("project_update", "project_id"),
        ("key_result", "objective_id"),
        ("check_in", "key_result_id"),
        ("answer", "assessment_id"),
    ],
)
def test_foreign_keys_are_enforced_on_store_connections(sample_store: Store, table: str, column: str) -> None:
    # Copy a row, pointing it at an owner that does not exist (and moving off unique keys).
    fresh = {
        "code": "'NEW-CODE'",
        "period": "'1999-01-31'",
        "on": "'1999-01-31'",
        "question_id": "'new.question'",
        column: "987654",
    }
    reader = sqlite3.connect(sample_store.path)
    try:
        columns = {row[1] for row in reader.execute(f'PRAGMA table_info("{table}")')}
        sql = copy_row_sql(reader, table, {k: v for k, v in fresh.items() if k in columns})
    finally:
        reader.close()
    # Through the store's engine: foreign keys are switched on per connection.
    with (
        pytest.raises(sqlalchemy.exc.IntegrityError, match="FOREIGN KEY"),
        sample_store._engine.begin() as connection,
    ):
        connection.exec_driver_sql(sql)


def test_check_constraints_refuse_out_of_range_values(sample_db: Path) -> None:
    connection = sqlite3.connect(sample_db)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            connection.execute("UPDATE check_in SET confidence = 1.5")
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            connection.execute("UPDATE project SET budget = -1")
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            connection.execute("UPDATE project SET status = 'finished'")
    finally:
        connection.close()


# --------------------------------------------------------------------------- importing


def test_import_of_the_sample_reports_what_the_file_holds(
    empty_store: Store, sample_portfolio: Portfolio
) -> None:
    assert empty_store.is_empty()
    summary = empty_store.import_portfolio(sample_portfolio)
    assert summary.counts == expected_counts(sample_portfolio)
    assert not empty_store.is_empty()


def test_import_of_the_sample_writes_every_row(empty_store: Store, sample_portfolio: Portfolio) -> None:
    empty_store.import_portfolio(sample_portfolio)
    counts = table_counts(empty_store.path)
    expected = expected_counts(sample_portfolio)
    assert counts["strategic_goal"] == expected["strategic goals"]
    assert counts["project"] == expected["projects"]
    assert counts["project_update"] == expected["status updates"]
    assert counts["raid_item"] == expected["RAID items"]
    assert counts["kpi"] == expected["KPIs"]
    assert counts["measurement"] == expected["measurements"]
    assert counts["cycle"] == expected["cycles"]
    assert counts["objective"] == expected["objectives"]
    assert counts["key_result"] == expected["key results"]
    assert counts["check_in"] == expected["check-ins"]
    assert counts["assessment"] == expected["assessments"]
    assert counts["answer"] == sum(len(a["answers"]) for a in sample_portfolio.assessments)


def test_import_links_objectives_to_their_parent_and_origin(
    sample_db: Path, sample_portfolio: Portfolio
) -> None:
    connection = sqlite3.connect(sample_db)
    try:
        links = dict(
            connection.execute(
                "SELECT o.code, p.code FROM objective o JOIN objective p ON p.id = o.parent_id"
            ).fetchall()
        )
        carried = dict(
            connection.execute(
                "SELECT o.code, c.code FROM objective o JOIN objective c ON c.id = o.carried_from_id"
            ).fetchall()
        )
    finally:
        connection.close()
    assert links == {o["code"]: o["parent"] for o in sample_portfolio.objectives if o["parent"]}
    assert carried == {o["code"]: o["carried_from"] for o in sample_portfolio.objectives if o["carried_from"]}


def test_importing_the_sample_twice_is_refused_and_changes_nothing(
    sample_store: Store, sample_portfolio: Portfolio
) -> None:
    before = table_counts(sample_store.path)
    with pytest.raises(PortfolioFileError) as raised:
        sample_store.import_portfolio(sample_portfolio)
    assert raised.value.location == "goals[0].code"
    assert "already exists" in raised.value.message
    assert table_counts(sample_store.path) == before


def test_import_failing_half_way_rolls_back_everything(
    empty_store: Store, sample_portfolio: Portfolio
) -> None:
    # A record the database refuses (bypassing the file checks) after goals were written.
    broken = copy.deepcopy(sample_portfolio)
    broken.projects[-1]["status"] = "finished"
    identity_before, _, _ = empty_store.revision().rpartition(":")
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        empty_store.import_portfolio(broken)
    assert empty_store.is_empty()
    counts = table_counts(empty_store.path)
    assert counts.pop("revision") == 1, "the revision counter's single row"
    assert all(count == 0 for count in counts.values())
    identity, _, counter = empty_store.revision().rpartition(":")
    assert counter == "0", "no change was committed"
    assert identity == identity_before, "the rollback keeps the file's identity"


# --------------------------------------------------------------------------- a small portfolio, by hand

# Today is 2026-11-20. Three projects, three KPIs, one cycle with two objectives.
SMALL_PORTFOLIO = """
format = "pmo-tui portfolio"
version = 1

[[goals]]
code = "G1"
name = "Grow"

# P1: over a month late and more than 10 % over budget.
[[projects]]
code = "P1"
name = "Late and overrunning"
goal = "G1"
start = 2026-01-01
planned_finish = 2026-12-31
budget = 1000
expected_benefit = 1500

[[projects.updates]]   # an older update: its figures must not be used
on = 2026-10-01
forecast_finish = 2026-12-31
planned_value = 600
earned_value = 600
actual_cost = 600
change_requests = 1
open_risks = 5

[[projects.updates]]
on = 2026-11-01
forecast_finish = 2027-02-15
planned_value = 800
earned_value = 720
actual_cost = 800
change_requests = 2
open_risks = 3

# P2: on time but slipping, under budget, serves no goal.
[[projects]]
code = "P2"
name = "Slipping"
start = 2026-03-01
planned_finish = 2027-03-31
budget = 2000
expected_benefit = 2000

[[projects.updates]]
on = 2026-11-01
forecast_finish = 2027-03-31
planned_value = 1000
earned_value = 900
actual_cost = 750
change_requests = 3
open_risks = 1

# P3: done early, but it cost a little more than its budget.
[[projects]]
code = "P3"
name = "Done early"
status = "done"
goal = "G1"
start = 2026-01-01
planned_finish = 2026-06-30
actual_finish = 2026-06-20
budget = 500
expected_benefit = 700
realised_benefit = 800

[[projects.updates]]
on = 2026-06-30
forecast_finish = 2026-06-30
planned_value = 500
earned_value = 500
actual_cost = 520
change_requests = 1
open_risks = 0

[[kpis]]
code = "HI"
name = "Higher is better"
direction = "higher"
target = 80
warning = 70
cadence = "monthly"
measurements = [
    { period = 2026-09-30, value = 60 },
    { period = 2026-10-31, value = 75 },
]

[[kpis]]
code = "LO"
name = "Lower is better"
direction = "lower"
target = 5
warning = 8
cadence = "weekly"
measurements = [
    { period = 2026-11-08, value = 6 },
    { period = 2026-11-15, value = 4 },
]

[[kpis]]
code = "OLD"
name = "Not measured lately"
direction = "higher"
target = 50
warning = 40
cadence = "monthly"
measurements = [{ period = 2026-09-30, value = 90 }]

[[cycles]]
name = "2026-Q4"
start = 2026-10-01
end = 2026-12-31

[[objectives]]
code = "O1"
title = "Confident about little"
cycle = "2026-Q4"
goal = "G1"

[[objectives.key_results]]
code = "O1-KR1"
title = "Raise it"
kind = "increase"
baseline = 0
target = 100
weight = 2
check_ins = [
    { on = 2026-10-15, value = 40, confidence = 0.2 },
    { on = 2026-11-15, value = 75, confidence = 0.7 },
]

[[objectives.key_results]]
code = "O1-KR2"
title = "Bring it down"
kind = "decrease"
baseline = 10
target = 4
check_ins = [
    { on = 2026-10-20, value = 9, confidence = 0.9 },
    { on = 2026-11-18, value = 7, confidence = 0.45 },
]

[[objectives]]
code = "O2"
title = "Gone quiet"
cycle = "2026-Q4"

[[objectives.key_results]]
code = "O2-KR1"
title = "Stay in the band"
kind = "within_band"
target = 100
band_low = 90
band_high = 110
check_ins = [
    { on = 2026-10-08, value = 95, confidence = 0.9 },
    { on = 2026-10-30, value = 120, confidence = 0.8 },
]

[[objectives.key_results]]
code = "O2-KR2"
title = "Ship it"
kind = "milestone"
target = 1
check_ins = [{ on = 2026-11-16, value = 0, confidence = 0.25 }]
"""


def store_with(tmp_path: Path, text: str, name: str = "small.db") -> Store:
    store = Store.open(tmp_path / name)
    store.import_portfolio(parse_portfolio(text))
    return store


@pytest.fixture
def small_store(tmp_path: Path):
    store = store_with(tmp_path, SMALL_PORTFOLIO)
    yield store
    store.close()


def test_small_portfolio_figures(small_store: Store) -> None:
    figures = small_store.overview(TODAY).figures
    assert figures.project_count == 3
    # On time: P1 finishes 2027-02-15 > 2026-12-31 (late); P2 on its date; P3 ten days early -> 2/3.
    assert figures.on_time_pct == pytest.approx(200 / 3)
    # Within budget: P1 EAC = 1000 / (720/800) = 1111.1 > 1000 (no);
    # P2 EAC = 2000 / (900/750) = 1666.7 <= 2000 (yes); P3 done, AC 520 > 500 (no) -> 1/3.
    assert figures.within_budget_pct == pytest.approx(100 / 3)
    # SPI = ΣEV / ΣPV = (720 + 900 + 500) / (800 + 1000 + 500) = 2120 / 2300 (latest updates only).
    assert figures.spi == pytest.approx(2120 / 2300)
    # CPI = ΣEV / ΣAC = 2120 / (800 + 750 + 520) = 2120 / 2070.
    assert figures.cpi == pytest.approx(2120 / 2070)
    # ROI: cost = 10000/9 + 5000/3 + 520 = 29680/9; benefit = 1500 + 2000 + 800 (P3 realised) = 4300.
    # (4300 - 29680/9) / (29680/9) = (38700 - 29680) / 29680 = 9020 / 29680.
    assert figures.roi == pytest.approx(9020 / 29680)
    # Aligned: P1 and P3 serve G1, P2 none -> 2/3.
    assert figures.aligned_pct == pytest.approx(200 / 3)
    # Change requests from each latest update: (2 + 3 + 1) / 3 = 2.
    assert figures.change_requests_per_project == pytest.approx(2.0)
    # Open risks from each latest update: 3 + 1 + 0 (P1's older 5 is history).
    assert figures.open_risks == 4


def test_small_portfolio_project_health(small_store: Store) -> None:
    rows = {row.code: row for row in small_store.overview(TODAY).projects}
    assert list(rows) == ["P1", "P2", "P3"]
    # P1: SPI 720/800 = 0.9, CPI 0.9. 2026-12-31 -> 2027-02-15 is 46 days late (> 30) -> schedule red;
    # EAC 1000/0.9 = 1111 overruns the budget by 11 % (> 10 %) -> budget red.
    assert rows["P1"].spi == pytest.approx(0.9)
    assert rows["P1"].cpi == pytest.approx(0.9)
    assert rows["P1"].days_late == 46
    assert rows["P1"].schedule is Health.RED
    assert rows["P1"].budget is Health.RED
    assert rows["P1"].goal == "Grow"
    # P2: on time but SPI 900/1000 = 0.9 (0.85 <= 0.9 < 0.95) -> amber; CPI 900/750 = 1.2 -> green.
    assert rows["P2"].spi == pytest.approx(0.9)
    assert rows["P2"].cpi == pytest.approx(1.2)
    assert rows["P2"].days_late == 0
    assert rows["P2"].schedule is Health.AMBER
    assert rows["P2"].budget is Health.GREEN
    assert rows["P2"].goal is None
    # P3 (done): judged by its finish (10 days early) -> green; actual cost 520 is 4 % over -> amber.
    assert rows["P3"].days_late == -10
    assert rows["P3"].schedule is Health.GREEN
    assert rows["P3"].budget is Health.AMBER


def test_small_portfolio_kpi_tiles(small_store: Store) -> None:
    tiles = {tile.code: tile for tile in small_store.overview(TODAY).kpis}
    assert list(tiles) == ["HI", "LO", "OLD"]
    # HI (higher): latest 75 is below the target 80 but above the warning 70 -> amber.
    # Monthly: late after 31 + 7 days; 2026-10-31 is 20 days ago -> not overdue.
    assert tiles["HI"].value == 75
    assert tiles["HI"].last_period == date(2026, 10, 31)
    assert tiles["HI"].history == (60, 75)
    assert tiles["HI"].status is Status.AMBER
    assert not tiles["HI"].overdue
    # LO (lower): latest 4 <= target 5 -> green; weekly: 5 days since 2026-11-15 <= 7 + 2.
    assert tiles["LO"].value == 4
    assert tiles["LO"].status is Status.GREEN
    assert not tiles["LO"].overdue
    # OLD: 90 would be green, but 2026-09-30 is 51 days ago > 38 -> overdue, shown as unknown.
    assert tiles["OLD"].overdue
    assert tiles["OLD"].status is Status.UNKNOWN


def test_small_portfolio_current_cycle(small_store: Store) -> None:
    cycle = small_store.overview(TODAY).cycle
    assert cycle is not None
    assert cycle.name == "2026-Q4"
    # 50 of the cycle's 91 days (2026-10-01 .. 2026-12-31) have passed.
    assert cycle.elapsed == pytest.approx(50 / 91)


def test_small_portfolio_objectives(small_store: Store) -> None:
    rows = {row.code: row for row in small_store.overview(TODAY).objectives}
    assert list(rows) == ["O1", "O2"]
    o1, o2 = rows["O1"], rows["O2"]
    # O1: KR1 (0 -> 100, now 75) = 0.75 with weight 2; KR2 (10 -> 4, now 7) = 3/6 = 0.5 with weight 1.
    # Weighted: (0.75*2 + 0.5*1) / 3 = 2/3.
    assert o1.progress == pytest.approx(2 / 3)
    assert o1.grade is Grade.AMBER  # 0.4 <= 0.667 < 0.7
    # Confidence: the lowest *latest* confidence of its KRs: min(0.7, 0.45); KR1's older 0.2 is history.
    assert o1.confidence == pytest.approx(0.45)
    # Progress 0.667 is ahead of the expected 50/91 = 0.549, but confidence 0.45 < 0.5 -> at risk.
    assert o1.pace is Pace.AT_RISK
    assert o1.key_result_count == 2
    assert o1.overdue_key_results == 0  # last check-ins 5 and 2 days ago
    # O2: band 90..110 holds 95 but not 120 -> 1/2; milestone not done -> 0. Mean (0.5 + 0) / 2.
    assert o2.progress == pytest.approx(0.25)
    assert o2.grade is Grade.RED
    assert o2.confidence == pytest.approx(0.25)  # min(0.8, 0.25)
    # The band KR last checked in 2026-10-30, 21 days ago (> 7) -> overdue, so the objective is.
    assert o2.overdue_key_results == 1
    assert o2.pace is Pace.OVERDUE
    assert o2.key_result_count == 2


@pytest.mark.parametrize(
    ("direction", "value", "status"),
    [
        # target 80, warning 70 when higher is better
        ("higher", 85, Status.GREEN),
        ("higher", 75, Status.AMBER),
        ("higher", 65, Status.RED),
        # target 5, warning 8 when lower is better
        ("lower", 4, Status.GREEN),
        ("lower", 6, Status.AMBER),
        ("lower", 9, Status.RED),
    ],
)
def test_kpi_status_follows_its_direction(
    tmp_path: Path, direction: str, value: float, status: Status
) -> None:
    target, warning = (80, 70) if direction == "higher" else (5, 8)
    text = f"""
format = "pmo-tui portfolio"
version = 1
[[kpis]]
code = "K"
name = "K"
direction = "{direction}"
target = {target}
warning = {warning}
measurements = [{{ period = 2026-10-31, value = {value} }}]
"""
    store = store_with(tmp_path, text)
    try:
        (tile,) = store.overview(TODAY).kpis
    finally:
        store.close()
    assert tile.status is status
    assert not tile.overdue


def test_overview_of_an_empty_database(empty_store: Store) -> None:
    overview = empty_store.overview(TODAY)
    assert overview.kpis == ()
    assert overview.projects == ()
    assert overview.cycle is None
    assert overview.objectives == ()
    assert overview.figures.project_count == 0
    assert overview.figures.on_time_pct is None


# --------------------------------------------------------------------------- the sample


def test_sample_overview_shows_only_active_kpis(sample_store: Store, sample_portfolio: Portfolio) -> None:
    codes = [tile.code for tile in sample_store.overview(TODAY).kpis]
    assert len(codes) == 11
    assert "RPTOT" not in codes  # retired
    assert set(codes) == {k["code"] for k in sample_portfolio.kpis if k["active"]}


def test_sample_utilisation_kpi_is_overdue(sample_store: Store) -> None:
    tiles = {tile.code: tile for tile in sample_store.overview(TODAY).kpis}
    assert tiles["UTIL"].overdue
    assert tiles["UTIL"].status is Status.UNKNOWN
    assert [code for code, tile in tiles.items() if tile.overdue] == ["UTIL"]


@pytest.mark.parametrize("code", ["PRJ-101", "PRJ-104"])
def test_sample_late_projects_have_red_schedule(sample_store: Store, code: str) -> None:
    rows = {row.code: row for row in sample_store.overview(TODAY).projects}
    assert rows[code].days_late is not None and rows[code].days_late > 0
    assert rows[code].schedule is Health.RED


def test_sample_current_cycle_and_objectives(sample_store: Store) -> None:
    overview = sample_store.overview(TODAY)
    assert overview.cycle is not None
    assert overview.cycle.name == "2026-Q4"
    assert overview.cycle.status == "open"
    assert [o.code for o in overview.objectives] == ["Q4-O1", "Q4-O2", "Q4-O3"]


def test_sample_search_targets_cover_projects_active_kpis_and_objectives(
    sample_store: Store, sample_portfolio: Portfolio
) -> None:
    targets = {(t.kind, t.code) for t in sample_store.search_targets()}
    expected = (
        {("project", p["code"]) for p in sample_portfolio.projects}
        | {("kpi", k["code"]) for k in sample_portfolio.kpis if k["active"]}
        | {("objective", o["code"]) for o in sample_portfolio.objectives}
    )
    assert targets == expected
    assert ("kpi", "RPTOT") not in targets


# --------------------------------------------------------------------------- two stores at once


def test_second_store_reads_while_the_first_writes(empty_store: Store) -> None:
    second = Store.open(empty_store.path)
    try:
        with empty_store._write_engine.begin() as writer:
            writer.exec_driver_sql(
                "INSERT INTO strategic_goal (code, name, description, owner, active) "
                "VALUES ('G9', 'Pending', '', '', 1)"
            )
            # WAL: the reader is not blocked and sees the last committed state.
            assert second.is_empty()
            assert second.overview(TODAY).projects == ()
        assert not second.is_empty()
    finally:
        second.close()
