"""What changed since the last portfolio review: the portfolio on a baseline day against today.

Pure functions over the portfolio's history (measurements, check-ins, status updates and RAID
items, each with its day), so the screen, the command line and the report list the same
changes. Both days are judged by today's definitions (targets, cadences, cycles): a change
listed here is a change in what happened, not in how it is measured.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from pmo_tui import calculations as calc
from pmo_tui.formatting import format_confidence, format_value

# With no review marked done, the review looks back a week.
DEFAULT_LOOKBACK_DAYS = 7


class ChangeGroup(StrEnum):
    """The kinds of change, in the order a review goes through them."""

    KPI_STATUS = "kpi_status"
    KEY_RESULTS = "key_results"
    PROJECTS = "projects"
    OVERDUE = "overdue"
    MISSED_CHECK_INS = "missed_check_ins"
    RAID = "raid"

    @property
    def heading(self) -> str:
        return _GROUP_TITLES[self]


_GROUP_TITLES = {
    ChangeGroup.KPI_STATUS: "KPIs whose status changed",
    ChangeGroup.KEY_RESULTS: "Key results slipping",
    ChangeGroup.PROJECTS: "Projects slipping",
    ChangeGroup.OVERDUE: "Newly overdue",
    ChangeGroup.MISSED_CHECK_INS: "Missed check-ins",
    ChangeGroup.RAID: "RAID items opened and closed",
}


class Movement(StrEnum):
    """Which way a change went, as a symbol and a word (never a colour alone)."""

    WORSE = "worse"
    BETTER = "better"
    NEW = "new"
    CHANGED = "changed"

    @property
    def symbol(self) -> str:
        return {"worse": "↘", "better": "↗", "new": "+", "changed": "~"}[self.value]

    @property
    def label(self) -> str:
        return f"{self.symbol} {self.value}"


@dataclass(frozen=True)
class Change:
    """One line of the review: what record, what about it changed, before and after."""

    group: ChangeGroup
    # The record to open: its kind ("kpi", "key_result", "project", "raid_item") and code.
    record: str
    code: str
    name: str
    # What changed about it ("status", "pace", "confidence", "forecast finish", ...).
    aspect: str
    before: str
    after: str
    movement: Movement
    owner: str = ""
    # A RAID item's project (its code is unique within the project only).
    project: str = ""
    # A forecast finish's slip, in days.
    days: int | None = None


@dataclass(frozen=True)
class Changes:
    """Every change between the baseline day and today, grouped, and where the baseline came from."""

    baseline: date
    today: date
    # The day of the review marked done the baseline is, or None: a week back by default.
    reviewed_on: date | None
    reviewed_by: str
    lines: tuple[Change, ...]

    def group(self, group: ChangeGroup) -> tuple[Change, ...]:
        return tuple(line for line in self.lines if line.group is group)

    @property
    def baseline_words(self) -> str:
        if self.reviewed_on is not None:
            who = f" by {self.reviewed_by}" if self.reviewed_by else ""
            return f"since the review of {self.baseline.isoformat()}{who}"
        return f"since {self.baseline.isoformat()}"


def default_baseline(last_review: date | None, today: date) -> date:
    """The last review marked done (today's too: then nothing has changed yet), else a week ago."""
    if last_review is not None and last_review <= today:
        return last_review
    return today - timedelta(days=DEFAULT_LOOKBACK_DAYS)


# --------------------------------------------------------------------------- the history read


@dataclass(frozen=True)
class KpiHistory:
    code: str
    name: str
    unit: str
    direction: str
    target: float | None
    warning: float | None
    cadence_days: int
    owner: str
    # (period's last day, value), any order.
    measurements: tuple[tuple[date, float], ...]
    band_low: float | None = None
    band_high: float | None = None


@dataclass(frozen=True)
class CheckInPoint:
    on: date
    value: float
    confidence: float


@dataclass(frozen=True)
class KeyResultHistory:
    code: str
    title: str
    kind: str
    unit: str
    baseline: float
    target: float
    band_low: float | None
    band_high: float | None
    owner: str
    created: date | None
    cycle_start: date
    cycle_end: date
    # Check-ins are due: an open cycle, an active objective, a key result not archived.
    live: bool
    check_ins: tuple[CheckInPoint, ...]


@dataclass(frozen=True)
class StatusPoint:
    on: date
    forecast_finish: date | None
    planned_value: float
    earned_value: float
    actual_cost: float


@dataclass(frozen=True)
class ProjectHistory:
    code: str
    name: str
    owner: str
    status: str
    budget: float
    start: date
    planned_finish: date
    actual_finish: date | None
    updates: tuple[StatusPoint, ...]


@dataclass(frozen=True)
class RaidHistory:
    project: str
    code: str
    kind: str
    title: str
    owner: str
    status: str
    raised: date
    due: date | None
    closed: date | None


@dataclass(frozen=True)
class PortfolioHistory:
    kpis: tuple[KpiHistory, ...] = ()
    key_results: tuple[KeyResultHistory, ...] = ()
    projects: tuple[ProjectHistory, ...] = ()
    raid_items: tuple[RaidHistory, ...] = ()


# --------------------------------------------------------------------------- states on a day


def _latest_on(points: Sequence[tuple[date, float]], day: date) -> tuple[date, float] | None:
    known = [point for point in points if point[0] <= day]
    return max(known, key=lambda point: point[0]) if known else None


def kpi_state(kpi: KpiHistory, day: date) -> tuple[calc.Status, bool, float | None]:
    """(status of the latest value, overdue, latest value) as known on `day`."""
    latest = _latest_on(kpi.measurements, day)
    value = latest[1] if latest else None
    band = calc.kpi_band(kpi.band_low, kpi.band_high)
    status = calc.kpi_status(value, kpi.target, kpi.warning, kpi.direction, band)
    overdue = calc.is_overdue(latest[0] if latest else None, day, kpi.cadence_days)
    return status, overdue, value


# Better statuses rank higher; no data is not ranked.
_STATUS_RANK = {calc.Status.RED: 0, calc.Status.AMBER: 1, calc.Status.GREEN: 2}
_PACE_RANK = {
    calc.Pace.NOT_STARTED: 0,
    calc.Pace.ON_TRACK: 0,
    calc.Pace.AT_RISK: 1,
    calc.Pace.OFF_TRACK: 2,
}
_HEALTH_RANK = {calc.Health.GREEN: 0, calc.Health.AMBER: 1, calc.Health.RED: 2}


@dataclass(frozen=True)
class KeyResultState:
    pace: calc.Pace
    confidence: float | None
    last_check_in: date | None
    overdue: bool


def key_result_state(kr: KeyResultHistory, day: date) -> KeyResultState:
    """A key result as it stood on `day`: its pace (overdue aside), confidence and check-ins."""
    check_ins = sorted((c for c in kr.check_ins if c.on <= day), key=lambda c: c.on)
    values = [c.value for c in check_ins]
    progress = calc.key_result_progress(kr.kind, kr.baseline, kr.target, values, kr.band_low, kr.band_high)
    last = check_ins[-1] if check_ins else None
    expected = calc.elapsed_share(kr.cycle_start, kr.cycle_end, day)
    confidence = last.confidence if last else None
    running = kr.live and kr.cycle_start <= day <= kr.cycle_end
    overdue = running and calc.check_in_overdue(last.on if last else None, kr.cycle_start, day, kr.created)
    # Overdue is its own change: the pace compared is the one the check-ins say.
    return KeyResultState(
        calc.pace(progress, expected, confidence), confidence, last.on if last else None, overdue
    )


def project_figures_on(project: ProjectHistory, day: date) -> calc.ProjectFigures | None:
    """The project's figures as known on `day`; None before it started."""
    if day < project.start:
        return None
    updates = [u for u in project.updates if u.on <= day]
    latest = max(updates, key=lambda u: u.on) if updates else None
    finished = project.actual_finish is not None and project.actual_finish <= day
    status = project.status if finished or project.status != "done" else "active"
    return calc.ProjectFigures(
        status=status,
        budget=project.budget,
        planned_finish=project.planned_finish,
        forecast_finish=latest.forecast_finish if latest else None,
        actual_finish=project.actual_finish if finished else None,
        planned_value=latest.planned_value if latest else None,
        earned_value=latest.earned_value if latest else None,
        actual_cost=latest.actual_cost if latest else None,
    )


def raid_open_on(item: RaidHistory, day: date) -> bool:
    """Raised by `day` and not closed by then (a closed item with no day was closed before)."""
    if item.raised > day:
        return False
    if item.closed is not None:
        return item.closed > day
    return item.status != "closed"


def raid_overdue_on(item: RaidHistory, day: date) -> bool:
    """Overdue on `day` by the RAID log's own rule, with the item as it stood that day."""
    return calc.raid_overdue("open" if raid_open_on(item, day) else "closed", item.due, day)


# --------------------------------------------------------------------------- the comparison


def _status_words(status: calc.Status, value: float | None, unit: str) -> str:
    if status is calc.Status.UNKNOWN:
        return status.word
    return f"{status.symbol} {status.word} ({format_value(value, unit)})"


def kpi_changes(kpis: Sequence[KpiHistory], baseline: date, today: date) -> list[Change]:
    lines = []
    for kpi in kpis:
        before, before_overdue, before_value = kpi_state(kpi, baseline)
        after, after_overdue, after_value = kpi_state(kpi, today)
        if after_overdue and not before_overdue:
            last = _latest_on(kpi.measurements, today)
            lines.append(
                Change(
                    ChangeGroup.OVERDUE,
                    "kpi",
                    kpi.code,
                    kpi.name,
                    "measurement",
                    "on cadence",
                    f"⧗ overdue (last {last[0].isoformat()})" if last else "⧗ overdue (never measured)",
                    Movement.WORSE,
                    owner=kpi.owner,
                )
            )
        if before is after:
            continue
        if before in _STATUS_RANK and after in _STATUS_RANK:
            movement = Movement.WORSE if _STATUS_RANK[after] < _STATUS_RANK[before] else Movement.BETTER
        else:
            movement = Movement.NEW if before is calc.Status.UNKNOWN else Movement.CHANGED
        lines.append(
            Change(
                ChangeGroup.KPI_STATUS,
                "kpi",
                kpi.code,
                kpi.name,
                "status",
                _status_words(before, before_value, kpi.unit),
                _status_words(after, after_value, kpi.unit),
                movement,
                owner=kpi.owner,
            )
        )
    return lines


def key_result_changes(key_results: Sequence[KeyResultHistory], baseline: date, today: date) -> list[Change]:
    lines = []
    for kr in key_results:
        after = key_result_state(kr, today)
        # A key result whose cycle had not started, or that did not exist yet, has no before.
        existed = kr.cycle_start <= baseline and (kr.created is None or kr.created <= baseline)
        before = key_result_state(kr, baseline) if existed else None
        if before is not None and _PACE_RANK[after.pace] > _PACE_RANK[before.pace]:
            lines.append(
                Change(
                    ChangeGroup.KEY_RESULTS,
                    "key_result",
                    kr.code,
                    kr.title,
                    "pace",
                    before.pace.value,
                    after.pace.value,
                    Movement.WORSE,
                    owner=kr.owner,
                )
            )
        if before is not None and calc.confidence_fell(before.confidence, after.confidence):
            lines.append(
                Change(
                    ChangeGroup.KEY_RESULTS,
                    "key_result",
                    kr.code,
                    kr.title,
                    "confidence",
                    format_confidence(before.confidence),
                    format_confidence(after.confidence),
                    Movement.WORSE,
                    owner=kr.owner,
                )
            )
        if after.overdue and not (before is not None and before.overdue):
            last = after.last_check_in
            lines.append(
                Change(
                    ChangeGroup.OVERDUE,
                    "key_result",
                    kr.code,
                    kr.title,
                    "check-in",
                    "on time" if before is not None else "not yet due",
                    f"⧗ overdue (last {last.isoformat()})" if last else "⧗ overdue (no check-in yet)",
                    Movement.WORSE,
                    owner=kr.owner,
                )
            )
        missed = missed_weeks(kr, baseline, today)
        if missed:
            last = after.last_check_in
            weeks = f"the week of {missed[0].isoformat()}" if len(missed) == 1 else f"{len(missed)} weeks"
            lines.append(
                Change(
                    ChangeGroup.MISSED_CHECK_INS,
                    "key_result",
                    kr.code,
                    kr.title,
                    "check-in",
                    f"last {last.isoformat()}" if last else "none yet",
                    f"missed {weeks}",
                    Movement.WORSE,
                    owner=kr.owner,
                )
            )
    return lines


def missed_weeks(kr: KeyResultHistory, baseline: date, today: date) -> tuple[date, ...]:
    """The Mondays of the weeks that ended after the baseline and by today with no check-in,
    while check-ins were due (a live key result, its cycle under way)."""
    if not kr.live:
        return ()
    since = max(kr.cycle_start, kr.created or kr.cycle_start)
    return calc.weeks_without_check_in((c.on for c in kr.check_ins), since, kr.cycle_end, baseline, today)


def _health_words(health: calc.Health, words: dict[calc.Health, str]) -> str:
    return f"{health.value} ({words[health]})"


def project_changes(projects: Sequence[ProjectHistory], baseline: date, today: date) -> list[Change]:
    lines = []
    for project in projects:
        if project.status == "cancelled":
            continue
        before = project_figures_on(project, baseline)
        after = project_figures_on(project, today)
        if before is None or after is None:
            continue
        slips: list[tuple[str, str, str, int | None]] = []
        for aspect, judge, words in (
            ("schedule", calc.schedule_health, calc.SCHEDULE_WORDS),
            ("budget", calc.budget_health, calc.BUDGET_WORDS),
        ):
            was, now = judge(before), judge(after)
            if was in _HEALTH_RANK and now in _HEALTH_RANK and _HEALTH_RANK[now] > _HEALTH_RANK[was]:
                slips.append((aspect, _health_words(was, words), _health_words(now, words), None))
        if before.finish is not None and after.finish is not None and after.finish > before.finish:
            days = (after.finish - before.finish).days
            slips.append(
                (
                    "forecast finish",
                    before.finish.isoformat(),
                    f"{after.finish.isoformat()} (+{days} d)",
                    days,
                )
            )
        lines += [
            Change(
                ChangeGroup.PROJECTS,
                "project",
                project.code,
                project.name,
                aspect,
                was_words,
                now_words,
                Movement.WORSE,
                owner=project.owner,
                days=days,
            )
            for aspect, was_words, now_words, days in slips
        ]
    return lines


def raid_changes(items: Sequence[RaidHistory], baseline: date, today: date) -> list[Change]:
    lines = []
    for item in items:
        found: list[tuple[ChangeGroup, str, str, str, Movement]] = []
        opened = baseline < item.raised <= today
        if opened:
            found.append(
                (
                    ChangeGroup.RAID,
                    "opened",
                    "not raised",
                    f"open since {item.raised.isoformat()}",
                    Movement.NEW,
                )
            )
        if item.closed is not None and baseline < item.closed <= today:
            was = f"raised {item.raised.isoformat()}" if opened else "open"
            found.append(
                (ChangeGroup.RAID, "closed", was, f"closed {item.closed.isoformat()}", Movement.BETTER)
            )
        if item.due is not None and raid_overdue_on(item, today) and not raid_overdue_on(item, baseline):
            was = "not raised" if item.raised > baseline else f"due {item.due.isoformat()}"
            found.append(
                (ChangeGroup.OVERDUE, "due", was, f"⧗ overdue (due {item.due.isoformat()})", Movement.WORSE)
            )
        lines += [
            Change(
                group,
                "raid_item",
                item.code,
                item.title,
                f"{item.kind} {aspect}",
                was_words,
                now_words,
                movement,
                owner=item.owner,
                project=item.project,
            )
            for group, aspect, was_words, now_words, movement in found
        ]
    return lines


_GROUP_ORDER = {group: index for index, group in enumerate(ChangeGroup)}


def compare(
    history: PortfolioHistory,
    baseline: date,
    today: date,
    reviewed_on: date | None = None,
    reviewed_by: str = "",
) -> Changes:
    """Everything that changed between the baseline day and today, in the order of a review:
    by group, the worse before the better, then by record."""
    lines = (
        kpi_changes(history.kpis, baseline, today)
        + key_result_changes(history.key_results, baseline, today)
        + project_changes(history.projects, baseline, today)
        + raid_changes(history.raid_items, baseline, today)
    )
    movement_order = {Movement.WORSE: 0, Movement.CHANGED: 1, Movement.NEW: 2, Movement.BETTER: 3}
    ordered = sorted(
        lines,
        key=lambda c: (_GROUP_ORDER[c.group], movement_order[c.movement], c.project, c.code, c.aspect),
    )
    return Changes(baseline, today, reviewed_on, reviewed_by, tuple(ordered))


def change_json(change: Change) -> dict[str, object]:
    """One change as the JSON report and `pmo review --format json` write it."""
    return {
        "group": change.group.value,
        "record": change.record,
        "code": change.code,
        "project": change.project or None,
        "name": change.name,
        "owner": change.owner,
        "what": change.aspect,
        "before": change.before,
        "after": change.after,
        "movement": change.movement.value,
        "days": change.days,
    }


def changes_json(changes: Changes) -> dict[str, object]:
    return {
        "baseline": changes.baseline.isoformat(),
        "today": changes.today.isoformat(),
        "reviewed_on": changes.reviewed_on.isoformat() if changes.reviewed_on else None,
        "reviewed_by": changes.reviewed_by or None,
        "lines": [change_json(change) for change in changes.lines],
    }


RECORD_WORDS = {"kpi": "KPI", "key_result": "key result", "project": "project", "raid_item": "RAID item"}


def reference(change: Change) -> str:
    """The record a line is about, as people name it: `KPI RAID`, `RAID item PRJ-101/R2`."""
    code = f"{change.project}/{change.code}" if change.project else change.code
    return f"{RECORD_WORDS.get(change.record, change.record)} {code}"


def change_words(change: Change) -> str:
    """One line of the review in words: direction, record, what changed, before → after, owner."""
    owner = f" · {change.owner}" if change.owner else ""
    return (
        f"{change.movement.label}  {reference(change)} {change.name} · {change.aspect}: "
        f"{change.before} → {change.after}{owner}"
    )


def changes_text(changes: Changes) -> str:
    """The review as plain text, grouped as the screen shows it (`pmo review`)."""
    lines = [f"What changed {changes.baseline_words}, to {changes.today.isoformat()}"]
    if not changes.lines:
        lines += ["", "Nothing changed that a review would look at."]
    for group in ChangeGroup:
        found = changes.group(group)
        if found:
            lines += ["", f"{group.heading} ({len(found)})"]
            lines += [f"  {change_words(change)}" for change in found]
    return "\n".join(lines) + "\n"
