"""The store, the command line and import/export on both databases: a SQLite file and a real
PostgreSQL server that the tests start themselves (tests/pg.py, issue 18).

Fixtures (tests/conftest.py): `db_url` is where an empty database is (a SQLite file's path, or a
postgresql+psycopg:// URL of a fresh database), `sample_any_db` and `sample_any` hold the sample
portfolio. The PostgreSQL URLs name a role with a password (pg.OWNER), which must never show.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import time
import traceback
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from helpers import TODAY
from pg import OWNER, OWNER_PASSWORD, PgServer

from pmo_tui import models
from pmo_tui.cli import main
from pmo_tui.portfolio_file import Portfolio, dump_portfolio
from pmo_tui.store import DatabaseError, Store

# --------------------------------------------------------------------------- helpers


def is_pg(db: str) -> bool:
    return db.startswith("postgresql")


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as libpq (psycopg) takes it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def pg_tables(url: str) -> set[str]:
    with psycopg.connect(libpq_url(url)) as connection:
        return {
            name
            for (name,) in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            )
        }


def snapshot(db: str) -> Any:
    """Everything a database holds, to compare before and after: a SQLite file's bytes (and its
    write-ahead log); for PostgreSQL its relations, columns, functions, triggers and every row."""
    if not is_pg(db):
        path = Path(db)
        wal = path.with_name(path.name + "-wal")
        return (path.read_bytes() if path.exists() else None, wal.read_bytes() if wal.exists() else None)
    with psycopg.connect(libpq_url(db)) as connection:
        catalog = connection.execute(
            "SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1, 2"
        ).fetchall()
        columns = connection.execute(
            "SELECT table_schema, table_name, column_name, data_type, column_default FROM information_schema.columns "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2, 3"
        ).fetchall()
        functions = connection.execute(
            "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
        ).fetchall()
        triggers = connection.execute(
            "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2"
        ).fetchall()
        rows = {}
        for schema, name, kind in catalog:
            if kind == "r":
                rows[name] = sorted(
                    map(repr, connection.execute(f'SELECT * FROM "{schema}"."{name}"').fetchall())
                )
        comment = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
        ).fetchone()
    return catalog, columns, functions, triggers, rows, comment


def add_foreign_table(db: str) -> None:
    """Make the database another application's: a table of its own with a row."""
    if is_pg(db):
        with psycopg.connect(libpq_url(db)) as connection:
            connection.execute("CREATE TABLE invoice (id integer PRIMARY KEY, total numeric)")
            connection.execute("INSERT INTO invoice VALUES (1, 99.5)")
    else:
        connection = sqlite3.connect(db)
        connection.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, total REAL)")
        connection.execute("INSERT INTO invoice VALUES (1, 99.5)")
        connection.commit()
        connection.close()


def set_schema_version(db: str, version: int) -> None:
    """Write `version` where the database says its schema version: SQLite's user_version; on
    PostgreSQL, the one cell holding SCHEMA_VERSION in the store's own table of versions (the table
    that is not a model's; found, not named, so that this test does not fix its name)."""
    if not is_pg(db):
        connection = sqlite3.connect(db)
        connection.execute(f"PRAGMA user_version = {version}")
        connection.close()
        return
    from sqlmodel import SQLModel

    ours = set(SQLModel.metadata.tables) | {"revision"}
    found = []
    with psycopg.connect(libpq_url(db)) as connection:
        for table in sorted(pg_tables(db) - ours):
            cursor = connection.execute(f'SELECT * FROM "{table}"')
            names = [column.name for column in cursor.description]
            for row in cursor.fetchall():
                cells = dict(zip(names, row, strict=True))
                about_version = any("version" in str(v).lower() for v in cells.values())
                for name, value in cells.items():
                    if str(value) == str(models.SCHEMA_VERSION) and ("version" in name or about_version):
                        found.append((table, name, cells))
        assert len(found) == 1, f"where is the schema version? candidates: {found}; tables {pg_tables(db)}"
        table, name, cells = found[0]
        where = " AND ".join(f'"{k}" IS NOT DISTINCT FROM %s' for k in cells)
        value = version if isinstance(cells[name], int) else str(version)
        connection.execute(f'UPDATE "{table}" SET "{name}" = %s WHERE {where}', (value, *cells.values()))


def export_text(db: str) -> str:
    store = Store.open(db)
    try:
        return dump_portfolio(store.export_portfolio())
    finally:
        store.close()


@pytest.fixture
def sample_pg_url(pg_server: PgServer, _pg_sample_template: str) -> Iterator[str]:
    """The sample portfolio in a PostgreSQL database of its own."""
    name = pg_server.create_database(template=_pg_sample_template)
    yield pg_server.url(name)
    pg_server.drop_database(name)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, db: str, *arguments: str, ok: bool = True):
    result = runner.invoke(main, ["--db", db, *arguments])
    if ok:
        assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    assert OWNER_PASSWORD not in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result


