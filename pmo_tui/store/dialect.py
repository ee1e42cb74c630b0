"""Every piece of SQL that only one database understands, one class per database.

The rest of the data layer speaks SQLAlchemy, which both databases read alike; what differs
(PRAGMAs and BEGIN IMMEDIATE, the revision's triggers, `data_version`, the raw upsert, how a
database says whose it is and which schema it has) is here, behind the same few names.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from sqlalchemy import Date, Select, event, func, insert, literal, text, true
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session, col, create_engine

from pmo_tui.models import Kpi, Measurement
from pmo_tui.schema import (
    APPLICATION_ID,
    BAND_COLUMNS,
    PORTFOLIO_TABLES,
    SCHEMA_VERSION,
    SIGNED_TABLES,
    VERSIONED_TABLES,
)
from pmo_tui.store.errors import DatabaseError
from pmo_tui.store.sqlite_files import read_only_uri, wal_size


class SQLite:
    """A portfolio in one SQLite file: one writer at a time (BEGIN IMMEDIATE), the schema in the
    file's header (application_id, user_version), the revision moved by row triggers."""

    name = "sqlite"
    # The file's identity and revision in one value, "<identity>:<n>": the key of the overview cache.
    READ_REVISION = "SELECT identity || ':' || n FROM revision"
    NEW_REVISION = "UPDATE revision SET n = random() WHERE id = 1"
    # A new identity for the file: set when it is created, and again when it is upgraded in place
    # (so nothing kept for the file as it was, the overview cache say, is taken for the file as it is).
    NEW_IDENTITY = "UPDATE revision SET identity = lower(hex(randomblob(16))) WHERE id = 1"

    @classmethod
    def revision_sql(cls) -> list[str]:
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
                statements.append(cls.revision_trigger_sql(table, change))
        return statements

    @classmethod
    def revision_trigger_sql(cls, table: str, change: str) -> str:
        return (
            f"CREATE TRIGGER IF NOT EXISTS revision_{table}_{change.lower()} AFTER {change} "
            f"ON {table} BEGIN {cls.NEW_REVISION}; END"
        )

    @classmethod
    def migrations(cls, *, fresh: bool = False) -> dict[int, list[str]]:
        """Upgrades from one schema version to the next: {from_version: [SQL statements]}. A
        `fresh` file, made from models.py, has every column already: only the revision's steps."""
        return {
            1: ["ALTER TABLE key_result ADD COLUMN archived BOOLEAN NOT NULL DEFAULT 0"],
            2: cls.revision_sql(),
            # The file's identity, kept beside its revision (see NEW_IDENTITY; set by Store.open).
            3: ["ALTER TABLE revision ADD COLUMN identity TEXT"],
            # The day a key result was created (see calculations.check_in_overdue).
            4: [] if fresh else ["ALTER TABLE key_result ADD COLUMN created DATE"],
            # Who made what, every record's version; the new tables come from models.py (see
            # Store.open), and move the revision too.
            5: ([] if fresh else schema_6_columns())
            + [
                cls.revision_trigger_sql(t, c)
                for t in ("raid_item", "review")
                for c in ("INSERT", "UPDATE", "DELETE")
            ],
        }

    @classmethod
    def stamp(cls, connection: Connection) -> None:
        """Mark a created or upgraded file as pmo-tui's, of this schema, with a new identity."""
        connection.exec_driver_sql(cls.NEW_IDENTITY)
        connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @staticmethod
    def inspect(path: Path) -> tuple[int, int, int]:
        """(application_id, user_version, number of tables) as SQLite itself reads the file, commits
        still in its -wal file included, without changing the file."""
        # Every commit in the file itself: immutable, so a refused file (another program's WAL
        # database, say) gets no -wal or -shm beside it. Else read through the -wal, as SQLite
        # does for every connection (read-only: nothing is written to the file; SQLite may make
        # the -shm index of the -wal beside it).
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1" if wal_size(path) == 0 else read_only_uri(path)
        try:
            connection = sqlite3.connect(uri, uri=True)
            try:
                application_id = connection.execute("PRAGMA application_id").fetchone()[0]
                version = connection.execute("PRAGMA user_version").fetchone()[0]
                tables = connection.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                ).fetchone()[0]
            finally:
                connection.close()
        except sqlite3.Error as error:
            raise DatabaseError(f"{path} cannot be read as a database ({error})") from None
        return application_id, version, tables

    @staticmethod
    def make_engine(path: Path, *, busy_timeout: float, read_only: bool = False) -> Engine:
        """The engine of the database at `path`: read and written, or opened for reading only
        (SQLite's mode=ro, so that nothing pmo does can write it: see read_only_uri)."""
        if read_only:
            uri = read_only_uri(path)
            engine = create_engine(
                f"sqlite:///{path}",
                creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=busy_timeout),
            )
        else:
            engine = create_engine(
                f"sqlite:///{path}",
                connect_args={"check_same_thread": False, "timeout": busy_timeout},
            )
        busy_ms = int(busy_timeout * 1000)

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

    @staticmethod
    def writing(engine: Engine) -> Engine:
        """The engine of write transactions: BEGIN IMMEDIATE (see make_engine)."""
        return engine.execution_options(pmo_write=True)

    @staticmethod
    def probe(path: Path, busy_timeout: float) -> sqlite3.Connection:
        """A read-only connection of its own that never writes, for data_version and the revision.
        As the store's own connections read it (see read_only_uri): a read-only file or folder
        gets nothing created beside it. It waits little for a lock (the interface asks it, and
        an unknown version only means "read again"): not sqlite3's 5 s."""
        return sqlite3.connect(
            read_only_uri(path), uri=True, check_same_thread=False, timeout=min(busy_timeout, 0.5)
        )

    @staticmethod
    def data_version(probe: sqlite3.Connection) -> int:
        """SQLite's `PRAGMA data_version` counts commits made by *other* connections, so it is read
        on the probe, a connection of its own that never writes."""
        return probe.execute("PRAGMA data_version").fetchone()[0]

    @classmethod
    def read_revision(cls, probe: sqlite3.Connection) -> str:
        return probe.execute(cls.READ_REVISION).fetchone()[0]

    @classmethod
    @contextmanager
    def revision_moved_once(cls, connection: Connection, table: str) -> Iterator[None]:
        """For one bulk statement on `table` inside a write transaction: its insert and update
        triggers are set aside and the revision moved once. Each row's trigger costs a statement
        journal (about 12 µs, more than the row itself: 100,000 measurements took twice as long).
        DDL is transactional in SQLite: a refusal or a dry run rolls all of it back."""
        for change in ("insert", "update"):
            connection.exec_driver_sql(f"DROP TRIGGER revision_{table}_{change}")
        yield
        connection.exec_driver_sql(cls.NEW_REVISION)
        for change in ("INSERT", "UPDATE"):
            connection.exec_driver_sql(cls.revision_trigger_sql(table, change))

    @classmethod
    def upsert_measurements(
        cls,
        connection: Connection,
        values: list[tuple[int, str, float, str]],
        *,
        notes: bool,
        by: str = "",
    ) -> None:
        """Plain SQL with the rows as tuples, on the connection of the caller's transaction (no
        per-row parameter processing): a refusal or a dry run rolls them back too. A period that
        has a value gets the new one (and its note, when `notes`), made `by` the importer, its
        version moved as the ORM moves it."""
        also = ", note = excluded.note" if notes else ""
        with cls.revision_moved_once(connection, "measurement"):
            connection.exec_driver_sql(
                'INSERT INTO measurement (kpi_id, period, value, note, "by") VALUES (?, ?, ?, ?, ?) '
                f"ON CONFLICT (kpi_id, period) DO UPDATE SET value = excluded.value{also}, "
                '"by" = excluded."by", version = measurement.version + 1',
                [(*row, by) for row in values],
            )

    @staticmethod
    def bulk_insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
        """Many new rows of one table, in the session's transaction."""
        session.execute(insert(model), params=rows)

    @staticmethod
    def recent_measurements(kpi_ids: list[int | None], history: int) -> Select:
        """(kpi_id, period, value) of the last `history` measurements of each KPI, oldest first.

        Each KPI's cut-off period is found through the (kpi_id, period) index, so only the rows
        shown are read, never a KPI's whole history."""
        recent = Measurement.__table__.alias("recent")  # type: ignore[attr-defined]
        cutoff = (
            sa_select(recent.c.period)
            .where(recent.c.kpi_id == col(Kpi.id))
            .order_by(recent.c.period.desc())
            .limit(1)
            .offset(history - 1)
            .scalar_subquery()
        )
        # A KPI with fewer values has no cut-off: every one of its values is recent. The first
        # day there is comes before any stored date (not `coalesce(date, '')`).
        since = func.coalesce(cutoff, literal(date.min, Date))
        return (
            sa_select(col(Measurement.kpi_id), col(Measurement.period), col(Measurement.value))
            .select_from(Kpi)
            .join(Measurement, (col(Measurement.kpi_id) == col(Kpi.id)) & (col(Measurement.period) >= since))
            .where(col(Kpi.id).in_(kpi_ids))
            .order_by(col(Measurement.kpi_id), col(Measurement.period))
        )


