"""Errors that say what happened: a locked, full, read-only or damaged database, and a record
another session deleted, each get their own plain message (pmo_tui.failures), in the CLI (exit 2,
one line) and in the TUI (one notification; the app keeps running, what was typed stays).

Every failure here is a real one, on real SQLite files: another connection holding the file
locked, a second Store deleting a record, SQLite's own "database or disk is full", a database
opened read-only, a file with a damaged page."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy
from click.testing import CliRunner
from helpers import TODAY, make_app, screen_text, settle
from textual.worker import WorkerCancelled, WorkerFailed

import pmo_tui.store as store_module
from pmo_tui import failures
from pmo_tui.cli import main
from pmo_tui.store import NotFound, ReadOnly, Store

SIZE = (120, 40)
# Words a message in the user's words never holds: SQL, its parameters, exception classes.
TECHNICAL = (
    "SELECT",
    "INSERT",
    "UPDATE ",
    "DELETE",
    "[SQL",
    "parameters",
    "sqlite3",
    "Error",
    "Exception",
    "OperationalError",
    "Traceback",
    "(Background on this error",
)


def assert_plain(message: str) -> None:
    for word in TECHNICAL:
        assert word not in message, (word, message)


# --------------------------------------------------------------------------- real failures


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lock held by another program is given up on after a fifth of a second (30 s in use)."""
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT", 0.2)


@pytest.fixture
def store(sample_db: Path, short_busy_timeout: None) -> Iterator[Store]:
    opened = Store.open(sample_db)
    yield opened
    opened.close()


class Holder:
    """Another program holding the database file whole: nobody else reads or writes it until
    it lets go (SQLite's exclusive locking mode, a write transaction left open).

    A WAL database can be taken so only while no other connection has it open, so the store's
    idle connections are let go first (Store.close; the store opens new ones on its next read,
    which then find the file locked)."""

    def __init__(self, path: Path, store: Store | None = None) -> None:
        self.path, self.store = path, store
        self.connection: sqlite3.Connection | None = None

    def take(self) -> None:
        if self.store is not None:
            self.store.close()
        self.connection = sqlite3.connect(self.path, isolation_level=None, timeout=2)
        self.connection.execute("PRAGMA locking_mode = EXCLUSIVE")
        self.connection.execute("BEGIN EXCLUSIVE")

    def release(self) -> None:
        if self.connection is not None:
            self.connection.execute("ROLLBACK")
            self.connection.close()
            self.connection = None


@pytest.fixture
def holder(sample_db: Path, store: Store) -> Iterator[Holder]:
    held = Holder(sample_db, store)
    yield held
    held.release()


def test_a_locked_database_says_so_for_reads_and_writes(store: Store, holder: Holder) -> None:
    holder.take()
    for attempt in (lambda: store.overview(TODAY), lambda: store.delete_project("PRJ-101")):
        with pytest.raises(Exception) as caught:
            attempt()
        message = failures.explain(caught.value)
        assert message == failures.LOCKED
        assert "another program" in message and "try again" in message
        assert "backup" not in message and "damaged" not in message
        assert_plain(message)
    holder.release()
    assert len(store.overview(TODAY).projects) > 0, "the database was healthy all along"


def test_a_writer_holding_the_lock_is_told_as_locked(sample_db: Path, store: Store) -> None:
    """Another program in the middle of a write (BEGIN IMMEDIATE): reads go on, a write waits
    and is then refused as locked."""
    other = sqlite3.connect(sample_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert store.overview(TODAY).projects
        with pytest.raises(Exception) as caught:
            store.set_kpi_active("ONTIME", False)
        assert failures.explain(caught.value) == failures.LOCKED
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_full_disk_says_that_nothing_saved_was_lost(tmp_path: Path) -> None:
    """SQLite's own SQLITE_FULL ("database or disk is full"), through SQLAlchemy as the store
    meets it: a database not allowed to grow past its pages."""
    path = tmp_path / "full.db"
    engine = sqlalchemy.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x TEXT)")
    with pytest.raises(sqlalchemy.exc.OperationalError) as caught, engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA max_page_count = 3")
        for _ in range(50):
            connection.exec_driver_sql("INSERT INTO t VALUES (?)", ("x" * 3000,))
    engine.dispose()
    assert "database or disk is full" in str(caught.value)
    message = failures.explain(caught.value)
    assert message == failures.DISK_FULL
    assert "Nothing already saved was lost" in message and "Free some space" in message
    assert "backup" not in message
    assert_plain(message)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_full_disk_when_writing_a_file_says_so() -> None:
    with pytest.raises(OSError) as caught, open("/dev/full", "w") as handle:
        handle.write("x" * 100_000)
    assert caught.value.errno == errno.ENOSPC
    message = failures.explain(caught.value)
    assert message.startswith("The disk is full") and "Nothing already saved was lost" in message
    assert_plain(message)


