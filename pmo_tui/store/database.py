"""Opening a database: the checks before it is touched, creating and upgrading its schema, its
revision and freshness, and the transactions every part of the store runs in."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from pmo_tui import models  # noqa: F401  (the tables, for create_all)
from pmo_tui.schema import APPLICATION_ID, SCHEMA_VERSION
from pmo_tui.store.dialect import SQLite
from pmo_tui.store.errors import DatabaseError, ReadOnly
from pmo_tui.store.sqlite_files import backup, check_file, read_only_reason

# The oldest schema a read-only opening (which cannot upgrade) reads as it is: schema 4 only
# added the file's identity, without which the overview is just not cached (Store.revision).
READ_AS_IT_IS = 3
# How long a statement waits for another program's lock before giving up with "database is
# locked" (seconds). Read from pmo_tui.store when an engine is made: tests make it short.
BUSY_TIMEOUT = 30.0

_Opened = TypeVar("_Opened", bound="Database")


def _busy_timeout() -> float:
    """BUSY_TIMEOUT as set on the package (pmo_tui.store.BUSY_TIMEOUT), where tests change it."""
    import pmo_tui.store

    return pmo_tui.store.BUSY_TIMEOUT


class Database:
    """One open pmo-tui database: its engine, and the one transaction of each user action."""

    def __init__(self, path: Path, engine: Engine, *, read_only_reason: str | None = None) -> None:
        self.path = path
        # Opened for reading only (a read-only file or folder, or --read-only): browsing, the
        # report and export work; every write raises ReadOnly before touching the database.
        self.read_only: bool = read_only_reason is not None
        self.read_only_reason = read_only_reason
        self._dialect = SQLite
        self._engine = engine
        self._write_engine = engine.execution_options(pmo_write=True)
        self._probe: sqlite3.Connection | None = None
        self._probe_lock = threading.Lock()
        self._unknown_versions = 0
        self._identified = True  # the file has its identity (see open and revision)

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls: type[_Opened],
        path: Path | str,
        *,
        create_folder: bool = False,
        read_only: bool = False,
        initialize: bool = False,
    ) -> _Opened:
        """Open (creating or upgrading if needed) the database at `path`, or raise DatabaseError.
        A read-only file or folder (or `read_only`) opens for reading only (see read_only_reason).

        A file that is there but holds no database (zero bytes, or SQLite's header and no table)
        becomes a pmo-tui database only with `initialize` (`pmo init`): another program may have
        made it for its own use. A missing file is created (and removed again should that fail)."""
        path = Path(path)
        reason = read_only_reason(path, read_only) if path.parent.is_dir() else None
        if reason is not None and not path.exists():
            raise DatabaseError(f"{path} does not exist, and cannot be created ({reason})")
        created = check_file(path, create_folder)
        # Look before touching: a file that is not ours must not even get its journal mode changed.
        application_id, version, tables = SQLite.inspect(path)
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
            backup(path, version)
        engine = SQLite.make_engine(path, busy_timeout=_busy_timeout(), read_only=reason is not None)
        try:
            # An up-to-date file is only read here: opening it must not change a byte.
            if fresh or upgrade:
                # One transaction: a creation or an upgrade cut short leaves the file as it was.
                with engine.execution_options(pmo_write=True).begin() as connection:
                    if fresh:
                        SQLModel.metadata.create_all(connection)
                    # A new file has the tables of models.py: schema 2's, then the steps after.
                    migrations = SQLite.migrations()
                    for step in range(2 if fresh else version, SCHEMA_VERSION):
                        for statement in migrations.get(step, []):
                            connection.exec_driver_sql(statement)
                    # Created, or upgraded in place: a new identity, this schema.
                    SQLite.stamp(connection)
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

    # ------------------------------------------------------------------ freshness

    def data_version(self) -> int:
        """A number that changes whenever anything is committed to the database: this app's writes
        or another pmo process's. Screens compare it to skip re-reading what has not changed."""
        with self._probe_lock:
            try:
                return self._dialect.data_version(self._probing())
            except sqlite3.Error:
                # Unknown is "changed": a screen then reads again rather than show stale figures.
                self._unknown_versions -= 1
                return self._unknown_versions

    def revision(self) -> str | None:
        """The database's identity and revision, "<identity>:<n>": the revision changes with every
        change committed to a portfolio table, by any program, and keeps its value from one
        session to the next (see dialect); the identity is the database's own, set when it was
        created or upgraded, so two databases never share a value. Read on the connection of
        data_version. None when it cannot be read now (the file locked by another program, say),
        or when an older file is read as it is (a read-only one: it has no identity yet)."""
        if not self._identified:
            return None
        with self._probe_lock:
            try:
                return self._dialect.read_revision(self._probing())
            except sqlite3.Error:
                return None

    def define_tables(self) -> None:
        """Nothing left to do: the table classes are defined when the store is imported. Kept
        for the callers of the former lazy definition."""

    def _read_revision(self, session: Session) -> str | None:
        """The revision as the transaction of `session` sees it (see revision)."""
        if not self._identified:
            return None
        return session.connection().exec_driver_sql(self._dialect.READ_REVISION).scalar_one()

    def _probing(self) -> sqlite3.Connection:
        """A read-only connection of its own that never writes (callers hold _probe_lock)."""
        if self._probe is None:
            self._probe = self._dialect.probe(self.path, _busy_timeout())
        return self._probe

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with Session(self._engine) as session, session.begin():
            yield session

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """One user action: everything inside commits together or not at all."""
        if self.read_only:
            raise ReadOnly(self.read_only_reason or "opened for reading only")
        with Session(self._write_engine) as session, session.begin():
            yield session
