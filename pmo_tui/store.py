"""The data layer: opens the SQLite file, keeps its schema, and holds every query and every write.

Each user action is one transaction; callers get plain values from `pmo_tui.records`
back and never hold a live session.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, event, func, insert, literal_column
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine, select

from pmo_tui import calculations as calc
from pmo_tui.records import (
    AlignedProject,
    AnswerRecord,
    AssessmentSummary,
    CheckInItem,
    CheckInRecord,
    CloseSummary,
    CycleInfo,
    GoalOption,
    GoalRow,
    GoalsView,
    ImportSummary,
    KeyResultRow,
    KpiDetail,
    KpiSummary,
    MeasurementRecord,
    ObjectiveRow,
    OkrBoard,
    Overview,
    ProjectDetail,
    ProjectRow,
    SearchTarget,
    StatusUpdateRecord,
)
from pmo_tui.schema import APPLICATION_ID, SCHEMA_VERSION
from pmo_tui.validation import (
    CYCLE_STATUSES,
    OBJECTIVE_STATUSES,
    CycleDefinition,
    GoalDefinition,
    InvalidInput,
    KeyResultDefinition,
    KpiDefinition,
    ObjectiveDefinition,
    ProjectDefinition,
    StatusUpdateEntry,
    check_check_in_day,
    check_earned_value,
    check_milestone_value,
    check_status_update_day,
    measurement_period,
    parse_choice,
)

if TYPE_CHECKING:  # the file formats load with the first import, not with the overview
    from pmo_tui.measurements_csv import MeasurementRow
    from pmo_tui.models import (
        Answer,
        Assessment,
        CheckIn,
        Cycle,
        KeyResult,
        Kpi,
        Measurement,
        Objective,
        Project,
        ProjectUpdate,
        StrategicGoal,
    )
    from pmo_tui.portfolio_file import Portfolio

# The table classes, defined by the first query rather than by importing this module (see
# _define_tables).
_TABLES = (
    "Answer",
    "Assessment",
    "CheckIn",
    "Cycle",
    "KeyResult",
    "Kpi",
    "Measurement",
    "Objective",
    "Project",
    "ProjectUpdate",
    "StrategicGoal",
)
_tables_lock = threading.Lock()
_tables_defined = False


def _define_tables() -> None:
    """Import pmo_tui.models into this module's names, once. Defining the table classes is about
    50 ms of SQLAlchemy and pydantic work, and a start that finds its overview in the cache
    (overview_cache) needs none of it before the first paint: every query and write calls this
    first (_reading, _writing, and opening a file to create or upgrade)."""
    global _tables_defined
    if _tables_defined:
        return
    with _tables_lock:
        if not _tables_defined:
            from pmo_tui import models

            globals().update({name: getattr(models, name) for name in _TABLES})
            _tables_defined = True


SQLITE_HEADER = b"SQLite format 3\x00"
# How many past measurements a KPI tile's sparkline and trend read.
TILE_HISTORY = 24
# The tables of a portfolio: a change to any of them moves the revision (see _revision_sql).
PORTFOLIO_TABLES = (
    "strategic_goal",
    "project",
    "project_update",
    "kpi",
    "measurement",
    "cycle",
    "objective",
    "key_result",
    "check_in",
    "assessment",
    "answer",
)


# The file's identity and revision in one value, "<identity>:<n>": the key of the overview cache.
_READ_REVISION = "SELECT identity || ':' || n FROM revision"
_NEW_REVISION = "UPDATE revision SET n = random() WHERE id = 1"
# A new identity for the file: set when it is created, and again when it is upgraded in place (so
# nothing kept for the file as it was, the overview cache say, is taken for the file as it is).
_NEW_IDENTITY = "UPDATE revision SET identity = lower(hex(randomblob(16))) WHERE id = 1"


def _revision_sql() -> list[str]:
    """The file's revision, a value that triggers change at every change committed to it, so
    whoever makes the change (this app, another pmo, the sqlite3 shell) changes it: the key of
    the overview cache. Unlike `PRAGMA data_version` it lasts from one session to the next. It
    is a random 64-bit number, not a count: a file restored from a backup and then changed
    otherwise must not come back to a value an earlier state of it had."""
    statements = [
        "CREATE TABLE IF NOT EXISTS revision (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)",
        "INSERT OR IGNORE INTO revision (id, n) VALUES (1, 0)",
    ]
    for table in PORTFOLIO_TABLES:
        for change in ("INSERT", "UPDATE", "DELETE"):
            statements.append(_revision_trigger_sql(table, change))
    return statements


def _revision_trigger_sql(table: str, change: str) -> str:
    return (
        f"CREATE TRIGGER IF NOT EXISTS revision_{table}_{change.lower()} AFTER {change} "
        f"ON {table} BEGIN {_NEW_REVISION}; END"
    )


@contextmanager
def _revision_moved_once(connection: Any, table: str) -> Iterator[None]:
    """For one bulk statement on `table` inside a write transaction: its insert and update
    triggers are set aside and the revision moved once. Each row's trigger costs a statement
    journal (about 12 µs, more than the row itself: 100,000 measurements took twice as long).
    DDL is transactional in SQLite: a refusal or a dry run rolls all of it back."""
    for change in ("insert", "update"):
        connection.exec_driver_sql(f"DROP TRIGGER revision_{table}_{change}")
    yield
    connection.exec_driver_sql(_NEW_REVISION)
    for change in ("INSERT", "UPDATE"):
        connection.exec_driver_sql(_revision_trigger_sql(table, change))


# Upgrades from one schema version to the next: {from_version: [SQL statements]}.
MIGRATIONS: dict[int, list[str]] = {
    1: ["ALTER TABLE key_result ADD COLUMN archived BOOLEAN NOT NULL DEFAULT 0"],
    2: _revision_sql(),
    # The file's identity, kept beside its revision (see _NEW_IDENTITY; set by Store.open).
    3: ["ALTER TABLE revision ADD COLUMN identity TEXT"],
}
# The oldest schema a read-only opening (which cannot upgrade) reads as it is: schema 4 only
# added the file's identity, without which the overview is just not cached (Store.revision).
READ_AS_IT_IS = 3


class DatabaseError(Exception):
    """A database file that pmo-tui will not open or change; the message says why."""


class ReadOnly(DatabaseError):
    """A change asked of a portfolio opened read-only: refused before the database is touched."""

    def __init__(self, reason: str) -> None:
        from pmo_tui.failures import read_only_message

        super().__init__(read_only_message(reason))
        self.reason = reason


class NotFound(LookupError):
    """A code that names nothing in the database."""


class PeriodTaken(Exception):
    """A KPI already has a value for the period: replacing it needs the user's word."""

    def __init__(self, kpi_code: str, period: date, value: float) -> None:
        super().__init__(f"{kpi_code} already has {value:g} for {period.isoformat()}")
        self.kpi_code = kpi_code
        self.period = period
        self.value = value


def _check_file(path: Path, create_folder: bool) -> bool:
    """Refuse paths that cannot hold a pmo-tui database; True when this call created the file.

    Only a regular file is opened, and only after os.stat says it is one: a FIFO, a device or a
    socket named as the database is refused without being opened (opening a FIFO would wait for
    a writer forever)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise DatabaseError(f"cannot read {path} ({error.strerror})") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise DatabaseError(f"{path} is a folder, not a database file")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise DatabaseError(
            f"{path} is not a regular file (a device, a pipe or a socket), "
            "not a database file; it was left untouched"
        )
    folder = path.parent
    if not folder.exists():
        if not create_folder:
            raise DatabaseError(f"folder {folder} does not exist")
        folder.mkdir(parents=True, mode=0o700)
    if info is not None:
        try:
            # O_NONBLOCK: should the file have been swapped for a FIFO since, no wait for a writer.
            handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
            try:
                header = (
                    os.read(handle, len(SQLITE_HEADER))
                    if stat.S_ISREG(os.fstat(handle).st_mode)
                    else b"not a file"
                )
            finally:
                os.close(handle)
        except OSError as error:
            raise DatabaseError(f"cannot read {path} ({error.strerror})") from None
        if header and header != SQLITE_HEADER:
            raise DatabaseError(f"{path} is not a SQLite database; it was left untouched")
        return False
    try:
        # Created by us first so the database is readable by its owner only.
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as error:
        raise DatabaseError(f"cannot create {path} ({error.strerror})") from None
    return True


def _wal_size(path: Path) -> int:
    """The size of the -wal file beside `path` (0 when there is none). A -wal that holds frames
    may hold the file's latest commits, not yet copied into the file itself: after a crash, a
    kill just after a commit, a full disk (a checkpoint cut short leaves the file itself half
    old, half new: only with its -wal is it whole)."""
    try:
        return os.stat(f"{path}-wal").st_size
    except FileNotFoundError:
        return 0
    except OSError:
        return 1  # there, but not to be looked at: read as SQLite would, through it


def _inspect(path: Path) -> tuple[int, int, int]:
    """(application_id, user_version, number of tables) as SQLite itself reads the file, commits
    still in its -wal file included, without changing the file."""
    if _wal_size(path) == 0:
        # Every commit is in the file itself. immutable: a refused file (another program's WAL
        # database, say) gets no -wal or -shm beside it.
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    else:
        # Read through the -wal, as SQLite does for every connection (read-only: nothing is
        # written to the file; SQLite may make the -shm index of the -wal beside it).
        uri = _read_only_uri(path)
    try:
        connection = sqlite3.connect(uri, uri=True)
        try:
            application_id = connection.execute("PRAGMA application_id").fetchone()[0]
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            tables = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[
                0
            ]
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise DatabaseError(f"{path} cannot be read as a database ({error})") from None
    return application_id, version, tables


def _backup(path: Path, version: int) -> Path:
    """A copy of the database as it stands, made before it is upgraded in place: named
    `<name>.schema-<version>.bak`, or `<name>.schema-<version>.<n>.bak` when that name is taken,
    so an earlier backup is never replaced. Created exclusively (never through a link planted
    at its name), readable by its owner only; commits still in the -wal file are in it."""
    flags = (
        os.O_WRONLY
        | os.O_CREAT
        | os.O_EXCL
        | getattr(os, "O_NOFOLLOW", 0)
        | getattr(os, "O_CLOEXEC", 0)
        | getattr(os, "O_BINARY", 0)
    )
    for number in range(1, 1000):
        tail = "" if number == 1 else f".{number}"
        target = path.with_name(f"{path.name}.schema-{version}{tail}.bak")
        try:
            handle = os.open(target, flags, 0o600)
        except FileExistsError:
            continue
        except OSError as error:
            raise DatabaseError(
                f"{path} was not upgraded: its backup {target} cannot be made "
                f"({error.strerror}); it was left untouched"
            ) from None
        break
    else:
        raise DatabaseError(
            f"{path} was not upgraded: a thousand backups of it are beside it "
            "already; move some away. It was left untouched"
        )
    try:
        if _wal_size(path) == 0:
            with os.fdopen(handle, "wb") as copy, path.open("rb") as original:
                shutil.copyfileobj(original, copy)
                copy.flush()
                os.fsync(copy.fileno())
        else:
            # The file alone would miss what its -wal holds: SQLite copies what it reads.
            os.close(handle)
            source = sqlite3.connect(_read_only_uri(path), uri=True)
            try:
                copy = sqlite3.connect(target)
                try:
                    source.backup(copy)
                finally:
                    copy.close()
            finally:
                source.close()
    except (OSError, sqlite3.Error) as error:
        target.unlink(missing_ok=True)
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise DatabaseError(
            f"{path} was not upgraded: its backup {target} could not be written "
            f"({reason}); it was left untouched"
        ) from None
    return target


# How long a statement waits for another program's lock before giving up with "database is
# locked" (seconds). Read when an engine is made: tests make it short.
BUSY_TIMEOUT = 30.0


def _writable(path: Path) -> bool:
    """Whether pmo may write `path` (a file or a folder).

    os.access answers for the user pmo runs as. For root it says yes to everything but a
    read-only file system, so for root the mode bits decide as well: a file or folder that
    grants nobody write permission was made read-only on purpose, by its owner, and pmo
    honours that rather than write through it. This is also what lets the tests, which run as
    root, exercise the read-only opening with chmod 0444 files and 0555 folders."""
    try:
        if not os.access(path, os.W_OK):
            return False
        if getattr(os, "geteuid", lambda: -1)() == 0:
            return bool(os.stat(path).st_mode & 0o222)
    except OSError:
        return False
    return True


def read_only_reason(path: Path, asked: bool = False) -> str | None:
    """Why the database at `path` must be opened for reading only, or None when it may be
    changed: asked for (--read-only), the file read-only, or its folder (SQLite writes its
    journal, -wal and -shm files beside the database)."""
    if asked:
        return "opened with --read-only"
    if path.exists() and not _writable(path):
        return "the file is read-only"
    if not _writable(path.parent):
        return "its folder is read-only"
    return None


def _read_only_uri(path: Path) -> str:
    """The URI that opens `path` for reading only, with every commit in it.

    A WAL database opened read-only needs its -shm index, which SQLite creates beside it when
    missing; in a read-only folder it cannot, and beside a read-only file it should not. Without
    a -wal file (or with an empty one) every commit is in the main file, which nobody may change
    (it or its folder is read-only), so it is opened `immutable`: nothing is created beside it,
    and no -shm is needed. A -wal holding
    commits is read through its -shm when that exists; without one those commits cannot be read
    in place, and the database is refused rather than shown without them."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if _writable(path) and _writable(path.parent):
        return uri  # read-only by request: other programs may change it meanwhile, as usual
    wal, shm, journal = (path.with_name(path.name + tail) for tail in ("-wal", "-shm", "-journal"))
    try:
        wal_size = wal.stat().st_size if wal.exists() else 0
    except OSError:
        wal_size = 1
    if wal_size == 0 and not journal.exists():
        return f"{uri}&immutable=1"
    if wal_size and not shm.exists():
        raise DatabaseError(
            f"{path} has recent changes in its -wal file, which can be read only with write "
            "permission on its folder; copy the file with its -wal to a folder of yours and open "
            "the copy"
        )
    return uri


