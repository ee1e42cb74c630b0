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


class Conflict(DatabaseError):
    """An edit based on a version of a record that someone else has changed since: refused, so
    that their change is not silently overwritten. Says what changed and who changed it; the
    form reloads (keeping what the user typed) or the user overwrites knowingly."""

    def __init__(self, what: str, by: str, changed: tuple[str, ...] = ()) -> None:
        who = by or "someone else"
        fields = f" ({', '.join(changed)})" if changed else ""
        super().__init__(
            f"{what} was changed by {who} after you opened it{fields}; nothing was saved over it. "
            "Reload to see their change, or save again to overwrite it"
        )
        self.what = what
        self.by = by
        self.changed = changed