# The application's name in pmo_meta, PostgreSQL's stand-in for SQLite's application_id.
APPLICATION = "pmo-tui"
# The key of the advisory lock every write transaction takes on PostgreSQL ("PMOT").
WRITE_LOCK = APPLICATION_ID
# The channel the revision's trigger notifies on PostgreSQL at every commit that changed a table.
NOTIFY_CHANNEL = "pmo_revision"


class ServerLook(NamedTuple):
    """A PostgreSQL database as PostgreSQL.inspect finds it."""

    application: str | None
    version: int
    tables: int
    role: str
    may_write: bool


class PostgreSQL:
    """A portfolio on a PostgreSQL server, many sessions at once. What SQLite's single writer
    guaranteed comes from locks and constraints: every write transaction first takes one
    transaction-scoped advisory lock (so a check-in's read-then-write, the next free code, an
    import's whole merge run one at a time, as with BEGIN IMMEDIATE), and unique constraints
    (one check-in per key result and day, one measurement per KPI and period, unique codes)
    refuse whatever would slip past, a program other than pmo-tui say. The schema version and
    the application's identity live in the pmo_meta table; the revision is moved by one
    statement-level trigger per table."""

    name = "postgresql"
    READ_REVISION = "SELECT identity || ':' || n FROM revision"
    META = "pmo_meta"
    # A random 64-bit revision, as on SQLite (a restored backup changed otherwise must not come
    # back to an earlier value), moved once per statement that changes a portfolio table.
    NEW_REVISION = "UPDATE revision SET n = (floor(random() * 9.2e18))::bigint WHERE id = 1"
    NEW_IDENTITY = (
        "UPDATE revision SET identity = md5(random()::text || clock_timestamp()::text) WHERE id = 1"
    )

    @classmethod
    def schema_sql(cls) -> list[str]:
        """What create_all does not make: the revision, its trigger, the unique rules SQLite's
        single writer kept by itself, and the table that says whose the database is."""
        statements = [
            f"CREATE TABLE {cls.META} (application TEXT NOT NULL, schema_version INTEGER NOT NULL, "
            "identity TEXT NOT NULL)",
            "CREATE TABLE revision (id INTEGER PRIMARY KEY CHECK (id = 1), n BIGINT NOT NULL, identity TEXT)",
            "INSERT INTO revision (id, n) VALUES (1, 0)",
            cls.revision_function_sql(),
            'CREATE UNIQUE INDEX one_check_in_per_key_result_and_day ON check_in (key_result_id, "on")',
        ]
        for table in PORTFOLIO_TABLES:
            statements.append(
                f"CREATE TRIGGER revision_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION pmo_revision_moved()"
            )
        return statements

    @classmethod
    def revision_function_sql(cls, *, replace: bool = False) -> str:
        """The function of the revision's triggers. Once per transaction: the same row updated by
        every statement of a large import would leave a chain of versions each later update walks
        (quadratic time). It also notifies NOTIFY_CHANNEL, which the server delivers to every
        listening session when (and only if) the transaction commits: another session's Store
        then knows at once that something changed, without polling (see RevisionListener)."""
        return (
            f"CREATE {'OR REPLACE ' if replace else ''}FUNCTION pmo_revision_moved() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "IF current_setting('pmo.revision_moved', true) IS DISTINCT FROM '1' THEN "
            f"{cls.NEW_REVISION}; PERFORM set_config('pmo.revision_moved', '1', true); "
            f"PERFORM pg_notify('{NOTIFY_CHANNEL}', ''); "
            "END IF; RETURN NULL; END $$"
        )

    @classmethod
    def migrations(cls) -> dict[int, list[str]]:
        """Upgrades from one schema version to the next. PostgreSQL databases start at schema 4."""
        return {
            4: ["ALTER TABLE key_result ADD COLUMN created DATE"],
            5: schema_6_columns()
            + [
                f"CREATE TRIGGER revision_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION pmo_revision_moved()"
                for table in ("raid_item", "review")
            ],
        }

    @classmethod
    def stamp(cls, connection: Connection, *, created: bool) -> None:
        """Mark a created or upgraded database as pmo-tui's, of this schema, with a new identity."""
        connection.exec_driver_sql(cls.NEW_IDENTITY)
        identity = connection.exec_driver_sql("SELECT identity FROM revision").scalar_one()
        if created:
            connection.execute(
                text(f"INSERT INTO {cls.META} (application, schema_version, identity) VALUES (:a, :v, :i)"),
                {"a": APPLICATION, "v": SCHEMA_VERSION, "i": identity},
            )
        else:
            # An older database's trigger function may not notify yet (see revision_function_sql).
            connection.exec_driver_sql(cls.revision_function_sql(replace=True))
            connection.execute(
                text(f"UPDATE {cls.META} SET schema_version = :v, identity = :i"),
                {"v": SCHEMA_VERSION, "i": identity},
            )

    @classmethod
    def inspect(cls, connection: Connection) -> ServerLook:
        """What the database is, without changing it, in two statements (each a round trip):
        its application (None when there is no pmo_meta table: an empty database, or another
        application's), schema version and number of tables, the role connected, and whether
        that role may add a check-in, the least a role that writes may do (a contributor's,
        see the README's Team use; a viewer's may not)."""
        tables, has_meta, role, may_write = connection.exec_driver_sql(
            "SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()), "
            f"to_regclass('{cls.META}') IS NOT NULL, current_user, "
            "coalesce(has_table_privilege(to_regclass('check_in'), 'INSERT'), false)"
        ).one()
        if not has_meta:
            return ServerLook(None, 0, tables, role, may_write)
        row = connection.exec_driver_sql(f"SELECT application, schema_version FROM {cls.META}").first()
        if row is None:
            return ServerLook("", 0, tables, role, may_write)
        return ServerLook(row[0], row[1], tables, role, may_write)

    @staticmethod
    def make_engine(url: Any, *, read_only: bool = False) -> Engine:
        """The engine of the database at `url` (a SQLAlchemy URL; the password, if any, from it,
        else libpq's PGPASSWORD or ~/.pgpass). Read-only: the server itself refuses every write
        of the session.

        A connection the server ended (a restart, an administrator) is found out and replaced
        when it is taken from the pool, by reading what its socket holds: no round trip, where
        pool_pre_ping sends one before every transaction. One lost without a word (a network
        gone) fails its action with a clear message, and the pool connects anew for the next."""
        options = {"options": "-c default_transaction_read_only=on"} if read_only else {}
        engine = create_engine(url, connect_args={"connect_timeout": 10, **options})
        _OWN_SESSIONS[engine] = OwnSessions(engine)  # from its first connection on

        @event.listens_for(engine, "checkout")
        def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
            import psycopg

            try:
                read_waiting(dbapi_connection)
            except psycopg.Error:
                raise DisconnectionError("the server ended the connection") from None

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Any) -> None:
            # One writer at a time, as SQLite's BEGIN IMMEDIATE: held until commit or rollback.
            if connection.get_execution_options().get("pmo_write", False):
                lock = f"SELECT pg_advisory_xact_lock({WRITE_LOCK})"
                if connection.connection.dbapi_connection.autocommit:
                    # The driver sends no BEGIN of its own (see writing): the transaction is
                    # begun and the lock taken in one round trip to the server, not two.
                    lock = f"BEGIN; {lock}"
                connection.exec_driver_sql(lock)

        return engine

    @staticmethod
    def own_sessions(engine: Engine) -> OwnSessions:
        """The server processes of the engine's open connections (see OwnSessions)."""
        return _OWN_SESSIONS[engine]

    @staticmethod
    def writing(engine: Engine) -> Engine:
        """The engine of write transactions: each takes the write lock (see make_engine), and
        the driver is left in autocommit so that it does not send BEGIN on its own first: the
        begin event sends it, with the lock. COMMIT and ROLLBACK are the driver's as ever."""
        return engine.execution_options(pmo_write=True, isolation_level="AUTOCOMMIT")

    @classmethod
    def read_revision(cls, engine: Engine) -> str:
        # One statement, one round trip: no transaction around it (whose ROLLBACK would also
        # have the driver drop its prepared statements, one more round trip at the next query).
        with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as connection:
            return connection.exec_driver_sql(cls.READ_REVISION).scalar_one()

    @staticmethod
    def bulk_insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
        """Many new rows of one table, in the session's transaction: PostgreSQL's COPY (a
        statement per row otherwise: seconds for a large portfolio's import)."""
        columns = list(rows[0])
        if any(len(row) != len(columns) or any(c not in row for c in columns) for row in rows):
            session.execute(insert(model), params=rows)  # rows of differing fields: as they are
            return
        table = model.__table__
        names = ", ".join(f'"{table.c[c].name}"' for c in columns)
        cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])

    @staticmethod
    def recent_measurements(kpi_ids: list[int | None], history: int) -> Select:
        """(kpi_id, period, value) of the last `history` measurements of each KPI, oldest first:
        a LATERAL join, one index scan of `history` rows per KPI (the form SQLite runs well has
        PostgreSQL evaluate its cut-off once per measurement: seconds on a large portfolio)."""
        recent = (
            sa_select(col(Measurement.period), col(Measurement.value))
            .where(col(Measurement.kpi_id) == col(Kpi.id))
            .order_by(col(Measurement.period).desc())
            .limit(history)
            .lateral("recent")
        )
        return (
            sa_select(col(Kpi.id), recent.c.period, recent.c.value)
            .select_from(Kpi)
            .join(recent, true())
            .where(col(Kpi.id).in_(kpi_ids))
            .order_by(col(Kpi.id), recent.c.period)
        )

    @classmethod
    def upsert_measurements(
        cls,
        connection: Connection,
        values: list[tuple[int, str, float, str]],
        *,
        notes: bool,
        by: str = "",
    ) -> None:
        """One statement for every row (arrays unnested): the revision's trigger fires once."""
        also = ", note = excluded.note" if notes else ""
        kpi_ids, periods, numbers, texts = (list(column) for column in zip(*values, strict=True))
        connection.exec_driver_sql(
            'INSERT INTO measurement (kpi_id, period, value, note, "by") '
            "SELECT *, %s::text FROM unnest(%s::integer[], %s::date[], %s::float8[], %s::text[]) "
            f"ON CONFLICT (kpi_id, period) DO UPDATE SET value = excluded.value{also}, "
            '"by" = excluded."by", version = measurement.version + 1',
            (by, kpi_ids, [date.fromisoformat(p) for p in periods], numbers, texts),
        )


