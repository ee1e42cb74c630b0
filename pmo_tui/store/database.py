"""Opening a database: the checks before it is touched, creating and upgrading its schema, its
revision and freshness, and the transactions every part of the store runs in."""

from __future__ import annotations

import getpass
import importlib.util
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Table, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError
from sqlmodel import Session

from pmo_tui import models
from pmo_tui.schema import APPLICATION_ID, SCHEMA_6_TABLES, SCHEMA_VERSION
from pmo_tui.store.dialect import APPLICATION, PostgreSQL, RevisionListener, SQLite, constraint_message
from pmo_tui.store.errors import DatabaseError, ReadOnly
from pmo_tui.store.sqlite_files import backup, check_file, read_only_reason

# The oldest schema a read-only opening (which cannot upgrade) reads as it is. Schema 4 only
# added the file's identity (without it the overview is just not cached, Store.revision), but
# schema 5 added a column every key result is read with (key_result.created): an older file
# must be upgraded by a pmo-tui that can write it before it is read.
READ_AS_IT_IS = 5
# How long a statement waits for another program's lock before giving up with "database is
# locked" (seconds). Read from pmo_tui.store when an engine is made: tests make it short.
BUSY_TIMEOUT = 30.0

# Seconds before a server's freshness probe tries again to LISTEN after it could not.
LISTEN_RETRY = 30.0

_Opened = TypeVar("_Opened", bound="Database")
# A database named by URL (postgresql+psycopg://user@host:5432/pmo) rather than by a file's path.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_database_url(location: str | Path) -> bool:
    """Whether `location` (--db, $PMO_DB) is a server's URL rather than a SQLite file's path."""
    return isinstance(location, str) and bool(_URL.match(location))


def shown_url(url: URL) -> str:
    """The URL as pmo-tui shows and keeps it: never with its password (replaced by ***)."""
    return url.render_as_string(hide_password=True)


def _server_words(error: BaseException) -> str:
    """The driver's own words for a failure, on one line (libpq never quotes the password)."""
    cause = getattr(error, "orig", None) or error
    return "; ".join(line.strip() for line in str(cause).splitlines() if line.strip()) or type(cause).__name__


def new_tables(fresh: bool) -> list[Table] | None:
    """The tables create_all makes: all of them in a new database, else those added by a later
    schema than the database's (create_all skips the ones already there)."""
    return None if fresh else [models.TABLES.tables[name] for name in SCHEMA_6_TABLES]


