"""The KPI chart: at most about two points per column, no spike lost, and an axis around a lone value."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from pmo_tui.widgets.kpi_chart import day_axis, thin_points, value_axis


def _series(values: list[float]) -> list[tuple[date, float]]:
    return [(date(2016, 1, 4) + timedelta(weeks=i), v) for i, v in enumerate(values)]


@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), max_size=900), st.integers(0, 300))
def test_thinned_points_keep_the_ends_the_extremes_and_the_order(values: list[float], limit: int) -> None:
    points = _series(values)
    kept = thin_points(points, limit)
    if len(points) <= limit or limit < 4:
        assert kept == points
        return
    assert len(kept) <= limit + 2
    assert kept[0] == points[0] and kept[-1] == points[-1]
    positions = [points.index(point) for point in kept]
    assert positions == sorted(set(positions)), "a subsequence, in time order"
    assert max(v for _, v in kept) == max(values) and min(v for _, v in kept) == min(values)


def test_ten_years_of_weeks_fit_a_wide_chart() -> None:
    points = _series([float(i % 13) for i in range(520)])
    assert 100 < len(thin_points(points, 232)) <= 234


def test_one_measurement_has_an_axis_of_a_period_either_side() -> None:
    day = date(2026, 10, 31)
    assert day_axis(day, day, "monthly") == (date(2026, 9, 30), date(2026, 12, 1))
    assert day_axis(day, day, "weekly") == (date(2026, 10, 24), date(2026, 11, 7))
    assert day_axis(day, date(2026, 11, 30), "monthly") is None, "a real span keeps its own axis"


def test_equal_values_get_a_round_band_around_them() -> None:
    axis = value_axis([80.0, 80.0])
    assert axis is not None and axis[0] < 80.0 < axis[1] and axis[1] - axis[0] <= 40
    assert value_axis([70.0, 80.0]) is None
