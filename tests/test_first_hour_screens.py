"""The first hour (issue 21): the overview fits 80×24, footers and tiles never cut what matters,
forms start on their first field and ask before throwing changes away, and a question belongs
to the screen that asked it."""

from __future__ import annotations

from helpers import TODAY, make_app, settle, type_text, wait_for_screen, wait_until
from textual import events
from textual.widgets import Input

from pmo_tui.screens.dialogs import ConfirmScreen, FormScreen
from pmo_tui.screens.goals import GoalsScreen
from pmo_tui.screens.kpi_detail import KpiDetailScreen
from pmo_tui.screens.project_detail import ProjectDetailScreen
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.kpi_tile import KpiTile

SMALL = (80, 24)
LARGE = (120, 40)


def _confirms(app) -> list[ConfirmScreen]:
    """Every question on any area's stack."""
    found = []
    for mode in ("portfolio", "kpis", "okrs", "maturity"):
        try:
            stack = app.get_screen_stack(mode)
        except KeyError:  # an area not visited yet
            continue
        found += [screen for screen in stack if isinstance(screen, ConfirmScreen)]
    return found


def _active_codes(store) -> set[str]:
    return {k.code for k in store.kpi_summaries(TODAY)}


# ------------------------------------------------------------------ the overview at 80×24


