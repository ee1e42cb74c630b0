"""Tests of the OKR formulas of pmo_tui.calculations: lint, weekly check-in due, quarters, carry-over.

Hand-worked examples first (the working is in the comment beside each expected value),
then Hypothesis properties. Progress, objective progress, pace and value-needed already have
hand-worked cases in tests/test_calculations.py; only cases not covered there are added here.
Calendar facts used: 2026-11-16 is a Monday, 2026-11-20 a Friday, 2027-01-01 a Friday.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_tui.calculations import (
    MAX_KEY_RESULTS,
    MIN_KEY_RESULTS,
    KeyResultFacts,
    KeyResultKind,
    Pace,
    carried_baseline,
    check_in_due,
    cycle_score,
    following_cycle,
    following_quarter,
    key_result_gaps,
    key_result_progress,
    objective_lint,
    objective_progress,
    pace,
    quarter_end,
    quarter_name,
    quarter_start,
)

FRIDAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 16)


def kr(
    code: str = "KR1",
    kind: str = "increase",
    unit: str = "%",
    baseline: float = 0.0,
    target: float = 10.0,
    band_low: float | None = None,
    band_high: float | None = None,
) -> KeyResultFacts:
    return KeyResultFacts(code, kind, unit, baseline, target, band_low, band_high)


def good_krs(count: int) -> list[KeyResultFacts]:
    return [kr(f"KR{n}") for n in range(1, count + 1)]


# =========================================================================== KeyResultFacts


class TestKeyResultFacts:
    def test_bands_default_to_open(self):
        facts = KeyResultFacts("O1-KR1", "increase", "%", 70, 90)
        assert facts.band_low is None and facts.band_high is None

    def test_is_frozen(self):
        facts = kr()
        with pytest.raises(dataclasses.FrozenInstanceError):
            facts.target = 20  # type: ignore[misc]

    def test_accepts_the_enum_as_kind(self):
        assert key_result_gaps(kr(kind=KeyResultKind.DECREASE, baseline=10, target=5)) == []


# =========================================================================== key_result_gaps


class TestKeyResultGaps:
    def test_well_formed_increase_has_no_gaps(self):
        assert key_result_gaps(kr("A-KR1", "increase", "%", 70, 90)) == []

    def test_well_formed_decrease_has_no_gaps(self):
        assert key_result_gaps(kr("A-KR1", "decrease", "days", 30, 20)) == []

    def test_target_equal_to_baseline(self):
        assert key_result_gaps(kr("A-KR1", "increase", "%", 50, 50)) == [
            "A-KR1's target equals its baseline: nothing to move"
        ]
        assert key_result_gaps(kr("A-KR2", "decrease", "%", 3, 3)) == [
            "A-KR2's target equals its baseline: nothing to move"
        ]

    def test_missing_unit(self):
        assert key_result_gaps(kr("A-KR1", "increase", "", 0, 10)) == ["A-KR1 has no unit"]

    def test_whitespace_unit_counts_as_missing(self):
        assert key_result_gaps(kr("A-KR1", "decrease", "   ", 10, 0)) == ["A-KR1 has no unit"]

    def test_both_gaps_in_order(self):
        # the target finding comes before the unit finding
        assert key_result_gaps(kr("A-KR3", "increase", "", 5, 5)) == [
            "A-KR3's target equals its baseline: nothing to move",
            "A-KR3 has no unit",
        ]

    def test_milestone_needs_neither_unit_nor_movement(self):
        # a milestone is done or not: no unit, and baseline == target is not a finding
        assert key_result_gaps(kr("M", "milestone", "", 0, 1)) == []
        assert key_result_gaps(kr("M", "milestone", "", 1, 1)) == []

    def test_band_without_bounds(self):
        assert key_result_gaps(kr("B", "within_band", "%", 80, 80)) == ["B has no band to stay within"]

    def test_band_with_one_bound_is_enough(self):
        assert key_result_gaps(kr("B", "within_band", "%", 0, 0, band_low=75)) == []
        assert key_result_gaps(kr("B", "within_band", "%", 0, 0, band_high=85)) == []

    def test_band_ignores_baseline_equal_to_target(self):
        # within_band does not move from a baseline to a target: 88 == 88 is no finding
        assert key_result_gaps(kr("B", "within_band", "%", 88, 88, 75, 85)) == []

    def test_band_without_unit_and_bounds(self):
        assert key_result_gaps(kr("B", "within_band", "")) == [
            "B has no band to stay within",
            "B has no unit",
        ]

    def test_unknown_kind_raises(self):
        with pytest.raises(ValueError):
            key_result_gaps(kr(kind="sideways"))


# =========================================================================== objective_lint


class TestObjectiveLint:
    def test_well_formed_objective_is_clean(self):
        assert objective_lint("Grace Whitfield", True, good_krs(3)) == ()

    def test_two_and_five_key_results_are_fine(self):
        assert objective_lint("Grace", True, good_krs(MIN_KEY_RESULTS)) == ()
        assert objective_lint("Grace", True, good_krs(MAX_KEY_RESULTS)) == ()

    def test_no_key_results(self):
        assert objective_lint("Grace", True, []) == ("0 key results: aim for 2–5",)

    def test_one_key_result_is_singular(self):
        assert objective_lint("Grace", True, good_krs(1)) == ("1 key result: aim for 2–5",)

    def test_six_key_results_is_too_many(self):
        assert objective_lint("Grace", True, good_krs(6)) == ("6 key results: focus on at most 5",)

    def test_no_owner(self):
        assert objective_lint("", True, good_krs(2)) == ("no owner",)
        assert objective_lint(" \t ", True, good_krs(2)) == ("no owner",)

    def test_not_aligned(self):
        assert objective_lint("Grace", False, good_krs(2)) == ("not aligned to a strategic goal",)

    def test_every_finding_in_order(self):
        # count, then owner, then goal, then each key result's gaps in key-result order
        findings = objective_lint(
            "",
            False,
            [kr("O-KR1", "increase", "", 4, 4)],
        )
        assert findings == (
            "1 key result: aim for 2–5",
            "no owner",
            "not aligned to a strategic goal",
            "O-KR1's target equals its baseline: nothing to move",
            "O-KR1 has no unit",
        )

    def test_key_result_gaps_follow_key_result_order(self):
        findings = objective_lint(
            "Grace", True, [kr("O-KR1"), kr("O-KR2", "within_band"), kr("O-KR3", unit="")]
        )
        assert findings == ("O-KR2 has no band to stay within", "O-KR3 has no unit")

    def test_returns_a_tuple(self):
        assert isinstance(objective_lint("", False, []), tuple)


# =========================================================================== check_in_due


class TestCheckInDue:
    # Today Friday 2026-11-20: the week runs Monday 2026-11-16 to Sunday 2026-11-22.

    def test_never_checked_in_is_due(self):
        assert check_in_due(None, FRIDAY) is True

    def test_check_in_today_is_not_due(self):
        assert check_in_due(FRIDAY, FRIDAY) is False

    def test_check_in_on_this_weeks_monday_is_not_due(self):
        assert check_in_due(MONDAY, FRIDAY) is False

    def test_check_in_on_last_sunday_is_due(self):
        assert check_in_due(date(2026, 11, 15), FRIDAY) is True

    def test_check_in_last_friday_is_due(self):
        # exactly seven days ago, but in last week
        assert check_in_due(date(2026, 11, 13), FRIDAY) is True

    def test_week_starts_on_monday_when_today_is_monday(self):
        assert check_in_due(MONDAY, MONDAY) is False
        assert check_in_due(date(2026, 11, 15), MONDAY) is True  # yesterday, Sunday: last week

    def test_on_sunday_the_whole_week_counts(self):
        sunday = date(2026, 11, 22)
        assert check_in_due(MONDAY, sunday) is False  # six days ago, same week
        assert check_in_due(date(2026, 11, 15), sunday) is True

    def test_week_across_the_year_boundary(self):
        # Friday 2027-01-01: its week began on Monday 2026-12-28
        new_year = date(2027, 1, 1)
        assert new_year.weekday() == 4
        assert check_in_due(date(2026, 12, 28), new_year) is False
        assert check_in_due(date(2026, 12, 31), new_year) is False
        assert check_in_due(date(2026, 12, 27), new_year) is True

    def test_check_in_dated_later_this_week_is_not_due(self):
        assert check_in_due(date(2026, 11, 22), FRIDAY) is False


# =========================================================================== quarters


class TestQuarterName:
    @pytest.mark.parametrize(
        ("day", "name"),
        [
            (date(2026, 1, 1), "2026-Q1"),
            (date(2026, 3, 31), "2026-Q1"),
            (date(2026, 4, 1), "2026-Q2"),
            (date(2026, 6, 30), "2026-Q2"),
            (date(2026, 7, 1), "2026-Q3"),
            (date(2026, 9, 30), "2026-Q3"),
            (date(2026, 10, 1), "2026-Q4"),
            (date(2026, 11, 20), "2026-Q4"),
            (date(2026, 12, 31), "2026-Q4"),
            (date(2027, 1, 1), "2027-Q1"),
        ],
    )
    def test_names(self, day, name):
        assert quarter_name(day) == name


class TestQuarterStart:
    @pytest.mark.parametrize(
        ("day", "start"),
        [
            (date(2026, 1, 1), date(2026, 1, 1)),
            (date(2026, 3, 31), date(2026, 1, 1)),
            (date(2024, 2, 29), date(2024, 1, 1)),
            (date(2026, 5, 15), date(2026, 4, 1)),
            (date(2026, 9, 30), date(2026, 7, 1)),
            (date(2026, 11, 20), date(2026, 10, 1)),
            (date(2026, 12, 31), date(2026, 10, 1)),
        ],
    )
    def test_starts(self, day, start):
        assert quarter_start(day) == start


@pytest.mark.parametrize(
    ("name", "start", "end", "following"),
    [
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), ("2027-Q1", date(2027, 1, 1), date(2027, 3, 31))),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30))),
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31), ("2027-H1", date(2027, 1, 1), date(2027, 6, 30))),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), ("2027", date(2027, 1, 1), date(2027, 12, 31))),
        # whole months stay whole months, however long the months are
        ("Winter", date(2026, 12, 1), date(2027, 2, 28), ("2027-03-01", date(2027, 3, 1), date(2027, 5, 31))),
        # a quarter that does not start on the 1st (the demo's, moved to today) is followed by as many days
        ("2026-Q4", date(2026, 10, 15), date(2027, 1, 14), ("2027-Q1", date(2027, 1, 15), date(2027, 4, 16))),
        (
            "Sprint 4",
            date(2026, 1, 5),
            date(2026, 1, 18),
            ("2026-01-19", date(2026, 1, 19), date(2026, 2, 1)),
        ),
    ],
)
def test_the_following_cycle_is_as_long_and_named_the_pmo_way(name, start, end, following):
    assert following_cycle(name, start, end) == following


class TestFollowingQuarter:
    def test_q4_is_followed_by_next_years_q1(self):
        assert following_quarter(date(2026, 11, 20)) == ("2027-Q1", date(2027, 1, 1), date(2027, 3, 31))

    def test_from_the_last_day_of_the_year(self):
        assert following_quarter(date(2026, 12, 31)) == ("2027-Q1", date(2027, 1, 1), date(2027, 3, 31))

    def test_from_the_first_day_of_a_quarter(self):
        assert following_quarter(date(2026, 10, 1)) == ("2027-Q1", date(2027, 1, 1), date(2027, 3, 31))

    def test_q1_to_q2(self):
        assert following_quarter(date(2026, 1, 1)) == ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30))
        assert following_quarter(date(2026, 3, 31)) == ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30))

    def test_q2_to_q3(self):
        assert following_quarter(date(2026, 6, 30)) == ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30))

    def test_q3_to_q4(self):
        # the sample's 2026-Q3 ends 2026-09-30; 2026-Q4 runs to the end of December
        assert following_quarter(date(2026, 9, 30)) == ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31))

    def test_leap_year_q1_to_q2(self):
        assert following_quarter(date(2024, 2, 29)) == ("2024-Q2", date(2024, 4, 1), date(2024, 6, 30))

    def test_leading_into_a_leap_years_q1(self):
        # 2028 is a leap year: its Q1 still ends on 31 March
        assert following_quarter(date(2027, 12, 1)) == ("2028-Q1", date(2028, 1, 1), date(2028, 3, 31))


# =========================================================================== carried_baseline


class TestCarriedBaseline:
    def test_increase_starts_from_the_last_value(self):
        assert carried_baseline("increase", 0.0, 40.0) == 40.0  # Q4-O2-KR1 got to 40 of 80

    def test_decrease_starts_from_the_last_value(self):
        # even when the last value is worse than the old baseline: it is where things stand
        assert carried_baseline("decrease", 3.2, 3.4) == 3.4

    def test_band_and_milestone_keep_their_baseline(self):
        assert carried_baseline("within_band", 88.0, 84.0) == 88.0
        assert carried_baseline(KeyResultKind.MILESTONE, 0.0, 1.0) == 0.0

    def test_no_last_value_keeps_the_baseline(self):
        assert carried_baseline("increase", 70.0, None) == 70.0
        assert carried_baseline("decrease", 3.2, None) == 3.2

    def test_nan_or_infinite_last_value_keeps_the_baseline(self):
        assert carried_baseline("increase", 70.0, math.nan) == 70.0
        assert carried_baseline("decrease", 3.2, math.inf) == 3.2

    def test_integer_last_value_becomes_a_float(self):
        result = carried_baseline("increase", 0.0, 5)
        assert result == 5.0 and isinstance(result, float)

    def test_zero_is_a_real_last_value(self):
        assert carried_baseline("decrease", 10.0, 0.0) == 0.0

    def test_unknown_kind_raises(self):
        with pytest.raises(ValueError):
            carried_baseline("sideways", 1.0, 2.0)


# =========================================================================== progress & pace: cases not in test_calculations.py


class TestOkrProgressCases:
    def test_sample_q4_o1_weighted_progress(self):
        # Q4-O1 of the sample: milestone not done (0, weight 1), 70→90 at 84.6 (weight 2),
        # 20→23 at 21.4 (weight 1)
        kr1 = key_result_progress("milestone", 0, 1, [0, 0])  # 0
        kr2 = key_result_progress("increase", 70, 90, [76.9, 84.6])  # 14.6/20 = 0.73
        kr3 = key_result_progress("increase", 20, 23, [21.2, 21.4])  # 1.4/3 = 0.4667
        assert (kr1, kr2, kr3) == (0.0, pytest.approx(0.73), pytest.approx(1.4 / 3))
        # (0*1 + 0.73*2 + 0.4667*1) / 4 = 0.481667
        assert objective_progress([(kr1, 1), (kr2, 2), (kr3, 1)]) == pytest.approx((1.46 + 1.4 / 3) / 4)

    def test_decrease_that_went_the_wrong_way_is_zero(self):
        # Q4-O3-KR1 of the sample: 3.2 → 2.0, now 3.4: (3.4-3.2)/(2.0-3.2) = -0.17 → 0
        assert key_result_progress("decrease", 3.2, 2.0, [3.4]) == 0.0

    def test_started_cycle_with_nothing_done_is_off_track_not_not_started(self):
        # half the cycle gone, no progress, no confidence: gap -0.5 < -0.25
        assert pace(0.0, 0.5, None) is Pace.OFF_TRACK

    def test_gap_just_inside_the_on_track_slack(self):
        # 0.46 - 0.55 = -0.09 >= -0.10: on track
        assert pace(0.46, 0.55, 0.8) is Pace.ON_TRACK
        # 0.44 - 0.55 = -0.11 < -0.10: at risk
        assert pace(0.44, 0.55, 0.8) is Pace.AT_RISK


# =========================================================================== properties

kinds = st.sampled_from(list(KeyResultKind))
any_float = st.floats(allow_nan=True, allow_infinity=True)
optional_float = st.none() | any_float
facts = st.builds(
    KeyResultFacts,
    code=st.text(alphabet="ABCOKR-0123456789", max_size=10),  # no spaces: never mistaken for a count
    kind=kinds,
    unit=st.text(max_size=6),
    baseline=any_float,
    target=any_float,
    band_low=optional_float,
    band_high=optional_float,
)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(9998, 9, 30))


@settings(max_examples=200, deadline=None)
@given(owner=st.text(max_size=20), has_goal=st.booleans(), key_results=st.lists(facts, max_size=8))
def test_lint_never_raises_and_speaks_in_strings(owner, has_goal, key_results):
    findings = objective_lint(owner, has_goal, key_results)
    assert isinstance(findings, tuple)
    assert all(isinstance(f, str) and f for f in findings)
    assert ("no owner" in findings) == (not owner.strip())
    assert ("not aligned to a strategic goal" in findings) == (not has_goal)
    count_ok = MIN_KEY_RESULTS <= len(key_results) <= MAX_KEY_RESULTS
    count_findings = [f for f in findings if f.startswith(f"{len(key_results)} key result")]
    assert len(count_findings) == (0 if count_ok else 1)
    # every key result's own gaps come last, in key-result order, and nothing else is said
    gaps = [g for k in key_results for g in key_result_gaps(k)]
    head = len(count_findings) + (not owner.strip()) + (not has_goal)
    assert list(findings[head:]) == gaps
    assert len(findings) == head + len(gaps)


@settings(max_examples=300, deadline=None)
@given(day=days)
def test_following_quarter_starts_the_day_after_this_quarter_ends(day):
    name, start, end = following_quarter(day)
    assert start == quarter_end(day) + timedelta(days=1)
    assert start > day
    # a calendar quarter: starts on the 1st of Jan/Apr/Jul/Oct, ends the day before the next one
    assert start.day == 1 and start.month in (1, 4, 7, 10)
    assert quarter_start(start) == start and quarter_start(end) == start
    assert quarter_end(start) == end
    assert (end + timedelta(days=1)).day == 1
    next_month = end + timedelta(days=1)
    assert (next_month.year * 12 + next_month.month) - (start.year * 12 + start.month) == 3
    assert 90 <= (end - start).days + 1 <= 92
    assert name == quarter_name(start) == quarter_name(end)


@settings(max_examples=300, deadline=None)
@given(today=days, back=st.integers(min_value=0, max_value=6))
def test_check_in_this_week_up_to_today_is_never_due(today, back):
    monday = today - timedelta(days=today.weekday())
    check_in = monday + timedelta(days=min(back, today.weekday()))
    assert monday <= check_in <= today
    assert check_in_due(check_in, today) is False


@settings(max_examples=300, deadline=None)
@given(today=days, before=st.integers(min_value=1, max_value=400))
def test_check_in_before_this_weeks_monday_is_due(today, before):
    monday = today - timedelta(days=today.weekday())
    assert check_in_due(monday - timedelta(days=before), today) is True


@settings(max_examples=200, deadline=None)
@given(kind=kinds, baseline=st.floats(allow_nan=False, allow_infinity=False), last=optional_float)
def test_carried_baseline_is_the_last_value_only_for_numeric_kinds(kind, baseline, last):
    result = carried_baseline(kind, baseline, last)
    moving = kind in (KeyResultKind.INCREASE, KeyResultKind.DECREASE)
    if moving and last is not None and math.isfinite(last):
        assert result == last
    else:
        assert result == baseline


def test_a_closed_cycles_grade_is_the_mean_score_of_its_graded_objectives():
    assert cycle_score([0.48, 0.38, 0.39]) == pytest.approx(0.4166666)
    assert cycle_score([]) is None
    assert cycle_score([1.0, float("nan")]) == 1.0
