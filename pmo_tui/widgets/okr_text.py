"""How an objective and a key result read in words: the facts beside the OKR table and the history."""

from __future__ import annotations

from textual.content import Content

from pmo_tui.formatting import MISSING, format_value, literal, plain_number, text_sparkline
from pmo_tui.records import KeyResultRow, ObjectiveRow

KIND_LABELS = {
    "increase": "increase (higher is better)",
    "decrease": "decrease (lower is better)",
    "within_band": "stay within a band",
    "milestone": "milestone (done or not)",
}


def aim_text(kr: KeyResultRow) -> str:
    """What a key result aims at, in the words of the OKR area's facts and the check-in card."""
    if kr.kind == "within_band":
        return f"{format_value(kr.band_low, kr.unit)} – {format_value(kr.band_high, kr.unit)}"
    if kr.kind == "milestone":
        return "1 when done, 0 until then"
    return f"{format_value(kr.baseline, kr.unit)} → {format_value(kr.target, kr.unit)}"


def value_text(kr: KeyResultRow) -> str:
    if kr.kind == "milestone":
        return "done" if kr.progress >= 1 else "not yet"
    if kr.kind == "within_band":
        return f"{format_value(kr.value, kr.unit)} in band"
    return f"{format_value(kr.value, kr.unit, with_unit=False)}/{format_value(kr.target, kr.unit)}"


def objective_facts(objective: ObjectiveRow) -> Content:
    """An objective's facts, the coach's findings first: they are what needs doing."""
    muted = "$text-muted"
    parts: list[str | tuple[str, str]] = [
        (literal(objective.code), "bold"),
        (" · ", muted),
        objective.status,
        (" · owner ", muted),
        literal(objective.owner) or MISSING,
    ]
    if objective.lint:
        for finding in objective.lint:
            parts += ["\n", ("✗ ", "$warning"), literal(finding)]
    else:
        parts += ["\n", ("✓ well formed: 2–5 measurable key results, an owner, a goal", "$success")]
    goal = f"{objective.goal_code} {objective.goal}" if objective.goal else "none"
    parts += ["\n", ("goal ", muted), literal(goal)]
    parts += [
        "\n",
        ("parent ", muted),
        literal(objective.parent_code or "none"),
        (" · carried from ", muted),
        literal(objective.carried_from or "—"),
    ]
    if objective.score is not None:
        parts += [(" · graded ", muted), f"{objective.score:.2f} {objective.grade.word}"]
    return Content.assemble(*parts)


def key_result_facts(kr: KeyResultRow) -> Content:
    """A key result's definition and where it stands, in a few short lines."""
    muted = "$text-muted"
    unit = kr.unit
    last = kr.latest
    parts: list[str | tuple[str, str]] = [
        (literal(kr.code), "bold"),
        (" · ", muted),
        KIND_LABELS.get(kr.kind, kr.kind),
        (" · weight ", muted),
        plain_number(kr.weight),
        (" · owner ", muted),
        literal(kr.owner) or MISSING,
        "\n",
        ("aim ", muted),
        aim_text(kr),
        (" · latest ", muted),
        f"{format_value(kr.value, unit)} on {last.on.isoformat()}" if last else "no check-in yet",
        (" · KPI ", muted),
        literal(kr.kpi_code or "none"),
    ]
    if kr.original_target is not None:
        parts += [
            "\n",
            ("first target ", muted),
            format_value(kr.original_target, unit),
            (", moved because ", muted),
            literal(kr.target_change_reason or "no reason given"),
        ]
    history = [c.value for c in kr.check_ins]
    parts += ["\n", ("check-ins ", muted), str(len(history))]
    if history:
        parts += [" ", text_sparkline(history, 20)]
    if kr.score is not None:
        parts += [(" · graded ", muted), f"{kr.score:.2f} {kr.grade.word}"]
    return Content.assemble(*parts)
