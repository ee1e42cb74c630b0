"""Checks what a user typed (forms, command line) and turns it into values, or says what is wrong.

Pure functions: the screens show the messages beside their fields, the CLI prints them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Set
from dataclasses import dataclass
from datetime import date
from typing import Literal, overload

from pmo_tui import calculations as calc
from pmo_tui.calculations import CADENCE_DAYS, DERIVED_SOURCES

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?", re.ASCII)
# Compiled once: a measurements file runs every period cell through parse_date.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
MAX_CODE = 24
MAX_NAME = 120
MAX_TEXT = 2000
# Far beyond any budget or count a PMO keeps, and far from where float arithmetic breaks down.
MAX_MAGNITUDE = 1e15
# Dates a portfolio can hold: the formulas step periods and quarters forward without overflowing.
FIRST_YEAR, LAST_YEAR = 1900, 2199


class InvalidInput(ValueError):
    """One field's value was refused; `field` says which, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def accepts(minimum: float | None = None, maximum: float | None = None, *, whole: bool = False) -> str:
    """What a number field accepts, in the words its hint and its messages both use."""
    noun = "a whole number" if whole else "a number"
    if minimum is not None and maximum is not None:
        return f"{noun} {_number_text(minimum)}–{_number_text(maximum)}"
    if minimum is not None:
        return f"{noun} ≥ {_number_text(minimum)}"
    if maximum is not None:
        return f"{noun} ≤ {_number_text(maximum)}"
    return noun


def _number_text(value: float) -> str:
    """A number as typed: 0, 10, 2500000, 0.5."""
    return str(int(value)) if float(value).is_integer() else f"{value:.6f}".rstrip("0").rstrip(".")


