"""The data layer: opens the database, keeps its schema, and holds every query and every write.

One module per part of the domain (overview, kpis, okrs, check_ins, assessments, projects,
raid, transfer, changes, review), the database itself (database: opening, schema, revision,
transactions; dialect: the SQL only one database understands; sqlite_files: the file on disk). `Store` is the one
facade the screens and the command line call: each user action is one transaction, and callers
get plain values from `pmo_tui.records` back and never hold a live session.
"""

from __future__ import annotations

from pmo_tui.schema import APPLICATION_ID, PORTFOLIO_TABLES, SCHEMA_VERSION
from pmo_tui.store.assessments import AssessmentStore
from pmo_tui.store.changes import ChangeStore
from pmo_tui.store.check_ins import CheckInStore
from pmo_tui.store.database import BUSY_TIMEOUT, READ_AS_IT_IS, Database
from pmo_tui.store.errors import Conflict, DatabaseError, NotFound, PeriodTaken, ReadOnly
from pmo_tui.store.kpis import KpiStore
from pmo_tui.store.okrs import OkrStore
from pmo_tui.store.overview import TILE_HISTORY, OverviewStore
from pmo_tui.store.projects import ProjectStore
from pmo_tui.store.raid import RaidStore
from pmo_tui.store.review import ReviewStore
from pmo_tui.store.sqlite_files import SQLITE_HEADER, read_only_reason
from pmo_tui.store.transfer import TransferStore

__all__ = [
    "APPLICATION_ID",
    "BUSY_TIMEOUT",
    "PORTFOLIO_TABLES",
    "READ_AS_IT_IS",
    "SCHEMA_VERSION",
    "SQLITE_HEADER",
    "TILE_HISTORY",
    "Conflict",
    "DatabaseError",
    "NotFound",
    "PeriodTaken",
    "ReadOnly",
    "Store",
    "read_only_reason",
]


class Store(
    OverviewStore,
    KpiStore,
    OkrStore,
    CheckInStore,
    AssessmentStore,
    ProjectStore,
    RaidStore,
    TransferStore,
    ChangeStore,
    ReviewStore,
    Database,
):
    """One open pmo-tui database: every read and write of the application, one transaction each."""