def schema_6_columns() -> list[str]:
    """Schema 6's new columns of older tables, the same on both databases: who made each
    check-in, measurement and status update, every editable record's version, and a KPI's band."""
    statements = [f"ALTER TABLE kpi ADD COLUMN {bound} FLOAT" for bound in BAND_COLUMNS]
    statements += [
        f"ALTER TABLE {table} ADD COLUMN \"by\" TEXT NOT NULL DEFAULT ''" for table in SIGNED_TABLES
    ]
    statements += [
        f"ALTER TABLE {table} ADD COLUMN version INTEGER NOT NULL DEFAULT 1" for table in VERSIONED_TABLES
    ]
    return statements


def dialect_of(session: Session) -> type[SQLite] | type[PostgreSQL]:
    """The dialect of the database a session is bound to."""
    return PostgreSQL if session.get_bind().dialect.name == "postgresql" else SQLite


# The constraints a concurrent or outside write may run into, in the user's words.
CONSTRAINT_MESSAGES = {
    "one_check_in_per_key_result_and_day": "that key result already has a check-in on that day",
    "one_measurement_per_kpi_and_period": "that KPI already has a value for that period",
    "one_update_per_project_and_day": "that project already has a status update on that day",
    "one_answer_per_question": "that statement already has an answer",
}


