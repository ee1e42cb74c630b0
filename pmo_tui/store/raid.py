"""The RAID log: each project's risks, assumptions, issues, decisions and actions."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from pmo_tui import calculations as calc
from pmo_tui.models import Project, RaidItem
from pmo_tui.records import RaidItemRecord
from pmo_tui.store.common import check_version, find_project, found, ident, log_change, log_edit
from pmo_tui.store.database import Database
from pmo_tui.validation import InvalidInput, RaidEntry

# A RAID item's fields, as an entry (validation.RaidEntry) gives them.
_FIELDS = (
    "code",
    "kind",
    "title",
    "owner",
    "status",
    "raised",
    "due",
    "closed",
    "note",
    "probability",
    "impact",
    "decided",
    "decided_by",
    "rationale",
)


def raid_record(item: RaidItem, project: Project, today: date) -> RaidItemRecord:
    return RaidItemRecord(
        project_code=project.code,
        project_name=project.name,
        code=item.code,
        kind=item.kind,
        title=item.title,
        owner=item.owner,
        status=item.status,
        raised=item.raised,
        due=item.due,
        closed=item.closed,
        note=item.note,
        probability=item.probability,
        impact=item.impact,
        decided=item.decided,
        decided_by=item.decided_by,
        rationale=item.rationale,
        version=item.version,
        exposure=calc.risk_exposure(item.probability, item.impact) if item.kind == "risk" else None,
        overdue=calc.raid_overdue(item.status, item.due, today),
    )


def raid_label(project_code: str, code: str) -> str:
    """How the change log names an item: its code is unique only within its project."""
    return f"{project_code} {code}"


def find_raid_item(session: Session, project: Project, code: str) -> RaidItem:
    return found(
        session,
        RaidItem,
        (col(RaidItem.project_id) == project.id) & (col(RaidItem.code) == code),
        f"{project.code} has no RAID item {code!r}",
    )


def sorted_raid(records: list[RaidItemRecord]) -> tuple[RaidItemRecord, ...]:
    return tuple(
        sorted(
            records,
            key=lambda r: calc.raid_order(
                r.kind, r.status, r.exposure, r.due, r.raised, r.project_code, r.code
            ),
        )
    )


class RaidStore(Database):
    """The RAID log of every project: one transaction for each addition, edit, closing or deletion,
    each written to the change log, each edit checked against the version it was made on."""

    def raid_items(self, project_code: str, today: date) -> tuple[RaidItemRecord, ...]:
        """A project's RAID log: open items first, risks by exposure, actions by due day."""
        with self._reading() as session:
            project = find_project(session, project_code)
            items = session.exec(select(RaidItem).where(col(RaidItem.project_id) == project.id)).all()
            return sorted_raid([raid_record(item, project, today) for item in items])

    def portfolio_raid(
        self, today: date, *, kind: str | None = None, include_closed: bool = True
    ) -> tuple[RaidItemRecord, ...]:
        """Every project's RAID items (of `kind` only, when given), ordered as raid_items."""
        with self._reading() as session:
            query = select(RaidItem, Project).join(Project, col(Project.id) == col(RaidItem.project_id))
            if kind is not None:
                query = query.where(col(RaidItem.kind) == kind)
            if not include_closed:
                query = query.where(col(RaidItem.status) == "open")
            rows = session.exec(query).all()
            return sorted_raid([raid_record(item, project, today) for item, project in rows])

    def raid_item(self, project_code: str, code: str, today: date) -> RaidItemRecord:
        with self._reading() as session:
            project = find_project(session, project_code)
            return raid_record(find_raid_item(session, project, code), project, today)

    def next_raid_code(self, project_code: str, kind: str) -> str:
        """The code a new item of `kind` gets in this project (R1, A1, I1, D1, ACT1, …)."""
        with self._reading() as session:
            project = find_project(session, project_code)
            taken = session.exec(
                select(col(RaidItem.code)).where(col(RaidItem.project_id) == project.id)
            ).all()
            return calc.next_raid_code(kind, taken)

    def raid_codes(self, project_code: str) -> set[str]:
        with self._reading() as session:
            project = find_project(session, project_code)
            return set(
                session.exec(select(col(RaidItem.code)).where(col(RaidItem.project_id) == project.id)).all()
            )

    def save_raid_item(
        self,
        project_code: str,
        entry: RaidEntry,
        *,
        original_code: str | None = None,
        expected_version: int | None = None,
    ) -> str:
        """Add an item to a project's RAID log, or change the one coded `original_code` (made on
        its `expected_version`: someone else's change meanwhile is refused); returns its code."""
        with self._writing() as session:
            project = find_project(session, project_code)
            clash = session.exec(
                select(RaidItem).where(
                    col(RaidItem.project_id) == project.id, col(RaidItem.code) == entry.code
                )
            ).first()
            if clash is not None and entry.code != original_code:
                raise InvalidInput("code", f"{entry.code} is already “{clash.title}” in {project.code}")
            if original_code is None:
                item = RaidItem(
                    project_id=ident(project), code=entry.code, title=entry.title, raised=entry.raised
                )
            else:
                item = find_raid_item(session, project, original_code)
                label = raid_label(project.code, original_code)
                check_version(item, expected_version, f"{label} “{item.title}”", session, "raid_item", label)
            for name in _FIELDS:
                setattr(item, name, getattr(entry, name))
            session.add(item)
            label = raid_label(project.code, entry.code)
            if original_code is None:
                log_change(session, self.user, "raid_item", label, f"added {entry.kind}", entry.title[:60])
            else:  # the fields it changed, as every edit's change is logged
                log_edit(session, self.user, item, "raid_item", label)
            return entry.code

    def close_raid_item(
        self,
        project_code: str,
        code: str,
        on: date,
        *,
        today: date | None = None,
        expected_version: int | None = None,
    ) -> None:
        """Close an open item on the day `on`: not before it was raised, not after `today` (by
        default the real today)."""
        today = today or date.today()
        if on > today:
            raise InvalidInput("closed", f"{on.isoformat()} is after today ({today.isoformat()})")
        with self._writing() as session:
            project = find_project(session, project_code)
            item = find_raid_item(session, project, code)
            label = raid_label(project.code, code)
            check_version(item, expected_version, f"{label} “{item.title}”", session, "raid_item", label)
            if item.status == "closed":
                raise InvalidInput("status", f"{label} is already closed (on {_iso(item.closed)})")
            if on < item.raised:
                raise InvalidInput("closed", f"is before the day it was raised ({item.raised.isoformat()})")
            if item.kind == "decision" and not (item.decided and item.decided_by and item.rationale):
                raise InvalidInput(
                    "decided", f"{label} is a decision: record when, by whom and why it was made to close it"
                )
            item.status, item.closed = "closed", on
            log_change(session, self.user, "raid_item", label, "closed", on.isoformat())

    def reopen_raid_item(self, project_code: str, code: str, *, expected_version: int | None = None) -> None:
        """Open a closed item again (its closed day is cleared)."""
        with self._writing() as session:
            project = find_project(session, project_code)
            item = find_raid_item(session, project, code)
            label = raid_label(project.code, code)
            check_version(item, expected_version, f"{label} “{item.title}”", session, "raid_item", label)
            if item.status == "open":
                raise InvalidInput("status", f"{label} is already open")
            item.status, item.closed = "open", None
            log_change(session, self.user, "raid_item", label, "reopened")

    def delete_raid_item(self, project_code: str, code: str, *, expected_version: int | None = None) -> None:
        with self._writing() as session:
            project = find_project(session, project_code)
            item = find_raid_item(session, project, code)
            label = raid_label(project.code, code)
            check_version(item, expected_version, f"{label} “{item.title}”", session, "raid_item", label)
            session.delete(item)
            log_change(session, self.user, "raid_item", label, "deleted", item.title[:60])


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "an unknown day"