def test_a_read_only_database_says_so(sample_db: Path) -> None:
    connection = sqlite3.connect(f"{sample_db.as_uri()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as caught:
        connection.execute("DELETE FROM project")
    connection.close()
    assert "readonly database" in str(caught.value)
    message = failures.explain(caught.value)
    assert message == failures.READ_ONLY
    assert "read-only" in message and "writable" in message and "backup" not in message
    assert_plain(message)
    for code in (errno.EACCES, errno.EROFS):
        message = failures.explain(OSError(code, os.strerror(code), "/somewhere/report.md"))
        assert "read-only" in message and "/somewhere/report.md" in message
        assert_plain(message)


def test_a_record_deleted_by_another_session_says_so(sample_db: Path, store: Store) -> None:
    other = Store.open(sample_db)
    try:
        other.delete_project("PRJ-101")
    finally:
        other.close()
    with pytest.raises(NotFound) as caught:
        store.project_detail("PRJ-101")
    message = failures.explain(caught.value)
    assert "PRJ-101" in message and "deleted" in message and "open it again" in message
    assert_plain(message)


def test_a_damaged_file_is_the_only_one_called_damaged(tmp_path: Path, sample_db: Path) -> None:
    damaged = tmp_path / "damaged.db"
    connection = sqlite3.connect(sample_db)
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'project'").fetchone()[0]
    connection.close()
    content = bytearray(sample_db.read_bytes())
    content[(root - 1) * page_size : root * page_size] = b"\xa5" * page_size
    damaged.write_bytes(bytes(content))
    connection = sqlite3.connect(damaged)
    with pytest.raises(sqlite3.DatabaseError) as caught:
        connection.execute("SELECT * FROM project").fetchall()
    connection.close()
    assert failures.explain(caught.value) == failures.DAMAGED
    # Only a damaged file's message speaks of a backup; none of the healthy ones does.
    healthy = [
        failures.LOCKED,
        failures.DISK_FULL,
        failures.READ_ONLY,
        failures.CANNOT_OPEN,
        failures.DISK_ERROR,
        failures.CONFLICT,
        failures.DATABASE_REFUSED,
        failures.UNEXPECTED,
        failures.read_only_message("the file is read-only"),
    ]
    assert not [message for message in healthy if "backup" in message.lower()]


def test_no_message_in_the_code_sends_a_healthy_database_to_its_backup() -> None:
    """The CLI once told every SQLite error, a lock included, to "restore from a backup"."""
    import ast

    package = Path(failures.__file__).parent
    offenders = []
    for path in package.rglob("*.py"):
        if path.name == "failures.py":  # its one damaged-file message may speak of a backup
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        for node in ast.walk(tree):  # the strings a user may read: not docstrings nor comments
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and "backup" in node.value.lower()
            ):
                offenders.append(f"{path.name}:{node.lineno}: {node.value}")
    assert not [o for o in offenders if "restore" in o.lower()], offenders


def test_an_unexpected_error_is_told_without_its_class() -> None:
    message = failures.explain(KeyError("kpi_id"))
    assert message == failures.UNEXPECTED
    assert "kpi_id" not in message
    assert_plain(message)


