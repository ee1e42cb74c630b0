"""Reads and checks the TOML portfolio file (docs/portfolio-format.md) into plain, validated records.

Nothing here touches the database: the data layer writes what this module returns,
so a file with any error is refused before a single row is written.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from pmo_tui.calculations import CADENCE_DAYS, DERIVED_SOURCES, RAID_KINDS, RAID_SCORE
from pmo_tui.validation import FIRST_YEAR, LAST_YEAR, MAX_MAGNITUDE, band_errors

FORMAT_NAME = "pmo-tui portfolio"
FORMAT_VERSION = 1


class PortfolioFileError(ValueError):
    """A portfolio file that cannot be accepted; `location` says where (file, key, field)."""

    def __init__(self, location: str, message: str) -> None:
        super().__init__(f"{location}: {message}" if location else message)
        self.location = location
        self.message = message


@dataclass(frozen=True)
class Spec:
    """What one field of a record must look like."""

    kind: str  # "str", "date", "number", "int", "bool", "table"
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    children: Mapping[str, Spec] | None = None  # for "table": an array of child records


def _text(required: bool = False, default: str = "", choices: tuple[str, ...] = ()) -> Spec:
    return Spec("str", required, None if required else default, choices)


def _number(
    required: bool = False,
    default: float | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
) -> Spec:
    return Spec("number", required, default, (), minimum, maximum)


UPDATE = {
    "on": Spec("date", True),
    "forecast_finish": Spec("date"),
    "planned_value": _number(True, minimum=0),
    "earned_value": _number(True, minimum=0),
    "actual_cost": _number(True, minimum=0),
    "change_requests": Spec("int", default=0, minimum=0),
    "open_risks": Spec("int", default=0, minimum=0),
    "satisfaction": _number(minimum=0, maximum=100),
    "comment": _text(),
    # Who made it (schema 6): written only when known, so older files round-trip as they were.
    "by": _text(),
}
MEASUREMENT = {
    "period": Spec("date", True),
    "value": _number(True),
    "note": _text(),
    "by": _text(),
}
CHECK_IN = {
    "on": Spec("date", True),
    "value": _number(True),
    "confidence": _number(True, minimum=0, maximum=1),
    "comment": _text(),
    "by": _text(),
}
KEY_RESULT = {
    "code": _text(True),
    "title": _text(True),
    "kind": _text(default="increase", choices=("increase", "decrease", "within_band", "milestone")),
    "unit": _text(),
    "baseline": _number(default=0.0),
    "target": _number(True),
    "band_low": _number(),
    "band_high": _number(),
    "weight": _number(default=1.0, minimum=0),
    "owner": _text(),
    "kpi": Spec("str"),
    "original_target": _number(),
    "target_change_reason": _text(),
    "grade": _number(minimum=0, maximum=1),
    "archived": Spec("bool", default=False),
    "check_ins": Spec("table", children=CHECK_IN),
}
# A project's RAID log: each item matched by its code, unique within the project.
RAID_ITEM = {
    "code": _text(True),
    "kind": _text(True, choices=RAID_KINDS),
    "title": _text(True),
    "owner": _text(),
    "status": _text(default="open", choices=("open", "closed")),
    "raised": Spec("date", True),
    "due": Spec("date"),
    "closed": Spec("date"),
    "note": _text(),
    "probability": Spec("int", minimum=RAID_SCORE[0], maximum=RAID_SCORE[1]),
    "impact": Spec("int", minimum=RAID_SCORE[0], maximum=RAID_SCORE[1]),
    "decided": Spec("date"),
    "decided_by": _text(),
    "rationale": _text(),
}
ANSWER = {
    "question": _text(True),
    "level": Spec("int", True, minimum=1, maximum=5),
    "comment": _text(),
}
TABLES: dict[str, dict[str, Spec]] = {
    "goals": {
        "code": _text(True),
        "name": _text(True),
        "description": _text(),
        "owner": _text(),
        "active": Spec("bool", default=True),
    },
    "projects": {
        "code": _text(True),
        "name": _text(True),
        "owner": _text(),
        "status": _text(default="active", choices=("proposed", "active", "on_hold", "done", "cancelled")),
        "goal": Spec("str"),
        "start": Spec("date", True),
        "planned_finish": Spec("date", True),
        "actual_finish": Spec("date"),
        "budget": _number(True, minimum=0),
        "expected_benefit": _number(default=0.0, minimum=0),
        "realised_benefit": _number(default=0.0, minimum=0),
        "updates": Spec("table", children=UPDATE),
        "raid": Spec("table", children=RAID_ITEM),
    },
    "kpis": {
        "code": _text(True),
        "name": _text(True),
        "description": _text(),
        "unit": _text(),
        "direction": _text(True, choices=("higher", "lower")),
        "target": _number(),
        "warning": _number(),
        "band_low": _number(),
        "band_high": _number(),
        "indicator": _text(default="lagging", choices=("leading", "lagging")),
        "nature": _text(default="quantitative", choices=("quantitative", "qualitative")),
        "owner": _text(),
        "cadence": _text(default="monthly", choices=tuple(CADENCE_DAYS)),
        "goal": Spec("str"),
        "source": _text(default="entered", choices=("entered", *DERIVED_SOURCES)),
        "active": Spec("bool", default=True),
        "last_reviewed": Spec("date"),
        "measurements": Spec("table", children=MEASUREMENT),
    },
    "cycles": {
        "name": _text(True),
        "start": Spec("date", True),
        "end": Spec("date", True),
        "status": _text(default="open", choices=("open", "closed", "archived")),
    },
    "objectives": {
        "code": _text(True),
        "title": _text(True),
        "cycle": _text(True),
        "owner": _text(),
        "goal": Spec("str"),
        "parent": Spec("str"),
        "carried_from": Spec("str"),
        "status": _text(default="active", choices=("draft", "active", "done", "archived")),
        "grade": _number(minimum=0, maximum=1),
        "key_results": Spec("table", children=KEY_RESULT),
    },
    "assessments": {
        "taken_on": Spec("date", True),
        "status": _text(default="complete", choices=("in_progress", "complete")),
        "answers": Spec("table", children=ANSWER),
    },
}


@dataclass
class Portfolio:
    """A checked portfolio: each table a list of plain dicts with every field filled in."""

    goals: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    kpis: list[dict[str, Any]] = field(default_factory=list)
    cycles: list[dict[str, Any]] = field(default_factory=list)
    objectives: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)


def _type_name(value: Any) -> str:
    return {
        str: "text",
        bool: "true/false",
        int: "an integer",
        float: "a number",
        date: "a date",
        dict: "a table",
        list: "a list",
    }.get(type(value), type(value).__name__)


def _check_value(where: str, spec: Spec, value: Any) -> Any:
    """Return the value in its stored form, or raise with what is wrong."""
    if spec.kind == "str":
        if not isinstance(value, str):
            raise PortfolioFileError(where, f"expected text, got {_type_name(value)}")
        if spec.choices and value not in spec.choices:
            raise PortfolioFileError(where, f"{value!r} is not one of: {', '.join(spec.choices)}")
        if spec.required and not value.strip():
            raise PortfolioFileError(where, "must not be empty")
        return value
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise PortfolioFileError(where, f"expected true or false, got {_type_name(value)}")
        return value
    if spec.kind == "date":
        # A TOML datetime is a date with a time: refuse it rather than guess.
        if isinstance(value, datetime) or not isinstance(value, date):
            raise PortfolioFileError(where, f"expected a date like 2026-10-31, got {_type_name(value)}")
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise PortfolioFileError(
                where, f"{value.isoformat()} is outside the years {FIRST_YEAR}–{LAST_YEAR}"
            )
        return value
    if spec.kind in ("number", "int"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise PortfolioFileError(where, f"expected a number, got {_type_name(value)}")
        if spec.kind == "int" and not isinstance(value, int):
            raise PortfolioFileError(where, "expected a whole number")
        # TOML integers are 64-bit; Python's reader accepts more, SQLite would not store it.
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            raise PortfolioFileError(where, "number is too large")
        if not math.isfinite(value):
            raise PortfolioFileError(where, f"expected a finite number, got {value}")
        if abs(value) > MAX_MAGNITUDE:
            raise PortfolioFileError(where, f"number is too large (at most {MAX_MAGNITUDE:,.0f} either way)")
        if spec.minimum is not None and value < spec.minimum:
            raise PortfolioFileError(where, f"must be at least {spec.minimum:g}, got {value:g}")
        if spec.maximum is not None and value > spec.maximum:
            raise PortfolioFileError(where, f"must be at most {spec.maximum:g}, got {value:g}")
        return int(value) if spec.kind == "int" else float(value)
    raise AssertionError(spec.kind)


def _check_record(where: str, specs: Mapping[str, Spec], raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise PortfolioFileError(where, f"expected a table, got {_type_name(raw)}")
    unknown = sorted(set(raw) - set(specs))
    if unknown:
        raise PortfolioFileError(f"{where}.{unknown[0]}", f"unknown field (known: {', '.join(specs)})")
    record: dict[str, Any] = {}
    for name, spec in specs.items():
        here = f"{where}.{name}"
        if spec.kind == "table":
            record[name] = _check_table(here, spec.children or {}, raw.get(name, []))
        elif name not in raw:
            if spec.required:
                raise PortfolioFileError(here, "missing required field")
            record[name] = spec.default
        else:
            record[name] = _check_value(here, spec, raw[name])
    return record


def _check_table(where: str, specs: Mapping[str, Spec], raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise PortfolioFileError(where, f"expected an array of tables, got {_type_name(raw)}")
    return [_check_record(f"{where}[{i}]", specs, item) for i, item in enumerate(raw)]


def _unique(where: str, records: list[dict[str, Any]], key: str, what: str) -> set[str]:
    seen: set[str] = set()
    for i, record in enumerate(records):
        if record[key] in seen:
            shown = record[key].isoformat() if isinstance(record[key], date) else repr(record[key])
            raise PortfolioFileError(f"{where}[{i}].{key}", f"duplicate {what} {shown}")
        seen.add(record[key])
    return seen


def _refers(where: str, value: str | None, known: set[str], what: str) -> None:
    if value is not None and value not in known:
        raise PortfolioFileError(where, f"no {what} with code {value!r}")


def _check_references(
    p: Portfolio, question_ids: set[str] | None, known: Mapping[str, set[str]] | None = None
) -> None:
    """Codes must be unique in the file, and each reference must name a record in the file or,
    when `known` is given, one already in the database."""
    known = known or {}
    goals = _unique("goals", p.goals, "code", "goal code") | known.get("goals", set())
    _unique("projects", p.projects, "code", "project code")
    kpis = _unique("kpis", p.kpis, "code", "KPI code") | known.get("kpis", set())
    cycles = _unique("cycles", p.cycles, "name", "cycle name") | known.get("cycles", set())
    objectives = _unique("objectives", p.objectives, "code", "objective code") | known.get(
        "objectives", set()
    )
    key_result_codes: set[str] = set()
    for i, project in enumerate(p.projects):
        here = f"projects[{i}]"
        _refers(f"{here}.goal", project["goal"], goals, "goal")
        if project["planned_finish"] < project["start"]:
            raise PortfolioFileError(f"{here}.planned_finish", "is before start")
        if project["actual_finish"] and project["actual_finish"] < project["start"]:
            raise PortfolioFileError(f"{here}.actual_finish", "is before start")
        _unique(f"{here}.updates", project["updates"], "on", "update date")
        _unique(f"{here}.raid", project["raid"], "code", "RAID item code")
    for i, kpi in enumerate(p.kpis):
        _refers(f"kpis[{i}].goal", kpi["goal"], goals, "goal")
        _unique(f"kpis[{i}].measurements", kpi["measurements"], "period", "period")
        for name, message in band_errors(kpi, {}).items():
            raise PortfolioFileError(f"kpis[{i}].{name}", message)
    for i, cycle in enumerate(p.cycles):
        if cycle["end"] < cycle["start"]:
            raise PortfolioFileError(f"cycles[{i}].end", "is before start")
    for i, objective in enumerate(p.objectives):
        here = f"objectives[{i}]"
        if objective["cycle"] not in cycles:
            raise PortfolioFileError(f"{here}.cycle", f"no cycle named {objective['cycle']!r}")
        _refers(f"{here}.goal", objective["goal"], goals, "goal")
        _refers(f"{here}.parent", objective["parent"], objectives, "objective")
        _refers(f"{here}.carried_from", objective["carried_from"], objectives, "objective")
        if objective["parent"] == objective["code"]:
            raise PortfolioFileError(f"{here}.parent", "an objective cannot be its own parent")
        for j, key_result in enumerate(objective["key_results"]):
            there = f"{here}.key_results[{j}]"
            if key_result["code"] in key_result_codes:
                raise PortfolioFileError(f"{there}.code", f"duplicate key result code {key_result['code']!r}")
            key_result_codes.add(key_result["code"])
            _refers(f"{there}.kpi", key_result["kpi"], kpis, "KPI")
            if key_result["weight"] <= 0:
                raise PortfolioFileError(f"{there}.weight", "must be more than 0")
            if key_result["kind"] == "within_band":
                low, high = key_result["band_low"], key_result["band_high"]
                if low is None and high is None:
                    raise PortfolioFileError(
                        f"{there}.band_low", "a within_band key result needs band_low or band_high"
                    )
                if low is not None and high is not None and low > high:
                    raise PortfolioFileError(f"{there}.band_high", "is below band_low")
    _unique("assessments", p.assessments, "taken_on", "assessment date")
    for i, assessment in enumerate(p.assessments):
        here = f"assessments[{i}].answers"
        _unique(here, assessment["answers"], "question", "answer to question")
        if question_ids is not None:
            for j, answer in enumerate(assessment["answers"]):
                if answer["question"] not in question_ids:
                    raise PortfolioFileError(
                        f"{here}[{j}].question", f"no question {answer['question']!r} in the question bank"
                    )


def load_portfolio_toml(text: str, source: str = "") -> dict[str, Any]:
    """The file's TOML as plain data, once its format and version are ones this pmo-tui reads."""
    from pmo_tui.progress import report, size_text

    prefix = f"{source}: " if source else ""
    report(f"reading its TOML ({size_text(len(text))})")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PortfolioFileError(source, f"not valid TOML ({error})") from None
    except RecursionError:
        # tomllib reads nested arrays and inline tables by recursion: thousands of levels
        # exhaust Python's stack. No portfolio nests deeper than a few levels.
        raise PortfolioFileError(
            source, "not a portfolio file: its arrays or tables are nested too deeply to read"
        ) from None
    except MemoryError:
        raise PortfolioFileError(source, "too large to read in the memory there is") from None
    if raw.get("format") != FORMAT_NAME:
        raise PortfolioFileError(f"{prefix}format", f'expected format = "{FORMAT_NAME}"')
    version = raw.get("version")
    if type(version) is not int or version != FORMAT_VERSION:
        raise PortfolioFileError(
            f"{prefix}version", f"this pmo-tui reads version {FORMAT_VERSION}, got {version!r}"
        )
    unknown = sorted(set(raw) - {"format", "version", *TABLES})
    if unknown:
        raise PortfolioFileError(f"{prefix}{unknown[0]}", f"unknown table (known: {', '.join(TABLES)})")
    report(f"checking {_record_count(raw):,} records")
    return raw


