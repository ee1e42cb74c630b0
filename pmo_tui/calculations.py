"""Every formula of pmo-tui, as pure functions: the screens, the CLI, the reports and the tests all agree.

Nothing here knows about the terminal or the database: inputs are plain numbers,
dates and small dataclasses; outputs are numbers, enums and dataclasses.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeGuard

# --------------------------------------------------------------------------- enums


class Direction(StrEnum):
    """Which way a metric should move."""

    HIGHER = "higher"
    LOWER = "lower"


class Status(StrEnum):
    """A KPI's status against its target."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    UNKNOWN = "unknown"

    @property
    def word(self) -> str:
        return _STATUS_WORDS[self]

    @property
    def symbol(self) -> str:
        return _STATUS_SYMBOLS[self]


_STATUS_WORDS = {
    Status.GREEN: "on target",
    Status.AMBER: "warning",
    Status.RED: "off target",
    Status.UNKNOWN: "no data",
}
_STATUS_SYMBOLS = {Status.GREEN: "●", Status.AMBER: "▲", Status.RED: "■", Status.UNKNOWN: "?"}


class TrendDirection(StrEnum):
    """How a series is moving, judged against the direction that is better."""

    IMPROVING = "improving"
    WORSENING = "worsening"
    FLAT = "flat"
    UNKNOWN = "unknown"