def test_failures_needs_no_terminal_library() -> None:
    code = (
        "import sys, pmo_tui.failures; "
        "print(sorted(m for m in ('textual', 'rich', 'sqlalchemy') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# --------------------------------------------------------------------------- the CLI


def pmo(*arguments: object):
    return CliRunner().invoke(main, [str(argument) for argument in arguments])


def assert_one_line(result, *fragments: str) -> str:
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert_plain(lines[0])
    return lines[0]


def test_the_cli_says_a_locked_database_is_locked(sample_db: Path, short_busy_timeout: None) -> None:
    holder = Holder(sample_db)
    holder.take()
    try:
        before = sample_db.read_bytes()
        result = pmo(
            "--db",
            sample_db,
            "--today",
            "2026-11-20",
            "checkin",
            "Q4-O1-KR2",
            "85",
            "--confidence",
            "7",
            "--at",
            "2026-11-20",
        )
        line = assert_one_line(result, "locked by another program", str(sample_db))
        assert "backup" not in line
    finally:
        holder.release()
    assert sample_db.read_bytes() == before


def test_the_cli_with_read_only_refuses_a_change_in_one_line(sample_db: Path) -> None:
    before = sample_db.read_bytes()
    result = pmo("--db", sample_db, "--read-only", "measure", "ONTIME", "80")
    assert_one_line(result, "read-only", "--read-only", "changes cannot be saved")
    result = CliRunner(env={"PMO_READ_ONLY": "1"}).invoke(
        main, ["--db", str(sample_db), "checkin", "Q4-O1-KR2", "85", "--confidence", "7"]
    )
    assert_one_line(result, "read-only")
    assert sample_db.read_bytes() == before


# --------------------------------------------------------------------------- read-only files


def folder_state(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes() for p in sorted(folder.rglob("*"))
    }


@pytest.fixture
def place(tmp_path: Path, sample_db: Path) -> Iterator[Path]:
    """A folder of its own holding the sample database; made writable again afterwards."""
    folder = tmp_path / "place"
    folder.mkdir()
    shutil.copy(sample_db, folder / "portfolio.db")
    yield folder
    folder.chmod(0o755)
    for path in folder.iterdir():
        path.chmod(0o644)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_opens_for_reading(place: Path, tmp_path: Path, what: str) -> None:
    path = place / "portfolio.db"
    if what == "file":
        path.chmod(0o444)
    else:
        place.chmod(0o555)
    before = folder_state(place)
    store = Store.open(path)
    try:
        assert store.read_only
        assert store.read_only_reason == (
            "the file is read-only" if what == "file" else "its folder is read-only"
        )
        assert len(store.overview(TODAY).projects) == 14
        assert store.kpi_detail("ONTIME", TODAY).measurements
        with pytest.raises(ReadOnly) as caught:
            store.delete_project("PRJ-101")
        message = failures.explain(caught.value)
        assert message.startswith("This portfolio is read-only (")
        assert "browse it, write the report and export it" in message
        assert_plain(message)
    finally:
        store.close()
    # The report and the export, to another folder, work; nothing in the folder changed.
    out = tmp_path / "out"
    out.mkdir()
    assert pmo("--db", path, "--today", "2026-11-20", "report", "-o", out / "report.md").exit_code == 0
    assert pmo("--db", path, "export", out / "portfolio.toml").exit_code == 0
    assert "PRJ-101" in (out / "portfolio.toml").read_text()
    line = assert_one_line(pmo("--db", path, "measure", "ONTIME", "80"), "read-only")
    assert str(path) in line
    assert folder_state(place) == before, "nothing was written beside or into the database"


def test_a_read_only_folder_shows_the_commits_still_in_the_wal(place: Path) -> None:
    path = place / "portfolio.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE project SET name = 'Renamed in the WAL' WHERE code = 'PRJ-101'")
    # Copied while the writer still holds them: the -wal and -shm a crash would leave behind.
    left = place.parent / "left"
    left.mkdir()
    for name in ("portfolio.db", "portfolio.db-wal", "portfolio.db-shm"):
        shutil.copy(place / name, left / name)
    writer.close()
    left.chmod(0o555)
    try:
        store = Store.open(left / "portfolio.db")
        try:
            assert store.read_only
            assert store.project_detail("PRJ-101").row.name == "Renamed in the WAL"
        finally:
            store.close()
    finally:
        left.chmod(0o755)


def test_a_read_only_folder_with_commits_it_cannot_read_refuses_plainly(place: Path) -> None:
    """Commits in a -wal without its -shm index, in a read-only folder: SQLite could read them
    only by creating the -shm there. Refused, in words, rather than shown without them."""
    path = place / "portfolio.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE project SET name = 'Only in the WAL' WHERE code = 'PRJ-101'")
    left = place.parent / "left"
    left.mkdir()
    for name in ("portfolio.db", "portfolio.db-wal"):
        shutil.copy(place / name, left / name)
    writer.close()
    left.chmod(0o555)
    try:
        before = folder_state(left)
        with pytest.raises(store_module.DatabaseError) as caught:
            Store.open(left / "portfolio.db")
        assert "-wal" in str(caught.value) and "copy" in str(caught.value)
        assert_plain(failures.explain(caught.value))
        assert folder_state(left) == before
    finally:
        left.chmod(0o755)


