"""KPI target bands in pmo_tui.calculations: status, trend and SMART follow the band, above as below.

Hand-worked examples first (resource utilisation, band 75–85 %), then Hypothesis properties.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmo_tui.calculations import (
    Direction,
    SmartSubject,
    Status,
    TrendDirection,
    distance_from_band,
    kpi_band,
    kpi_current_status,
    kpi_status,
    smart_check,
    trend,
)

TODAY = date(2026, 11, 20)
BAND = (75.0, 85.0)
finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def test_a_band_needs_both_bounds_low_below_high() -> None:
    assert kpi_band(75.0, 85.0) == BAND
    assert kpi_band(75.0, None) is None and kpi_band(None, 85.0) is None
    assert kpi_band(85.0, 75.0) is None and kpi_band(80.0, 80.0) is None


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (74.9, Status.RED),
        (75.0, Status.GREEN),
        (80.0, Status.GREEN),
        (85.0, Status.GREEN),
        (93.0, Status.RED),
    ],
)
def test_utilisation_is_green_inside_the_band_and_red_above_as_below(value: float, status: Status) -> None:
    # The target and direction the KPI had before (80 %, higher is better) no longer decide.
    assert kpi_status(value, 80.0, 70.0, "higher", BAND) is status


def test_a_band_kpi_without_a_value_or_stale_is_unknown() -> None:
    assert kpi_status(None, None, None, "higher", BAND) is Status.UNKNOWN
    assert kpi_current_status(80.0, None, None, "higher", date(2026, 6, 30), TODAY, 31, BAND) == (
        Status.UNKNOWN,
        True,
    )
    assert kpi_current_status(80.0, None, None, "higher", date(2026, 10, 31), TODAY, 31, BAND) == (
        Status.GREEN,
        False,
    )


def test_rising_above_the_band_is_worsening_and_falling_back_improving() -> None:
    # 82 → 93 climbs out of the band: worsening although "higher" was the old direction.
    assert trend([82.0, 86.0, 88.0, 93.0], "higher", band=BAND).direction is TrendDirection.WORSENING
    assert trend([93.0, 90.0, 87.0, 84.0], "higher", band=BAND).direction is TrendDirection.IMPROVING
    assert trend([60.0, 65.0, 70.0, 74.0], "lower", band=BAND).direction is TrendDirection.IMPROVING
    assert trend([80.0, 80.0, 80.0], "higher", band=BAND).direction is TrendDirection.FLAT


def _subject(values: tuple[float, ...], **changes) -> SmartSubject:
    fields = {
        "name": "Resource utilisation",
        "description": "Hours booked to projects over hours available",
        "unit": "%",
        "owner": "Lena Hoffmann",
        "target": None,
        "direction": "higher",
        "goal": "Deliver reliably",
        "cadence": "monthly",
        "values": values,
        "last_period": date(2026, 10, 31),
        "every_days": 31,
        "band": BAND,
    }
    return SmartSubject(**{**fields, **changes})


def test_smart_counts_a_band_as_the_target() -> None:
    specific, measurable, achievable, *_ = smart_check(_subject((79.0, 82.0)), TODAY)
    assert measurable.passed and measurable.reason == "2 measurements in % against a band"
    assert achievable.passed and achievable.reason == "the value is already within the band"
    assert "without a target" not in achievable.reason


def test_smart_above_the_band_needs_to_come_down() -> None:
    achievable = smart_check(_subject((79.0, 82.0, 86.0, 88.0, 93.0)), TODAY)[2]
    # 93 − 85 = 8 points over 6 months: −1.3 points/month; the history only ever rose.
    assert not achievable.passed
    assert achievable.reason.startswith("reaching the band needs -1.3 points/month over 6 months")
    assert "never improved" in achievable.reason


def test_smart_below_the_band_needs_to_come_up_and_history_can_show_it() -> None:
    achievable = smart_check(_subject((50.0, 56.0, 62.0, 68.0, 70.0)), TODAY)[2]
    # 75 − 70 = 5 points over 6 months; the best 3-month run was +6 points/month.
    assert achievable.passed
    assert "+0.8 points/month" in achievable.reason and "+6.0 points/month" in achievable.reason


whole = st.integers(-(10**6), 10**6).map(float)


# Whole numbers, so that mirroring about the middle is exact.
@given(st.tuples(whole, whole).filter(lambda b: b[0] < b[1]), whole, finite)
def test_above_the_band_is_as_bad_as_below_it(band: tuple[float, float], value: float, offset: float) -> None:
    low, high = band
    middle = (low + high) / 2
    mirrored = 2 * middle - value
    # A value and its mirror about the band's middle get the same status, whatever the direction.
    for direction in Direction:
        assert kpi_status(value, None, None, direction, band) is kpi_status(
            mirrored, None, None, direction, band
        )
    inside = low <= value <= high
    assert (kpi_status(value, offset, None, "higher", band) is Status.GREEN) == inside
    assert distance_from_band(value, band) >= 0
    assert (distance_from_band(value, band) == 0) == inside


@given(
    st.tuples(finite, finite).filter(lambda b: b[1] - b[0] > 1),
    st.lists(st.floats(0.5, 100), min_size=3, max_size=6),
)
def test_moving_away_from_the_band_on_either_side_is_worsening(
    band: tuple[float, float], steps: list[float]
) -> None:
    low, high = band
    above = [high + sum(steps[: i + 1]) for i in range(len(steps))]
    below = [low - sum(steps[: i + 1]) for i in range(len(steps))]
    for series in (above, below):
        direction = trend(series, "higher", band=band).direction
        assert direction in (TrendDirection.WORSENING, TrendDirection.FLAT)
        back = trend(list(reversed(series)), "higher", band=band).direction
        assert back in (TrendDirection.IMPROVING, TrendDirection.FLAT)
        assert {direction, back} != {TrendDirection.FLAT, TrendDirection.IMPROVING} or direction is back


@given(st.tuples(finite, finite).filter(lambda b: b[0] < b[1]), st.lists(finite, min_size=1, max_size=8))
def test_smart_with_a_band_never_asks_for_a_target(band: tuple[float, float], values: list[float]) -> None:
    checks = smart_check(_subject(tuple(values), band=band), TODAY)
    assert all("target" not in check.reason or "band" in check.reason for check in checks[1:3])
    inside = band[0] <= values[-1] <= band[1]
    assert (checks[2].reason == "the value is already within the band") == inside
