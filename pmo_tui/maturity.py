"""A maturity assessment's results: the question bank, the answers and the evidence put together.

Pure: the formulas come from pmo_tui.calculations, the data from the data layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from pmo_tui import calculations as calc
from pmo_tui.question_bank import QuestionBank
from pmo_tui.records import AnswerRecord as Answer


@dataclass(frozen=True)
class DimensionResult:
    id: str
    name: str
    score: float | None
    stage: int | None
    answered: int
    statements: int
    change: float | None  # against the previous complete assessment
    evidence: tuple[calc.EvidenceItem, ...]
    gap: int  # stages the self-rating sits above (+) or below (−) the evidence


@dataclass(frozen=True)
class MaturityResult:
    taken_on: date
    answered: int
    statements: int
    dimensions: tuple[DimensionResult, ...]
    score: float | None
    stage: int | None
    change: float | None
    weakest: tuple[str, ...]  # dimension ids, weakest first
    mix: calc.MixAdvice
    next_steps: tuple[str, ...]
    disagreements: tuple[str, ...]  # in words, where the self-rating and the data differ

    @property
    def stage_name(self) -> str:
        return calc.STAGE_NAMES.get(self.stage, "not rated") if self.stage else "not rated"


def _scores(bank: QuestionBank, answers: Mapping[str, Answer]) -> dict[str, float | None]:
    return {
        d.id: calc.dimension_score(answers[s.id].level if s.id in answers else None for s in d.statements)
        for d in bank.dimensions
    }


def results(
    bank: QuestionBank,
    taken_on: date,
    answers: Mapping[str, Answer],
    previous: Mapping[str, Answer] | None,
    facts: calc.EvidenceFacts | None,
) -> MaturityResult:
    """Scores per dimension and overall, the weakest dimensions, the advice and the evidence."""
    scores = _scores(bank, answers)
    before = _scores(bank, previous) if previous else {}
    items = calc.evidence(facts) if facts else ()
    dimensions = []
    disagreements = []
    for dimension in bank.dimensions:
        score = scores[dimension.id]
        stage = calc.stage_of(score)
        own = tuple(item for item in items if item.dimension == dimension.id)
        implied = min((i.implied_stage for i in own if i.implied_stage is not None), default=None)
        gap = calc.disagreement(stage, implied)
        previous_score = before.get(dimension.id)
        dimensions.append(
            DimensionResult(
                id=dimension.id,
                name=dimension.name,
                score=score,
                stage=stage,
                answered=sum(s.id in answers for s in dimension.statements),
                statements=len(dimension.statements),
                change=None if score is None or previous_score is None else score - previous_score,
                evidence=own,
                gap=gap,
            )
        )
        # A rating above what the data supports is always said; modesty only when it is plain.
        # A gap is there only when both stages are known.
        if own and stage is not None and implied is not None and (gap >= 1 or gap <= -3):
            worst = min(own, key=lambda i: i.implied_stage or 5)
            share = "no" if worst.share is None else f"{worst.share:.0%}"
            if gap > 0:
                disagreements.append(
                    f"{dimension.name}: rated {calc.STAGE_NAMES[stage]}, but with {share} of "
                    f"{worst.label} the data supports {calc.STAGE_NAMES[implied]} at most."
                )
            else:
                disagreements.append(
                    f"{dimension.name}: rated {calc.STAGE_NAMES[stage]}, yet with {share} of "
                    f"{worst.label} the data would support up to {calc.STAGE_NAMES[implied]}."
                )
    overall = calc.overall_score(scores.values())
    overall_before = calc.overall_score(before.values()) if before else None
    weakest = tuple(calc.weakest([(d.id, d.score) for d in dimensions]))
    by_id = {d.id: d for d in bank.dimensions}
    # One concrete step for each of the three weakest dimensions (or more steps of fewer).
    steps: list[str] = []
    for round_ in range(3):
        for dim in weakest:
            if len(steps) < 3 and round_ < len(by_id[dim].next_steps):
                steps.append(f"{by_id[dim].name}: {by_id[dim].next_steps[round_]}")
    return MaturityResult(
        taken_on=taken_on,
        answered=sum(d.answered for d in dimensions),
        statements=sum(d.statements for d in dimensions),
        dimensions=tuple(dimensions),
        score=overall,
        stage=calc.stage_of(overall),
        change=None if overall is None or overall_before is None else overall - overall_before,
        weakest=weakest,
        mix=calc.recommended_mix(calc.stage_of(overall)),
        next_steps=tuple(steps),
        disagreements=tuple(disagreements),
    )


def gap_objective_title(result: MaturityResult) -> tuple[str, str] | None:
    """(dimension name, objective title) for turning the weakest dimension into an OKR."""
    if not result.weakest:
        return None
    weakest = next(d for d in result.dimensions if d.id == result.weakest[0])
    target = calc.STAGE_NAMES[min(5, (weakest.stage or 1) + 1)]
    return weakest.name, f"Raise {weakest.name.lower()} to {target}"
