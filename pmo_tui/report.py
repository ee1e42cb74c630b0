"""The executive report: the portfolio, what changed since the last review, KPIs, projects needing
attention, OKRs and maturity, one day.

`build_report` gathers it from the data layer (every figure from the calculations module,
so the report, the screens and the CLI agree); `report_json` and `report_markdown` write it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from pmo_tui import calculations as calc
from pmo_tui.formatting import (
    MISSING,
    format_aim,
    format_confidence,
    format_index,
    format_pct,
    format_percent,
    format_value,
    literal,
    raid_exposure_text,
    text_sparkline,
)
from pmo_tui.maturity import results
from pmo_tui.question_bank import default_bank
from pmo_tui.records import KpiSummary, ProjectRow, RaidItemRecord
from pmo_tui.review import RECORD_WORDS, ChangeGroup, Movement, changes_json
from pmo_tui.store import Store

REPORT_FORMAT = "pmo-tui report"
# The open risks the report names, highest exposure first.
TOP_RISKS = 5
REPORT_VERSION = 1
ATTENTION_STATUSES = ("active", "on_hold")


def _attention(project: ProjectRow) -> list[str]:
    """Why a running project needs attention, in words; empty when it does not."""
    reasons = []
    if project.days_late and project.days_late > 0:
        reasons.append(f"{project.days_late} days late")
    if project.within_budget is False:
        reasons.append("forecast over budget")
    if project.spi is not None and project.spi < calc.INDEX_WARNING:
        reasons.append(f"SPI {project.spi:.2f}")
    if project.cpi is not None and project.cpi < calc.INDEX_WARNING:
        reasons.append(f"CPI {project.cpi:.2f}")
    return reasons


def _kpi(kpi: KpiSummary, measured_by: dict[str, str]) -> dict[str, Any]:
    status = "overdue" if kpi.overdue else kpi.status.value
    return {
        "code": kpi.code,
        "name": kpi.name,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "value": kpi.value,
        "target": kpi.target,
        "warning": kpi.warning,
        "band_low": kpi.band_low,
        "band_high": kpi.band_high,
        "status": status,
        "trend": kpi.trend.direction.value,
        "last_period": kpi.last_period.isoformat() if kpi.last_period else None,
        # Who made the latest measurement ("" when not known: made before pmo-tui kept it).
        "last_measured_by": measured_by.get(kpi.code) if kpi.last_period else None,
        "review_overdue": kpi.review_overdue,
        "history": list(kpi.history[-12:]),
    }


def _raid(items: tuple[RaidItemRecord, ...], today: date) -> dict[str, Any]:
    """The RAID log's part of the report: counts of open items by kind, the open risks of
    highest exposure, and every overdue action, each with its owner."""
    risks = [item for item in items if item.kind == "risk"]
    return {
        "open": {kind: sum(item.kind == kind for item in items) for kind in calc.RAID_KINDS},
        "overdue": sum(item.overdue for item in items),
        "top_risks": [
            {
                "project": item.project_code,
                "code": item.code,
                "title": item.title,
                "owner": item.owner,
                "probability": item.probability,
                "impact": item.impact,
                "exposure": item.exposure,
                "due": item.due.isoformat() if item.due else None,
            }
            for item in risks[:TOP_RISKS]  # ordered by exposure by the store
        ],
        "overdue_actions": [
            {
                "project": item.project_code,
                "code": item.code,
                "title": item.title,
                "owner": item.owner,
                "due": item.due.isoformat() if item.due else None,
                "days_overdue": calc.days_late(item.due, today) if item.due else None,
            }
            for item in items
            if item.kind == "action" and item.overdue
        ],
    }


def build_report(
    store: Store, today: date, cycle_name: str | None = None, since: date | None = None
) -> dict[str, Any]:
    """Everything the report says, as plain values (the JSON format, documented in
    docs/report.md); what changed is counted from `since`, else from the last review done."""
    overview = store.overview(today)
    measured_by = store.latest_measurers()
    board = store.okr_board(today, cycle_name)
    figures = overview.figures
    report: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "date": today.isoformat(),
        "cycle": None,
        "portfolio": {
            "projects": figures.project_count,
            "on_time_pct": figures.on_time_pct,
            "within_budget_pct": figures.within_budget_pct,
            "spi": figures.spi,
            "cpi": figures.cpi,
            "roi": figures.roi,
            "aligned_pct": figures.aligned_pct,
            "change_requests_per_project": figures.change_requests_per_project,
            "open_risks": figures.open_risks,
            "overdue_raid_actions": figures.overdue_actions,
        },
        "changes": changes_json(store.review_changes(today, since)),
        "kpis": [_kpi(kpi, measured_by) for kpi in overview.kpis],
        "projects": [
            {
                "code": p.code,
                "name": p.name,
                "owner": p.owner,
                "status": p.status,
                "spi": p.spi,
                "cpi": p.cpi,
                "on_time": p.on_time,
                "within_budget": p.within_budget,
                "days_late": p.days_late,
                "bac": p.bac,
                "eac": p.estimate_at_completion,
                "vac": p.variance_at_completion,
                "schedule": p.schedule.value,
                "budget": p.budget.value,
                "attention": _attention(p) if p.status in ATTENTION_STATUSES else [],
            }
            for p in overview.projects
        ],
        "objectives": [],
        "overdue": {
            "kpis": [k.code for k in overview.kpis if k.overdue],
            "kpi_reviews": [k.code for k in overview.kpis if k.review_overdue],
            "key_results": [],
        },
        "raid": _raid(store.portfolio_raid(today, include_closed=False), today),
        "maturity": None,
    }
    if board.cycle is not None:
        cycle = board.cycle
        report["cycle"] = {
            "name": cycle.name,
            "start": cycle.start.isoformat(),
            "end": cycle.end.isoformat(),
            "status": cycle.status,
            "elapsed": round(cycle.elapsed, 4),
        }
        for objective in board.objectives:
            if objective.status == "archived":
                continue
            live = [kr for kr in objective.key_results if not kr.archived]
            report["objectives"].append(
                {
                    "code": objective.code,
                    "title": objective.title,
                    "owner": objective.owner,
                    "status": objective.status,
                    "goal": objective.goal_code,
                    "progress": round(objective.progress, 4),
                    "pace": objective.pace.value,
                    "confidence": objective.confidence,
                    "grade": objective.grade.value,
                    "score": objective.score,
                    "score_today": calc.objective_score(
                        (calc.key_result_score(kr.progress), kr.weight) for kr in live
                    ),
                    "key_results": [
                        {
                            "code": kr.code,
                            "title": kr.title,
                            "kind": kr.kind,
                            "unit": kr.unit,
                            "baseline": kr.baseline,
                            "target": kr.target,
                            "band_low": kr.band_low,
                            "band_high": kr.band_high,
                            "value": kr.value,
                            "value_on_pace": calc.value_on_pace(
                                kr.kind, kr.baseline, kr.target, cycle.elapsed
                            ),
                            "progress": round(kr.progress, 4),
                            "pace": kr.pace.value,
                            "confidence": kr.confidence,
                            "score": kr.score,
                            "overdue": kr.overdue,
                            "last_check_in": kr.latest.on.isoformat() if kr.latest else None,
                            # Who made it ("" when not known: made before pmo-tui kept it).
                            "last_check_in_by": kr.latest.by if kr.latest else None,
                        }
                        for kr in live
                    ],
                }
            )
            report["overdue"]["key_results"] += [kr.code for kr in live if kr.overdue]
    complete = [a for a in store.assessments() if a.status == "complete"]
    if complete:
        latest = complete[0]
        result = results(
            default_bank(),
            latest.taken_on,
            store.assessment_answers(latest.id),
            store.previous_answers(latest.id),
            store.evidence_facts(today),
        )
        report["maturity"] = {
            "taken_on": latest.taken_on.isoformat(),
            "stage": result.stage,
            "stage_name": result.stage_name,
            "score": None if result.score is None else round(result.score, 2),
            "dimensions": [
                {
                    "id": d.id,
                    "name": d.name,
                    "stage": d.stage,
                    "score": None if d.score is None else round(d.score, 2),
                }
                for d in result.dimensions
            ],
            "mix": {"headline": result.mix.headline, "kpis": result.mix.kpis, "okrs": result.mix.okrs},
            "next_steps": list(result.next_steps),
            "disagreements": list(result.disagreements),
        }
    return report


def _checked_in(kr: dict[str, Any]) -> str:
    """The day of a key result's latest check-in and who made it: "2026-11-13 by Priya Raman"."""
    if not kr["last_check_in"]:
        return MISSING
    by = kr.get("last_check_in_by")
    return f"{kr['last_check_in']} by {md(by)}" if by else kr["last_check_in"]


