"""Tests of pmo_tui.calculations: hand-worked examples first, then Hypothesis properties.

Every expected number is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_tui.calculations import (
    CADENCE_DAYS,
    Direction,
    Grade,
    Health,
    KeyResultKind,
    Pace,
    PortfolioFigures,
    ProjectFigures,
    Status,
    Trend,
    TrendDirection,
    band_progress,
    budget_health,
    cadence_days,
    check_in_overdue,
    cpi,
    date_target_reached,
    days_late,
    derived_kpi_value,
    eac,
    elapsed_share,
    forecast,
    grace_days,
    grade_band,
    is_overdue,
    key_result_progress,
    key_result_score,
    kpi_current_status,
    kpi_status,
    linear_fit,
    milestone_progress,
    objective_progress,
    objective_score,
    pace,
    portfolio_figures,
    progress_towards,
    project_cost_estimate,
    project_on_time,
    project_roi,
    project_within_budget,
    roi,
    schedule_health,
    spi,
    trend,
    vac,
    value_needed_for_pace,
)

D0 = date(2026, 1, 1)


def day(n: int) -> date:
    """The date n days after D0."""
    return D0 + timedelta(days=n)


# =========================================================================== KPI status


class TestKpiStatusHigherIsBetter:
    # target 90, warning 80: >= 90 green, 80..90 amber, < 80 red

    def test_above_target_is_green(self):
        assert kpi_status(95, 90, 80, "higher") is Status.GREEN

    def test_exactly_on_target_is_green(self):
        assert kpi_status(90, 90, 80, "higher") is Status.GREEN

    def test_between_warning_and_target_is_amber(self):
        assert kpi_status(85, 90, 80, "higher") is Status.AMBER

    def test_exactly_on_warning_line_is_amber(self):
        assert kpi_status(80, 90, 80, "higher") is Status.AMBER

    def test_below_warning_line_is_red(self):
        assert kpi_status(79.9, 90, 80, "higher") is Status.RED

    def test_no_warning_line_means_short_of_target_is_red(self):
        assert kpi_status(89, 90, None, "higher") is Status.RED

    def test_warning_line_on_wrong_side_of_target_is_ignored(self):
        # warning 95 lies above target 90: it is ignored, so 89 (short of target) is red
        assert kpi_status(89, 90, 95, "higher") is Status.RED
        assert kpi_status(96, 90, 95, "higher") is Status.GREEN

    def test_warning_line_equal_to_target_gives_no_amber(self):
        assert kpi_status(89, 90, 90, "higher") is Status.RED

    def test_accepts_the_enum_as_direction(self):
        assert kpi_status(85, 90, 80, Direction.HIGHER) is Status.AMBER


class TestKpiStatusLowerIsBetter:
    # target 5, warning 8: <= 5 green, 5..8 amber, > 8 red

    def test_below_target_is_green(self):
        assert kpi_status(3, 5, 8, "lower") is Status.GREEN

    def test_exactly_on_target_is_green(self):
        assert kpi_status(5, 5, 8, "lower") is Status.GREEN

    def test_between_target_and_warning_is_amber(self):
        assert kpi_status(6.5, 5, 8, "lower") is Status.AMBER

    def test_exactly_on_warning_line_is_amber(self):
        assert kpi_status(8, 5, 8, "lower") is Status.AMBER

    def test_beyond_warning_line_is_red(self):
        assert kpi_status(8.1, 5, 8, "lower") is Status.RED

    def test_warning_line_on_wrong_side_of_target_is_ignored(self):
        # warning 3 lies below target 5 (the good side): ignored, so 6 (above target) is red
        assert kpi_status(6, 5, 3, "lower") is Status.RED
        assert kpi_status(4, 5, 3, "lower") is Status.GREEN


class TestKpiStatusMissingData:
    def test_no_value_is_unknown(self):
        assert kpi_status(None, 90, 80, "higher") is Status.UNKNOWN

    def test_nan_value_is_unknown(self):
        assert kpi_status(math.nan, 90, 80, "higher") is Status.UNKNOWN

    def test_infinite_value_is_unknown(self):
        assert kpi_status(math.inf, 90, 80, "higher") is Status.UNKNOWN

    def test_no_target_is_unknown(self):
        assert kpi_status(85, None, 80, "higher") is Status.UNKNOWN

    def test_nan_target_is_unknown(self):
        assert kpi_status(85, math.nan, 80, "lower") is Status.UNKNOWN

    def test_nan_warning_is_treated_as_no_warning(self):
        assert kpi_status(85, 90, math.nan, "higher") is Status.RED
        assert kpi_status(6, 5, math.nan, "lower") is Status.RED

    def test_unknown_direction_raises(self):
        with pytest.raises(ValueError):
            kpi_status(1, 2, 3, "sideways")

    def test_status_words_and_symbols(self):
        assert (Status.GREEN.word, Status.GREEN.symbol) == ("on target", "●")
        assert (Status.AMBER.word, Status.AMBER.symbol) == ("warning", "▲")
        assert (Status.RED.word, Status.RED.symbol) == ("off target", "■")
        assert (Status.UNKNOWN.word, Status.UNKNOWN.symbol) == ("no data", "?")


# =========================================================================== overdue & current status


class TestCadenceAndGrace:
    def test_cadence_days_of_known_names(self):
        assert cadence_days("weekly") == 7
        assert cadence_days("monthly") == 31
        assert cadence_days("quarterly") == 92

    def test_unknown_cadence_raises_value_error(self):
        with pytest.raises(ValueError, match="daily"):
            cadence_days("daily")

    def test_grace_days(self):
        assert grace_days(7) == 2  # max(2, 7//4 = 1) = 2
        assert grace_days(14) == 3  # 14//4 = 3
        assert grace_days(31) == 7  # 31//4 = 7
        assert grace_days(92) == 23  # 92//4 = 23
        assert grace_days(366) == 91  # 366//4 = 91


class TestIsOverdue:
    def test_never_measured_is_overdue(self):
        assert is_overdue(None, D0, 31) is True

    def test_fresh_value_is_not_overdue(self):
        assert is_overdue(day(0), day(10), 31) is False

    def test_monthly_last_day_of_grace_is_not_overdue(self):
        # 31 + grace 7 = 38 days allowed
        assert is_overdue(day(0), day(38), 31) is False

    def test_monthly_one_day_past_grace_is_overdue(self):
        assert is_overdue(day(0), day(39), 31) is True  # 39 > 38

    def test_weekly_grace_is_two_days(self):
        assert is_overdue(day(0), day(9), 7) is False  # 9 <= 7 + 2
        assert is_overdue(day(0), day(10), 7) is True  # 10 > 9

    def test_value_dated_in_the_future_is_not_overdue(self):
        assert is_overdue(day(5), day(0), 7) is False


class TestKpiCurrentStatus:
    def test_fresh_value_shows_its_status(self):
        assert kpi_current_status(85, 90, 80, "higher", day(0), day(5), 31) == (Status.AMBER, False)

    def test_stale_value_is_unknown_and_overdue(self):
        # 40 days > 31 + 7: silence is never green, even for a green value
        assert kpi_current_status(95, 90, 80, "higher", day(0), day(40), 31) == (Status.UNKNOWN, True)

    def test_never_measured_is_unknown_and_overdue(self):
        assert kpi_current_status(None, 90, 80, "higher", None, D0, 31) == (Status.UNKNOWN, True)

    def test_within_grace_keeps_status(self):
        # 38 days = 31 + 7 exactly: still in grace
        assert kpi_current_status(3, 5, 8, "lower", day(0), day(38), 31) == (Status.GREEN, False)


# =========================================================================== trend


class TestTrend:
    def test_rising_series_higher_is_better_is_improving(self):
        t = trend([10, 12, 14], "higher")
        assert t.direction is TrendDirection.IMPROVING
        assert t.slope == pytest.approx(2.0)  # +2 per period
        assert t.change == pytest.approx(2.0)  # 14 - 12
        assert t.arrow == "↑"

    def test_falling_series_higher_is_better_is_worsening(self):
        t = trend([14, 12, 10], "higher")
        assert t.direction is TrendDirection.WORSENING
        assert t.slope == pytest.approx(-2.0)
        assert t.arrow == "↓"

    def test_rising_series_lower_is_better_is_worsening(self):
        t = trend([10, 12, 14], "lower")
        assert t.direction is TrendDirection.WORSENING
        assert t.arrow == "↑"  # the arrow shows the movement, not the judgement

    def test_falling_series_lower_is_better_is_improving(self):
        t = trend([14, 12, 10], "lower")
        assert t.direction is TrendDirection.IMPROVING
        assert t.arrow == "↓"

    def test_constant_series_is_flat(self):
        t = trend([7, 7, 7, 7], "higher")
        assert t.direction is TrendDirection.FLAT
        assert t.slope == 0
        assert t.arrow == "→"

    def test_all_zero_series_is_flat(self):
        assert trend([0, 0, 0], "higher").direction is TrendDirection.FLAT

    def test_tiny_slope_relative_to_size_is_flat(self):
        # slope 0.1 <= 0.005 * 100.2 = 0.501
        t = trend([100, 100.1, 100.2], "higher")
        assert t.direction is TrendDirection.FLAT
        assert t.slope == pytest.approx(0.1)

    def test_single_value_is_unknown(self):
        t = trend([5], "higher")
        assert t == Trend(None, None, TrendDirection.UNKNOWN)
        assert t.arrow == "·"

    def test_no_values_is_unknown(self):
        assert trend([], "lower").direction is TrendDirection.UNKNOWN

    def test_nan_values_are_skipped(self):
        # [1, nan, 3] -> [1, 3]: slope 2, change 2
        t = trend([1, math.nan, 3], "higher")
        assert t.slope == pytest.approx(2.0)
        assert t.change == pytest.approx(2.0)
        assert t.direction is TrendDirection.IMPROVING

    def test_only_the_last_window_values_count(self):
        # window 3 keeps [1, 2, 3]: slope +1 although the whole series falls
        t = trend([100, 90, 80, 1, 2, 3], "higher", window=3)
        assert t.slope == pytest.approx(1.0)
        assert t.direction is TrendDirection.IMPROVING


# =========================================================================== linear fit & forecast


class TestLinearFit:
    def test_exact_line(self):
        # y = 2x + 1
        slope, intercept = linear_fit([0, 1, 2], [1, 3, 5])
        assert slope == pytest.approx(2.0)
        assert intercept == pytest.approx(1.0)

    def test_least_squares_of_noisy_points(self):
        # xs 0,1,2 mean 1; ys 0,2,1 mean 1; sxy = (-1)(-1) + 0 + (1)(0) = 1; sxx = 2
        # slope 0.5, intercept 1 - 0.5*1 = 0.5
        slope, intercept = linear_fit([0, 1, 2], [0, 2, 1])
        assert slope == pytest.approx(0.5)
        assert intercept == pytest.approx(0.5)

    def test_fewer_than_two_points_is_none(self):
        assert linear_fit([1], [1]) is None
        assert linear_fit([], []) is None

    def test_same_x_everywhere_is_none(self):
        assert linear_fit([3, 3, 3], [1, 2, 3]) is None

    def test_non_numbers_are_dropped(self):
        # (1, nan) dropped; the rest is y = x
        slope, intercept = linear_fit([0, 1, 2], [0, math.nan, 2])
        assert slope == pytest.approx(1.0)
        assert intercept == pytest.approx(0.0)


class TestForecast:
    def test_extends_a_straight_line(self):
        # 10 on day 0, 20 on day 10: +1/day; day 30 -> 10 + 30 = 40
        assert forecast([(day(0), 10.0), (day(10), 20.0)], day(30)) == pytest.approx(40.0)

    def test_falling_line(self):
        # 100 on day 0, 80 on day 10: -2/day; day 25 -> 100 - 50 = 50
        assert forecast([(day(0), 100.0), (day(10), 80.0)], day(25)) == pytest.approx(50.0)

    def test_no_points_is_none(self):
        assert forecast([], day(5)) is None

    def test_single_point_is_none(self):
        assert forecast([(day(0), 3.0)], day(5)) is None


class TestDateTargetReached:
    def test_already_reached_returns_latest_date(self):
        assert date_target_reached([(day(0), 50.0), (day(10), 95.0)], 90.0, "higher") == day(10)

    def test_already_reached_lower_is_better(self):
        assert date_target_reached([(day(0), 9.0), (day(10), 4.0)], 5.0, "lower") == day(10)

    def test_moving_towards_target_higher(self):
        # +1/day from 10 at day 0: reaches 30 on day (30 - 10) / 1 = 20
        assert date_target_reached([(day(0), 10.0), (day(10), 20.0)], 30.0, "higher") == day(20)

    def test_moving_towards_target_lower(self):
        # -2/day from 100 at day 0: reaches 50 on day (50 - 100) / -2 = 25
        assert date_target_reached([(day(0), 100.0), (day(10), 80.0)], 50.0, "lower") == day(25)

    def test_fractional_day_is_rounded_up(self):
        # +3 per day from 0: 10 reached at day 10/3 = 3.33 -> day 4
        assert date_target_reached([(day(0), 0.0), (day(1), 3.0)], 10.0, "higher") == day(4)

    def test_points_in_any_order(self):
        assert date_target_reached([(day(10), 20.0), (day(0), 10.0)], 30.0, "higher") == day(20)

    def test_moving_away_is_none(self):
        assert date_target_reached([(day(0), 20.0), (day(10), 10.0)], 30.0, "higher") is None
        assert date_target_reached([(day(0), 10.0), (day(10), 20.0)], 5.0, "lower") is None

    def test_flat_is_none(self):
        assert date_target_reached([(day(0), 10.0), (day(10), 10.0)], 30.0, "higher") is None

    def test_a_line_past_the_target_with_the_value_short_of_it_is_none(self):
        # The fit crosses 25 around day 8, but the latest value (22) has not reached it: no day
        # in the past is named, the target is not reached at this trend.
        points = [(day(0), 0.0), (day(5), 30.0), (day(10), 22.0)]
        assert date_target_reached(points, 25.0, "higher") is None
        assert date_target_reached([(day(0), 30.0), (day(5), 0.0), (day(10), 8.0)], 5.0, "lower") is None

    def test_a_day_before_today_is_never_named(self):
        # +1/day reaches 30 on day 20: seen on day 25 with no value there yet, it is not reached.
        points = [(day(0), 10.0), (day(10), 20.0)]
        assert date_target_reached(points, 30.0, "higher", day(25)) is None
        assert date_target_reached(points, 30.0, "higher", day(20)) == day(20)
        assert date_target_reached(points, 30.0, "higher", day(12)) == day(20)
        # A value that has reached the target keeps its own day.
        assert date_target_reached([(day(0), 50.0), (day(10), 95.0)], 90.0, "higher", day(30)) == day(10)

    def test_no_points_or_no_target_is_none(self):
        assert date_target_reached([], 30.0, "higher") is None
        assert date_target_reached([(day(0), 1.0)], math.nan, "higher") is None

    def test_too_far_away_is_none(self):
        # +1 per 1000 days: 100 years would not be enough
        assert date_target_reached([(day(0), 0.0), (day(1000), 1.0)], 100.0, "higher") is None

    def test_fitted_line_already_past_target_is_not_reached(self):
        # ys 0,100,100,10 on days 0..3: mean x 1.5, mean y 52.5
        # sxy = -1.5*0 - 0.5*100 + 0.5*100 + 1.5*10 = 15; sxx = 5 -> slope 3, intercept 52.5 - 4.5 = 48
        # the line passes 40 at day ceil((40 - 48)/3) = -2, before the data, but the latest value
        # (10) is short of 40: no day in the past is named, the target is not reached (issue 21)
        points = [(day(0), 0.0), (day(1), 100.0), (day(2), 100.0), (day(3), 10.0)]
        assert date_target_reached(points, 40.0, "higher") is None

    def test_fitted_line_past_target_with_tiny_slope_does_not_overflow(self):
        # Same shape with a nearly flat line: slope ~9e-7/day, intercept ~52.5 > target 49,
        # so (49 - 52.5) / 9e-7 is about -3.9 million days, before year 1. The answer is
        # "not reached" (as above), not an OverflowError from date arithmetic.
        points = [(day(0), 45.0), (day(1), 60.0), (day(2), 60.0), (day(3), 45.000003)]
        assert date_target_reached(points, 49.0, "higher") is None


# =========================================================================== key result progress


class TestProgressTowards:
    def test_increase_halfway(self):
        assert progress_towards(30, 60, 45, "increase") == pytest.approx(0.5)  # (45-30)/(60-30)

    def test_increase_quarter(self):
        assert progress_towards(0, 200, 50, KeyResultKind.INCREASE) == pytest.approx(0.25)  # 50/200

    def test_increase_overshoot_clamps_to_one(self):
        assert progress_towards(30, 60, 90, "increase") == 1.0  # (90-30)/30 = 2 -> 1

    def test_increase_going_backwards_clamps_to_zero(self):
        assert progress_towards(30, 60, 20, "increase") == 0.0  # (20-30)/30 = -0.33 -> 0

    def test_decrease_halfway(self):
        assert progress_towards(20, 10, 15, "decrease") == pytest.approx(0.5)  # (15-20)/(10-20)

    def test_decrease_three_quarters(self):
        assert progress_towards(20, 10, 12.5, "decrease") == pytest.approx(0.75)  # (12.5-20)/(10-20)

    def test_decrease_overshoot_clamps_to_one(self):
        assert progress_towards(20, 10, 5, "decrease") == 1.0  # (5-20)/(-10) = 1.5 -> 1

    def test_decrease_wrong_way_clamps_to_zero(self):
        assert progress_towards(20, 10, 25, "decrease") == 0.0  # (25-20)/(-10) = -0.5 -> 0

    def test_increase_baseline_equals_target(self):
        assert progress_towards(10, 10, 10, "increase") == 1.0
        assert progress_towards(10, 10, 11, "increase") == 1.0
        assert progress_towards(10, 10, 9, "increase") == 0.0

    def test_decrease_baseline_equals_target(self):
        assert progress_towards(10, 10, 10, "decrease") == 1.0
        assert progress_towards(10, 10, 9, "decrease") == 1.0
        assert progress_towards(10, 10, 11, "decrease") == 0.0

    def test_no_current_value_is_zero(self):
        assert progress_towards(0, 10, None, "increase") == 0.0
        assert progress_towards(0, 10, math.nan, "decrease") == 0.0

    def test_missing_baseline_or_target_is_zero(self):
        assert progress_towards(math.nan, 10, 5, "increase") == 0.0
        assert progress_towards(0, math.inf, 5, "increase") == 0.0


class TestBandAndMilestone:
    def test_share_of_values_inside_band(self):
        # 5 and 7 inside [4, 8], 9 and 2 outside: 2/4
        assert band_progress([5, 9, 7, 2], 4, 8) == pytest.approx(0.5)

    def test_band_edges_count_as_inside(self):
        assert band_progress([4, 8], 4, 8) == 1.0

    def test_open_lower_bound(self):
        # <= 8: -100 and 8 inside, 9 outside -> 2/3
        assert band_progress([-100, 8, 9], None, 8) == pytest.approx(2 / 3)

    def test_open_upper_bound(self):
        # >= 4: 4 and 1000 inside, 3 outside -> 2/3
        assert band_progress([3, 4, 1000], 4, None) == pytest.approx(2 / 3)

    def test_no_values_is_zero(self):
        assert band_progress([], 4, 8) == 0.0

    def test_nan_values_are_not_counted(self):
        # [5, nan] -> [5]: 1/1
        assert band_progress([5, math.nan], 4, 8) == 1.0

    def test_milestone_done_or_not(self):
        assert milestone_progress(1) == 1.0
        assert milestone_progress(1.5) == 1.0
        assert milestone_progress(0) == 0.0
        assert milestone_progress(0.99) == 0.0
        assert milestone_progress(None) == 0.0
        assert milestone_progress(math.nan) == 0.0


class TestKeyResultProgress:
    def test_increase_uses_latest_value(self):
        # latest 45: (45-30)/(60-30) = 0.5; earlier values do not matter
        assert key_result_progress("increase", 30, 60, [60, 35, 45]) == pytest.approx(0.5)

    def test_decrease_uses_latest_value(self):
        assert key_result_progress("decrease", 20, 10, [18, 15]) == pytest.approx(0.5)  # (15-20)/(10-20)

    def test_within_band_uses_all_values(self):
        # 5 and 6 inside [4, 8] of [5, 9, 6]: 2/3
        assert key_result_progress("within_band", 0, 0, [5, 9, 6], 4, 8) == pytest.approx(2 / 3)

    def test_milestone_uses_latest_value(self):
        assert key_result_progress("milestone", 0, 1, [0, 1]) == 1.0
        assert key_result_progress("milestone", 0, 1, [1, 0]) == 0.0

    def test_no_check_ins_is_zero(self):
        for kind in KeyResultKind:
            assert key_result_progress(kind, 0, 10, [], 1, 2) == 0.0

    def test_unknown_kind_raises(self):
        with pytest.raises(ValueError):
            key_result_progress("sideways", 0, 10, [5])


# =========================================================================== objectives & grades


class TestObjectiveProgress:
    def test_weighted_mean(self):
        # (1.0*1 + 0.5*2 + 0.2*2) / (1+2+2) = (1 + 1 + 0.4) / 5 = 0.48
        assert objective_progress([(1.0, 1), (0.5, 2), (0.2, 2)]) == pytest.approx(0.48)

    def test_equal_weights_is_plain_mean(self):
        assert objective_progress([(0.2, 1), (0.6, 1)]) == pytest.approx(0.4)  # (0.2+0.6)/2

    def test_empty_is_zero(self):
        assert objective_progress([]) == 0.0

    def test_all_zero_weights_is_zero(self):
        assert objective_progress([(0.8, 0), (1.0, 0)]) == 0.0

    def test_zero_and_negative_weights_are_ignored(self):
        # only (0.6, 3) counts
        assert objective_progress([(0.6, 3), (1.0, 0), (0.0, -2)]) == pytest.approx(0.6)

    def test_nan_progress_is_ignored(self):
        assert objective_progress([(math.nan, 5), (0.3, 1)]) == pytest.approx(0.3)


class TestGradeBand:
    @pytest.mark.parametrize(
        ("score", "grade"),
        [
            (0.0, Grade.RED),
            (0.39999, Grade.RED),
            (0.4, Grade.AMBER),
            (0.69999, Grade.AMBER),
            (0.7, Grade.GREEN),
            (1.0, Grade.GREEN),
            (math.nan, Grade.RED),
        ],
    )
    def test_bands(self, score, grade):
        assert grade_band(score) is grade

    def test_grade_words(self):
        assert [g.word for g in (Grade.RED, Grade.AMBER, Grade.GREEN)] == ["missed", "partial", "achieved"]


class TestElapsedShare:
    # a 100-day cycle from day 0 to day 100

    def test_before_start_is_zero(self):
        assert elapsed_share(day(0), day(100), day(-5)) == 0.0

    def test_at_start_is_zero(self):
        assert elapsed_share(day(0), day(100), day(0)) == 0.0

    def test_during_cycle(self):
        assert elapsed_share(day(0), day(100), day(25)) == pytest.approx(0.25)  # 25/100

    def test_at_end_is_one(self):
        assert elapsed_share(day(0), day(100), day(100)) == 1.0

    def test_after_end_is_one(self):
        assert elapsed_share(day(0), day(100), day(150)) == 1.0  # 150/100 clamped

    def test_zero_length_cycle(self):
        assert elapsed_share(day(10), day(10), day(9)) == 0.0
        assert elapsed_share(day(10), day(10), day(10)) == 1.0
        assert elapsed_share(day(10), day(10), day(11)) == 1.0


class TestCheckInOverdue:
    def test_recent_check_in_is_not_overdue(self):
        assert check_in_overdue(day(10), day(0), day(15)) is False

    def test_exactly_a_week_is_not_overdue(self):
        assert check_in_overdue(day(10), day(0), day(17)) is False  # 7 days, not > 7

    def test_eight_days_is_overdue(self):
        assert check_in_overdue(day(10), day(0), day(18)) is True

    def test_no_check_in_counts_from_cycle_start(self):
        assert check_in_overdue(None, day(0), day(7)) is False
        assert check_in_overdue(None, day(0), day(8)) is True

    def test_cycle_not_started_is_not_overdue(self):
        assert check_in_overdue(None, day(30), day(0)) is False

    def test_a_new_key_result_is_due_a_week_after_its_creation(self):
        # Created on day 40 of a cycle started on day 0: not overdue at once, due on day 47.
        assert check_in_overdue(None, day(0), day(40), created=day(40)) is False
        assert check_in_overdue(None, day(0), day(47), created=day(40)) is False
        assert check_in_overdue(None, day(0), day(48), created=day(40)) is True
        # Created before its cycle starts: a week after the start, as without a creation day.
        assert check_in_overdue(None, day(10), day(17), created=day(0)) is False
        assert check_in_overdue(None, day(10), day(18), created=day(0)) is True
        # Once checked in, the last check-in counts.
        assert check_in_overdue(day(41), day(0), day(49), created=day(40)) is True


# =========================================================================== pace


class TestPace:
    def test_ahead_of_pace_is_on_track(self):
        assert pace(0.75, 0.5, 0.8) is Pace.ON_TRACK

    def test_small_gap_is_on_track(self):
        assert pace(0.5, 0.5625, 0.8) is Pace.ON_TRACK  # gap -0.0625 >= -0.10

    def test_medium_gap_is_at_risk(self):
        assert pace(0.5, 0.75, 0.8) is Pace.AT_RISK  # gap -0.25: < -0.10, not < -0.25

    def test_large_gap_is_off_track(self):
        assert pace(0.25, 0.75, 0.8) is Pace.OFF_TRACK  # gap -0.5 < -0.25

    def test_shaky_confidence_is_at_risk(self):
        assert pace(0.5, 0.5, 0.4) is Pace.AT_RISK  # 0.3 <= 0.4 < 0.5

    def test_low_confidence_is_off_track(self):
        assert pace(0.5, 0.5, 0.2) is Pace.OFF_TRACK  # 0.2 < 0.3

    def test_confidence_on_the_lines(self):
        assert pace(0.5, 0.5, 0.3) is Pace.AT_RISK  # 0.3 is not < 0.3
        assert pace(0.5, 0.5, 0.5) is Pace.ON_TRACK  # 0.5 is not < 0.5

    def test_no_confidence_judged_by_gap_alone(self):
        assert pace(0.5, 0.5, None) is Pace.ON_TRACK

    def test_overdue_wins_over_everything(self):
        assert pace(1.0, 0.5, 1.0, overdue=True) is Pace.OVERDUE
        assert pace(0.0, 0.0, None, overdue=True) is Pace.OVERDUE
        assert pace(0.0, 1.0, 0.0, overdue=True) is Pace.OVERDUE

    def test_done_with_low_confidence_is_off_track(self):
        # The README: off track "with confidence below 3/10", even past the target.
        assert pace(1.0, 1.0, 0.1) is Pace.OFF_TRACK
        assert pace(1.0, 0.5, 0.2) is Pace.OFF_TRACK
        assert pace(1.0, 0.5, 0.4) is Pace.AT_RISK

    def test_done_with_confidence_is_on_track(self):
        assert pace(1.0, 1.0, 0.5) is Pace.ON_TRACK
        assert pace(1.0, 1.0, None) is Pace.ON_TRACK

    @given(
        progress=st.floats(0, 1),
        expected=st.floats(0, 1),
        confidence=st.floats(0, 1, exclude_max=True),
    )
    def test_confidence_below_three_tenths_is_never_on_track(self, progress, expected, confidence):
        result = pace(progress, expected, confidence)
        if confidence < 0.3:
            assert result is Pace.OFF_TRACK
        elif confidence < 0.5:
            assert result is not Pace.ON_TRACK

    def test_nothing_yet_is_not_started(self):
        assert pace(0.0, 0.0, None) is Pace.NOT_STARTED

    def test_a_confidence_means_started(self):
        assert pace(0.0, 0.0, 0.9) is Pace.ON_TRACK


class TestClosingScores:
    def test_a_key_result_scores_its_progress_to_two_decimals(self):
        assert (key_result_score(0.7349), key_result_score(0.4667), key_result_score(1.0)) == (
            0.73,
            0.47,
            1.0,
        )

    def test_an_objective_scores_the_weighted_mean_of_its_key_results_scores(self):
        # The mean of the scores 0.0, 0.73 and 0.47 as stored, not of the unrounded progress.
        assert objective_score([(0.0, 1.0), (0.73, 1.0), (0.47, 1.0)]) == 0.4
        assert objective_score([(1.0, 3.0), (0.0, 1.0)]) == 0.75
        assert objective_score([]) == 0.0

    @given(st.lists(st.tuples(st.floats(0, 1), st.floats(0.01, 100)), max_size=6))
    def test_an_objective_score_is_a_grade_between_its_key_results(self, weighted):
        scored = [(key_result_score(progress), weight) for progress, weight in weighted]
        score = objective_score(scored)
        assert 0 <= score <= 1 and score == round(score, 2)
        if scored:
            assert min(s for s, _ in scored) - 0.005 <= score <= max(s for s, _ in scored) + 0.005


class TestValueNeededForPace:
    def test_increase(self):
        assert value_needed_for_pace(30, 60, 0.5) == pytest.approx(45)  # 30 + 0.5*30

    def test_decrease(self):
        assert value_needed_for_pace(20, 10, 0.5) == pytest.approx(15)  # 20 + 0.5*(-10)

    def test_expected_progress_is_clamped(self):
        assert value_needed_for_pace(0, 100, 1.5) == pytest.approx(100)  # clamped to 1
        assert value_needed_for_pace(0, 100, -0.5) == pytest.approx(0)  # clamped to 0


# =========================================================================== earned value & ROI


class TestEarnedValueIndices:
    def test_spi(self):
        assert spi(80, 100) == pytest.approx(0.8)  # 80/100

    def test_cpi(self):
        assert cpi(80, 64) == pytest.approx(1.25)  # 80/64

    def test_eac(self):
        assert eac(1000, 0.8) == pytest.approx(1250)  # 1000/0.8

    def test_vac(self):
        assert vac(1000, 1250) == pytest.approx(-250)  # 1000 - 1250: overrun

    def test_roi(self):
        assert roi(150, 100) == pytest.approx(0.5)  # (150-100)/100
        assert roi(50, 100) == pytest.approx(-0.5)  # (50-100)/100

    def test_divisions_by_zero_are_none(self):
        assert spi(80, 0) is None
        assert cpi(80, 0) is None
        assert eac(1000, 0) is None
        assert roi(150, 0) is None

    def test_missing_inputs_are_none(self):
        assert spi(None, 100) is None
        assert cpi(80, None) is None
        assert eac(None, 0.8) is None
        assert vac(1000, None) is None
        assert vac(None, 1000) is None
        assert roi(None, 100) is None
        assert roi(150, math.nan) is None

    def test_overflowing_ratio_is_none(self):
        assert spi(1e308, 1e-308) is None


# =========================================================================== projects


def project(**changes) -> ProjectFigures:
    """An active project with budget 100, planned to finish on day 100, no figures yet."""
    fields = {"status": "active", "budget": 100.0, "planned_finish": day(100)}
    fields.update(changes)
    return ProjectFigures(**fields)


class TestProjectSchedule:
    def test_days_late(self):
        assert days_late(day(100), day(110)) == 10
        assert days_late(day(100), day(95)) == -5
        assert days_late(day(100), None) is None

    def test_on_time_by_forecast(self):
        assert project_on_time(project(forecast_finish=day(100))) is True  # 0 days late
        assert project_on_time(project(forecast_finish=day(101))) is False
        assert project_on_time(project()) is None

    def test_actual_finish_wins_over_forecast(self):
        p = project(status="done", forecast_finish=day(90), actual_finish=day(120))
        assert p.finish == day(120)
        assert project_on_time(p) is False


class TestProjectBudget:
    def test_active_within_budget_uses_eac(self):
        # CPI = 50/40 = 1.25; EAC = 100/1.25 = 80 <= 100
        p = project(earned_value=50.0, actual_cost=40.0)
        assert project_cost_estimate(p) == pytest.approx(80)
        assert project_within_budget(p) is True

    def test_active_over_budget_uses_eac(self):
        # spent only 50 of 100, but CPI = 40/50 = 0.8; EAC = 100/0.8 = 125 > 100
        p = project(earned_value=40.0, actual_cost=50.0)
        assert project_cost_estimate(p) == pytest.approx(125)
        assert project_within_budget(p) is False

    def test_done_uses_actual_cost(self):
        # EV/AC would give CPI 0.5, but done means actual cost 95 <= 100
        p = project(status="done", earned_value=50.0, actual_cost=95.0)
        assert project_cost_estimate(p) == 95.0
        assert project_within_budget(p) is True
        assert project_within_budget(project(status="done", actual_cost=101.0)) is False

    def test_no_figures_is_unknown(self):
        assert project_within_budget(project()) is None
        assert project_within_budget(project(status="done")) is None

    def test_no_cost_yet_is_unknown(self):
        assert project_within_budget(project(earned_value=10.0, actual_cost=0.0)) is None  # CPI = 10/0


class TestProjectRoi:
    def test_active_roi_uses_expected_benefit_over_eac(self):
        # EAC = 100 / (40/50) = 125; ROI = (150-125)/125 = 0.2
        p = project(earned_value=40.0, actual_cost=50.0, expected_benefit=150.0, realised_benefit=10.0)
        assert project_roi(p) == pytest.approx(0.2)

    def test_done_roi_uses_realised_benefit_over_actual_cost(self):
        # (90-60)/60 = 0.5
        p = project(status="done", actual_cost=60.0, expected_benefit=500.0, realised_benefit=90.0)
        assert project_roi(p) == pytest.approx(0.5)

    def test_no_cost_is_none(self):
        assert project_roi(project(expected_benefit=150.0)) is None


class TestScheduleHealth:
    def test_no_figures_is_unknown(self):
        assert schedule_health(project()) is Health.UNKNOWN

    def test_on_time_and_on_pace_is_green(self):
        assert (
            schedule_health(project(forecast_finish=day(100), planned_value=100.0, earned_value=100.0))
            is Health.GREEN
        )

    def test_spi_on_warning_line_is_green(self):
        assert schedule_health(project(planned_value=100.0, earned_value=95.0)) is Health.GREEN  # 0.95

    def test_slipping_spi_is_amber(self):
        assert (
            schedule_health(project(forecast_finish=day(100), planned_value=100.0, earned_value=90.0))
            is Health.AMBER
        )  # 0.9

    def test_low_spi_is_red(self):
        assert (
            schedule_health(project(forecast_finish=day(100), planned_value=100.0, earned_value=80.0))
            is Health.RED
        )  # 0.8

    def test_a_few_days_late_is_amber(self):
        # 1 day late is a slip to watch, not yet a problem (red starts beyond 30 days)
        assert (
            schedule_health(project(forecast_finish=day(101), planned_value=100.0, earned_value=100.0))
            is Health.AMBER
        )

    def test_thirty_days_late_is_still_amber(self):
        assert (
            schedule_health(project(forecast_finish=day(130), planned_value=100.0, earned_value=100.0))
            is Health.AMBER
        )

    def test_more_than_thirty_days_late_is_red(self):
        assert (
            schedule_health(project(forecast_finish=day(131), planned_value=100.0, earned_value=100.0))
            is Health.RED
        )

    def test_done_on_time_ignores_spi(self):
        p = project(status="done", actual_finish=day(100), planned_value=100.0, earned_value=50.0)
        assert schedule_health(p) is Health.GREEN

    @given(
        finish=st.integers(-60, 160),
        planned_value=st.one_of(st.none(), st.floats(0.01, 1e6)),
        earned_value=st.one_of(st.none(), st.floats(0, 1e6)),
    )
    def test_done_is_judged_by_its_finish_date_alone(self, finish, planned_value, earned_value):
        p = project(
            status="done", actual_finish=day(finish), planned_value=planned_value, earned_value=earned_value
        )
        by_date = Health.GREEN if finish <= 100 else Health.AMBER if finish <= 130 else Health.RED
        assert schedule_health(p) is by_date

    def test_done_without_finish_is_unknown(self):
        assert (
            schedule_health(project(status="done", planned_value=100.0, earned_value=50.0)) is Health.UNKNOWN
        )


class TestBudgetHealth:
    def test_no_figures_is_unknown(self):
        assert budget_health(project()) is Health.UNKNOWN

    def test_under_cost_is_green(self):
        assert budget_health(project(earned_value=50.0, actual_cost=40.0)) is Health.GREEN  # CPI 1.25

    def test_exactly_on_budget_is_green(self):
        # CPI 50/50 = 1, EAC 100/1 = 100 = BAC
        assert budget_health(project(earned_value=50.0, actual_cost=50.0)) is Health.GREEN

    def test_small_overrun_is_amber(self):
        # CPI 50/52 = 0.9615, EAC 100/0.9615 = 104: overrun 4 % <= 10 %
        assert budget_health(project(earned_value=50.0, actual_cost=52.0)) is Health.AMBER

    def test_overrun_beyond_ten_percent_is_red(self):
        # CPI 40/50 = 0.8, EAC 125: overrun 25 % > 10 %
        assert budget_health(project(earned_value=40.0, actual_cost=50.0)) is Health.RED

    def test_done_judged_by_actual_cost(self):
        assert budget_health(project(status="done", earned_value=10.0, actual_cost=100.0)) is Health.GREEN
        # actual cost 120 of budget 100: overrun 20 %
        assert budget_health(project(status="done", earned_value=200.0, actual_cost=120.0)) is Health.RED

    def test_zero_budget_is_green_only_at_zero_cost(self):
        assert budget_health(project(budget=0.0, status="done", actual_cost=0.0)) is Health.GREEN
        assert budget_health(project(budget=0.0, status="done", actual_cost=1.0)) is Health.RED

    def test_health_words(self):
        from pmo_tui.calculations import BUDGET_WORDS, SCHEDULE_WORDS

        assert SCHEDULE_WORDS[Health.RED] == "behind"
        assert BUDGET_WORDS[Health.RED] == "over budget"


# =========================================================================== portfolio


def hand_made_portfolio() -> list[ProjectFigures]:
    return [
        # P1 active: on time (day 95 <= day 100); CPI 40/50 = 0.8, EAC 100/0.8 = 125 > 100: over budget
        ProjectFigures(
            status="active",
            budget=100.0,
            planned_finish=day(100),
            forecast_finish=day(95),
            planned_value=60.0,
            earned_value=40.0,
            actual_cost=50.0,
            expected_benefit=150.0,
            change_requests=2,
            open_risks=3,
            aligned=True,
        ),
        # P2 active: late (day 210 > day 200); CPI 100/90 = 1.11, EAC 200/1.11 = 180 <= 200: within
        ProjectFigures(
            status="active",
            budget=200.0,
            planned_finish=day(200),
            forecast_finish=day(210),
            planned_value=100.0,
            earned_value=100.0,
            actual_cost=90.0,
            expected_benefit=300.0,
            change_requests=1,
            open_risks=2,
            aligned=False,
        ),
        # P3 done: finished exactly on plan; actual cost 60 > budget 50: over budget
        ProjectFigures(
            status="done",
            budget=50.0,
            planned_finish=day(50),
            actual_finish=day(50),
            planned_value=50.0,
            earned_value=50.0,
            actual_cost=60.0,
            expected_benefit=200.0,
            realised_benefit=90.0,
            change_requests=3,
            open_risks=0,
            aligned=True,
        ),
        # P4 on hold: no forecast and no figures, so on-time, budget and ROI unknown
        ProjectFigures(
            status="on_hold",
            budget=80.0,
            planned_finish=day(300),
            change_requests=0,
            open_risks=1,
            aligned=True,
        ),
        # P5 cancelled and P6 proposed: not counted at all
        ProjectFigures(
            status="cancelled",
            budget=1000.0,
            planned_finish=day(10),
            forecast_finish=day(400),
            planned_value=1000.0,
            earned_value=1.0,
            actual_cost=900.0,
            expected_benefit=5.0,
            change_requests=10,
            open_risks=7,
            aligned=True,
        ),
        ProjectFigures(
            status="proposed",
            budget=500.0,
            planned_finish=day(500),
            forecast_finish=day(500),
            expected_benefit=9999.0,
            change_requests=4,
            open_risks=9,
            aligned=False,
        ),
    ]


class TestPortfolioFigures:
    def test_hand_made_portfolio(self):
        f = portfolio_figures(hand_made_portfolio())
        # counted: P1, P2, P3, P4 (active, active, done, on_hold)
        assert f.project_count == 4
        # on time known for P1 (yes), P2 (no), P3 (yes): 2/3 = 66.67 %
        assert f.on_time_pct == pytest.approx(200 / 3)
        # within budget known for P1 (no), P2 (yes), P3 (no): 1/3 = 33.33 %
        assert f.within_budget_pct == pytest.approx(100 / 3)
        # ΣEV = 40+100+50 = 190; ΣPV = 60+100+50 = 210 -> SPI 190/210 = 0.90476
        assert f.spi == pytest.approx(190 / 210)
        # ΣAC = 50+90+60 = 200 -> CPI 190/200 = 0.95
        assert f.cpi == pytest.approx(0.95)
        # benefit 150 + 300 + 90 (P3 realised) = 540; cost 125 + 180 + 60 = 365; P4 has no estimate
        # ROI = (540-365)/365 = 175/365 = 0.47945
        assert f.roi == pytest.approx(175 / 365)
        # aligned: P1, P3, P4 of 4 = 75 %
        assert f.aligned_pct == pytest.approx(75.0)
        # change requests 2+1+3+0 = 6 over 4 projects = 1.5
        assert f.change_requests_per_project == pytest.approx(1.5)
        # open risks 3+2+0+1 = 6
        assert f.open_risks == 6

    def test_empty_portfolio(self):
        assert portfolio_figures([]) == PortfolioFigures(
            project_count=0,
            on_time_pct=None,
            within_budget_pct=None,
            spi=None,
            cpi=None,
            roi=None,
            aligned_pct=None,
            change_requests_per_project=None,
            open_risks=0,
        )

    def test_only_excluded_projects_is_like_empty(self):
        excluded = [p for p in hand_made_portfolio() if p.status in {"cancelled", "proposed"}]
        f = portfolio_figures(excluded)
        assert f.project_count == 0
        assert f.open_risks == 0
        assert f.spi is None and f.roi is None and f.aligned_pct is None

    def test_accepts_a_generator(self):
        f = portfolio_figures(p for p in hand_made_portfolio())
        assert f.project_count == 4


class TestDerivedKpiValue:
    FIGURES = PortfolioFigures(
        project_count=4,
        on_time_pct=200 / 3,
        within_budget_pct=100 / 3,
        spi=0.9,
        cpi=0.95,
        roi=0.25,
        aligned_pct=75.0,
        change_requests_per_project=1.5,
        open_risks=6,
    )

    def test_roi_pct_is_roi_times_100(self):
        assert derived_kpi_value("roi_pct", self.FIGURES) == pytest.approx(25.0)  # 0.25 * 100

    def test_plain_sources_are_copied(self):
        assert derived_kpi_value("on_time_pct", self.FIGURES) == pytest.approx(200 / 3)
        assert derived_kpi_value("within_budget_pct", self.FIGURES) == pytest.approx(100 / 3)
        assert derived_kpi_value("spi", self.FIGURES) == pytest.approx(0.9)
        assert derived_kpi_value("cpi", self.FIGURES) == pytest.approx(0.95)
        assert derived_kpi_value("aligned_pct", self.FIGURES) == pytest.approx(75.0)
        assert derived_kpi_value("change_requests_per_project", self.FIGURES) == pytest.approx(1.5)

    def test_open_risks_is_a_float(self):
        value = derived_kpi_value("open_risks", self.FIGURES)
        assert value == 6.0 and isinstance(value, float)

    def test_unknown_source_is_none(self):
        assert derived_kpi_value("entered", self.FIGURES) is None
        assert derived_kpi_value("roi", self.FIGURES) is None  # the figure name, not a source

    def test_missing_figure_is_none(self):
        empty = portfolio_figures([])
        assert derived_kpi_value("roi_pct", empty) is None
        assert derived_kpi_value("spi", empty) is None
        assert derived_kpi_value("open_risks", empty) == 0.0

    def test_from_the_hand_made_portfolio(self):
        f = portfolio_figures(hand_made_portfolio())
        assert derived_kpi_value("roi_pct", f) == pytest.approx(17500 / 365)  # 175/365 * 100 = 47.945


# =========================================================================== properties (Hypothesis)

numbers = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
maybe_numbers = st.none() | numbers
directions = st.sampled_from(["higher", "lower"])
kinds = st.sampled_from(list(KeyResultKind))
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))

STATUS_RANK = {Status.RED: 0, Status.AMBER: 1, Status.GREEN: 2}


@given(numbers, numbers, numbers, kinds)
def test_progress_towards_is_always_between_0_and_1(baseline, target, current, kind):
    assert 0.0 <= progress_towards(baseline, target, current, kind) <= 1.0


@given(numbers, numbers, numbers)
def test_progress_for_decrease_equals_increase_on_negated_numbers(baseline, target, current):
    assert progress_towards(baseline, target, current, "decrease") == progress_towards(
        -baseline, -target, -current, "increase"
    )


@given(kinds, numbers, numbers, st.lists(numbers, max_size=10), maybe_numbers, maybe_numbers)
def test_key_result_progress_is_always_between_0_and_1(kind, baseline, target, values, low, high):
    assert 0.0 <= key_result_progress(kind, baseline, target, values, low, high) <= 1.0


@given(st.lists(st.tuples(numbers, numbers), max_size=10))
def test_objective_progress_is_always_between_0_and_1(pairs):
    assert 0.0 <= objective_progress(pairs) <= 1.0


@given(
    st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1),
            # weights are either absent (0) or sensible; subnormal weights lose precision
            st.just(0.0) | st.floats(min_value=1e-3, max_value=1e6),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_objective_progress_lies_between_its_key_results(pairs):
    weighted = [p for p, w in pairs if w > 0]
    result = objective_progress(pairs)
    if weighted:
        assert min(weighted) - 1e-12 <= result <= max(weighted) + 1e-12
    else:
        assert result == 0.0


@given(numbers, numbers, maybe_numbers)
def test_swapping_direction_mirrors_status(value, target, warning):
    mirrored_warning = None if warning is None else -warning
    assert kpi_status(value, target, warning, "higher") == kpi_status(
        -value, -target, mirrored_warning, "lower"
    )


@given(numbers, numbers, numbers, maybe_numbers)
def test_raising_the_value_never_worsens_higher_is_better(a, b, target, warning):
    low, high = sorted((a, b))
    assert (
        STATUS_RANK[kpi_status(low, target, warning, "higher")]
        <= STATUS_RANK[kpi_status(high, target, warning, "higher")]
    )


@given(numbers, numbers, numbers, maybe_numbers)
def test_lowering_the_value_never_worsens_lower_is_better(a, b, target, warning):
    low, high = sorted((a, b))
    assert (
        STATUS_RANK[kpi_status(high, target, warning, "lower")]
        <= STATUS_RANK[kpi_status(low, target, warning, "lower")]
    )


@given(numbers, numbers, maybe_numbers, directions)
def test_kpi_status_is_never_unknown_with_value_and_target(value, target, warning, direction):
    assert kpi_status(value, target, warning, direction) is not Status.UNKNOWN


@given(dates, dates, dates)
def test_elapsed_share_is_always_between_0_and_1(start, end, today):
    assert 0.0 <= elapsed_share(start, end, today) <= 1.0


@given(st.floats(min_value=-10, max_value=10, allow_nan=False))
def test_grade_band_matches_its_thresholds(score):
    expected = Grade.RED if score < 0.4 else Grade.AMBER if score < 0.7 else Grade.GREEN
    assert grade_band(score) is expected


@given(
    st.floats(min_value=-50, max_value=50),
    st.lists(st.floats(min_value=1, max_value=10), min_size=1, max_size=9),
)
def test_clearly_rising_series_is_improving_when_higher_is_better(start, steps):
    # Every step is >= 1 while the largest value is at most 50 + 9*10 = 140, so the
    # least-squares slope (a weighted mean of the steps, >= 1) beats 0.005 * 140 = 0.7.
    values = [start]
    for step in steps:
        values.append(values[-1] + step)
    t = trend(values, "higher")
    assert t.direction is TrendDirection.IMPROVING
    assert t.arrow == "↑"
    assert trend(values, "lower").direction is TrendDirection.WORSENING


@given(st.lists(numbers, max_size=12), directions)
def test_trend_never_raises_and_is_unknown_only_below_two_values(values, direction):
    t = trend(values, direction)
    assert (t.direction is TrendDirection.UNKNOWN) == (len(values) < 2)


@given(
    st.floats(min_value=-1e6, max_value=1e6),
    st.floats(min_value=-1e6, max_value=1e6),
    st.floats(min_value=0, max_value=2),
)
def test_value_needed_for_pace_gives_exactly_the_expected_progress(baseline, target, expected):
    needed = value_needed_for_pace(baseline, target, expected)
    if abs(target - baseline) > 1e-3:
        assert progress_towards(baseline, target, needed, "increase") == pytest.approx(
            min(expected, 1.0), abs=1e-6
        )


# Money is absent, zero or at least a cent (a subnormal cost would make ROI overflow to inf).
cash = st.just(0.0) | st.floats(min_value=0.01, max_value=1e9)
money = st.none() | cash

project_figures = st.builds(
    ProjectFigures,
    status=st.sampled_from(["proposed", "active", "on_hold", "done", "cancelled"]),
    budget=cash,
    planned_finish=dates,
    forecast_finish=st.none() | dates,
    actual_finish=st.none() | dates,
    planned_value=money,
    earned_value=money,
    actual_cost=money,
    expected_benefit=cash,
    realised_benefit=cash,
    change_requests=st.integers(min_value=0, max_value=100),
    open_risks=st.integers(min_value=0, max_value=100),
    aligned=st.booleans(),
)


@settings(deadline=None)
@given(st.lists(project_figures, max_size=8))
def test_portfolio_figures_never_raises_and_percentages_stay_in_range(projects):
    f = portfolio_figures(projects)
    counted = [p for p in projects if p.status in {"active", "on_hold", "done"}]
    assert f.project_count == len(counted)
    assert f.open_risks == sum(p.open_risks for p in counted)
    for pct in (f.on_time_pct, f.within_budget_pct, f.aligned_pct):
        assert pct is None or 0.0 <= pct <= 100.0
    for value in (f.spi, f.cpi, f.roi, f.change_requests_per_project):
        assert value is None or math.isfinite(value)
    for source in ("on_time_pct", "roi_pct", "spi", "open_risks", "nonsense"):
        derived_kpi_value(source, f)


@given(dates, dates, st.integers(min_value=1, max_value=400))
def test_kpi_current_status_agrees_with_is_overdue(last, today, every_days):
    status, overdue = kpi_current_status(95, 90, 80, "higher", last, today, every_days)
    assert overdue == is_overdue(last, today, every_days)
    assert status is (Status.UNKNOWN if overdue else Status.GREEN)


def test_every_cadence_has_a_grace_of_at_least_two_days():
    assert all(grace_days(days) >= 2 for days in CADENCE_DAYS.values())


class TestScheduleWords:
    """The project's header and its overview row say the schedule in the same words."""

    def test_a_late_project_says_by_how_many_days(self):
        from pmo_tui.calculations import Health, schedule_words

        assert schedule_words(Health.RED, 119) == "119 d late"
        assert schedule_words(Health.AMBER, 1) == "1 d late"

    def test_otherwise_the_healths_word(self):
        from pmo_tui.calculations import Health, schedule_words

        assert schedule_words(Health.GREEN, 0) == "on schedule"
        assert schedule_words(Health.GREEN, -5) == "on schedule"
        assert schedule_words(Health.RED, None) == "behind"
        assert schedule_words(Health.UNKNOWN, None) == "no data"


