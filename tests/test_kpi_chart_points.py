"""The KPI chart draws at most about two points per column, and never loses a spike."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from pmo_tui.widgets.kpi_chart import thin_points


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