def one_line_error(result, *words: str) -> None:
    assert result.exit_code == 2, (result.stdout, result.stderr, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("pmo: "), result.stderr
    for word in words:
        assert word in lines[0]
    assert OWNER_PASSWORD not in result.stderr


# --------------------------------------------------------------------------- the test server (tests/pg.py)


@pytest.mark.postgresql
def test_each_test_gets_a_fresh_empty_database_owned_by_a_role_with_a_password(
    pg_server: PgServer, pg_url: str
) -> None:
    assert pg_server.running
    assert pg_tables(pg_url) == set()
    with psycopg.connect(libpq_url(pg_url)) as connection:
        user, superuser = connection.execute(
            "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
    assert (user, superuser) == (OWNER, False)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(libpq_url(pg_server.url("postgres", password="wrong"))).close()
    # PostgreSQL runs as an ordinary user, even when the tests run as root (as in CI).
    assert os.stat(f"/proc/{pg_server.process.pid}").st_uid != 0


@pytest.mark.postgresql
def test_a_killed_test_process_leaves_no_postgres_behind(tmp_path: Path) -> None:
    """SIGKILL skips every cleanup of the test process: its server dies with it all the same."""
    import signal
    import subprocess
    import sys

    started = tmp_path / "started"
    script = (
        "import sys, time; from pg import PgServer; server = PgServer().start(); "
        f"open({str(started)!r}, 'w').write('%d %s' % (server.process.pid, server.base)); time.sleep(120)"
    )
    child = subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).parent)
    try:
        deadline = time.monotonic() + 60
        while not started.exists() or not started.read_text():
            assert time.monotonic() < deadline and child.poll() is None, "the server did not start"
            time.sleep(0.1)
        pid, base = started.read_text().split(" ", 1)
        postmaster = int(pid)
        assert Path(f"/proc/{postmaster}").exists()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    deadline = time.monotonic() + 15
    while Path(f"/proc/{postmaster}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{postmaster}").exists(), "the postmaster outlived its test process"
    # The folder stays: the next PgServer sweeps it, perhaps another test session's right now.
    shutil.rmtree(base, ignore_errors=True)


# --------------------------------------------------------------------------- the store


def test_init_makes_an_empty_portfolio_that_opens_again(db_url: str) -> None:
    store = Store.open(db_url, initialize=True)
    try:
        assert store.is_empty()
        assert store.overview(TODAY).projects == ()
        assert store.revision() is not None
    finally:
        store.close()
    again = Store.open(db_url)
    try:
        assert again.is_empty()
    finally:
        again.close()


@pytest.mark.postgresql
def test_an_empty_postgresql_database_becomes_a_pmo_database_only_through_init(pg_url: str) -> None:
    """As an empty file: another program may have made it for its own use (see Store.open)."""
    before = snapshot(pg_url)
    with pytest.raises(DatabaseError, match="pmo init") as refused:
        Store.open(pg_url)
    assert OWNER_PASSWORD not in str(refused.value)
    assert snapshot(pg_url) == before
    Store.open(pg_url, initialize=True).close()
    assert {"project", "kpi", "check_in", "measurement"} <= pg_tables(pg_url)


def test_the_sample_reads_the_same_on_both_databases(sample_any: Store, sample_store: Store) -> None:
    assert sample_any.export_portfolio() == sample_store.export_portfolio()
    assert sample_any.overview(TODAY) == sample_store.overview(TODAY)
    assert sample_any.okr_board(TODAY) == sample_store.okr_board(TODAY)


def test_writes_are_kept_from_one_opening_to_the_next(sample_any_db: str) -> None:
    store = Store.open(sample_any_db)
    try:
        first = store.revision()
        store.record_check_in("Q4-O1-KR2", TODAY, 86, 0.7, "two more", today=TODAY)
        store.add_measurement("ONTIME", date(2026, 11, 3), 74.5, "sheet", today=TODAY)
        assert store.revision() != first
    finally:
        store.close()
    store = Store.open(sample_any_db)
    try:
        latest = store.key_result_detail("Q4-O1-KR2", TODAY)[1].latest
        assert (latest.on, latest.value, latest.confidence, latest.comment) == (TODAY, 86.0, 0.7, "two more")
        measurement = store.kpi_detail("ONTIME", TODAY).measurements[-1]
        assert (measurement.period, measurement.value) == (date(2026, 11, 30), 74.5)
    finally:
        store.close()


def test_an_okr_in_the_next_cycle_and_a_descoped_closing_on_both_databases(sample_any: Store) -> None:
    from pmo_tui.validation import ProjectClosing

    code = sample_any.start_okr_from_kpi("CRPP", "Fewer changes next quarter", "", 2.5, TODAY, "2027-Q1")
    cycle = next(c for c in sample_any.cycles(TODAY) if c.name == "2027-Q1")
    assert (cycle.start, cycle.end, cycle.status) == (date(2027, 1, 1), date(2027, 3, 31), "open")
    board = sample_any.okr_board(TODAY, "2027-Q1")
    assert [o.code for o in board.objectives] == [code]
    sample_any.close_project("PRJ-104", "done", TODAY, ProjectClosing(1_300_000, 1_100_000, descoped=True))
    detail = sample_any.project_detail("PRJ-104")
    assert (detail.row.status, detail.budget, detail.realised_benefit) == ("done", 882_200, 1_300_000)
    assert detail.latest is not None and detail.latest.earned_value == detail.latest.planned_value == 882_200


def test_refuses_a_database_of_another_application_and_leaves_it_untouched(db_url: str) -> None:
    add_foreign_table(db_url)
    before = snapshot(db_url)
    for initialize in (False, True):
        with pytest.raises(DatabaseError, match="another application") as refused:
            Store.open(db_url, initialize=initialize)
        assert "untouched" in str(refused.value)
        assert OWNER_PASSWORD not in str(refused.value)
    assert snapshot(db_url) == before


def test_refuses_a_database_of_a_newer_schema_and_leaves_it_untouched(db_url: str) -> None:
    Store.open(db_url, initialize=True).close()
    set_schema_version(db_url, models.SCHEMA_VERSION + 1)
    before = snapshot(db_url)
    for initialize in (False, True):
        with pytest.raises(DatabaseError, match="newer") as refused:
            Store.open(db_url, initialize=initialize)
        assert OWNER_PASSWORD not in str(refused.value)
    assert snapshot(db_url) == before


