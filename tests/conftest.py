"""Shared fixtures: real SQLite files in tmp_path, the sample portfolio, and a fixed "today"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import TODAY  # noqa: F401  (re-exported for tests that import it from here)

from pmo_tui.locations import sample_portfolio_path
from pmo_tui.portfolio_file import Portfolio, read_portfolio
from pmo_tui.store import Store


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach the user's real database or cache: PMO_DB and the data and cache
    folders point at tmp."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.delenv("PMO_DB", raising=False)
    monkeypatch.delenv("PMO_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("HOME", str(home))


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
