"""Tests of the KPI periods, reviews and SMART check in pmo_tui.calculations.

Hand-worked examples first (the arithmetic is in the comment beside each), then Hypothesis properties.
Calendar facts used below: 2024-01-01 is a Monday, 2026-11-01 a Sunday, 2026-11-20 (TODAY) a Friday.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta

import pytest
from helpers import TODAY
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_tui.calculations import (
    ACHIEVABLE_PERIODS,
    CADENCE_DAYS,
    MIN_DESCRIPTION_WORDS,
    REVIEW_EVERY_DAYS,
    RUN_PERIODS,
    Direction,
    SmartCriterion,
    SmartSubject,
    best_run,
    period_end,
    quarter_end,
    review_overdue,
    smart_check,
)

SMART_NAMES = ("Specific", "Measurable", "Achievable", "Relevant", "Time-bound")


def test_constants_the_examples_rely_on() -> None:
    assert date(2026, 11, 20) == TODAY
    assert REVIEW_EVERY_DAYS == 92
    assert ACHIEVABLE_PERIODS == 6
    assert RUN_PERIODS == 3
    assert MIN_DESCRIPTION_WORDS == 5


# --------------------------------------------------------------------------- period_end: weekly


@pytest.mark.parametrize(
    ("day", "end"),
    [
        (date(2026, 11, 16), date(2026, 11, 22)),  # Monday 16 + 6 days = Sunday 22
        (date(2026, 11, 20), date(2026, 11, 22)),  # Friday 20 + 2 days = Sunday 22
        (date(2026, 11, 22), date(2026, 11, 22)),  # a Sunday is its own week's end
        (date(2026, 11, 23), date(2026, 11, 29)),  # Monday 23 starts the next week: + 6 = 29
        (date(2026, 12, 30), date(2027, 1, 3)),  # Wednesday 30 Dec + 4 days = Sunday 3 Jan
    ],
)
def test_period_end_weekly_ends_on_sunday(day: date, end: date) -> None:
    assert period_end(day, "weekly") == end
    assert end.weekday() == 6


# --------------------------------------------------------------------------- period_end: fortnightly


@pytest.mark.parametrize(
    ("day", "end"),
    [
        (date(2024, 1, 1), date(2024, 1, 14)),  # the anchor Monday: offset 0, + 13 days
        (date(2024, 1, 14), date(2024, 1, 14)),  # offset 13: its own fortnight's end
        (date(2024, 1, 15), date(2024, 1, 28)),  # offset 14 % 14 = 0: next fortnight, + 13
        (date(2023, 12, 31), date(2023, 12, 31)),  # offset -1 % 14 = 13: ends that day
        (date(2023, 12, 18), date(2023, 12, 31)),  # offset -14 % 14 = 0: + 13 = 31 Dec
        # 2024-01-01 .. 2026-11-20 is 366 + 365 + 323 = 1054 days; 1054 % 14 = 4; + (13 - 4) = 29 Nov.
        (date(2026, 11, 20), date(2026, 11, 29)),
        (date(2026, 11, 30), date(2026, 12, 13)),  # 1064 % 14 = 0: a new fortnight, + 13
    ],
)
def test_period_end_fortnightly(day: date, end: date) -> None:
    assert period_end(day, "fortnightly") == end
    assert end.weekday() == 6


def test_fortnightly_boundaries_are_14_days_apart_and_stable() -> None:
    # Walk 120 days through 2026: every distinct end is 14 days after the one before.
    ends = sorted({period_end(date(2026, 1, 1) + timedelta(days=i), "fortnightly") for i in range(120)})
    assert len(ends) >= 8
    assert all((b - a).days == 14 for a, b in zip(ends, ends[1:], strict=False))
    # Every day of a fortnight maps to the same end, whatever day one starts from.
    end = period_end(date(2026, 11, 20), "fortnightly")
    for back in range(14):
        assert period_end(end - timedelta(days=back), "fortnightly") == end
    assert period_end(end - timedelta(days=14), "fortnightly") == end - timedelta(days=14)
    # Stable: asking again (or years later about the same day) gives the same answer.
    assert period_end(date(2026, 11, 20), "fortnightly") == date(2026, 11, 29)


# --------------------------------------------------------------------------- period_end: monthly


@pytest.mark.parametrize(
    ("day", "end"),
    [
        (date(2026, 11, 20), date(2026, 11, 30)),  # November has 30 days
        (date(2026, 11, 30), date(2026, 11, 30)),
        (date(2026, 12, 1), date(2026, 12, 31)),  # December: first of next month is 2027-01-01, minus 1
        (date(2026, 12, 31), date(2026, 12, 31)),
        (date(2026, 1, 31), date(2026, 1, 31)),
        (date(2026, 2, 10), date(2026, 2, 28)),  # 2026 is not a leap year
        (date(2028, 2, 10), date(2028, 2, 29)),  # 2028 is (divisible by 4, not by 100)
        (date(2028, 2, 29), date(2028, 2, 29)),
        (date(2100, 2, 1), date(2100, 2, 28)),  # 2100 is not (divisible by 100, not by 400)
        (date(2000, 2, 1), date(2000, 2, 29)),  # 2000 is (divisible by 400)
        (date(2026, 4, 1), date(2026, 4, 30)),
    ],
)
def test_period_end_monthly(day: date, end: date) -> None:
    assert period_end(day, "monthly") == end


# --------------------------------------------------------------------------- period_end: quarterly & yearly


@pytest.mark.parametrize(
    ("day", "end"),
    [
        (date(2026, 1, 1), date(2026, 3, 31)),  # Q1: months 1-3
        (date(2026, 3, 31), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 6, 30)),  # Q2 ends on the 30th
        (date(2026, 7, 15), date(2026, 9, 30)),
        (date(2026, 9, 30), date(2026, 9, 30)),
        (date(2026, 10, 1), date(2026, 12, 31)),  # Q4: last month 12 -> first of next is 2027-01-01
        (date(2026, 11, 20), date(2026, 12, 31)),
        (date(2026, 12, 31), date(2026, 12, 31)),
    ],
)
def test_period_end_quarterly(day: date, end: date) -> None:
    assert period_end(day, "quarterly") == end
    assert quarter_end(day) == end


@pytest.mark.parametrize(
    ("day", "end"),
    [
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2026, 11, 20), date(2026, 12, 31)),
        (date(2028, 12, 31), date(2028, 12, 31)),
    ],
)
def test_period_end_yearly(day: date, end: date) -> None:
    assert period_end(day, "yearly") == end


def test_quarter_end_of_today() -> None:
    assert quarter_end(TODAY) == date(2026, 12, 31)
    assert quarter_end(date(2028, 2, 29)) == date(2028, 3, 31)


# --------------------------------------------------------------------------- review_overdue


def test_review_never_done_is_overdue() -> None:
    assert review_overdue(None, TODAY) is True


def test_review_exactly_92_days_ago_is_not_overdue() -> None:
    # 2026-11-20 back to 10-20 is 31 days (October), to 09-20 30 more (61), to 08-20 31 more = 92.
    assert (TODAY - date(2026, 8, 20)).days == 92
    assert review_overdue(date(2026, 8, 20), TODAY) is False


def test_review_93_days_ago_is_overdue() -> None:
    assert (TODAY - date(2026, 8, 19)).days == 93
    assert review_overdue(date(2026, 8, 19), TODAY) is True


def test_review_today_or_recent_is_not_overdue() -> None:
    assert review_overdue(TODAY, TODAY) is False
    assert review_overdue(date(2026, 10, 14), TODAY) is False  # 37 days


# --------------------------------------------------------------------------- best_run


def test_best_run_higher() -> None:
    # Windows of 3 periods: (16-10)/3 = 2, (16-11)/3 = 1.67, (17-13)/3 = 1.33 -> best 2.
    assert best_run([10, 11, 13, 16, 16, 17], "higher") == pytest.approx(2.0)


def test_best_run_lower() -> None:
    # Lower is better, so a fall counts as positive: -(44-50)/3 = 2, -(40-48)/3 = 8/3 -> best 2.667.
    assert best_run([50, 48, 45, 44, 40], Direction.LOWER) == pytest.approx(8 / 3)


def test_best_run_never_improving_is_negative() -> None:
    # (7-10)/3 = -1: the best run in the good direction is still a loss.
    assert best_run([10, 9, 8, 7], "higher") == pytest.approx(-1.0)
    # The same series is an improvement when lower is better: -(7-10)/3 = +1.
    assert best_run([10, 9, 8, 7], "lower") == pytest.approx(1.0)


def test_best_run_needs_more_values_than_periods() -> None:
    assert best_run([], "higher") is None
    assert best_run([1.0], "higher") is None
    assert best_run([1.0, 2.0, 3.0], "higher") is None  # 3 values = only 2 steps, a 3-period run needs 4
    assert best_run([1.0, 2.0, 3.0, 4.0], "higher") == pytest.approx(1.0)  # (4-1)/3


def test_best_run_skips_non_numbers() -> None:
    # NaN is dropped: the series is [1, 2, 3, 4] -> (4-1)/3 = 1; with NaN dropped [1, 2, 3] is too short.
    assert best_run([1.0, math.nan, 2.0, 3.0, 4.0], "higher") == pytest.approx(1.0)
    assert best_run([1.0, math.nan, 2.0, 3.0], "higher") is None


def test_best_run_other_window() -> None:
    # periods=1: single steps 3-1 = 2 and 4-3 = 1 -> best 2.
    assert best_run([1, 3, 4], "higher", periods=1) == pytest.approx(2.0)


# --------------------------------------------------------------------------- smart_check


def subject(**changes) -> SmartSubject:
    """A KPI that passes all five criteria; each test changes what it checks."""
    base = SmartSubject(
        name="Projects on time",
        # 10 words: Share of projects finishing on or before the planned date
        description="Share of projects finishing on or before the planned date",
        unit="%",
        owner="Arjun Patel",
        target=80.0,
        direction="higher",
        goal="Improve operational efficiency",
        cadence="monthly",
        values=(70.0, 71.0, 73.0, 76.0, 77.0, 78.0),
        last_period=date(2026, 10, 31),
        every_days=31,
    )
    return dataclasses.replace(base, **changes)


def criterion(result: tuple[SmartCriterion, ...], name: str) -> SmartCriterion:
    return {c.name: c for c in result}[name]


def test_smart_all_pass() -> None:
    result = smart_check(subject(), TODAY)
    assert tuple(c.name for c in result) == SMART_NAMES
    assert all(c.passed for c in result), [c for c in result if not c.passed]


def test_specific_passes_with_description_and_owner() -> None:
    specific = criterion(smart_check(subject(), TODAY), "Specific")
    assert specific.passed
    assert specific.reason == "described in 10 words and owned by Arjun Patel"


def test_specific_fails_without_owner() -> None:
    specific = criterion(smart_check(subject(owner="   "), TODAY), "Specific")
    assert not specific.passed
    assert specific.reason == "needs an owner"


def test_specific_fails_with_two_word_description() -> None:
    specific = criterion(smart_check(subject(description="On time"), TODAY), "Specific")
    assert not specific.passed
    assert specific.reason == "needs a description"


def test_specific_fails_for_both() -> None:
    specific = criterion(smart_check(subject(description="", owner=""), TODAY), "Specific")
    assert not specific.passed
    assert specific.reason == "needs a description and an owner"


def test_specific_word_boundary() -> None:
    # 4 words fail, 5 words pass.
    assert not criterion(smart_check(subject(description="one two three four"), TODAY), "Specific").passed
    five = criterion(smart_check(subject(description="one two three four five"), TODAY), "Specific")
    assert five.passed and "5 words" in five.reason


def test_measurable_passes() -> None:
    measurable = criterion(smart_check(subject(), TODAY), "Measurable")
    assert measurable.passed
    assert measurable.reason == "6 measurements in % against a target"


def test_smart_wording_counts_one_measurement_and_names_only_what_is_missing():
    from pmo_tui.calculations import SmartSubject, smart_check

    subject = SmartSubject(
        name="CR",
        description="Change requests raised per active project each month",
        unit="per project",
        owner="Ana",
        target=2.0,
        direction="lower",
        goal="Deliver",
        cadence="monthly",
        values=(3.0,),
        last_period=date(2026, 10, 31),
        every_days=31,
    )
    reasons = {c.name: c.reason for c in smart_check(subject, date(2026, 11, 20))}
    assert reasons["Measurable"] == "1 measurement per project against a target"
    assert "without a target" not in reasons["Achievable"]
    no_values = smart_check(
        SmartSubject(**{**subject.__dict__, "values": (), "last_period": None}), date(2026, 11, 20)
    )
    achievable = {c.name: c.reason for c in no_values}["Achievable"]
    assert achievable == "cannot be judged without a measurement"
    no_target = smart_check(SmartSubject(**{**subject.__dict__, "target": None}), date(2026, 11, 20))
    assert {c.name: c.reason for c in no_target}["Achievable"] == "cannot be judged without a target"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"unit": ""}, "needs a unit"),
        ({"target": None}, "needs a target"),
        ({"target": math.nan}, "needs a target"),
        ({"values": (), "last_period": None}, "needs a measurement"),
        ({"unit": " ", "target": None, "values": ()}, "needs a unit, a target, a measurement"),
    ],
)
def test_measurable_fails(changes: dict, reason: str) -> None:
    measurable = criterion(smart_check(subject(**changes), TODAY), "Measurable")
    assert not measurable.passed
    assert measurable.reason == reason


def test_achievable_passes_with_a_fast_enough_history() -> None:
    # Latest 78, target 80: gap 2, needed 2 / 6 = 0.33 points a month.
    # Best 3-month run: (76-70)/3 = 2, (77-71)/3 = 2, (78-73)/3 = 1.67 -> 2 >= 0.33.
    achievable = criterion(smart_check(subject(), TODAY), "Achievable")
    assert achievable.passed
    assert achievable.reason == (
        "the target needs +0.3 points/month over 6 months; "
        "the best 3-month run in the history was +2.0 points/month"
    )


def test_achievable_fails_when_history_too_slow() -> None:
    # Latest 72, target 90: gap 18, needed 18 / 6 = 3 points a month.
    # Best run: (71.5-70)/3 = 0.5, (72-70.5)/3 = 0.5 -> 0.5 < 3.
    s = subject(target=90.0, values=(70.0, 70.5, 71.0, 71.5, 72.0))
    achievable = criterion(smart_check(s, TODAY), "Achievable")
    assert not achievable.passed
    assert "needs" in achievable.reason
    assert "best 3-month run" in achievable.reason
    assert "+3.0 points/month" in achievable.reason
    assert "+0.5 points/month" in achievable.reason


def test_achievable_when_lower_is_better() -> None:
    # Lower is better, latest 54 days, target 30: gap -(30-54) = 24, needed 4 a month, shown as a fall.
    # Best run: -(55-60)/3 = 1.67, -(54-58)/3 = 1.33 -> 1.67 < 4, shown as -1.67 days/month.
    s = subject(unit="days", direction="lower", target=30.0, values=(60.0, 58.0, 57.0, 55.0, 54.0))
    achievable = criterion(smart_check(s, TODAY), "Achievable")
    assert not achievable.passed
    assert achievable.reason == (
        "the target needs -4.00 days/month over 6 months; "
        "the best 3-month run in the history was -1.67 days/month"
    )


def test_achievable_fails_when_never_improving() -> None:
    # Latest 76, target 85: needed 9 / 6 = 1.5 a month; every 3-month run fell: (77-80)/3 = -1, (76-79)/3 = -1.
    s = subject(target=85.0, values=(80.0, 79.0, 78.0, 77.0, 76.0))
    achievable = criterion(smart_check(s, TODAY), "Achievable")
    assert not achievable.passed
    assert "needs +1.5 points/month" in achievable.reason
    assert "never improved" in achievable.reason
    assert "3 months in a row" in achievable.reason


def test_achievable_fails_with_too_little_history() -> None:
    # Two values: no 3-month run can be measured.
    achievable = criterion(smart_check(subject(values=(70.0, 72.0)), TODAY), "Achievable")
    assert not achievable.passed
    assert "too little history" in achievable.reason


def test_achievable_passes_when_target_already_met() -> None:
    # Even with only one value and a falling trend the target is met: 82 >= 80.
    achievable = criterion(smart_check(subject(values=(82.0,)), TODAY), "Achievable")
    assert achievable.passed
    assert achievable.reason == "the target is already met"
    exactly = criterion(smart_check(subject(values=(90.0, 80.0)), TODAY), "Achievable")
    assert exactly.passed


def test_achievable_target_met_lower_is_better() -> None:
    s = subject(direction="lower", target=30.0, values=(40.0, 35.0, 25.0))
    assert criterion(smart_check(s, TODAY), "Achievable").passed


def test_achievable_cannot_be_judged_without_target_or_history() -> None:
    for s in (subject(target=None), subject(values=(), last_period=None)):
        achievable = criterion(smart_check(s, TODAY), "Achievable")
        assert not achievable.passed
        assert "cannot be judged" in achievable.reason


def test_achievable_names_the_cadence_period() -> None:
    # Quarterly: latest 78, target 85 -> needed 7/6 = 1.17 a quarter; best (76-70)/3 = 2 -> passes.
    s = subject(cadence="quarterly", every_days=92, target=85.0, last_period=date(2026, 9, 30))
    achievable = criterion(smart_check(s, TODAY), "Achievable")
    assert achievable.passed
    assert "over 6 quarters" in achievable.reason
    assert "best 3-quarter run" in achievable.reason
    assert "+1.2 points/quarter" in achievable.reason


def test_relevant_passes_with_goal() -> None:
    relevant = criterion(smart_check(subject(), TODAY), "Relevant")
    assert relevant.passed
    assert "Improve operational efficiency" in relevant.reason


@pytest.mark.parametrize("goal", [None, ""])
def test_relevant_fails_without_goal(goal: str | None) -> None:
    relevant = criterion(smart_check(subject(goal=goal), TODAY), "Relevant")
    assert not relevant.passed
    assert relevant.reason == "not tied to a strategic goal"


def test_time_bound_passes_when_recent() -> None:
    # Monthly: 31 days + grace max(2, 31 // 4 = 7) = 38; 2026-10-31 is 20 days ago.
    time_bound = criterion(smart_check(subject(), TODAY), "Time-bound")
    assert time_bound.passed
    assert time_bound.reason == "measured monthly, last on 31 Oct 2026"


def test_time_bound_fails_when_overdue_and_names_the_last_date() -> None:
    # 2026-08-31 is 81 days ago > 38.
    time_bound = criterion(smart_check(subject(last_period=date(2026, 8, 31)), TODAY), "Time-bound")
    assert not time_bound.passed
    assert "31 Aug 2026" in time_bound.reason
    assert time_bound.reason == "measured monthly but last on 31 Aug 2026"


def test_time_bound_grace_boundary() -> None:
    # 2026-10-13 is 18 + 20 = 38 days ago: still in time; 2026-10-12 (39 days) is late.
    assert criterion(smart_check(subject(last_period=date(2026, 10, 13)), TODAY), "Time-bound").passed
    assert not criterion(smart_check(subject(last_period=date(2026, 10, 12)), TODAY), "Time-bound").passed


def test_time_bound_fails_when_never_measured() -> None:
    time_bound = criterion(smart_check(subject(values=(), last_period=None), TODAY), "Time-bound")
    assert not time_bound.passed
    assert "never measured" in time_bound.reason


@pytest.mark.parametrize(
    "changes", [{"cadence": None}, {"cadence": ""}, {"every_days": None}, {"every_days": 0}]
)
def test_time_bound_fails_without_cadence(changes: dict) -> None:
    time_bound = criterion(smart_check(subject(**changes), TODAY), "Time-bound")
    assert not time_bound.passed
    assert time_bound.reason == "has no cadence"


def test_smart_failures_are_independent() -> None:
    # Only the goal is missing: exactly Relevant fails.
    result = smart_check(subject(goal=None), TODAY)
    assert [c.name for c in result if not c.passed] == ["Relevant"]


# --------------------------------------------------------------------------- properties

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
cadences = st.sampled_from(sorted(CADENCE_DAYS))


@given(days, cadences)
def test_period_end_not_before_the_day(day: date, cadence: str) -> None:
    assert period_end(day, cadence) >= day


@given(days, cadences)
def test_period_end_is_idempotent(day: date, cadence: str) -> None:
    end = period_end(day, cadence)
    assert period_end(end, cadence) == end


@given(days, cadences)
def test_period_is_shorter_than_its_cadence(day: date, cadence: str) -> None:
    # A period never lasts longer than the cadence's day count (7, 14, 31, 92, 366).
    assert (period_end(day, cadence) - day).days < CADENCE_DAYS[cadence]


@given(days, cadences)
def test_next_day_after_period_end_starts_a_new_period(day: date, cadence: str) -> None:
    end = period_end(day, cadence)
    assert period_end(end + timedelta(days=1), cadence) > end


@given(days)
def test_weekly_and_fortnightly_end_on_sunday(day: date) -> None:
    assert period_end(day, "weekly").weekday() == 6
    fortnight = period_end(day, "fortnightly")
    assert fortnight.weekday() == 6
    assert ((fortnight - date(2024, 1, 1)).days + 1) % 14 == 0


@given(days)
def test_quarter_end_is_a_quarter_end(day: date) -> None:
    end = quarter_end(day)
    assert end.month in (3, 6, 9, 12)
    assert (end + timedelta(days=1)).day == 1
    assert end.year == day.year


finite = st.floats(allow_nan=False, allow_infinity=False)
any_text = st.text(max_size=40)


@st.composite
def smart_subjects(draw) -> SmartSubject:
    cadence = draw(st.one_of(st.none(), cadences))
    every_days = draw(
        st.one_of(st.none(), st.just(CADENCE_DAYS[cadence]) if cadence else st.none(), st.integers(1, 400))
    )
    values = tuple(draw(st.lists(finite, max_size=12)))
    return SmartSubject(
        name=draw(any_text),
        description=draw(st.text(max_size=80)),
        unit=draw(st.sampled_from(["", "%", "days", "count", " "])),
        owner=draw(any_text),
        target=draw(st.one_of(st.none(), finite)),
        direction=draw(st.sampled_from(["higher", "lower", Direction.HIGHER, Direction.LOWER])),
        goal=draw(st.one_of(st.none(), any_text)),
        cadence=cadence,
        values=values,
        last_period=draw(
            st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1)))
        ),
        every_days=every_days,
    )


@pytest.mark.slow
@settings(max_examples=300)
@given(smart_subjects(), days)
def test_smart_check_always_five_criteria_in_order(s: SmartSubject, today: date) -> None:
    result = smart_check(s, today)
    assert tuple(c.name for c in result) == SMART_NAMES
    assert all(isinstance(c, SmartCriterion) for c in result)
    assert all(isinstance(c.passed, bool) for c in result)
    assert all(c.reason for c in result)


@given(smart_subjects(), days)
def test_smart_check_fails_without_target_or_values(s: SmartSubject, today: date) -> None:
    result = smart_check(s, today)
    if s.target is None or not s.values:
        assert not criterion(result, "Measurable").passed
        assert not criterion(result, "Achievable").passed
    assert criterion(result, "Relevant").passed == bool(s.goal)


def test_attention_rank_puts_off_target_and_overdue_kpis_first() -> None:
    from pmo_tui.calculations import Status, attention_rank

    order = [
        attention_rank(Status.RED, False),
        attention_rank(Status.GREEN, True),
        attention_rank(Status.AMBER, False),
        attention_rank(Status.UNKNOWN, False),
        attention_rank(Status.GREEN, False),
    ]
    assert order == sorted(order) and len(set(order)) == 5
    # Overdue outranks whatever stale value the KPI last had, except off target.
    assert attention_rank("unknown", True) == attention_rank("green", True)