@pytest.mark.skipif(
    os.name != "posix" or getattr(os, "geteuid", lambda: 1)() != 0 or shutil.which("setpriv") is None,
    reason="needs root to run pmo as another user (setpriv)",
)
def test_a_read_only_folder_for_a_user_who_is_not_root(
    tmp_path_factory: pytest.TempPathFactory, sample_db: Path
) -> None:
    """The real thing: pmo run as `nobody` on a database in a folder it may not write."""
    import tempfile

    top = Path(tempfile.mkdtemp(prefix="pmo-ro-"))
    try:
        top.chmod(0o755)
        folder = top / "place"
        folder.mkdir()
        shutil.copy(sample_db, folder / "portfolio.db")
        (folder / "portfolio.db").chmod(0o644)
        folder.chmod(0o555)
        before = folder_state(folder)

        def as_nobody(*arguments: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [
                    "setpriv",
                    "--reuid=65534",
                    "--regid=65534",
                    "--clear-groups",
                    sys.executable,
                    "-m",
                    "pmo_tui",
                    "--db",
                    str(folder / "portfolio.db"),
                    *arguments,
                ],
                capture_output=True,
                text=True,
                timeout=120,
                env={
                    **os.environ,
                    "HOME": str(top),
                    "XDG_CACHE_HOME": str(top / "cache"),
                    "XDG_DATA_HOME": str(top / "data"),
                },
            )

        report = as_nobody("--today", "2026-11-20", "report")
        if report.returncode != 0 and "Permission denied" in report.stderr and "python" in report.stderr:
            pytest.skip("the test's Python is not readable by nobody")
        assert report.returncode == 0, report.stderr
        assert "PMO report" in report.stdout
        refused = as_nobody("checkin", "Q4-O1-KR2", "85", "--confidence", "7")
        assert refused.returncode == 2, refused.stderr
        assert refused.stderr.count("\n") == 1 and "read-only" in refused.stderr
        assert "Traceback" not in refused.stderr
        assert folder_state(folder) == before
    finally:
        (top / "place").chmod(0o755) if (top / "place").exists() else None
        shutil.rmtree(top, ignore_errors=True)


# --------------------------------------------------------------------------- the TUI


async def finished(pilot) -> None:
    """Every worker done, the failed ones too (a failure is what these tests are after)."""
    for worker in list(pilot.app.workers):
        with contextlib.suppress(WorkerFailed, WorkerCancelled):
            await worker.wait()
    await pilot.pause()


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


def assert_told(app, expected: str) -> None:
    """The app still runs, and one notification says `expected` (and nothing technical)."""
    assert app.is_running
    shown = messages(app)
    assert any(expected in message for message in shown), shown
    for message in shown:
        assert_plain(message)


async def test_overview_reload_on_a_locked_database(store: Store, holder: Holder) -> None:
    from pmo_tui.screens.portfolio import PortfolioScreen

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        holder.take()
        await pilot.press("r")
        await settle(pilot)
        assert_told(app, failures.LOCKED)
        assert isinstance(app.screen, PortfolioScreen)
        assert "PRJ-101" in screen_text(app), "what was shown stays shown"
        holder.release()
        await pilot.press("r")
        await settle(pilot)
        assert app.is_running


async def test_the_app_starts_on_a_locked_database_and_says_so(store: Store, holder: Holder) -> None:
    holder.take()
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert_told(app, failures.LOCKED)
        holder.release()
        await pilot.press("r")
        await settle(pilot)
        assert "PRJ-101" in screen_text(app), "read once the other program let go"


async def test_kpi_list_on_a_locked_database(store: Store, holder: Holder) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        holder.take()
        await pilot.press("2")
        await settle(pilot)
        assert_told(app, failures.LOCKED)
        assert app.current_mode == "kpis"


async def test_kpi_detail_action_on_a_locked_database(store: Store, holder: Holder) -> None:
    from pmo_tui.screens.kpi_detail import KpiDetailScreen

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_kpi("ONTIME")
        await settle(pilot)
        assert isinstance(app.screen, KpiDetailScreen)
        holder.take()
        await pilot.press("v")  # mark the definition reviewed: a write
        await settle(pilot)
        await finished(pilot)
        assert_told(app, failures.LOCKED)
        assert isinstance(app.screen, KpiDetailScreen)


