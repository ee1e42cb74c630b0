"""The plain, read-only values the data layer hands to screens, the CLI and reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pmo_tui.calculations import (
    Grade,
    Health,
    Pace,
    PortfolioFigures,
    SmartCriterion,
    Status,
    Trend,
)


@dataclass(frozen=True)
class KpiSummary:
    """One KPI with its latest value and status, as the overview tiles and the KPI list show it."""

    code: str
    name: str
    unit: str
    direction: str
    indicator: str
    target: float | None
    warning: float | None
    value: float | None
    last_period: date | None
    status: Status
    overdue: bool
    history: tuple[float, ...]
    trend: Trend
    owner: str = ""
    cadence: str = "monthly"
    goal: str | None = None
    review_overdue: bool = False
    active: bool = True
    source: str = "entered"


@dataclass(frozen=True)
class MeasurementRecord:
    period: date
    value: float
    note: str


@dataclass(frozen=True)
class KpiDetail:
    """Everything the KPI detail screen shows of one KPI."""

    summary: KpiSummary
    description: str
    nature: str
    goal_code: str | None
    last_reviewed: date | None
    measurements: tuple[MeasurementRecord, ...]  # oldest first
    smart: tuple[SmartCriterion, ...]
    derived_value: float | None  # today's figure from project data, for a derived KPI
    forecast: tuple[tuple[date, float], ...]  # the linear trend to the end of the quarter
    record_period: date  # the period "record this period" and a new measurement default to


@dataclass(frozen=True)
class GoalOption:
    code: str
    name: str
    active: bool


@dataclass(frozen=True)
class ProjectRow:
    """One project with its current figures and health."""

    code: str
    name: str
    owner: str
    status: str
    goal: str | None
    spi: float | None
    cpi: float | None
    schedule: Health
    budget: Health
    days_late: int | None


@dataclass(frozen=True)
class CycleInfo:
    name: str
    start: date
    end: date
    status: str
    elapsed: float  # share of the cycle passed today: the expected progress


@dataclass(frozen=True)
class ObjectiveRow:
    """One objective of a cycle with its progress, pace and latest confidence."""

    code: str
    title: str
    owner: str
    status: str
    progress: float
    grade: Grade
    pace: Pace
    confidence: float | None
    key_result_count: int
    overdue_key_results: int


@dataclass(frozen=True)
class Overview:
    """Everything the portfolio overview shows, computed for one day."""

    today: date
    figures: PortfolioFigures
    kpis: tuple[KpiSummary, ...]
    projects: tuple[ProjectRow, ...]
    cycle: CycleInfo | None
    objectives: tuple[ObjectiveRow, ...]


@dataclass(frozen=True)
class SearchTarget:
    """Something the command palette can jump to."""

    kind: str  # "project", "kpi" or "objective"
    code: str
    title: str


@dataclass(frozen=True)
class ImportSummary:
    """How many records of each kind an import added."""

    counts: dict[str, int]  # plural name of the kind of record -> how many

    def describe(self) -> str:
        return ", ".join(
            f"{count} {name.removesuffix('s') if count == 1 else name}"
            for name, count in self.counts.items()
            if count
        ) or "nothing"


@dataclass(frozen=True)
class AnswerRecord:
    """One answer of a maturity self-assessment."""

    level: int
    comment: str = ""


@dataclass(frozen=True)
class AssessmentSummary:
    id: int
    taken_on: date
    status: str  # "in_progress" or "complete"
    answered: int
