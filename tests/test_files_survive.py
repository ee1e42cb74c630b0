"""Files that survive (issue 16): a database whose latest commits are only in its -wal file,
files written beside it, empty and foreign files, the overview cache, deeply nested TOML and a
long import. Real SQLite files and real processes; no mocks of the data layer.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import stat
import struct
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import TODAY, make_app, saving, settle, undo_schema_6, wait_until

from pmo_tui import overview_cache, progress
from pmo_tui.cli import main
from pmo_tui.files import FileExists, FileNotWritten, database_files, write_private
from pmo_tui.portfolio_file import PortfolioFileError, dump_portfolio, parse_portfolio
from pmo_tui.schema import APPLICATION_ID, SCHEMA_VERSION
from pmo_tui.store import DatabaseError, Store

ROOT = Path(__file__).parent.parent
PROCESS_TIMEOUT = 180
SIZE = (120, 40)


# --------------------------------------------------------------------------- helpers


def pmo(*arguments: object):
    """`pmo ...` in this process (click's CliRunner keeps standard error apart)."""
    return CliRunner().invoke(main, [str(argument) for argument in arguments])


def pmo_process(*arguments: object, timeout: float = PROCESS_TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pmo_tui", *map(str, arguments)],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def python_process(code: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=PROCESS_TIMEOUT, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    return done


def refused(result, *fragments: str) -> str:
    """Exit status 2, one line on standard error that says `fragments`, and no traceback."""
    stderr = result.stderr
    status = result.exit_code if hasattr(result, "exit_code") else result.returncode
    assert status == 2, stderr
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, lines
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def count(db: Path, table: str) -> int:
    connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        connection.close()


def main_file_alone(db: Path) -> sqlite3.Connection:
    """The database file read on its own, as if its -wal were not there."""
    return sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def wal_frames(wal: Path) -> tuple[int, list[tuple[int, bytes]]]:
    """(page size, [(page number, page)]) of every frame of a -wal file, in order."""
    data = wal.read_bytes()
    page_size = struct.unpack(">I", data[8:12])[0]
    frames = []
    at = 32
    while at + 24 + page_size <= len(data):
        frames.append((struct.unpack(">I", data[at : at + 4])[0], data[at + 24 : at + 24 + page_size]))
        at += 24 + page_size
    return page_size, frames


def killed_after_commits(db: Path, code: str) -> None:
    """Run `code` (with `store` open on `db`) in a process that then dies at once, without closing
    anything: its commits are left in the -wal file, not yet copied into the database file."""
    python_process(
        "import os\nfrom datetime import date\nfrom pathlib import Path\n"
        "from pmo_tui.store import Store\n"
        f"store = Store.open(Path({str(db)!r}))\n"
        "store._engine.dispose()\n"
        "from sqlalchemy import event\n"
        "@event.listens_for(store._engine, 'connect')\n"
        "def _no_checkpoint(connection, _record):\n"
        "    connection.execute('PRAGMA wal_autocheckpoint = 0')\n"
        f"{code}\n"
        "os._exit(0)\n"
    )


NEW_VALUES = {f"2025-{month:02d}": 1000.0 + month for month in range(1, 13)}


def record_new_values(db: Path) -> None:
    """Twelve committed measurements of ONTIME, one transaction each, left only in the -wal."""
    killed_after_commits(
        db,
        "\n".join(
            f"store.add_measurement('ONTIME', date.fromisoformat('{month}-15'), {value}, replace=True)"
            for month, value in NEW_VALUES.items()
        ),
    )


def ontime_values(db: Path) -> dict[str, float]:
    connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT substr(period, 1, 7), value FROM measurement JOIN kpi ON kpi.id = kpi_id "
            "WHERE kpi.code = 'ONTIME' AND period LIKE '2025-%'"
        ).fetchall()
    finally:
        connection.close()
    return dict(rows)


# --------------------------------------------------------------------------- commits in the -wal


def test_commits_left_in_the_wal_by_a_kill_are_all_there(sample_db: Path) -> None:
    record_new_values(sample_db)
    wal = Path(f"{sample_db}-wal")
    assert wal.stat().st_size > 0
    # The state the rule is about: the file alone does not have them.
    alone = main_file_alone(sample_db)
    try:
        kept = dict(
            alone.execute(
                "SELECT substr(period, 1, 7), value FROM measurement JOIN kpi ON kpi.id = kpi_id "
                "WHERE kpi.code = 'ONTIME' AND period LIKE '2025-%'"
            ).fetchall()
        )
    finally:
        alone.close()
    assert kept != NEW_VALUES

    store = Store.open(sample_db)
    try:
        values = {
            m.period.isoformat()[:7]: m.value
            for m in store.kpi_detail("ONTIME", TODAY).measurements
            if m.period.year == 2025
        }
    finally:
        store.close()
    assert values == NEW_VALUES
    # And the command line reads them too.
    shown = pmo_process("--db", sample_db, "export", "-")
    assert shown.returncode == 0, shown.stderr
    assert "value = 1012.0" in shown.stdout


def test_a_copy_taken_while_the_database_is_open_has_every_commit(sample_db: Path, tmp_path: Path) -> None:
    store = Store.open(sample_db)
    holder = sqlite3.connect(sample_db)  # another reader: no checkpoint may empty the -wal
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        for month, value in NEW_VALUES.items():
            store.add_measurement("ONTIME", date.fromisoformat(f"{month}-15"), value, replace=True)
        copy = tmp_path / "copy"
        copy.mkdir()
        for tail in ("", "-wal", "-shm"):
            shutil.copy(f"{sample_db}{tail}", copy / f"portfolio.db{tail}")
    finally:
        holder.close()
        store.close()
    copied = copy / "portfolio.db"
    assert Path(f"{copied}-wal").stat().st_size > 0
    reopened = Store.open(copied)
    try:
        values = {
            m.period.isoformat()[:7]: m.value
            for m in reopened.kpi_detail("ONTIME", TODAY).measurements
            if m.period.year == 2025
        }
    finally:
        reopened.close()
    assert values == NEW_VALUES
    assert ontime_values(copied) == NEW_VALUES


def _checkpoint_cut_short(db: Path, pages: int, torn_tail: bool) -> None:
    """What a full disk leaves: the -wal holds every commit, the database file only the first
    `pages` pages a checkpoint had copied when the disk filled up (and, with `torn_tail`, the
    -wal ends in half a frame of the transaction that could not be written)."""
    wal = Path(f"{db}-wal")
    page_size, frames = wal_frames(wal)
    latest: dict[int, bytes] = {}
    for number, page in frames:
        latest[number] = page
    content = bytearray(db.read_bytes())
    for number in sorted(latest)[:pages]:
        start = (number - 1) * page_size
        if len(content) < start:
            content.extend(bytes(start - len(content)))
        content[start : start + page_size] = latest[number]
    db.write_bytes(bytes(content))
    if torn_tail:
        with wal.open("ab") as handle:
            handle.write(struct.pack(">II", 2, 0) + os.urandom(16 + page_size // 2))
    Path(f"{db}-shm").unlink(missing_ok=True)


@pytest.mark.parametrize("pages,torn_tail", [(1, False), (4, True), (12, True)])
def test_a_database_left_by_a_full_disk_opens_with_every_check_in(
    tmp_path: Path, pages: int, torn_tail: bool
) -> None:
    db = tmp_path / "portfolio.db"
    Store.open(db).close()
    # The whole sample imported by a process that dies just after its commit.
    killed_after_commits(
        db,
        (
            "from pmo_tui.locations import sample_portfolio_path\n"
            "from pmo_tui.portfolio_file import read_portfolio\n"
            "store.import_portfolio(read_portfolio(sample_portfolio_path()))"
        ),
    )
    _checkpoint_cut_short(db, pages, torn_tail)
    # Read alone, the half-copied file is damaged or lacks the check-ins...
    alone = main_file_alone(db)
    try:
        alone_check_ins = alone.execute("SELECT count(*) FROM check_in").fetchone()[0]
    except sqlite3.DatabaseError:
        alone_check_ins = None
    finally:
        alone.close()
    assert alone_check_ins != 170
    # ...SQLite reads it whole, and so does pmo.
    assert count(db, "check_in") == 170
    store = Store.open(db)
    try:
        assert len([c for c in store.export_portfolio()["objectives"]]) == 6
        assert (
            sum(
                len(kr.get("check_ins", []))
                for o in store.export_portfolio()["objectives"]
                for kr in o.get("key_results", [])
            )
            == 170
        )
    finally:
        store.close()
    report = pmo_process("--db", db, "--today", TODAY, "report", "--format", "json")
    assert report.returncode == 0, report.stderr
    assert "malformed" not in report.stderr


def test_a_wal_database_of_another_application_gets_no_files_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.commit()
    connection.close()
    before = digest(path)
    with pytest.raises(DatabaseError, match="another application"):
        Store.open(path)
    assert digest(path) == before
    assert folder_listing(tmp_path) == ["other.db"]


# --------------------------------------------------------------------------- empty and foreign files


def test_a_zero_byte_file_becomes_a_database_only_through_pmo_init(tmp_path: Path) -> None:
    path = tmp_path / "zero.db"
    path.write_bytes(b"")
    with pytest.raises(DatabaseError, match="pmo init"):
        Store.open(path)
    for command in (["report"], ["export", "-"], ["checkin", "KR", "1", "--confidence", "5"], []):
        result = pmo("--db", path, *command)
        refused(result, str(path), "empty", "pmo init")
        assert path.read_bytes() == b""
    assert folder_listing(tmp_path) == ["zero.db"]
    done = pmo("--db", path, "init")
    assert done.exit_code == 0, done.output
    store = Store.open(path)
    try:
        assert store.is_empty()
    finally:
        store.close()


def test_the_app_refuses_a_zero_byte_file_too(tmp_path: Path) -> None:
    path = tmp_path / "zero.db"
    path.write_bytes(b"")
    result = pmo_process("--db", path, "--today", TODAY, timeout=60)
    refused(result, "pmo init")
    assert path.read_bytes() == b""


def _empty_sqlite(path: Path, pragmas: str) -> None:
    connection = sqlite3.connect(path)
    connection.executescript(pragmas)
    connection.close()
    assert count_tables(path) == 0


def count_tables(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    finally:
        connection.close()


@pytest.mark.parametrize(
    "pragmas",
    [
        "PRAGMA application_id = 1179407430;",  # another application's id, no table
        "PRAGMA user_version = 7;",  # another application's schema version, no table
        "PRAGMA journal_mode = WAL; PRAGMA application_id = 42;",
    ],
)
def test_an_empty_sqlite_file_of_another_application_is_refused_even_by_init(
    tmp_path: Path, pragmas: str
) -> None:
    path = tmp_path / "theirs.db"
    _empty_sqlite(path, pragmas)
    assert path.stat().st_size > 0
    before = digest(path)
    listing = folder_listing(tmp_path)
    for command in (["init"], ["report"], ["export", "-"]):
        refused(pmo("--db", path, *command), "another application", "left untouched")
        assert digest(path) == before
        assert folder_listing(tmp_path) == listing
    with pytest.raises(DatabaseError, match="another application"):
        Store.open(path, initialize=True)


def test_an_empty_sqlite_file_without_an_id_needs_init(tmp_path: Path) -> None:
    path = tmp_path / "blank.db"
    _empty_sqlite(path, "CREATE TABLE t (x); DROP TABLE t;")
    assert path.stat().st_size > 0
    before = digest(path)
    refused(pmo("--db", path, "report"), "pmo init")
    assert digest(path) == before
    assert pmo("--db", path, "init").exit_code == 0
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    finally:
        connection.close()


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_a_database_path_that_is_not_a_regular_file_is_refused_without_waiting(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "portfolio.db"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path = Path("/dev/null")
    result = pmo_process("--db", path, "report", timeout=60)  # a wait would time out here
    refused(result, str(path))


# --------------------------------------------------------------------------- files written


@pytest.fixture
def db(sample_db: Path) -> Path:
    return sample_db


@pytest.mark.parametrize("command", [["export"], ["report", "-o"]])
@pytest.mark.parametrize(
    "target", ["database", "-wal", "-shm", "-journal", "link", "hard link", "link to the -wal"]
)
def test_files_are_never_written_over_the_database(db: Path, command: list[str], target: str) -> None:
    # A -wal and -shm of the database as they are while it is open.
    holder = sqlite3.connect(db)
    holder.execute("SELECT count(*) FROM project").fetchone()
    try:
        if target == "database":
            path = db
        elif target.startswith("-"):
            path = Path(f"{db}{target}")
        elif target == "link":
            path = db.with_name("export.toml")
            path.symlink_to(db)
        elif target == "hard link":
            path = db.with_name("export.toml")
            os.link(db, path)
        else:
            path = db.with_name("export.toml")
            path.symlink_to(f"{db.name}-wal")
        before = digest(db)
        listing = folder_listing(db.parent)
        for force in ([], ["--force"]):
            result = pmo("--db", db, *command, path, *force)
            refused(result, "database", "name another file")
            assert digest(db) == before
            assert folder_listing(db.parent) == listing
    finally:
        holder.close()


@pytest.mark.parametrize("command", [["export"], ["report", "-o"]])
@pytest.mark.parametrize("kind", ["folder", "fifo", "device", "link to a fifo"])
def test_files_are_never_written_over_what_is_not_a_regular_file(
    db: Path, tmp_path: Path, command: list[str], kind: str
) -> None:
    target = tmp_path / "out"
    if kind == "folder":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        target = Path("/dev/null")
    else:
        os.mkfifo(tmp_path / "fifo")
        target.symlink_to(tmp_path / "fifo")
    before = digest(db)
    result = pmo_process("--db", db, *command, target, "--force", timeout=60)
    refused(result, str(target))
    assert digest(db) == before
    if kind == "fifo":
        assert stat.S_ISFIFO(os.lstat(target).st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".pmo-")]


@pytest.mark.parametrize("command", [["export"], ["report", "-o"]])
def test_an_existing_file_is_replaced_only_with_force(db: Path, tmp_path: Path, command: list[str]) -> None:
    target = tmp_path / "out.txt"
    target.write_text("my notes\n")
    os.chmod(target, 0o644)
    before = digest(db)
    line = refused(pmo("--db", db, *command, target), str(target), "already exists", "--force")
    assert "Exported" not in line
    assert target.read_text() == "my notes\n"
    assert digest(db) == before
    done = pmo("--db", db, *command, target, "--force")
    assert done.exit_code == 0, done.stderr
    assert target.read_text() != "my notes\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert folder_listing(tmp_path) == sorted(["portfolio.db", "out.txt"])


def test_a_new_file_is_private_whatever_the_umask_and_leaves_nothing_beside_it(
    db: Path, tmp_path: Path
) -> None:
    previous = os.umask(0)
    try:
        done = pmo("--db", db, "export", tmp_path / "new.toml")
    finally:
        os.umask(previous)
    assert done.exit_code == 0, done.stderr
    assert stat.S_IMODE((tmp_path / "new.toml").stat().st_mode) == 0o600
    assert folder_listing(tmp_path) == ["new.toml", "portfolio.db"]


def test_planted_links_and_files_neither_redirect_nor_read_the_data(db: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file\n")
    planted = shared / "spy.txt"
    planted.write_text("")
    os.chmod(planted, 0o666)
    # Every name an earlier pmo-tui used, or a careless one might: links to the victim, a file
    # that someone else can read.
    for name in (
        ".out.toml.part",
        "out.toml.part",
        "out.toml.tmp",
        ".out.toml.tmp",
        "out.toml~",
        "out.pickle.writing",
        ".pmo.tmp",
    ):
        (shared / name).symlink_to(victim)
    done = pmo("--db", db, "export", shared / "out.toml")
    assert done.exit_code == 0, done.stderr
    assert victim.read_text() == "someone else's file\n"
    assert planted.read_text() == ""
    written = shared / "out.toml"
    assert not written.is_symlink() and stat.S_IMODE(written.stat().st_mode) == 0o600
    assert written.read_text().startswith("# pmo-tui portfolio")
    assert not [p for p in shared.iterdir() if p.name.startswith(".pmo-")]


def test_write_private_uses_an_exclusive_unpredictable_temporary_file(tmp_path: Path, monkeypatch) -> None:
    opened: list[tuple[str, int, int]] = []
    real_open = os.open

    def watching_open(path, flags, mode=0o777, *args, **kwargs):
        opened.append((str(path), flags, mode))
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", watching_open)
    write_private(tmp_path / "a.txt", "one")
    write_private(tmp_path / "b.txt", "two")
    monkeypatch.undo()
    temporaries = [(p, f, m) for p, f, m in opened if Path(p).name.startswith(".pmo-")]
    assert len(temporaries) == 2
    for path, flags, mode in temporaries:
        assert Path(path).parent == tmp_path
        for flag in (os.O_CREAT, os.O_EXCL, os.O_NOFOLLOW, os.O_WRONLY):
            assert flags & flag == flag
        assert mode == 0o600
        assert len(Path(path).name) >= 30  # 128 random bits
    assert temporaries[0][0] != temporaries[1][0]
    assert folder_listing(tmp_path) == ["a.txt", "b.txt"]


def test_a_failed_write_leaves_no_temporary_file_and_the_old_file_whole(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "out.toml"
    target.write_text("as it was\n")

    def full_disk(_descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(FileNotWritten, match="No space left"):
        write_private(target, "x" * 100_000, replace=True)
    monkeypatch.undo()
    assert target.read_text() == "as it was\n"
    assert folder_listing(tmp_path) == ["out.toml"]


def test_write_private_refuses_an_existing_file_unless_asked(tmp_path: Path) -> None:
    target = tmp_path / "out.toml"
    target.write_text("mine\n")
    with pytest.raises(FileExists):
        write_private(target, "new")
    assert target.read_text() == "mine\n"
    write_private(target, "new", replace=True)
    assert target.read_text() == "new"
    db = tmp_path / "p.db"
    db.write_bytes(b"")
    for protected in database_files(db):
        with pytest.raises(FileNotWritten, match="database"):
            write_private(protected, "x", protected=database_files(db), replace=True)
    assert db.read_bytes() == b""


@pytest.mark.slow
async def test_the_app_asks_before_replacing_a_file_and_never_writes_over_the_database(
    sample_store: Store, tmp_path: Path
) -> None:
    from pmo_tui.screens.dialogs import ConfirmScreen, FormScreen
    from pmo_tui.screens.file_forms import export_form, report_form

    target = tmp_path / "out.toml"
    target.write_text("keep me\n")
    database = sample_store.path
    before = digest(database)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for make in (export_form, report_form):
            app.push_screen(make(app))
            await settle(pilot)
            form = app.screen
            assert isinstance(form, FormScreen)
            # The database itself, and its -wal: refused beside the field.
            for path in (database, Path(f"{database}-wal")):
                form.query_one("#field-file").value = str(path)
                await pilot.press("ctrl+s")
                await settle(pilot)
                await wait_until(pilot, lambda: not saving(app), "the save to refuse")
                assert app.screen is form
                error = form.query_one("#error-file")
                assert error.has_class("-shown")
                assert "name another file" in str(error.render())
            # An existing file: a question; "n" keeps it.
            form.query_one("#field-file").value = str(target)
            await pilot.press("ctrl+s")
            await wait_until(
                pilot, lambda: isinstance(app.screen, ConfirmScreen) or not saving(app), "a question"
            )
            assert isinstance(app.screen, ConfirmScreen)
            assert "already exists" in app.screen.question
            await pilot.press("n")
            await wait_until(pilot, lambda form=form: app.screen is form, "the form again")
            assert app.screen is form
            assert target.read_text() == "keep me\n"
            # Asked again, "y" replaces it.
            await pilot.press("ctrl+s")
            await wait_until(
                pilot, lambda: isinstance(app.screen, ConfirmScreen) or not saving(app), "a question"
            )
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await wait_until(
                pilot, lambda: not isinstance(app.screen, (FormScreen, ConfirmScreen)), "the form to close", 5
            )
            assert not isinstance(app.screen, (FormScreen, ConfirmScreen))
            assert target.read_text() != "keep me\n"
            assert stat.S_IMODE(target.stat().st_mode) == 0o600
            target.write_text("keep me\n")
    sample_store.close()
    assert digest(database) == before


# --------------------------------------------------------------------------- the overview cache


def _revision_set(db: Path, n: int) -> None:
    connection = sqlite3.connect(db)
    connection.execute("UPDATE revision SET n = ?", (n,))
    connection.commit()
    connection.close()


def test_another_database_at_the_same_path_never_shows_the_cached_overview(
    sample_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "here.db"
    shutil.copy(sample_db, path)
    _revision_set(path, 42)
    store = Store.open(path)
    try:
        revision = store.revision()
        overview_cache.save(path, revision, TODAY, store.overview(TODAY))
        assert overview_cache.load(path, revision, TODAY) is not None
    finally:
        store.close()
    # Another database, at the very same revision number, put at the same path.
    other = tmp_path / "other.db"
    Store.open(other).close()
    _revision_set(other, 42)
    os.replace(other, path)
    for tail in ("-wal", "-shm"):
        Path(f"{path}{tail}").unlink(missing_ok=True)
    store = Store.open(path)
    try:
        assert store.revision() != revision
        assert store.revision().endswith(":42")
        assert overview_cache.load(path, store.revision(), TODAY) is None
    finally:
        store.close()


def _as_schema_3(db: Path) -> None:
    """The file as schema 3 left it: a revision without the identity (and no key result's
    creation day, schema 5's)."""
    connection = sqlite3.connect(db)
    undo_schema_6(connection)
    connection.execute("ALTER TABLE revision DROP COLUMN identity")
    connection.execute("ALTER TABLE key_result DROP COLUMN created")
    connection.execute("PRAGMA user_version = 3")
    connection.commit()
    connection.close()


def _identity(db: Path) -> str:
    connection = sqlite3.connect(db)
    try:
        return connection.execute("SELECT identity FROM revision").fetchone()[0]
    finally:
        connection.close()


def test_an_upgrade_gives_a_fresh_identity_and_never_overwrites_a_backup(
    sample_db: Path, tmp_path: Path
) -> None:
    assert SCHEMA_VERSION == 6
    identities = {_identity(sample_db)}
    path = tmp_path / "old.db"
    victim = tmp_path / "victim.txt"
    victim.write_text("not a backup\n")
    shutil.copy(sample_db, path)
    _as_schema_3(path)
    schema_3 = path.read_bytes()
    for round_ in range(3):
        if round_:
            path.write_bytes(schema_3)  # the same old file, upgraded once more
            for tail in ("-wal", "-shm"):
                Path(f"{path}{tail}").unlink(missing_ok=True)
        if round_ == 1:
            # A link planted at the next backup's name is not written through.
            path.with_name("old.db.schema-3.2.bak").symlink_to(victim)
        store = Store.open(path)
        try:
            revision = store.revision()
            assert revision is not None
        finally:
            store.close()
        identities.add(_identity(path))
    assert len(identities) == 4, "a fresh identity at each creation and upgrade"
    assert victim.read_text() == "not a backup\n"
    backups = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".bak"))
    assert backups == [
        "old.db.schema-3.2.bak",
        "old.db.schema-3.3.bak",
        "old.db.schema-3.4.bak",
        "old.db.schema-3.bak",
    ]
    for name in ("old.db.schema-3.bak", "old.db.schema-3.3.bak", "old.db.schema-3.4.bak"):
        backup = tmp_path / name
        assert backup.read_bytes() == schema_3
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_a_backup_holds_the_commits_still_in_the_wal(sample_db: Path, tmp_path: Path) -> None:
    # A schema 3 file whose last commit a killed process left in the -wal.
    _as_schema_3(sample_db)
    python_process(
        "import os, sqlite3\n"
        f"c = sqlite3.connect({str(sample_db)!r})\n"
        "c.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "c.execute(\"UPDATE project SET name = 'Renamed just before the crash' WHERE code = 'PRJ-101'\")\n"
        "c.commit()\n"
        "os._exit(0)\n"
    )
    assert Path(f"{sample_db}-wal").stat().st_size > 0
    Store.open(sample_db).close()
    [backup] = [p for p in sample_db.parent.iterdir() if p.name.endswith(".bak")]
    connection = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    try:
        name = connection.execute("SELECT name FROM project WHERE code = 'PRJ-101'").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    finally:
        connection.close()
    assert (name, version) == ("Renamed just before the crash", 3)


def _within(seconds: float, work) -> object:
    """`work()`, which must not hang: it runs in a thread given `seconds`."""
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "it waited on the file"
    return result[0] if result else None


@pytest.mark.parametrize(
    "kind", ["fifo", "folder", "link to /dev/zero", "link to a fifo", "link to a regular file"]
)
def test_what_is_not_a_regular_file_at_the_cache_path_is_ignored(
    sample_store: Store, tmp_path: Path, kind: str
) -> None:
    revision = sample_store.revision()
    overview = sample_store.overview(TODAY)
    path = overview_cache.cache_file(sample_store.path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "link to /dev/zero":
        path.symlink_to("/dev/zero")
    elif kind == "link to a fifo":
        os.mkfifo(tmp_path / "fifo")
        path.symlink_to(tmp_path / "fifo")
    else:
        # A regular file elsewhere holding a good cache: a link is not followed all the same.
        elsewhere = tmp_path / "elsewhere.pickle"
        overview_cache.save(sample_store.path, revision, TODAY, overview)
        os.replace(path, elsewhere)
        path.symlink_to(elsewhere)
    assert _within(10, lambda: overview_cache.load(sample_store.path, revision, TODAY)) is None
    _within(10, lambda: overview_cache.save(sample_store.path, revision, TODAY, overview))
    if kind in ("fifo", "folder"):
        assert stat.S_ISFIFO(os.lstat(path).st_mode) or path.is_dir()


# --------------------------------------------------------------------------- TOML nested deep


@pytest.mark.parametrize(
    "nested",
    [
        "a = " + "[" * 5000 + "]" * 5000,
        "a = " + "{b = " * 5000 + "1" + "}" * 5000,
        'format = "pmo-tui portfolio"\nversion = 1\nnote = ' + "[" * 100_000 + "]" * 100_000,
    ],
    ids=["arrays", "inline tables", "a hundred thousand levels in a portfolio"],
)
def test_toml_nested_thousands_of_levels_deep_gets_one_clear_line(
    sample_db: Path, tmp_path: Path, nested: str
) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(nested + "\n", encoding="utf-8")
    before = digest(sample_db)
    for dry_run in ([], ["--dry-run"]):
        line = refused(
            pmo_process("--db", sample_db, "import", path, *dry_run), str(path), "nested too deeply"
        )
        assert "Recursion" not in line
    assert digest(sample_db) == before
    with pytest.raises(PortfolioFileError, match="nested too deeply"):
        parse_portfolio(nested, "deep.toml")


# --------------------------------------------------------------------------- a long import


def _big_portfolio(sample_store: Store, copies: int) -> str:
    """The sample's goals and `copies` copies of each of its projects, with their updates."""
    document = sample_store.export_portfolio()
    projects = []
    for n in range(copies):
        for project in document["projects"]:
            projects.append({**project, "code": f"{project['code']}-{n}"})
    return dump_portfolio(
        {
            "format": document["format"],
            "version": document["version"],
            "goals": document["goals"],
            "projects": projects,
        }
    )


def test_a_long_import_shows_its_progress_on_standard_error(
    sample_store: Store, tmp_path: Path, monkeypatch
) -> None:
    big = tmp_path / "big.toml"
    big.write_text(_big_portfolio(sample_store, 20), encoding="utf-8")
    db = tmp_path / "new.db"
    Store.open(db).close()
    # An import that takes more than DELAY seconds (a second) of a file of LARGE bytes or more
    # (a megabyte) shows its progress.
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "LARGE", 0)
    done = pmo("--db", db, "import", big)
    assert done.exit_code == 0, done.stderr
    assert "Added 4 strategic goals, 280 projects" in done.stdout
    lines = done.stderr.splitlines()
    assert all(line.startswith(f"pmo: importing {big}: ") for line in lines)
    said = "\n".join(lines)
    for step in (
        "reading the file: 0% of",
        "reading the file: 100% of",
        "reading its TOML",
        # 20 copies of the sample's projects, with their status updates and RAID items, and the rest.
        "checking 2,264 records",
        "writing 2,264 records to the database",
    ):
        assert step in said, said
    # The steps come in the order of the work.
    assert said.index("reading the file") < said.index("checking") < said.index("writing")


def test_a_csv_import_shows_its_progress_and_a_short_import_says_nothing_more(
    sample_db: Path, tmp_path: Path, monkeypatch
) -> None:
    csv = tmp_path / "values.csv"
    csv.write_text("kpi,period,value\n" + "".join(f"ONTIME,2024-{m:02d}-10,{m}\n" for m in range(1, 13)))
    quiet = pmo("--db", sample_db, "import", csv)
    assert quiet.exit_code == 0 and quiet.stderr == ""
    # However long it takes, a small file's import says only its result.
    monkeypatch.setattr(progress, "DELAY", 0.0)
    small = pmo("--db", sample_db, "import", csv)
    assert small.exit_code == 0 and small.stderr == ""
    monkeypatch.setattr(progress, "LARGE", 0)
    shown = pmo("--db", sample_db, "import", csv)
    assert shown.exit_code == 0, shown.stderr
    assert "reading and checking the file (" in shown.stderr
    assert "writing 12 measurements to the database" in shown.stderr


def test_a_failed_long_import_still_ends_in_one_line_after_its_progress(
    sample_db: Path, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * 5000 + "]" * 5000)
    before = digest(sample_db)
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "LARGE", 0)
    result = pmo("--db", sample_db, "import", path)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith(f"pmo: {path}: not a portfolio file")
    assert "Traceback" not in result.stderr
    assert digest(sample_db) == before


@pytest.mark.slow
async def test_the_app_shows_a_long_import_as_a_progress_bar(
    empty_store: Store, sample_store: Store, tmp_path: Path, monkeypatch
) -> None:
    from textual.widgets import ProgressBar

    from pmo_tui.screens import file_forms
    from pmo_tui.screens.file_forms import ImportProgressScreen, import_form

    big = tmp_path / "big.toml"
    big.write_text(_big_portfolio(sample_store, 40), encoding="utf-8")
    monkeypatch.setattr(file_forms, "PROGRESS_DELAY", 0.0)
    seen: list[tuple[str, float | None]] = []
    shown = ImportProgressScreen.show

    def watched(screen, step, elapsed):
        shown(screen, step, elapsed)
        bar = screen.query_one(ProgressBar)
        if step is not None:
            seen.append((step.label, bar.total and bar.percentage))

    monkeypatch.setattr(ImportProgressScreen, "show", watched)
    app = make_app(empty_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(import_form(app))
        await settle(pilot)
        app.screen.query_one("#field-file").value = str(big)
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: not empty_store.is_empty() and not isinstance(app.screen, ImportProgressScreen),
            "the import to finish",
            30,
        )
        assert not isinstance(app.screen, ImportProgressScreen)
        await settle(pilot)
    labels = [label for label, _ in seen]
    assert any(label.startswith("writing") for label in labels), labels
    assert len(empty_store.export_portfolio()["projects"]) == 560


# --------------------------------------------------------------------------- killed during an import


KILL_SCRIPT = """
import sys, time
from pmo_tui import progress
from pmo_tui.cli import main
progress.DELAY = 0.0
progress.LARGE = 0
main(["--db", sys.argv[1], "import", sys.argv[2]])
"""


def _import_killed(db: Path, toml: Path, after_writing: float | None) -> tuple[bool, float]:
    """Run `pmo import` in a process and SIGKILL it `after_writing` seconds after it says it is
    writing (None: let it finish). (killed, seconds from "writing" to the end)."""
    process = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(db), str(toml)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if "writing" in line:
                break
        else:
            raise AssertionError("the import never said it was writing")
        writing = time.monotonic()
        if after_writing is None:
            process.wait(PROCESS_TIMEOUT)
            assert process.returncode == 0
            return False, time.monotonic() - writing
        time.sleep(after_writing)
        killed = process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait(PROCESS_TIMEOUT)
        return killed, time.monotonic() - writing
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def _state(db: Path) -> tuple[int, int, int, str]:
    connection = sqlite3.connect(db)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        return (
            connection.execute("SELECT count(*) FROM project").fetchone()[0],
            connection.execute("SELECT count(*) FROM project_update").fetchone()[0],
            connection.execute("SELECT count(*) FROM strategic_goal").fetchone()[0],
            integrity,
        )
    finally:
        connection.close()


@pytest.mark.slow
def test_kills_during_a_large_import_leave_the_database_as_it_was_or_fully_imported(
    sample_store: Store, tmp_path: Path
) -> None:
    toml = tmp_path / "big.toml"
    # 1,400 projects and 8,100 updates: a write of a second or so, long enough to kill inside.
    toml.write_text(_big_portfolio(sample_store, 100), encoding="utf-8")
    template = tmp_path / "template.db"
    Store.open(template).close()
    before = _state(template)

    complete_db = tmp_path / "complete.db"
    shutil.copy(template, complete_db)
    _, writing_takes = _import_killed(complete_db, toml, None)
    complete = _state(complete_db)
    assert complete[:3] == (1400, 8100, 4) and complete[3] == "ok"

    outcomes = []
    for i, share in enumerate((0.0, 0.2, 0.5, 0.8, 0.95, 1.05, 1.2, 1.5)):
        db = tmp_path / f"killed-{i}.db"
        shutil.copy(template, db)
        killed, _ = _import_killed(db, toml, writing_takes * share)
        # The next opening is an ordinary one: it reads the -wal left behind, or drops it.
        store = Store.open(db)
        try:
            opened = len(store.export_portfolio()["projects"])
        finally:
            store.close()
        state = _state(db)
        assert state[3] == "ok"
        assert state[:3] in (before[:3], complete[:3]), f"a partial import was kept: {state}"
        assert opened == state[0]
        outcomes.append((share, killed, state[:3] == complete[:3]))
    # Some kills came before the commit: those found the database exactly as it was.
    assert any(killed and not whole for _, killed, whole in outcomes), outcomes


def test_a_read_only_file_of_an_older_schema_is_refused_and_left_untouched(sample_db: Path) -> None:
    # Schema 5 added a column every key result is read with: a file that cannot be upgraded
    # cannot be read as it is, and says so.
    _as_schema_3(sample_db)
    before = digest(sample_db)
    with pytest.raises(DatabaseError, match="must first be upgraded"):
        Store.open(sample_db, read_only=True)
    assert digest(sample_db) == before
    assert not [p for p in sample_db.parent.iterdir() if p.name.endswith(".bak")]


def test_schema_5_is_upgraded_with_who_made_what_and_versions(sample_db: Path) -> None:
    """Schema 6 adds `by`, versions, RAID items, reviews and the change log; every record kept,
    the new tables move the revision as the old ones do."""
    connection = sqlite3.connect(sample_db)
    before = connection.execute('SELECT key_result_id, "on", value FROM check_in ORDER BY id').fetchall()
    undo_schema_6(connection)
    connection.execute("PRAGMA user_version = 5")
    connection.commit()
    connection.close()
    Store.open(sample_db).close()
    connection = sqlite3.connect(sample_db)
    try:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
        after = connection.execute(
            'SELECT key_result_id, "on", value, "by", version FROM check_in ORDER BY id'
        ).fetchall()
        triggers = {
            row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        assert connection.execute("SELECT count(*) FROM change_log").fetchone()[0] == 0
    finally:
        connection.close()
    assert after == [(*row, "", 1) for row in before]
    assert {"revision_raid_item_insert", "revision_review_delete"} <= triggers


def test_schema_4_is_upgraded_with_the_key_results_creation_day(sample_db: Path) -> None:
    """Schema 5 adds key_result.created: a schema 4 file gets it empty, every record kept."""
    connection = sqlite3.connect(sample_db)
    before = connection.execute("SELECT code, target FROM key_result ORDER BY code").fetchall()
    undo_schema_6(connection)
    connection.execute("ALTER TABLE key_result DROP COLUMN created")
    connection.execute("PRAGMA user_version = 4")
    connection.commit()
    connection.close()
    Store.open(sample_db).close()
    connection = sqlite3.connect(sample_db)
    try:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        after = connection.execute("SELECT code, target, created FROM key_result ORDER BY code").fetchall()
    finally:
        connection.close()
    assert after == [(code, target, None) for code, target in before]