def constraint_message(error: Exception) -> str | None:
    """The plain message of a unique constraint a write ran into (PostgreSQL names it), or None."""
    diag = getattr(getattr(error, "orig", None), "diag", None)
    name = getattr(diag, "constraint_name", None)
    if not name:
        return None
    if name in CONSTRAINT_MESSAGES:
        return CONSTRAINT_MESSAGES[name]
    if name.endswith("_key") or name.startswith("ix_"):
        table = getattr(diag, "table_name", None) or "record"
        return f"another {table.replace('_', ' ')} already has that code or name"
    return None


# The OwnSessions of each engine made by PostgreSQL.make_engine.
_OWN_SESSIONS: WeakKeyDictionary[Engine, OwnSessions] = WeakKeyDictionary()


class OwnSessions:
    """The server processes of an engine's open connections: a notification from one of them is
    this store's own commit, which it knows of without being told."""

    def __init__(self, engine: Engine) -> None:
        self.pids: set[int] = set()

        @event.listens_for(engine, "connect")
        def _connected(dbapi_connection: Any, record: Any) -> None:
            record.info["pmo_pid"] = dbapi_connection.info.backend_pid
            self.pids.add(record.info["pmo_pid"])

        # A closed connection's process number may later be another session's.
        @event.listens_for(engine, "close")
        def _closed(_dbapi_connection: Any, record: Any) -> None:
            self.pids.discard(record.info.pop("pmo_pid", None))

        @event.listens_for(engine, "invalidate")
        def _invalidated(_dbapi_connection: Any, record: Any, _error: Any) -> None:
            self.pids.discard(record.info.pop("pmo_pid", None))


