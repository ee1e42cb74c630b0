"""The plain, read-only values the data layer hands to screens, the CLI and reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from pmo_tui.calculations import (
    Grade,
    Health,
    Pace,
    PortfolioFigures,
    SmartCriterion,
    Status,
    Trend,
)
from pmo_tui.calculations import kpi_band as calc_band


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
    last_reviewed: date | None = None
    band_low: float | None = None
    band_high: float | None = None

    @property
    def band(self) -> tuple[float, float] | None:
        """The target band, when the KPI has one in place of a target."""
        return calc_band(self.band_low, self.band_high)


@dataclass(frozen=True)
class MeasurementRecord:
    period: date
    value: float
    note: str
    by: str = ""  # who measured it ("": before pmo-tui kept it)
    version: int = 1  # what a correction is based on (store.Conflict)


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
    version: int = 1  # the KPI's: what its edit form is based on (store.Conflict)


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
    on_time: bool | None = None  # None when there is nothing to judge it by
    within_budget: bool | None = None
    bac: float | None = None  # the budget at completion
    estimate_at_completion: float | None = None  # EAC: actual cost once done
    variance_at_completion: float | None = None  # VAC = BAC − EAC: negative is an overrun


@dataclass(frozen=True)
class StatusUpdateRecord:
    """One dated status update of a project, with the indices it gives."""

    id: int
    on: date
    forecast_finish: date | None
    planned_value: float
    earned_value: float
    actual_cost: float
    change_requests: int
    open_risks: int
    satisfaction: float | None
    comment: str
    spi: float | None
    cpi: float | None
    by: str = ""  # who made it ("": before pmo-tui kept it)
    version: int = 1  # what a correction is based on (store.Conflict)


@dataclass(frozen=True)
class ProjectDetail:
    """Everything about one project: its definition, today's figures and health, its updates."""

    row: ProjectRow
    goal_code: str | None
    start: date
    planned_finish: date
    actual_finish: date | None
    forecast_finish: date | None
    budget: float
    planned_value: float | None
    earned_value: float | None
    actual_cost: float | None
    estimate_at_completion: float | None
    variance_at_completion: float | None
    expected_benefit: float
    realised_benefit: float
    roi: float | None
    change_requests: int
    open_risks: int
    satisfaction: float | None
    updates: tuple[StatusUpdateRecord, ...]  # oldest first
    version: int = 1  # the project's: what its edit form is based on (store.Conflict)

    @property
    def latest(self) -> StatusUpdateRecord | None:
        return self.updates[-1] if self.updates else None


@dataclass(frozen=True)
class AlignedProject:
    code: str
    name: str
    status: str
    budget: float


@dataclass(frozen=True)
class GoalRow:
    """A strategic goal with what is aligned to it and its share of the portfolio's budget."""

    code: str
    name: str
    description: str
    owner: str
    active: bool
    projects: tuple[AlignedProject, ...]
    kpis: tuple[tuple[str, str], ...]  # (code, name)
    objectives: tuple[tuple[str, str, str], ...]  # (code, title, cycle)
    budget_share: float | None  # 0–1
    version: int = 1  # what the goal's edit form is based on (store.Conflict)


@dataclass(frozen=True)
class GoalsView:
    goals: tuple[GoalRow, ...]
    unaligned: tuple[AlignedProject, ...]  # the projects that lower "aligned %"
    unaligned_share: float | None
    aligned_pct: float | None


@dataclass(frozen=True)
class CycleInfo:
    name: str
    start: date
    end: date
    status: str
    elapsed: float  # share of the cycle passed today: the expected progress
    live: bool = False  # open and holding today: one of the current cycles
    version: int = 1  # what the cycle's edit form is based on (store.Conflict)


@dataclass(frozen=True)
class CycleOffer:
    """A cycle a new objective can go to: the current one or the next; `exists` is False for
    a next cycle that saving will create (as long as the current one)."""

    name: str
    start: date
    end: date
    which: str  # "current" or "next"
    exists: bool = True


@dataclass(frozen=True)
class CheckInRecord:
    id: int
    on: date
    value: float
    confidence: float  # 0–1
    comment: str
    by: str = ""  # who checked in ("": before pmo-tui kept it)
    version: int = 1  # what a correction is based on (store.Conflict)


@dataclass(frozen=True)
class KeyResultRow:
    """One key result with where it stands: progress, pace, latest confidence, its check-ins."""

    code: str
    title: str
    objective_code: str
    kind: str
    unit: str
    baseline: float
    target: float
    band_low: float | None
    band_high: float | None
    weight: float
    owner: str
    kpi_code: str | None
    original_target: float | None
    target_change_reason: str
    score: float | None  # the grade stored when its cycle was closed
    progress: float
    grade: Grade  # colour band of the score once graded, of the progress before
    pace: Pace
    overdue: bool
    due: bool  # no check-in yet this week
    check_ins: tuple[CheckInRecord, ...]  # oldest first
    archived: bool = False
    version: int = 1  # what the key result's edit form is based on (store.Conflict)

    @property
    def latest(self) -> CheckInRecord | None:
        return self.check_ins[-1] if self.check_ins else None

    @property
    def value(self) -> float | None:
        return self.check_ins[-1].value if self.check_ins else None

    @property
    def confidence(self) -> float | None:
        return self.check_ins[-1].confidence if self.check_ins else None


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
    cycle: str = ""
    goal_code: str | None = None
    goal: str | None = None  # the strategic goal's name
    parent_code: str | None = None
    carried_from: str | None = None
    score: float | None = None  # the grade stored when its cycle was closed
    key_results: tuple[KeyResultRow, ...] = ()
    lint: tuple[str, ...] = ()  # what a coach would say is missing
    version: int = 1  # what the objective's edit form is based on (store.Conflict)