def login_name() -> str:
    """The operating system's login: who is working when nothing else says."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


@event.listens_for(Session, "before_flush")
def _move_versions(session: Session, _context: Any, _instances: Any) -> None:
    """Every change of a record moves its version (schema 6), whoever's code made it: an edit
    checks the version its form was opened with (common.check_version)."""
    for row in session.dirty:
        if hasattr(row, "version") and session.is_modified(row, include_collections=False):
            row.version = (row.version or 0) + 1


@event.listens_for(Session, "before_flush")
def _note_change_log(session: Session, _context: Any, _instances: Any) -> None:
    """The change-log rows a transaction adds, so that the store knows its own changes (see
    Database.own_change)."""
    written = [row for row in session.new if isinstance(row, models.ChangeLog)]
    if written:
        session.info.setdefault("change_log", []).extend(written)


def _busy_timeout() -> float:
    """BUSY_TIMEOUT as set on the package (pmo_tui.store.BUSY_TIMEOUT), where tests change it."""
    import pmo_tui.store

    return pmo_tui.store.BUSY_TIMEOUT


class Database:
    """One open pmo-tui database: its engine, and the one transaction of each user action."""

    def __init__(
        self,
        path: Path | None,
        engine: Engine,
        *,
        read_only_reason: str | None = None,
        dialect: type[SQLite] | type[PostgreSQL] = SQLite,
        location: str | None = None,
    ) -> None:
        # The SQLite file; None on a server, where `location` is the URL without its password.
        self.path = path
        self.location = location if location is not None else str(path)
        # Who is working (written as `by` of every change): --as sets it; else $PMO_USER, the
        # database role on a server (see _open_server), or the login.
        self.user = os.environ.get("PMO_USER", "").strip() or login_name()
        # A short name for the header: the file's, or the database's and its server's.
        self.name = path.name if path is not None else self.location
        # Opened for reading only (a read-only file or folder, or --read-only): browsing, the
        # report and export work; every write raises ReadOnly before touching the database.
        self.read_only: bool = read_only_reason is not None
        self.read_only_reason = read_only_reason
        self._dialect = dialect
        self._server_version = 0  # PostgreSQL's data_version: counts the revisions seen change
        self._server_revision: str | None = None
        # On a server: LISTEN for the revision's notifications (see data_version).
        self._listener: RevisionListener | None = None
        # When to try to listen: not at the first data_version (the start-up's overview read would
        # wait for a second connection), at the next; after a failure, LISTEN_RETRY later.
        self._listen_after: float | None = None
        self._wrote = False  # this store committed since its last data_version
        # On a server: its own connections' processes, whose notifications it passes over.
        self._own_sessions = PostgreSQL.own_sessions(engine) if dialect is PostgreSQL else None
        # The change-log ids this store wrote: another session's changes are noticed, not these.
        self._own_changes: set[int] = set()
        self._engine = engine
        self._write_engine = dialect.writing(engine)
        # A read is one consistent view, as SQLite's read transaction is: on a server, a snapshot
        # (REPEATABLE READ, which a transaction that only reads never has to retry).
        self._read_engine = (
            engine.execution_options(isolation_level="REPEATABLE READ") if dialect is PostgreSQL else engine
        )
        self._probe: sqlite3.Connection | None = None
        self._probe_lock = threading.Lock()
        # The read transaction this thread has open, which a read inside it joins (see _reading).
        self._open_read = threading.local()
        self._unknown_versions = 0
        self._identified = True  # the file has its identity (see open and revision)
        self._role = ""  # on a server, the role connected (current_user)

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
        if is_database_url(str(path)) and not isinstance(path, Path):
            return cls._open_server(str(path), read_only=read_only, initialize=initialize)
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
                    # A new file's every table; an older file's tables added since (schema 6's
                    # raid_item, review, change_log), before the steps that give them triggers.
                    models.TABLES.create_all(connection, tables=new_tables(fresh))
                    # A new file has the tables of models.py: schema 2's, then the steps after.
                    migrations = SQLite.migrations(fresh=fresh)
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

    @classmethod
    def _open_server(cls: type[_Opened], location: str, *, read_only: bool, initialize: bool) -> _Opened:
        """Open the PostgreSQL database at the URL `location`, creating its schema with
        `initialize` (`pmo init`) in an empty database, as Store.open does a file. A database of
        another application (a table not ours and no pmo_meta) or of a newer schema is refused
        and left untouched; so is an empty one without `initialize`."""
        try:
            url = make_url(location)
        except ArgumentError:
            raise DatabaseError("the --db URL cannot be read as a database URL") from None
        shown = shown_url(url)
        if url.get_backend_name() != "postgresql":
            raise DatabaseError(
                f"{shown}: pmo-tui opens SQLite files and PostgreSQL databases (postgresql+psycopg://...)"
            )
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
            shown = shown_url(url)
        if importlib.util.find_spec("psycopg") is None:
            raise DatabaseError(
                f'{shown}: the PostgreSQL driver is not installed: pip install "pmo-tui[postgresql]"'
            )
        reason = "opened with --read-only" if read_only else None
        engine = PostgreSQL.make_engine(url, read_only=read_only)
        try:
            # A look that changes nothing: no transaction around it (a BEGIN and a ROLLBACK more).
            with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as connection:
                application, version, tables, role, may_write = PostgreSQL.inspect(connection)
            # A role that may not add a check-in (a viewer's) reads only: the app then offers no
            # change the server would refuse, and says why.
            if reason is None and application == APPLICATION and not may_write:
                reason = f"the role {role} may read this database, not change it"
            fresh = application is None
            if application not in (None, APPLICATION) or (fresh and tables):
                raise DatabaseError(f"{shown} is a database of another application; it was left untouched")
            if fresh and not initialize:
                raise DatabaseError(
                    f"{shown} is an empty database, not a pmo-tui one; `pmo init` makes it one. "
                    "It was left untouched"
                )
            if version > SCHEMA_VERSION:
                raise DatabaseError(
                    f"{shown} was written by a newer pmo-tui (schema {version}; this one reads up to "
                    f"{SCHEMA_VERSION}); it was left untouched"
                )
            if reason is not None and (fresh or version < SCHEMA_VERSION):
                raise DatabaseError(
                    f"{shown} is opened read-only ({reason}) and must first be "
                    f"{'set up' if fresh else 'upgraded'} by this pmo-tui; it was left untouched"
                )
            if fresh or version < SCHEMA_VERSION:
                # One transaction (DDL is transactional on PostgreSQL too), under the write lock:
                # a second `pmo init` at the same moment waits, then finds the schema made.
                with engine.execution_options(pmo_write=True).begin() as connection:
                    application, version, tables, _, _ = PostgreSQL.inspect(connection)
                    created = application is None
                    models.TABLES.create_all(connection, tables=new_tables(created))
                    if created:
                        for statement in PostgreSQL.schema_sql():
                            connection.exec_driver_sql(statement)
                    if created or version < SCHEMA_VERSION:
                        migrations = PostgreSQL.migrations()
                        for step in range(SCHEMA_VERSION if created else version, SCHEMA_VERSION):
                            for statement in migrations.get(step, []):
                                connection.exec_driver_sql(statement)
                        PostgreSQL.stamp(connection, created=created)
        except DatabaseError:
            engine.dispose()
            raise
        except (SQLAlchemyError, OSError) as error:
            engine.dispose()
            raise DatabaseError(f"{shown} cannot be used as a database ({_server_words(error)})") from None
        store = cls(None, engine, read_only_reason=reason, dialect=PostgreSQL, location=shown)
        store.name = f"{url.database} on {url.host or 'localhost'}"
        store.user = os.environ.get("PMO_USER", "").strip() or role or login_name()
        store._role = role
        return store

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.location}>"

    def close(self) -> None:
        with self._probe_lock:
            if self._listener is not None:
                self._listener.close()
                self._listener = None
            if self._probe is not None:
                self._probe.close()
                self._probe = None
        self._engine.dispose()

    # ------------------------------------------------------------------ freshness

    def data_version(self) -> int:
        """A number that changes whenever anything is committed to the database: this app's writes
        or another pmo process's. Screens compare it to skip re-reading what has not changed."""
        if self._dialect is PostgreSQL:
            # No data_version on a server: a change of the revision is counted. It is read only
            # when the listener heard another session's commit (or cannot listen: then it is
            # polled); this store's own commits it counts itself, without a round trip (a screen
            # shown again after a save asks from the UI thread).
            with self._probe_lock:
                if self._wrote and self._listener is not None:
                    self._wrote = False
                    self._server_version += 1
                    return self._server_version
                if self._nothing_heard():
                    return self._server_version
            revision = self.revision()
            with self._probe_lock:
                if revision is None or revision != self._server_revision:
                    self._server_revision = revision
                    self._server_version += 1
                return self._server_version
        with self._probe_lock:
            try:
                return SQLite.data_version(self._probing())
            except sqlite3.Error:
                # Unknown is "changed": a screen then reads again rather than show stale figures.
                self._unknown_versions -= 1
                return self._unknown_versions

    def _nothing_heard(self) -> bool:
        """On a server: True when the listener is sure no other session committed since the last
        call, so the revision need not be read (callers hold _probe_lock): this store's own
        notifications, from its own connections' processes, are passed over. False when another
        session's was heard, when this store committed while not listening, and when not
        listening (an older database's trigger that does not notify, a lost connection: polling,
        until listening works again)."""
        wrote, self._wrote = self._wrote, False
        if self._listener is None:
            if self._listen_after is None:
                self._listen_after = 0.0
                return False
            if time.monotonic() < self._listen_after:
                return False
            self._listener = RevisionListener.open(self._engine)
            if self._listener is None:
                self._listen_after = time.monotonic() + LISTEN_RETRY
            return False  # what was committed before listening is read once
        heard = self._listener.heard()
        if heard is None:  # the connection was lost: listen anew at the next call
            self._listener = None
            return False
        assert self._own_sessions is not None  # a server's
        others = [pid for pid in heard if pid not in self._own_sessions.pids]
        return not others and not wrote

    def revision(self) -> str | None:
        """The database's identity and revision, "<identity>:<n>": the revision changes with every
        change committed to a portfolio table, by any program, and keeps its value from one
        session to the next (see dialect); the identity is the database's own, set when it was
        created or upgraded, so two databases never share a value. Read on the connection of
        data_version. None when it cannot be read now (the file locked by another program, say),
        or when an older file is read as it is (a read-only one: it has no identity yet)."""
        if not self._identified:
            return None
        if self._dialect is PostgreSQL:
            try:
                return PostgreSQL.read_revision(self._engine)
            except SQLAlchemyError:
                return None
        with self._probe_lock:
            try:
                return SQLite.read_revision(self._probing())
            except sqlite3.Error:
                return None

    def _read_revision(self, session: Session) -> str | None:
        """The revision as the transaction of `session` sees it (see revision)."""
        if not self._identified:
            return None
        return session.connection().exec_driver_sql(self._dialect.READ_REVISION).scalar_one()

    def _probing(self) -> sqlite3.Connection:
        """A read-only connection of its own that never writes (callers hold _probe_lock)."""
        if self._probe is None:
            assert self.path is not None  # SQLite's only
            self._probe = SQLite.probe(self.path, _busy_timeout())
        return self._probe

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        """One read transaction. A read made inside another on the same thread joins it: a screen's
        reads taken together see one state of the database, and on a server cost one BEGIN and
        one COMMIT, not one each."""
        joined = getattr(self._open_read, "session", None)
        if joined is not None:
            yield joined
            return
        with self._server_failures(), Session(self._read_engine) as session, session.begin():
            self._open_read.session = session
            try:
                yield session
            finally:
                self._open_read.session = None

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """One user action: everything inside commits together or not at all."""
        if self.read_only:
            raise ReadOnly(self.read_only_reason or "opened for reading only")
        with self._server_failures(), Session(self._write_engine) as session, session.begin():
            yield session
            session.flush()  # the change log's new rows get their ids, read before the commit
            written = {row.id for row in session.info.get("change_log", ())}
        self._wrote = True
        self._own_changes |= written

    def own_change(self, change_id: int) -> bool:
        """Whether the change-log row `change_id` was written by this store (this session)."""
        return change_id in self._own_changes

    @contextmanager
    def _server_failures(self) -> Iterator[None]:
        """On a server, what the server refuses or loses is told in plain words, naming the
        database (never its password): a unique rule a concurrent write ran into, a role that
        may only read, a connection lost (the next action connects again: see PostgreSQL.make_engine)."""
        if self._dialect is not PostgreSQL:
            yield
            return
        try:
            yield
        except IntegrityError as error:
            message = constraint_message(error)
            if message is None:
                raise
            raise DatabaseError(
                f"{message} (written meanwhile by someone else?); nothing was changed"
            ) from None
        except DBAPIError as error:
            state = getattr(getattr(error, "orig", None), "sqlstate", None) or ""
            if state == "42501" or state == "25006":  # insufficient privilege; read-only transaction
                if state == "42501":  # a contributor's role, say, that may not change projects
                    raise ReadOnly(f"the role {self._role} may not make this change") from None
                raise ReadOnly(f"the server lets {self.location} be read, not changed") from None
            if error.connection_invalidated or state.startswith("08") or state.startswith("57P"):
                raise DatabaseError(
                    f"{self.location}: the connection to the server was lost ({_server_words(error)}); "
                    "nothing was changed. Try again: pmo connects anew"
                ) from None
            raise
