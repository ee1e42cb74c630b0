"""Tests of the `pmo` command line through click's CliRunner, plus one run of the real console script."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmo_tui import __version__
from pmo_tui.cli import main
from pmo_tui.locations import sample_portfolio_path, user_data_dir
from pmo_tui.portfolio_file import Portfolio, read_portfolio
from pmo_tui.store import Store


@pytest.fixture
def runner() -> CliRunner:
    # click >= 8.2 keeps stderr apart from stdout (result.stderr) by default.
    return CliRunner()


@pytest.fixture
def tui_runs(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Stand in for PmoApp.run (the TUI cannot run inside CliRunner): record what it was given."""
    from pmo_tui.app import PmoApp

    runs: list[dict] = []

    def fake_run(app: PmoApp, *args, **kwargs) -> None:
        path = Path(app.store.path)
        with sqlite3.connect(path) as connection:
            projects = connection.execute("SELECT count(*) FROM project").fetchone()[0]
        connection.close()
        runs.append(
            {
                "path": path,
                "existed": path.exists(),
                "empty": app.store.is_empty(),
                "projects": projects,
                "offer_sample": app.offer_sample,
                "today": app.today,
            }
        )

    monkeypatch.setattr(PmoApp, "run", fake_run)
    return runs


def row_count(path: Path, table: str) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        connection.close()


def assert_one_line_error(result, *words: str) -> None:
    """Exit status 2 and a single `pmo: ...` line on stderr, never a traceback."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("pmo: ")
    for word in words:
        assert word in lines[0]
    assert "Traceback" not in result.output
    assert result.stdout == ""


# --------------------------------------------------------------------------- version and help


def test_version_option(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert "0.1.0" in result.stdout
    assert __version__ == "0.1.0"


def test_installed_console_script_prints_the_version() -> None:
    script = Path(sys.executable).with_name("pmo")
    if script.exists():
        command = [str(script)]
    elif shutil.which("pmo"):
        command = [shutil.which("pmo")]
    else:
        command = [sys.executable, "-m", "pmo_tui"]
    completed = subprocess.run(
        [*command, "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert "0.1.0" in completed.stdout
    assert completed.stderr == ""


def test_help_shows_examples(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "pmo demo" in result.stdout
    assert "pmo init --sample" in result.stdout
    assert "--db" in result.stdout


def test_short_help_option(runner: CliRunner) -> None:
    result = runner.invoke(main, ["-h"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout


def test_init_help_shows_examples(runner: CliRunner) -> None:
    result = runner.invoke(main, ["init", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "pmo --db team.db init --sample" in result.stdout
    assert "--sample" in result.stdout


def test_demo_help_shows_an_example(runner: CliRunner) -> None:
    result = runner.invoke(main, ["demo", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert "pmo demo" in result.stdout
    assert "never touched" in result.stdout


# --------------------------------------------------------------------------- init


def test_init_creates_the_database(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "team.db"
    result = runner.invoke(main, ["--db", str(path), "init"])
    assert result.exit_code == 0, result.output
    assert str(path) in result.stdout
    store = Store.open(path)
    try:
        assert store.is_empty()
    finally:
        store.close()


def test_init_twice_is_harmless(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "team.db"
    assert runner.invoke(main, ["--db", str(path), "init"]).exit_code == 0
    result = runner.invoke(main, ["--db", str(path), "init"])
    assert result.exit_code == 0, result.output


def test_init_uses_pmo_db(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "env.db"
    monkeypatch.setenv("PMO_DB", str(path))
    result = runner.invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    assert path.is_file()


def test_init_creates_the_default_database_and_its_folder(runner: CliRunner) -> None:
    # The autouse fixture pointed XDG_DATA_HOME into tmp; the folder does not exist yet.
    default = user_data_dir() / "portfolio.db"
    assert not default.parent.exists()
    result = runner.invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    assert default.is_file()


def test_init_with_empty_pmo_db_uses_the_default(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    # An empty PMO_DB means "not set" (database_path falls back to the default place),
    # so the default folder is ours to create, just as when PMO_DB is unset.
    monkeypatch.setenv("PMO_DB", "")
    result = runner.invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    assert (user_data_dir() / "portfolio.db").is_file()


def test_init_sample_loads_the_sample(runner: CliRunner, tmp_path: Path, sample_portfolio: Portfolio) -> None:
    path = tmp_path / "team.db"
    result = runner.invoke(main, ["--db", str(path), "init", "--sample"])
    assert result.exit_code == 0, result.output
    assert "sample portfolio" in result.stdout
    assert f"{len(sample_portfolio.projects)} projects" in result.stdout
    store = Store.open(path)
    try:
        assert not store.is_empty()
    finally:
        store.close()
    assert row_count(path, "project") == len(sample_portfolio.projects)
    assert row_count(path, "kpi") == len(sample_portfolio.kpis)
    assert row_count(path, "objective") == len(sample_portfolio.objectives)
    assert row_count(path, "measurement") == sum(len(k["measurements"]) for k in sample_portfolio.kpis)


def test_init_sample_on_a_non_empty_database_is_refused_and_changes_nothing(
    runner: CliRunner, sample_db: Path
) -> None:
    before = sample_db.read_bytes()
    result = runner.invoke(main, ["--db", str(sample_db), "init", "--sample"])
    assert_one_line_error(result, "already holds a portfolio")
    assert sample_db.read_bytes() == before


def _living_sample(path: Path, today: date) -> None:
    """The sample as a newcomer sees it on `today`: a current cycle with objectives on their way,
    not all overdue, and every date moved from the sample's by whole weeks."""
    from pmo_tui.calculations import Pace
    from pmo_tui.locations import SAMPLE_LATEST_ENTRY

    store = Store.open(path)
    try:
        overview = store.overview(today)
    finally:
        store.close()
    assert overview.cycle is not None, "no current cycle"
    paces = {row.code: row.pace for row in overview.objectives}
    # Only the objective whose key result the sample leaves without a check-in since October is
    # overdue, on every day of the week: the others' last check-ins land within the past week.
    assert [code for code, pace in paces.items() if pace is Pace.OVERDUE] == ["Q4-O3"], paces
    assert Pace.ON_TRACK in paces.values(), paces
    moved = (today - SAMPLE_LATEST_ENTRY).days // 7 * 7
    starts = {row[0]: date.fromisoformat(row[1]) for row in _rows(path, "SELECT name, start FROM cycle")}
    assert starts["2026-Q4"] - date(2026, 10, 1) == timedelta(days=moved)
    projects = {row[0]: date.fromisoformat(row[1]) for row in _rows(path, "SELECT code, start FROM project")}
    original = {p["code"]: p["start"] for p in read_portfolio(sample_portfolio_path()).projects}
    assert {code: (day - original[code]).days for code, day in projects.items()} == dict.fromkeys(
        original, moved
    )
    assert {day.weekday() for day in projects.values()} == {d.weekday() for d in original.values()}
    # Nothing recorded lies after the day the sample is seen on.
    for table in ("project_update", "check_in"):
        (latest,) = _rows(path, f'SELECT max("on") FROM {table}')[0]
        assert date.fromisoformat(latest) <= today


