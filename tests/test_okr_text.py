"""A key result's aim is worded once (widgets/okr_text.aim_text): the OKR area's facts and the
check-in card say the same."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pmo_tui.calculations import Grade, Pace
from pmo_tui.records import KeyResultRow
from pmo_tui.widgets.okr_text import aim_text, key_result_facts

KR = KeyResultRow(
    code="O1-KR1",
    title="Satisfaction",
    objective_code="O1",
    kind="increase",
    unit="%",
    baseline=60,
    target=80,
    band_low=None,
    band_high=None,
    weight=1,
    owner="Ada",
    kpi_code=None,
    original_target=None,
    target_change_reason="",
    score=None,
    progress=0.0,
    grade=Grade.RED,
    pace=Pace.NOT_STARTED,
    overdue=False,
    due=True,
    check_ins=(),
)


@pytest.mark.parametrize(
    ("changes", "aim"),
    [
        ({}, "60% → 80%"),
        ({"kind": "decrease", "baseline": 30, "target": 10}, "30% → 10%"),
        ({"kind": "within_band", "band_low": 75, "band_high": 85}, "75% – 85%"),
        ({"kind": "milestone", "unit": "", "baseline": 0, "target": 1}, "1 when done, 0 until then"),
    ],
)
def test_the_aim_of_each_kind_of_key_result(changes: dict, aim: str) -> None:
    kr = replace(KR, **changes)
    assert aim_text(kr) == aim
    assert f"aim {aim} · latest" in key_result_facts(kr).plain