@pytest.mark.parametrize(
    ("earned_value", "budget", "asked"),
    [
        (882_200, 1_200_000, True),
        (899, 1000, True),
        (900, 1000, False),
        (1000, 1000, False),
        (None, 1000, False),
        (0, 0, False),
    ],
)
def test_closing_as_done_asks_if_descoped_when_earned_value_is_well_short(earned_value, budget, asked):
    from pmo_tui.calculations import DESCOPE_QUESTION_SHARE, asks_if_descoped

    assert DESCOPE_QUESTION_SHARE == 0.9
    assert asks_if_descoped(earned_value, budget) is asked


def test_a_descoped_project_keeps_the_earned_value_as_its_budget():
    from pmo_tui.calculations import closing_budget

    assert closing_budget(1000, 700, descoped=True) == 700
    assert closing_budget(1000, 700, descoped=False) == 1000
    assert closing_budget(1000, None, descoped=True) == 1000


_days = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))


@given(st.lists(_days, max_size=20), _days, _days, _days, _days)
def test_the_weeks_without_a_check_in_are_exactly_the_ended_silent_weeks(
    check_ins: list[date], since: date, until: date, baseline: date, today: date
) -> None:
    from pmo_tui.calculations import week_start, weeks_without_check_in

    missed = weeks_without_check_in(check_ins, since, until, baseline, today)
    checked = {week_start(day) for day in check_ins}
    # Every Monday whose week (Monday to Sunday) ended after the baseline and before today,
    # within since..until, with no check-in in it: counted one day at a time.
    expected = []
    day = week_start(baseline)
    while day <= max(today, until):
        sunday = day + timedelta(days=6)
        if baseline < sunday < today and sunday <= until and day >= since and day not in checked:
            expected.append(day)
        day += timedelta(days=7)
    assert missed == tuple(expected)
    assert all(monday.weekday() == 0 for monday in missed)