def _rows(path: Path, query: str) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


# A week of days (Saturday 5 December to Friday 11 December 2026), and a few far from the sample's.
@pytest.mark.parametrize(
    "today", [f"2026-12-{day:02}" for day in range(5, 12)] + ["2031-03-05", "2024-02-29"]
)
def test_init_sample_lives_on_the_day_it_is_loaded(runner: CliRunner, tmp_path: Path, today: str) -> None:
    path = tmp_path / "team.db"
    result = runner.invoke(main, ["--db", str(path), "--today", today, "init", "--sample"])
    assert result.exit_code == 0, result.output
    _living_sample(path, date.fromisoformat(today))


def test_init_sample_on_its_own_day_is_the_file_as_written(
    runner: CliRunner, tmp_path: Path, sample_portfolio: Portfolio
) -> None:
    path = tmp_path / "team.db"
    result = runner.invoke(main, ["--db", str(path), "--today", "2026-11-20", "init", "--sample"])
    assert result.exit_code == 0, result.output
    starts = dict(_rows(path, "SELECT code, start FROM project"))
    assert starts == {p["code"]: p["start"].isoformat() for p in sample_portfolio.projects}
    measurements = sorted(r[0] for r in _rows(path, "SELECT period FROM measurement"))
    assert measurements == sorted(
        m["period"].isoformat() for k in sample_portfolio.kpis for m in k["measurements"]
    )


