"""What the data layer raises: a database refused, a change refused, a code unknown, a period taken."""

from __future__ import annotations

from datetime import date


class DatabaseError(Exception):
    """A database that pmo-tui will not open or change; the message says why."""


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