async def test_a_form_keeps_what_was_typed_when_the_database_is_locked(store: Store, holder: Holder) -> None:
    from textual.widgets import Input, Static

    from pmo_tui.screens.dialogs import FormScreen

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_kpi("ONTIME")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"81.5")
        holder.take()
        await pilot.press("ctrl+s")
        await finished(pilot)
        form = app.screen
        assert isinstance(form, FormScreen), "the form stays open"
        assert form.query_one("#field-value", Input).value == "81.5", "what was typed stays"
        status = str(form.query_one("#form-status", Static).render())
        assert "Not saved" in status and "locked by another program" in status
        assert_plain(status)
        assert app.is_running


async def test_okr_board_on_a_locked_database(store: Store, holder: Holder) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        holder.take()
        await pilot.press("3")
        await settle(pilot)
        assert_told(app, failures.LOCKED)
        assert app.current_mode == "okrs"


async def test_key_result_deleted_by_another_session(sample_db: Path, store: Store) -> None:
    from pmo_tui.screens.key_result_detail import KeyResultDetailScreen

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        other = Store.open(sample_db)
        try:
            other.delete_key_result("Q4-O1-KR2")
        finally:
            other.close()
        app.push_screen(KeyResultDetailScreen("Q4-O1-KR2"))
        await settle(pilot)
        assert_told(app, "Q4-O1-KR2")
        assert any("deleted" in message for message in messages(app))


async def test_project_deleted_by_another_session(sample_db: Path, store: Store) -> None:
    from pmo_tui.screens.project_detail import ProjectDetailScreen

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        other = Store.open(sample_db)
        try:
            other.delete_project("PRJ-101")
        finally:
            other.close()
        app.open_project("PRJ-101")
        await settle(pilot)
        assert_told(app, "PRJ-101")
        assert any("deleted by another pmo window or program" in m for m in messages(app))
        assert isinstance(app.screen, ProjectDetailScreen)


async def test_project_action_on_a_project_deleted_by_another_session(sample_db: Path, store: Store) -> None:
    from pmo_tui.screens.dialogs import ConfirmScreen
    from pmo_tui.screens.project_detail import ProjectDetailScreen

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_project("PRJ-102")
        await settle(pilot)
        assert isinstance(app.screen, ProjectDetailScreen)
        other = Store.open(sample_db)
        try:
            other.delete_project("PRJ-102")
        finally:
            other.close()
        app.screen.query_one("#updates").focus()
        await pilot.press("delete")  # delete the highlighted status update: asks first
        await pilot.pause()
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("y")
        await finished(pilot)
        assert_told(app, "no longer exists: it may have been deleted by another pmo window or program")
        assert isinstance(app.screen, ProjectDetailScreen)


async def test_goals_on_a_locked_database(store: Store, holder: Holder) -> None:
    from pmo_tui.screens.goals import GoalsScreen

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        holder.take()
        app.open_goals()
        await settle(pilot)
        assert_told(app, failures.LOCKED)
        assert isinstance(app.screen, GoalsScreen)


async def test_maturity_on_a_locked_database(store: Store, holder: Holder) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        holder.take()
        await pilot.press("4")
        await settle(pilot)
        assert_told(app, failures.LOCKED)
        assert app.current_mode == "maturity"


async def test_check_in_keeps_the_value_when_the_database_is_locked(store: Store, holder: Holder) -> None:
    from textual.widgets import Input, Static

    from pmo_tui.screens.check_in import CheckInScreen

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CheckInScreen)
        screen = app.screen
        value = screen.query_one("#ci-value", Input)
        value.value = ""
        value.focus()
        # 1: a value any key result takes (the first due may be a milestone: 0 or 1).
        await pilot.press("1", "enter", "7")  # the value, then the confidence
        await pilot.pause()
        assert value.value == "1"
        holder.take()
        await pilot.press("enter")
        await finished(pilot)
        assert app.is_running and app.screen is screen
        assert value.value == "1", "what was typed stays"
        error = str(screen.query_one("#ci-value-error", Static).render())
        assert "not saved" in error and "locked by another program" in error
        assert_plain(error)


