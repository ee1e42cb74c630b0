"""Tests of the maturity self-assessment's arithmetic: pmo_tui.calculations (maturity) and pmo_tui.maturity.

Hand-worked examples first (every expected number worked out in the comment beside it),
then Hypothesis properties over the real question bank.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from helpers import TODAY
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_tui.calculations import (
    LEADING_FULL_SHARE,
    STAGE_NAMES,
    STAGE_SHARES,
    EvidenceFacts,
    EvidenceItem,
    MixAdvice,
    check_in_weeks,
    dimension_score,
    disagreement,
    evidence,
    overall_score,
    recommended_mix,
    stage_from_share,
    stage_of,
    weakest,
)
from pmo_tui.locations import question_bank_path
from pmo_tui.maturity import MaturityResult, gap_objective_title, results
from pmo_tui.question_bank import Dimension, QuestionBank, Stage, Statement, load_question_bank
from pmo_tui.records import AnswerRecord

# --------------------------------------------------------------------------- stage names & stage_of


def test_stage_names_are_the_five_stages_in_order():
    assert STAGE_NAMES == {
        1: "Initial/Basic",
        2: "Developing",
        3: "Established",
        4: "Well-Established",
        5: "Optimized",
    }


@pytest.mark.parametrize(
    ("score", "stage"),
    [
        (2.9, 2),  # floor(2.9) = 2: a stage is reached only when the mean reaches it
        (3.0, 3),  # exactly 3 reaches Established
        (1.0, 1),  # the lowest mean possible
        (5, 5),  # an int works as well as a float
        (5.0, 5),
        (1.5, 1),  # floor(1.5) = 1
        (4.999, 4),  # floor(4.999) = 4
    ],
)
def test_stage_of(score, stage):
    assert stage_of(score) == stage


def test_stage_of_names_2_9_developing():
    # 2.9 -> stage 2 -> "Developing", not Established
    assert STAGE_NAMES[stage_of(2.9)] == "Developing"


def test_stage_of_tolerates_float_error_just_below_a_whole_stage():
    # 3 - 4e-16 = 2.9999999999999996, what a float mean of threes can come out as: still stage 3
    assert stage_of(3 - 4e-16) == 3


@pytest.mark.parametrize("score", [None, math.nan, math.inf, -math.inf])
def test_stage_of_missing_or_not_a_number_is_none(score):
    assert stage_of(score) is None


# --------------------------------------------------------------------------- dimension & overall score


def test_dimension_score_ignores_unanswered_statements():
    # answered 3 and 4 -> (3 + 4) / 2 = 3.5; the None does not count as 0
    assert dimension_score([3, None, 4]) == pytest.approx(3.5)


def test_dimension_score_of_one_answer_is_that_answer():
    # only 2 answered -> 2 / 1 = 2.0
    assert dimension_score([None, 2, None]) == pytest.approx(2.0)


@pytest.mark.parametrize("levels", [[None, None, None], [None], []])
def test_dimension_score_with_nothing_answered_is_none(levels):
    assert dimension_score(levels) is None


def test_dimension_with_all_ones_is_stage_one():
    # (1 + 1 + 1) / 3 = 1.0 -> floor(1.0) = 1 -> Initial/Basic
    score = dimension_score([1, 1, 1])
    assert score == pytest.approx(1.0)
    assert stage_of(score) == 1


def test_dimension_score_accepts_a_generator():
    # (2 + 5) / 2 = 3.5
    assert dimension_score(level for level in (2, None, 5)) == pytest.approx(3.5)


def test_overall_score_ignores_unanswered_dimensions():
    # dimensions 2.5, (unanswered), 3.5 -> (2.5 + 3.5) / 2 = 3.0, not 6.0 / 3 = 2.0
    assert overall_score([2.5, None, 3.5]) == pytest.approx(3.0)


def test_overall_score_weighs_each_dimension_the_same():
    # 1.0, 2.0, 4.5 -> 7.5 / 3 = 2.5 (however many statements each dimension had)
    assert overall_score([1.0, 2.0, 4.5]) == pytest.approx(2.5)


def test_overall_score_with_no_answered_dimension_is_none():
    assert overall_score([None, None]) is None
    assert overall_score([]) is None


# --------------------------------------------------------------------------- weakest


def test_weakest_ties_keep_the_bank_order_and_skip_unanswered():
    scores = [
        ("alignment", 3.0),
        ("definition", 2.0),
        ("targets", None),  # unanswered: never weakest, though None would sort "lowest"
        ("data", 2.0),
        ("leading", 1.0),
        ("reporting", 2.0),
    ]
    # sorted: leading 1.0, then the 2.0 tie in bank order: definition, data, reporting;
    # only three are returned, so reporting (the last of the tie) is left out
    assert weakest(scores) == ["leading", "definition", "data"]


def test_weakest_returns_at_most_three():
    scores = [(f"d{i}", 1.0) for i in range(8)]
    # all tied at 1.0 -> the first three in bank order
    assert weakest(scores) == ["d0", "d1", "d2"]


def test_weakest_with_fewer_answered_than_three():
    # only "b" (4.0) and "d" (2.5) answered -> d, b
    assert weakest([("a", None), ("b", 4.0), ("c", None), ("d", 2.5)]) == ["d", "b"]


def test_weakest_with_nothing_answered_is_empty():
    assert weakest([("a", None), ("b", None)]) == []
    assert weakest([]) == []


def test_weakest_count_argument():
    # 1.5 < 2.0 < 3.0 -> with count=2 only the two lowest
    assert weakest([("a", 3.0), ("b", 2.0), ("c", 1.5)], count=2) == ["c", "b"]


def test_weakest_tie_order_is_the_bank_order_not_the_alphabet():
    # "zeta" comes first in the bank: it wins the tie although "alpha" sorts first by name
    assert weakest([("zeta", 2.0), ("alpha", 2.0)]) == ["zeta", "alpha"]


# --------------------------------------------------------------------------- recommended mix


@pytest.mark.parametrize("stage", [None, 1, 2])
def test_recommended_mix_for_early_stages_is_kpis_first(stage):
    advice = recommended_mix(stage)
    assert isinstance(advice, MixAdvice)
    assert advice.headline == "Establish KPIs first"
    assert advice.kpis and advice.okrs


def test_recommended_mix_for_established_is_kpis_plus_a_few_okrs():
    assert recommended_mix(3).headline == "KPIs plus a first few OKRs"


@pytest.mark.parametrize("stage", [4, 5])
def test_recommended_mix_for_mature_stages_is_okrs_for_strategy(stage):
    advice = recommended_mix(stage)
    assert advice.headline.startswith("OKRs for strategy")
    assert advice.headline == "OKRs for strategy, KPIs to keep operations steady"


def test_recommended_mix_differs_between_the_three_bands():
    headlines = {recommended_mix(s).headline for s in (1, 3, 5)}
    assert len(headlines) == 3


# --------------------------------------------------------------------------- stage_from_share


def test_stage_shares_table():
    # 95 % Optimized, 85 % Well-Established, 70 % Established, 50 % Developing, below that Initial
    assert STAGE_SHARES == ((5, 0.95), (4, 0.85), (3, 0.70), (2, 0.50))


@pytest.mark.parametrize(
    ("share", "stage"),
    [
        (0.0, 1),
        (0.49, 1),  # below 0.50 -> Initial/Basic
        (0.5, 2),  # exactly 0.50 -> Developing
        (0.69, 2),
        (0.7, 3),  # exactly 0.70 -> Established
        (0.84, 3),
        (0.85, 4),  # exactly 0.85 -> Well-Established
        (0.94, 4),
        (0.95, 5),  # exactly 0.95 -> Optimized
        (1.0, 5),
        (7 / 10, 3),  # 0.7 as a fraction
        (17 / 20, 4),  # 0.85 as a fraction
        (19 / 20, 5),  # 0.95 as a fraction
        (0.1 * 7, 3),  # 0.7000000000000001
        (0.95 - 1e-12, 5),  # a hair below the boundary, within the float tolerance
    ],
)
def test_stage_from_share_boundaries(share, stage):
    assert stage_from_share(share) == stage


@pytest.mark.parametrize("share", [None, math.nan])
def test_stage_from_share_of_nothing_is_none(share):
    assert stage_from_share(share) is None


# --------------------------------------------------------------------------- evidence


def _facts(**changes: int) -> EvidenceFacts:
    base = dict(
        kpis=12,
        kpis_with_target=9,
        kpis_with_owner=12,
        kpis_with_goal=6,
        kpis_on_cadence=6,
        kpis_reviewed=5,
        kpis_leading=2,
        projects=10,
        projects_aligned=7,
        check_in_weeks_due=20,
        check_in_weeks_done=19,
    )
    base.update(changes)
    return EvidenceFacts(**base)


def test_evidence_maps_each_item_to_its_dimension_and_share():
    items = evidence(_facts())
    assert all(isinstance(i, EvidenceItem) for i in items)
    by_dimension = {i.dimension: i for i in items}
    # one item per dimension, in this order
    assert [i.dimension for i in items] == [
        "alignment",
        "definition",
        "targets",
        "data",
        "leading",
        "review",
        "okr",
    ]
    assert len(by_dimension) == len(items)

    # alignment: 7 of 10 projects aligned -> 0.70 -> Established (3)
    assert by_dimension["alignment"].share == pytest.approx(0.7)
    assert by_dimension["alignment"].implied_stage == 3
    assert by_dimension["alignment"].label == "projects aligned to a strategic goal"
    # definition: 12 of 12 KPIs have an owner -> 1.0 -> Optimized (5)
    assert by_dimension["definition"].share == pytest.approx(1.0)
    assert by_dimension["definition"].implied_stage == 5
    # targets: 9 of 12 -> 0.75 -> >= 0.70, < 0.85 -> 3
    assert by_dimension["targets"].share == pytest.approx(0.75)
    assert by_dimension["targets"].implied_stage == 3
    # data: 6 of 12 on cadence -> 0.50 -> Developing (2)
    assert by_dimension["data"].share == pytest.approx(0.5)
    assert by_dimension["data"].implied_stage == 2
    # leading: 2 of 12 -> share 0.1667 (reported as is), scaled by 1/3 -> 0.5 -> 2
    assert by_dimension["leading"].share == pytest.approx(2 / 12)
    assert by_dimension["leading"].implied_stage == 2
    # review: 5 of 12 reviewed -> 0.4167 -> below 0.50 -> 1
    assert by_dimension["review"].share == pytest.approx(5 / 12)
    assert by_dimension["review"].implied_stage == 1
    # okr: 19 of 20 weeks with a check-in -> 0.95 -> Optimized (5)
    assert by_dimension["okr"].share == pytest.approx(0.95)
    assert by_dimension["okr"].implied_stage == 5


def test_evidence_zero_denominators_give_no_share_and_no_stage():
    items = evidence(
        EvidenceFacts(
            kpis=0,
            kpis_with_target=0,
            kpis_with_owner=0,
            kpis_with_goal=0,
            kpis_on_cadence=0,
            kpis_reviewed=0,
            kpis_leading=0,
            projects=0,
            projects_aligned=0,
            check_in_weeks_due=0,
            check_in_weeks_done=0,
        )
    )
    assert len(items) == 7
    for item in items:
        assert item.share is None, item.dimension
        assert item.implied_stage is None, item.dimension


def test_evidence_zero_projects_only_affects_alignment():
    items = {i.dimension: i for i in evidence(_facts(projects=0, projects_aligned=0))}
    assert items["alignment"].share is None and items["alignment"].implied_stage is None
    # the KPI shares are still there: 12 of 12 with an owner -> 5
    assert items["definition"].implied_stage == 5


def test_evidence_zero_check_in_weeks_due_gives_no_okr_stage():
    items = {i.dimension: i for i in evidence(_facts(check_in_weeks_due=0, check_in_weeks_done=0))}
    assert items["okr"].share is None and items["okr"].implied_stage is None


def test_evidence_no_kpis_gives_no_kpi_stages_but_keeps_alignment():
    items = {
        i.dimension: i
        for i in evidence(
            _facts(
                kpis=0,
                kpis_with_target=0,
                kpis_with_owner=0,
                kpis_with_goal=0,
                kpis_on_cadence=0,
                kpis_reviewed=0,
                kpis_leading=0,
            )
        )
    }
    for dim in ("definition", "targets", "data", "leading", "review"):
        assert items[dim].share is None and items[dim].implied_stage is None
    assert items["alignment"].implied_stage == 3  # 7 of 10 -> 0.70


def test_leading_full_share_is_a_third():
    assert pytest.approx(1 / 3) == LEADING_FULL_SHARE


@pytest.mark.parametrize(
    ("leading", "stage"),
    [
        (0, 1),  # 0 of 12 -> 0 -> 1
        (1, 1),  # 1/12 = 0.083; / (1/3) = 0.25 -> 1
        (2, 2),  # 2/12 = 0.167; / (1/3) = 0.50 -> 2
        (3, 3),  # 3/12 = 0.25;  / (1/3) = 0.75 -> >= 0.70, < 0.85 -> 3
        (4, 5),  # 4/12 = 1/3;   / (1/3) = 1.00 -> 5 (a third of the set counts as full)
        (6, 5),  # 6/12 = 0.5;   / (1/3) = 1.5, capped at 1.0 -> 5
        (12, 5),  # all leading -> capped -> 5
    ],
)
def test_leading_share_is_scaled_by_a_third(leading, stage):
    item = next(i for i in evidence(_facts(kpis_leading=leading)) if i.dimension == "leading")
    # the reported share is the raw share, not the scaled one
    assert item.share == pytest.approx(leading / 12)
    assert item.implied_stage == stage


def test_leading_scaled_share_reaches_well_established_at_85_percent_of_a_third():
    # 0.85 * (1/3) = 0.2833: 17 leading of 60 -> 0.28333 / 0.33333 = 0.85 -> 4
    item = next(i for i in evidence(_facts(kpis=60, kpis_leading=17)) if i.dimension == "leading")
    assert item.implied_stage == 4
    # 16 of 60 -> 0.2667 / 0.3333 = 0.80 -> 3
    item = next(i for i in evidence(_facts(kpis=60, kpis_leading=16)) if i.dimension == "leading")
    assert item.implied_stage == 3


# --------------------------------------------------------------------------- disagreement


@pytest.mark.parametrize(
    ("self_stage", "implied", "gap"),
    [
        (3, 1, 2),  # rated 3, data supports 1 -> 2 stages above
        (2, 2, 0),
        (1, 4, -3),  # rated 1, data supports 4 -> 3 stages below
        (5, 1, 4),
        (None, 3, 0),  # unknown -> 0
        (3, None, 0),
        (None, None, 0),
    ],
)
def test_disagreement(self_stage, implied, gap):
    assert disagreement(self_stage, implied) == gap


# --------------------------------------------------------------------------- check_in_weeks
#
# Week k of a cycle is days 7k .. 7k+6 after its start. A week is due once it is over, or as soon
# as it has its check-in: a week still in progress without a check-in is not missed yet (the same
# rule as check_in_overdue, which flags a key result only after more than 7 days of silence).
# Otherwise a team that checks in every single week would score below 100 % on most days, and
# 0 % on the first day of a cycle.

START = date(2026, 10, 1)  # a Thursday: weeks count from the start, not from Mondays
UNTIL = TODAY  # 2026-11-20: 31 days of October + 19 -> day 50 after the start
# day 50 // 7 = week 7 (days 49..55 = Nov 19..Nov 25) is in progress; weeks 0..6 are over


def test_check_in_weeks_no_check_ins():
    # weeks 0..6 are over and missed -> 7 due, 0 done; week 7 is in progress, not yet missed
    assert check_in_weeks([], START, UNTIL) == (7, 0)


def test_check_in_weeks_one_per_week():
    days = [START + timedelta(days=7 * k) for k in range(8)]  # Oct 1, 8, ... Nov 19 (day 49, week 7)
    # weeks 0..6 over and done, week 7 already has its check-in -> 8 due, 8 done
    assert check_in_weeks(days, START, UNTIL) == (8, 8)


def test_check_in_weeks_friday_check_ins_seen_on_a_friday_before_checking_in():
    # a Friday rhythm: Fridays Oct 2 (day 1) .. Nov 13 (day 43) -> weeks 0..6 all done;
    # on Friday Nov 20 (day 50, week 7) this week's check-in is not made yet -> 7 of 7
    days = [date(2026, 10, 2) + timedelta(days=7 * k) for k in range(7)]
    assert days[-1] == date(2026, 11, 13)
    assert check_in_weeks(days, START, UNTIL) == (7, 7)


def test_check_in_weeks_two_in_the_same_week_count_once():
    # Oct 1 (day 0) and Oct 7 (day 6) are both week 0; Oct 8 (day 7) is week 1 -> 2 weeks done;
    # until Oct 8: week 0 is over, week 1 has its check-in -> 2 due
    days = [date(2026, 10, 1), date(2026, 10, 7), date(2026, 10, 8)]
    assert check_in_weeks(days, START, date(2026, 10, 8)) == (2, 2)
    # three check-ins in one week are still one week
    assert check_in_weeks([START, START, START + timedelta(days=3)], START, START + timedelta(days=3)) == (
        1,
        1,
    )


def test_check_in_weeks_outside_the_window_are_ignored():
    # Sep 30 (before the start), Nov 21 and Dec 31 (after until) do not count; Nov 20 (= until,
    # day 50, week 7) does -> 1 week done; weeks 0..6 over plus week 7 with its check-in -> 8 due
    days = [date(2026, 9, 30), date(2026, 11, 21), date(2026, 12, 31), date(2026, 11, 20)]
    assert check_in_weeks(days, START, UNTIL) == (8, 1)


def test_check_in_weeks_until_before_start_is_nothing_due():
    assert check_in_weeks([date(2026, 10, 1)], START, date(2026, 9, 30)) == (0, 0)


def test_check_in_weeks_on_the_first_day_of_a_cycle_with_a_check_in():
    # a check-in on the first day makes week 0 done (and so due): 0 // 7 + 1 = 1 week
    assert check_in_weeks([START], START, START) == (1, 1)


def test_check_in_weeks_a_week_is_missed_only_once_it_is_over():
    # the first day of a cycle without a check-in yet: nothing is missed, week 0 has just begun
    assert check_in_weeks([], START, START) == (0, 0)
    # day 6 is the last day of week 0: still time to check in -> nothing due
    assert check_in_weeks([], START, START + timedelta(days=6)) == (0, 0)
    # day 7: week 0 is over and was missed; week 1 has just begun -> (1, 0)
    assert check_in_weeks([], START, START + timedelta(days=7)) == (1, 0)


def test_check_in_weeks_a_team_that_checks_in_every_week_is_never_behind():
    # a check-in on day `weekday` of every week, up to `until`: every check-in that could have been
    # made was made, so the share of weeks done must be 100 % on every day of the cycle
    behind = []
    for weekday in range(7):
        for elapsed in range(0, 92):
            until = START + timedelta(days=elapsed)
            days = [START + timedelta(days=7 * k + weekday) for k in range(14)]
            days = [day for day in days if day <= until]
            due, done = check_in_weeks(days, START, until)
            if done != due:
                behind.append((weekday, elapsed, due, done))
    # e.g. check-ins on day 1 of each week, seen on day 0 of the cycle: (weekday 1, day 0, 1 due, 0 done)
    assert behind == []


# --------------------------------------------------------------------------- results with a small bank


def _statement(sid: str) -> Statement:
    return Statement(sid, f"Statement {sid}", ("one", "two", "three", "four", "five"))


STAGES = tuple(Stage(level, name, f"{name} summary") for level, name in STAGE_NAMES.items())

SMALL_BANK = QuestionBank(
    stages=STAGES,
    dimensions=(
        Dimension(
            id="alignment",
            name="Strategic alignment",
            description="Goals and KPIs.",
            next_steps=("Map KPIs to goals.", "Add a goal field at intake.", "Review the map yearly."),
            statements=(_statement("alignment.1"), _statement("alignment.2")),
        ),
        Dimension(
            id="leading",
            name="Leading indicators",
            description="Early warnings.",
            next_steps=("Pick one leading KPI.", "Forecast the lagging ones."),
            statements=(_statement("leading.1"), _statement("leading.2")),
        ),
        Dimension(
            id="okr",
            name="OKR practice",
            description="Objectives and key results.",
            next_steps=("Pilot one objective.",),
            statements=(_statement("okr.1"), _statement("okr.2")),
        ),
    ),
)


def _answers(**levels: int | None) -> dict[str, AnswerRecord]:
    """alignment_1=3 -> {"alignment.1": AnswerRecord(3)}; None means unanswered."""
    return {key.replace("_", "."): AnswerRecord(level) for key, level in levels.items() if level is not None}


# alignment 2, 3 -> 2.5 (Developing); leading 4, - -> 4.0 (Well-Established); okr 1, 2 -> 1.5 (Initial)
ANSWERS = _answers(alignment_1=2, alignment_2=3, leading_1=4, okr_1=1, okr_2=2)
# alignment 1, 2 -> 1.5; leading unanswered; okr 1, 2 -> 1.5
PREVIOUS = _answers(alignment_1=1, alignment_2=2, okr_1=1, okr_2=2)


def _dim(result: MaturityResult, dim_id: str):
    return next(d for d in result.dimensions if d.id == dim_id)


def test_small_bank_question_ids():
    assert SMALL_BANK.question_ids == {
        "alignment.1",
        "alignment.2",
        "leading.1",
        "leading.2",
        "okr.1",
        "okr.2",
    }


def test_results_scores_stages_and_answered_counts():
    result = results(SMALL_BANK, TODAY, ANSWERS, None, None)
    assert result.taken_on == TODAY
    assert [d.id for d in result.dimensions] == ["alignment", "leading", "okr"]

    alignment = _dim(result, "alignment")
    # (2 + 3) / 2 = 2.5 -> floor -> 2 Developing
    assert alignment.name == "Strategic alignment"
    assert alignment.score == pytest.approx(2.5)
    assert alignment.stage == 2
    assert (alignment.answered, alignment.statements) == (2, 2)

    leading = _dim(result, "leading")
    # only leading.1 = 4 answered -> 4 / 1 = 4.0 -> 4 Well-Established
    assert leading.score == pytest.approx(4.0)
    assert leading.stage == 4
    assert (leading.answered, leading.statements) == (1, 2)

    okr = _dim(result, "okr")
    # (1 + 2) / 2 = 1.5 -> 1 Initial/Basic
    assert okr.score == pytest.approx(1.5)
    assert okr.stage == 1
    assert (okr.answered, okr.statements) == (2, 2)

    # 2 + 1 + 2 = 5 answered of 2 + 2 + 2 = 6
    assert (result.answered, result.statements) == (5, 6)
    # overall: (2.5 + 4.0 + 1.5) / 3 = 8 / 3 = 2.667 -> 2 Developing
    assert result.score == pytest.approx(8 / 3)
    assert result.stage == 2
    assert result.stage_name == "Developing"
    # stage 2 -> KPIs first
    assert result.mix.headline == "Establish KPIs first"
    # no facts -> no evidence, no gaps, no disagreements
    assert all(d.evidence == () and d.gap == 0 for d in result.dimensions)
    assert result.disagreements == ()


def test_results_without_previous_answers_has_no_change():
    result = results(SMALL_BANK, TODAY, ANSWERS, None, None)
    assert result.change is None
    assert all(d.change is None for d in result.dimensions)
    # an empty mapping of previous answers is the same as none
    result = results(SMALL_BANK, TODAY, ANSWERS, {}, None)
    assert result.change is None
    assert all(d.change is None for d in result.dimensions)


def test_results_change_against_previous_answers():
    result = results(SMALL_BANK, TODAY, ANSWERS, PREVIOUS, None)
    # alignment: 2.5 now, 1.5 before -> +1.0
    assert _dim(result, "alignment").change == pytest.approx(1.0)
    # leading: 4.0 now, unanswered before -> no change to show
    assert _dim(result, "leading").change is None
    # okr: 1.5 now, 1.5 before -> 0.0 (a real zero, not None)
    assert _dim(result, "okr").change == pytest.approx(0.0)
    assert _dim(result, "okr").change is not None
    # overall: 8/3 now; before (1.5 + 1.5) / 2 = 1.5 -> 8/3 - 3/2 = 16/6 - 9/6 = 7/6
    assert result.change == pytest.approx(7 / 6)


def test_results_change_is_none_for_a_dimension_unanswered_now():
    now = _answers(alignment_1=3, alignment_2=3)  # 3.0; okr unanswered now
    result = results(SMALL_BANK, TODAY, now, PREVIOUS, None)
    assert _dim(result, "alignment").change == pytest.approx(1.5)  # 3.0 - 1.5
    assert _dim(result, "okr").change is None


def test_results_weakest_order():
    result = results(SMALL_BANK, TODAY, ANSWERS, None, None)
    # okr 1.5 < alignment 2.5 < leading 4.0
    assert result.weakest == ("okr", "alignment", "leading")


def test_results_weakest_ties_keep_bank_order_and_skip_unanswered():
    # alignment (2 + 2) / 2 = 2.0, leading unanswered, okr (1 + 3) / 2 = 2.0 -> tie: bank order
    answers = _answers(alignment_1=2, alignment_2=2, okr_1=1, okr_2=3)
    result = results(SMALL_BANK, TODAY, answers, None, None)
    assert result.weakest == ("alignment", "okr")


def test_results_next_steps_take_one_step_of_each_weakest_dimension_first():
    result = results(SMALL_BANK, TODAY, ANSWERS, None, None)
    # round 1: the first step of okr, alignment, leading -> three steps, no second round
    assert result.next_steps == (
        "OKR practice: Pilot one objective.",
        "Strategic alignment: Map KPIs to goals.",
        "Leading indicators: Pick one leading KPI.",
    )


def test_results_next_steps_fill_up_from_the_second_round():
    # only okr (1.5) and alignment (3.0) answered -> weakest okr, alignment
    answers = _answers(alignment_1=3, alignment_2=3, okr_1=1, okr_2=2)
    result = results(SMALL_BANK, TODAY, answers, None, None)
    assert result.weakest == ("okr", "alignment")
    # round 1: okr step 1, alignment step 1; round 2: okr has no second step, alignment step 2
    assert result.next_steps == (
        "OKR practice: Pilot one objective.",
        "Strategic alignment: Map KPIs to goals.",
        "Strategic alignment: Add a goal field at intake.",
    )


def test_results_next_steps_of_a_single_weakest_dimension():
    # only alignment answered -> its three steps in order
    result = results(SMALL_BANK, TODAY, _answers(alignment_1=2), None, None)
    assert result.next_steps == (
        "Strategic alignment: Map KPIs to goals.",
        "Strategic alignment: Add a goal field at intake.",
        "Strategic alignment: Review the map yearly.",
    )


def test_results_with_nothing_answered():
    result = results(SMALL_BANK, TODAY, {}, None, None)
    assert result.answered == 0 and result.statements == 6
    assert result.score is None and result.stage is None
    assert result.stage_name == "not rated"
    assert all(d.score is None and d.stage is None and d.answered == 0 for d in result.dimensions)
    assert result.weakest == ()
    assert result.next_steps == ()
    assert result.mix.headline == "Establish KPIs first"
    assert gap_objective_title(result) is None


def test_results_ignore_answers_to_questions_not_in_the_bank():
    answers = {**ANSWERS, "reporting.1": AnswerRecord(5)}
    result = results(SMALL_BANK, TODAY, answers, None, None)
    assert result.answered == 5
    assert result.score == pytest.approx(8 / 3)


# -- disagreements in words

FACTS = EvidenceFacts(
    kpis=10,
    kpis_with_target=10,
    kpis_with_owner=10,
    kpis_with_goal=10,
    kpis_on_cadence=10,
    kpis_reviewed=10,
    kpis_leading=3,  # 3/10 = 0.3; / (1/3) = 0.9 -> 4, same as the leading rating (4): no gap
    projects=10,
    projects_aligned=3,  # 0.3 -> 1; alignment rated 2 -> over-rated by 1
    check_in_weeks_due=10,
    check_in_weeks_done=10,  # 1.0 -> 5; okr rated 1 -> under-rated by 4
)


def test_results_evidence_is_attached_to_its_dimension_only():
    result = results(SMALL_BANK, TODAY, ANSWERS, None, FACTS)
    for dim in result.dimensions:
        assert [item.dimension for item in dim.evidence] == [dim.id]
    # the evidence of dimensions outside this bank (definition, targets, ...) is not shown anywhere
    assert {item.dimension for d in result.dimensions for item in d.evidence} == {
        "alignment",
        "leading",
        "okr",
    }


def test_results_gaps():
    result = results(SMALL_BANK, TODAY, ANSWERS, None, FACTS)
    assert _dim(result, "alignment").gap == 1  # rated 2, data 1 -> +1
    assert _dim(result, "leading").gap == 0  # rated 4, data 4
    assert _dim(result, "okr").gap == -4  # rated 1, data 5 -> -4


def test_results_disagreements_in_words():
    result = results(SMALL_BANK, TODAY, ANSWERS, None, FACTS)
    assert result.disagreements == (
        # over-rating by one stage is always said
        "Strategic alignment: rated Developing, but with 30% of projects aligned to a strategic "
        "goal the data supports Initial/Basic at most.",
        # under-rating by four stages is plain enough to say
        "OKR practice: rated Initial/Basic, yet with 100% of weekly key-result check-ins made "
        "the data would support up to Optimized.",
    )


def test_over_rating_by_one_stage_is_reported():
    # alignment rated (4 + 4) / 2 = 4.0 -> 4; 7 of 10 aligned -> 0.70 -> 3 -> +1
    facts = EvidenceFacts(**{**FACTS.__dict__, "projects_aligned": 7})
    answers = _answers(alignment_1=4, alignment_2=4)
    result = results(SMALL_BANK, TODAY, answers, None, facts)
    assert _dim(result, "alignment").gap == 1
    assert result.disagreements == (
        "Strategic alignment: rated Well-Established, but with 70% of projects aligned to a "
        "strategic goal the data supports Established at most.",
    )
    assert "the data supports" in result.disagreements[0]


def test_under_rating_by_two_stages_is_not_reported():
    # alignment rated 2; 9 of 10 aligned -> 0.90 -> 4 -> gap 2 - 4 = -2: modesty, not said
    facts = EvidenceFacts(**{**FACTS.__dict__, "projects_aligned": 9})
    answers = _answers(alignment_1=2, alignment_2=2)
    result = results(SMALL_BANK, TODAY, answers, None, facts)
    assert _dim(result, "alignment").gap == -2
    assert result.disagreements == ()


def test_under_rating_by_three_stages_is_reported():
    # alignment rated 2; 10 of 10 aligned -> 1.0 -> 5 -> gap 2 - 5 = -3: plain, so said
    facts = EvidenceFacts(**{**FACTS.__dict__, "projects_aligned": 10})
    answers = _answers(alignment_1=2, alignment_2=2)
    result = results(SMALL_BANK, TODAY, answers, None, facts)
    assert _dim(result, "alignment").gap == -3
    assert result.disagreements == (
        "Strategic alignment: rated Developing, yet with 100% of projects aligned to a strategic "
        "goal the data would support up to Optimized.",
    )


def test_matching_rating_and_unanswered_dimensions_are_not_reported():
    # alignment rated 1 (1, 1), data 0.3 -> 1: gap 0; leading and okr unanswered: gap 0
    result = results(SMALL_BANK, TODAY, _answers(alignment_1=1, alignment_2=1), None, FACTS)
    assert [d.gap for d in result.dimensions] == [0, 0, 0]
    assert result.disagreements == ()


def test_leading_disagreement_shows_the_raw_share():
    # leading rated 5 (5, 5); 1 of 10 leading -> 0.1, scaled 0.3 -> 1 -> over-rated by 4
    facts = EvidenceFacts(**{**FACTS.__dict__, "kpis_leading": 1})
    result = results(SMALL_BANK, TODAY, _answers(leading_1=5, leading_2=5), None, facts)
    assert result.disagreements == (
        "Leading indicators: rated Optimized, but with 10% of KPIs that are leading indicators "
        "the data supports Initial/Basic at most.",
    )


def test_no_evidence_share_means_no_disagreement():
    # no check-in weeks due -> no okr share, no implied stage -> no gap, nothing said
    facts = EvidenceFacts(**{**FACTS.__dict__, "check_in_weeks_due": 0, "check_in_weeks_done": 0})
    result = results(SMALL_BANK, TODAY, _answers(okr_1=5, okr_2=5), None, facts)
    assert _dim(result, "okr").gap == 0
    assert result.disagreements == ()


# -- gap objective title


def test_gap_objective_title_raises_the_weakest_to_the_next_stage():
    result = results(SMALL_BANK, TODAY, ANSWERS, None, None)
    # weakest okr at stage 1 -> next stage 2 Developing; the name is lower-cased in the title
    assert gap_objective_title(result) == ("OKR practice", "Raise okr practice to Developing")


def test_gap_objective_title_for_other_stages():
    # alignment (3 + 4) / 2 = 3.5 -> 3 -> "Well-Established"
    result = results(SMALL_BANK, TODAY, _answers(alignment_1=3, alignment_2=4), None, None)
    assert gap_objective_title(result) == (
        "Strategic alignment",
        "Raise strategic alignment to Well-Established",
    )


def test_gap_objective_title_at_the_top_stays_optimized():
    # every answer 5 -> every dimension stage 5 -> weakest is alignment (tie, bank order);
    # the next stage is capped at 5
    answers = _answers(alignment_1=5, alignment_2=5, leading_1=5, leading_2=5, okr_1=5, okr_2=5)
    result = results(SMALL_BANK, TODAY, answers, None, None)
    assert gap_objective_title(result) == ("Strategic alignment", "Raise strategic alignment to Optimized")


# --------------------------------------------------------------------------- properties on the real bank

REAL_BANK = load_question_bank(question_bank_path())
QUESTION_IDS = sorted(REAL_BANK.question_ids)

levels = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
answer_maps = st.fixed_dictionaries({qid: levels for qid in QUESTION_IDS}).map(
    lambda raw: {qid: AnswerRecord(level) for qid, level in raw.items() if level is not None}
)


@st.composite
def evidence_facts(draw) -> EvidenceFacts:
    def part_of(whole: int) -> int:
        return draw(st.integers(min_value=0, max_value=whole))

    kpis = draw(st.integers(min_value=0, max_value=30))
    projects = draw(st.integers(min_value=0, max_value=30))
    due = draw(st.integers(min_value=0, max_value=60))
    return EvidenceFacts(
        kpis=kpis,
        kpis_with_target=part_of(kpis),
        kpis_with_owner=part_of(kpis),
        kpis_with_goal=part_of(kpis),
        kpis_on_cadence=part_of(kpis),
        kpis_reviewed=part_of(kpis),
        kpis_leading=part_of(kpis),
        projects=projects,
        projects_aligned=part_of(projects),
        check_in_weeks_due=due,
        check_in_weeks_done=part_of(due),
    )


def test_real_bank_has_dimensions_with_statements():
    assert len(REAL_BANK.dimensions) >= 3
    assert all(d.statements for d in REAL_BANK.dimensions)
    assert [s.level for s in REAL_BANK.stages] == [1, 2, 3, 4, 5]
    assert [s.name for s in REAL_BANK.stages] == [STAGE_NAMES[i] for i in range(1, 6)]


@settings(deadline=None, max_examples=200)
@given(answer_maps, st.one_of(st.none(), answer_maps), st.one_of(st.none(), evidence_facts()))
def test_results_of_any_answers_are_sound(answers, previous, facts):
    result = results(REAL_BANK, TODAY, answers, previous, facts)  # never raises

    assert result.answered == len(answers)
    assert result.statements == len(QUESTION_IDS)
    for dim in result.dimensions:
        assert dim.score is None or 1 <= dim.score <= 5
        assert (dim.stage is None) == (dim.answered == 0)
        assert dim.stage is None or dim.stage in STAGE_NAMES
        assert dim.change is None or -4 <= dim.change <= 4
    assert result.score is None or 1 <= result.score <= 5
    assert (result.stage is None) == (result.answered == 0)
    assert result.change is None or -4 <= result.change <= 4

    answered_dims = [d.id for d in result.dimensions if d.answered]
    assert len(result.weakest) == len(set(result.weakest))
    assert set(result.weakest) <= set(answered_dims)
    assert len(result.weakest) == min(3, len(answered_dims))
    assert len(result.next_steps) <= 3
    assert all(isinstance(line, str) and line for line in result.disagreements)

    title = gap_objective_title(result)
    assert (title is None) == (not result.weakest)
    if title is not None:
        assert title[1].startswith("Raise ")


@settings(deadline=None)
@given(answer_maps)
def test_weakest_dimensions_are_no_stronger_than_the_rest(answers):
    result = results(REAL_BANK, TODAY, answers, None, None)
    scores = {d.id: d.score for d in result.dimensions}
    if result.weakest:
        worst_kept = max(scores[w] for w in result.weakest)
        others = [s for dim, s in scores.items() if s is not None and dim not in result.weakest]
        assert all(worst_kept <= s for s in others)


@given(st.floats(allow_nan=True, allow_infinity=True) | st.none())
def test_stage_of_is_a_stage_or_none(score):
    stage = stage_of(score)
    assert stage is None or stage in STAGE_NAMES
    assert (stage is None) == (score is None or not math.isfinite(score))


@given(st.floats(min_value=0, max_value=1))
def test_stage_from_share_is_monotone(share):
    stage = stage_from_share(share)
    assert stage in STAGE_NAMES
    assert stage_from_share(min(1.0, share + 0.01)) >= stage


@given(
    st.lists(st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)), max_size=30),
    st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)),
    st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)),
)
def test_check_in_weeks_done_never_exceeds_due(days, start, until):
    due, done = check_in_weeks(days, start, until)
    assert 0 <= done <= due