@dataclass(frozen=True)
class OkrBoard:
    """One cycle's objectives and key results, and the other cycles to pick from."""

    cycle: CycleInfo | None
    cycles: tuple[CycleInfo, ...]  # newest first
    objectives: tuple[ObjectiveRow, ...]
    current: str | None  # the name of the cycle holding today (the first of `currents`)
    # Every current cycle: more than one cycle can hold today (a year and its quarter).
    currents: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckInItem:
    """One key result as the check-in shows it."""

    key_result: KeyResultRow
    objective_title: str
    expected: float  # the progress that would be on pace today
    value_needed: float | None  # the value that would be on pace today
    kpi_value: float | None  # the linked KPI's latest measurement
    kpi_period: date | None
    cycle_end: date | None = None
    cycle: str = ""  # the name of the key result's cycle
    # When the trend of its check-ins reaches the target (None: it never will, or no trend yet).
    target_date: date | None = None
    trend_known: bool = False  # two check-ins or more of an increase or decrease
    owner: str = ""  # the key result's owner, else its objective's


@dataclass(frozen=True)
class CloseSummary:
    """A closed cycle's grades, and the objectives that are not finished."""

    cycle: CycleInfo
    objectives: tuple[ObjectiveRow, ...]
    unfinished: tuple[str, ...]  # objective codes scored below 1
    next_cycle: str  # the cycle unfinished objectives would be carried into
    carried: tuple[str, ...] = ()  # the copies made in next_cycle, when carried over on closing


@dataclass(frozen=True)
class Overview:
    """Everything the portfolio overview shows, computed for one day."""

    today: date
    figures: PortfolioFigures
    kpis: tuple[KpiSummary, ...]
    projects: tuple[ProjectRow, ...]
    # Every current cycle (more than one can hold today: a year and its quarter), the shortest
    # first; each objective says its cycle (ObjectiveRow.cycle).
    cycles: tuple[CycleInfo, ...]
    objectives: tuple[ObjectiveRow, ...]

    @property
    def cycle(self) -> CycleInfo | None:
        """The first current cycle (the shortest), or None."""
        return self.cycles[0] if self.cycles else None


@dataclass(frozen=True)
class SearchTarget:
    """Something the command palette can jump to."""

    kind: str  # "project", "kpi" or "objective"
    code: str
    title: str


@dataclass(frozen=True)
class ImportSummary:
    """How many records of each kind an import added, and how many it changed."""

    counts: dict[str, int]  # plural name of the kind of record -> how many were added
    updated: dict[str, int] = field(default_factory=dict)  # the same, for records changed

    @staticmethod
    def _listed(counts: dict[str, int]) -> str:
        return ", ".join(
            f"{count} {name.removesuffix('s') if count == 1 else name}"
            for name, count in counts.items()
            if count
        )

    def describe(self) -> str:
        return self._listed(self.counts) or "nothing"

    def sentence(self, dry_run: bool = False) -> str:
        """What the import did, or would do, as a sentence without its stop ("Added 2 KPIs; …")."""
        added, updated = self._listed(self.counts), self._listed(self.updated)
        parts = []
        if added:
            parts.append(f"{'would add' if dry_run else 'added'} {added}")
        if updated:
            parts.append(f"{'would update' if dry_run else 'updated'} {updated}")
        said = "; ".join(parts) or ("would change nothing" if dry_run else "changed nothing")
        return said[0].upper() + said[1:]


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


@dataclass(frozen=True)
class ChangeEntry:
    """One line of the change log: who did what to which record, and when (UTC)."""

    id: int
    at: datetime
    by: str
    record: str
    code: str
    action: str
    detail: str = ""

    @property
    def words(self) -> str:
        """The notice another session shows: "Priya Raman checked in Q4-O1-KR2"."""
        who = self.by or "someone"
        return f"{who} {self.action} {self.code}".rstrip()


@dataclass(frozen=True)
class RaidItemRecord:
    """One item of a project's RAID log, with its exposure (risks) and whether it is overdue."""

    project_code: str
    project_name: str
    code: str
    kind: str
    title: str
    owner: str
    status: str
    raised: date
    due: date | None
    closed: date | None
    note: str
    probability: int | None
    impact: int | None
    decided: date | None
    decided_by: str
    rationale: str
    version: int
    exposure: int | None = None
    overdue: bool = False

    def as_fields(self) -> dict[str, str]:
        """The item as a form or `pmo raid update` starts from: every field as typed text."""

        def day(value: date | None) -> str:
            return value.isoformat() if value else ""

        def score(value: int | None) -> str:
            return "" if value is None else str(value)

        return {
            "code": self.code,
            "kind": self.kind,
            "title": self.title,
            "owner": self.owner,
            "status": self.status,
            "raised": day(self.raised),
            "due": day(self.due),
            "closed": day(self.closed),
            "note": self.note,
            "probability": score(self.probability),
            "impact": score(self.impact),
            "decided": day(self.decided),
            "decided_by": self.decided_by,
            "rationale": self.rationale,
        }
