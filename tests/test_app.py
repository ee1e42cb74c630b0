"""Pilot tests: drive the app with the keys a PMO lead uses and check what the screen shows."""

from __future__ import annotations

import pytest
from helpers import TODAY, fill, make_app, palette, screen_text, screenshot, settle, wait_until
from textual.widgets import DataTable

from pmo_tui.portfolio_file import parse_portfolio
from pmo_tui.screens.kpi_detail import KpiDetailScreen
from pmo_tui.screens.portfolio import PortfolioScreen
from pmo_tui.widgets.kpi_tile import KpiTile

SIZE = (120, 40)


async def test_overview_shows_the_sample_portfolio(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "KPIs · 11 active" in text
        assert "Projects on time" in text
        assert "PRJ-101" in text and "ERP upgrade" in text
        assert "OKRs · 2026-Q4" in text
        assert "Increase the PMO" in text
        # Silence is never green: the KPI measured last in August shows as overdue.
        utilisation = next(t for t in app.screen.query(KpiTile) if t.tile.code == "UTIL")
        assert utilisation.tile.overdue
        assert "overdue" in str(utilisation.border_subtitle)


async def test_number_keys_switch_areas(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert app.current_mode == "kpis"
        assert "KPIs · 11 of 11 shown" in screen_text(app)
        await pilot.press("3")
        await settle(pilot)
        assert app.current_mode == "okrs"
        assert "OKRs · 2026-Q4 (current)" in screen_text(app)
        await pilot.press("4")
        await settle(pilot)
        assert app.current_mode == "maturity"
        assert "Maturity · Developing" in screen_text(app)
        await pilot.press("1")
        await pilot.pause()
        assert app.current_mode == "portfolio"
        assert isinstance(app.screen, PortfolioScreen)


async def test_question_mark_toggles_the_keys_panel(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query("HelpPanel")
        assert "Sort" in screen_text(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query("HelpPanel")


async def test_q_quits(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_command_palette_opens_a_project(sample_store) -> None:
    from pmo_tui.screens.project_detail import ProjectDetailScreen

    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")  # from any area
        await palette(pilot, "Mobile app relaunch")
        assert isinstance(app.screen, ProjectDetailScreen)
        assert app.screen.code == "PRJ-104"
        assert "PRJ-104 · Mobile app relaunch" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.current_mode == "kpis" and not isinstance(app.screen, ProjectDetailScreen)


async def test_command_palette_opens_a_kpi(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "KPI: RAID")
        assert isinstance(app.screen, KpiDetailScreen)
        assert "RAID · Overdue RAID actions" in screen_text(app)


async def test_command_palette_starts_the_check_in(sample_store) -> None:
    from pmo_tui.screens.check_in import CheckInScreen

    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "Check in")
        assert isinstance(app.screen, CheckInScreen)
        assert "Check-in · 1 of 8 · 0 saved" in screen_text(app)


async def test_command_palette_jumps_to_an_objective_of_an_earlier_cycle(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "Objective: Q3-O2")
        assert app.current_mode == "okrs"
        assert "OKRs · 2026-Q3 (closed)" in screen_text(app)
        table = app.screen.query_one("#okr-table", DataTable)
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == "Q3-O2"


async def test_enter_on_a_kpi_tile_opens_its_detail_and_escape_returns(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tile = next(t for t in app.screen.query(KpiTile) if t.tile.code == "SAT")
        tile.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, KpiDetailScreen)
        assert app.screen.code == "SAT"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)


async def test_s_sorts_projects_and_shift_s_reverses(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#projects", DataTable)

        def first_row() -> str:
            return table.coordinate_to_cell_key((0, 0)).row_key.value

        assert first_row() == "PRJ-101"  # by code
        await pilot.press("s")  # by name: "AI-assisted demand forecasting" comes first
        await pilot.pause()
        assert first_row() == "PRJ-114"
        await pilot.press("s")  # by schedule health: late projects first
        await pilot.pause()
        assert app.screen.overview is not None
        late = {p.code for p in app.screen.overview.projects if p.schedule.value == "red"}
        assert first_row() in late
        await pilot.press("S")  # reversed: a late project can no longer be first
        await pilot.pause()
        assert first_row() not in late


async def test_first_run_offers_the_sample_and_loads_it(empty_store) -> None:
    app = make_app(empty_store, offer_sample=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "This portfolio is empty" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert not empty_store.is_empty()
        assert "PRJ-101" in screen_text(app)
    codes = {t.code for t in empty_store.search_targets()}
    assert {"PRJ-101", "ONTIME", "Q4-O1"} <= codes


async def test_first_run_sample_lives_on_the_apps_day(empty_store) -> None:
    """Loaded with `y` on a day far from the sample's own, the sample is seen as of that day: its
    dates moved by whole weeks, a current quarter, objectives not all overdue."""
    from datetime import date

    from pmo_tui.calculations import Pace

    day = date(2030, 3, 13)
    app = make_app(empty_store, today=day, offer_sample=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "PRJ-101" in screen_text(app)
    overview = empty_store.overview(day)
    assert overview.cycle is not None and overview.cycle.name == "2026-Q4"
    assert (overview.cycle.start - date(2026, 10, 1)).days % 7 == 0
    assert overview.cycle.start <= day <= overview.cycle.end
    assert [o.pace for o in overview.objectives if o.pace is not Pace.OVERDUE]


async def test_first_run_declined_writes_nothing(empty_store) -> None:
    app = make_app(empty_store, offer_sample=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert "KPIs · none yet" in screen_text(app)
    assert empty_store.is_empty()


HOSTILE = r"""
format = "pmo-tui portfolio"
version = 1

[[goals]]
code = "G[1]"
name = "[link=file:///etc/passwd]G[/]"

[[projects]]
code = "P-[b]1"
name = "[bold]Q4[/] launch"
owner = "[@click=quit]x[/]"
goal = "G[1]"
start = 2026-01-01
planned_finish = 2026-12-31
budget = 1000.0

[[projects.updates]]
on = 2026-11-01
planned_value = 500.0
earned_value = 400.0
actual_cost = 450.0

[[kpis]]
code = "K[/]"
name = "\u001b[31mRed alert"
direction = "higher"
target = 10.0
warning = 5.0
unit = "[%]"

[[kpis.measurements]]
period = 2026-10-31
value = 7.0

[[cycles]]
name = "2026-Q4"
start = 2026-10-01
end = 2026-12-31

[[objectives]]
code = "O[i]1"
title = "مرحبا [b]عالم[/b] — ｗｉｄｅ e\u0301"
cycle = "2026-Q4"
owner = "[/]"
"""


async def test_user_text_is_shown_exactly_as_typed(empty_store) -> None:
    empty_store.import_portfolio(parse_portfolio(HOSTILE))
    app = make_app(empty_store)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "[bold]Q4[/] launch" in text
        assert "[@click=quit]x[/]" in text
        assert "[link=file:///etc/passwd]G[/]" in text
        assert "P-[b]1" in text
        # The escape character is drawn as a visible symbol, never sent to the terminal.
        assert "␛[31mRed alert" in text
        assert "\x1b[31m" not in text
        assert "[%]" in text
        assert "مرحبا [b]عالم[/b]" in text
        # Clicking around the hostile cells runs no action hidden in them.
        await pilot.click("#projects", offset=(30, 1))
        await pilot.press("enter", "s", "S")
        await settle(pilot)
        assert app.is_running


async def _save_form(pilot) -> None:
    form = pilot.app.screen
    await pilot.press("ctrl+s")
    # The save is a worker settle() does not wait for (it may ask a question), and an import or a
    # write runs in a thread beside the event loop: wait until it has answered, unless it put a
    # question (or a progress bar) on top of the form.
    await wait_until(
        pilot,
        lambda: (
            pilot.app.screen is not form
            or not any(worker.group == "form-save" and not worker.is_finished for worker in pilot.app.workers)
        ),
        "the save to answer",
    )
    await settle(pilot)
    await pilot.pause()


async def test_palette_imports_a_csv_and_refuses_a_bad_one(sample_store, tmp_path, monkeypatch) -> None:
    from pmo_tui.screens.dialogs import FormScreen

    # The files are named as a user in their folder types them: the message beside the field then
    # fits on one line, however long the test's folder is (it wraps, and breaks the text, under -n).
    monkeypatch.chdir(tmp_path)

    good = tmp_path / "october.csv"
    good.write_text("kpi,period,value,note\nONTIME,2026-11-03,74.5,from the [b]sheet[/b]\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("kpi,period,value\nONTIME,2026-11-03,lots\n")
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "Import a file")
        form = app.screen
        assert isinstance(form, FormScreen)
        before = sample_store.export_portfolio()
        form.query_one("#field-file").value = bad.name
        await _save_form(pilot)
        assert app.screen is form  # still open, with the reason beside the field
        assert "bad.csv:2: value: “lots” is not a number" in screen_text(app)
        assert sample_store.export_portfolio() == before
        form.query_one("#field-file").value = good.name
        await _save_form(pilot)
        assert not isinstance(app.screen, FormScreen)
    measurement = sample_store.kpi_detail("ONTIME", TODAY).measurements[-1]
    assert (measurement.period.isoformat(), measurement.value, measurement.note) == (
        "2026-11-30",
        74.5,
        "from the [b]sheet[/b]",
    )


async def test_palette_imports_a_toml_file_that_updates_a_project(sample_store, tmp_path) -> None:
    from pmo_tui.screens.dialogs import FormScreen

    header = 'format = "pmo-tui portfolio"\nversion = 1\n[[projects]]\ncode = "PRJ-101"\n'
    good = tmp_path / "budget.toml"
    good.write_text(header + "budget = 4100000\n", encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(header + 'goal = "G9"\n', encoding="utf-8")
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "Import a file")
        form = app.screen
        before = sample_store.export_portfolio()
        form.query_one("#field-file").value = str(bad)
        await _save_form(pilot)
        assert app.screen is form
        shown = screen_text(app)  # the message wraps beside the field
        assert "projects[0].goal: no goal" in shown and "'G9'" in shown
        assert sample_store.export_portfolio() == before
        form.query_one("#field-file").value = str(good)
        await _save_form(pilot)
        assert not isinstance(app.screen, FormScreen)
        assert any("updated 1 project" in n.message for n in app._notifications)
    [project] = [p for p in sample_store.export_portfolio()["projects"] if p["code"] == "PRJ-101"]
    assert project["budget"] == 4_100_000


@pytest.mark.slow
async def test_palette_exports_and_writes_the_report(sample_store, tmp_path) -> None:
    import stat

    from pmo_tui.portfolio_file import dump_portfolio
    from pmo_tui.report import build_report
    from pmo_tui.report_html import report_html

    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "Export the portfolio")
        app.screen.query_one("#field-file").value = str(tmp_path / "out.toml")
        await _save_form(pilot)
        await palette(pilot, "Write the executive report")
        app.screen.query_one("#field-file").value = str(tmp_path / "report.md")
        app.screen.query_one("#field-cycle").value = "2030-Q1"
        await _save_form(pilot)
        assert "no cycle named “2030-Q1”" in screen_text(app)
        app.screen.query_one("#field-cycle").value = ""
        await _save_form(pilot)
        await palette(pilot, "Write the executive report")
        fill(app.screen, file=str(tmp_path / "board.html"), format="html")
        await _save_form(pilot)
    board = tmp_path / "board.html"
    assert board.read_text(encoding="utf-8") == report_html(build_report(sample_store, app.today))
    assert stat.S_IMODE(board.stat().st_mode) == 0o600
    exported = tmp_path / "out.toml"
    assert exported.read_text() == dump_portfolio(sample_store.export_portfolio())
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600
    assert (tmp_path / "report.md").read_text().startswith("# PMO report, 20 November 2026")


async def test_a_screen_under_an_opaque_one_is_not_painted_and_comes_back_right(sample_store) -> None:
    # Textual repainted the top screen for every change under it; under an opaque screen
    # nothing shows, so nothing is painted until the screen under it is on top again.
    from pmo_tui.screens.dialogs import FormScreen
    from pmo_tui.screens.kpis import KpiListScreen

    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        kpi_list = app.screen
        assert isinstance(kpi_list, KpiListScreen)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, KpiDetailScreen)
        assert app._background_screens == [] and not kpi_list.is_current
        # A form lets the detail show through around it: the detail is still painted.
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert app._background_screens == [detail] and detail.is_current
        await pilot.press("escape")
        await settle(pilot)
        # Changed while covered: the terminal's size and the theme.
        await pilot.resize_terminal(100, 30)
        app.theme = "textual-light"
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is kpi_list
        shown = screen_text(app)
        table = kpi_list.query_one("#kpi-table", DataTable)
        assert kpi_list.size == (100, 30) and table.region.right <= 100
        light_rows = table.rich_style

    fresh = make_app(sample_store)
    async with fresh.run_test(size=(100, 30)) as pilot:
        fresh.theme = "textual-light"
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert screen_text(fresh) == shown, "the same as a list opened at that size and theme"
        assert fresh.screen.query_one("#kpi-table", DataTable).rich_style == light_rows


async def test_areas_open_without_parsing_the_stylesheet_again_and_follow_a_theme_chosen_before(
    sample_store,
    monkeypatch,
) -> None:
    # Textual re-parsed every stylesheet when an area's first screen was created (about 25 ms
    # at start-up and at each area's first visit); a new screen is styled as it mounts.
    from textual.css.stylesheet import Stylesheet

    reparsed = []
    original = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse", lambda self: (reparsed.append(1), original(self)))
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in "234":
            await pilot.press(key)
            await settle(pilot)
        assert reparsed == [], "start-up and the first visit to each area parse nothing again"
        await pilot.press("1")
        await settle(pilot)
        app.theme = "textual-light"
        await settle(pilot)
        assert reparsed, "a theme change still reaches the stylesheet"

    # An area visited for the first time after the theme changed looks as it does in an app
    # started with that theme.
    shots = []
    for switch_first in (True, False):
        app = make_app(sample_store)
        async with app.run_test(size=SIZE) as pilot:
            if not switch_first:
                app.theme = "textual-light"
            await settle(pilot)
            if switch_first:
                app.theme = "textual-light"
                await settle(pilot)
            await pilot.press("3")
            await settle(pilot)
            shots.append(screenshot(app))
    assert shots[0] == shots[1]