def report_json(report: dict[str, Any]) -> str:
    """The report as JSON. Every control character in user text is written as an escape
    (\\u001b, \\u009b): json escapes C0 itself, DEL and C1 are escaped here, so that the text
    printed to a terminal carries none and reads back exactly."""
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    # Outside its strings JSON has no character of U+007F–U+009F: each one found is in a string.
    return _JSON_UNESCAPED_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_JSON_UNESCAPED_CONTROLS = re.compile("[\x7f-\x9f]")


# Characters that start emphasis, code, links, HTML or table cells anywhere in a line.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md(text: str | None) -> str:
    """User text for Markdown: shown as typed, never read as links, emphasis or table cells."""
    flat = literal(" ".join((text or "").split()))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def _value(value: float | None, unit: str) -> str:
    return md(format_value(value, unit))


def _kpi_target(kpi: dict[str, Any]) -> str:
    """A KPI's target as the report shows it: a band KPI's band (low–high)."""
    band = calc.kpi_band(kpi.get("band_low"), kpi.get("band_high"))
    return md(format_aim(kpi["target"], band, kpi["unit"]))


def _kr_target(kr: dict[str, Any]) -> str:
    """A key result's target as the report shows it: a band key result's band (low–high)."""
    if kr["kind"] == "within_band" and kr.get("band_low") is not None and kr.get("band_high") is not None:
        return md(f"{format_value(kr['band_low'], kr['unit'])}–{format_value(kr['band_high'], kr['unit'])}")
    return _value(kr["target"], kr["unit"])


