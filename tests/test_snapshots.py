"""Snapshot tests of every screen at 80×24 and 120×40 on the sample portfolio, with a fixed day.

After an intended change, look at the report, then accept with --snapshot-update.
"""

from __future__ import annotations

import pytest

from helpers import make_app, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def _loaded(pilot) -> None:
    await settle(pilot)


def _then(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_portfolio_overview(snap_compare, sample_store, size) -> None:
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_loaded)


@pytest.mark.parametrize("size", SIZES)
def test_portfolio_sorted_by_schedule_with_keys_panel(snap_compare, sample_store, size) -> None:
    assert snap_compare(
        make_app(sample_store), terminal_size=size, run_before=_then("s", "s", "question_mark")
    )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("key", ["2", "3", "4"], ids=["kpis", "okrs", "maturity"])
def test_areas_not_in_this_version(snap_compare, sample_store, size, key) -> None:
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_then(key))


@pytest.mark.parametrize("size", SIZES)
def test_first_run_offers_the_sample(snap_compare, empty_store, size) -> None:
    assert snap_compare(make_app(empty_store, offer_sample=True), terminal_size=size, run_before=_loaded)