def test_demo_far_from_the_samples_day_shows_a_living_portfolio(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmo_tui.app import PmoApp

    seen: list[date] = []

    def fake_run(app: PmoApp, *args, **kwargs) -> None:
        _living_sample(Path(app.store.path), app.today)
        seen.append(app.today)

    monkeypatch.setattr(PmoApp, "run", fake_run)
    result = runner.invoke(main, ["demo", "--today", "2029-07-18"])
    assert result.exit_code == 0, result.output
    assert seen == [date(2029, 7, 18)]


# --------------------------------------------------------------------------- bad --db


def test_db_in_a_missing_folder_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "no-such-folder"
    result = runner.invoke(main, ["--db", str(folder / "team.db"), "init"])
    assert_one_line_error(result, str(folder), "does not exist")
    assert not folder.exists()


def test_pmo_db_in_a_missing_folder_is_not_created(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A folder the user named must exist; only the default place is created.
    folder = tmp_path / "no-such-folder"
    monkeypatch.setenv("PMO_DB", str(folder / "team.db"))
    result = runner.invoke(main, ["init"])
    assert_one_line_error(result, "does not exist")
    assert not folder.exists()


def test_db_that_is_not_sqlite_is_refused_and_unchanged(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("shopping list\n")
    before = path.read_bytes()
    result = runner.invoke(main, ["--db", str(path), "init"])
    assert_one_line_error(result, "not a SQLite database")
    assert path.read_bytes() == before


def test_db_that_is_a_folder_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["--db", str(tmp_path), "init"])
    assert_one_line_error(result, "is a folder")


def test_db_of_another_application_is_refused_and_unchanged(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    result = runner.invoke(main, ["--db", str(path), "init"])
    assert_one_line_error(result, "another application")
    assert path.read_bytes() == before


def test_bad_db_is_refused_before_the_tui_starts(
    runner: CliRunner, tmp_path: Path, tui_runs: list[dict]
) -> None:
    result = runner.invoke(main, ["--db", str(tmp_path / "missing" / "team.db")])
    assert_one_line_error(result, "does not exist")
    assert tui_runs == []


# --------------------------------------------------------------------------- opening the TUI


def test_pmo_opens_the_tui_on_the_given_database(
    runner: CliRunner, tmp_path: Path, tui_runs: list[dict]
) -> None:
    path = tmp_path / "team.db"
    result = runner.invoke(main, ["--db", str(path), "--today", "2026-11-20"])
    assert result.exit_code == 0, result.output
    (run,) = tui_runs
    assert run["path"] == path
    assert run["offer_sample"] is True  # a first run is offered the sample
    assert run["today"] == date(2026, 11, 20)


def test_demo_never_touches_the_users_database(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tui_runs: list[dict],
    sample_portfolio: Portfolio,
) -> None:
    user_db = tmp_path / "mine.db"
    monkeypatch.setenv("PMO_DB", str(user_db))
    result = runner.invoke(main, ["demo", "--today", "2026-11-20"])
    assert result.exit_code == 0, result.output
    (run,) = tui_runs
    assert not user_db.exists()
    assert not (user_data_dir() / "portfolio.db").exists()
    # The demo ran on another, temporary file that held the sample portfolio...
    assert run["path"] != user_db
    assert run["path"].parent != tmp_path
    assert run["existed"]
    assert not run["empty"]
    assert run["projects"] == len(sample_portfolio.projects)
    assert run["offer_sample"] is False
    assert run["today"] == date(2026, 11, 20)
    # ...and that copy is gone once the app quits.
    assert not run["path"].exists()
    assert not run["path"].parent.exists()


# ---------------------------------------------------------------- checkin and measure


def _bytes(path: Path) -> bytes:
    """The database as it is on disk, its write-ahead log included."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_checkin_records_value_confidence_comment_and_day(runner, sample_db: Path) -> None:
    result = runner.invoke(
        main,
        [
            "--db",
            str(sample_db),
            "checkin",
            "Q4-O1-KR2",
            "86",
            "--confidence",
            "7",
            "--comment",
            "[b]two[/b] more",
            "--at",
            "2026-11-20",
        ],
    )
    assert result.exit_code == 0, result.output
    # 86 on 70 → 90 is (86 − 70) / 20 = 80 % of the way.
    assert "Q4-O1-KR2: 86% checked in on 2026-11-20 (confidence 7/10); progress 80%" in result.output
    store = Store.open(sample_db)
    _, key_result = store.key_result_detail("Q4-O1-KR2", date(2026, 11, 20))
    store.close()
    latest = key_result.latest
    assert (latest.on, latest.value, latest.confidence, latest.comment) == (
        date(2026, 11, 20),
        86.0,
        0.7,
        "[b]two[/b] more",
    )


def test_checkin_without_confidence_keeps_the_last_one(runner, sample_db: Path) -> None:
    store = Store.open(sample_db)
    before = store.key_result_detail("Q4-O2-KR1", date(2026, 11, 20))[1].confidence
    store.close()
    result = runner.invoke(main, ["--db", str(sample_db), "checkin", "Q4-O2-KR1", "44", "--at", "2026-11-20"])
    assert result.exit_code == 0, result.output
    store = Store.open(sample_db)
    latest = store.key_result_detail("Q4-O2-KR1", date(2026, 11, 20))[1].latest
    store.close()
    assert (latest.value, latest.confidence) == (44.0, before)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["Q4-O1-KR2", "nan"], "value: enter a finite number"),
        (["Q4-O1-KR2", "inf"], "value: enter a finite number"),
        (["Q4-O1-KR2", "1e999"], "value: enter a finite number"),
        (["Q4-O1-KR2", "lots"], "is not a number"),
        (["Q4-O1-KR2", ""], "value: enter a number"),
        (["Q4-O1-KR2", "5", "--confidence", "11"], "--confidence: must be at most 10"),
        (["Q4-O1-KR2", "5", "--confidence", "-1"], "--confidence: must be at least 0"),
        (["Q4-O1-KR2", "5", "--at", "2026-02-30"], "--at: 2026-02-30 does not exist"),
        (["NOPE-KR9", "5"], "no key result with code “NOPE-KR9”"),
    ],
)
def test_checkin_refuses_bad_input_and_changes_nothing(runner, sample_db: Path, arguments, message) -> None:
    before = _bytes(sample_db)
    result = runner.invoke(main, ["--db", str(sample_db), "checkin", *arguments])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert _bytes(sample_db) == before


def test_measure_records_the_period_end_and_refuses_a_second_value(runner, sample_db: Path) -> None:
    arguments = [
        "--db",
        str(sample_db),
        "measure",
        "ONTIME",
        "74.5",
        "--period",
        "2026-11-03",
        "--note",
        "from the [b]PMO[/b] sheet",
    ]
    result = runner.invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert "recorded for the monthly period ending 2026-11-30" in result.output
    store = Store.open(sample_db)
    measurement = store.kpi_detail("ONTIME", date(2026, 11, 20)).measurements[-1]
    store.close()
    assert (measurement.period, measurement.value, measurement.note) == (
        date(2026, 11, 30),
        74.5,
        "from the [b]PMO[/b] sheet",
    )
    before = _bytes(sample_db)
    again = runner.invoke(main, ["--db", str(sample_db), "measure", "ONTIME", "80", "--period", "2026-11-30"])
    assert again.exit_code == 2
    assert "add --replace" in again.stderr
    assert _bytes(sample_db) == before
    replaced = runner.invoke(
        main, ["--db", str(sample_db), "measure", "ONTIME", "80", "--period", "2026-11-30", "--replace"]
    )
    assert replaced.exit_code == 0
    store = Store.open(sample_db)
    assert store.kpi_detail("ONTIME", date(2026, 11, 20)).measurements[-1].value == 80.0
    store.close()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["ONTIME", "nan"], "value: enter a finite number"),
        (["ONTIME", "1,5"], "use a point for decimals"),
        (["ONTIME", "5", "--period", "2026-13-01"], "--period: 2026-13-01 does not exist"),
        (["NOPE", "5"], "NOPE"),
    ],
)
def test_measure_refuses_bad_input_and_changes_nothing(runner, sample_db: Path, arguments, message) -> None:
    before = _bytes(sample_db)
    result = runner.invoke(main, ["--db", str(sample_db), "measure", *arguments])
    assert result.exit_code == 2
    assert message in result.stderr
    assert _bytes(sample_db) == before


def test_checkin_and_measure_have_help_with_examples(runner) -> None:
    for command in ("checkin", "measure"):
        result = runner.invoke(main, [command, "--help"])
        assert result.exit_code == 0
        assert "Examples:" in result.output


# --------------------------------------------------------------------------- no database


@pytest.mark.parametrize(
    "command",
    [
        ["report"],
        ["report", "--format", "json"],
        ["export", "-"],
        ["checkin", "Q4-O1-KR2", "80", "--confidence", "7"],
        ["measure", "ONTIME", "74"],
        ["update", "PRJ-101", "--ev", "100"],
        ["cycle", "close", "2026-Q4"],
    ],
)
def test_commands_that_need_a_database_never_create_one(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    path = tmp_path / "missing.db"
    result = runner.invoke(main, ["--db", str(path), *command])
    assert_one_line_error(result, f"no database at {path}", "`pmo init` creates one")
    assert list(tmp_path.iterdir()) == []


def test_report_without_the_default_database_creates_nothing(runner: CliRunner) -> None:
    result = runner.invoke(main, ["report"])
    assert_one_line_error(result, "no database at", "pmo init")
    assert not user_data_dir().exists()


# =========================================================================== pmo cycle close


def test_cycle_close_grades_as_the_okr_screen_does(runner: CliRunner, sample_db: Path) -> None:
    result = runner.invoke(
        main, ["--db", str(sample_db), "--today", "2026-11-20", "cycle", "close", "2026-Q4"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2026-Q4 closed and graded: 3 objectives, average score 0.42 (partial)."
    assert "  0.48 partial   Q4-O1 Increase the PMO's contribution to strategic outcomes" in lines
    assert "    0.73 achieved  Q4-O1-KR2 Projects aligned to strategic goals from 70 % to 90 %" in lines
    assert (
        lines[-1]
        == "Unfinished, kept in 2026-Q4: Q4-O1, Q4-O2, Q4-O3 (--carry-over would copy them into 2027-Q1)."
    )
    # What was saved: the same scores the store's grading gives, and no copies.
    store = Store.open(sample_db)
    try:
        saved = {o.code: o for o in store.okr_board(date(2026, 11, 20), "2026-Q4").objectives}
        assert [c.name for c in store.cycles(date(2026, 11, 20))] == ["2026-Q4", "2026-Q3"]
        assert store.okr_board(date(2026, 11, 20), "2026-Q4").cycle.status == "closed"
    finally:
        store.close()
    assert {code: o.score for code, o in saved.items()} == {"Q4-O1": 0.48, "Q4-O2": 0.38, "Q4-O3": 0.39}
    assert [kr.score for kr in saved["Q4-O1"].key_results] == [0.0, 0.73, 0.47]


def test_cycle_close_carry_over_reports_the_copies(runner: CliRunner, sample_db: Path) -> None:
    result = runner.invoke(
        main, ["--db", str(sample_db), "--today", "2026-11-20", "cycle", "close", "2026-Q4", "--carry-over"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "Carried 3 of the unfinished objectives (Q4-O1, Q4-O2, Q4-O3) into 2027-Q1: "
        "2027-Q1-O1, 2027-Q1-O2, 2027-Q1-O3."
    )
    store = Store.open(sample_db)
    try:
        carried = store.okr_board(date(2026, 11, 20), "2027-Q1").objectives
    finally:
        store.close()
    assert [(o.code, o.carried_from, o.status) for o in carried] == [
        ("2027-Q1-O1", "Q4-O1", "active"),
        ("2027-Q1-O2", "Q4-O2", "active"),
        ("2027-Q1-O3", "Q4-O3", "active"),
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("2026-Q3", "2026-Q3 is closed; reopen it to close and grade it again"),
        ("2031-Q1", "no cycle named “2031-Q1”"),
    ],
)
def test_cycle_close_refuses_and_changes_nothing(runner: CliRunner, sample_db: Path, name, message) -> None:
    before = sample_db.read_bytes()
    result = runner.invoke(main, ["--db", str(sample_db), "cycle", "close", name, "--carry-over"])
    assert_one_line_error(result, message)
    assert sample_db.read_bytes() == before


@pytest.mark.parametrize(
    "arguments",
    [
        ["raid", "add", "PRJ-101", "--kind", "issue", "--title", "c1 \udc9b31mX"],
        ["checkin", "Q4-O1-KR2", "86", "--comment", "\udcff"],
        ["cycle", "close", "\udcff"],
    ],
)
def test_an_argument_that_is_not_utf8_is_refused_in_one_line_and_nothing_is_written(
    runner: CliRunner, sample_db: Path, arguments: list[str]
) -> None:
    """Bytes the shell passed that are not UTF-8 arrive as lone surrogates: named, not stored."""
    before = sample_db.read_bytes()
    result = runner.invoke(main, ["--db", str(sample_db), "--today", "2026-11-20", *arguments])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"pmo: “{arguments[-1].encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')}” "
        "is not UTF-8 text: pmo takes names, text and file names in UTF-8"
    ]
    assert sample_db.read_bytes() == before