def _record_count(data: Any, depth: int = 0) -> int:
    """How many records (tables of arrays, their rows included) the file's data holds."""
    count = 0
    if depth < 3 and isinstance(data, Mapping):
        for value in data.values():
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, Mapping):
                        count += 1 + _record_count(item, depth + 1)
    return count


def parse_portfolio(
    text: str,
    source: str = "",
    question_ids: set[str] | None = None,
    current: Mapping[str, Any] | None = None,
) -> Portfolio:
    """Parse and check a whole portfolio file; raises PortfolioFileError saying where.

    With `current` (the database as export_portfolio lays it out), a record whose code is already
    there is read as a change to it: the fields and rows the file gives replace the current ones,
    the rest are kept, and references may name records that are only in the database.
    """
    raw = load_portfolio_toml(text, source)
    known = None
    prefix = f"{source}: " if source else ""
    if current is not None:
        try:
            # Types, ranges and names are checked on the file itself, so a message points into it.
            for name, specs in RELAXED.items():
                _check_table(name, specs, raw.get(name, []))
            _refuse_moved_key_results(raw, current)
            _refuse_duplicate_rows(raw)
        except PortfolioFileError as error:
            raise PortfolioFileError(f"{prefix}{error.location}", error.message) from None
        raw = merge_portfolio(raw, current)
        known = {table: {r[key] for r in current.get(table, [])} for table, key in KEYS.items()}
    try:
        tables = {name: _check_table(name, specs, raw.get(name, [])) for name, specs in TABLES.items()}
        portfolio = Portfolio(**tables)
        _check_references(portfolio, question_ids, known)
    except PortfolioFileError as error:
        raise PortfolioFileError(f"{prefix}{error.location}", error.message) from None
    from pmo_tui.progress import report

    report(f"writing {_record_count(tables):,} records to the database")
    return portfolio