class RevisionListener:
    """PostgreSQL's LISTEN on NOTIFY_CHANNEL, on a connection of its own (autocommit, outside the
    pool): `heard()` says, without a round trip to the server, whether any session has committed a
    change since it was last asked. The notifications are read from the socket without waiting
    (libpq's PQconsumeInput), so asking costs no query; only when something was heard does the store
    read the revision. `open` gives None when the database's trigger does not notify (one made
    before it did) or the server cannot be reached: the store then polls the revision."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    @classmethod
    def open(cls, engine: Engine) -> RevisionListener | None:
        import psycopg

        args, params = engine.dialect.create_connect_args(engine.url)
        try:
            connection = psycopg.connect(*args, **{"connect_timeout": 10, **params}, autocommit=True)
        except psycopg.Error:
            return None
        try:
            notifies = connection.execute(
                "SELECT coalesce(bool_or(position('pg_notify' in prosrc) > 0), false) FROM pg_proc "
                "WHERE proname = 'pmo_revision_moved' AND pronamespace = current_schema()::regnamespace"
            ).fetchone()
            if not (notifies and notifies[0]):
                connection.close()
                return None
            connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
        except psycopg.Error:
            connection.close()
            return None
        return cls(connection)

    def heard(self) -> list[int] | None:
        """The server processes of the sessions that committed since the last call, one per
        notification (none: nothing was committed since); None when the connection is lost (it
        is closed: the caller polls, and listens anew)."""
        import psycopg

        try:
            return read_waiting(self._connection)
        except psycopg.Error:
            self.close()
            return None

    def close(self) -> None:
        import contextlib

        with contextlib.suppress(Exception):
            self._connection.close()


def read_waiting(connection: Any) -> list[int]:
    """What the server sent on a psycopg connection since it was last read, read from its socket
    without waiting (libpq's PQconsumeInput), so without a round trip: the server process of the
    session behind each notification that arrived. Raises psycopg.OperationalError when the
    server has ended the connection."""
    import psycopg

    heard = []
    with connection.lock:
        # Twice: a connection the server ended shows first its error and only at the next read
        # its end.
        for _ in range(2):
            connection.pgconn.consume_input()
            while (notification := connection.pgconn.notifies()) is not None:
                heard.append(notification.be_pid)
        if connection.pgconn.status != psycopg.pq.ConnStatus.OK:
            raise psycopg.OperationalError("the server ended the connection")
    return heard