def test_a_second_store_sees_the_first_ones_commit(sample_any_db: str) -> None:
    first, second = Store.open(sample_any_db), Store.open(sample_any_db)
    try:
        revision, version = second.revision(), second.data_version()
        first.add_measurement("ONTIME", date(2026, 11, 3), 74.5, today=TODAY)
        assert second.revision() != revision
        # Seen at once on SQLite; on PostgreSQL perhaps by a notification or a poll: a moment.
        deadline = time.monotonic() + 3
        while second.data_version() == version and time.monotonic() < deadline:
            time.sleep(0.05)
        assert second.data_version() != version
        assert second.kpi_detail("ONTIME", TODAY).measurements[-1].value == 74.5
    finally:
        first.close()
        second.close()


@pytest.mark.postgresql
def test_a_server_restart_is_told_plainly_and_the_store_reconnects(
    pg_server: PgServer, sample_pg_url: str, runner: CliRunner
) -> None:
    from pmo_tui.failures import explain

    store = Store.open(sample_pg_url)
    try:
        before = store.overview(TODAY)
        pg_server.halt()
        try:
            with pytest.raises(Exception) as lost:  # noqa: B017 (whatever it is, it is explained)
                store.overview(TODAY)
            # In the app, the screen says this (issue 18: "a clear message", not the catch-all).
            message = explain(lost.value)
            assert "Traceback" not in message and OWNER_PASSWORD not in message, message
            assert "does not know how to explain" not in message, message
            assert "server" in message.lower() or "connection" in message.lower(), message
            one_line_error(run(runner, sample_pg_url, "export", "-", ok=False))
        finally:
            pg_server.resume()
        assert store.overview(TODAY) == before  # the same Store, connected again
        store.add_measurement("ONTIME", date(2026, 11, 3), 74.5, today=TODAY)
    finally:
        store.close()


def test_an_import_refused_half_way_leaves_the_database_as_it_was(
    db_url: str, sample_portfolio: Portfolio
) -> None:
    """A record the database itself refuses (past the file's checks), after goals and projects were
    written: nothing of the import stays, on either database."""
    import copy

    Store.open(db_url, initialize=True).close()
    before = snapshot(db_url)
    broken = copy.deepcopy(sample_portfolio)
    broken.projects[-1]["status"] = "finished"
    store = Store.open(db_url)
    try:
        revision = store.revision()
        with pytest.raises(Exception) as refused:  # noqa: B017 (the database's refusal, whatever its class)
            store.import_portfolio(broken)
        assert OWNER_PASSWORD not in str(refused.value)
        assert store.is_empty()
        assert store.revision() == revision
    finally:
        store.close()
    assert snapshot(db_url) == before


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ("check_in", ("key_result_id", "on")),
        ("measurement", ("kpi_id", "period")),
        ("project", ("code",)),
        ("objective", ("code",)),
        ("key_result", ("code",)),
        ("kpi", ("code",)),
    ],
)
def test_the_database_itself_refuses_a_second_row_for_the_same_key(
    sample_any_db: str, table: str, key: tuple[str, ...]
) -> None:
    """One check-in per key result and day, one measurement per KPI and period, unique codes:
    constraints of the database, whoever writes (issue 18: "enforced by constraints and locks, not
    by luck"). A copy of an existing row but its id is refused."""
    pg = is_pg(sample_any_db)
    if table == "check_in" and not pg:
        pytest.skip("on SQLite the single writer keeps one check-in per day (no index in the file)")
    if pg:
        connection: Any = psycopg.connect(libpq_url(sample_any_db))
        duplicate: Any = psycopg.errors.UniqueViolation
        columns = [
            name
            for (name,) in connection.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "ORDER BY ordinal_position",
                (table,),
            )
        ]
    else:
        connection, duplicate = sqlite3.connect(sample_any_db), sqlite3.IntegrityError
        columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
    others = ", ".join(f'"{name}"' for name in columns if name != "id")
    try:
        new_id = connection.execute(f"SELECT max(id) + 1000 FROM {table}").fetchone()[0]
        with pytest.raises(duplicate, match="|".join(key) if pg else "UNIQUE"):
            connection.execute(
                f"INSERT INTO {table} (id, {others}) SELECT {new_id}, {others} FROM {table} "
                f"WHERE id = (SELECT min(id) FROM {table})"
            )
    finally:
        connection.rollback()
        connection.close()


# --------------------------------------------------------------------------- the command line


def test_cli_init_import_export_on_both_databases(
    runner: CliRunner, db_url: str, tmp_path: Path, sample_db: Path
) -> None:
    ready = run(runner, db_url, "init")
    assert "ready" in ready.stdout
    run(runner, db_url, "init")  # twice is harmless
    sample = Path(__file__).parent.parent / "sample_data" / "portfolio.toml"
    dry = run(runner, db_url, "--today", TODAY.isoformat(), "import", str(sample), "--dry-run")
    assert export_text(db_url).count("[[projects]]") == 0, dry.stdout
    run(runner, db_url, "--today", TODAY.isoformat(), "import", str(sample))
    exported = run(runner, db_url, "export", "-").stdout
    assert exported == export_text(str(sample_db))
    target = tmp_path / "out.toml"
    run(runner, db_url, "export", str(target))
    assert target.read_text() == exported
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    # The same file again changes nothing, and says so.
    again = run(runner, db_url, "--today", TODAY.isoformat(), "import", str(target))
    assert run(runner, db_url, "export", "-").stdout == exported, again.stdout