# What identifies a record of each table, and a row of each table within a record.
KEYS = {
    "goals": "code",
    "projects": "code",
    "kpis": "code",
    "cycles": "name",
    "objectives": "code",
    "assessments": "taken_on",
}
CHILD_KEYS = {
    "updates": "on",
    "raid": "code",
    "measurements": "period",
    "key_results": "code",
    "check_ins": "on",
    "answers": "question",
}
# How an import summary names each kind of record; answers are counted with their assessment.
LABELS = {
    "goals": "strategic goals",
    "projects": "projects",
    "updates": "status updates",
    "raid": "RAID items",
    "kpis": "KPIs",
    "measurements": "measurements",
    "cycles": "cycles",
    "objectives": "objectives",
    "key_results": "key results",
    "check_ins": "check-ins",
    "assessments": "assessments",
}


def _relaxed(specs: Mapping[str, Spec]) -> dict[str, Spec]:
    """The same fields with none required: how a change to an existing record is first checked."""
    return {
        name: Spec(
            spec.kind,
            False,
            None,
            spec.choices,
            spec.minimum,
            spec.maximum,
            _relaxed(spec.children) if spec.children else None,
        )
        for name, spec in specs.items()
    }


RELAXED = {name: _relaxed(specs) for name, specs in TABLES.items()}


