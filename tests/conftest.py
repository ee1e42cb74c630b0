"""Shared fixtures: real SQLite files in tmp_path, the sample portfolio, and a fixed "today"."""

from __future__ import annotations

import html
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from pmo_tui.locations import question_bank_path, sample_portfolio_path
from pmo_tui.portfolio_file import Portfolio, read_portfolio
from pmo_tui.question_bank import load_question_bank
from pmo_tui.store import Store

# Every test sees the same day, so statuses, pace and snapshots never drift.
TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach the user's real database: PMO_DB and data folders point at tmp."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.delenv("PMO_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("HOME", str(home))


@pytest.fixture(scope="session")
def sample_portfolio() -> Portfolio:
    bank = load_question_bank(question_bank_path())
    return read_portfolio(sample_portfolio_path(), bank.question_ids)


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


def make_app(store: Store, *, today: date = TODAY, offer_sample: bool = False):
    """The app exactly as `pmo` builds it, with the fixed day of the tests."""
    from pmo_tui.app import PmoApp

    return PmoApp(store, today=today, offer_sample=offer_sample)


def screen_text(app) -> str:
    """What the terminal shows right now, as plain text (from the app's own screenshot)."""
    svg = app.export_screenshot()
    text = re.sub(r"<[^>]+>", "", svg)
    return html.unescape(text).replace("\xa0", " ")


async def settle(pilot) -> None:
    """Let workers finish and the screen repaint."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