def _make_engine(path: Path, *, read_only: bool = False) -> Engine:
    """The engine of the database at `path`: read and written, or opened for reading only
    (SQLite's mode=ro, so that nothing pmo does can write it: see _read_only_uri)."""
    if read_only:
        uri = _read_only_uri(path)
        engine = create_engine(
            f"sqlite:///{path}",
            creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT),
        )
    else:
        engine = create_engine(
            f"sqlite:///{path}",
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT},
        )
    busy_ms = int(BUSY_TIMEOUT * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # We issue BEGIN ourselves (below), so writers take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
        if not read_only:  # setting the journal mode writes the file
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # BEGIN IMMEDIATE for writes avoids "database is locked" on read-to-write upgrades.
        writing = connection.get_execution_options().get("pmo_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


class Store:
    """One open pmo-tui database."""

    def __init__(self, path: Path, engine: Engine, *, read_only_reason: str | None = None) -> None:
        self.path = path
        # Opened for reading only (a read-only file or folder, or --read-only): browsing, the
        # report and export work; every write raises ReadOnly before touching the database.
        self.read_only: bool = read_only_reason is not None
        self.read_only_reason = read_only_reason
        self._engine = engine
        self._write_engine = engine.execution_options(pmo_write=True)
        self._probe: sqlite3.Connection | None = None
        self._probe_lock = threading.Lock()
        self._unknown_versions = 0
        self._identified = True  # the file has its identity (see open and revision)

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        create_folder: bool = False,
        read_only: bool = False,
        initialize: bool = False,
    ) -> Store:
        """Open (creating or upgrading if needed) the database at `path`, or raise DatabaseError.
        A read-only file or folder (or `read_only`) opens for reading only (see read_only_reason).

        A file that is there but holds no database (zero bytes, or SQLite's header and no table)
        becomes a pmo-tui database only with `initialize` (`pmo init`): another program may have
        made it for its own use. A missing file is created (and removed again should that fail)."""
        path = Path(path)
        reason = read_only_reason(path, read_only) if path.parent.is_dir() else None
        if reason is not None and not path.exists():
            raise DatabaseError(f"{path} does not exist, and cannot be created ({reason})")
        created = _check_file(path, create_folder)
        # Look before touching: a file that is not ours must not even get its journal mode changed.
        application_id, version, tables = _inspect(path)
        fresh = application_id != APPLICATION_ID
        # Another application's id, tables or schema version: its file, even with no table yet.
        if fresh and (application_id or tables or version):
            raise DatabaseError(f"{path} is a SQLite database of another application; it was left untouched")
        if fresh and not (created or initialize):
            raise DatabaseError(
                f"{path} is an empty file, not a pmo-tui database; `pmo init` makes it one. "
                "It was left untouched"
            )
        if not fresh and version > SCHEMA_VERSION:
            raise DatabaseError(
                f"{path} was written by a newer pmo-tui (schema {version}; this one reads up to "
                f"{SCHEMA_VERSION}); it was left untouched"
            )
        if reason is not None and (fresh or version < READ_AS_IT_IS):
            raise DatabaseError(
                f"{path} is read-only ({reason}) and must first be "
                f"{'set up' if fresh else 'upgraded'} by this pmo-tui, which needs to write it; "
                "it was left untouched"
            )
        upgrade = not fresh and version < SCHEMA_VERSION and reason is None
        if upgrade:
            _backup(path, version)
        engine = _make_engine(path, read_only=reason is not None)
        try:
            # An up-to-date file is only read here: opening it must not change a byte.
            if fresh or upgrade:
                _define_tables()
                # One transaction: a creation or an upgrade cut short leaves the file as it was.
                with engine.execution_options(pmo_write=True).begin() as connection:
                    if fresh:
                        SQLModel.metadata.create_all(connection)
                    # A new file has the tables of models.py: schema 2's, then the steps after.
                    for step in range(2 if fresh else version, SCHEMA_VERSION):
                        for statement in MIGRATIONS.get(step, []):
                            connection.exec_driver_sql(statement)
                    # Created, or upgraded in place: a new identity (see _NEW_IDENTITY).
                    connection.exec_driver_sql(_NEW_IDENTITY)
                    connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
                    connection.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except Exception as error:
            engine.dispose()
            if created:  # made by this call a moment ago: nothing of anyone's is lost
                for tail in ("", "-wal", "-shm", "-journal"):
                    Path(f"{path}{tail}").unlink(missing_ok=True)
            cause = error if isinstance(error, sqlite3.Error) else error.__cause__
            if isinstance(cause, sqlite3.Error):
                raise DatabaseError(f"{path} cannot be used as a database ({cause})") from None
            raise
        store = cls(path, engine, read_only_reason=reason)
        # Read as it is, an older file has no identity, and so no revision to key a cache by.
        store._identified = fresh or upgrade or version >= SCHEMA_VERSION
        return store

    def close(self) -> None:
        with self._probe_lock:
            if self._probe is not None:
                self._probe.close()
                self._probe = None
        self._engine.dispose()

    def data_version(self) -> int:
        """A number that changes whenever anything is committed to the file: this app's writes or
        another pmo process's. Screens compare it to skip re-reading what has not changed.

        SQLite's `PRAGMA data_version` counts commits made by *other* connections, so it is read
        on a connection of its own that never writes."""
        with self._probe_lock:
            try:
                return self._probing().execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                # Unknown is "changed": a screen then reads again rather than show stale figures.
                self._unknown_versions -= 1
                return self._unknown_versions

    def revision(self) -> str | None:
        """The file's identity and revision, "<identity>:<n>": the revision changes with every
        change committed to a portfolio table, by any program, and keeps its value from one
        session to the next (see _revision_sql); the identity is the file's own, set when it was
        created or upgraded (see _NEW_IDENTITY), so two files never share a value. Read
        on the connection of data_version, without the table classes (see _define_tables).
        None when it cannot be read now (the file locked by another program, say), or when an
        older file is read as it is (a read-only one: it has no identity yet)."""
        if not self._identified:
            return None
        with self._probe_lock:
            try:
                return self._probing().execute(_READ_REVISION).fetchone()[0]
            except sqlite3.Error:
                return None

    def define_tables(self) -> None:
        """Have the table classes ready for the first query (they are defined by it otherwise):
        called in the background once the first screen has painted."""
        _define_tables()

    def revised_overview(self, today: date) -> tuple[str | None, Overview]:
        """(revision, overview) read in one transaction: the overview is of that revision (None:
        an older file read as it is, see revision)."""
        with self._reading() as session:
            revision = (
                session.connection().exec_driver_sql(_READ_REVISION).scalar_one()
                if self._identified
                else None
            )
            return revision, self._overview(session, today)

    def _probing(self) -> sqlite3.Connection:
        """A read-only connection of its own that never writes (callers hold _probe_lock)."""
        if self._probe is None:
            # As the store's own connections read it (see _read_only_uri): a read-only file or
            # folder gets nothing created beside it. It waits little for a lock (the interface
            # asks it, and an unknown version only means "read again"): not sqlite3's 5 s.
            self._probe = sqlite3.connect(
                _read_only_uri(self.path), uri=True, check_same_thread=False, timeout=min(BUSY_TIMEOUT, 0.5)
            )
        return self._probe

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        _define_tables()
        with Session(self._engine) as session, session.begin():
            yield session

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """One user action: everything inside commits together or not at all."""
        if self.read_only:
            raise ReadOnly(self.read_only_reason or "opened for reading only")
        _define_tables()
        with Session(self._write_engine) as session, session.begin():
            yield session

    # ------------------------------------------------------------------ queries

    def is_empty(self) -> bool:
        """True when the database holds no portfolio yet (a first run)."""
        with self._reading() as session:
            for table in (StrategicGoal, Project, Kpi, Cycle, Assessment):
                if session.exec(select(func.count()).select_from(table)).one():
                    return False
        return True

    def search_targets(self) -> list[SearchTarget]:
        """Every project, KPI and objective, for the command palette."""
        with self._reading() as session:
            projects = session.exec(select(Project.code, Project.name).order_by(Project.code))
            targets = [SearchTarget("project", code, name) for code, name in projects]
            kpis = session.exec(
                select(Kpi.code, Kpi.name).where(Kpi.active == True).order_by(Kpi.code)  # noqa: E712
            )
            targets += [SearchTarget("kpi", code, name) for code, name in kpis]
            objectives = session.exec(select(Objective.code, Objective.title).order_by(Objective.code))
            targets += [SearchTarget("objective", code, title) for code, title in objectives]
        return targets

    def overview(self, today: date) -> Overview:
        """The portfolio overview as it stands on `today`, read in one transaction."""
        with self._reading() as session:
            return self._overview(session, today)

    def _overview(self, session: Session, today: date) -> Overview:
        kpis = self._kpi_tiles(session, today)
        figures, projects = self._project_rows(session)
        cycles = self._current_cycles(session, today)
        # The objectives of each current cycle, cycle by cycle (a year's and its quarter's).
        objectives = tuple(row for cycle in cycles for row in self._objective_rows(session, cycle, today))
        return Overview(today, figures, kpis, projects, cycles, objectives)

    def _kpi_tiles(self, session: Session, today: date) -> tuple[KpiSummary, ...]:
        kpis = session.exec(select(Kpi).where(Kpi.active == True).order_by(Kpi.id)).all()  # noqa: E712
        return self._summaries(session, kpis, today)

    def _summaries(self, session: Session, kpis: list[Kpi], today: date) -> tuple[KpiSummary, ...]:
        """Latest value, status and recent history of each KPI, from one query for all of them."""
        history: dict[int, list[tuple[date, float]]] = defaultdict(list)
        # Core, not ORM, execution for plain rows: a third of the time on thousands of them.
        for kpi_id, period, value in session.connection().execute(
            _recent_measurements([kpi.id for kpi in kpis])
        ):
            history[kpi_id].append((period, value))
        goals = {g.id: g.name for g in session.exec(select(StrategicGoal)).all()}
        return tuple(self._summary(kpi, history.get(kpi.id, []), goals, today) for kpi in kpis)

    @staticmethod
    def _summary(
        kpi: Kpi, points: list[tuple[date, float]], goals: dict[int, str], today: date
    ) -> KpiSummary:
        values = tuple(value for _, value in points)
        last_period = points[-1][0] if points else None
        latest = values[-1] if values else None
        status, overdue = calc.kpi_current_status(
            latest, kpi.target, kpi.warning, kpi.direction, last_period, today, kpi.cadence_days
        )
        return KpiSummary(
            code=kpi.code,
            name=kpi.name,
            unit=kpi.unit,
            direction=kpi.direction,
            indicator=kpi.indicator,
            target=kpi.target,
            warning=kpi.warning,
            value=latest,
            last_period=last_period,
            status=status,
            overdue=overdue,
            history=values,
            trend=calc.trend(values, kpi.direction),
            owner=kpi.owner,
            cadence=kpi.cadence,
            goal=goals.get(kpi.strategic_goal_id) if kpi.strategic_goal_id else None,
            review_overdue=calc.review_overdue(kpi.last_reviewed, today),
            active=kpi.active,
            source=kpi.source,
        )

    def _project_rows(self, session: Session) -> tuple[calc.PortfolioFigures, tuple[ProjectRow, ...]]:
        """Every project with the figures of its latest status update, as plain columns (no ORM
        objects: thousands of projects are read on every overview)."""
        update = ProjectUpdate.__table__.alias("latest_update")
        newest = ProjectUpdate.__table__.alias("newest")
        # The day of the latest update, found through the (project_id, on) index per project.
        latest_day = (
            sa_select(func.max(newest.c.on)).where(newest.c.project_id == Project.id).scalar_subquery()
        )
        # Columns named as on Project and ProjectUpdate, so _project_figures reads a row as it
        # reads the ORM objects.
        rows = (
            session.connection()
            .execute(
                sa_select(
                    Project.code,
                    Project.name,
                    Project.owner,
                    Project.status,
                    Project.budget,
                    Project.planned_finish,
                    Project.actual_finish,
                    Project.expected_benefit,
                    Project.realised_benefit,
                    Project.strategic_goal_id,
                    StrategicGoal.name.label("goal_name"),
                    update.c.id.label("update_id"),
                    update.c.forecast_finish,
                    update.c.planned_value,
                    update.c.earned_value,
                    update.c.actual_cost,
                    update.c.change_requests,
                    update.c.open_risks,
                )
                .outerjoin(StrategicGoal, StrategicGoal.id == Project.strategic_goal_id)
                .outerjoin(update, (update.c.project_id == Project.id) & (update.c.on == latest_day))
                .order_by(Project.code)
            )
            .all()
        )
        figures_list = []
        project_rows = []
        for row in rows:
            figures = _project_figures(row, row if row.update_id is not None else None)
            figures_list.append(figures)
            project_rows.append(
                _project_row(row.code, row.name, row.owner, row.status, row.goal_name, figures)
            )
        return calc.portfolio_figures(figures_list), tuple(project_rows)

    def _current_cycles(self, session: Session, today: date) -> tuple[CycleInfo, ...]:
        """The current cycles: every open cycle that holds today (a year and its quarter can
        both), the shortest first, then the one started last; when no open cycle holds today,
        the latest cycle that has started, alone; none before the first cycle starts."""
        cycles = session.exec(
            select(Cycle).where(Cycle.status != "archived").order_by(Cycle.start.desc(), Cycle.name)
        ).all()
        live = sorted((c for c in cycles if _is_live(c, today)), key=_cycle_order)
        if not live:
            latest = next((c for c in cycles if c.start <= today), None)
            live = [latest] if latest is not None else []
        return tuple(_cycle_info(c, today) for c in live)

    def _objective_rows(
        self, session: Session, cycle: CycleInfo, today: date, *, include_archived: bool = False
    ) -> tuple[ObjectiveRow, ...]:
        """Each objective of a cycle with its key results, progress, pace, confidence and lint."""
        query = (
            select(Objective)
            .join(Cycle, Cycle.id == Objective.cycle_id)
            .where(Cycle.name == cycle.name)
            .order_by(Objective.code)
        )
        if not include_archived:
            query = query.where(Objective.status != "archived")
        objectives = session.exec(query).all()
        ids = [o.id for o in objectives]
        key_results = session.exec(
            select(KeyResult).where(KeyResult.objective_id.in_(ids)).order_by(KeyResult.code)
        ).all()
        check_ins: dict[int, list[CheckInRecord]] = defaultdict(list)
        # Plain columns: a cycle's thousands of check-ins need no ORM objects.
        for key_result_id, *fields in session.connection().execute(
            sa_select(
                CheckIn.key_result_id,
                CheckIn.id,
                CheckIn.on,
                CheckIn.value,
                CheckIn.confidence,
                CheckIn.comment,
            )
            .where(CheckIn.key_result_id.in_([kr.id for kr in key_results]))
            .order_by(CheckIn.key_result_id, CheckIn.on, CheckIn.id)
        ):
            check_ins[key_result_id].append(CheckInRecord(*fields))
        by_objective: dict[int, list[KeyResult]] = defaultdict(list)
        for key_result in key_results:
            by_objective[key_result.objective_id].append(key_result)
        referenced = {o.parent_id for o in objectives} | {o.carried_from_id for o in objectives}
        codes = dict(
            session.exec(
                select(Objective.id, Objective.code).where(Objective.id.in_(referenced - {None}))
            ).all()
        )
        goals = {g.id: g for g in session.exec(select(StrategicGoal)).all()}
        kpi_ids = {kr.kpi_id for kr in key_results} - {None}
        kpi_codes = dict(session.exec(select(Kpi.id, Kpi.code).where(Kpi.id.in_(kpi_ids))).all())
        # Check-ins are due only in an open cycle that has started; overdue only for live objectives.
        running = cycle.status == "open" and cycle.start <= today
        rows = []
        for objective in objectives:
            live = running and objective.status == "active"
            objective_codes = {objective.id: objective.code}
            every_kr = tuple(
                _key_result_row(
                    kr,
                    objective_codes[objective.id],
                    check_ins[kr.id],
                    cycle,
                    today,
                    kpi_codes.get(kr.kpi_id),
                    live and not kr.archived,
                )
                for kr in sorted(by_objective[objective.id], key=lambda kr: kr.archived)
            )
            # Archived key results are listed last and count for nothing.
            kr_rows = tuple(kr for kr in every_kr if not kr.archived)
            progress = calc.objective_progress((kr.progress, kr.weight) for kr in kr_rows)
            confidences = [kr.confidence for kr in kr_rows if kr.confidence is not None]
            confidence = min(confidences) if confidences else None
            overdue = sum(kr.overdue for kr in kr_rows)
            goal = goals.get(objective.strategic_goal_id)
            lint = calc.objective_lint(
                objective.owner,
                goal is not None,
                [
                    calc.KeyResultFacts(
                        kr.code, kr.kind, kr.unit, kr.baseline, kr.target, kr.band_low, kr.band_high
                    )
                    for kr in kr_rows
                ],
            )
            rows.append(
                ObjectiveRow(
                    code=objective.code,
                    title=objective.title,
                    owner=objective.owner,
                    status=objective.status,
                    progress=progress,
                    grade=calc.grade_band(objective.grade if objective.grade is not None else progress),
                    pace=calc.pace(progress, cycle.elapsed, confidence, overdue > 0),
                    confidence=confidence,
                    key_result_count=len(kr_rows),
                    overdue_key_results=overdue,
                    cycle=cycle.name,
                    goal_code=goal.code if goal else None,
                    goal=goal.name if goal else None,
                    parent_code=codes.get(objective.parent_id),
                    carried_from=codes.get(objective.carried_from_id),
                    score=objective.grade,
                    key_results=every_kr,
                    lint=lint,
                )
            )
        # Archived objectives come last: they are kept for the record, not worked on.
        return tuple(sorted(rows, key=lambda row: row.status == "archived"))

    # ------------------------------------------------------------------ KPIs

    def kpi_summaries(self, today: date, *, include_retired: bool = False) -> tuple[KpiSummary, ...]:
        """Every KPI (active ones only unless asked) with its latest value and status."""
        with self._reading() as session:
            query = select(Kpi).order_by(Kpi.code)
            if not include_retired:
                query = query.where(Kpi.active == True)  # noqa: E712
            return self._summaries(session, session.exec(query).all(), today)

    def goal_options(self) -> tuple[GoalOption, ...]:
        with self._reading() as session:
            goals = session.exec(select(StrategicGoal).order_by(StrategicGoal.code)).all()
            return tuple(GoalOption(g.code, g.name, g.active) for g in goals)

    def _kpi(self, session: Session, code: str) -> Kpi:
        kpi = session.exec(select(Kpi).where(Kpi.code == code)).first()
        if kpi is None:
            raise NotFound(f"no KPI with code {code!r}")
        return kpi

    def kpi_detail(self, code: str, today: date) -> KpiDetail:
        """One KPI with its whole history, SMART check, forecast and (if derived) today's figure."""
        with self._reading() as session:
            kpi = self._kpi(session, code)
            # Plain columns: ten years of weekly values need no ORM objects.
            measurements = tuple(
                MeasurementRecord(period, value, note)
                for period, value, note in session.connection().execute(
                    sa_select(Measurement.period, Measurement.value, Measurement.note)
                    .where(Measurement.kpi_id == kpi.id)
                    .order_by(Measurement.period)
                )
            )
            goal = session.get(StrategicGoal, kpi.strategic_goal_id) if kpi.strategic_goal_id else None
            points = [(m.period, m.value) for m in measurements]
            summary = self._summary(kpi, points[-TILE_HISTORY:], {goal.id: goal.name} if goal else {}, today)
            derived = None
            if kpi.source in calc.DERIVED_SOURCES:
                figures, _ = self._project_rows(session)
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
                forecast=_forecast_to_quarter_end(points, kpi.cadence, today),
                record_period=calc.period_end(today, kpi.cadence),
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
    ) -> None:
        """Store one value for the period holding `period` (any of its days: the value is stored on
        the period's last day); an existing value is replaced only when asked. A period after the
        current one (the one holding `today`, by default the real today) is refused."""
        _check_measurement_value(value)
        with self._writing() as session:
            kpi = self._kpi(session, code)
            period = measurement_period(period, kpi.cadence, today or date.today())
            existing = session.exec(
                select(Measurement).where(Measurement.kpi_id == kpi.id, Measurement.period == period)
            ).first()
            if existing is not None and not replace:
                raise PeriodTaken(code, period, existing.value)
            if existing is not None:
                existing.value, existing.note = value, note
            else:
                session.add(Measurement(kpi_id=kpi.id, period=period, value=value, note=note))

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
    ) -> None:
        """Change a past measurement; `new_period` is taken to the end of its period, like a new
        value's. Moving it after the current period is refused, and onto a period that has a value
        too, unless asked to replace that value (in the same transaction)."""
        _check_measurement_value(value)
        with self._writing() as session:
            kpi = self._kpi(session, code)
            new_period = measurement_period(new_period, kpi.cadence, today or date.today())
            rows = {
                m.period: m
                for m in session.exec(
                    select(Measurement).where(
                        Measurement.kpi_id == kpi.id, Measurement.period.in_([period, new_period])
                    )
                )
            }
            if period not in rows:
                raise NotFound(f"{code} has no measurement for {period.isoformat()}")
            if new_period != period and new_period in rows:
                if not replace:
                    raise PeriodTaken(code, new_period, rows[new_period].value)
                session.delete(rows[new_period])
                session.flush()  # the period is free before the corrected value moves onto it
            measurement = rows[period]
            measurement.period, measurement.value, measurement.note = new_period, value, note

    def delete_measurement(self, code: str, period: date) -> None:
        with self._writing() as session:
            kpi = self._kpi(session, code)
            measurement = session.exec(
                select(Measurement).where(Measurement.kpi_id == kpi.id, Measurement.period == period)
            ).first()
            if measurement is None:
                raise NotFound(f"{code} has no measurement for {period.isoformat()}")
            session.delete(measurement)

    def save_kpi(
        self, definition: KpiDefinition, *, original_code: str | None = None, today: date | None = None
    ) -> None:
        """Create a KPI, or change the definition of the one called `original_code`.

        A new cadence moves each value to the last day of its period of that cadence; two values
        that would share a period, or one whose period would come after the current one (that
        holding `today`, by default the real today), refuse the change."""
        with self._writing() as session:
            clash = session.exec(select(Kpi).where(Kpi.code == definition.code)).first()
            if clash is not None and definition.code != original_code:
                raise InvalidInput("code", f"{definition.code} is already used by “{clash.name}”")
            goal_id = self._goal_id(session, definition.goal)
            kpi = self._kpi(session, original_code) if original_code else Kpi(code=definition.code, name="")
            if kpi.id is not None and kpi.cadence != definition.cadence:
                self._move_to_cadence(session, kpi, definition.cadence, today or date.today())
            for field in (
                "code",
                "name",
                "description",
                "unit",
                "direction",
                "target",
                "warning",
                "indicator",
                "nature",
                "owner",
                "cadence",
                "source",
            ):
                setattr(kpi, field, getattr(definition, field))
            kpi.cadence_days = calc.cadence_days(definition.cadence)
            kpi.strategic_goal_id = goal_id
            session.add(kpi)

    @staticmethod
    def _move_to_cadence(session: Session, kpi: Kpi, cadence: str, today: date) -> None:
        """A KPI's values moved to the last day of their period of a new cadence, one per period."""
        held: dict[date, date] = {}
        moves = []
        for measurement in session.exec(
            select(Measurement).where(Measurement.kpi_id == kpi.id).order_by(Measurement.period)
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

    def mark_kpi_reviewed(self, code: str, on: date) -> None:
        with self._writing() as session:
            self._kpi(session, code).last_reviewed = on

    def set_kpi_active(self, code: str, active: bool) -> None:
        """Retire a KPI (its history stays) or bring it back."""
        with self._writing() as session:
            self._kpi(session, code).active = active

    # ------------------------------------------------------------------ maturity

    def assessments(self) -> tuple[AssessmentSummary, ...]:
        """Every self-assessment, newest first, with how many statements it answers."""
        with self._reading() as session:
            answered = dict(
                session.exec(
                    sa_select(Answer.assessment_id, func.count()).group_by(Answer.assessment_id)
                ).all()
            )
            rows = session.exec(
                select(Assessment).order_by(Assessment.taken_on.desc(), Assessment.id.desc())
            ).all()
            return tuple(AssessmentSummary(a.id, a.taken_on, a.status, answered.get(a.id, 0)) for a in rows)

    def assessment_answers(self, assessment_id: int) -> dict[str, AnswerRecord]:
        with self._reading() as session:
            return {
                a.question_id: AnswerRecord(a.level, a.comment)
                for a in session.exec(select(Answer).where(Answer.assessment_id == assessment_id))
            }

    def previous_answers(self, assessment_id: int) -> dict[str, AnswerRecord] | None:
        """The answers of the complete assessment taken before this one, if any."""
        with self._reading() as session:
            current = session.get(Assessment, assessment_id)
            if current is None:
                raise NotFound(f"no assessment {assessment_id}")
            earlier = session.exec(
                select(Assessment)
                .where(
                    Assessment.status == "complete",
                    Assessment.id != assessment_id,
                    (Assessment.taken_on < current.taken_on)
                    | ((Assessment.taken_on == current.taken_on) & (Assessment.id < assessment_id)),
                )
                .order_by(Assessment.taken_on.desc(), Assessment.id.desc())
            ).first()
            earlier_id = earlier.id if earlier else None
        return self.assessment_answers(earlier_id) if earlier_id else None

    def open_assessment(self, today: date) -> int:
        """The unfinished assessment to resume, or a new one started today."""
        with self._writing() as session:
            unfinished = session.exec(
                select(Assessment).where(Assessment.status == "in_progress").order_by(Assessment.id)
            ).first()
            if unfinished is not None:
                return unfinished.id
            assessment = Assessment(taken_on=today, status="in_progress")
            session.add(assessment)
            session.flush()
            return assessment.id

    def save_answer(
        self, assessment_id: int, question_id: str, level: int, comment: str = "", *, ticket: Any = None
    ) -> Any:
        """One answer, saved as it is given, so an unfinished assessment loses nothing.

        An answer and comment already stored exactly so write nothing: looking through a
        finished assessment leaves it finished. A change to a finished one makes it unfinished
        again (as `reopen_assessment` does), and the result says so. `ticket` (a SaveTicket)
        lets the interface call the save off while it waits for the write lock.
        Returns an AnswerSaved."""
        from pmo_tui.saving import AnswerSaved

        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
            raise InvalidInput("level", "choose a stage from 1 to 5")
        with self._writing() as session:
            assessment = session.get(Assessment, assessment_id)  # waits for the write lock
            if ticket is not None:
                ticket.go_ahead()  # raises SaveCalledOff if called off meanwhile
            if assessment is None:
                raise NotFound(f"no assessment {assessment_id}")
            answer = session.exec(
                select(Answer).where(Answer.assessment_id == assessment_id, Answer.question_id == question_id)
            ).first()
            if answer is not None and (answer.level, answer.comment) == (level, comment):
                return AnswerSaved(changed=False, reopened=False)
            if answer is None:
                answer = Answer(assessment_id=assessment_id, question_id=question_id, level=level)
            answer.level, answer.comment = level, comment
            session.add(answer)
            if assessment.status != "complete":
                return AnswerSaved(changed=True, reopened=False)
            finished = self._reopen(session, assessment)
            return AnswerSaved(changed=True, reopened=True, finished_others=finished)

    def complete_assessment(self, assessment_id: int) -> None:
        with self._writing() as session:
            assessment = session.get(Assessment, assessment_id)
            if assessment is None:
                raise NotFound(f"no assessment {assessment_id}")
            assessment.status = "complete"

    def reopen_assessment(self, assessment_id: int) -> None:
        """Let a complete assessment's answers be changed again."""
        with self._writing() as session:
            assessment = session.get(Assessment, assessment_id)
            if assessment is None:
                raise NotFound(f"no assessment {assessment_id}")
            self._reopen(session, assessment)

    @staticmethod
    def _reopen(session: Session, assessment: Assessment) -> tuple[date, ...]:
        """Make `assessment` the one unfinished assessment; the days of any other set finished."""
        finished = []
        for other in session.exec(select(Assessment).where(Assessment.status == "in_progress")):
            if other.id != assessment.id:
                other.status = "complete"
                finished.append(other.taken_on)
        assessment.status = "in_progress"
        return tuple(finished)

    def evidence_facts(self, today: date) -> calc.EvidenceFacts:
        """What the data shows of the practice: KPI definitions, cadence, reviews, alignment, check-ins."""
        with self._reading() as session:
            kpis = session.exec(select(Kpi).where(Kpi.active == True)).all()  # noqa: E712
            last = dict(
                session.exec(
                    sa_select(Measurement.kpi_id, func.max(Measurement.period)).group_by(Measurement.kpi_id)
                ).all()
            )
            projects = session.exec(
                select(Project).where(Project.status.in_(list(calc.COUNTED_STATUSES)))
            ).all()
            due = done = 0
            # The weeks of every current cycle (a year's and its quarter's key results alike).
            for cycle in self._current_cycles(session, today):
                rows = session.exec(
                    sa_select(KeyResult.id, CheckIn.on)
                    .join(Objective, Objective.id == KeyResult.objective_id)
                    .join(Cycle, Cycle.id == Objective.cycle_id)
                    .outerjoin(CheckIn, CheckIn.key_result_id == KeyResult.id)
                    .where(Cycle.name == cycle.name, Objective.status != "archived")
                ).all()
                days: dict[int, list[date]] = defaultdict(list)
                for key_result_id, on in rows:
                    days[key_result_id]
                    if on is not None:
                        days[key_result_id].append(on)
                until = min(today, cycle.end)
                for check_ins in days.values():
                    weeks_due, weeks_done = calc.check_in_weeks(check_ins, cycle.start, until)
                    due += weeks_due
                    done += weeks_done
            return calc.EvidenceFacts(
                kpis=len(kpis),
                kpis_with_target=sum(k.target is not None for k in kpis),
                kpis_with_owner=sum(bool(k.owner.strip()) for k in kpis),
                kpis_with_goal=sum(k.strategic_goal_id is not None for k in kpis),
                kpis_on_cadence=sum(not calc.is_overdue(last.get(k.id), today, k.cadence_days) for k in kpis),
                kpis_reviewed=sum(not calc.review_overdue(k.last_reviewed, today) for k in kpis),
                kpis_leading=sum(k.indicator == "leading" for k in kpis),
                projects=len(projects),
                projects_aligned=sum(p.strategic_goal_id is not None for p in projects),
                check_in_weeks_due=due,
                check_in_weeks_done=done,
            )

    def _cycle_for_today(self, session: Session, today: date) -> Cycle:
        """Where a new objective goes: the first current cycle (the shortest open one holding
        today, as the overview lists them), else the next open one; the calendar quarter's cycle
        is created when there is none. A closed quarter is refused."""
        open_cycles = session.exec(
            select(Cycle).where(Cycle.status == "open", Cycle.end >= today).order_by(Cycle.start)
        ).all()
        live = sorted((c for c in open_cycles if _is_live(c, today)), key=_cycle_order)
        cycle = next(iter(live), None) or next(iter(open_cycles), None)
        if cycle is not None:
            return cycle
        name = calc.quarter_name(today)
        existing = session.exec(select(Cycle).where(Cycle.name == name)).first()
        if existing is not None:
            raise InvalidInput(
                "cycle",
                f"{name} is {existing.status} and no later cycle is open: "
                "reopen it or create the next cycle (OKRs, key y)",
            )
        cycle = Cycle(name=name, start=calc.quarter_start(today), end=calc.quarter_end(today), status="open")
        session.add(cycle)
        session.flush()
        return cycle

    @staticmethod
    def _next_code(session: Session, column: Any, prefix: str) -> str:
        """The first free code `prefix1`, `prefix2`, … for a new objective or key result."""
        taken = set(session.exec(select(column).where(column.startswith(prefix))).all())
        number = 1
        while f"{prefix}{number}" in taken:
            number += 1
        return f"{prefix}{number}"

    def _next_objective_code(self, session: Session, cycle: Cycle) -> str:
        """The next objective code of a cycle, in the style its objectives already use (Q4-O3 → Q4-O4)."""
        prefixes = {
            match.group(1)
            for code in session.exec(select(Objective.code).where(Objective.cycle_id == cycle.id))
            if (match := re.fullmatch(r"(.*-O)\d+", code))
        }
        prefix = prefixes.pop() if len(prefixes) == 1 else f"{cycle.name}-O"
        return self._next_code(session, Objective.code, prefix)

    def create_draft_objective(self, title: str, owner: str, today: date) -> tuple[str, str]:
        """A draft objective in the current cycle (the quarter's cycle is created if none is open)."""
        with self._writing() as session:
            cycle = self._cycle_for_today(session, today)
            code = self._next_objective_code(session, cycle)
            session.add(Objective(code=code, title=title, cycle_id=cycle.id, owner=owner, status="draft"))
            return code, cycle.name

    # ------------------------------------------------------------------ OKRs

    def okr_board(
        self, today: date, cycle_name: str | None = None, *, holding: str | None = None
    ) -> OkrBoard:
        """One cycle (the current one unless named, or the one holding objective `holding`)
        with its objectives and key results."""
        with self._reading() as session:
            if holding is not None:
                cycle_name = session.get(Cycle, self._objective(session, holding).cycle_id).name
            cycles = self._cycles(session, today)
            currents = self._current_cycles(session, today)
            current = currents[0] if currents else None
            if cycle_name is not None:
                cycle = next((c for c in cycles if c.name == cycle_name), None)
                if cycle is None:
                    raise NotFound(f"no cycle named “{cycle_name}”")
            else:
                cycle = current or (cycles[0] if cycles else None)
            objectives = self._objective_rows(session, cycle, today, include_archived=True) if cycle else ()
            return OkrBoard(
                cycle, cycles, objectives, current.name if current else None, tuple(c.name for c in currents)
            )

    def key_result_detail(self, code: str, today: date) -> tuple[ObjectiveRow, KeyResultRow]:
        """A key result with its objective, as the key-result screen shows them."""
        with self._reading() as session:
            objective, _, key_result = self._locate_key_result(session, code, today)
            return objective, key_result

    def _locate_key_result(
        self, session: Session, code: str, today: date
    ) -> tuple[ObjectiveRow, CycleInfo, KeyResultRow]:
        objective = session.get(Objective, self._key_result(session, code).objective_id)
        cycle = _cycle_info(session.get(Cycle, objective.cycle_id), today)
        row = next(
            o
            for o in self._objective_rows(session, cycle, today, include_archived=True)
            if o.code == objective.code
        )
        return row, cycle, next(kr for kr in row.key_results if kr.code == code)

    def cycles(self, today: date) -> tuple[CycleInfo, ...]:
        """Every cycle, newest first."""
        with self._reading() as session:
            return self._cycles(session, today)

    @staticmethod
    def _cycles(session: Session, today: date) -> tuple[CycleInfo, ...]:
        return tuple(
            _cycle_info(c, today)
            for c in session.exec(select(Cycle).order_by(Cycle.start.desc(), Cycle.name)).all()
        )

    @staticmethod
    def _goal_id(session: Session, code: str | None) -> int | None:
        """The id of the strategic goal called `code` (None for none); an unknown code is refused."""
        if not code:
            return None
        goal = session.exec(select(StrategicGoal).where(StrategicGoal.code == code)).first()
        if goal is None:
            raise InvalidInput("goal", f"no strategic goal with code “{code}”")
        return goal.id

    def _cycle(self, session: Session, name: str) -> Cycle:
        cycle = session.exec(select(Cycle).where(Cycle.name == name)).first()
        if cycle is None:
            raise NotFound(f"no cycle named “{name}”")
        return cycle

    def _objective(self, session: Session, code: str) -> Objective:
        objective = session.exec(select(Objective).where(Objective.code == code)).first()
        if objective is None:
            raise NotFound(f"no objective with code “{code}”")
        return objective

    def _key_result(self, session: Session, code: str) -> KeyResult:
        key_result = session.exec(select(KeyResult).where(KeyResult.code == code)).first()
        if key_result is None:
            raise NotFound(f"no key result with code “{code}”")
        return key_result

    def okr_choices(self) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
        """(cycle names, (objective code, title), (KPI code, name)) for the OKR forms' pick lists."""
        with self._reading() as session:
            cycles = tuple(
                session.exec(
                    select(Cycle.name).where(Cycle.status != "archived").order_by(Cycle.start.desc())
                ).all()
            )
            objectives = tuple(
                (code, title)
                for code, title in session.exec(
                    select(Objective.code, Objective.title)
                    .where(Objective.status != "archived")
                    .order_by(Objective.code)
                )
            )
            kpis = tuple(
                (code, name)
                for code, name in session.exec(
                    select(Kpi.code, Kpi.name).where(Kpi.active == True).order_by(Kpi.code)  # noqa: E712
                )
            )
            return cycles, objectives, kpis

    def save_cycle(self, definition: CycleDefinition, *, original_name: str | None = None) -> None:
        """Create a cycle, or rename or re-date the one called `original_name`."""
        with self._writing() as session:
            clash = session.exec(select(Cycle).where(Cycle.name == definition.name)).first()
            if clash is not None and definition.name != original_name:
                raise InvalidInput("name", f"there is already a cycle named {definition.name}")
            if original_name:
                # Re-dated, the cycle still holds every check-in of its key results.
                outside = _check_in_outside(
                    session, definition.start, definition.end, cycle_name=original_name
                )
                if outside is not None:
                    raise InvalidInput(*outside)
            cycle = (
                self._cycle(session, original_name)
                if original_name
                else Cycle(name=definition.name, start=definition.start, end=definition.end, status="open")
            )
            cycle.name, cycle.start, cycle.end = definition.name, definition.start, definition.end
            session.add(cycle)

    def set_cycle_status(self, name: str, status: str) -> None:
        """Archive a cycle (kept, out of the way), bring it back, or reopen a closed one."""
        status = parse_choice(status, "status", CYCLE_STATUSES)
        with self._writing() as session:
            self._cycle(session, name).status = status

    def delete_cycle(self, name: str) -> None:
        """Delete a cycle with its objectives, key results and check-ins."""
        with self._writing() as session:
            session.delete(self._cycle(session, name))

    def save_objective(self, definition: ObjectiveDefinition, *, original_code: str | None = None) -> str:
        """Create an objective (its code follows its cycle's), or change one; returns the code."""
        with self._writing() as session:
            cycle = session.exec(select(Cycle).where(Cycle.name == definition.cycle)).first()
            if cycle is None:
                raise InvalidInput("cycle", f"no cycle named “{definition.cycle}”")
            goal_id = self._goal_id(session, definition.goal)
            if original_code:
                objective = self._objective(session, original_code)
            else:
                code = self._next_objective_code(session, cycle)
                objective = Objective(code=code, title=definition.title, cycle_id=cycle.id)
            if original_code and objective.cycle_id != cycle.id:
                # Moved to another cycle, its key results' check-ins must lie within that one.
                outside = _check_in_outside(
                    session,
                    cycle.start,
                    cycle.end,
                    objective_id=objective.id,
                    cycle_words=f"{cycle.name} ({cycle.start.isoformat()} to {cycle.end.isoformat()})",
                )
                if outside is not None:
                    raise InvalidInput("cycle", outside[1])
            parent_id = None
            if definition.parent:
                parent = session.exec(select(Objective).where(Objective.code == definition.parent)).first()
                if parent is None:
                    raise InvalidInput("parent", f"no objective with code “{definition.parent}”")
                # Walk up from the new parent: meeting this objective would make a loop.
                ancestor: Objective | None = parent
                while ancestor is not None:
                    if ancestor.code == objective.code:
                        raise InvalidInput(
                            "parent", "an objective cannot sit under itself or under one of its own children"
                        )
                    ancestor = session.get(Objective, ancestor.parent_id) if ancestor.parent_id else None
                parent_id = parent.id
            objective.title, objective.owner = definition.title, definition.owner
            objective.cycle_id, objective.strategic_goal_id = cycle.id, goal_id
            objective.parent_id, objective.status = parent_id, definition.status
            session.add(objective)
            return objective.code

    def set_objective_status(self, code: str, status: str) -> None:
        status = parse_choice(status, "status", OBJECTIVE_STATUSES)
        with self._writing() as session:
            self._objective(session, code).status = status

    def delete_objective(self, code: str) -> None:
        """Delete an objective with its key results and check-ins (children lose their parent)."""
        with self._writing() as session:
            session.delete(self._objective(session, code))

    def save_key_result(
        self,
        objective_code: str,
        definition: KeyResultDefinition,
        *,
        original_code: str | None = None,
    ) -> str:
        """Create a key result under an objective, or change one; returns its code.

        Moving the target once check-ins exist needs a reason; the first target stays on record.
        """
        with self._writing() as session:
            objective = self._objective(session, objective_code)
            kpi_id = None
            if definition.kpi:
                kpi = session.exec(select(Kpi).where(Kpi.code == definition.kpi)).first()
                if kpi is None:
                    raise InvalidInput("kpi", f"no KPI with code “{definition.kpi}”")
                kpi_id = kpi.id
            if original_code:
                key_result = self._key_result(session, original_code)
                checked_in = session.exec(
                    select(func.count()).select_from(CheckIn).where(CheckIn.key_result_id == key_result.id)
                ).one()
                if checked_in and definition.target != key_result.target:
                    if not definition.reason:
                        raise InvalidInput(
                            "reason",
                            f"{checked_in} check-in{'s' if checked_in != 1 else ''} exist: "
                            "say why the target changes",
                        )
                    if key_result.original_target is None:
                        key_result.original_target = key_result.target
                    key_result.target_change_reason = definition.reason
            else:
                code = self._next_code(session, KeyResult.code, f"{objective.code}-KR")
                key_result = KeyResult(code=code, title=definition.title, objective_id=objective.id)
            if definition.kind == "milestone":
                check_milestone_value(definition.baseline, "baseline")
                check_milestone_value(definition.target, "target")
                if key_result.id is not None:
                    # A key result made a milestone keeps its check-ins only when each is 0 or 1.
                    values = session.exec(
                        select(CheckIn.value).where(
                            CheckIn.key_result_id == key_result.id, CheckIn.value.not_in([0, 1])
                        )
                    ).first()
                    if values is not None:
                        raise InvalidInput(
                            "kind",
                            "a milestone takes 0 or 1, and a check-in of this key "
                            f"result has {values:g}: keep its kind or correct it first",
                        )
            for field in (
                "title",
                "kind",
                "unit",
                "baseline",
                "target",
                "band_low",
                "band_high",
                "weight",
                "owner",
            ):
                setattr(key_result, field, getattr(definition, field))
            key_result.objective_id, key_result.kpi_id = objective.id, kpi_id
            session.add(key_result)
            return key_result.code

    def set_key_result_archived(self, code: str, archived: bool) -> None:
        """Archive a key result (kept, counted for nothing) or bring it back."""
        with self._writing() as session:
            self._key_result(session, code).archived = archived

    def delete_key_result(self, code: str) -> None:
        with self._writing() as session:
            session.delete(self._key_result(session, code))

    # ------------------------------------------------------------------ check-ins

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
                    objective, cycle, row = self._locate_key_result(session, code, today)
                    rows.append((objective.title, cycle, row))
            else:
                rows = [
                    (objective.title, cycle, kr)
                    for cycle in self._current_cycles(session, today)
                    if cycle.status == "open"
                    for objective in self._objective_rows(session, cycle, today)
                    if objective.status == "active"
                    for kr in objective.key_results
                    if kr.due and (owner is None or (kr.owner or objective.owner) == owner)
                ]
            kpi_codes = {kr.kpi_code for _, _, kr in rows} - {None}
            latest = self._latest_measurements(session, kpi_codes)
            items = []
            for title, cycle, kr in rows:
                measured = latest.get(kr.kpi_code) if kr.kpi_code else None
                numeric = kr.kind in ("increase", "decrease")
                trend_known = numeric and len(kr.check_ins) >= 2
                direction = "lower" if kr.kind == "decrease" else "higher"
                items.append(
                    CheckInItem(
                        key_result=kr,
                        objective_title=title,
                        expected=cycle.elapsed,
                        value_needed=calc.value_needed_for_pace(kr.baseline, kr.target, cycle.elapsed)
                        if numeric
                        else None,
                        kpi_value=measured[1] if measured else None,
                        kpi_period=measured[0] if measured else None,
                        cycle_end=cycle.end,
                        cycle=cycle.name,
                        target_date=calc.date_target_reached(
                            [(c.on, c.value) for c in kr.check_ins], kr.target, direction
                        )
                        if trend_known
                        else None,
                        trend_known=trend_known,
                    )
                )
            return tuple(items)

    def _latest_measurements(self, session: Session, kpi_codes: set[str]) -> dict[str, tuple[date, float]]:
        """Each KPI's latest (period, value)."""
        if not kpi_codes:
            return {}
        newest = (
            select(Kpi.code.label("code"), func.max(Measurement.period).label("period"))
            .join(Measurement, Measurement.kpi_id == Kpi.id)
            .where(Kpi.code.in_(kpi_codes))
            .group_by(Kpi.code)
            .subquery()
        )
        rows = session.exec(
            sa_select(newest.c.code, Measurement.period, Measurement.value)
            .join(Kpi, Kpi.code == newest.c.code)
            .join(Measurement, (Measurement.kpi_id == Kpi.id) & (Measurement.period == newest.c.period))
        ).all()
        return {code: (period, value) for code, period, value in rows}

    def record_check_in(
        self,
        code: str,
        on: date,
        value: float,
        confidence: float,
        comment: str = "",
        *,
        today: date | None = None,
    ) -> None:
        """One check-in of a key result; a second one on the same day replaces the first.

        The day lies within the key result's cycle and is not after `today` (by default the real
        today); a milestone takes 0 or 1."""
        _check_check_in_values(value, confidence)
        with self._writing() as session:
            key_result = self._key_result(session, code)
            self._check_check_in(session, key_result, on, value, today)
            same_day = session.exec(
                select(CheckIn).where(CheckIn.key_result_id == key_result.id, CheckIn.on == on)
            ).first()
            check_in = same_day or CheckIn(
                key_result_id=key_result.id, on=on, value=value, confidence=confidence
            )
            check_in.value, check_in.confidence, check_in.comment = value, confidence, comment
            session.add(check_in)

    def correct_check_in(
        self,
        check_in_id: int,
        on: date,
        value: float,
        confidence: float,
        comment: str,
        *,
        today: date | None = None,
    ) -> None:
        """Change a past check-in; moving it onto a day that already has one is refused, and the
        day and value obey the rules of a new check-in (see record_check_in)."""
        _check_check_in_values(value, confidence)
        with self._writing() as session:
            check_in = session.get(CheckIn, check_in_id)
            if check_in is None:
                raise NotFound("that check-in no longer exists")
            self._check_check_in(session, session.get(KeyResult, check_in.key_result_id), on, value, today)
            clash = session.exec(
                select(CheckIn).where(
                    CheckIn.key_result_id == check_in.key_result_id,
                    CheckIn.on == on,
                    CheckIn.id != check_in_id,
                )
            ).first()
            if clash is not None:
                raise InvalidInput("on", f"{on.isoformat()} already has a check-in; correct that one")
            check_in.on, check_in.value = on, value
            check_in.confidence, check_in.comment = confidence, comment

    @staticmethod
    def _check_check_in(
        session: Session, key_result: KeyResult, on: date, value: float, today: date | None
    ) -> None:
        """The rules a check-in's day and value obey, whoever writes it (see validation)."""
        cycle = session.exec(
            select(Cycle)
            .join(Objective, Objective.cycle_id == Cycle.id)
            .where(Objective.id == key_result.objective_id)
        ).one()
        check_check_in_day(on, today or date.today(), cycle.name, cycle.start, cycle.end)
        if key_result.kind == "milestone":
            check_milestone_value(value, "value")

    def delete_check_in(self, check_in_id: int) -> None:
        with self._writing() as session:
            check_in = session.get(CheckIn, check_in_id)
            if check_in is None:
                raise NotFound("that check-in no longer exists")
            session.delete(check_in)

    # ------------------------------------------------------------------ closing a cycle

    def _following_cycle(self, session: Session, cycle: Cycle) -> tuple[str, Cycle | None]:
        """The cycle that comes next (an existing one, or the name of the quarter to create)."""
        existing = session.exec(
            select(Cycle).where(Cycle.start > cycle.end, Cycle.status == "open").order_by(Cycle.start)
        ).first()
        if existing is not None:
            return existing.name, existing
        name, _, _ = calc.following_quarter(cycle.end)
        return name, session.exec(select(Cycle).where(Cycle.name == name)).first()

    def close_cycle(self, name: str, today: date) -> CloseSummary:
        """Grade every live objective and key result (score = progress today) and close the cycle."""
        with self._writing() as session:
            cycle = self._cycle(session, name)
            info = _cycle_info(cycle, today)
            rows = self._objective_rows(session, info, today)
            scores = {row.code: row for row in rows if row.status in ("active", "done")}
            for objective in session.exec(select(Objective).where(Objective.code.in_(list(scores)))).all():
                row = scores[objective.code]
                graded = [(round(kr.progress, 2), kr) for kr in row.key_results if not kr.archived]
                for score, kr_row in graded:
                    self._key_result(session, kr_row.code).grade = score
                # The objective's score is the weighted mean of the scores just stored.
                objective.grade = round(
                    calc.objective_progress((score, kr.weight) for score, kr in graded), 2
                )
                objective.status = "done"
            cycle.status = "closed"
            session.flush()
            info = _cycle_info(cycle, today)
            graded = tuple(r for r in self._objective_rows(session, info, today) if r.code in scores)
            next_name, _ = self._following_cycle(session, cycle)
            return CloseSummary(
                cycle=info,
                objectives=graded,
                unfinished=tuple(r.code for r in graded if (r.score or 0) < 1),
                next_cycle=next_name,
            )

    def carry_over(self, codes: list[str], today: date) -> tuple[str, tuple[str, ...]]:
        """Copy unfinished objectives into the next cycle (created when missing).

        Each copy keeps the link to its original; its key results start from their last value.
        Returns the cycle's name and the new objective codes.
        """
        with self._writing() as session:
            originals = [self._objective(session, code) for code in codes]
            if not originals:
                return "", ()
            if len({o.cycle_id for o in originals}) > 1:
                raise InvalidInput("objectives", "carry over the objectives of one cycle at a time")
            source = session.get(Cycle, originals[0].cycle_id)
            name, target = self._following_cycle(session, source)
            if target is None:
                _, start, end = calc.following_quarter(source.end)
                target = Cycle(name=name, start=start, end=end, status="open")
                session.add(target)
                session.flush()
            elif target.status != "open":
                raise InvalidInput(
                    "cycle", f"{name} is {target.status}; reopen it to carry objectives into it"
                )
            created = []
            copies: dict[int, Objective] = {}
            for original in originals:
                if session.exec(select(Objective).where(Objective.carried_from_id == original.id)).first():
                    continue  # already carried over once
                code = self._next_objective_code(session, target)
                copy = Objective(
                    code=code,
                    title=original.title,
                    cycle_id=target.id,
                    owner=original.owner,
                    strategic_goal_id=original.strategic_goal_id,
                    parent_id=original.parent_id,
                    carried_from_id=original.id,
                    status="active",
                )
                session.add(copy)
                session.flush()
                copies[original.id] = copy
                key_results = session.exec(
                    select(KeyResult)
                    .where(KeyResult.objective_id == original.id, KeyResult.archived == False)  # noqa: E712
                    .order_by(KeyResult.code)
                ).all()
                for number, kr in enumerate(key_results, start=1):
                    last = session.exec(
                        select(CheckIn.value)
                        .where(CheckIn.key_result_id == kr.id)
                        .order_by(CheckIn.on.desc(), CheckIn.id.desc())
                    ).first()
                    session.add(
                        KeyResult(
                            code=f"{code}-KR{number}",
                            title=kr.title,
                            objective_id=copy.id,
                            kind=kr.kind,
                            unit=kr.unit,
                            baseline=calc.carried_baseline(kr.kind, kr.baseline, last),
                            target=kr.target,
                            band_low=kr.band_low,
                            band_high=kr.band_high,
                            weight=kr.weight,
                            owner=kr.owner,
                            kpi_id=kr.kpi_id,
                        )
                    )
                created.append(code)
            # A parent carried over in the same go: the copy sits under the parent's copy.
            for copy in copies.values():
                if copy.parent_id in copies:
                    copy.parent_id = copies[copy.parent_id].id
            return target.name, tuple(created)

    def start_okr_from_kpi(self, kpi_code: str, title: str, owner: str, target: float, today: date) -> str:
        """An objective in the current cycle with one key result tied to the KPI, from its latest value."""
        with self._writing() as session:
            kpi = self._kpi(session, kpi_code)
            latest = self._latest_measurements(session, {kpi.code}).get(kpi.code)
            baseline = latest[1] if latest else 0.0
            lower = kpi.direction == "lower"
            if (target > baseline and lower) or (target < baseline and not lower):
                better = "below" if lower else "above"
                raise InvalidInput(
                    "target",
                    f"{kpi.code} is better {kpi.direction}: aim {better} its latest value {baseline:g}",
                )
            cycle = self._cycle_for_today(session, today)
            code = self._next_objective_code(session, cycle)
            objective = Objective(
                code=code,
                title=title,
                cycle_id=cycle.id,
                owner=owner,
                strategic_goal_id=kpi.strategic_goal_id,
                status="active",
            )
            session.add(objective)
            session.flush()
            session.add(
                KeyResult(
                    code=f"{code}-KR1",
                    title=f"{kpi.name} from {baseline:g} to {target:g}",
                    objective_id=objective.id,
                    kind="decrease" if lower else "increase",
                    unit=kpi.unit,
                    baseline=baseline,
                    target=target,
                    owner=owner or kpi.owner,
                    kpi_id=kpi.id,
                )
            )
            return code

    # ------------------------------------------------------------------ projects and goals

    def _project(self, session: Session, code: str) -> Project:
        project = session.exec(select(Project).where(Project.code == code)).first()
        if project is None:
            raise NotFound(f"no project with code {code!r}")
        return project

    def project_codes(self) -> set[str]:
        with self._reading() as session:
            return set(session.exec(select(Project.code)).all())

    def project_detail(self, code: str) -> ProjectDetail:
        """One project with every figure of its latest status update, and all its updates."""
        with self._reading() as session:
            project = self._project(session, code)
            goal = (
                session.get(StrategicGoal, project.strategic_goal_id) if project.strategic_goal_id else None
            )
            updates = session.exec(
                select(ProjectUpdate).where(ProjectUpdate.project_id == project.id).order_by(ProjectUpdate.on)
            ).all()
            latest = updates[-1] if updates else None
            figures = _project_figures(project, latest)
            estimate = calc.project_cost_estimate(figures)
            return ProjectDetail(
                row=_project_row(
                    project.code,
                    project.name,
                    project.owner,
                    project.status,
                    goal.name if goal else None,
                    figures,
                ),
                goal_code=goal.code if goal else None,
                start=project.start,
                planned_finish=project.planned_finish,
                actual_finish=project.actual_finish,
                forecast_finish=latest.forecast_finish if latest else None,
                budget=project.budget,
                planned_value=figures.planned_value,
                earned_value=figures.earned_value,
                actual_cost=figures.actual_cost,
                estimate_at_completion=estimate,
                variance_at_completion=calc.vac(project.budget, estimate),
                expected_benefit=project.expected_benefit,
                realised_benefit=project.realised_benefit,
                roi=calc.project_roi(figures),
                change_requests=figures.change_requests,
                open_risks=figures.open_risks,
                satisfaction=latest.satisfaction if latest else None,
                updates=tuple(
                    StatusUpdateRecord(
                        u.id,
                        u.on,
                        u.forecast_finish,
                        u.planned_value,
                        u.earned_value,
                        u.actual_cost,
                        u.change_requests,
                        u.open_risks,
                        u.satisfaction,
                        u.comment,
                        calc.spi(u.earned_value, u.planned_value),
                        calc.cpi(u.earned_value, u.actual_cost),
                    )
                    for u in updates
                ),
            )

    def save_project(self, definition: ProjectDefinition, *, original_code: str | None = None) -> str:
        """Create a project, or change the one called `original_code`; returns its code."""
        with self._writing() as session:
            clash = session.exec(select(Project).where(Project.code == definition.code)).first()
            if clash is not None and definition.code != original_code:
                raise InvalidInput("code", f"{definition.code} is already used by “{clash.name}”")
            goal_id = self._goal_id(session, definition.goal)
            project = self._project(session, original_code) if original_code else None
            if project is None:
                project = Project(
                    code=definition.code,
                    name=definition.name,
                    start=definition.start,
                    planned_finish=definition.planned_finish,
                )
            else:
                self._check_updates_fit(session, project, definition)
            for name in (
                "code",
                "name",
                "owner",
                "status",
                "start",
                "planned_finish",
                "actual_finish",
                "budget",
                "expected_benefit",
                "realised_benefit",
            ):
                setattr(project, name, getattr(definition, name))
            project.strategic_goal_id = goal_id
            session.add(project)
            return definition.code

    @staticmethod
    def _check_updates_fit(session: Session, project: Project, definition: ProjectDefinition) -> None:
        """A project's status updates stay true of it: none before a new start, and no earned value
        above a new budget (so the project still exports and imports again)."""
        first, most = session.exec(
            select(func.min(ProjectUpdate.on), func.max(ProjectUpdate.earned_value)).where(
                ProjectUpdate.project_id == project.id
            )
        ).one()
        if first is not None and first < definition.start:
            raise InvalidInput(
                "start",
                f"a status update of {first.isoformat()} comes before it; the start "
                "is on or before the first update",
            )
        if most is not None and most > definition.budget:
            from pmo_tui.formatting import plain_number

            raise InvalidInput(
                "budget",
                f"a status update has earned value {plain_number(most)}, more than "
                "this budget; the budget is at least the earned value",
            )

    def close_project(self, code: str, status: str, finished: date) -> None:
        """Close a project as done (finished that day) or cancelled (stopped that day)."""
        if status not in ("done", "cancelled"):
            raise InvalidInput("status", "a project closes as done or cancelled")
        with self._writing() as session:
            project = self._project(session, code)
            if finished < project.start:
                raise InvalidInput("actual_finish", f"is before the start ({project.start.isoformat()})")
            project.status = status
            project.actual_finish = finished

    def delete_project(self, code: str) -> None:
        """Delete a project and its status updates."""
        with self._writing() as session:
            session.delete(self._project(session, code))

    def save_status_update(
        self, code: str, entry: StatusUpdateEntry, *, update_id: int | None = None, today: date | None = None
    ) -> None:
        """Add a dated status update to a project, or correct the update `update_id`.

        One update per day: a second one on the same day is refused, so nothing is overwritten unseen.
        The day is neither after `today` (by default the real today) nor before the project's start;
        earned value never exceeds the budget.
        """
        with self._writing() as session:
            project = self._project(session, code)
            check_status_update_day(entry.on, today or date.today(), project.start)
            check_earned_value(entry.earned_value, project.budget)
            if entry.forecast_finish and entry.forecast_finish < project.start:
                raise InvalidInput(
                    "forecast_finish", f"is before the project's start ({project.start.isoformat()})"
                )
            same_day = session.exec(
                select(ProjectUpdate).where(
                    ProjectUpdate.project_id == project.id, ProjectUpdate.on == entry.on
                )
            ).first()
            if same_day is not None and same_day.id != update_id:
                raise InvalidInput(
                    "on", f"{code} already has an update on {entry.on.isoformat()}; correct that one instead"
                )
            if update_id is None:
                update = ProjectUpdate(project_id=project.id, on=entry.on)
            else:
                update = session.get(ProjectUpdate, update_id)
                if update is None or update.project_id != project.id:
                    raise NotFound(f"{code} has no such status update (deleted meanwhile?)")
            for name in (
                "on",
                "forecast_finish",
                "planned_value",
                "earned_value",
                "actual_cost",
                "change_requests",
                "open_risks",
                "satisfaction",
                "comment",
            ):
                setattr(update, name, getattr(entry, name))
            session.add(update)

    def delete_status_update(self, update_id: int) -> None:
        with self._writing() as session:
            update = session.get(ProjectUpdate, update_id)
            if update is None:
                raise NotFound("that status update no longer exists")
            session.delete(update)

    def goals_view(self) -> GoalsView:
        """Each strategic goal with the projects, KPIs and objectives aligned to it, and its budget share."""
        with self._reading() as session:
            goals = session.exec(select(StrategicGoal).order_by(StrategicGoal.code)).all()
            projects = session.exec(select(Project).order_by(Project.code)).all()
            kpis = session.exec(select(Kpi).where(Kpi.active == True).order_by(Kpi.code)).all()  # noqa: E712
            objectives = session.exec(
                sa_select(Objective.code, Objective.title, Cycle.name, Objective.strategic_goal_id)
                .join(Cycle, Cycle.id == Objective.cycle_id)
                .where(Objective.status != "archived", Cycle.status != "archived")
                .order_by(Cycle.start.desc(), Objective.code)
            ).all()
            code_of = {g.id: g.code for g in goals}
            shares = calc.budget_shares(
                (code_of.get(p.strategic_goal_id), p.status, p.budget) for p in projects
            )
            figures = calc.portfolio_figures(
                _project_figures(p, None) for p in projects
            )  # aligned % needs only status and goal

            def aligned(goal_id: int | None) -> tuple[AlignedProject, ...]:
                return tuple(
                    AlignedProject(p.code, p.name, p.status, p.budget)
                    for p in projects
                    if p.strategic_goal_id == goal_id
                )

            rows = tuple(
                GoalRow(
                    code=g.code,
                    name=g.name,
                    description=g.description,
                    owner=g.owner,
                    active=g.active,
                    projects=aligned(g.id),
                    kpis=tuple((k.code, k.name) for k in kpis if k.strategic_goal_id == g.id),
                    objectives=tuple(
                        (code, title, cycle) for code, title, cycle, goal_id in objectives if goal_id == g.id
                    ),
                    budget_share=shares.get(g.code, 0.0 if shares else None),
                )
                for g in goals
            )
            return GoalsView(
                rows, aligned(None), shares.get(None, 0.0 if shares else None), figures.aligned_pct
            )

    def save_goal(self, definition: GoalDefinition, *, original_code: str | None = None) -> str:
        with self._writing() as session:
            clash = session.exec(select(StrategicGoal).where(StrategicGoal.code == definition.code)).first()
            if clash is not None and definition.code != original_code:
                raise InvalidInput("code", f"{definition.code} is already used by “{clash.name}”")
            if original_code is None:
                goal = StrategicGoal(code=definition.code, name=definition.name)
            else:
                goal = session.exec(select(StrategicGoal).where(StrategicGoal.code == original_code)).first()
                if goal is None:
                    raise NotFound(f"no strategic goal with code {original_code!r}")
            for name in ("code", "name", "description", "owner"):
                setattr(goal, name, getattr(definition, name))
            session.add(goal)
            return definition.code

    def set_goal_active(self, code: str, active: bool) -> None:
        """Retire a goal (what is aligned to it keeps the link) or bring it back."""
        with self._writing() as session:
            goal = session.exec(select(StrategicGoal).where(StrategicGoal.code == code)).first()
            if goal is None:
                raise NotFound(f"no strategic goal with code {code!r}")
            goal.active = active

    # ------------------------------------------------------------------ export

    def export_portfolio(self) -> dict[str, Any]:
        """The whole database in the portfolio-file layout, in a stable order (codes, dates)."""
        with self._reading() as session:
            return _export_document(session)

    # ------------------------------------------------------------------ writes

    def import_portfolio(
        self, portfolio: Portfolio, *, dry_run: bool = False, today: date | None = None
    ) -> ImportSummary:
        """Add a portfolio checked on its own (the sample) in one transaction; a code that already
        exists changes nothing. A dry run does all the work and the checks, then rolls back.

        Every rule of the data holds; only with `today` given are days after it refused (the
        sample is a portfolio as of its own day, loaded whatever the clock says)."""
        from pmo_tui.portfolio_file import portfolio_changes

        try:
            with self._writing() as session:
                importer = _Importer(session)
                importer.refuse_existing(portfolio)
                importer.run(portfolio, today=today)
                added, _ = portfolio_changes(portfolio, None)
                if dry_run:
                    raise _RolledBack(added)
        except _RolledBack as rolled_back:
            return ImportSummary(rolled_back.counts)
        return ImportSummary(added)

    def import_portfolio_text(
        self,
        text: str,
        source: str = "",
        *,
        question_ids: set[str] | None = None,
        dry_run: bool = False,
        today: date | None = None,
    ) -> ImportSummary:
        """Import a portfolio file in one transaction: new codes are added, existing ones updated
        (see merge_portfolio), and any error leaves the database as it was. Nothing may be dated
        after `today` (by default the real today), as in a form."""
        from pmo_tui.portfolio_file import parse_portfolio, portfolio_changes, shipped_question_ids

        ids = shipped_question_ids() if question_ids is None else question_ids
        try:
            with self._writing() as session:
                # Read and written in one transaction: no other writer can come between.
                current = _export_document(session)
                portfolio = parse_portfolio(text, source, ids, current=current)
                added, updated = portfolio_changes(portfolio, current)
                _Importer(session).run(portfolio, source, today=today or date.today())
                if dry_run:
                    raise _RolledBack(added, updated)
        except _RolledBack as rolled_back:
            return ImportSummary(rolled_back.counts, rolled_back.updated)
        return ImportSummary(added, updated)

    def import_measurements(
        self, rows: list[MeasurementRow], *, dry_run: bool = False, today: date | None = None
    ) -> ImportSummary:
        """KPI values from a checked CSV, in one transaction: each row's date is taken to the end of
        its KPI's period; a period that has a value gets the new one. Any unknown KPI, two rows
        for one period, or a period after the current one (that holding `today`, by default the
        real today) reject the whole file with the row's line."""
        try:
            with self._writing() as session:
                kpis = {
                    code: (kpi_id, cadence)
                    for kpi_id, code, cadence in session.exec(
                        select(Kpi.id, Kpi.code, Kpi.cadence).where(Kpi.code.in_({row.kpi for row in rows}))
                    )
                }
                values = _measurement_values(rows, kpis, today or date.today())
                counts = {"measurements": 0, "replaced measurements": 0}
                if values:
                    # Plain SQL with the rows as tuples, on the connection of this very transaction
                    # (no per-row parameter processing): a refusal or a dry run rolls them back too.
                    connection = session.connection()
                    count = "SELECT count(*) FROM measurement"
                    before = connection.exec_driver_sql(count).scalar_one()
                    notes = ", note = excluded.note" if any(row.note is not None for row in rows) else ""
                    with _revision_moved_once(connection, "measurement"):
                        connection.exec_driver_sql(
                            "INSERT INTO measurement (kpi_id, period, value, note) VALUES (?, ?, ?, ?) "
                            f"ON CONFLICT (kpi_id, period) DO UPDATE SET value = excluded.value{notes}",
                            values,
                        )
                    # Each row either adds a measurement or replaces the one of its period.
                    added = connection.exec_driver_sql(count).scalar_one() - before
                    counts = {"measurements": added, "replaced measurements": len(values) - added}
                if dry_run:
                    raise _RolledBack(counts)
        except _RolledBack as rolled_back:
            return ImportSummary(rolled_back.counts)
        return ImportSummary(counts)


def _measurement_values(
    rows: list[MeasurementRow], kpis: dict[str, tuple[int, str]], today: date
) -> list[tuple[int, str, float, str]]:
    """The rows as (kpi_id, period end, value, note) for the measurement table, in file order; an
    unknown KPI, a date whose period ends after the current one or past the last year, or two rows
    for one period raise PortfolioFileError with the row's line."""
    from pmo_tui.portfolio_file import PortfolioFileError

    ends: dict[tuple[date, str], str] = {}  # (day, cadence) -> the period's end as stored
    lines: dict[tuple[int, str], int] = {}
    values = []
    for row in rows:
        found = kpis.get(row.kpi)
        if found is None:
            raise PortfolioFileError(f"line {row.line}", f"no KPI with code “{row.kpi}”")
        kpi_id, cadence = found
        end = ends.get((row.period, cadence))
        if end is None:
            try:
                end = measurement_period(row.period, cadence, today).isoformat()
            except InvalidInput as error:
                raise PortfolioFileError(f"line {row.line}", f"{error.field}: {error.message}") from None
            ends[row.period, cadence] = end
        key = (kpi_id, end)
        if key in lines:
            raise PortfolioFileError(
                f"line {row.line}",
                f"{row.kpi}'s {cadence} period ending {end} already has a value on line {lines[key]}",
            )
        lines[key] = row.line
        values.append((kpi_id, end, row.value, row.note or ""))
    return values


def _project_figures(project: Any, latest: Any | None) -> calc.ProjectFigures:
    """The figures the formulas read: the project's own, and those of its latest status update
    (a Project and a ProjectUpdate, or rows with their column names)."""
    return calc.ProjectFigures(
        status=project.status,
        budget=project.budget,
        planned_finish=project.planned_finish,
        forecast_finish=latest.forecast_finish if latest else None,
        actual_finish=project.actual_finish,
        planned_value=latest.planned_value if latest else None,
        earned_value=latest.earned_value if latest else None,
        actual_cost=latest.actual_cost if latest else None,
        expected_benefit=project.expected_benefit,
        realised_benefit=project.realised_benefit,
        change_requests=latest.change_requests if latest else 0,
        open_risks=latest.open_risks if latest else 0,
        aligned=project.strategic_goal_id is not None,
    )


def _project_row(
    code: str, name: str, owner: str, status: str, goal_name: str | None, figures: calc.ProjectFigures
) -> ProjectRow:
    return ProjectRow(
        code=code,
        name=name,
        owner=owner,
        status=status,
        goal=goal_name,
        spi=calc.spi(figures.earned_value, figures.planned_value),
        cpi=calc.cpi(figures.earned_value, figures.actual_cost),
        schedule=calc.schedule_health(figures),
        budget=calc.budget_health(figures),
        days_late=calc.days_late(figures.planned_finish, figures.finish),
        on_time=calc.project_on_time(figures),
        within_budget=calc.project_within_budget(figures),
    )


def _recent_measurements(kpi_ids: list[int]) -> Any:
    """(kpi_id, period, value) of the last TILE_HISTORY measurements of each KPI, oldest first.

    Each KPI's cut-off period is found through the (kpi_id, period) index, so only the rows
    shown are read, never a KPI's whole history."""
    recent = Measurement.__table__.alias("recent")
    cutoff = (
        sa_select(recent.c.period)
        .where(recent.c.kpi_id == Kpi.id)
        .order_by(recent.c.period.desc())
        .limit(1)
        .offset(TILE_HISTORY - 1)
        .scalar_subquery()
    )
    # A KPI with fewer values has no cut-off: every one of its values is recent. The empty
    # string sorts before any stored date.
    since = func.coalesce(cutoff, literal_column("''"))
    return (
        sa_select(Measurement.kpi_id, Measurement.period, Measurement.value)
        .select_from(Kpi)
        .join(Measurement, (Measurement.kpi_id == Kpi.id) & (Measurement.period >= since))
        .where(Kpi.id.in_(kpi_ids))
        .order_by(Measurement.kpi_id, Measurement.period)
    )


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    # TOML has no null: a missing optional field is simply left out.
    return {key: value for key, value in record.items() if value is not None}


def _export_document(session: Session) -> dict[str, Any]:
    """The database in the portfolio-file layout, read inside the caller's transaction."""
    goal_code = {g.id: g.code for g in session.exec(select(StrategicGoal))}
    kpi_code = {k.id: k.code for k in session.exec(select(Kpi))}
    objective_code = {o.id: o.code for o in session.exec(select(Objective))}
    cycle_name = {c.id: c.name for c in session.exec(select(Cycle))}
    updates: dict[int, list[ProjectUpdate]] = defaultdict(list)
    for update in session.exec(select(ProjectUpdate).order_by(ProjectUpdate.on)):
        updates[update.project_id].append(update)
    measurements: dict[int, list[Measurement]] = defaultdict(list)
    for measurement in session.exec(select(Measurement).order_by(Measurement.period)):
        measurements[measurement.kpi_id].append(measurement)
    check_ins: dict[int, list[CheckIn]] = defaultdict(list)
    for check_in in session.exec(select(CheckIn).order_by(CheckIn.on, CheckIn.id)):
        check_ins[check_in.key_result_id].append(check_in)
    key_results: dict[int, list[KeyResult]] = defaultdict(list)
    for key_result in session.exec(select(KeyResult).order_by(KeyResult.code)):
        key_results[key_result.objective_id].append(key_result)
    answers: dict[int, list[Answer]] = defaultdict(list)
    for answer in session.exec(select(Answer).order_by(Answer.question_id)):
        answers[answer.assessment_id].append(answer)

    document: dict[str, Any] = {"format": "pmo-tui portfolio", "version": 1}
    document["goals"] = [
        _clean(
            {
                "code": g.code,
                "name": g.name,
                "description": g.description,
                "owner": g.owner,
                "active": g.active,
            }
        )
        for g in session.exec(select(StrategicGoal).order_by(StrategicGoal.code))
    ]
    document["projects"] = [
        _clean(
            {
                "code": p.code,
                "name": p.name,
                "owner": p.owner,
                "status": p.status,
                "goal": goal_code.get(p.strategic_goal_id),
                "start": p.start,
                "planned_finish": p.planned_finish,
                "actual_finish": p.actual_finish,
                "budget": p.budget,
                "expected_benefit": p.expected_benefit,
                "realised_benefit": p.realised_benefit,
                "updates": [
                    _clean(
                        {
                            "on": u.on,
                            "forecast_finish": u.forecast_finish,
                            "planned_value": u.planned_value,
                            "earned_value": u.earned_value,
                            "actual_cost": u.actual_cost,
                            "change_requests": u.change_requests,
                            "open_risks": u.open_risks,
                            "satisfaction": u.satisfaction,
                            "comment": u.comment,
                        }
                    )
                    for u in updates[p.id]
                ],
            }
        )
        for p in session.exec(select(Project).order_by(Project.code))
    ]
    document["kpis"] = [
        _clean(
            {
                "code": k.code,
                "name": k.name,
                "description": k.description,
                "unit": k.unit,
                "direction": k.direction,
                "target": k.target,
                "warning": k.warning,
                "indicator": k.indicator,
                "nature": k.nature,
                "owner": k.owner,
                "cadence": k.cadence,
                "goal": goal_code.get(k.strategic_goal_id),
                "source": k.source,
                "active": k.active,
                "last_reviewed": k.last_reviewed,
                "measurements": [
                    {"period": m.period, "value": m.value, "note": m.note} for m in measurements[k.id]
                ],
            }
        )
        for k in session.exec(select(Kpi).order_by(Kpi.code))
    ]
    document["cycles"] = [
        {"name": c.name, "start": c.start, "end": c.end, "status": c.status}
        for c in session.exec(select(Cycle).order_by(Cycle.start, Cycle.name))
    ]
    document["objectives"] = [
        _clean(
            {
                "code": o.code,
                "title": o.title,
                "cycle": cycle_name[o.cycle_id],
                "owner": o.owner,
                "goal": goal_code.get(o.strategic_goal_id),
                "parent": objective_code.get(o.parent_id),
                "carried_from": objective_code.get(o.carried_from_id),
                "status": o.status,
                "grade": o.grade,
                "key_results": [
                    _clean(
                        {
                            "code": kr.code,
                            "title": kr.title,
                            "kind": kr.kind,
                            "unit": kr.unit,
                            "baseline": kr.baseline,
                            "target": kr.target,
                            "band_low": kr.band_low,
                            "band_high": kr.band_high,
                            "weight": kr.weight,
                            "owner": kr.owner,
                            "kpi": kpi_code.get(kr.kpi_id),
                            "original_target": kr.original_target,
                            "target_change_reason": kr.target_change_reason,
                            "grade": kr.grade,
                            "archived": kr.archived or None,  # left out unless true
                            "check_ins": [
                                {
                                    "on": c.on,
                                    "value": c.value,
                                    "confidence": c.confidence,
                                    "comment": c.comment,
                                }
                                for c in check_ins[kr.id]
                            ],
                        }
                    )
                    for kr in key_results[o.id]
                ],
            }
        )
        for o in session.exec(select(Objective).order_by(Objective.code))
    ]
    document["assessments"] = [
        {
            "taken_on": a.taken_on,
            "status": a.status,
            "answers": [
                {"question": x.question_id, "level": x.level, "comment": x.comment} for x in answers[a.id]
            ],
        }
        for a in session.exec(select(Assessment).order_by(Assessment.taken_on, Assessment.id))
    ]
    return document


class _RolledBack(Exception):
    """Carries a dry run's counts out of the transaction it undoes."""

    def __init__(self, counts: dict[str, int], updated: dict[str, int] | None = None) -> None:
        super().__init__("dry run")
        self.counts = counts
        self.updated = updated or {}


class _Importer:
    """Writes a checked Portfolio inside the caller's transaction: a record whose code exists is
    updated in place (its rows replaced by the merged ones), any other is added."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _refuse(self, column: Any, where: str, records: list[dict[str, Any]], key: str) -> None:
        codes = [r[key] for r in records]
        if not codes:
            return
        clash = self.session.exec(select(column).where(column.in_(codes))).first()
        if clash is not None:
            from pmo_tui.portfolio_file import PortfolioFileError

            index = codes.index(clash)
            raise PortfolioFileError(f"{where}[{index}].{key}", f"{clash!r} already exists in the database")

    def refuse_existing(self, p: Portfolio) -> None:
        self._refuse(StrategicGoal.code, "goals", p.goals, "code")
        self._refuse(Project.code, "projects", p.projects, "code")
        self._refuse(Kpi.code, "kpis", p.kpis, "code")
        self._refuse(Cycle.name, "cycles", p.cycles, "name")
        self._refuse(Objective.code, "objectives", p.objectives, "code")
        key_results = [kr for o in p.objectives for kr in o["key_results"]]
        self._refuse(KeyResult.code, "key_results", key_results, "code")

    def _ids(self, column: Any, id_column: Any) -> dict[Any, int]:
        return dict(self.session.exec(sa_select(column, id_column)).all())

    def _put(self, model: Any, column: Any, key: Any, fields: dict[str, Any]) -> tuple[Any, bool]:
        """The record with this code, updated, or a new one; and whether it existed."""
        record = self.session.exec(select(model).where(column == key)).first()
        if record is None:
            record = model(**fields)
            self.session.add(record)
            return record, False
        for name, value in fields.items():
            setattr(record, name, value)
        return record, True

    def _rows(
        self,
        table: Any,
        parent: Any,
        parent_id: int,
        existed: bool,
        rows: list[dict[str, Any]],
        into: list[dict[str, Any]],
    ) -> None:
        """A record's rows are written whole: the merged list replaces what was there."""
        if existed:
            self.session.exec(delete(table).where(parent == parent_id))
        into += rows

    def _bulk(self, table: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.session.exec(insert(table), params=rows)

    def _check_rules(self, p: Portfolio, source: str, today: date | None) -> list[list[date]]:
        """The rules a form and the command line obey (see validation), on every record the import
        writes, before anything is written; a message names the record and field in the file.
        Returns each KPI's measurement periods taken to the end of their period, as typed in a form."""
        from pmo_tui.portfolio_file import PortfolioFileError

        prefix = f"{source}: " if source else ""

        def check(where: str, rule: Any, *args: Any) -> Any:
            try:
                return rule(*args)
            except InvalidInput as error:
                raise PortfolioFileError(f"{prefix}{where}", error.message) from None

        for i, project in enumerate(p.projects):
            start, budget = project["start"], project["budget"]
            for j, update in enumerate(project["updates"]):
                here = f"projects[{i}].updates[{j}]"
                if update["on"] < start or (today is not None and update["on"] > today):
                    check(f"{here}.on", check_status_update_day, update["on"], today, start)
                if update["earned_value"] > budget:
                    check(f"{here}.earned_value", check_earned_value, update["earned_value"], budget)

        periods: list[list[date]] = []
        ends: dict[tuple[date, str], date] = {}  # (day, cadence) -> the period's end
        for i, kpi in enumerate(p.kpis):
            cadence, held = kpi["cadence"], {}
            periods.append([])
            for j, measurement in enumerate(kpi["measurements"]):
                here = f"kpis[{i}].measurements[{j}].period"
                end = ends.get((measurement["period"], cadence))
                if end is None:
                    end = ends[measurement["period"], cadence] = check(
                        here, measurement_period, measurement["period"], cadence, today
                    )
                if end in held:
                    raise PortfolioFileError(
                        f"{prefix}{here}",
                        (
                            f"{measurement['period'].isoformat()} is in the {cadence} period ending "
                            f"{end.isoformat()}, which measurements[{held[end]}] already holds: "
                            "one value per period"
                        ),
                    )
                held[end] = j
                periods[-1].append(end)

        cycles = {
            name: (start, end)
            for name, start, end in self.session.exec(sa_select(Cycle.name, Cycle.start, Cycle.end)).all()
        }
        cycles.update((c["name"], (c["start"], c["end"])) for c in p.cycles)
        in_file = [o["code"] for o in p.objectives]
        for i, cycle in enumerate(p.cycles):
            # A cycle the file re-dates keeps the check-ins of its objectives the file leaves out.
            outside = _check_in_outside(
                self.session, cycle["start"], cycle["end"], cycle_name=cycle["name"], leaving_out=in_file
            )
            if outside is not None:
                field, message = outside
                raise PortfolioFileError(f"{prefix}cycles[{i}].{field}", message)
        for i, objective in enumerate(p.objectives):
            name = objective["cycle"]
            start, end = cycles[name]
            for j, key_result in enumerate(objective["key_results"]):
                here = f"objectives[{i}].key_results[{j}]"
                milestone = key_result["kind"] == "milestone"
                if milestone:
                    for field in ("baseline", "target", "original_target"):
                        if key_result[field] is not None:
                            check(f"{here}.{field}", check_milestone_value, key_result[field], field)
                for k, check_in in enumerate(key_result["check_ins"]):
                    on = check_in["on"]
                    if on < start or on > end or (today is not None and on > today):
                        check(f"{here}.check_ins[{k}].on", check_check_in_day, on, today, name, start, end)
                    if milestone:
                        check(
                            f"{here}.check_ins[{k}].value", check_milestone_value, check_in["value"], "value"
                        )
        return periods

    def run(self, p: Portfolio, source: str = "", *, today: date | None = None) -> None:
        """Write the portfolio; `today` None: no day is refused for being after today (the sample)."""
        session = self.session
        periods = self._check_rules(p, source, today)
        for record in p.goals:
            self._put(StrategicGoal, StrategicGoal.code, record["code"], record)
        session.flush()
        goal_id = self._ids(StrategicGoal.code, StrategicGoal.id)

        updates: list[dict[str, Any]] = []
        for record in p.projects:
            fields = {k: v for k, v in record.items() if k not in ("goal", "updates")}
            project, existed = self._put(
                Project,
                Project.code,
                record["code"],
                {**fields, "strategic_goal_id": goal_id.get(record["goal"])},
            )
            session.flush()
            self._rows(
                ProjectUpdate,
                ProjectUpdate.project_id,
                project.id,
                existed,
                [{**u, "project_id": project.id} for u in record["updates"]],
                updates,
            )
        self._bulk(ProjectUpdate, updates)

        measurements: list[dict[str, Any]] = []
        for record, ends in zip(p.kpis, periods, strict=True):
            fields = {k: v for k, v in record.items() if k not in ("goal", "measurements")}
            kpi, existed = self._put(
                Kpi,
                Kpi.code,
                record["code"],
                {
                    **fields,
                    "cadence_days": calc.cadence_days(record["cadence"]),
                    "strategic_goal_id": goal_id.get(record["goal"]),
                },
            )
            session.flush()
            self._rows(
                Measurement,
                Measurement.kpi_id,
                kpi.id,
                existed,
                [
                    {**m, "period": end, "kpi_id": kpi.id}
                    for m, end in zip(record["measurements"], ends, strict=True)
                ],
                measurements,
            )
        self._bulk(Measurement, measurements)
        kpi_id = self._ids(Kpi.code, Kpi.id)

        for record in p.cycles:
            self._put(Cycle, Cycle.name, record["name"], record)
        session.flush()
        cycle_id = self._ids(Cycle.name, Cycle.id)

        objectives: dict[str, Objective] = {}
        for record in p.objectives:
            fields = {
                k: v
                for k, v in record.items()
                if k not in ("goal", "cycle", "parent", "carried_from", "key_results")
            }
            objectives[record["code"]], _ = self._put(
                Objective,
                Objective.code,
                record["code"],
                {
                    **fields,
                    "cycle_id": cycle_id[record["cycle"]],
                    "strategic_goal_id": goal_id.get(record["goal"]),
                },
            )
        session.flush()
        objective_id = self._ids(Objective.code, Objective.id)
        check_ins: list[dict[str, Any]] = []
        for record in p.objectives:
            objective = objectives[record["code"]]
            # Links between objectives are set once every objective has an id.
            objective.parent_id = objective_id.get(record["parent"])
            objective.carried_from_id = objective_id.get(record["carried_from"])
            for kr in record["key_results"]:
                fields = {k: v for k, v in kr.items() if k not in ("kpi", "check_ins")}
                key_result, existed = self._put(
                    KeyResult,
                    KeyResult.code,
                    kr["code"],
                    {**fields, "objective_id": objective.id, "kpi_id": kpi_id.get(kr["kpi"])},
                )
                session.flush()
                self._rows(
                    CheckIn,
                    CheckIn.key_result_id,
                    key_result.id,
                    existed,
                    [{**c, "key_result_id": key_result.id} for c in kr["check_ins"]],
                    check_ins,
                )
        self._bulk(CheckIn, check_ins)
        session.flush()
        self._refuse_parent_loops(p, source)

        answers: list[dict[str, Any]] = []
        for record in p.assessments:
            assessment = session.exec(
                select(Assessment).where(Assessment.taken_on == record["taken_on"]).order_by(Assessment.id)
            ).first()
            existed = assessment is not None
            if assessment is None:
                assessment = Assessment(taken_on=record["taken_on"])
                session.add(assessment)
            assessment.status = record["status"]
            session.flush()
            self._rows(
                Answer,
                Answer.assessment_id,
                assessment.id,
                existed,
                [
                    {
                        "assessment_id": assessment.id,
                        "question_id": a["question"],
                        "level": a["level"],
                        "comment": a["comment"],
                    }
                    for a in record["answers"]
                ],
                answers,
            )
        self._bulk(Answer, answers)

    def _refuse_parent_loops(self, p: Portfolio, source: str) -> None:
        """A parent named by the file may be in the database: no objective may end up above itself."""
        parent = dict(self.session.exec(sa_select(Objective.id, Objective.parent_id)).all())
        code = dict(self.session.exec(sa_select(Objective.code, Objective.id)).all())
        for i, record in enumerate(p.objectives):
            start = code[record["code"]]
            seen, at = {start}, parent.get(start)
            while at is not None:
                if at in seen:
                    from pmo_tui.portfolio_file import PortfolioFileError

                    prefix = f"{source}: " if source else ""
                    raise PortfolioFileError(
                        f"{prefix}objectives[{i}].parent",
                        "would put the objective under itself (a loop of parents)",
                    )
                seen.add(at)
                at = parent.get(at)


def _check_in_outside(
    session: Session,
    start: date,
    end: date,
    *,
    cycle_name: str | None = None,
    objective_id: int | None = None,
    leaving_out: list[str] | None = None,
    cycle_words: str = "the cycle",
) -> tuple[str, str] | None:
    """The rule that a check-in's day lies within its key result's cycle, for a cycle that would
    run from `start` to `end`: of the check-ins stored for the objectives of the cycle now named
    `cycle_name` (less those coded in `leaving_out`), or for the objective `objective_id`, the
    earliest that would fall outside it, as (the field to correct: start or end, the message);
    None when every one fits. One query for the import, the cycle form and the objective form."""
    query = (
        sa_select(KeyResult.code, CheckIn.on)
        .join(KeyResult, KeyResult.id == CheckIn.key_result_id)
        .join(Objective, Objective.id == KeyResult.objective_id)
        .where((CheckIn.on < start) | (CheckIn.on > end))
    )
    if cycle_name is not None:
        query = query.join(Cycle, Cycle.id == Objective.cycle_id).where(Cycle.name == cycle_name)
    if objective_id is not None:
        query = query.where(Objective.id == objective_id)
    if leaving_out is not None:
        query = query.where(Objective.code.not_in(leaving_out))
    outside = session.exec(query.order_by(CheckIn.on)).first()
    if outside is None:
        return None
    code, on = outside
    return (
        "start" if on < start else "end",
        (
            f"key result {code} has a check-in on {on.isoformat()}, which would fall outside "
            f"{cycle_words}; a check-in lies within its key result's cycle"
        ),
    )


def _check_measurement_value(value: float) -> None:
    if not calc.is_number(value):
        raise InvalidInput("value", "enter a finite number")


def _check_check_in_values(value: float, confidence: float) -> None:
    """The last guard before a check-in is written, whoever called."""
    if not calc.is_number(value):
        raise InvalidInput("value", "enter a finite number")
    if not calc.is_number(confidence) or not 0 <= confidence <= 1:
        raise InvalidInput("confidence", "must be between 0 and 10")


def _cycle_info(cycle: Cycle, today: date) -> CycleInfo:
    return CycleInfo(
        cycle.name,
        cycle.start,
        cycle.end,
        cycle.status,
        calc.elapsed_share(cycle.start, cycle.end, today),
        live=_is_live(cycle, today),
    )


def _is_live(cycle: Cycle, today: date) -> bool:
    """Open and holding today: a current cycle, whatever other cycle holds today too."""
    return cycle.status == "open" and cycle.start <= today <= cycle.end


def _cycle_order(cycle: Cycle) -> tuple:
    """Of the cycles holding one day, the shortest first (a quarter before its year), then the
    one started last, then by name."""
    return (cycle.end - cycle.start).days, -cycle.start.toordinal(), cycle.name


def _key_result_row(
    kr: KeyResult,
    objective_code: str,
    check_ins: list[CheckInRecord],
    cycle: CycleInfo,
    today: date,
    kpi_code: str | None,
    live: bool,
) -> KeyResultRow:
    """A key result as it stands today: progress from its check-ins, pace against the cycle."""
    progress = calc.key_result_progress(
        kr.kind, kr.baseline, kr.target, [c.value for c in check_ins], kr.band_low, kr.band_high
    )
    last = check_ins[-1] if check_ins else None
    overdue = live and calc.check_in_overdue(last.on if last else None, cycle.start, today)
    return KeyResultRow(
        code=kr.code,
        title=kr.title,
        objective_code=objective_code,
        kind=kr.kind,
        unit=kr.unit,
        baseline=kr.baseline,
        target=kr.target,
        band_low=kr.band_low,
        band_high=kr.band_high,
        weight=kr.weight,
        owner=kr.owner,
        kpi_code=kpi_code,
        original_target=kr.original_target,
        target_change_reason=kr.target_change_reason,
        score=kr.grade,
        progress=progress,
        grade=calc.grade_band(kr.grade if kr.grade is not None else progress),
        pace=calc.pace(progress, cycle.elapsed, last.confidence if last else None, overdue),
        overdue=overdue,
        due=live and calc.check_in_due(last.on if last else None, today),
        check_ins=tuple(check_ins),
        archived=kr.archived,
    )


def _forecast_to_quarter_end(
    points: list[tuple[date, float]], cadence: str, today: date
) -> tuple[tuple[date, float], ...]:
    """The straight line through the last measurements, at each period end up to the quarter's end."""
    recent = points[-6:]
    if len(recent) < 2:
        return ()
    horizon = calc.quarter_end(today)
    result = []
    day = recent[-1][0]
    while True:
        day = calc.period_end(day + timedelta(days=1), cadence)
        if day > horizon or len(result) > 60:
            break
        value = calc.forecast(recent, day)
        if value is not None:
            result.append((day, value))
    return tuple(result)
