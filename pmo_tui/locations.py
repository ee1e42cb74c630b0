"""Where pmo-tui keeps its files: every path is computed by a function, never at import time."""

from __future__ import annotations

import os
from datetime import date
from importlib import resources
from pathlib import Path

APP_NAME = "pmo-tui"
DB_ENV = "PMO_DB"
CACHE_ENV = "PMO_CACHE_DIR"
DB_FILE_NAME = "portfolio.db"


def user_data_dir() -> Path:
    """The platform's per-user data folder for pmo-tui (not created here)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def user_cache_dir() -> Path:
    """Where pmo-tui keeps what it can compute again (`$PMO_CACHE_DIR`, else the platform's
    per-user cache folder); not created here."""
    from_env = os.environ.get(CACHE_ENV)
    if from_env:
        return Path(from_env).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def database_path(cli_path: str | os.PathLike[str] | None = None) -> Path:
    """The database to open: `--db PATH`, else `$PMO_DB`, else the user data folder."""
    if cli_path:
        return Path(cli_path).expanduser()
    from_env = os.environ.get(DB_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return user_data_dir() / DB_FILE_NAME


def is_default_database(cli_path: str | os.PathLike[str] | None = None) -> bool:
    """True when neither `--db` nor `$PMO_DB` names the database: its folder is ours to create."""
    return not cli_path and not os.environ.get(DB_ENV)


def sample_portfolio_path() -> Path:
    """The bundled sample portfolio: inside the wheel, or `sample_data/` of a source checkout."""
    packaged = Path(str(resources.files("pmo_tui"))) / "sample_data" / "portfolio.toml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "sample_data" / "portfolio.toml"


# The day the bundled sample portfolio is seen on (sample_data/generate.py's TODAY), and the
# latest day anything is recorded in it (a status update). `pmo demo` and `pmo init --sample` move
# its dates by whole weeks, so weekdays stay as they were, as far as they go with nothing recorded
# after today: the sample's own day lands within a week of today and its check-ins are fresh.
SAMPLE_TODAY = date(2026, 11, 20)
SAMPLE_LATEST_ENTRY = date(2026, 11, 15)


def sample_weeks(today: date) -> int:
    """How many whole weeks the sample's dates move to be seen on `today` (negative: back)."""
    return (today - SAMPLE_LATEST_ENTRY).days // 7


def question_bank_path() -> Path:
    """The maturity question bank (TOML), shipped inside the package."""
    return Path(str(resources.files("pmo_tui") / "maturity_questions.toml"))