def _refuse_duplicate_rows(raw: Mapping[str, Any]) -> None:
    """Two rows of one record with the same date or code, caught where the file has them."""

    def walk(where: str, records: Any) -> None:
        if not isinstance(records, list):
            return
        for i, record in enumerate(records):
            if not isinstance(record, dict):
                continue
            for child, key in CHILD_KEYS.items():
                rows = record.get(child)
                if isinstance(rows, list):
                    seen: set[Any] = set()
                    for j, row in enumerate(rows):
                        value = _key_of(row, key)
                        if value is not None and value in seen:
                            shown = value.isoformat() if isinstance(value, date) else repr(value)
                            raise PortfolioFileError(
                                f"{where}[{i}].{child}[{j}].{key}", f"appears twice in this record ({shown})"
                            )
                        seen.add(value)
                    walk(f"{where}[{i}].{child}", rows)

    for table in KEYS:
        walk(table, raw.get(table))


def _refuse_moved_key_results(raw: Mapping[str, Any], current: Mapping[str, Any]) -> None:
    """A key result stays with its objective: the same code under another one is a mistake."""
    owner = {kr["code"]: o["code"] for o in current.get("objectives", []) for kr in o.get("key_results", [])}
    for i, objective in enumerate(raw.get("objectives", [])):
        for j, key_result in enumerate(objective.get("key_results", [])):
            code = _key_of(key_result, "code")
            if code in owner and owner[code] != objective.get("code"):
                raise PortfolioFileError(
                    f"objectives[{i}].key_results[{j}].code",
                    f"{code!r} is a key result of objective {owner[code]!r}; give this one a new code",
                )


