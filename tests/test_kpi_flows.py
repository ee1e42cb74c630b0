"""Keyboard flows of the KPI area, asserting what was saved in the database (or that nothing was)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from helpers import (
    TODAY,
    fill,
    make_app,
    screen_text,
    screenshot,
    settle,
    type_text,
    wait_for_screen,
    wait_until,
)
from textual.widgets import DataTable

from pmo_tui.screens.dialogs import ConfirmScreen, FormScreen, TextScreen
from pmo_tui.screens.kpi_detail import KpiDetailScreen
from pmo_tui.validation import KpiDefinition

SIZE = (120, 40)


def measurement_rows(path) -> list[tuple]:
    """The whole measurement table, to prove that a refused entry changed nothing."""
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT kpi_id, period, value, note FROM measurement ORDER BY kpi_id, period"
        ).fetchall()


def value_of(store, code: str, period: date):
    detail = store.kpi_detail(code, TODAY)
    return next(((m.value, m.note) for m in detail.measurements if m.period == period), None)


async def open_detail(pilot, code: str) -> KpiDetailScreen:
    await settle(pilot)
    pilot.app.open_kpi(code)
    await settle(pilot)
    assert isinstance(pilot.app.screen, KpiDetailScreen)
    return pilot.app.screen


async def clear_and_type(pilot, text: str) -> None:
    await pilot.press("home", "ctrl+k")
    await type_text(pilot, text)


async def test_add_a_measurement_from_the_keyboard(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, "ONTIME")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        # The period defaults to the end of this month; typing starts in the value field.
        # The measurement form's key-by-key test: every key through pilot.press.
        await pilot.press(*"81.5", "enter", *"[b]re-plan[/b] done", "enter")
        await settle(pilot)
        assert isinstance(app.screen, KpiDetailScreen)
        assert "81.5%" in screen_text(app)
    assert value_of(sample_store, "ONTIME", date(2026, 11, 30)) == (81.5, "[b]re-plan[/b] done")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "enter a number"),
        ("abc", "is not a number"),
        ("nan", "finite"),
        ("inf", "finite"),
        ("1e999", "finite"),
        ("1,5", "use a point for decimals"),
    ],
    ids=["empty", "text", "nan", "infinity", "overflow", "decimal-comma"],
)
async def test_a_bad_value_is_refused_and_nothing_changes(sample_store, sample_db, typed, message) -> None:
    before = measurement_rows(sample_db)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, "ONTIME")
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, typed)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen), "the form stays open with what was typed"
        assert message in screen_text(app)
        assert app.screen.values()["value"] == typed
    assert measurement_rows(sample_db) == before


async def test_a_date_that_does_not_exist_is_refused(sample_store, sample_db) -> None:
    before = measurement_rows(sample_db)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, "ONTIME")
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "80")
        await pilot.press("shift+tab")
        await clear_and_type(pilot, "2026-02-30")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "2026-02-30 does not exist" in screen_text(app)
    assert measurement_rows(sample_db) == before


async def test_a_second_value_for_a_period_is_replaced_only_when_confirmed(sample_store, sample_db) -> None:
    october = date(2026, 10, 31)
    original = value_of(sample_store, "ONTIME", october)
    before = measurement_rows(sample_db)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, "ONTIME")
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "50")
        await pilot.press("shift+tab")
        await clear_and_type(pilot, "2026-10-31")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert f"already has {original[0]:.2f} for 2026-10-31" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "nothing was changed" in screen_text(app)
        assert measurement_rows(sample_db) == before
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, KpiDetailScreen)
    assert original is not None
    assert value_of(sample_store, "ONTIME", october) == (50.0, "")


async def test_correct_a_past_measurement(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, "SAT")
        table = screen.query_one("#measurements", DataTable)
        table.move_cursor(row=table.get_row_index("2026-06-30"))
        await pilot.press("enter")  # the measurement whole; e corrects it
        await wait_for_screen(pilot, TextScreen)
        await pilot.press("e")
        await wait_for_screen(pilot, FormScreen)
        # Typing starts in the first empty field, the note; the value is just above it.
        await type_text(pilot, "survey re-weighted")
        await pilot.press("shift+tab")
        await clear_and_type(pilot, "77")
        await pilot.press("tab")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, KpiDetailScreen)
    assert value_of(sample_store, "SAT", date(2026, 6, 30)) == (77.0, "survey re-weighted")


@pytest.mark.parametrize("answer", ["y", "n"])
async def test_delete_a_measurement_asks_first(sample_store, answer) -> None:
    september = date(2026, 9, 30)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, "ROI")
        table = screen.query_one("#measurements", DataTable)
        table.move_cursor(row=table.get_row_index(september.isoformat()))
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press(answer)
        await settle(pilot)
    remaining = value_of(sample_store, "ROI", september)
    assert (remaining is None) == (answer == "y")


async def test_mark_reviewed_and_retire_then_restore(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, "UTIL")
        await pilot.press("v")
        await settle(pilot)
        assert sample_store.kpi_detail("UTIL", TODAY).last_reviewed == TODAY
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "UTIL" not in {k.code for k in sample_store.kpi_summaries(TODAY)}
        assert "UTIL" not in {k.code for k in sample_store.overview(TODAY).kpis}
        # Its history stays.
        assert len(sample_store.kpi_detail("UTIL", TODAY).measurements) == 18
        await pilot.press("x")  # bringing it back needs no question
        await settle(pilot)
    assert "UTIL" in {k.code for k in sample_store.kpi_summaries(TODAY)}


async def test_record_a_derived_kpi_for_this_period(sample_store) -> None:
    expected = sample_store.kpi_detail("ONTIME", TODAY).derived_value
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, "ONTIME")
        assert "Today from project data" in screen_text(app)
        await pilot.press("R")
        await settle(pilot)
    assert value_of(sample_store, "ONTIME", date(2026, 11, 30)) == (
        pytest.approx(expected),
        "recorded from project data",
    )


@pytest.mark.slow
async def test_create_a_kpi_from_the_list(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        # The KPI form's key-by-key test: every key through pilot.press.
        await pilot.press(*"BENEFIT", "enter", *"Benefits realised", "enter")
        await pilot.press(*"Realised benefit of closed projects over their business case", "enter")
        await pilot.press(*"%", "enter")
        await pilot.press("tab")  # direction: higher is the default
        await pilot.press(*"90", "enter", *"75", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, KpiDetailScreen)
        assert app.screen.code == "BENEFIT"
    created = sample_store.kpi_detail("BENEFIT", TODAY)
    assert created.summary.name == "Benefits realised"
    assert (created.summary.target, created.summary.warning) == (90.0, 75.0)
    assert created.summary.direction == "higher"
    assert created.measurements == ()


@pytest.mark.slow
async def test_a_duplicate_kpi_code_is_refused_beside_the_field(sample_store) -> None:
    before = {k.code for k in sample_store.kpi_summaries(TODAY, include_retired=True)}
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "ONTIME")
        await pilot.press("enter")
        await type_text(pilot, "Another on-time KPI")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "ONTIME is already used by" in screen_text(app)
    assert {k.code for k in sample_store.kpi_summaries(TODAY, include_retired=True)} == before
    assert sample_store.kpi_detail("ONTIME", TODAY).summary.name == "Projects on time"


async def test_edit_a_kpi_target(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, "RISKS")
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-target").focus()
        await clear_and_type(pilot, "25")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, KpiDetailScreen)
    assert sample_store.kpi_detail("RISKS", TODAY).summary.target == 25.0


async def test_filter_the_list_by_status_from_the_keyboard(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("f", "tab")  # the status filter
        await pilot.press("enter", "down", "down", "down", "enter")  # "off target"
        await settle(pilot)
        table = app.screen.query_one("#kpi-table", DataTable)
        shown = {table.coordinate_to_cell_key((row, 0)).row_key.value for row in range(table.row_count)}
        assert shown == {"CRPP", "PIPE"}
        assert "2 of 11 shown" in screen_text(app)


async def test_retired_kpis_are_shown_on_request(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one("#kpi-table", DataTable)
        assert "RPTOT" not in table.rows
        await pilot.press("x")
        await settle(pilot)
        assert "RPTOT" in table.rows
        assert "retired" in screen_text(app)


# ---------------------------------------------------------------- one detail screen per area, reused


def measurement_keys(screen: KpiDetailScreen) -> list[str]:
    table = screen.query_one("#measurements", DataTable)
    return [row.key.value for row in table.ordered_rows]


def expected_keys(store, code: str) -> list[str]:
    return [m.period.isoformat() for m in reversed(store.kpi_detail(code, TODAY).measurements)]


async def test_a_second_kpi_opens_in_the_same_screen_as_if_new(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(80, 24)) as pilot:
        first = await open_detail(pilot, "ONTIME")
        # Leave it as a user would: cursor moved down, definition shown in place of the chart.
        await pilot.press("down", "down", "d")
        assert first.has_class("-show-definition")
        await pilot.press("escape")
        await settle(pilot)
        second = await open_detail(pilot, "BUDGET")
        assert second is first, "the area's detail screen is shown again, not built anew"
        assert second.code == "BUDGET" and second.detail.summary.code == "BUDGET"
        assert measurement_keys(second) == expected_keys(sample_store, "BUDGET")
        table = second.query_one("#measurements", DataTable)
        assert table.cursor_row == 0 and table.has_focus
        assert not second.has_class("-show-definition")
        text = screen_text(app)
        assert "BUDGET" in text and "ONTIME" not in text


async def test_a_reused_detail_shows_what_was_saved_since(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, "ONTIME")
        await pilot.press("escape")
        await settle(pilot)
        sample_store.add_measurement("ONTIME", date(2026, 11, 30), 77.7, "added elsewhere")
        screen = await open_detail(pilot, "ONTIME")
        assert screen.shown_version == sample_store.data_version()
        assert "77.7%" in screen_text(app)
        assert measurement_keys(screen)[0] == "2026-11-30"


async def test_each_area_keeps_its_own_detail_screen(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        from_overview = await open_detail(pilot, "ONTIME")
        await pilot.press("2")
        await settle(pilot)
        from_list = await open_detail(pilot, "BUDGET")
        assert from_list is not from_overview
        await pilot.press("1")
        await settle(pilot)
        # The overview's stack still has its own detail, showing the KPI it showed.
        assert app.screen is from_overview and from_overview.code == "ONTIME"
        assert "ONTIME" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert app.screen is from_list and from_list.code == "BUDGET"


async def test_jumping_to_another_kpi_from_a_detail_shows_it_in_place(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, "ONTIME")
        depth = len(app.screen_stack)
        app.jump_to("kpi", "BUDGET")
        await settle(pilot)
        assert app.screen is screen and len(app.screen_stack) == depth
        assert measurement_keys(screen) == expected_keys(sample_store, "BUDGET")
        await pilot.press("escape")
        await settle(pilot)
        assert len(app.screen_stack) == depth - 1, "Esc goes back to the area, not to ONTIME"


async def test_a_slow_read_shows_loading_not_the_previous_kpi(sample_store, monkeypatch) -> None:
    import threading

    from pmo_tui.store import Store

    app = make_app(sample_store)
    release = threading.Event()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, "ONTIME")
        await pilot.press("escape")
        await settle(pilot)
        original = Store.kpi_detail

        def slow_kpi_detail(store, code, today):
            release.wait(5)
            return original(store, code, today)

        monkeypatch.setattr(Store, "kpi_detail", slow_kpi_detail)
        app.open_kpi("BUDGET")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, KpiDetailScreen) and screen.detail is None
        text = screen_text(app)
        assert "BUDGET · loading…" in text and "ONTIME" not in text
        assert measurement_keys(screen) == []
        release.set()
        await settle(pilot)
        assert screen.detail.summary.code == "BUDGET"
        assert measurement_keys(screen) == expected_keys(sample_store, "BUDGET")


async def test_a_late_read_for_the_previous_kpi_is_dropped(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, "ONTIME")
        await pilot.press("escape")
        await settle(pilot)
        await open_detail(pilot, "BUDGET")
        # What a read still under way for ONTIME would post after BUDGET was asked for.
        late = sample_store.kpi_detail("ONTIME", TODAY)
        screen.post_message(KpiDetailScreen.Loaded(late, (), sample_store.data_version(), "ONTIME"))
        await settle(pilot)
        assert screen.detail.summary.code == "BUDGET"
        assert measurement_keys(screen) == expected_keys(sample_store, "BUDGET")


async def test_an_action_finishing_after_another_kpi_is_opened_names_its_own_kpi(
    sample_store, monkeypatch
) -> None:
    import threading

    from pmo_tui.store import Store

    original = Store.mark_kpi_reviewed
    release = threading.Event()

    def slow_mark_reviewed(store, code, today):
        release.wait(5)
        return original(store, code, today)

    monkeypatch.setattr(Store, "mark_kpi_reviewed", slow_mark_reviewed)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, "ONTIME")
        await pilot.press("v")  # the write waits in its thread
        await pilot.press("escape")
        await pilot.pause()
        app.open_kpi("BUDGET")
        await pilot.pause()
        release.set()
        await settle(pilot)
        messages = [notification.message for notification in app._notifications]
        assert any(m.startswith("ONTIME marked as reviewed") for m in messages), messages
        assert not any(m.startswith("BUDGET marked") for m in messages), messages
    detail = sample_store.kpi_detail("ONTIME", TODAY)
    assert detail.last_reviewed == TODAY
    assert sample_store.kpi_detail("BUDGET", TODAY).last_reviewed != TODAY


async def test_the_kpi_list_reads_once_on_its_first_visit_and_again_after_a_failed_read(
    sample_store, monkeypatch
) -> None:
    from pmo_tui.screens.kpis import KpiListScreen
    from pmo_tui.store import Store

    original = Store.kpi_summaries
    calls: list[int] = []

    def flaky_summaries(store, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database is locked")
        return original(store, *args, **kwargs)

    monkeypatch.setattr(Store, "kpi_summaries", flaky_summaries)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, KpiListScreen)
        assert len(calls) == 1, "one read for the first visit"
        assert screen.query_one("#kpi-table", DataTable).row_count == 0
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert len(calls) == 2, "the failed read is tried again on the next visit"
        assert screen.query_one("#kpi-table", DataTable).row_count > 0


async def test_showing_the_next_kpi_lays_the_screen_out_once_and_fits_its_definition(
    sample_store,
) -> None:
    # A definition panel that changed height used to have the whole screen laid out a second
    # time, a frame later, for the same sizes (see widgets/laid_out_text.py).
    from pmo_tui.widgets.laid_out_text import LaidOutText

    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, "ONTIME")
        heights = {}
        for code in ("UTIL", "ROI", "ONTIME"):
            await pilot.press("escape")
            await settle(pilot)
            layouts = []
            original = screen._refresh_layout

            def counted(*args, layouts=layouts, original=original, **kwargs):
                layouts.append(app.screen)
                return original(*args, **kwargs)

            screen._refresh_layout = counted
            try:
                await open_detail(pilot, code)
            finally:
                del screen._refresh_layout
            assert layouts == [screen], f"{code}: one layout, not {len(layouts)}"
            for panel in screen.query(LaidOutText):
                lines = panel.visual.get_height(panel.styles, panel.size.width)
                assert panel.size.height == lines, f"{code} #{panel.id} fits its text"
            heights[code] = screen.query_one("#kpi-definition").size.height
        assert len(set(heights.values())) > 1, "the KPIs chosen have definitions of other heights"


@pytest.mark.slow
async def test_a_reused_detail_is_not_styled_again_unless_the_styles_changed(
    sample_store, monkeypatch
) -> None:
    # Textual styles every node of a screen pushed again: 5 ms, and a repaint of every scroll
    # bar a frame later. The detail skips it when the app's styles are what they were.
    restyled = []
    original = KpiDetailScreen.update_node_styles
    monkeypatch.setattr(
        KpiDetailScreen,
        "update_node_styles",
        lambda self, animate=True: (restyled.append(self.code), original(self, animate)),
    )
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, KpiDetailScreen)
        await pilot.press("escape", "down", "enter")
        await settle(pilot)
        assert app.screen is detail and restyled.count(detail.code) == 0
        # Off the stack, the terminal shrinks and the theme changes: shown again, it is styled
        # and laid out anew, as a detail opened fresh in that size and theme.
        await pilot.press("escape")
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        app.theme = "textual-light"
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is detail and restyled
        assert detail.has_class("-narrow")
        reused = screenshot(app)
        code = detail.code

    fresh = make_app(sample_store)
    async with fresh.run_test(size=(80, 24)) as pilot:
        fresh.theme = "textual-light"
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert fresh.screen.code == code
        assert screenshot(fresh) == reused


async def test_a_kpi_with_one_measurement_charts_a_period_around_it(sample_store) -> None:
    sample_store.save_kpi(
        KpiDefinition(
            code="LEAD",
            name="Lead time",
            description="",
            unit="days",
            direction="lower",
            target=10.0,
            warning=None,
            indicator="leading",
            nature="quantitative",
            owner="Ben Okri",
            cadence="monthly",
            goal=None,
            source="entered",
        ),
        today=TODAY,
    )
    sample_store.add_measurement("LEAD", date(2026, 11, 6), 23.0, today=TODAY)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, "LEAD")
        shown = screen_text(app)
    assert "2026-11-30" in shown and "1963" not in shown and "2090" not in shown
    assert "2026-10-" in shown and "2026-12-" in shown, "a month either side of the one value"


async def test_the_kpi_form_edits_a_band_and_refuses_one_upside_down(sample_store, sample_db) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, "UTIL")
        await pilot.press("e")
        form = await wait_for_screen(pilot, FormScreen)
        assert (form.values()["band_low"], form.values()["band_high"], form.values()["target"]) == (
            "75",
            "85",
            "",
        )
        before = measurement_rows(sample_db)
        fill(form, band_high="70")
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: "above the lower bound" in str(form.query_one("#error-band_high").visual)
        )
        assert sample_store.kpi_detail("UTIL", TODAY).summary.band == (75.0, 85.0), "nothing saved"
        fill(form, band_high="90")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, KpiDetailScreen)
        await settle(pilot)
    assert sample_store.kpi_detail("UTIL", TODAY).summary.band == (75.0, 90.0)
    assert measurement_rows(sample_db) == before