async def test_the_overview_at_80x24_shows_8_projects_the_objectives_and_every_kpi(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        screen = app.screen
        projects = screen.query_one("#projects")
        # The table's header and at least 8 project rows are on screen.
        assert projects.scrollable_content_region.height >= 9
        objectives = screen.query_one("#objectives")
        assert objectives.scrollable_content_region.height >= 1 + 3  # header and the 3 objectives
        tiles = list(screen.query(KpiTile))
        assert len(tiles) == 11
        grid = screen.query_one("#kpi-grid").region
        for tile in tiles:
            # Each KPI is one line inside the grid: its status, name, value and target.
            assert tile.region.height == 1 and grid.contains_region(tile.region), tile.tile.code
            line = tile.compact_line(tile.content_size.width).plain
            assert line.split(" ", 1)[0] in {"●", "▲", "■", "⧗", "○", "?"}, line
        crpp = next(t for t in tiles if t.tile.code == "CRPP")
        assert crpp.query_one(".kpi-compact").visual is not None


async def test_a_large_terminal_keeps_the_tiles(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        tiles = list(app.screen.query(KpiTile))
        assert tiles and all(tile.region.height == 4 for tile in tiles)


async def test_a_narrow_tile_keeps_its_target_and_drops_the_word_first(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")  # the keys panel narrows the tiles
        await settle(pilot)
        for tile in app.screen.query(KpiTile):
            shown = tile.value_line(tile.content_size.width).plain
            assert len(shown) <= tile.content_size.width
            assert not shown.rstrip().endswith("target"), shown
        ontime = next(t for t in app.screen.query(KpiTile) if t.tile.code == "ONTIME")
        assert ontime.value_line(11).plain == "76.9% ↓ 80%"
        assert ontime.value_line(14).plain == "76.9% ↓ vs 80%"
        assert ontime.value_line(40).plain == "76.9% ↓  target 80%"


# ------------------------------------------------------------------ the footer


async def test_a_footer_key_is_never_cut_and_question_mark_stays(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for key in ("", "2", "3", "4"):
            if key:
                await pilot.press(key)
                await settle(pilot)
            footer = app.screen.query_one(KeyFooter)
            line = footer.render().plain
            assert len(line) == SMALL[0]
            assert "? Keys" in line, line
            # Every key drawn is whole: its description as the binding says it.
            left = line[: line.index(" ? Keys")]
            drawn = [(k, d) for k, shown, d, _ in footer.keys if f" {shown} {d} " in left + " "]
            words = " ".join(f"{shown} {d}" for k, shown, d, _ in footer.keys if (k, d) in drawn)
            assert left.split() == words.split(), (left, words)


# ------------------------------------------------------------------ forms


async def _edit_project(pilot) -> FormScreen:
    pilot.app.open_project("PRJ-101")
    await wait_for_screen(pilot, ProjectDetailScreen)
    await settle(pilot)
    await pilot.press("e")
    return await wait_for_screen(pilot, FormScreen)


async def test_an_edit_form_starts_on_its_first_field(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        form = await _edit_project(pilot)
        assert app.focused is form.query_one("#field-code")


async def test_a_new_form_still_starts_on_the_first_empty_field(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        form = await wait_for_screen(pilot, FormScreen)
        assert app.focused is form.query_one("#field-code")
        assert not form.editing


async def test_esc_on_an_unchanged_form_closes_at_once(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await _edit_project(pilot)
        await pilot.press("escape")
        await wait_for_screen(pilot, ProjectDetailScreen)
        assert not _confirms(app)


async def test_esc_on_a_changed_form_asks_before_throwing_the_changes_away(sample_store) -> None:
    before = sample_store.project_detail("PRJ-101").row.name
    app = make_app(sample_store)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        form = await _edit_project(pilot)
        name = form.query_one("#field-name", Input)
        name.focus()
        await pilot.pause()
        await type_text(pilot, " v2")
        await pilot.press("escape")
        question = await wait_for_screen(pilot, ConfirmScreen)
        assert "Edit project PRJ-101" in question.question and "throw away" in question.question
        await pilot.press("n")  # keep editing: what was typed is still there
        await wait_for_screen(pilot, FormScreen)
        assert app.screen is form and name.value == before + " v2"
        await pilot.press("escape")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_for_screen(pilot, ProjectDetailScreen)
    assert sample_store.project_detail("PRJ-101").row.name == before


# ------------------------------------------------------------------ questions belong to their screen


async def _kpi_detail_over_goals(pilot, code: str) -> KpiDetailScreen:
    """The portfolio area shows the strategic goals; the KPIs area shows a KPI's detail."""
    await settle(pilot)
    await pilot.press("g")
    await wait_for_screen(pilot, GoalsScreen)
    await pilot.press("2")
    await settle(pilot)
    pilot.app.open_kpi(code)
    screen = await wait_for_screen(pilot, KpiDetailScreen)
    await settle(pilot)
    return screen


async def test_x_then_1_at_once_never_asks_over_another_screen(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=LARGE) as pilot:
        await _kpi_detail_over_goals(pilot, "CRPP")
        # Both keys arrive before the detail's worker has asked its question.
        app.post_message(events.Key("x", "x"))
        app.post_message(events.Key("1", "1"))
        await wait_until(pilot, lambda: isinstance(app.screen, GoalsScreen), "the goals screen")
        await settle(pilot)
        await pilot.pause(0.2)
        assert isinstance(app.screen, GoalsScreen)
        assert not _confirms(app)
        await pilot.press("y")
        await settle(pilot)
        # Back in the KPIs area, no question is waiting either.
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, KpiDetailScreen)
    assert "CRPP" in _active_codes(sample_store)


async def test_a_question_names_its_record_and_holds_its_screen(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=LARGE) as pilot:
        detail = await _kpi_detail_over_goals(pilot, "CRPP")
        await pilot.press("x")
        question = await wait_for_screen(pilot, ConfirmScreen)
        assert "CRPP" in question.question and question.owner is detail
        assert app.screen_stack[-2] is detail
        # While it is asked, an area key does not take its screen away from under it.
        await pilot.press("1")
        await settle(pilot)
        assert app.screen is question
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is detail, "the KPI detail")
        assert not _confirms(app)
    assert "CRPP" in _active_codes(sample_store)


# ------------------------------------------------------------------ comments read in full


async def test_enter_on_a_status_update_shows_its_comment_whole(sample_store) -> None:
    from pmo_tui.screens.dialogs import FULL_TEXT_FROM, TextScreen

    update = sample_store.project_detail("PRJ-101").updates[-1]
    assert len(update.comment) > FULL_TEXT_FROM  # cut in its column
    app = make_app(sample_store)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.open_project("PRJ-101")
        await wait_for_screen(pilot, ProjectDetailScreen)
        await settle(pilot)
        await pilot.press("enter")
        shown = await wait_for_screen(pilot, TextScreen)
        assert str(shown.query_one("#text-full").visual) == update.comment
        # The correction form is one key away, and shows the long comment whole too.
        await pilot.press("e")
        form = await wait_for_screen(pilot, FormScreen)
        assert str(form.query_one("#full-comment").visual) == update.comment
        assert form.form_title.startswith("PRJ-101")


async def test_on_a_read_only_portfolio_enter_shows_the_whole_text(sample_db) -> None:
    from pmo_tui.screens.dialogs import TextScreen
    from pmo_tui.store import Store

    store = Store.open(sample_db, read_only=True)
    try:
        comment = store.project_detail("PRJ-101").updates[-1].comment
        app = make_app(store)
        async with app.run_test(size=SMALL) as pilot:
            await settle(pilot)
            app.open_project("PRJ-101")
            await wait_for_screen(pilot, ProjectDetailScreen)
            await settle(pilot)
            await pilot.press("enter")
            shown = await wait_for_screen(pilot, TextScreen)
            assert str(shown.query_one("#text-full").visual) == comment
            await pilot.press("escape")
            await wait_for_screen(pilot, ProjectDetailScreen)
    finally:
        store.close()


async def test_enter_on_a_check_in_shows_its_comment_whole_and_e_corrects_it(sample_store) -> None:
    from pmo_tui.screens.dialogs import TextScreen
    from pmo_tui.screens.key_result_detail import KeyResultDetailScreen

    comment = "Dry-run scoring of the 2027 intake under way"  # cut in its column at 80×24
    app = make_app(sample_store)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.push_screen(KeyResultDetailScreen("Q4-O1-KR1"))
        detail = await wait_for_screen(pilot, KeyResultDetailScreen)
        await wait_until(pilot, lambda: detail.key_result is not None, "the key result")
        await settle(pilot)
        await pilot.press("enter")  # the newest check-in, at the top
        shown = await wait_for_screen(pilot, TextScreen)
        assert str(shown.query_one("#text-full").visual) == comment
        assert "2026-11-15" in shown.title_text and "confidence" in shown.title_text
        await pilot.press("escape")  # reading changes nothing
        await wait_for_screen(pilot, KeyResultDetailScreen)
        await pilot.press("enter")
        await wait_for_screen(pilot, TextScreen)
        await pilot.press("e")
        form = await wait_for_screen(pilot, FormScreen)
        assert form.form_title == "Q4-O1-KR1: correct the check-in of 2026-11-15"
        form.query_one("#field-comment", Input).value = "Dry-run scoring done for the 2027 intake"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, KeyResultDetailScreen)
        await settle(pilot)
    check_ins = sample_store.key_result_detail("Q4-O1-KR1", TODAY)[1].check_ins
    assert check_ins[-1].comment == "Dry-run scoring done for the 2027 intake"


async def test_a_measurement_note_is_read_whole_and_a_read_only_viewer_offers_no_correction(
    sample_db,
) -> None:
    from pmo_tui.screens.dialogs import TextScreen
    from pmo_tui.store import Store

    store = Store.open(sample_db, read_only=True)
    try:
        note = "Above 90 %: data and integration teams working overtime"
        app = make_app(store)
        async with app.run_test(size=SMALL) as pilot:
            await settle(pilot)
            app.open_kpi("UTIL")
            await wait_for_screen(pilot, KpiDetailScreen)
            await settle(pilot)
            await pilot.press("enter")  # the newest measurement, whose note is cut in its column
            shown = await wait_for_screen(pilot, TextScreen)
            assert str(shown.query_one("#text-full").visual) == note
            assert not shown.query("#text-correct")
            await pilot.press("e")  # not offered here: the viewer stays
            await settle(pilot)
            assert app.screen is shown
            await pilot.press("escape")
            await wait_for_screen(pilot, KpiDetailScreen)
    finally:
        store.close()


async def test_the_whole_text_says_who_wrote_it(sample_store) -> None:
    from pmo_tui.screens.dialogs import TextScreen
    from pmo_tui.screens.key_result_detail import KeyResultDetailScreen

    sample_store.user = "Priya [b]Raman[/b]"
    sample_store.record_check_in("Q4-O1-KR1", TODAY, 1.0, 0.7, "framework agreed", today=TODAY)
    app = make_app(sample_store)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.push_screen(KeyResultDetailScreen("Q4-O1-KR1"))
        detail = await wait_for_screen(pilot, KeyResultDetailScreen)
        await wait_until(pilot, lambda: detail.key_result is not None, "the key result")
        await settle(pilot)
        await pilot.press("enter")  # the newest check-in, at the top: today's
        shown = await wait_for_screen(pilot, TextScreen)
        assert shown.title_text.endswith("· by Priya [b]Raman[/b]"), shown.title_text
        assert "by Priya [b]Raman[/b]" in str(shown.query_one(".form-title").visual)
