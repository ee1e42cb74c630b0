"""Snapshot tests of every screen at 80×24 and 120×40 on the sample portfolio, with a fixed day.

After an intended change, look at the report, then accept with --snapshot-update.
"""

from __future__ import annotations

import pytest
from helpers import TODAY, settle
from helpers import make_app as make_live_app

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def make_app(store, **kwargs):
    """The app as a snapshot sees it: one picture of one moment, so it does not look for other
    sessions' changes meanwhile (a look landing during the picture would read the screen again
    at a moment of chance: the live screens are tested in test_live_screens.py)."""
    return make_live_app(store, watch_interval=3600, **kwargs)


async def _steady(pilot) -> None:
    """A blinking cursor would be drawn or not by chance: hold every cursor visible."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.pause()


async def _loaded(pilot) -> None:
    await settle(pilot)
    await _steady(pilot)


def _then(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        # One key at a time: a key pressed while a screen is still loading would be lost.
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await _steady(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_portfolio_overview(snap_compare, sample_store, size) -> None:
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_loaded)


@pytest.mark.parametrize("size", SIZES)
def test_portfolio_overview_of_a_closed_cycle(snap_compare, sample_store, size) -> None:
    # 2026-Q4 closed and graded early: no open cycle holds today, so the overview shows it, graded.
    sample_store.close_cycle("2026-Q4", TODAY)
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_loaded)


@pytest.mark.parametrize("size", SIZES)
def test_portfolio_sorted_by_schedule_with_keys_panel(snap_compare, sample_store, size) -> None:
    assert snap_compare(
        make_app(sample_store), terminal_size=size, run_before=_then("s", "s", "question_mark")
    )


@pytest.mark.parametrize("size", SIZES)
def test_okr_screen(snap_compare, sample_store, size) -> None:
    # The cursor on the overdue key result: its facts show beside or under the table.
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_then("3", *["down"] * 9))


@pytest.mark.parametrize("size", SIZES)
def test_okr_screen_of_a_graded_cycle(snap_compare, sample_store, size) -> None:
    assert snap_compare(
        make_app(sample_store), terminal_size=size, run_before=_then("3", "left_square_bracket")
    )


@pytest.mark.parametrize("size", SIZES)
def test_check_in_of_a_key_result_tied_to_a_kpi(snap_compare, sample_store, size) -> None:
    # The first key result is saved, the second (tied to ALIGN) is on screen.
    assert snap_compare(
        make_app(sample_store), terminal_size=size, run_before=_then("c", "1", "enter", "7", "enter")
    )


@pytest.mark.parametrize("size", SIZES)
def test_check_in_refuses_a_bad_value(snap_compare, sample_store, size) -> None:
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_then("c", *"12,5", "enter"))


async def _close_cycle(pilot) -> None:
    from pmo_tui.screens.close_cycle import CloseSummaryScreen

    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    await pilot.press("x")
    await pilot.pause()
    await pilot.press("y")
    for _ in range(100):
        await settle(pilot)
        if isinstance(pilot.app.screen, CloseSummaryScreen):
            break
    await _steady(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_close_summary(snap_compare, sample_store, size) -> None:
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_close_cycle)


@pytest.mark.parametrize("size", SIZES)
def test_key_result_history(snap_compare, sample_store, size) -> None:
    async def run_before(pilot) -> None:
        from pmo_tui.screens.key_result_detail import KeyResultDetailScreen

        await settle(pilot)
        pilot.app.push_screen(KeyResultDetailScreen("Q4-O2-KR2"))
        await settle(pilot)
        await _steady(pilot)

    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=run_before)


def test_key_result_history_says_who_checked_in(snap_compare, sample_store) -> None:
    sample_store.user = "Priya Raman"
    sample_store.record_check_in("Q4-O2-KR2", TODAY, 71.0, 0.7, "after the [b]review[/b]", today=TODAY)

    async def run_before(pilot) -> None:
        from pmo_tui.screens.key_result_detail import KeyResultDetailScreen

        await settle(pilot)
        pilot.app.push_screen(KeyResultDetailScreen("Q4-O2-KR2"))
        await settle(pilot)
        await _steady(pilot)

    assert snap_compare(make_app(sample_store), terminal_size=(120, 40), run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_new_key_result_form_refuses_a_backwards_target(snap_compare, sample_store, size) -> None:
    assert snap_compare(
        make_app(sample_store),
        terminal_size=size,
        run_before=_then(
            "3", "k", *"More workshops", "tab", "tab", "%", "tab", *"50", "tab", *"40", "ctrl+s"
        ),
    )


@pytest.mark.parametrize("size", SIZES)
def test_first_run_offers_the_sample(snap_compare, empty_store, size) -> None:
    assert snap_compare(make_app(empty_store, offer_sample=True), terminal_size=size, run_before=_loaded)


@pytest.mark.parametrize("size", SIZES)
def test_kpi_list(snap_compare, sample_store, size) -> None:
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_then("2"))


def _open_kpi(code: str, *keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.open_kpi(code)
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await _steady(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "code",
    ["ONTIME", "CRPP", "UTIL"],
    ids=["higher-is-better", "lower-is-better", "overdue"],
)
def test_kpi_detail(snap_compare, sample_store, size, code) -> None:
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_open_kpi(code))


def test_kpi_definition_and_smart_check_at_80_columns(snap_compare, sample_store) -> None:
    assert snap_compare(make_app(sample_store), terminal_size=(80, 24), run_before=_open_kpi("CRPP", "d"))


@pytest.mark.parametrize("size", SIZES)
def test_measurement_form_refuses_text(snap_compare, sample_store, size) -> None:
    assert snap_compare(
        make_app(sample_store),
        terminal_size=size,
        run_before=_open_kpi("ONTIME", "a", "a", "b", "c", "enter", "enter"),
    )


@pytest.mark.parametrize("size", SIZES)
def test_new_kpi_form(snap_compare, sample_store, size) -> None:
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_then("2", "n"))


@pytest.mark.parametrize("size", SIZES)
def test_maturity_results(snap_compare, sample_store, size) -> None:
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_then("4"))


def test_maturity_advice_and_evidence_at_80_columns(snap_compare, sample_store) -> None:
    assert snap_compare(make_app(sample_store), terminal_size=(80, 24), run_before=_then("4", "d"))


@pytest.mark.parametrize("size", SIZES)
def test_maturity_assessment_in_progress(snap_compare, sample_store, size) -> None:
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_then("4", "n", "3", "4", "2"))


def _open_project(code: str, *keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.open_project(code)
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await _steady(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_project_detail(snap_compare, sample_store, size) -> None:
    # A late, over-budget project with eight status updates.
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_open_project("PRJ-101"))


@pytest.mark.parametrize("size", SIZES)
def test_status_update_form_starts_from_the_latest_figures(snap_compare, sample_store, size) -> None:
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_open_project("PRJ-104", "u"))


@pytest.mark.parametrize("size", SIZES)
def test_strategic_goals(snap_compare, sample_store, size) -> None:
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_then("g", "down"))


@pytest.mark.parametrize("size", SIZES)
def test_strategic_goals_with_the_projects_aligned_to_none(snap_compare, sample_store, size) -> None:
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_then("g", *["down"] * 4))


@pytest.mark.parametrize("size", SIZES)
def test_since_last_review(snap_compare, sample_store, size) -> None:
    # The cursor on the project whose forecast finish slipped: the line under the table says it all.
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_then("v", "down"))


@pytest.mark.parametrize("size", SIZES)
def test_edit_form_starts_on_its_first_field(snap_compare, sample_store, size) -> None:
    # An edit form: the cursor is in "Code", not in the first empty field ("Actual finish").
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_open_project("PRJ-101", "e"))


@pytest.mark.parametrize("size", SIZES)
def test_esc_on_a_changed_form_asks_first(snap_compare, sample_store, size) -> None:
    # Something typed into the code, then Esc: the question names the form's record.
    assert snap_compare(
        make_app(sample_store),
        terminal_size=size,
        run_before=_open_project("PRJ-101", "e", "end", "x", "escape"),
    )


@pytest.mark.parametrize("size", SIZES)
def test_portfolio_raid_log(snap_compare, sample_store, size) -> None:
    # Open items of every project: risks by exposure, then issues, actions (two ⚠ overdue), assumptions.
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_then("l"))


@pytest.mark.parametrize("size", SIZES)
def test_raid_item_form(snap_compare, sample_store, size) -> None:
    # A new RAID item of PRJ-101: kind risk and code R7 suggested, raised today, the title to type.
    assert snap_compare(make_app(sample_store), terminal_size=size, run_before=_open_project("PRJ-101", "a"))


def test_project_form_after_a_conflict_and_reload(snap_compare, sample_db) -> None:
    """Someone else changed the owner; Reload shows theirs, with what was typed under each field."""
    from helpers import fill, wait_for_screen, wait_until

    from pmo_tui.screens.dialogs import ConflictScreen, FormScreen
    from pmo_tui.store import Store

    mine, theirs = Store.open(sample_db), Store.open(sample_db)
    theirs.user = "Sam Okafor"

    async def run_before(pilot) -> None:
        from test_who_did_what import project_definition

        await settle(pilot)
        pilot.app.open_project("PRJ-102")
        await settle(pilot)
        await pilot.press("e")
        form = await wait_for_screen(pilot, FormScreen)
        theirs.save_project(
            project_definition(theirs, "PRJ-102", owner="Sam Okafor"), original_code="PRJ-102"
        )
        fill(form, owner="Dana [b]Lee[/b]")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConflictScreen)
        await pilot.press("r")
        await wait_until(pilot, lambda: pilot.app.screen is form and not form.saving, "the reload")
        await _steady(pilot)

    try:
        assert snap_compare(make_app(mine), terminal_size=(100, 32), run_before=run_before)
    finally:
        mine.close()
        theirs.close()