def _key_of(record: Any, key: str) -> Any:
    """A record's identifying value, or None when the file gives none usable (the checks say so)."""
    if isinstance(record, dict) and isinstance(record.get(key), str | date):
        return record[key]
    return None


def _merge_rows(current: list[Any], given: list[Any], key: str) -> list[Any]:
    rows = list(current)
    index = {_key_of(row, key): i for i, row in enumerate(rows) if _key_of(row, key) is not None}
    for row in given:
        at = index.get(_key_of(row, key))
        if at is None:
            rows.append(row)
        else:
            rows[at] = _merge_record(rows[at], row)
    return rows


def _merge_record(current: dict[str, Any], given: Any) -> Any:
    if not isinstance(given, dict):
        return given  # the checks refuse it where it stands
    merged = dict(current)
    for name, value in given.items():
        if name in CHILD_KEYS and isinstance(value, list) and isinstance(current.get(name), list):
            merged[name] = _merge_rows(current[name], value, CHILD_KEYS[name])
        else:
            merged[name] = value
    return merged


def merge_portfolio(raw: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    """The file's records laid over the current ones with the same code (pure: nothing is read).

    Fields the file leaves out keep their current value; rows of a record's tables (updates,
    measurements, key results, check-ins, answers) are matched by their date or code, so a row
    the file gives is changed or added and one it leaves out is kept.
    """
    merged = dict(raw)
    for table, key in KEYS.items():
        records = raw.get(table)
        if not isinstance(records, list):
            continue
        existing = {r[key]: r for r in current.get(table, [])}
        merged[table] = [
            _merge_record(existing[_key_of(r, key)], r) if _key_of(r, key) in existing else r for r in records
        ]
    return merged


def portfolio_changes(
    portfolio: Portfolio, current: Mapping[str, Any] | None
) -> tuple[dict[str, int], dict[str, int]]:
    """(added, updated) counts by kind of record, of a checked portfolio against the database."""
    added = dict.fromkeys(LABELS.values(), 0)
    updated = dict.fromkeys(LABELS.values(), 0)

    counted = {child for child in CHILD_KEYS if child in LABELS}

    def compare(
        table: str,
        specs: Mapping[str, Spec],
        records: list[dict[str, Any]],
        before: dict[Any, dict[str, Any]],
        key: str,
    ) -> None:
        for record in records:
            was = before.get(record[key])
            if was is None:
                added[LABELS[table]] += 1
            elif any(record[k] != was[k] for k in record if k not in counted):
                updated[LABELS[table]] += 1
            for child in counted & set(record):
                compare(
                    child,
                    specs[child].children or {},
                    record[child],
                    {r[CHILD_KEYS[child]]: r for r in (was or {}).get(child, [])},
                    CHILD_KEYS[child],
                )

    for table, key in KEYS.items():
        # The current records in the same checked form as the file's, so a default equals its value.
        wanted = {r[key] for r in getattr(portfolio, table)}
        before = {
            r[key]: _check_record(table, TABLES[table], r)
            for r in (current or {}).get(table, [])
            if r[key] in wanted
        }
        compare(table, TABLES[table], getattr(portfolio, table), before, key)
    return ({k: v for k, v in added.items() if v}, {k: v for k, v in updated.items() if v})


def shipped_question_ids() -> set[str]:
    """Answers in a portfolio file are checked against the question bank pmo-tui ships."""
    from pmo_tui.question_bank import default_bank

    return default_bank().question_ids


def read_portfolio_text(path: Path) -> str:
    """A portfolio file's text; unreadable or non-UTF-8 files are reported, not guessed.

    Only a regular file is read (a FIFO or a device named by mistake would make pmo wait
    forever, or read without end); its bytes read are reported as the import's progress."""
    import os
    import stat

    from pmo_tui.progress import report

    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO does not wait for a writer; it is refused just below.
        handle = os.open(
            path,
            os.O_RDONLY
            | getattr(os, "O_NONBLOCK", 0)
            | getattr(os, "O_CLOEXEC", 0)
            | getattr(os, "O_BINARY", 0),
        )
    except IsADirectoryError:
        raise PortfolioFileError(str(path), "is a folder; name a portfolio file") from None
    except OSError as error:
        raise PortfolioFileError(str(path), f"cannot read ({error.strerror})") from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            os.close(handle)
            raise PortfolioFileError(
                str(path),
                "is a folder; name a portfolio file"
                if stat.S_ISDIR(info.st_mode)
                else "is not a regular file (a device, a pipe or a socket); name a portfolio file",
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(handle, True)
        with os.fdopen(handle, "rb") as file:
            total = info.st_size
            chunks: list[bytes] = []
            done = 0
            report("reading the file", 0, total)
            while chunk := file.read(1 << 22):
                chunks.append(chunk)
                done += len(chunk)
                report("reading the file", done, max(total, done))
        return b"".join(chunks).decode("utf-8-sig")
    except OSError as error:
        raise PortfolioFileError(str(path), f"cannot read ({error.strerror})") from None
    except UnicodeDecodeError as error:
        raise PortfolioFileError(str(path), f"not UTF-8 text (byte {error.start})") from None
    except MemoryError:
        raise PortfolioFileError(str(path), "too large to read in the memory there is") from None


def read_portfolio(path: Path, question_ids: set[str] | None = None) -> Portfolio:
    """Read and check a portfolio file from disk on its own (not against a database).

    Answers are checked against the shipped question bank unless other ids are given.
    """
    text = read_portfolio_text(path)
    return parse_portfolio(text, str(path), shipped_question_ids() if question_ids is None else question_ids)


def dump_portfolio(document: dict[str, Any]) -> str:
    """The portfolio as TOML text: the same records always give the same bytes, so it diffs well."""
    import tomli_w

    header = "# pmo-tui portfolio, exported by pmo-tui. Format: docs/portfolio-format.md\n"
    # tomli_w escapes C0 and DEL but writes C1 controls (U+0080–U+009F, e.g. U+009B, a CSI)
    # as they are: escaped too, so that no export shown in a terminal can act on it. It writes
    # only basic strings, where \uXXXX reads back as the same character.
    return header + re.sub("[\x80-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", tomli_w.dumps(document))


def _months_later(day: date, months: int) -> date:
    """The same day of the month `months` later (or earlier), kept within that month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first = date(year, month + 1, 1)
    last = (date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - first).days
    return first.replace(day=min(day.day, last))


def _shifted_fields(record: dict[str, Any], specs: Mapping[str, Spec], days: int) -> dict[str, Any]:
    moved = dict(record)
    for name, spec in specs.items():
        value = moved.get(name)
        if spec.kind == "date" and isinstance(value, date):
            moved[name] = value + timedelta(days=days)
        elif spec.kind == "table" and spec.children is not None and isinstance(value, list):
            moved[name] = [_shifted_fields(row, spec.children, days) for row in value]
    return moved


def shifted_portfolio(portfolio: Portfolio, weeks: int) -> Portfolio:
    """The portfolio with every date moved by whole weeks, so weekdays stay as they were (the
    sample made to live today). A measurement of a month-based cadence moves by as many whole
    periods as are nearest to those weeks and stays on its period's last day: one value a period."""
    from pmo_tui.calculations import period_end

    if weeks == 0:
        return portfolio
    days = weeks * 7
    tables = {
        name: [_shifted_fields(record, TABLES[name], days) for record in getattr(portfolio, name)]
        for name in TABLES
    }
    for kpi in tables["kpis"]:
        cadence = kpi["cadence"]
        if cadence in ("weekly", "fortnightly"):
            continue
        step = {"monthly": 1, "quarterly": 3}.get(cadence, 12)
        months = round(days / 30.436875 / step) * step
        kpi["measurements"] = [
            {
                **row,
                "period": period_end(_months_later(row["period"] - timedelta(days=days), months), cadence),
            }
            for row in kpi["measurements"]
        ]
    return Portfolio(**tables)
