"""The tables of the pmo-tui database (SQLModel over SQLite or PostgreSQL); only the data layer touches them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Integer, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from pmo_tui.schema import APPLICATION_ID, SCHEMA_VERSION  # noqa: F401  (named here too)

# A count a portfolio file may give as any TOML integer (64 bits): BIGINT on PostgreSQL, whose
# INTEGER has 32; SQLite's INTEGER holds 64 bits already (and its tables stay as they were).
BIG_INTEGER = BigInteger().with_variant(Integer(), "sqlite")


def _version() -> Any:
    """The record's version (schema 6): moved by every change (see store.database), and checked
    by every edit against the version its form was opened with, so that no one's edit silently
    overwrites another's."""
    return Field(default=1, sa_column_kwargs={"server_default": text("1"), "nullable": False})


def _by() -> Any:
    """Who made the record (schema 6): the user working (--as, PMO_USER, the database role or the
    login); empty for records made before pmo-tui kept it."""
    return Field(default="", sa_column_kwargs={"server_default": text("''"), "nullable": False})


def _parent(table_column: str, *, nullable: bool, cascade: bool = False) -> Column:
    """A foreign-key column; children of a deleted owner go with it, references are cleared."""
    return Column(
        Integer,
        ForeignKey(table_column, ondelete="CASCADE" if cascade else "SET NULL"),
        nullable=nullable,
        index=True,
    )


class StrategicGoal(SQLModel, table=True):
    __tablename__ = "strategic_goal"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)
    name: str
    description: str = ""
    owner: str = ""
    active: bool = True
    version: int = _version()


