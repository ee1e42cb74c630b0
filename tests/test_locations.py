"""Tests of pmo_tui.locations: which database file is used, and where the bundled files are."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from platformdirs import user_data_path

from pmo_tui.locations import (
    database_path,
    question_bank_path,
    sample_portfolio_path,
    user_data_dir,
)


def test_cli_path_beats_pmo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMO_DB", str(tmp_path / "from-env.db"))
    assert database_path(tmp_path / "from-cli.db") == tmp_path / "from-cli.db"


def test_cli_path_given_as_text(tmp_path: Path) -> None:
    assert database_path(str(tmp_path / "team.db")) == tmp_path / "team.db"


def test_pmo_db_beats_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMO_DB", str(tmp_path / "from-env.db"))
    assert database_path() == tmp_path / "from-env.db"
    assert database_path(None) == tmp_path / "from-env.db"


def test_default_lies_in_the_user_data_folder_of_pmo_tui() -> None:
    # The autouse fixture cleared PMO_DB and pointed XDG_DATA_HOME into tmp.
    path = database_path()
    assert path.parent == user_data_path("pmo-tui", appauthor=False)
    assert path.parent == user_data_dir()
    assert path.name == "portfolio.db"


def test_default_follows_xdg_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert database_path() == tmp_path / "xdg" / "pmo-tui" / "portfolio.db"


def test_empty_pmo_db_means_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMO_DB", "")
    assert database_path() == user_data_dir() / "portfolio.db"


def test_user_data_dir_is_not_created_by_asking(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    database_path()
    assert not (tmp_path / "xdg").exists()


def test_tilde_is_expanded_in_the_cli_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert database_path("~/work/team.db") == tmp_path / "work" / "team.db"


def test_tilde_is_expanded_in_pmo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("PMO_DB", "~/portfolio/pmo.db")
    assert database_path() == tmp_path / "portfolio" / "pmo.db"


def test_sample_portfolio_path_exists() -> None:
    path = sample_portfolio_path()
    assert path.is_file()
    assert tomllib.loads(path.read_text(encoding="utf-8"))["format"] == "pmo-tui portfolio"


def test_question_bank_path_exists() -> None:
    path = question_bank_path()
    assert path.is_file()
    assert tomllib.loads(path.read_text(encoding="utf-8"))["dimensions"]
