"""The geometry of the HTML report's charts: scales, round ticks, points and bars, without a browser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmo_tui.chart_geometry import (
    LinearScale,
    bar_length,
    index_domain,
    nice_domain,
    nice_step,
    series_points,
    ticks,
)

finite = st.floats(-1e6, 1e6, allow_nan=False)


class TestLinearScale:
    def test_maps_the_domain_onto_the_range(self):
        y = LinearScale(60, 90, 100, 10)  # a y axis: larger values higher up
        assert (y(60), y(90), y(75)) == (100, 10, 55)

    def test_an_empty_domain_sits_mid_range(self):
        assert LinearScale(5, 5, 0, 100)(5) == 50

    def test_clamped_keeps_a_value_off_the_scale_at_its_edge(self):
        x = LinearScale(0.8, 1.2, 80, 510)
        assert (x.clamped(3.0), x.clamped(0.1), x.clamped(1.0)) == (510, 80, pytest.approx(295))

    @given(low=finite, span=st.floats(1e-3, 1e6), a=st.floats(0, 1), b=st.floats(0, 1))
    def test_keeps_the_order_of_values(self, low, span, a, b):
        x = LinearScale(low, low + span, 0, 500)
        if a < b:
            assert x(low + a * span) <= x(low + b * span)


class TestTicks:
    @pytest.mark.parametrize(
        ("span", "count", "step"), [(10, 4, 2.5), (100, 4, 25), (0.4, 4, 0.1), (30, 3, 10), (7, 5, 2)]
    )
    def test_steps_are_round(self, span, count, step):
        assert nice_step(span, count) == pytest.approx(step)

    def test_ticks_of_a_percentage_axis(self):
        assert ticks(60, 90, 3) == [60, 70, 80, 90]

    def test_ticks_carry_no_float_noise(self):
        assert ticks(0.7, 1.3, 6) == [0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3]

    @given(values=st.lists(finite, min_size=1, max_size=12))
    def test_the_domain_holds_every_value_and_ends_on_ticks(self, values):
        low, high = nice_domain(values)
        assert low < high
        assert all(low <= v <= high for v in values)
        marks = ticks(low, high)
        assert marks[0] == pytest.approx(low, abs=1e-6 * max(1, abs(low)))
        assert marks[-1] == pytest.approx(high, abs=1e-6 * max(1, abs(high)))

    def test_a_flat_series_sits_mid_chart(self):
        low, high = nice_domain([80, 80, 80])
        assert low < 80 < high
        assert LinearScale(low, high, 100, 0)(80) == pytest.approx(50)

    def test_no_values_is_zero_to_one(self):
        assert nice_domain([None, None]) == (0.0, 1.0)


class TestPoints:
    def test_values_spread_from_oldest_to_latest(self):
        y = LinearScale(0, 10, 100, 0)
        assert series_points([0, 5, 10], 40, 240, y) == [(40, 100), (140, 50), (240, 0)]

    def test_one_value_is_the_latest(self):
        assert series_points([5], 40, 240, LinearScale(0, 10, 100, 0)) == [(240, 50)]

    def test_a_missing_value_breaks_the_line(self):
        assert series_points([1, None, 3], 0, 2, LinearScale(0, 4, 4, 0))[1] is None

    def test_a_value_on_the_target_lands_on_the_target_line(self):
        y = LinearScale(*nice_domain([72, 76.9, 80]), 102, 10)
        ((_, on_target),) = series_points([80], 0, 100, y)
        assert on_target == y(80)


class TestBarsAndIndices:
    @given(share=st.one_of(st.none(), st.floats(-2, 3)))
    def test_a_bar_stays_inside_its_track(self, share):
        assert 0 <= bar_length(share, 440) <= 440

    def test_a_bar_is_its_share_of_the_track(self):
        assert bar_length(0.48, 440) == pytest.approx(211.2)

    def test_the_index_axis_always_holds_par_and_the_problem_line(self):
        assert index_domain([]) == (0.8, 1.2)
        assert index_domain([0.82, 1.06]) == (0.8, 1.2)
        assert index_domain([0.62, 1.31]) == (0.6, 1.4)