def test_cli_init_sample_and_refusal_on_a_non_empty_database(runner: CliRunner, db_url: str) -> None:
    created = run(runner, db_url, "init", "--sample")
    assert "sample portfolio" in created.stdout
    before = snapshot(db_url) if is_pg(db_url) else export_text(db_url)
    refused = run(runner, db_url, "init", "--sample", ok=False)
    one_line_error(refused, "already holds a portfolio")
    assert (snapshot(db_url) if is_pg(db_url) else export_text(db_url)) == before


def test_cli_checkin_measure_and_report(runner: CliRunner, sample_any_db: str) -> None:
    db = sample_any_db
    checked = run(
        runner,
        db,
        "--today",
        "2026-11-20",
        "checkin",
        "Q4-O1-KR2",
        "86",
        "--confidence",
        "7",
        "--at",
        "2026-11-20",
    )
    assert "Q4-O1-KR2: 86% checked in on 2026-11-20 (confidence 7/10); progress 80%" in checked.stdout
    measured = run(runner, db, "--today", "2026-11-20", "measure", "ONTIME", "74.5", "--period", "2026-11-03")
    assert "recorded for the monthly period ending 2026-11-30" in measured.stdout
    before = export_text(db)
    taken = run(
        runner, db, "--today", "2026-11-20", "measure", "ONTIME", "80", "--period", "2026-11-30", ok=False
    )
    one_line_error(taken, "add --replace")
    assert export_text(db) == before
    run(runner, db, "--today", "2026-11-20", "measure", "ONTIME", "80", "--period", "2026-11-30", "--replace")
    store = Store.open(db)
    try:
        assert store.kpi_detail("ONTIME", TODAY).measurements[-1].value == 80.0
        assert store.key_result_detail("Q4-O1-KR2", TODAY)[1].latest.value == 86.0
    finally:
        store.close()
    unknown = run(runner, db, "checkin", "NOPE-KR9", "5", ok=False)
    one_line_error(unknown, "NOPE-KR9")
    markdown = run(runner, db, "--today", "2026-11-20", "report").stdout
    assert "2026-Q4" in markdown
    report = run(runner, db, "--today", "2026-11-20", "report", "--format", "json").stdout
    assert '"portfolio"' in report


def test_cli_cycle_close_with_carry_over(runner: CliRunner, sample_any_db: str) -> None:
    db = sample_any_db
    closed = run(runner, db, "--today", "2026-11-20", "cycle", "close", "2026-Q4", "--carry-over").stdout
    assert closed.startswith("2026-Q4 closed and graded: 3 objectives, average score 0.42 (partial).")
    assert "into 2027-Q1: 2027-Q1-O1, 2027-Q1-O2, 2027-Q1-O3." in closed
    before = export_text(db)
    again = run(runner, db, "--today", "2026-11-20", "cycle", "close", "2026-Q4", ok=False)
    one_line_error(again, "2026-Q4 is closed")
    assert export_text(db) == before
    store = Store.open(db)
    try:
        graded = store.okr_board(TODAY, "2026-Q4").objectives
        carried = store.okr_board(TODAY, "2027-Q1").objectives
    finally:
        store.close()
    assert [(o.code, o.score, o.status) for o in graded] == [
        ("Q4-O1", 0.48, "done"),
        ("Q4-O2", 0.38, "done"),
        ("Q4-O3", 0.39, "done"),
    ]
    assert [o.carried_from for o in carried] == ["Q4-O1", "Q4-O2", "Q4-O3"]


def test_cli_a_cycle_not_begun_is_not_closed_and_a_closed_one_takes_no_check_in(
    runner: CliRunner, sample_any_db: str, tmp_path: Path
) -> None:
    db = sample_any_db
    before = export_text(db)
    # Q3 is closed and graded in the sample: a check-in would change what its grade was taken from.
    late = run(
        runner,
        db,
        "--today",
        "2026-11-20",
        "checkin",
        "Q3-O1-KR1",
        "1",
        "--at",
        "2026-09-18",
        "--confidence",
        "5",
        ok=False,
    )
    one_line_error(late, "2026-Q3 is closed: its key results take no check-in (reopen the cycle first)")
    rows = tmp_path / "late.csv"
    rows.write_text("key_result,on,value,confidence\nQ3-O1-KR1,2026-09-18,1,5\n", encoding="utf-8")
    imported = run(runner, db, "--today", "2026-11-20", "import", str(rows), ok=False)
    one_line_error(imported, "2026-Q3 is closed")
    assert export_text(db) == before
    run(runner, db, "--today", "2026-11-20", "cycle", "close", "2026-Q4", "--carry-over")
    before = export_text(db)
    early = run(runner, db, "--today", "2026-11-20", "cycle", "close", "2027-Q1", ok=False)
    one_line_error(early, "2027-Q1 starts on 2027-01-01: a cycle is closed and graded once it has begun")
    assert export_text(db) == before


@pytest.mark.postgresql
@pytest.mark.parametrize("format_", ["json", "html"])
def test_cli_reports_on_postgresql_as_on_sqlite(
    runner: CliRunner, sample_pg_url: str, sample_db: Path, format_: str
) -> None:
    on_sqlite = run(runner, str(sample_db), "--today", "2026-11-20", "report", "--format", format_).stdout
    on_this = run(runner, sample_pg_url, "--today", "2026-11-20", "report", "--format", format_).stdout
    assert on_this == on_sqlite