async def test_check_in_loading_on_a_locked_database(store: Store, holder: Holder) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        holder.take()
        await pilot.press("c")
        await settle(pilot)
        assert_told(app, failures.LOCKED)


# --------------------------------------------------------------------------- the read-only TUI


@pytest.fixture
def read_only_store(place: Path) -> Iterator[Store]:
    path = place / "portfolio.db"
    path.chmod(0o444)
    opened = Store.open(path)
    yield opened
    opened.close()


async def test_a_read_only_portfolio_is_browsed_and_its_write_keys_say_why(
    read_only_store: Store, place: Path
) -> None:
    from pmo_tui.screens.check_in import CheckInScreen
    from pmo_tui.screens.dialogs import ConfirmScreen, FormScreen, TextScreen
    from pmo_tui.screens.kpi_detail import KpiDetailScreen

    before = folder_state(place)
    app = make_app(read_only_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "read-only" in screen_text(app), "the header shows the sign"
        refusal = "This portfolio is read-only (the file is read-only): changes cannot be saved"

        async def press_and_expect_refusal(*keys: str) -> None:
            app.clear_notifications()
            await pilot.press(*keys)
            await settle(pilot)
            assert not isinstance(app.screen, (FormScreen, ConfirmScreen, CheckInScreen)), keys
            assert any(refusal in message for message in messages(app)), (keys, messages(app))

        await press_and_expect_refusal("n")  # new project
        await press_and_expect_refusal("c")  # check-in
        app.open_kpi("ONTIME")
        await settle(pilot)
        assert isinstance(app.screen, KpiDetailScreen)
        for key in ("a", "e", "v", "x", "o"):
            await press_and_expect_refusal(key)
        app.screen.query_one("#measurements").focus()
        # Enter shows the highlighted measurement whole (reading is no change), with no correction.
        app.clear_notifications()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TextScreen) and not app.screen.query("#text-correct")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, TextScreen), "no correction form on a read-only portfolio"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        # Browsing works everywhere, with nothing to complain about.
        app.clear_notifications()
        for area in ("2", "3", "4", "1"):
            await pilot.press(area)
            await settle(pilot)
        assert not [m for m in messages(app) if "read-only" not in m], messages(app)
        assert app.is_running
    assert folder_state(place) == before


async def _save_form_after_a_deletion(app, pilot, form, delete) -> str:
    """Open `form`, let `delete` remove its record through a second Store on the same file, save:
    what the form's status line then says (the form stays open, what was typed kept)."""
    from textual.widgets import Static

    from pmo_tui.screens.dialogs import FormScreen

    app.push_screen(form)
    await settle(pilot)
    delete()
    await pilot.press("ctrl+s")
    for _ in range(100):  # until the save has come back with its message
        await pilot.pause(0.02)
        status = form.query_one("#form-status", Static)
        said = str(getattr(status.content, "plain", status.content))
        if not form.saving and said and not said.startswith("saving"):
            break
    assert isinstance(app.screen, FormScreen) and app.screen is form
    return said


async def test_a_form_whose_record_another_session_deleted_says_so(sample_db: Path) -> None:
    from pmo_tui.screens.okr_forms import objective_form
    from pmo_tui.screens.project_forms import project_form, status_update_form

    store, other = Store.open(sample_db), Store.open(sample_db)
    try:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            goals = store.goal_options()
            detail = store.project_detail("PRJ-101")
            for form in (project_form(app, goals, set(), detail), status_update_form(app, detail)):
                said = await _save_form_after_a_deletion(
                    app, pilot, form, lambda: _delete_once(other, "PRJ-101")
                )
                assert "PRJ-101" in said and "deleted by another pmo window or program" in said, said
                await pilot.press("escape")
                await settle(pilot)
            cycles, objectives, _ = store.okr_choices()
            row = next(o for o in store.okr_board(TODAY, "2026-Q4").objectives if o.code == "Q4-O2")
            form = objective_form(
                app, cycles=cycles, objectives=objectives, goals=goals, cycle="2026-Q4", objective=row
            )
            said = await _save_form_after_a_deletion(
                app, pilot, form, lambda: other.delete_objective("Q4-O2")
            )
            assert "Q4-O2" in said and "deleted by another pmo window or program" in said, said
    finally:
        other.close()
        store.close()


def _delete_once(store: Store, code: str) -> None:
    with contextlib.suppress(NotFound):  # the first form's deletion already took it
        store.delete_project(code)
