"""Keyboard flows of the project detail, the project forms and the strategic goals, asserting what was saved."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import discard, fill, make_app, screen_text, settle, wait_for_screen, wait_until
from textual.widgets import DataTable

from pmo_tui.formatting import format_index
from pmo_tui.screens.dialogs import FormScreen, TextScreen

SIZE = (100, 32)


async def _open_project(pilot, code: str) -> None:
    from pmo_tui.screens.project_detail import ProjectDetailScreen

    await settle(pilot)
    pilot.app.open_project(code)
    await settle(pilot)
    assert isinstance(pilot.app.screen, ProjectDetailScreen)


async def _type(pilot, text: str) -> None:
    """Key by key (these are the forms' typing tests), in one pilot.press."""
    await pilot.press(*text)


async def _save(pilot) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)
    await pilot.pause()
    await settle(pilot)


async def test_enter_on_a_project_in_the_overview_opens_its_detail(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#projects", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("PRJ-104"))
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(app)
        assert "PRJ-104 · Mobile app relaunch" in shown
        detail = sample_store.project_detail("PRJ-104")
        assert f"{detail.row.days_late} days" in shown and "Status updates · " in shown


@pytest.mark.slow
async def test_a_status_update_typed_over_the_latest_figures_is_saved(sample_store) -> None:
    before = sample_store.project_detail("PRJ-101")
    figures_before = sample_store.overview(date(2026, 11, 20)).figures
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open_project(pilot, "PRJ-101")
        await pilot.press("u")
        await settle(pilot)
        # Date, forecast and planned value stay; earned value and actual cost are typed over.
        for _ in range(3):
            await pilot.press("enter")
        await _type(pilot, "3100000")
        await pilot.press("enter")
        await _type(pilot, "3500000")
        for _ in range(4):
            await pilot.press("enter")
        await _type(pilot, "[b]rehearsal[/b] passed")
        await _save(pilot)
        assert "0.90 · 0.89" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        # Back on the overview, its heading shows the portfolio SPI and CPI of the new figures.
        figures = sample_store.overview(date(2026, 11, 20)).figures
        shown = screen_text(app)
        assert f"SPI {format_index(figures.spi)}" in shown and f"CPI {format_index(figures.cpi)}" in shown
        assert format_index(figures.spi) != format_index(figures_before.spi)
    after = sample_store.project_detail("PRJ-101")
    latest = after.latest
    assert len(after.updates) == len(before.updates) + 1
    assert (latest.on, latest.earned_value, latest.actual_cost, latest.comment) == (
        date(2026, 11, 20),
        3_100_000,
        3_500_000,
        "[b]rehearsal[/b] passed",
    )
    assert (latest.planned_value, latest.forecast_finish, latest.open_risks) == (
        before.latest.planned_value,
        before.latest.forecast_finish,
        before.latest.open_risks,
    )
    figures_after = sample_store.overview(date(2026, 11, 20)).figures
    pv_delta = 0.0
    ev_delta = 3_100_000 - before.latest.earned_value
    # ΣEV/ΣPV moves by exactly this project's change in EV.
    old_ev_total = figures_before.spi * _total_pv(sample_store)
    assert figures_after.spi * (_total_pv(sample_store) + pv_delta) == __import__("pytest").approx(
        old_ev_total + ev_delta
    )


def _total_pv(store) -> float:
    total = 0.0
    for project in store.export_portfolio()["projects"]:
        if project["status"] in ("active", "on_hold", "done") and project["updates"]:
            total += max(project["updates"], key=lambda u: u["on"])["planned_value"]
    return total


async def test_a_refused_update_changes_nothing_and_says_why(sample_store) -> None:
    before = sample_store.export_portfolio()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open_project(pilot, "PRJ-101")
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("enter", "enter", "enter")
        await _type(pilot, "-5")
        await _save(pilot)
        assert "must be at least 0" in screen_text(app)
        await discard(pilot)
        await settle(pilot)
    assert sample_store.export_portfolio() == before


async def test_enter_corrects_and_delete_removes_a_past_update(sample_store) -> None:
    before = sample_store.project_detail("PRJ-101")
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open_project(pilot, "PRJ-101")
        await pilot.press("enter")  # the newest update, at the top, whole; e corrects it
        await wait_for_screen(pilot, TextScreen)
        await pilot.press("e")
        await wait_for_screen(pilot, FormScreen)
        await settle(pilot)
        form = app.screen
        form.query_one("#field-comment").value = "corrected"
        await _save(pilot)
        assert sample_store.project_detail("PRJ-101").latest.comment == "corrected"
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        await pilot.pause()
    after = sample_store.project_detail("PRJ-101")
    assert after.updates == before.updates[:-1]


async def test_a_new_project_from_the_overview(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.pause()
        form = app.screen
        for name, value in (
            ("code", "PRJ-200"),
            ("name", "Data warehouse [v2]"),
            ("owner", "Ines"),
            ("planned_finish", "2026-10-01"),
            ("budget", "1,250,000"),
        ):
            form.query_one(f"#field-{name}").value = value
        await _save(pilot)
        assert app.screen is form and "is before the start" in screen_text(app)
        assert "PRJ-200" not in sample_store.project_codes()
        form.query_one("#field-planned_finish").value = "2027-06-30"
        await _save(pilot)
        assert "PRJ-200 · Data warehouse [v2]" in screen_text(app)  # its detail opens
    detail = sample_store.project_detail("PRJ-200")
    assert (detail.row.name, detail.row.owner, detail.budget, detail.start, detail.planned_finish) == (
        "Data warehouse [v2]",
        "Ines",
        1_250_000,
        date(2026, 11, 20),
        date(2027, 6, 30),
    )


async def test_editing_and_closing_a_project(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open_project(pilot, "PRJ-102")
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#field-code").value = "PRJ-101"
        await _save(pilot)
        assert "already the code of another project" in screen_text(app)
        app.screen.query_one("#field-code").value = "CRM-1"
        app.screen.query_one("#field-budget").value = "2000000"
        await _save(pilot)
        await pilot.press("x")
        await settle(pilot)
        fill(app.screen, actual_finish="2026-11-19", realised_benefit="2100000", descoped="no")
        await _save(pilot)
        assert "done" in screen_text(app)
    detail = sample_store.project_detail("CRM-1")
    assert (detail.budget, detail.row.status, detail.actual_finish) == (2_000_000, "done", date(2026, 11, 19))
    assert (detail.realised_benefit, detail.earned_value) == (2_100_000, 2_000_000)


async def test_closing_a_project_short_of_its_budget_asks_for_the_benefit_and_if_it_was_descoped(
    sample_store,
) -> None:
    from pmo_tui.screens.dialogs import FormScreen
    from pmo_tui.screens.project_detail import ProjectDetailScreen

    before = sample_store.export_portfolio()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open_project(pilot, "PRJ-104")
        await pilot.press("x")
        form = await wait_for_screen(pilot, FormScreen)
        assert form.values() == {
            "status": "done",
            "actual_finish": "2026-11-20",
            "realised_benefit": "",
            "actual_cost": "1050200",
            "descoped": "",
        }
        assert "Earned value 882,200 is 74% of the budget 1,200,000" in screen_text(app)
        # The benefit is typed where the form begins; the question must be answered.
        await _type(pilot, "1300000")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "say whether it was descoped" in screen_text(app), "the message")
        assert sample_store.export_portfolio() == before
        fill(form, descoped="yes", actual_cost="1100000")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ProjectDetailScreen)
        await settle(pilot)
    detail = sample_store.project_detail("PRJ-104")
    assert (detail.row.status, detail.actual_finish, detail.budget, detail.realised_benefit) == (
        "done",
        date(2026, 11, 20),
        882_200,
        1_300_000,
    )
    last = detail.latest
    assert last is not None
    assert (last.on, last.planned_value, last.earned_value, last.actual_cost) == (
        date(2026, 11, 20),
        882_200,
        882_200,
        1_100_000,
    )


async def test_delete_on_the_overview_removes_a_project_after_a_question(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#projects", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("PRJ-108"))
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("n")  # "Keep"
        await settle(pilot)
        assert "PRJ-108" in sample_store.project_codes()
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert "PRJ-108" not in table.rows
    assert "PRJ-108" not in sample_store.project_codes()


async def test_the_goals_view_creates_edits_and_retires_a_goal(sample_store) -> None:
    from pmo_tui.screens.goals import GoalsScreen

    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, GoalsScreen)
        assert "aligned to no goal" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        await _type(pilot, "G5")
        await pilot.press("enter")
        await _type(pilot, "Grow [partner] sales")
        await _save(pilot)
        assert "Grow [partner] sales" in screen_text(app)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#field-owner").value = "Lee Chan"
        await _save(pilot)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        await pilot.pause()
        assert "G5 · Grow [partner] sales  retired" in screen_text(app)  # the panel beside the table
    goal = next(g for g in sample_store.goals_view().goals if g.code == "G5")
    assert (goal.name, goal.owner, goal.active) == ("Grow [partner] sales", "Lee Chan", False)
