"""The change log: who did what, for the notices of other sessions and the conflict of an edit."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from pmo_tui.models import ChangeLog
from pmo_tui.records import ChangeEntry
from pmo_tui.store.database import Database


def _entry(row: ChangeLog) -> ChangeEntry:
    assert row.id is not None
    return ChangeEntry(row.id, row.at, row.by, row.record, row.code, row.action, row.detail)


class ChangeStore(Database):
    def last_change_id(self) -> int:
        """The newest change's id (0: none yet): where a session starts following the log."""
        with self._reading() as session:
            return int(session.exec(select(func.coalesce(func.max(ChangeLog.id), 0))).one() or 0)

    def changes_since(self, after: int, *, limit: int = 50) -> tuple[ChangeEntry, ...]:
        """The changes after the change `after`, oldest first (at most `limit`, the newest)."""
        with self._reading() as session:
            rows = session.exec(
                select(ChangeLog)
                .where(col(ChangeLog.id) > after)
                .order_by(col(ChangeLog.id).desc())
                .limit(limit)
            ).all()
            # Read inside the transaction: its rows are expired once it commits.
            return tuple(_entry(row) for row in reversed(rows))

    def others_changes_since(self, after: int, *, limit: int = 50) -> tuple[int, tuple[ChangeEntry, ...]]:
        """The newest change's id, and the changes after `after` that other sessions made, oldest
        first (at most `limit`, the newest): what a session following the log has to be told."""
        changes = self.changes_since(after, limit=limit)
        last = changes[-1].id if changes else after
        return last, tuple(change for change in changes if not self.own_change(change.id))

    def history_of(self, record: str, code: str, *, limit: int = 50) -> tuple[ChangeEntry, ...]:
        """Who did what to one record, newest first."""
        with self._reading() as session:
            rows = session.exec(
                select(ChangeLog)
                .where(col(ChangeLog.record) == record, col(ChangeLog.code) == code)
                .order_by(col(ChangeLog.id).desc())
                .limit(limit)
            ).all()
            return tuple(_entry(row) for row in rows)