class Project(SQLModel, table=True):
    __tablename__ = "project"
    __table_args__ = (
        CheckConstraint("budget >= 0", name="project_budget_not_negative"),
        CheckConstraint(
            "status IN ('proposed','active','on_hold','done','cancelled')",
            name="project_status_known",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)
    name: str
    owner: str = ""
    status: str = "active"
    strategic_goal_id: int | None = Field(default=None, sa_column=_parent("strategic_goal.id", nullable=True))
    start: date
    planned_finish: date
    actual_finish: date | None = None
    budget: float = 0.0
    expected_benefit: float = 0.0
    realised_benefit: float = 0.0
    version: int = _version()


class ProjectUpdate(SQLModel, table=True):
    """A dated status update; the latest one carries the project's current figures."""

    __tablename__ = "project_update"
    __table_args__ = (
        UniqueConstraint("project_id", "on", name="one_update_per_project_and_day"),
        CheckConstraint(
            "planned_value >= 0 AND earned_value >= 0 AND actual_cost >= 0",
            name="update_values_not_negative",
        ),
        CheckConstraint("change_requests >= 0 AND open_risks >= 0", name="update_counts_not_negative"),
        CheckConstraint(
            "satisfaction IS NULL OR (satisfaction >= 0 AND satisfaction <= 100)",
            name="update_satisfaction_is_percent",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=_parent("project.id", nullable=False, cascade=True))
    on: date
    forecast_finish: date | None = None
    planned_value: float = 0.0
    earned_value: float = 0.0
    actual_cost: float = 0.0
    change_requests: int = Field(default=0, sa_type=BIG_INTEGER)
    open_risks: int = Field(default=0, sa_type=BIG_INTEGER)
    satisfaction: float | None = None
    comment: str = ""
    by: str = _by()
    version: int = _version()


class Kpi(SQLModel, table=True):
    __tablename__ = "kpi"
    __table_args__ = (
        CheckConstraint("direction IN ('higher','lower')", name="kpi_direction_known"),
        CheckConstraint("indicator IN ('leading','lagging')", name="kpi_indicator_known"),
        CheckConstraint("nature IN ('quantitative','qualitative')", name="kpi_nature_known"),
        CheckConstraint("cadence_days > 0", name="kpi_cadence_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)
    name: str
    description: str = ""
    unit: str = ""
    direction: str = "higher"
    target: float | None = None
    warning: float | None = None
    # A target band (schema 6): the value should stay between them; above is as bad as below.
    band_low: float | None = None
    band_high: float | None = None
    indicator: str = "lagging"
    nature: str = "quantitative"
    owner: str = ""
    cadence: str = "monthly"
    cadence_days: int = Field(default=31, sa_type=BIG_INTEGER)
    strategic_goal_id: int | None = Field(default=None, sa_column=_parent("strategic_goal.id", nullable=True))
    # "entered", or the name of a portfolio formula the KPI is derived from.
    source: str = "entered"
    active: bool = True
    last_reviewed: date | None = None
    version: int = _version()


class Measurement(SQLModel, table=True):
    __tablename__ = "measurement"
    __table_args__ = (UniqueConstraint("kpi_id", "period", name="one_measurement_per_kpi_and_period"),)

    id: int | None = Field(default=None, primary_key=True)
    kpi_id: int = Field(sa_column=_parent("kpi.id", nullable=False, cascade=True))
    # The last day of the period the value stands for.
    period: date = Field(index=True)
    value: float
    note: str = ""
    by: str = _by()
    version: int = _version()


class Cycle(SQLModel, table=True):
    __tablename__ = "cycle"
    __table_args__ = (
        CheckConstraint('"end" >= start', name="cycle_ends_after_start"),
        CheckConstraint("status IN ('open','closed','archived')", name="cycle_status_known"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    start: date
    end: date
    status: str = "open"
    version: int = _version()


class Objective(SQLModel, table=True):
    __tablename__ = "objective"
    __table_args__ = (
        CheckConstraint("status IN ('draft','active','done','archived')", name="objective_status_known"),
        CheckConstraint("grade IS NULL OR (grade >= 0 AND grade <= 1)", name="grade_0_to_1"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)
    title: str
    cycle_id: int = Field(sa_column=_parent("cycle.id", nullable=False, cascade=True))
    owner: str = ""
    strategic_goal_id: int | None = Field(default=None, sa_column=_parent("strategic_goal.id", nullable=True))
    parent_id: int | None = Field(default=None, sa_column=_parent("objective.id", nullable=True))
    # The objective of an earlier cycle this one was carried over from.
    carried_from_id: int | None = Field(default=None, sa_column=_parent("objective.id", nullable=True))
    status: str = "active"
    grade: float | None = None
    version: int = _version()


class KeyResult(SQLModel, table=True):
    __tablename__ = "key_result"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('increase','decrease','within_band','milestone')",
            name="key_result_kind_known",
        ),
        CheckConstraint("weight > 0", name="key_result_weight_positive"),
        CheckConstraint("grade IS NULL OR (grade >= 0 AND grade <= 1)", name="kr_grade_0_to_1"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)
    title: str
    objective_id: int = Field(sa_column=_parent("objective.id", nullable=False, cascade=True))
    kind: str = "increase"
    unit: str = ""
    baseline: float = 0.0
    target: float = 1.0
    band_low: float | None = None
    band_high: float | None = None
    weight: float = 1.0
    owner: str = ""
    kpi_id: int | None = Field(default=None, sa_column=_parent("kpi.id", nullable=True))
    # A changed target keeps the first one on record, with the reason given.
    original_target: float | None = None
    target_change_reason: str = ""
    grade: float | None = None
    # Kept for the record, out of the objective's progress and the check-in (schema 2).
    archived: bool = False
    # The day it was created (schema 5; None: before that, or imported): the first check-in is
    # due a week after it, or a week after the cycle's start if that is later.
    created: date | None = None
    version: int = _version()


class CheckIn(SQLModel, table=True):
    __tablename__ = "check_in"
    __table_args__ = (CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_0_to_1"),)

    id: int | None = Field(default=None, primary_key=True)
    key_result_id: int = Field(sa_column=_parent("key_result.id", nullable=False, cascade=True))
    on: date = Field(index=True)
    value: float
    confidence: float
    comment: str = ""
    by: str = _by()
    version: int = _version()


class Assessment(SQLModel, table=True):
    __tablename__ = "assessment"
    __table_args__ = (
        CheckConstraint("status IN ('in_progress','complete')", name="assessment_status_known"),
    )

    id: int | None = Field(default=None, primary_key=True)
    taken_on: date
    status: str = "in_progress"
    updated_at: datetime | None = None


class Answer(SQLModel, table=True):
    __tablename__ = "answer"
    __table_args__ = (
        UniqueConstraint("assessment_id", "question_id", name="one_answer_per_question"),
        CheckConstraint("level >= 1 AND level <= 5", name="answer_level_1_to_5"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(sa_column=_parent("assessment.id", nullable=False, cascade=True))
    question_id: str
    level: int
    comment: str = ""


class RaidItem(SQLModel, table=True):
    """A risk, assumption, issue, decision or action of a project's RAID log (schema 6)."""

    __tablename__ = "raid_item"
    __table_args__ = (
        UniqueConstraint("project_id", "code", name="raid_code_unique_in_project"),
        CheckConstraint("kind IN ('risk','assumption','issue','decision','action')", name="raid_kind_known"),
        CheckConstraint("status IN ('open','closed')", name="raid_status_known"),
        CheckConstraint(
            "probability IS NULL OR (probability >= 1 AND probability <= 5)", name="raid_probability_1_to_5"
        ),
        CheckConstraint("impact IS NULL OR (impact >= 1 AND impact <= 5)", name="raid_impact_1_to_5"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=_parent("project.id", nullable=False, cascade=True))
    # Unique within the project ("R1", "A3"): how an import matches the item.
    code: str
    kind: str = "risk"
    title: str
    owner: str = ""
    status: str = "open"
    raised: date
    due: date | None = None
    closed: date | None = None
    note: str = ""
    # Risks: each 1-5; their product is the exposure.
    probability: int | None = None
    impact: int | None = None
    # Decisions: the day decided, who decided, and why.
    decided: date | None = None
    decided_by: str = ""
    rationale: str = ""
    version: int = _version()


class Review(SQLModel, table=True):
    """A portfolio review marked done (schema 6): the baseline of "what changed since"."""

    __tablename__ = "review"

    id: int | None = Field(default=None, primary_key=True)
    on: date = Field(index=True)
    by: str = _by()


class ChangeLog(SQLModel, table=True):
    """Who did what (schema 6): one row per create, edit, retirement, deletion, check-in,
    measurement, status update and target change, written in the transaction of the change."""

    __tablename__ = "change_log"

    id: int | None = Field(default=None, primary_key=True)
    # When, in UTC.
    at: datetime
    by: str = _by()
    # What kind of record ("key_result", "project", ...), and its code ("Q4-O1-KR2").
    record: str
    code: str = ""
    # What was done, in words ("checked in", "edited", "retired", "deleted", ...).
    action: str
    # A short summary ("55% · 7/10", "budget, owner").
    detail: str = ""


# Every table above, for creating a new database's schema (Store.open, pmo init).
TABLES = SQLModel.metadata
