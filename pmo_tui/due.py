"""What each owner has to see to this week (`pmo due`): key results without a check-in this week and
KPIs whose measurement or review is overdue, per owner, as text, a Markdown digest or JSON.

`build_due` gathers it from the data layer (every rule from the calculations module, so `pmo due`,
the check-in and the KPI list agree); `due_text`, `due_markdown` and `due_json` write it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pmo_tui import calculations as calc
from pmo_tui.formatting import format_confidence, format_value, literal
from pmo_tui.report import md, report_json
from pmo_tui.store import Store

DUE_FORMAT = "pmo-tui due"
DUE_VERSION = 1
NO_OWNER = "(no owner)"


def build_due(store: Store, today: date, owner: str | None = None) -> dict[str, Any]:
    """Per owner (only `owner`'s when given, compared as calculations.same_person does): the key
    results of the current open cycles' active objectives with no check-in this week (archived
    ones never), and the active KPIs whose measurement or review is overdue."""
    owners: dict[str, dict[str, Any]] = {}

    def entry(name: str) -> dict[str, Any] | None:
        if owner is not None and not calc.same_person(name, owner):
            return None
        key = " ".join(name.split()).casefold()
        if key not in owners:  # the first spelling met names the owner
            owners[key] = {"owner": name.strip(), "key_results": [], "kpis": []}
        return owners[key]

    for item in store.check_in_queue(today):
        found = entry(item.owner)
        if found is None:
            continue
        kr = item.key_result
        last = kr.latest
        found["key_results"].append(
            {
                "code": kr.code,
                "title": kr.title,
                "objective": kr.objective_code,
                "objective_title": item.objective_title,
                "cycle": item.cycle,
                "unit": kr.unit,
                "last_check_in": last.on.isoformat() if last else None,
                "last_value": last.value if last else None,
                "last_confidence": last.confidence if last else None,
                "overdue": kr.overdue,
            }
        )
    for kpi in store.kpi_summaries(today):
        if not calc.kpi_due(kpi.overdue, kpi.review_overdue):
            continue
        found = entry(kpi.owner)
        if found is None:
            continue
        found["kpis"].append(
            {
                "code": kpi.code,
                "name": kpi.name,
                "cadence": kpi.cadence,
                "measurement_overdue": kpi.overdue,
                "last_period": kpi.last_period.isoformat() if kpi.last_period else None,
                "review_overdue": kpi.review_overdue,
                "last_reviewed": kpi.last_reviewed.isoformat() if kpi.last_reviewed else None,
            }
        )
    # Records without an owner last: the PMO lead's to hand out.
    listed = sorted(owners.values(), key=lambda o: (not o["owner"], o["owner"].casefold()))
    return {
        "format": DUE_FORMAT,
        "version": DUE_VERSION,
        "date": today.isoformat(),
        "week_start": calc.week_start(today).isoformat(),
        "owner": owner,
        "counts": {
            "owners": len(listed),
            "key_results": sum(len(o["key_results"]) for o in listed),
            "kpis": sum(len(o["kpis"]) for o in listed),
        },
        "owners": listed,
    }


def is_anything_due(due: dict[str, Any]) -> bool:
    return bool(due["counts"]["key_results"] or due["counts"]["kpis"])


def due_json(due: dict[str, Any]) -> str:
    """As JSON, with the report's escaping of control characters."""
    return report_json(due)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _summary(due: dict[str, Any]) -> str:
    counts = due["counts"]
    week = date.fromisoformat(due["week_start"])
    if not (counts["key_results"] or counts["kpis"]):
        return (
            f"Nothing is due: no key result without a check-in since Monday {week:%d %B}, "
            "no KPI with a measurement or review overdue."
        )
    return (
        f"{_plural(counts['key_results'], 'key result')} without a check-in since Monday {week:%d %B}, "
        f"{_plural(counts['kpis'], 'KPI')} with a measurement or review overdue, "
        f"{_plural(counts['owners'], 'owner')}."
    )


def _last_check_in(kr: dict[str, Any]) -> str:
    if kr["last_check_in"] is None:
        return "no check-in yet"
    return (
        f"last check-in {kr['last_check_in']}: {format_value(kr['last_value'], kr['unit'])}, "
        f"confidence {format_confidence(kr['last_confidence'])}"
    )


def _kpi_reasons(kpi: dict[str, Any]) -> list[str]:
    reasons = []
    if kpi["measurement_overdue"]:
        last = f"last for {kpi['last_period']}" if kpi["last_period"] else "never measured"
        reasons.append(f"measurement overdue ({kpi['cadence']}, {last})")
    if kpi["review_overdue"]:
        last = f"last {kpi['last_reviewed']}" if kpi["last_reviewed"] else "never reviewed"
        reasons.append(f"review overdue ({last})")
    return reasons


def _scope(due: dict[str, Any]) -> str:
    """Whose: the owner asked for, as the database spells the name when it has it."""
    if not due["owner"]:
        return ""
    return " for " + (due["owners"][0]["owner"] if due["owners"] else " ".join(due["owner"].split()))


def due_text(due: dict[str, Any]) -> str:
    """For a terminal: one block per owner, one line per record (user text made safe by literal)."""
    day = date.fromisoformat(due["date"])
    lines = [literal(f"Due{_scope(due)} on {day:%a %d %b %Y}: {_summary(due)}")]
    for person in due["owners"]:
        lines += ["", literal(person["owner"] or NO_OWNER)]
        for kr in person["key_results"]:
            lines.append(literal(f"  check in  {kr['code']}  {kr['title']} · {_last_check_in(kr)}"))
        for kpi in person["kpis"]:
            lines.append(
                literal(f"  KPI       {kpi['code']}  {kpi['name']} · {'; '.join(_kpi_reasons(kpi))}")
            )
    return "\n".join(lines) + "\n"


def due_markdown(due: dict[str, Any]) -> str:
    """A digest a PMO lead pastes into mail or chat: headed per owner, codes in bold, names and
    dates; user text never read as Markdown (report.md)."""
    day = date.fromisoformat(due["date"])
    lines = [f"# Due this week{' ' + md(_scope(due)) if due['owner'] else ''}, {day:%A %d %B %Y}"]
    lines += ["", md(_summary(due))]
    for person in due["owners"]:
        lines += ["", f"## {md(person['owner'] or NO_OWNER)}", ""]
        if person["key_results"]:
            lines.append("Key results to check in:")
            lines.append("")
            for kr in person["key_results"]:
                lines.append(
                    f"- **{md(kr['code'])}** {md(kr['title'])} ({md(kr['objective'])}): {md(_last_check_in(kr))}"
                )
            lines.append("")
        if person["kpis"]:
            lines.append("KPIs to see to:")
            lines.append("")
            for kpi in person["kpis"]:
                lines.append(f"- **{md(kpi['code'])}** {md(kpi['name'])}: {md('; '.join(_kpi_reasons(kpi)))}")
            lines.append("")
        while lines[-1] == "":
            lines.pop()
    return "\n".join(lines) + "\n"