@overload
def parse_number(
    text: str,
    field: str,
    *,
    required: Literal[True] = True,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float: ...
@overload
def parse_number(
    text: str,
    field: str,
    *,
    required: bool,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float | None: ...
def parse_number(
    text: str,
    field: str,
    *,
    required: bool = True,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float | None:
    """A finite number typed by a person: `1 234.5`, `1,234.5` and `-3` are fine; `nan`, `inf` are not.

    Every message names what the field accepts (see `accepts`), as the field's hint does."""
    wanted = accepts(minimum, maximum)
    bounded = minimum is not None or maximum is not None
    cleaned = text.strip().replace(" ", "").replace("_", "")
    if "," in cleaned:
        # Commas group thousands (1,234.5); "1,5" is a decimal comma and would be read 10 times too big.
        if not THOUSANDS.fullmatch(cleaned):
            raise InvalidInput(field, f"“{text.strip()}”: use a point for decimals, e.g. 1.5")
        cleaned = cleaned.replace(",", "")
    if not cleaned:
        if required:
            raise InvalidInput(field, f"enter {wanted}")
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise InvalidInput(
            field, f"“{text.strip()}” is not a number" + (f"; enter {wanted}" if bounded else "")
        ) from None
    if not math.isfinite(value):
        raise InvalidInput(field, "enter a finite number" + (f" ({wanted})" if bounded else ""))
    if abs(value) > MAX_MAGNITUDE:
        raise InvalidInput(field, f"is too large (at most {MAX_MAGNITUDE:,.0f} either way)")
    if minimum is not None and value < minimum:
        raise InvalidInput(field, f"must be at least {minimum:g} (enter {wanted})")
    if maximum is not None and value > maximum:
        raise InvalidInput(field, f"must be at most {maximum:g} (enter {wanted})")
    return value


@overload
def parse_date(text: str, field: str, *, required: Literal[True] = True) -> date: ...
@overload
def parse_date(text: str, field: str, *, required: bool) -> date | None: ...
def parse_date(text: str, field: str, *, required: bool = True) -> date | None:
    """A date as YYYY-MM-DD; a day that does not exist (2026-02-30) is refused."""
    cleaned = text.strip()
    if not cleaned:
        if required:
            raise InvalidInput(field, "enter a date as YYYY-MM-DD")
        return None
    if not ISO_DATE.fullmatch(cleaned):
        raise InvalidInput(field, f"“{cleaned}” is not a date as YYYY-MM-DD")
    try:
        day = date.fromisoformat(cleaned)
    except ValueError:
        raise InvalidInput(field, f"{cleaned} does not exist") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput(field, f"{cleaned} is outside the years {FIRST_YEAR}–{LAST_YEAR}")
    return day


def parse_text(text: str, field: str, *, required: bool = False, limit: int = MAX_NAME) -> str:
    value = text.strip()
    if required and not value:
        raise InvalidInput(field, "must not be empty")
    if len(value) > limit:
        raise InvalidInput(field, f"at most {limit} characters ({len(value)} typed)")
    return value


def parse_code(text: str, field: str = "code") -> str:
    value = text.strip()
    if not value:
        raise InvalidInput(field, "must not be empty")
    if len(value) > MAX_CODE or not CODE_PATTERN.match(value):
        raise InvalidInput(field, f"letters, digits, '-', '_' and '.' only, at most {MAX_CODE} characters")
    return value


def parse_choice(text: str, field: str, choices: tuple[str, ...]) -> str:
    value = text.strip()
    if value not in choices:
        raise InvalidInput(field, f"choose one of: {', '.join(choices)}")
    return value


def _checker(fields: Mapping[str, str]):
    """A small helper: parse each field, collecting every message instead of stopping at the first."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}

    def take(name: str, parse) -> None:
        try:
            values[name] = parse(fields.get(name, ""))
        except InvalidInput as error:
            errors[name] = error.message

    return values, errors, take


@dataclass(frozen=True)
class KpiDefinition:
    """A KPI's definition as typed into the form, checked."""

    code: str
    name: str
    description: str
    unit: str
    direction: str
    target: float | None
    warning: float | None
    indicator: str
    nature: str
    owner: str
    cadence: str
    goal: str | None  # code of the strategic goal
    source: str
    # A target band in place of a target (both bounds or neither): above it is as bad as below.
    band_low: float | None = None
    band_high: float | None = None


KPI_SOURCES = ("entered", *DERIVED_SOURCES)


def check_kpi_definition(
    fields: Mapping[str, str], goal_codes: set[str]
) -> tuple[KpiDefinition | None, dict[str, str]]:
    """Every field checked at once: the definition, or a message for each field that is wrong."""
    values, errors, take = _checker(fields)
    take("code", lambda t: parse_code(t))
    take("name", lambda t: parse_text(t, "name", required=True))
    take("description", lambda t: parse_text(t, "description", limit=MAX_TEXT))
    take("unit", lambda t: parse_text(t, "unit", limit=20))
    take("direction", lambda t: parse_choice(t, "direction", ("higher", "lower")))
    take("target", lambda t: parse_number(t, "target", required=False))
    take("warning", lambda t: parse_number(t, "warning", required=False))
    take("band_low", lambda t: parse_number(t, "band_low", required=False))
    take("band_high", lambda t: parse_number(t, "band_high", required=False))
    take("indicator", lambda t: parse_choice(t, "indicator", ("leading", "lagging")))
    take("nature", lambda t: parse_choice(t, "nature", ("quantitative", "qualitative")))
    take("owner", lambda t: parse_text(t, "owner"))
    take("cadence", lambda t: parse_choice(t, "cadence", tuple(CADENCE_DAYS)))
    take("source", lambda t: parse_choice(t, "source", KPI_SOURCES))
    goal = fields.get("goal", "").strip()
    if goal and goal not in goal_codes:
        errors["goal"] = f"no strategic goal with code “{goal}”"
    values["goal"] = goal or None

    target, warning = values.get("target"), values.get("warning")
    direction = values.get("direction")
    if warning is not None and target is None and "target" not in errors:
        errors["target"] = "a warning line needs a target"
    if warning is not None and target is not None and direction in ("higher", "lower"):
        wrong_side = warning > target if direction == "higher" else warning < target
        if wrong_side:
            side = "below" if direction == "higher" else "above"
            errors["warning"] = f"must lie {side} the target when {direction} is better"
    errors.update(band_errors(values, errors))
    if errors:
        return None, errors
    return KpiDefinition(**values), {}


def band_errors(values: Mapping[str, object], errors: Mapping[str, str]) -> dict[str, str]:
    """A KPI's band: both bounds or neither, the lower below the upper, and then no single
    target or warning line beside it (the band is the target)."""
    low, high = values.get("band_low"), values.get("band_high")
    found: dict[str, str] = {}
    if "band_low" in errors or "band_high" in errors or (low is None and high is None):
        return found
    if low is None or high is None:
        missing, given = ("band_low", "upper") if low is None else ("band_high", "lower")
        found[missing] = f"a band needs both bounds: enter this one too, or clear the {given} one"
        return found
    if isinstance(low, float) and isinstance(high, float) and low >= high:
        found["band_high"] = "must be above the lower bound"
    for name in ("target", "warning"):
        if values.get(name) is not None and name not in errors:
            found[name] = "a KPI with a band has no single target or warning line: leave it blank"
    return found


# --------------------------------------------------------------------------- OKRs

CYCLE_STATUSES = ("open", "closed", "archived")
OBJECTIVE_STATUSES = ("draft", "active", "done", "archived")
KEY_RESULT_KINDS = ("increase", "decrease", "within_band", "milestone")
WEIGHT_ACCEPTS = "a number > 0"


def parse_confidence(text: str, field: str = "confidence") -> float:
    """Confidence typed as 0–10 (how sure the owner is of reaching the target), stored as 0–1."""
    value = parse_number(text, field, minimum=0, maximum=10)
    return value / 10


@dataclass(frozen=True)
class CycleDefinition:
    name: str
    start: date
    end: date


def check_cycle(fields: Mapping[str, str]) -> tuple[CycleDefinition | None, dict[str, str]]:
    values, errors, take = _checker(fields)
    take("name", lambda t: parse_code(t, "name"))
    take("start", lambda t: parse_date(t, "start"))
    take("end", lambda t: parse_date(t, "end"))
    if not errors and values["end"] <= values["start"]:
        errors["end"] = "must come after the start"
    if errors:
        return None, errors
    return CycleDefinition(**values), {}


@dataclass(frozen=True)
class ObjectiveDefinition:
    title: str
    cycle: str
    owner: str
    goal: str | None  # strategic goal code
    parent: str | None  # objective code
    status: str


def check_objective(
    fields: Mapping[str, str], goal_codes: set[str], cycle_names: set[str], objective_codes: set[str]
) -> tuple[ObjectiveDefinition | None, dict[str, str]]:
    values, errors, take = _checker(fields)
    take("title", lambda t: parse_text(t, "title", required=True, limit=200))
    take("owner", lambda t: parse_text(t, "owner"))
    take("status", lambda t: parse_choice(t, "status", OBJECTIVE_STATUSES))
    cycle = fields.get("cycle", "").strip()
    if cycle not in cycle_names:
        errors["cycle"] = f"no cycle named “{cycle}”" if cycle else "choose a cycle"
    values["cycle"] = cycle
    goal = fields.get("goal", "").strip()
    if goal and goal not in goal_codes:
        errors["goal"] = f"no strategic goal with code “{goal}”"
    values["goal"] = goal or None
    parent = fields.get("parent", "").strip()
    if parent and parent not in objective_codes:
        errors["parent"] = f"no objective with code “{parent}”"
    values["parent"] = parent or None
    if errors:
        return None, errors
    return ObjectiveDefinition(**values), {}


@dataclass(frozen=True)
class KeyResultDefinition:
    title: str
    kind: str
    unit: str
    baseline: float
    target: float
    band_low: float | None
    band_high: float | None
    weight: float
    owner: str
    kpi: str | None  # linked KPI code
    reason: str  # why the target changed, when it did after check-ins


def check_key_result(
    fields: Mapping[str, str], kpi_codes: set[str]
) -> tuple[KeyResultDefinition | None, dict[str, str]]:
    values, errors, take = _checker(fields)
    take("title", lambda t: parse_text(t, "title", required=True, limit=200))
    take("kind", lambda t: parse_choice(t, "kind", KEY_RESULT_KINDS))
    take("unit", lambda t: parse_text(t, "unit", limit=20))
    kind = values.get("kind")
    milestone = kind == "milestone"
    # A milestone goes from 0 (not done) to 1 (done); blank baseline and target mean just that.
    take("baseline", lambda t: parse_number(t, "baseline", required=not milestone) or 0.0)
    take(
        "target",
        lambda t: parse_number(t, "target", required=not milestone) if t.strip() or not milestone else 1.0,
    )
    take("band_low", lambda t: parse_number(t, "band_low", required=False))
    take("band_high", lambda t: parse_number(t, "band_high", required=False))
    take("weight", lambda t: parse_number(t, "weight", minimum=0) if t.strip() else 1.0)
    take("owner", lambda t: parse_text(t, "owner"))
    take("reason", lambda t: parse_text(t, "reason", limit=500))
    kpi = fields.get("kpi", "").strip()
    if kpi and kpi not in kpi_codes:
        errors["kpi"] = f"no KPI with code “{kpi}”"
    values["kpi"] = kpi or None
    if "weight" not in errors and values.get("weight") == 0:
        errors["weight"] = f"must be more than 0 (enter {WEIGHT_ACCEPTS})"
    if milestone:
        for name in ("baseline", "target"):
            if name not in errors:
                try:
                    check_milestone_value(values[name], name)
                except InvalidInput as error:
                    errors[name] = error.message
    low, high = values.get("band_low"), values.get("band_high")
    if kind == "within_band":
        if low is None and high is None and "band_low" not in errors and "band_high" not in errors:
            errors["band_low"] = "a band needs a lower or an upper bound (or both)"
        if low is not None and high is not None and low > high:
            errors["band_high"] = "must not be below the lower bound"
    elif (
        kind == "increase"
        and "target" not in errors
        and "baseline" not in errors
        and values["target"] < values["baseline"]
    ):
        errors["target"] = "an increase needs a target above the baseline (or choose decrease)"
    elif (
        kind == "decrease"
        and "target" not in errors
        and "baseline" not in errors
        and values["target"] > values["baseline"]
    ):
        errors["target"] = "a decrease needs a target below the baseline (or choose increase)"
    if errors:
        return None, errors
    return KeyResultDefinition(**values), {}


@dataclass(frozen=True)
class CheckInEntry:
    on: date
    value: float
    confidence: float  # 0–1
    comment: str


def check_check_in(fields: Mapping[str, str]) -> tuple[CheckInEntry | None, dict[str, str]]:
    values, errors, take = _checker(fields)
    take("on", lambda t: parse_date(t, "on"))
    take("value", lambda t: parse_number(t, "value"))
    take("confidence", lambda t: parse_confidence(t))
    take("comment", lambda t: parse_text(t, "comment", limit=500))
    if errors:
        return None, errors
    return CheckInEntry(**values), {}


# ---------------------------------------------------------------------- projects and goals

PROJECT_STATUSES = ("proposed", "active", "on_hold", "done", "cancelled")


def parse_count(text: str, field: str) -> int:
    """A whole number of things (change requests, risks): empty is 0, negative or 2.5 is refused."""
    value = parse_number(text, field, required=False, minimum=0)
    if value is None:
        return 0
    if value != int(value):
        raise InvalidInput(field, f"enter {accepts(0, whole=True)}")
    if value > 1_000_000:
        raise InvalidInput(field, "must be at most 1000000")
    return int(value)


@dataclass(frozen=True)
class ProjectDefinition:
    """A project as typed into its form, checked."""

    code: str
    name: str
    owner: str
    status: str
    goal: str | None  # code of the strategic goal
    start: date
    planned_finish: date
    actual_finish: date | None
    budget: float
    expected_benefit: float
    realised_benefit: float


def check_project(
    fields: Mapping[str, str], goal_codes: set[str], taken_codes: Set[str] = frozenset()
) -> tuple[ProjectDefinition | None, dict[str, str]]:
    """Every field at once; `taken_codes` are other projects' codes (a duplicate is refused here)."""
    values, errors, take = _checker(fields)
    take("code", lambda t: parse_code(t))
    take("name", lambda t: parse_text(t, "name", required=True))
    take("owner", lambda t: parse_text(t, "owner"))
    take("status", lambda t: parse_choice(t, "status", PROJECT_STATUSES))
    take("start", lambda t: parse_date(t, "start"))
    take("planned_finish", lambda t: parse_date(t, "planned finish"))
    take("actual_finish", lambda t: parse_date(t, "actual finish", required=False))
    take("budget", lambda t: parse_number(t, "budget", minimum=0))
    take("expected_benefit", lambda t: parse_number(t, "expected benefit", required=False, minimum=0) or 0.0)
    take("realised_benefit", lambda t: parse_number(t, "realised benefit", required=False, minimum=0) or 0.0)
    if values.get("code") in taken_codes:
        errors["code"] = f"{values['code']} is already the code of another project"
    goal = fields.get("goal", "").strip()
    if goal and goal not in goal_codes:
        errors["goal"] = f"no strategic goal with code “{goal}”"
    values["goal"] = goal or None
    start = values.get("start")
    if start and values.get("planned_finish") and values["planned_finish"] < start:
        errors["planned_finish"] = f"is before the start ({start.isoformat()})"
    if start and values.get("actual_finish") and values["actual_finish"] < start:
        errors["actual_finish"] = f"is before the start ({start.isoformat()})"
    if values.get("status") == "done" and "actual_finish" not in errors and not values.get("actual_finish"):
        errors["actual_finish"] = "a done project needs the day it finished"
    if errors:
        return None, errors
    return ProjectDefinition(**values), {}


@dataclass(frozen=True)
class ProjectClosing:
    """What closing a project as done records: the benefit it brought, what it cost in the
    end, and whether it was descoped (None when not asked: earned value near the budget)."""

    realised_benefit: float
    actual_cost: float
    descoped: bool | None = None


@dataclass(frozen=True)
class StatusUpdateEntry:
    """A dated status update of a project as typed, checked."""

    on: date
    forecast_finish: date | None
    planned_value: float
    earned_value: float
    actual_cost: float
    change_requests: int
    open_risks: int
    satisfaction: float | None
    comment: str


def check_status_update(
    fields: Mapping[str, str],
    start: date | None = None,
    *,
    budget: float | None = None,
    today: date | None = None,
) -> tuple[StatusUpdateEntry | None, dict[str, str]]:
    """Every field at once; `start` is the project's start, which neither the update nor its forecast
    finish may precede; earned value may not exceed `budget`; the update may not be after `today`."""
    values, errors, take = _checker(fields)
    take("on", lambda t: parse_date(t, "date"))
    take("forecast_finish", lambda t: parse_date(t, "forecast finish", required=False))
    take("planned_value", lambda t: parse_number(t, "planned value", minimum=0))
    take("earned_value", lambda t: parse_number(t, "earned value", minimum=0))
    take("actual_cost", lambda t: parse_number(t, "actual cost", minimum=0))
    take("change_requests", lambda t: parse_count(t, "change requests"))
    take("open_risks", lambda t: parse_count(t, "open risks"))
    take("satisfaction", lambda t: parse_number(t, "satisfaction", required=False, minimum=0, maximum=100))
    take("comment", lambda t: parse_one_line(t, "comment", limit=200))
    if start and values.get("forecast_finish") and values["forecast_finish"] < start:
        errors["forecast_finish"] = f"is before the project's start ({start.isoformat()})"
    for name, check in (
        ("on", lambda: check_status_update_day(values["on"], today, start)),
        ("earned_value", lambda: check_earned_value(values["earned_value"], budget)),
    ):
        if name in values:
            try:
                check()
            except InvalidInput as error:
                errors[name] = error.message
    if errors:
        return None, errors
    return StatusUpdateEntry(**values), {}


def parse_one_line(text: str, field: str, *, limit: int = MAX_NAME) -> str:
    """Text that must stay on one line (a comment in a table row)."""
    if "\n" in text or "\r" in text:
        raise InvalidInput(field, "one line only")
    return parse_text(text, field, limit=limit)


@dataclass(frozen=True)
class GoalDefinition:
    code: str
    name: str
    description: str
    owner: str


def check_goal(
    fields: Mapping[str, str], taken_codes: Set[str] = frozenset()
) -> tuple[GoalDefinition | None, dict[str, str]]:
    values, errors, take = _checker(fields)
    take("code", lambda t: parse_code(t))
    take("name", lambda t: parse_text(t, "name", required=True))
    take("description", lambda t: parse_text(t, "description", limit=MAX_TEXT))
    take("owner", lambda t: parse_text(t, "owner"))
    if values.get("code") in taken_codes:
        errors["code"] = f"{values['code']} is already the code of another goal"
    if errors:
        return None, errors
    return GoalDefinition(**values), {}


RAID_STATUSES = ("open", "closed")
RAID_NOTE_LIMIT = 200


def parse_score(text: str, field: str) -> int | None:
    """A risk's probability or impact: a whole number 1–5, or nothing."""
    low, high = calc.RAID_SCORE
    value = parse_number(text, field, required=False, minimum=low, maximum=high)
    if value is None:
        return None
    if value != int(value):
        raise InvalidInput(field, f"enter {accepts(low, high, whole=True)}")
    return int(value)


@dataclass(frozen=True)
class RaidEntry:
    """A RAID item (risk, assumption, issue, decision or action) as typed, checked."""

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


def check_raid_item(
    fields: Mapping[str, str], taken_codes: Set[str] = frozenset(), today: date | None = None
) -> tuple[RaidEntry | None, dict[str, str]]:
    """Every field at once. `taken_codes` are the project's other items' codes; nothing is
    raised, closed or decided after `today`. A risk is scored (probability and impact, 1–5),
    nothing else is; a decision records when, by whom and why once it is made (a closed
    decision has been made), nothing else does."""
    values, errors, take = _checker(fields)
    take("code", lambda t: parse_code(t))
    take("kind", lambda t: parse_choice(t, "kind", calc.RAID_KINDS))
    take("title", lambda t: parse_one_line(t, "title", limit=MAX_NAME) or _required("title"))
    take("owner", lambda t: parse_one_line(t, "owner"))
    take("status", lambda t: parse_choice(t or "open", "status", RAID_STATUSES))
    take("raised", lambda t: parse_date(t, "raised"))
    take("due", lambda t: parse_date(t, "due", required=False))
    take("closed", lambda t: parse_date(t, "closed", required=False))
    take("note", lambda t: parse_one_line(t, "note", limit=RAID_NOTE_LIMIT))
    take("probability", lambda t: parse_score(t, "probability"))
    take("impact", lambda t: parse_score(t, "impact"))
    take("decided", lambda t: parse_date(t, "decided", required=False))
    take("decided_by", lambda t: parse_one_line(t, "decided by"))
    take("rationale", lambda t: parse_one_line(t, "rationale", limit=RAID_NOTE_LIMIT))
    if values.get("code", "").upper() in {code.upper() for code in taken_codes}:
        errors["code"] = f"{values['code']} is already the code of another item of this project"
    raised = values.get("raised")
    for name in ("due", "closed", "decided"):
        day = values.get(name)
        if raised and day and day < raised:
            errors[name] = f"is before the day it was raised ({raised.isoformat()})"
    for name in ("raised", "closed", "decided"):
        day = values.get(name)
        if today and day and day > today and name not in errors:
            errors[name] = f"{day.isoformat()} is after today ({today.isoformat()})"
    status = values.get("status")
    if status == "closed" and "closed" not in errors and not values.get("closed"):
        errors["closed"] = "a closed item needs the day it was closed"
    if status == "open" and values.get("closed"):
        errors["closed"] = "an open item has no closed day: clear it, or set the status to closed"
    kind = values.get("kind")
    if kind == "risk":
        for name in ("probability", "impact"):
            if name not in errors and values.get(name) is None:
                errors[name] = f"a risk needs its {name}: {accepts(*calc.RAID_SCORE, whole=True)}"
    elif kind:
        for name in ("probability", "impact"):
            if values.get(name) is not None:
                errors[name] = f"only a risk has a {name}; clear it (this is {_a(kind)})"
    decision_fields = ("decided", "decided_by", "rationale")
    if kind == "decision":
        made = any(values.get(name) for name in decision_fields) or status == "closed"
        words = {"decided": "the day decided", "decided_by": "who decided", "rationale": "why"}
        for name in decision_fields:
            if made and name not in errors and not values.get(name):
                errors[name] = f"a decision made needs {words[name]}"
    elif kind:
        for name in decision_fields:
            if values.get(name) and name not in errors:
                errors[name] = f"only a decision has this; clear it (this is {_a(kind)})"
    if errors:
        return None, errors
    return RaidEntry(**values), {}


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _required(field: str) -> str:
    raise InvalidInput(field, "must not be empty")


# ------------------------------------------------------------ dates and values that can be true
#
# One place for the rules every way in obeys (forms, the command line, TOML and CSV imports):
# the store's write methods and the importers call these, the forms call them to show a message
# beside the field before anything is sent.

MILESTONE_ACCEPTS = "0 or 1"


def check_milestone_value(value: float, field: str) -> None:
    """A milestone is done (1) or not (0): nothing else can be true of it."""
    if value not in (0, 1):
        raise InvalidInput(
            field, f"a milestone takes {MILESTONE_ACCEPTS} (0 not done, 1 done), not {_number_text(value)}"
        )


def check_check_in_day(
    on: date, today: date | None, cycle: str, start: date, end: date, field: str = "on"
) -> None:
    """A check-in says what was true on a day that has come (`today` None: any day), within its
    key result's cycle."""
    if today is not None and on > today:
        raise InvalidInput(
            field,
            f"{on.isoformat()} is after today ({today.isoformat()}); a check-in records what has happened",
        )
    if not start <= on <= end:
        raise InvalidInput(
            field,
            f"{on.isoformat()} is outside the key result's cycle {cycle} "
            f"({start.isoformat()} to {end.isoformat()})",
        )


def measurement_period(day: date, cadence: str, today: date | None = None, field: str = "period") -> date:
    """The last day of the KPI period that holds `day`: where its value is stored, whatever day
    of the period was typed (one value per period). A period that ends after the last year a
    portfolio holds, or that comes after the current period (the one holding `today`), is refused."""
    try:
        end = calc.period_end(day, cadence)
    except OverflowError:
        end = None
    if end is None or end.year > LAST_YEAR:
        raise InvalidInput(
            field,
            f"the {cadence} period holding {day.isoformat()} ends after {LAST_YEAR}, "
            "the last year a portfolio can hold",
        )
    if today is not None:
        try:
            current = calc.period_end(today, cadence)
        except OverflowError:
            current = date.max
        if end > current:
            raise InvalidInput(
                field,
                f"{day.isoformat()} is in a {cadence} period after the current one "
                f"(ending {current.isoformat()}); a value is recorded once its "
                "period has begun",
            )
    return end


def check_status_update_day(on: date, today: date | None, start: date | None, field: str = "on") -> None:
    """A status update reports a day that has come, and not before the project started."""
    if today is not None and on > today:
        raise InvalidInput(
            field,
            f"{on.isoformat()} is after today ({today.isoformat()}); "
            "a status update reports what has happened",
        )
    if start is not None and on < start:
        raise InvalidInput(field, f"{on.isoformat()} is before the project's start ({start.isoformat()})")


def check_earned_value(earned_value: float, budget: float | None, field: str = "earned_value") -> None:
    """Earned value is the budgeted cost of the work done: it never exceeds the budget (BAC)."""
    if budget is not None and earned_value > budget:
        raise InvalidInput(
            field,
            f"{_number_text(earned_value)} is more than the budget "
            f"({_number_text(budget)}); enter {earned_value_accepts(budget)}",
        )


def earned_value_accepts(budget: float | None) -> str:
    return accepts(0, budget) if budget is not None else accepts(0)