@pytest.mark.postgresql
def test_pmo_db_takes_a_postgresql_url(
    runner: CliRunner, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMO_DB", pg_url)
    result = runner.invoke(main, ["init", "--sample"])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert OWNER_PASSWORD not in result.stdout + result.stderr
    exported = runner.invoke(main, ["export", "-"])
    assert exported.exit_code == 0
    assert "[[projects]]" in exported.stdout
    assert "PRJ-101" in exported.stdout


# --------------------------------------------------------------------------- moving a portfolio


@pytest.mark.postgresql
def test_sqlite_to_postgresql_and_back_gives_the_same_bytes(
    runner: CliRunner, sample_db: Path, pg_server: PgServer, tmp_path: Path
) -> None:
    # SQLite → PostgreSQL (the README's "Team use" steps).
    run(runner, str(sample_db), "export", str(tmp_path / "from-sqlite.toml"))
    server_db = pg_server.url(pg_server.create_database())
    run(runner, server_db, "init")
    run(runner, server_db, "--today", TODAY.isoformat(), "import", str(tmp_path / "from-sqlite.toml"))
    run(runner, server_db, "export", str(tmp_path / "from-postgresql.toml"))
    assert (tmp_path / "from-postgresql.toml").read_bytes() == (tmp_path / "from-sqlite.toml").read_bytes()
    # … and back to a new SQLite file.
    back = tmp_path / "back.db"
    run(runner, str(back), "init")
    run(runner, str(back), "--today", TODAY.isoformat(), "import", str(tmp_path / "from-postgresql.toml"))
    run(runner, str(back), "export", str(tmp_path / "back.toml"))
    assert (tmp_path / "back.toml").read_bytes() == (tmp_path / "from-sqlite.toml").read_bytes()


def test_large_integers_and_hostile_text_survive_a_round_trip(
    request: pytest.FixtureRequest, db_url: str, sample_portfolio: Portfolio, tmp_path: Path
) -> None:
    """TOML's 64-bit integers (issue 18: 32-bit INTEGER columns overflowed on PostgreSQL) and text
    of every kind survive a move from one database to another of the same kind, byte for byte."""
    project = sample_portfolio.projects[0]
    updates = [*project["updates"][:-1], {**project["updates"][-1], "change_requests": 9_000_000_000_000}]
    name = "Ünïcode ✓ \"quotes\" 'single' \\ back; DROP TABLE project; -- \u00a0 %s %(x)s ?"
    changed = {**project, "name": name, "updates": updates}
    portfolio = replace(sample_portfolio, projects=[changed, *sample_portfolio.projects[1:]])
    store = Store.open(db_url, initialize=True)
    try:
        store.import_portfolio(portfolio)
        text = dump_portfolio(store.export_portfolio())
    finally:
        store.close()
    assert "DROP TABLE project" in text and "9000000000000" in text
    if is_pg(db_url):
        server = request.getfixturevalue("pg_server")
        target = server.url(server.create_database())
    else:
        target = str(tmp_path / "second.db")
    store = Store.open(target, initialize=True)
    try:
        store.import_portfolio_text(text, "moved.toml", today=TODAY)
        assert dump_portfolio(store.export_portfolio()) == text
    finally:
        store.close()


# --------------------------------------------------------------------------- passwords


@pytest.mark.postgresql
def test_a_wrong_password_or_database_is_one_line_that_never_shows_the_password(
    runner: CliRunner, pg_server: PgServer, pg_database: str
) -> None:
    wrong_password = "wrong-" + OWNER_PASSWORD
    cases = {
        "password": pg_server.url(pg_database, password=wrong_password),
        "database": pg_server.url("no_such_database"),
        "server": pg_server.url(pg_database).replace(f":{pg_server.port}/", ":1/"),
    }
    for what, url in cases.items():
        for command in (["init"], ["export", "-"], ["report"]):
            result = runner.invoke(main, ["--db", url, *command])
            one_line_error(result)
            assert wrong_password not in result.stderr, (what, result.stderr)
            assert OWNER_PASSWORD not in result.stderr, (what, result.stderr)
        with pytest.raises(DatabaseError) as refused:
            Store.open(url, initialize=True)
        assert OWNER_PASSWORD not in str(refused.value), what
        assert OWNER_PASSWORD not in repr(refused.value), what


@pytest.mark.postgresql
def test_passwords_from_pgpassword_and_pgpass_are_used(
    pg_server: PgServer, pg_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    without = pg_server.url(pg_database, password=None)
    assert OWNER_PASSWORD not in without
    monkeypatch.setenv("PGPASSWORD", OWNER_PASSWORD)
    Store.open(without, initialize=True).close()
    monkeypatch.delenv("PGPASSWORD")
    # ~/.pgpass (HOME is the test's own folder, see conftest._isolated_home), private as libpq wants.
    pgpass = Path(os.environ["HOME"]) / ".pgpass"
    pgpass.write_text(f"127.0.0.1:{pg_server.port}:{pg_database}:{OWNER}:{OWNER_PASSWORD}\n")
    pgpass.chmod(0o600)
    store = Store.open(without)
    try:
        assert store.is_empty()
    finally:
        store.close()


@pytest.mark.postgresql
def test_a_password_with_url_special_characters(pg_server: PgServer, pg_database: str) -> None:
    password = "p@ss:w/rd?#%&= é"
    with pg_server.admin() as connection:
        connection.execute(f"CREATE ROLE pmo_special LOGIN PASSWORD '{password}'")
        connection.execute(f'ALTER DATABASE "{pg_database}" OWNER TO pmo_special')
    try:
        url = pg_server.url(pg_database, user="pmo_special", password=password)
        store = Store.open(url, initialize=True)
        try:
            assert store.is_empty()
            for text in (str(getattr(store, "path", "")), repr(store)):
                assert password not in text and "p%40ss" not in text
        finally:
            store.close()
    finally:
        # The role owns what pmo init made: the database goes first (pg_database tolerates that).
        pg_server.drop_database(pg_database)
        with pg_server.admin() as connection:
            connection.execute("DROP ROLE pmo_special")


@pytest.mark.postgresql
async def test_the_tui_browses_every_area_and_shows_the_password_nowhere(sample_pg_url: str) -> None:
    """The TUI on the server: each area as on SQLite (test_app), and the password in no header, no
    screen, no file the app wrote (the overview's cache among them)."""
    from helpers import make_app, screen_text, settle

    store = Store.open(sample_pg_url)
    try:
        app = make_app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert OWNER_PASSWORD not in app.sub_title + app.title
            assert "Increase the PMO" in screen_text(app)
            for key, mode, shown in (
                ("2", "kpis", "KPIs · 11 of 11 shown"),
                ("3", "okrs", "OKRs · 2026-Q4 (current)"),
                ("4", "maturity", "Maturity · Developing"),
            ):
                await pilot.press(key)
                await settle(pilot)
                assert app.current_mode == mode
                assert shown in screen_text(app)
                assert OWNER_PASSWORD not in screen_text(app) + app.sub_title
    finally:
        store.close()
    # Whatever the app wrote (the overview's cache, anything else) under the test's HOME.
    written = [path for path in Path(os.environ["HOME"]).rglob("*") if path.is_file()]
    # The overview's cache, as for a file (overview_cache keys a server's by its URL, no password).
    assert any(path.suffix == ".pickle" for path in written), f"no overview cache was written: {written}"
    for path in written:
        assert OWNER_PASSWORD.encode() not in path.read_bytes(), path


# --------------------------------------------------------------------------- concurrent writers

WORKERS = 4
KEY_RESULTS = ("Q4-O1-KR2", "Q4-O1-KR3", "Q4-O2-KR1", "Q4-O2-KR2", "Q4-O3-KR3")
CONTENDED_DAY = date(2026, 11, 19)


def _worker_days(index: int) -> list[date]:
    """Days of the Q4 cycle that only worker `index` checks in on."""
    return [date(2026, 10, 1) + timedelta(days=index * 8 + step) for step in range(8)]


def _writer(url: str, index: int, plan: dict, barrier: Any, results: Any) -> None:
    """One process of test_concurrent_writers: every write it makes, at the same moment as the
    others. Reports ("ok"|error, what) for each."""
    from pmo_tui.measurements_csv import MeasurementRow
    from pmo_tui.store import PeriodTaken

    outcome: list[tuple[str, str]] = []

    def attempt(what: str, action: Any) -> None:
        try:
            action()
            outcome.append(("ok", what))
        except PeriodTaken:
            outcome.append(("PeriodTaken", what))
        except Exception as error:  # reported to the test, which shows it
            outcome.append((f"{type(error).__name__}: {error}\n{traceback.format_exc()}", what))

    try:
        store = Store.open(url)
        barrier.wait(timeout=60)
        for code in KEY_RESULTS:
            attempt(
                f"contended check-in {code}",
                lambda c=code: store.record_check_in(
                    c, CONTENDED_DAY, 50 + index, 0.5, f"w{index}", today=TODAY
                ),
            )
            for day in _worker_days(index):
                attempt(
                    f"check-in {code} {day}",
                    lambda c=code, d=day: store.record_check_in(
                        c, d, 40 + index, 0.6, f"w{index}", today=TODAY
                    ),
                )
        attempt(
            "contended measurement",
            lambda: store.add_measurement(
                plan["contended_kpi"], date(2026, 11, 20), 10 + index, f"w{index}", today=TODAY
            ),
        )
        attempt(
            "own measurement",
            lambda: store.add_measurement(
                plan["own_kpis"][index], date(2026, 11, 20), 20 + index, f"w{index}", today=TODAY
            ),
        )
        rows = [
            MeasurementRow(line, plan["csv_kpi"], date(2026, month, 15), float(index), f"w{index}")
            for line, month in enumerate(range(1, 12), start=2)
        ]
        attempt("measurements csv", lambda: store.import_measurements(rows, today=TODAY))
        for step in range(3):
            attempt(
                f"objective {step}",
                lambda s=step: store.create_draft_objective(f"w{index}-{s}", "Ana", TODAY),
            )
        attempt(
            "own project",
            lambda: store.import_portfolio_text(
                plan["project_toml"].replace("PRJ-101", f"PRJ-W{index}"), f"w{index}.toml", today=TODAY
            ),
        )
        attempt(
            "shared project",
            lambda: store.import_portfolio_text(
                plan["project_toml"].replace("PRJ-101", "PRJ-SHARED"), f"w{index}.toml", today=TODAY
            ),
        )
        store.close()
    except Exception as error:
        outcome.append((f"{type(error).__name__}: {error}\n{traceback.format_exc()}", "worker"))
    results.put((index, outcome))


@pytest.mark.postgresql
def test_concurrent_writers_each_write_is_there_exactly_once(sample_pg_url: str) -> None:
    """What SQLite's single writer guaranteed holds on PostgreSQL by constraints and locks: several
    processes check in, measure, create objectives and import at the same moment."""
    url = sample_pg_url
    store = Store.open(url)
    try:
        document = store.export_portfolio()
        monthly = [k["code"] for k in document["kpis"] if k.get("cadence") == "monthly"]
        free = [
            code
            for code in monthly
            if not any(m.period == date(2026, 11, 30) for m in store.kpi_detail(code, TODAY).measurements)
        ]
        objectives_before = {o["code"] for o in document["objectives"]}
    finally:
        store.close()
    assert len(free) >= WORKERS + 2, free
    project = next(p for p in document["projects"] if p["code"] == "PRJ-101")
    plan = {
        "contended_kpi": free[0],
        "csv_kpi": free[1],
        "own_kpis": free[2 : 2 + WORKERS],
        "project_toml": dump_portfolio(
            {"format": document["format"], "version": document["version"], "projects": [project]}
        ),
    }
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(WORKERS), context.Queue()
    processes = [
        context.Process(target=_writer, args=(url, i, plan, barrier, results)) for i in range(WORKERS)
    ]
    for process in processes:
        process.start()
    outcomes = dict(results.get(timeout=240) for _ in processes)
    for process in processes:
        process.join(30)
        assert process.exitcode == 0
    failures = [
        (i, what, result)
        for i, outcome in outcomes.items()
        for result, what in outcome
        if result not in ("ok", "PeriodTaken")
    ]
    assert not failures, failures
    taken = [
        i
        for i, outcome in outcomes.items()
        for result, what in outcome
        if what == "contended measurement" and result == "PeriodTaken"
    ]
    assert len(taken) == WORKERS - 1, outcomes  # exactly one writer got the period

    with psycopg.connect(libpq_url(url)) as connection:

        def scalar(sql: str, *args: Any) -> Any:
            return connection.execute(sql, args).fetchone()[0]

        assert (
            scalar(
                'SELECT count(*) FROM (SELECT 1 FROM check_in GROUP BY key_result_id, "on" '
                "HAVING count(*) > 1) AS twice"
            )
            == 0
        )
        assert (
            scalar(
                "SELECT count(*) FROM (SELECT 1 FROM measurement GROUP BY kpi_id, period "
                "HAVING count(*) > 1) AS twice"
            )
            == 0
        )
        for table in ("project", "kpi", "objective", "key_result", "strategic_goal"):
            assert scalar(f"SELECT count(*) - count(DISTINCT code) FROM {table}") == 0, table
        for code in KEY_RESULTS:
            values = connection.execute(
                "SELECT c.value, c.comment FROM check_in c JOIN key_result k ON k.id = c.key_result_id "
                'WHERE k.code = %s AND c."on" = %s',
                (code, CONTENDED_DAY),
            ).fetchall()
            assert len(values) == 1 and values[0][1] in {f"w{i}" for i in range(WORKERS)}, (code, values)
            for index in range(WORKERS):
                for day in _worker_days(index):
                    assert connection.execute(
                        "SELECT c.value, c.comment FROM check_in c JOIN key_result k ON k.id = c.key_result_id "
                        'WHERE k.code = %s AND c."on" = %s',
                        (code, day),
                    ).fetchall() == [(40.0 + index, f"w{index}")]
        contended = connection.execute(
            "SELECT m.value FROM measurement m JOIN kpi k ON k.id = m.kpi_id WHERE k.code = %s AND m.period = %s",
            (plan["contended_kpi"], date(2026, 11, 30)),
        ).fetchall()
        assert len(contended) == 1 and contended[0][0] in {10.0 + i for i in range(WORKERS)}
        for index, code in enumerate(plan["own_kpis"]):
            assert connection.execute(
                "SELECT m.value FROM measurement m JOIN kpi k ON k.id = m.kpi_id WHERE k.code = %s AND m.period = %s",
                (code, date(2026, 11, 30)),
            ).fetchall() == [(20.0 + index,)]
        csv_rows = connection.execute(
            "SELECT m.period, m.note FROM measurement m JOIN kpi k ON k.id = m.kpi_id "
            "WHERE k.code = %s AND m.period >= %s",
            (plan["csv_kpi"], date(2026, 1, 1)),
        ).fetchall()
        assert len(csv_rows) == 11 and len({note for _, note in csv_rows}) >= 1, csv_rows
        objectives = connection.execute("SELECT code, title FROM objective").fetchall()
        new = [(code, title) for code, title in objectives if code not in objectives_before]
        assert sorted(title for _, title in new) == sorted(
            f"w{i}-{s}" for i in range(WORKERS) for s in range(3)
        )
        assert len({code for code, _ in new}) == WORKERS * 3
        projects = [
            code
            for (code,) in connection.execute(
                "SELECT code FROM project WHERE code LIKE 'PRJ-W%%' OR code = 'PRJ-SHARED'"
            )
        ]
        assert sorted(projects) == sorted([f"PRJ-W{i}" for i in range(WORKERS)] + ["PRJ-SHARED"])
        updates = scalar(
            "SELECT count(*) FROM project_update u JOIN project p ON p.id = u.project_id "
            "WHERE p.code = 'PRJ-SHARED'"
        )
        assert updates == len(project.get("updates", []))


# --------------------------------------------------------------------------- the README's Team use


def readme_team_sql() -> list[str]:
    """The SQL blocks of the README's "Team use" section, in order."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Team use", 1)[1].split("\n## ", 1)[0]
    return [block.split("\n```", 1)[0] for block in section.split("```sql\n")[1:]]


def run_psql_script(server: PgServer, script: str, database: str = "postgres") -> None:
    """A psql script as a superuser would run it: statements, and `\\connect DB` between them."""
    parts = [(database, [])]
    for line in script.splitlines():
        if line.startswith("\\connect "):
            parts.append((line.split()[1], []))
        elif not line.lstrip().startswith("--"):
            parts[-1][1].append(line)
    for name, lines in parts:
        with server.admin(name) as connection:
            for statement in "\n".join(lines).split(";"):
                if statement.strip():
                    connection.execute(statement)


@pytest.mark.postgresql
def test_readme_team_sql_gives_the_lead_contributors_and_viewers_their_rights(
    runner: CliRunner, pg_server: PgServer, tmp_path: Path
) -> None:
    database_and_groups, people, contributors_grants = readme_team_sql()
    passwords = {
        "pmo_lead": "lead-" + OWNER_PASSWORD,
        "ana": "ana-" + OWNER_PASSWORD,
        "ben": "ben-" + OWNER_PASSWORD,
    }
    try:
        run_psql_script(pg_server, database_and_groups)
        run_psql_script(pg_server, people)
        with pg_server.admin() as connection:
            for role, password in passwords.items():
                connection.execute(f"ALTER ROLE {role} PASSWORD '{password}'")
        lead, ana, ben = (
            pg_server.url("pmo", user=role, password=passwords[role]) for role in ("pmo_lead", "ana", "ben")
        )

        # The lead creates the schema and loads the portfolio.
        result = runner.invoke(main, ["--db", lead, "--today", "2026-11-20", "init", "--sample"])
        assert result.exit_code == 0, (result.stdout, result.stderr)
        # Then lets contributors write check-ins, measurements and status updates.
        with psycopg.connect(libpq_url(lead), autocommit=True) as connection:
            for statement in contributors_grants.split(";"):
                if statement.strip():
                    connection.execute(statement)

        # A contributor writes data through pmo, but no DDL.
        for arguments in (
            ["checkin", "Q4-O1-KR2", "86", "--confidence", "7", "--at", "2026-11-20"],
            ["measure", "ONTIME", "74.5", "--period", "2026-11-03"],
            ["update", "PRJ-101", "--on", "2026-11-20", "--comment", "by a contributor"],
        ):
            result = runner.invoke(main, ["--db", ana, "--today", "2026-11-20", *arguments])
            assert result.exit_code == 0, (arguments, result.stdout, result.stderr)
        exported = tmp_path / "portfolio.toml"
        assert runner.invoke(main, ["--db", ana, "export", str(exported)]).exit_code == 0
        # A portfolio file changes projects, KPIs and OKRs: the lead's alone.
        result = runner.invoke(main, ["--db", ana, "--today", "2026-11-20", "import", str(exported)])
        one_line_error(result, "read-only", "the role ana may not make this change")
        for statement in (
            "CREATE TABLE mine (id integer)",
            "ALTER TABLE project ADD COLUMN extra integer",
            "DROP TABLE check_in",
            "TRUNCATE measurement",
        ):
            with (
                psycopg.connect(libpq_url(ana)) as connection,
                pytest.raises(psycopg.errors.InsufficientPrivilege),
            ):
                connection.execute(statement)

        # A viewer reads (read-only by itself, as with --read-only), and can change nothing.
        for arguments in (["export", "-"], ["report"], ["--read-only", "report"]):
            result = runner.invoke(main, ["--db", ben, "--today", "2026-11-20", *arguments])
            assert result.exit_code == 0, (arguments, result.stdout, result.stderr)
        refused = runner.invoke(
            main,
            [
                "--db",
                ben,
                "--today",
                "2026-11-20",
                "measure",
                "ONTIME",
                "80",
                "--period",
                "2026-10-31",
                "--replace",
            ],
        )
        one_line_error(refused, "read-only", "the role ben may read this database, not change it")
        for statement in (
            "UPDATE project SET name = 'x'",
            "DELETE FROM check_in",
            "INSERT INTO strategic_goal (code, name) VALUES ('G9', 'x')",
            "CREATE TABLE mine (id integer)",
        ):
            with (
                psycopg.connect(libpq_url(ben)) as connection,
                pytest.raises(psycopg.errors.InsufficientPrivilege),
            ):
                connection.execute(statement)

        # The lead, who owns the database, may change its tables.
        with psycopg.connect(libpq_url(lead)) as connection:
            connection.execute("CREATE TABLE lead_notes (id integer)")
            connection.execute("DROP TABLE lead_notes")
    finally:
        with pg_server.admin() as connection:
            connection.execute("DROP DATABASE IF EXISTS pmo WITH (FORCE)")
            for role in ("ana", "ben", "pmo_contributors", "pmo_viewers", "pmo_lead"):
                connection.execute(f"DROP ROLE IF EXISTS {role}")


def _initializer(url: str, barrier: Any, results: Any) -> None:
    """One `pmo init` of test_concurrent_inits, at the same moment as the others."""
    try:
        barrier.wait(timeout=60)
        Store.open(url, initialize=True).close()
        results.put("ok")
    except Exception as error:
        results.put(f"{type(error).__name__}: {error}")


@pytest.mark.postgresql
def test_concurrent_inits_of_one_empty_database_make_one_schema(pg_url: str) -> None:
    """Two people running `pmo init` on the new server database at once: it ends up one pmo-tui
    database (each init succeeds, or is refused in words), never half a schema."""
    context = multiprocessing.get_context("spawn")
    count = 2
    barrier, results = context.Barrier(count), context.Queue()
    processes = [context.Process(target=_initializer, args=(pg_url, barrier, results)) for _ in range(count)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(30)
    assert "ok" in outcomes, outcomes
    for outcome in outcomes:
        assert outcome == "ok" or outcome.startswith("DatabaseError"), outcomes
        assert OWNER_PASSWORD not in outcome
    store = Store.open(pg_url)
    try:
        assert store.is_empty()
        assert store.revision() is not None
        store.import_portfolio_text(
            (Path(__file__).parent.parent / "sample_data" / "portfolio.toml").read_text(),
            "sample",
            today=TODAY,
        )
    finally:
        store.close()