class KeyResultKind(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    WITHIN_BAND = "within_band"
    MILESTONE = "milestone"


class Grade(StrEnum):
    """The colour band of an OKR score or progress: 0.7 is success for an ambitious OKR."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def word(self) -> str:
        return {Grade.RED: "missed", Grade.AMBER: "partial", Grade.GREEN: "achieved"}[self]


class Pace(StrEnum):
    """A key result's or objective's progress against the elapsed share of its cycle."""

    ON_TRACK = "on track"
    AT_RISK = "at risk"
    OFF_TRACK = "off track"
    OVERDUE = "overdue"
    NOT_STARTED = "not started"


class Health(StrEnum):
    """Schedule or budget health of a project."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    UNKNOWN = "unknown"


# --------------------------------------------------------------------------- helpers


# A tuple, not `int | float`: is_number runs tens of thousands of times per overview.
_NUMBER_TYPES = (int, float)


def is_number(value: float | None) -> TypeGuard[float]:
    """A real, finite number (not None, NaN or infinity); the type checker then knows it is one."""
    return value is not None and isinstance(value, _NUMBER_TYPES) and math.isfinite(value)


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    """value within [low, high]; a NaN (an overflowed division) counts as the low end, never the high."""
    if math.isnan(value):
        return low
    return max(low, min(high, value))


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is zero."""
    if not is_number(numerator) or not is_number(denominator) or denominator == 0:
        return None
    result = numerator / denominator
    return result if math.isfinite(result) else None


def percent(part: int, whole: int) -> float | None:
    """Share in percent, or None for an empty whole."""
    return None if whole <= 0 else 100.0 * part / whole


# --------------------------------------------------------------------------- KPI status

CADENCE_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 31, "quarterly": 92, "yearly": 366}


def cadence_days(cadence: str) -> int:
    """Days between two measurements of a cadence name; unknown names raise ValueError."""
    try:
        return CADENCE_DAYS[cadence]
    except KeyError:
        known = ", ".join(CADENCE_DAYS)
        raise ValueError(f"unknown cadence {cadence!r} (expected one of: {known})") from None


def grace_days(cadence_days: int) -> int:
    """Slack allowed after a period ends before its value counts as late."""
    return max(2, cadence_days // 4)


def is_overdue(last: date | None, today: date, every_days: int) -> bool:
    """True when nothing came within the cadence (plus grace): silence is never green."""
    if last is None:
        return True
    return (today - last).days > every_days + grace_days(every_days)


def kpi_band(low: float | None, high: float | None) -> tuple[float, float] | None:
    """A KPI's target band (low, high) when it has one: both bounds, low below high."""
    if is_number(low) and is_number(high) and low < high:
        return low, high
    return None


def distance_from_band(value: float, band: tuple[float, float]) -> float:
    """How far a value lies outside the band (0 inside it): above is as bad as below."""
    low, high = band
    return max(low - value, value - high, 0.0)


def kpi_status(
    value: float | None,
    target: float | None,
    warning: float | None,
    direction: Direction | str,
    band: tuple[float, float] | None = None,
) -> Status:
    """Green when the target is met, amber up to the warning line, red beyond it.

    A warning line on the wrong side of the target is ignored, so anything short
    of the target is red; no value or no target is unknown. A KPI with a band is
    green inside it and red outside it, on either side.
    """
    if band is not None:
        if not is_number(value):
            return Status.UNKNOWN
        return Status.GREEN if distance_from_band(value, band) == 0 else Status.RED
    if not is_number(value) or not is_number(target):
        return Status.UNKNOWN
    better = Direction(direction)
    if better is Direction.LOWER:
        # Mirror "lower is better" onto "higher is better" so one rule serves both.
        value, target = -value, -target
        warning = -warning if is_number(warning) else None
    if value >= target:
        return Status.GREEN
    if is_number(warning) and warning < target and value >= warning:
        return Status.AMBER
    return Status.RED


def kpi_current_status(
    value: float | None,
    target: float | None,
    warning: float | None,
    direction: Direction | str,
    last_period: date | None,
    today: date,
    every_days: int,
    band: tuple[float, float] | None = None,
) -> tuple[Status, bool]:
    """The status to show today and whether the KPI is overdue (a stale value is unknown)."""
    overdue = is_overdue(last_period, today, every_days)
    if overdue:
        return Status.UNKNOWN, True
    return kpi_status(value, target, warning, direction, band), False


def attention_rank(status: Status | str, overdue: bool) -> int:
    """How urgently a KPI needs a look, 0 first: off target, overdue, at risk, unknown, on target."""
    if overdue:
        return 1
    return {Status.RED: 0, Status.AMBER: 2, Status.UNKNOWN: 3, Status.GREEN: 4}[Status(status)]


# --------------------------------------------------------------------------- trend & forecast


def linear_fit(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float] | None:
    """Least-squares (slope, intercept), or None with fewer than two distinct x values."""
    points = [(x, y) for x, y in zip(xs, ys, strict=True) if is_number(x) and is_number(y)]
    n = len(points)
    if n < 2:
        return None
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    # Values near the float limit overflow the sums: no line rather than a line of NaN.
    if not (is_number(slope) and is_number(intercept)):
        return None
    return slope, intercept


@dataclass(frozen=True)
class Trend:
    slope: float | None  # per period
    change: float | None  # last value minus the one before
    direction: TrendDirection

    @property
    def arrow(self) -> str:
        if self.slope is None or self.direction is TrendDirection.UNKNOWN:
            return "·"
        if self.direction is TrendDirection.FLAT:
            return "→"
        return "↑" if self.slope > 0 else "↓"


# A slope smaller than this share of the series' typical size counts as flat.
FLAT_SHARE = 0.005


def trend(
    values: Sequence[float],
    direction: Direction | str,
    window: int = 6,
    band: tuple[float, float] | None = None,
) -> Trend:
    """Least-squares slope over the last `window` values, judged by which way is better; with a
    band, moving towards its middle is better, whichever way that is."""
    series = [v for v in values if is_number(v)][-window:]
    change = series[-1] - series[-2] if len(series) >= 2 else None
    fit = linear_fit(range(len(series)), series)
    if fit is None:
        return Trend(None, change, TrendDirection.UNKNOWN)
    slope = fit[0]
    scale = max(abs(v) for v in series)
    if abs(slope) <= FLAT_SHARE * scale or slope == 0:
        return Trend(slope, change, TrendDirection.FLAT)
    if band is not None:
        middle = (band[0] + band[1]) / 2
        off_middle = linear_fit(range(len(series)), [abs(v - middle) for v in series])
        # The distance from the middle: shrinking is improving, growing worsening.
        if off_middle is None or off_middle[0] == 0:
            return Trend(slope, change, TrendDirection.FLAT)
        improving = off_middle[0] < 0
        return Trend(slope, change, TrendDirection.IMPROVING if improving else TrendDirection.WORSENING)
    rising_is_good = Direction(direction) is Direction.HIGHER
    improving = (slope > 0) == rising_is_good
    return Trend(slope, change, TrendDirection.IMPROVING if improving else TrendDirection.WORSENING)


def forecast(points: Sequence[tuple[date, float]], on: date) -> float | None:
    """The value a straight line through the dated points gives on a date."""
    if not points:
        return None
    origin = points[0][0]
    fit = linear_fit([(d - origin).days for d, _ in points], [v for _, v in points])
    if fit is None:
        return None
    slope, intercept = fit
    value = intercept + slope * (on - origin).days
    return value if is_number(value) else None


def date_target_reached(
    points: Sequence[tuple[date, float]],
    target: float,
    direction: Direction | str,
    today: date | None = None,
) -> date | None:
    """When the current linear trend reaches the target; None if it never will. A day in the past
    is named only for a value that has reached the target: when the line says the target should
    already have been reached (before the latest value, or before `today`) but the value has not
    reached it, the target is not reached at this trend (None)."""
    if not points or not is_number(target):
        return None
    ordered = sorted(points)
    latest_day, latest = ordered[-1]
    higher = Direction(direction) is Direction.HIGHER
    if (latest >= target) if higher else (latest <= target):
        return latest_day
    origin = ordered[0][0]
    fit = linear_fit([(d - origin).days for d, _ in ordered], [v for _, v in ordered])
    if fit is None:
        return None
    slope, intercept = fit
    if slope == 0 or (slope > 0) != higher:
        return None
    reach = (target - intercept) / slope
    if not is_number(reach):
        return None
    days = math.ceil(reach)
    if days > 365 * 100:
        return None
    reached = origin + timedelta(days=max(days, 0))
    # The fitted line crosses the target before the latest value, which has not reached it, or
    # before today: the trend's day has passed without the target, so it is not reached.
    if reached <= latest_day or (today is not None and reached < today):
        return None
    return reached


# --------------------------------------------------------------------------- key results & objectives


def progress_towards(
    baseline: float, target: float, current: float | None, kind: KeyResultKind | str
) -> float:
    """(current − baseline) / (target − baseline) clamped to [0, 1]; works when lower is better.

    When baseline equals target there is nothing to divide: the target is met or not.
    """
    if not is_number(current) or not is_number(baseline) or not is_number(target):
        return 0.0
    if target == baseline:
        meets = current <= target if KeyResultKind(kind) is KeyResultKind.DECREASE else current >= target
        return 1.0 if meets else 0.0
    span = target - baseline
    if math.isfinite(span):
        return clamp((current - baseline) / span)
    # Near the float limit the span overflows: halving both sides keeps it finite.
    return clamp((current / 2 - baseline / 2) / (target / 2 - baseline / 2))


def band_progress(values: Iterable[float], low: float | None, high: float | None) -> float:
    """Share of check-ins inside the band [low, high] (either bound may be open)."""
    checked = [v for v in values if is_number(v)]
    if not checked:
        return 0.0
    inside = sum(1 for v in checked if (low is None or v >= low) and (high is None or v <= high))
    return inside / len(checked)


def milestone_progress(current: float | None) -> float:
    """A milestone is done (1) or not (0); any value of 1 or more marks it done."""
    return 1.0 if is_number(current) and current >= 1 else 0.0


def key_result_progress(
    kind: KeyResultKind | str,
    baseline: float,
    target: float,
    values: Sequence[float],
    band_low: float | None = None,
    band_high: float | None = None,
) -> float:
    """Progress of a key result from its check-in values (oldest first), always in [0, 1]."""
    kind = KeyResultKind(kind)
    latest = values[-1] if values else None
    if kind is KeyResultKind.WITHIN_BAND:
        return band_progress(values, band_low, band_high)
    if kind is KeyResultKind.MILESTONE:
        return milestone_progress(latest)
    return progress_towards(baseline, target, latest, kind)


def objective_progress(weighted: Iterable[tuple[float, float]]) -> float:
    """Weighted mean of (progress, weight) pairs; no key results (or no weight) is 0."""
    pairs = [(p, w) for p, w in weighted if is_number(p) and is_number(w) and w > 0]
    if not pairs:
        return 0.0
    # Weights only matter relative to each other: scaling by the largest keeps the sums finite.
    largest = max(w for _, w in pairs)
    total = sum(w / largest for _, w in pairs)
    return clamp(sum(p * (w / largest) for p, w in pairs) / total)


def key_result_score(progress: float) -> float:
    """A key result's score when its cycle closes: its progress that day, to two decimals."""
    return round(progress, 2)


def objective_score(weighted_scores: Iterable[tuple[float, float]]) -> float:
    """An objective's score when its cycle closes: the weighted mean of its key results' scores
    (each already rounded, so the objective agrees with the scores shown beside it), to two decimals."""
    return round(objective_progress(weighted_scores), 2)


def cycle_score(objective_scores: Iterable[float]) -> float | None:
    """A closed cycle's grade: the mean score of its graded objectives (None: none was graded)."""
    scores = [s for s in objective_scores if is_number(s)]
    return sum(scores) / len(scores) if scores else None


def grade_band(score: float) -> Grade:
    """Below 0.4 red, 0.4 up to 0.7 amber, 0.7 and above green."""
    if not is_number(score) or score < 0.4:
        return Grade.RED
    return Grade.AMBER if score < 0.7 else Grade.GREEN


def elapsed_share(start: date, end: date, today: date) -> float:
    """How much of a cycle has passed, in [0, 1]: the expected progress."""
    if end <= start:
        return 1.0 if today >= end else 0.0
    return clamp((today - start).days / (end - start).days)


CHECK_IN_EVERY_DAYS = 7


def check_in_overdue(
    last_check_in: date | None, cycle_start: date, today: date, created: date | None = None
) -> bool:
    """No check-in within a week. With none yet, the week counts from the cycle's start, or from
    the day the key result was created if that is later: a new one is not overdue at once."""
    since = last_check_in or max(cycle_start, created or cycle_start)
    return today > since and (today - since).days > CHECK_IN_EVERY_DAYS


def same_person(owner: str, user: str) -> bool:
    """Whether a record's owner is the user working: names compared as people write them, with
    spaces and capitals as they come ("priya  raman " is Priya Raman); no one owns what has no owner."""
    left, right = " ".join(owner.split()).casefold(), " ".join(user.split()).casefold()
    return bool(left) and left == right


def week_start(day: date) -> date:
    """The Monday of the week (Monday to Sunday) holding `day`: the check-in's week."""
    return day - timedelta(days=day.weekday())


def check_in_due(last_check_in: date | None, today: date) -> bool:
    """Due for the weekly check-in unless there was one this week (Monday to Sunday)."""
    if last_check_in is None:
        return True
    return last_check_in < week_start(today)


def weeks_without_check_in(
    check_ins: Iterable[date], since: date, until: date, baseline: date, today: date
) -> tuple[date, ...]:
    """The Mondays of the weeks (Monday to Sunday) that ended after `baseline` and before
    `today` with no check-in, among the weeks from `since` to `until` (when check-ins were due)."""
    checked = {week_start(day) for day in check_ins}
    monday = week_start(baseline)
    if monday + timedelta(days=6) == baseline:  # the baseline's week ended on it
        monday += timedelta(days=7)
    missed = []
    # A week is missed once it is over: its Sunday lies before today.
    while (sunday := monday + timedelta(days=6)) < today and sunday <= until:
        if monday >= since and monday not in checked:
            missed.append(monday)
        monday += timedelta(days=7)
    return tuple(missed)


# A fall of this many points of confidence (0-10, as shown) is worth a look.
CONFIDENCE_FALL_POINTS = 2


def confidence_fell(before: float | None, after: float | None) -> bool:
    """Confidence (0-1) fell by CONFIDENCE_FALL_POINTS or more, in the points shown (0-10)."""
    if not is_number(before) or not is_number(after):
        return False
    return round(before * 10) - round(after * 10) >= CONFIDENCE_FALL_POINTS


def nearer_band_edge(band: tuple[float, float], value: float | None) -> float:
    """Where a key result started from a band KPI aims: the band's edge nearer the latest value
    (its middle when there is none)."""
    if value is None:
        return (band[0] + band[1]) / 2
    return band[0] if abs(value - band[0]) <= abs(value - band[1]) else band[1]


def kpi_due(measurement_overdue: bool, review_overdue: bool) -> bool:
    """A KPI its owner has to see to: its value is overdue (is_overdue), or its definition's
    review is (review_overdue)."""
    return measurement_overdue or review_overdue


# How far behind pace (in progress) is still on track, and beyond which it is off track.
ON_TRACK_SLACK = 0.10
OFF_TRACK_GAP = 0.25
LOW_CONFIDENCE = 0.3
SHAKY_CONFIDENCE = 0.5


def pace(progress: float, expected: float, confidence: float | None, overdue: bool = False) -> Pace:
    """On track, at risk or off track from progress against pace and the latest confidence.

    Silence is never green: an overdue key result is overdue whatever it said last.
    """
    if overdue:
        return Pace.OVERDUE
    if expected <= 0 and confidence is None and progress <= 0:
        return Pace.NOT_STARTED
    # The owner's confidence counts even past the target: a key result at 130 % that its owner
    # rates 2/10 is off track (the value may be about to fall back, or the target is wrong).
    gap = progress - expected
    if gap < -OFF_TRACK_GAP or (confidence is not None and confidence < LOW_CONFIDENCE):
        return Pace.OFF_TRACK
    if gap < -ON_TRACK_SLACK or (confidence is not None and confidence < SHAKY_CONFIDENCE):
        return Pace.AT_RISK
    return Pace.ON_TRACK


def value_needed_for_pace(baseline: float, target: float, expected_progress: float) -> float:
    """The value a key result must show to be exactly on pace at a given expected progress."""
    return baseline + clamp(expected_progress) * (target - baseline)


def value_on_pace(kind: str, baseline: float, target: float, expected_progress: float) -> float | None:
    """The value an increase or decrease key result must show today to be on pace; None for
    the kinds that move by no straight line (a milestone, a band)."""
    if kind not in (KeyResultKind.INCREASE, KeyResultKind.DECREASE):
        return None
    return value_needed_for_pace(baseline, target, expected_progress)


@dataclass(frozen=True)
class KeyResultFacts:
    """What the OKR lint needs to know of one key result."""

    code: str
    kind: KeyResultKind | str
    unit: str
    baseline: float
    target: float
    band_low: float | None = None
    band_high: float | None = None


MIN_KEY_RESULTS = 2
MAX_KEY_RESULTS = 5


def key_result_gaps(kr: KeyResultFacts) -> list[str]:
    """What keeps one key result from being measurable, in a coach's words."""
    kind = KeyResultKind(kr.kind)
    gaps = []
    if kind is KeyResultKind.WITHIN_BAND:
        if kr.band_low is None and kr.band_high is None:
            gaps.append(f"{kr.code} has no band to stay within")
    elif kind is not KeyResultKind.MILESTONE and kr.target == kr.baseline:
        gaps.append(f"{kr.code}'s target equals its baseline: nothing to move")
    if kind is not KeyResultKind.MILESTONE and not kr.unit.strip():
        gaps.append(f"{kr.code} has no unit")
    return gaps


def objective_lint(owner: str, has_goal: bool, key_results: Sequence[KeyResultFacts]) -> tuple[str, ...]:
    """What a PMO coach would say is missing from an objective; empty when it is well formed."""
    findings = []
    count = len(key_results)
    if count < MIN_KEY_RESULTS:
        findings.append(
            f"{count} key result{'' if count == 1 else 's'}: aim for {MIN_KEY_RESULTS}–{MAX_KEY_RESULTS}"
        )
    elif count > MAX_KEY_RESULTS:
        findings.append(f"{count} key results: focus on at most {MAX_KEY_RESULTS}")
    if not owner.strip():
        findings.append("no owner")
    if not has_goal:
        findings.append("not aligned to a strategic goal")
    for kr in key_results:
        findings.extend(key_result_gaps(kr))
    return tuple(findings)


def carried_baseline(kind: KeyResultKind | str, baseline: float, last_value: float | None) -> float:
    """A key result carried into the next cycle starts from where it got to."""
    if KeyResultKind(kind) in (KeyResultKind.INCREASE, KeyResultKind.DECREASE) and is_number(last_value):
        return float(last_value)
    return baseline


def quarter_name(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def following_quarter(day: date) -> tuple[str, date, date]:
    """(name, start, end) of the calendar quarter after the one holding `day`: 2026-Q4 → 2027-Q1."""
    start = period_end(day, "quarterly") + timedelta(days=1)
    return quarter_name(start), start, period_end(start, "quarterly")


def _add_months(day: date, months: int) -> date:
    """The first day of the month `months` after the month holding `day`."""
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def following_cycle(name: str, start: date, end: date) -> tuple[str, date, date]:
    """(name, start, end) of the cycle after `name` (from `start` to `end`), as long as it: whole
    calendar months are followed by as many months, any other span by as many days. It is named
    as the PMO names its cycles: after 2026-Q4 comes 2027-Q1, after 2026-H2 2027-H1, after 2026
    2027; any other name gives the first day's date."""
    begins = end + timedelta(days=1)
    months = (begins.year - start.year) * 12 + begins.month - start.month
    if start.day == 1 and begins.day == 1 and months > 0:
        finish = _add_months(begins, months) - timedelta(days=1)
    else:
        finish = begins + (end - start)
    return _following_name(name, begins), begins, finish


def _following_name(name: str, begins: date) -> str:
    """The name after a quarter's (2026-Q4), a half's (2026-H2) or a year's (2026); else the date."""
    if match := re.fullmatch(r"(\d{4})-([QH])(\d)", name.strip()):
        year, part, number = int(match[1]), match[2], int(match[3])
        parts = 4 if part == "Q" else 2
        if 1 <= number <= parts:
            year, number = (year + 1, 1) if number == parts else (year, number + 1)
            return f"{year}-{part}{number}"
    if re.fullmatch(r"\d{4}", name.strip()):
        return str(int(name) + 1)
    return begins.isoformat()


# --------------------------------------------------------------------------- projects & portfolio

CLOSED_STATUSES = frozenset({"done", "cancelled"})
# Proposed and cancelled projects do not count towards portfolio figures.
COUNTED_STATUSES = frozenset({"active", "on_hold", "done"})


@dataclass(frozen=True)
class ProjectFigures:
    """The figures of one project that the portfolio formulas need."""

    status: str
    budget: float
    planned_finish: date
    forecast_finish: date | None = None
    actual_finish: date | None = None
    planned_value: float | None = None
    earned_value: float | None = None
    actual_cost: float | None = None
    expected_benefit: float = 0.0
    realised_benefit: float = 0.0
    change_requests: int = 0
    open_risks: int = 0
    aligned: bool = False
    # Open actions of its RAID log whose due day has passed.
    overdue_actions: int = 0

    @property
    def finish(self) -> date | None:
        """The actual finish once done, else the forecast."""
        return self.actual_finish or self.forecast_finish


def spi(earned_value: float | None, planned_value: float | None) -> float | None:
    """Schedule performance index, EV / PV."""
    return ratio(earned_value, planned_value)


def cpi(earned_value: float | None, actual_cost: float | None) -> float | None:
    """Cost performance index, EV / AC."""
    return ratio(earned_value, actual_cost)


def eac(budget: float | None, cost_index: float | None) -> float | None:
    """Estimate at completion, BAC / CPI."""
    return ratio(budget, cost_index)


def vac(budget: float | None, estimate: float | None) -> float | None:
    """Variance at completion, BAC − EAC (negative is an overrun)."""
    if not is_number(budget) or not is_number(estimate):
        return None
    return budget - estimate


def roi(benefit: float | None, cost: float | None) -> float | None:
    """Return on investment, (benefit − cost) / cost, as a fraction."""
    if not is_number(benefit) or not is_number(cost):
        return None
    return ratio(benefit - cost, cost)


def days_late(planned_finish: date, finish: date | None) -> int | None:
    """Days the (forecast or actual) finish lies after the planned finish; negative is early."""
    return None if finish is None else (finish - planned_finish).days


def project_on_time(project: ProjectFigures) -> bool | None:
    late = days_late(project.planned_finish, project.finish)
    return None if late is None else late <= 0


def project_cost_estimate(project: ProjectFigures) -> float | None:
    """What the project will cost in the end: actual cost once done, else EAC."""
    if project.status == "done":
        return project.actual_cost
    return eac(project.budget, cpi(project.earned_value, project.actual_cost))


def project_within_budget(project: ProjectFigures) -> bool | None:
    estimate = project_cost_estimate(project)
    return None if estimate is None else estimate <= project.budget


def project_roi(project: ProjectFigures) -> float | None:
    """Realised benefit over actual cost once done, else expected benefit over EAC."""
    if project.status == "done":
        return roi(project.realised_benefit, project.actual_cost)
    return roi(project.expected_benefit, project_cost_estimate(project))


# Closing as done with earned value below this share of the budget asks whether it was descoped.
DESCOPE_QUESTION_SHARE = 0.9


def asks_if_descoped(earned_value: float | None, budget: float | None) -> bool:
    """A project closing as done with earned value well short of its budget was either
    descoped or its last update is out of date: the PMO must say which."""
    share = ratio(earned_value, budget)
    return share is not None and share < DESCOPE_QUESTION_SHARE


def closing_budget(budget: float, earned_value: float | None, descoped: bool) -> float:
    """The budget a project done keeps: a descoped one's becomes the earned value of what it
    delivered, so that within budget compares the cost with the scope actually delivered."""
    return earned_value if descoped and is_number(earned_value) else budget


# SPI or CPI below the warning line is amber, below the problem line red.
INDEX_WARNING = 0.95
INDEX_PROBLEM = 0.85
# A slip or overrun up to these is amber ("watch it"); beyond them red.
LATE_DAYS_PROBLEM = 30
OVERRUN_PROBLEM = 0.10


def schedule_health(project: ProjectFigures) -> Health:
    """Red when over a month late or SPI below 0.85; amber for any slip or SPI below 0.95."""
    late = days_late(project.planned_finish, project.finish)
    # A finished project is judged by its finish date alone.
    index = None if project.status == "done" else spi(project.earned_value, project.planned_value)
    if late is None and index is None:
        return Health.UNKNOWN
    if (late is not None and late > LATE_DAYS_PROBLEM) or (index is not None and index < INDEX_PROBLEM):
        return Health.RED
    if (late is not None and late > 0) or (index is not None and index < INDEX_WARNING):
        return Health.AMBER
    return Health.GREEN


def budget_health(project: ProjectFigures) -> Health:
    """Red when the cost estimate overruns the budget by more than 10 %; amber for any overrun."""
    estimate = project_cost_estimate(project)
    if estimate is None or not is_number(project.budget):
        return Health.UNKNOWN
    if project.budget == 0:
        return Health.GREEN if estimate == 0 else Health.RED
    overrun = (estimate - project.budget) / project.budget
    if overrun > OVERRUN_PROBLEM:
        return Health.RED
    if overrun > 0:
        return Health.AMBER
    return Health.GREEN


SCHEDULE_WORDS = {
    Health.GREEN: "on schedule",
    Health.AMBER: "slipping",
    Health.RED: "behind",
    Health.UNKNOWN: "no data",
}


def schedule_words(health: Health, days_late: int | None) -> str:
    """A project's schedule in the words the overview row and the project's header both use:
    by how many days it is late when it is, else its health's word."""
    if days_late is not None and days_late > 0:
        return f"{days_late} d late"
    return SCHEDULE_WORDS[health]


BUDGET_WORDS = {
    Health.GREEN: "on budget",
    Health.AMBER: "overrunning",
    Health.RED: "over budget",
    Health.UNKNOWN: "no data",
}


@dataclass(frozen=True)
class PortfolioFigures:
    project_count: int
    on_time_pct: float | None
    within_budget_pct: float | None
    spi: float | None
    cpi: float | None
    roi: float | None
    aligned_pct: float | None
    change_requests_per_project: float | None
    open_risks: int
    overdue_actions: int = 0


def portfolio_figures(projects: Iterable[ProjectFigures]) -> PortfolioFigures:
    """Portfolio-level figures over active, on-hold and done projects.

    SPI and CPI are aggregated (ΣEV/ΣPV, ΣEV/ΣAC) so large projects weigh more;
    ROI is (Σ benefit − Σ cost) / Σ cost with the per-project benefit and cost.
    """
    counted = [p for p in projects if p.status in COUNTED_STATUSES]
    on_time = [project_on_time(p) for p in counted]
    within = [project_within_budget(p) for p in counted]
    on_time_known = [x for x in on_time if x is not None]
    within_known = [x for x in within if x is not None]
    ev = sum(p.earned_value or 0.0 for p in counted)
    pv = sum(p.planned_value or 0.0 for p in counted)
    ac = sum(p.actual_cost or 0.0 for p in counted)
    benefit = cost = 0.0
    for p in counted:
        estimate = project_cost_estimate(p)
        if estimate is None:
            continue
        cost += estimate
        benefit += p.realised_benefit if p.status == "done" else p.expected_benefit
    return PortfolioFigures(
        project_count=len(counted),
        on_time_pct=percent(sum(on_time_known), len(on_time_known)),
        within_budget_pct=percent(sum(within_known), len(within_known)),
        spi=ratio(ev, pv),
        cpi=ratio(ev, ac),
        roi=roi(benefit, cost),
        aligned_pct=percent(sum(p.aligned for p in counted), len(counted)),
        change_requests_per_project=ratio(
            float(sum(p.change_requests for p in counted)), float(len(counted))
        ),
        open_risks=sum(p.open_risks for p in counted),
        overdue_actions=sum(p.overdue_actions for p in counted),
    )


def budget_shares(projects: Iterable[tuple[str | None, str, float]]) -> dict[str | None, float]:
    """Each goal's share (0–1) of the portfolio budget, from (goal, status, budget) per project.

    Cancelled projects spend nothing more, so they are left out; the key None holds the
    projects aligned to no goal. An empty or zero budget gives no shares.
    """
    spent: dict[str | None, float] = {}
    for goal, status, budget in projects:
        if status == "cancelled" or not is_number(budget) or budget < 0:
            continue
        spent[goal] = spent.get(goal, 0.0) + budget
    total = sum(spent.values())
    if total <= 0 or not math.isfinite(total):
        return {}
    return {goal: amount / total for goal, amount in spent.items()}


# Names of the portfolio formulas a KPI can be derived from, and the figure each reads.
DERIVED_SOURCES = {
    "on_time_pct": "on_time_pct",
    "within_budget_pct": "within_budget_pct",
    "spi": "spi",
    "cpi": "cpi",
    "roi_pct": "roi",
    "aligned_pct": "aligned_pct",
    "change_requests_per_project": "change_requests_per_project",
    "open_risks": "open_risks",
    "overdue_raid_actions": "overdue_actions",
}


def derived_kpi_value(source: str, figures: PortfolioFigures) -> float | None:
    """The value a derived KPI takes from today's portfolio figures."""
    if source not in DERIVED_SOURCES:
        return None
    value = getattr(figures, DERIVED_SOURCES[source])
    if value is None:
        return None
    # ROI is a fraction in the formulas and a percentage on a KPI.
    result = float(value) * 100.0 if source == "roi_pct" else float(value)
    return result if is_number(result) else None


# --------------------------------------------------------------------------- RAID log

RAID_KINDS = ("risk", "assumption", "issue", "decision", "action")
# The prefix of each kind's codes (R1, A1, I1, D1, ACT1): an action is ACT, as A is taken by
# assumptions and a PMO reads "ACT" at once.
RAID_PREFIXES = {"risk": "R", "assumption": "A", "issue": "I", "decision": "D", "action": "ACT"}
# Probability and impact of a risk, each scored 1 (rare, slight) to 5 (almost certain, severe).
RAID_SCORE = (1, 5)


def risk_exposure(probability: int | None, impact: int | None) -> int | None:
    """A risk's exposure: probability × impact (1–25); None while either is unscored."""
    if probability is None or impact is None:
        return None
    return probability * impact


def raid_overdue(status: str, due: date | None, today: date) -> bool:
    """An open item whose due day has passed (due today is not yet overdue)."""
    return status == "open" and due is not None and due < today


def next_raid_code(kind: str, taken: Iterable[str]) -> str:
    """The next free code of `kind` in a project whose codes are `taken`: one past the highest
    number of that kind's prefix (R3 after R1, R2), so a closed or deleted item's code is not
    handed out again while a higher one stands."""
    prefix = RAID_PREFIXES[kind]
    pattern = re.compile(rf"^{prefix}(\d+)$", re.IGNORECASE)
    numbers = [int(m.group(1)) for code in taken if (m := pattern.match(code))]
    candidate = max(numbers, default=0) + 1
    taken_upper = {code.upper() for code in taken}
    while f"{prefix}{candidate}".upper() in taken_upper:
        candidate += 1
    return f"{prefix}{candidate}"


# The order a RAID log is read in: what needs a decision first, what is only on record last.
RAID_ORDER = ("risk", "issue", "action", "decision", "assumption")


def raid_order(
    kind: str,
    status: str,
    exposure: int | None,
    due: date | None,
    raised: date,
    project_code: str = "",
    code: str = "",
) -> tuple:
    """The sort key of a RAID list: open items before closed ones, then by kind (RAID_ORDER);
    risks by exposure, highest first; the rest by due day, soonest first (none last), then
    the day raised."""
    far = date.max.toordinal()
    return (
        status != "open",
        RAID_ORDER.index(kind) if kind in RAID_ORDER else len(RAID_ORDER),
        -(exposure or 0),
        due.toordinal() if due else far,
        raised.toordinal(),
        project_code,
        code,
    )


def open_risk_count(items: Iterable[tuple[str, str]], typed: int) -> int:
    """A project's open risks from its RAID log's (kind, status) pairs when the log holds any
    risk, else `typed`, the count its latest status update gives."""
    risks = [status for kind, status in items if kind == "risk"]
    return sum(status == "open" for status in risks) if risks else typed


# --------------------------------------------------------------------------- KPI periods & reviews

# A KPI's definition is reviewed at least once a quarter.
REVIEW_EVERY_DAYS = 92


def review_overdue(last_reviewed: date | None, today: date) -> bool:
    """No review of the definition within a quarter (or never)."""
    return last_reviewed is None or (today - last_reviewed).days > REVIEW_EVERY_DAYS


def period_end(day: date, cadence: str) -> date:
    """The last day of the period of a cadence that contains `day` (weeks end on Sunday)."""
    if cadence == "weekly":
        return day + timedelta(days=6 - day.weekday())
    if cadence == "fortnightly":
        # Fortnights counted from Monday 2024-01-01 so every user gets the same boundaries.
        offset = (day - date(2024, 1, 1)).days % 14
        return day + timedelta(days=13 - offset)
    if cadence == "yearly":
        return date(day.year, 12, 31)
    if cadence not in ("monthly", "quarterly"):
        cadence_days(cadence)  # raises for an unknown cadence name
    months = 3 if cadence == "quarterly" else 1
    last_month = ((day.month - 1) // months + 1) * months
    if last_month == 12:  # December ends the year (and 9999 has no following January)
        return date(day.year, 12, 31)
    return date(day.year, last_month + 1, 1) - timedelta(days=1)


def quarter_end(day: date) -> date:
    return period_end(day, "quarterly")


# --------------------------------------------------------------------------- SMART check

# Achievable: the target must be reachable within this many periods at the best pace seen.
ACHIEVABLE_PERIODS = 6
# The best run is measured over this many consecutive periods.
RUN_PERIODS = 3
MIN_DESCRIPTION_WORDS = 5


@dataclass(frozen=True)
class SmartCriterion:
    name: str  # Specific, Measurable, Achievable, Relevant, Time-bound
    passed: bool
    reason: str


@dataclass(frozen=True)
class SmartSubject:
    """What the SMART check reads of a KPI (or a key result)."""

    name: str
    description: str
    unit: str
    owner: str
    target: float | None
    direction: Direction | str
    goal: str | None  # name of the strategic goal it is tied to
    cadence: str | None
    values: tuple[float, ...]  # oldest first
    last_period: date | None
    every_days: int | None
    band: tuple[float, float] | None = None  # a KPI's target band, in place of the target


def best_run(values: Sequence[float], direction: Direction | str, periods: int = RUN_PERIODS) -> float | None:
    """The best average change per period over `periods` consecutive periods, in the good direction."""
    series = [v for v in values if is_number(v)]
    if len(series) <= periods:
        return None
    sign = 1 if Direction(direction) is Direction.HIGHER else -1
    return max(sign * (series[i + periods] - series[i]) / periods for i in range(len(series) - periods))


def _change_words(change: float, unit: str, period: str) -> str:
    if unit == "%":
        return f"{change:+.1f} points/{period}"
    shown = f"{change:+.2f}" if abs(change) < 10 else f"{change:+,.0f}"
    return f"{shown} {unit}/{period}".replace("  ", " ") if unit else f"{shown}/{period}"


_PERIOD_WORDS = {
    "weekly": "week",
    "fortnightly": "fortnight",
    "monthly": "month",
    "quarterly": "quarter",
    "yearly": "year",
}


def count_words(count: int, noun: str) -> str:
    """`1 measurement`, `3 measurements`: a count with its noun, singular for one."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _in_unit(unit: str) -> str:
    """A unit after a count: `in %`, `in days`, but `per project` as it is."""
    return unit if unit.startswith("per ") else f"in {unit}"


def smart_check(subject: SmartSubject, today: date) -> tuple[SmartCriterion, ...]:
    """Each SMART criterion with pass/fail and the reason in words, judged from the fields and history."""
    words = len(subject.description.split())
    missing = [
        label
        for label, present in (
            ("a description", words >= MIN_DESCRIPTION_WORDS),
            ("an owner", bool(subject.owner.strip())),
        )
        if not present
    ]
    specific = SmartCriterion(
        "Specific",
        not missing,
        f"needs {' and '.join(missing)}"
        if missing
        else f"described in {words} words and owned by {subject.owner}",
    )

    has_target = is_number(subject.target) or subject.band is not None
    aim = "a band" if subject.band is not None else "a target"
    measurable_missing = [
        label
        for label, present in (
            ("a unit", bool(subject.unit.strip())),
            ("a target", has_target),
            ("a measurement", bool(subject.values)),
        )
        if not present
    ]
    measurable = SmartCriterion(
        "Measurable",
        not measurable_missing,
        f"needs {', '.join(measurable_missing)}"
        if measurable_missing
        else f"{count_words(len(subject.values), 'measurement')} {_in_unit(subject.unit)} against {aim}",
    )

    period = _PERIOD_WORDS.get(subject.cadence or "", "period")
    if not has_target or not subject.values:
        lacking = " and ".join(
            what
            for what, absent in (
                ("a target", not has_target),
                ("a measurement", not subject.values),
            )
            if absent
        )
        achievable = SmartCriterion("Achievable", False, f"cannot be judged without {lacking}")
    else:
        latest = subject.values[-1]
        direction = Direction(subject.direction)
        if subject.band is not None:
            # Outside a band, the aim is its nearer edge: up from below it, down from above it.
            direction = Direction.HIGHER if latest < subject.band[0] else Direction.LOWER
            gap = distance_from_band(latest, subject.band)
        else:
            target = subject.target if is_number(subject.target) else latest
            gap = (1 if direction is Direction.HIGHER else -1) * (target - latest)
        sign = 1 if direction is Direction.HIGHER else -1
        if gap <= 0:
            met = (
                "the value is already within the band"
                if subject.band is not None
                else "the target is already met"
            )
            achievable = SmartCriterion("Achievable", True, met)
        else:
            needed = gap / ACHIEVABLE_PERIODS
            best = best_run(subject.values, direction)
            reaching = "reaching the band" if subject.band is not None else "the target"
            needed_words = _change_words(sign * needed, subject.unit, period)
            if best is None:
                achievable = SmartCriterion(
                    "Achievable",
                    False,
                    f"{reaching} needs {needed_words} over {ACHIEVABLE_PERIODS} {period}s; "
                    f"too little history to judge",
                )
            elif best <= 0:
                achievable = SmartCriterion(
                    "Achievable",
                    False,
                    f"{reaching} needs {needed_words} over {ACHIEVABLE_PERIODS} {period}s; "
                    f"the history never improved over {RUN_PERIODS} {period}s in a row",
                )
            else:
                best_words = _change_words(sign * best, subject.unit, period)
                achievable = SmartCriterion(
                    "Achievable",
                    best >= needed,
                    f"{reaching} needs {needed_words} over {ACHIEVABLE_PERIODS} {period}s; "
                    f"the best {RUN_PERIODS}-{period} run in the history was {best_words}",
                )

    relevant = SmartCriterion(
        "Relevant",
        bool(subject.goal),
        f"tied to the goal “{subject.goal}”" if subject.goal else "not tied to a strategic goal",
    )

    if not subject.cadence or not subject.every_days:
        time_bound = SmartCriterion("Time-bound", False, "has no cadence")
    elif is_overdue(subject.last_period, today, subject.every_days):
        last = f"last on {subject.last_period:%d %b %Y}" if subject.last_period else "never measured"
        time_bound = SmartCriterion("Time-bound", False, f"measured {subject.cadence} but {last}")
    else:
        time_bound = SmartCriterion(
            "Time-bound", True, f"measured {subject.cadence}, last on {subject.last_period:%d %b %Y}"
        )
    return (specific, measurable, achievable, relevant, time_bound)


# --------------------------------------------------------------------------- maturity

STAGE_NAMES = {1: "Initial/Basic", 2: "Developing", 3: "Established", 4: "Well-Established", 5: "Optimized"}


def stage_of(score: float | None) -> int | None:
    """A stage is reached when the mean level reaches it: 2.9 is still Developing (2)."""
    if not is_number(score):
        return None
    return max(1, min(5, math.floor(score + 1e-9)))


def dimension_score(levels: Iterable[int | None]) -> float | None:
    """Mean level of the answered statements; unanswered ones do not count, none answered is None."""
    answered = [level for level in levels if level is not None]
    return sum(answered) / len(answered) if answered else None


def overall_score(scores: Iterable[float | None]) -> float | None:
    """Mean of the dimensions that have answers, each dimension weighing the same."""
    return dimension_score(scores)  # type: ignore[arg-type]


def weakest(scores: Sequence[tuple[str, float | None]], count: int = 3) -> list[str]:
    """The ids of the lowest-scoring answered dimensions; ties keep the question bank's order."""
    answered = [(score, index, dim) for index, (dim, score) in enumerate(scores) if score is not None]
    return [dim for _, _, dim in sorted(answered)[:count]]


@dataclass(frozen=True)
class MixAdvice:
    """What mix of KPIs and OKRs fits a stage."""

    headline: str
    kpis: str
    okrs: str


def recommended_mix(stage: int | None) -> MixAdvice:
    if stage is None or stage <= 2:
        return MixAdvice(
            "Establish KPIs first",
            "A small, consistent set of KPIs (8–12), each with an owner, a target and a cadence, "
            "measured the same way every period.",
            "No OKRs yet, or one pilot objective at most: change needs a stable baseline to measure against.",
        )
    if stage == 3:
        return MixAdvice(
            "KPIs plus a first few OKRs",
            "Keep the KPI set steady and reviewed; use red or worsening KPIs as the seeds of objectives.",
            "One to three objectives a quarter, each with 2–5 key results tied to KPIs, "
            "checked in weekly and graded at the end.",
        )
    return MixAdvice(
        "OKRs for strategy, KPIs to keep operations steady",
        "KPIs run the machine: few, automated where possible, with leading indicators "
        "and retired when they stop mattering.",
        "OKRs steer the change each quarter across teams, aligned to strategic goals, "
        "with honest 0.7 grading and carry-over.",
    )


@dataclass(frozen=True)
class EvidenceFacts:
    """What the database itself shows about the measurement practice (counts, not opinions)."""

    kpis: int
    kpis_with_target: int
    kpis_with_owner: int
    kpis_with_goal: int
    kpis_on_cadence: int
    kpis_reviewed: int
    kpis_leading: int
    projects: int
    projects_aligned: int
    check_in_weeks_due: int
    check_in_weeks_done: int


@dataclass(frozen=True)
class EvidenceItem:
    dimension: str  # the question bank's dimension id this evidence speaks to
    label: str
    share: float | None  # 0–1
    implied_stage: int | None


# Leading indicators are a minority even in mature PMOs: a third of the set already counts as full.
LEADING_FULL_SHARE = 1 / 3


# The share of good practice each stage needs, at least: the data caps what a rating can claim.
STAGE_SHARES = ((5, 0.95), (4, 0.85), (3, 0.70), (2, 0.50))


def stage_from_share(share: float | None) -> int | None:
    """The highest stage a share of good practice supports: 70 % is Established, 95 % Optimized."""
    if not is_number(share):
        return None
    return next((stage for stage, needed in STAGE_SHARES if share >= needed - 1e-9), 1)


def evidence(facts: EvidenceFacts) -> tuple[EvidenceItem, ...]:
    """Each share of good practice in the data, with the stage it suggests for its dimension."""

    def share(part: int, whole: int) -> float | None:
        return None if whole <= 0 else part / whole

    def item(dimension: str, label: str, value: float | None, scale: float = 1.0) -> EvidenceItem:
        implied = stage_from_share(None if value is None else min(1.0, value / scale))
        return EvidenceItem(dimension, label, value, implied)

    return (
        item(
            "alignment", "projects aligned to a strategic goal", share(facts.projects_aligned, facts.projects)
        ),
        item("definition", "KPIs with an owner", share(facts.kpis_with_owner, facts.kpis)),
        item("targets", "KPIs with a target", share(facts.kpis_with_target, facts.kpis)),
        item("data", "KPIs measured within their cadence", share(facts.kpis_on_cadence, facts.kpis)),
        item(
            "leading",
            "KPIs that are leading indicators",
            share(facts.kpis_leading, facts.kpis),
            LEADING_FULL_SHARE,
        ),
        item("review", "KPIs reviewed within a quarter", share(facts.kpis_reviewed, facts.kpis)),
        item(
            "okr",
            "weekly key-result check-ins made",
            share(facts.check_in_weeks_done, facts.check_in_weeks_due),
        ),
    )


def disagreement(self_stage: int | None, implied_stage: int | None) -> int:
    """How many stages the self-rating sits above (+) or below (−) the evidence; 0 if unknown."""
    if self_stage is None or implied_stage is None:
        return 0
    return self_stage - implied_stage


def check_in_weeks(check_in_days: Sequence[date], start: date, until: date) -> tuple[int, int]:
    """(weeks due, weeks with a check-in) for one key result from `start` to `until`.

    A week is due once it is over, or earlier when its check-in has already come:
    a team that checks in every week is never behind.
    """
    if until < start:
        return 0, 0
    weeks_over = (until - start).days // 7
    done = {(day - start).days // 7 for day in check_in_days if start <= day <= until}
    return weeks_over + (weeks_over in done), len(done)
