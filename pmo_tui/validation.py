"""Checks what a user typed (forms, command line) and turns it into values, or says what is wrong.

Pure functions: the screens show the messages beside their fields, the CLI prints them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from pmo_tui.calculations import CADENCE_DAYS, DERIVED_SOURCES

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?", re.ASCII)
MAX_CODE = 24
MAX_NAME = 120
MAX_TEXT = 2000


class InvalidInput(ValueError):
    """One field's value was refused; `field` says which, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def parse_number(text: str, field: str, *, required: bool = True, minimum: float | None = None,
                 maximum: float | None = None) -> float | None:
    """A finite number typed by a person: `1 234.5`, `1,234.5` and `-3` are fine; `nan`, `inf` are not."""
    cleaned = text.strip().replace(" ", "").replace("_", "")
    if "," in cleaned:
        # Commas group thousands (1,234.5); "1,5" is a decimal comma and would be read 10 times too big.
        if not THOUSANDS.fullmatch(cleaned):
            raise InvalidInput(field, f"“{text.strip()}”: use a point for decimals, e.g. 1.5")
        cleaned = cleaned.replace(",", "")
    if not cleaned:
        if required:
            raise InvalidInput(field, "enter a number")
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise InvalidInput(field, f"“{text.strip()}” is not a number") from None
    if not math.isfinite(value):
        raise InvalidInput(field, "enter a finite number")
    if minimum is not None and value < minimum:
        raise InvalidInput(field, f"must be at least {minimum:g}")
    if maximum is not None and value > maximum:
        raise InvalidInput(field, f"must be at most {maximum:g}")
    return value


def parse_date(text: str, field: str, *, required: bool = True) -> date | None:
    """A date as YYYY-MM-DD; a day that does not exist (2026-02-30) is refused."""
    cleaned = text.strip()
    if not cleaned:
        if required:
            raise InvalidInput(field, "enter a date as YYYY-MM-DD")
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned, re.ASCII):
        raise InvalidInput(field, f"“{cleaned}” is not a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise InvalidInput(field, f"{cleaned} does not exist") from None


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
        raise InvalidInput(
            field, f"letters, digits, '-', '_' and '.' only, at most {MAX_CODE} characters"
        )
    return value


def parse_choice(text: str, field: str, choices: tuple[str, ...]) -> str:
    value = text.strip()
    if value not in choices:
        raise InvalidInput(field, f"choose one of: {', '.join(choices)}")
    return value


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


KPI_SOURCES = ("entered", *DERIVED_SOURCES)


def check_kpi_definition(
    fields: Mapping[str, str], goal_codes: set[str]
) -> tuple[KpiDefinition | None, dict[str, str]]:
    """Every field checked at once: the definition, or a message for each field that is wrong."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}

    def take(name: str, parse) -> None:
        try:
            values[name] = parse(fields.get(name, ""))
        except InvalidInput as error:
            errors[name] = error.message

    take("code", lambda t: parse_code(t))
    take("name", lambda t: parse_text(t, "name", required=True))
    take("description", lambda t: parse_text(t, "description", limit=MAX_TEXT))
    take("unit", lambda t: parse_text(t, "unit", limit=20))
    take("direction", lambda t: parse_choice(t, "direction", ("higher", "lower")))
    take("target", lambda t: parse_number(t, "target", required=False))
    take("warning", lambda t: parse_number(t, "warning", required=False))
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
    if errors:
        return None, errors
    return KpiDefinition(**values), {}  # type: ignore[arg-type]