def report_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown that reads well on its own."""
    day = date.fromisoformat(report["date"])
    lines = [f"# PMO report, {day:%d %B %Y}", ""]
    cycle = report["cycle"]
    if cycle:
        start, end = date.fromisoformat(cycle["start"]), date.fromisoformat(cycle["end"])
        lines.append(
            f"OKR cycle **{md(cycle['name'])}** ({start:%d %b} – {end:%d %b %Y}, "
            f"{cycle['status']}, {format_percent(cycle['elapsed'])} elapsed)."
        )
    else:
        lines.append("No OKR cycle yet.")
    p = report["portfolio"]
    lines += [
        "",
        "## Portfolio",
        "",
        f"{p['projects']} projects counted (active, on hold and done).",
        "",
        "| figure | value |",
        "|---|---:|",
        f"| Projects on time | {format_pct(p['on_time_pct'])} |",
        f"| Projects within budget | {format_pct(p['within_budget_pct'])} |",
        f"| Schedule performance (SPI) | {format_index(p['spi'])} |",
        f"| Cost performance (CPI) | {format_index(p['cpi'])} |",
        f"| Return on investment | {format_pct(None if p['roi'] is None else p['roi'] * 100)} |",
        f"| Projects aligned to a strategic goal | {format_pct(p['aligned_pct'])} |",
        f"| Change requests per project | {_number(p['change_requests_per_project'])} |",
        f"| Open risks | {p['open_risks']} |",
        f"| Overdue RAID actions | {p['overdue_raid_actions']} |",
        "",
        *changes_markdown(report["changes"]),
        "## KPIs",
        "",
        "| KPI | value | target | status | trend | last 12 | measured by |",
        "|---|---:|---:|---|---|---|---|",
    ]
    for kpi in report["kpis"]:
        status = calc.Status(kpi["status"]) if kpi["status"] != "overdue" else None
        status_text = f"{status.symbol} {status.word}" if status else "⧗ overdue"
        lines.append(
            f"| {md(kpi['code'])} {md(kpi['name'])} | {_value(kpi['value'], kpi['unit'])} | "
            f"{_kpi_target(kpi)} | {status_text} | {kpi['trend']} | "
            f"{text_sparkline(kpi['history'], 12) or MISSING} | {md(kpi.get('last_measured_by')) or MISSING} |"
        )
    attention = [project for project in report["projects"] if project["attention"]]
    lines += ["", "## Projects that need attention", ""]
    if attention:
        for project in attention:
            owner = f" ({md(project['owner'])})" if project["owner"] else ""
            lines.append(
                f"- **{md(project['code'])} {md(project['name'])}**{owner}: "
                f"{md('; '.join(project['attention']))}"
            )
    else:
        lines.append("None: every running project is on time, within budget and on its indices.")
    lines += _raid_markdown(report["raid"])
    lines += ["", f"## Objectives{' of ' + md(cycle['name']) if cycle else ''}", ""]
    if not report["objectives"]:
        lines.append("No objectives in this cycle.")
    for objective in report["objectives"]:
        score = f", graded {objective['score']:.2f}" if objective["score"] is not None else ""
        lines += [
            f"### {md(objective['code'])} {md(objective['title'])}",
            "",
            f"{format_percent(objective['progress'])} · {objective['pace']} · confidence "
            f"{format_confidence(objective['confidence'])}{score}"
            + (f" · owner {md(objective['owner'])}" if objective["owner"] else ""),
            "",
        ]
        if objective["key_results"]:
            lines += [
                "| key result | progress | value | target | pace | confidence | checked in |",
                "|---|---:|---:|---:|---|---:|---|",
            ]
            for kr in objective["key_results"]:
                pace = "⧗ overdue" if kr["overdue"] else kr["pace"]
                lines.append(
                    f"| {md(kr['code'])} {md(kr['title'])} | {format_percent(kr['progress'])} | "
                    f"{_value(kr['value'], kr['unit'])} | {_kr_target(kr)} | "
                    f"{pace} | {format_confidence(kr['confidence'])} | {_checked_in(kr)} |"
                )
            lines.append("")
    overdue = report["overdue"]
    lines += ["## Overdue", ""]
    items = (
        [f"- KPI {md(code)}: no measurement on its cadence" for code in overdue["kpis"]]
        + [f"- KPI {md(code)}: its definition is due for review" for code in overdue["kpi_reviews"]]
        + [f"- Key result {md(code)}: no check-in for more than a week" for code in overdue["key_results"]]
    )
    lines += items or ["Nothing is overdue."]
    lines += ["", "## Maturity", ""]
    maturity = report["maturity"]
    if maturity is None:
        lines.append("No complete self-assessment yet.")
    else:
        score = f" ({maturity['score']:.1f})" if maturity["score"] is not None else ""
        lines += [
            f"Stage **{maturity['stage_name']}**{score}, assessed on {maturity['taken_on']}.",
            "",
            f"{md(maturity['mix']['headline'])}",
            "",
            f"- KPIs: {md(maturity['mix']['kpis'])}",
            f"- OKRs: {md(maturity['mix']['okrs'])}",
            "",
            "Next steps:",
            "",
            *[f"{n}. {md(step)}" for n, step in enumerate(maturity["next_steps"], start=1)],
        ]
        if maturity["disagreements"]:
            lines += [
                "",
                "Where the data disagrees with the self-rating:",
                "",
                *[f"- {md(text)}" for text in maturity["disagreements"]],
            ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _raid_markdown(raid: dict[str, Any]) -> list[str]:
    """The RAID log: the top risks by exposure and the overdue actions, with their owners."""
    opened = ", ".join(
        f"{count} {kind}{'' if count == 1 else 's'}" for kind, count in raid["open"].items() if count
    )
    lines = ["", "## RAID log", "", f"Open: {opened}." if opened else "Nothing open in the RAID log."]
    if raid["top_risks"]:
        lines += [
            "",
            "### Top risks by exposure",
            "",
            "| risk | exposure | owner | due |",
            "|---|---:|---|---|",
        ]
        for risk in raid["top_risks"]:
            lines.append(
                f"| {md(risk['project'])} {md(risk['code'])} {md(risk['title'])} | "
                f"{raid_exposure_text(risk['exposure'], risk['probability'], risk['impact'])} | "
                f"{md(risk['owner']) or MISSING} | {risk['due'] or MISSING} |"
            )
    lines += ["", "### Overdue actions", ""]
    if not raid["overdue_actions"]:
        return [*lines, "None: every open action is within its due date."]
    for action in raid["overdue_actions"]:
        days = action["days_overdue"]
        owner = f", owner {md(action['owner'])}" if action["owner"] else ", no owner"
        lines.append(
            f"- ⚠ **{md(action['project'])} {md(action['code'])}** {md(action['title'])}: due "
            f"{action['due']}, {days} day{'' if days == 1 else 's'} overdue{owner}"
        )
    return lines


def changes_markdown(changes: dict[str, Any]) -> list[str]:
    """The section on what changed since the baseline, grouped as the review screen shows it."""
    baseline = date.fromisoformat(changes["baseline"])
    if changes["reviewed_on"]:
        who = f" by {md(changes['reviewed_by'])}" if changes["reviewed_by"] else ""
        heading = f"## What changed since the review of {baseline:%d %B %Y}{who}"
    else:
        heading = f"## What changed since {baseline:%d %B %Y}"
    lines = [heading, ""]
    if not changes["lines"]:
        return [*lines, "Nothing changed that a review would look at.", ""]
    for group in ChangeGroup:
        found = [line for line in changes["lines"] if line["group"] == group.value]
        if not found:
            continue
        lines += [f"### {group.heading}", ""]
        for line in found:
            movement = Movement(line["movement"])
            code = f"{line['project']}/{line['code']}" if line["project"] else line["code"]
            owner = f" · {md(line['owner'])}" if line["owner"] else ""
            lines.append(
                f"- {movement.label}: {RECORD_WORDS.get(line['record'], line['record'])} **{md(code)}** "
                f"{md(line['name'])} · {md(line['what'])}: {md(line['before'])} → {md(line['after'])}{owner}"
            )
        lines.append("")
    return lines


def _number(value: float | None) -> str:
    return MISSING if value is None else f"{value:.1f}"
