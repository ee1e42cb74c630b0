"""Screens that stay true, as a team works: another session commits, and the screen open in this
one shows it within 2 seconds without a key press, says who changed what, and keeps the user's
place (the cursor on its record, an open form with what was typed). On SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from helpers import TODAY, make_app, screen_text, wait_for_screen, wait_until
from textual.widgets import DataTable, Input

from pmo_tui.app import WATCH_INTERVAL, PmoApp, change_notice
from pmo_tui.records import ChangeEntry
from pmo_tui.screens.dialogs import FormScreen
from pmo_tui.store import Store
from pmo_tui.store.common import log_change
from pmo_tui.validation import CycleDefinition, StatusUpdateEntry

# Tests look often, so that each waits only as long as the change takes to arrive.
QUICK = 0.05
SIZE = (160, 40)
ANA, PRIYA = "Ana Lopez", "Priya Raman"


def notices(app: PmoApp) -> list[str]:
    return [notification.message for notification in app._notifications]


@contextlib.contextmanager
def logged_as(store: Store, record: str, code: str, action: str) -> Iterator[None]:
    """A session's write, with its line in the change log: the store's own, or, where the store
    does not write one for this change yet, one added in a transaction of that session."""
    before = store.last_change_id()
    yield
    if not store.changes_since(before):
        with store._writing() as session:
            log_change(session, store.user, record, code, action)
            # The store writes its line in the transaction of the change, which moves the
            # revision; a line of its own moves it too (on PostgreSQL a statement that changes
            # no row does, and SQLite's data_version moves with any commit).
            session.connection().exec_driver_sql("UPDATE strategic_goal SET code = code WHERE 1 = 0")


def write_as(store: Store, write: Callable[[], object], record: str, code: str, action: str) -> None:
    with logged_as(store, record, code, action):
        write()


@contextlib.asynccontextmanager
async def session_of(where: str, user: str, *, watch_interval: float = QUICK) -> AsyncIterator:
    """One person's pmo, open on the database at `where`: its pilot (the app is pilot.app)."""
    store = Store.open(where)
    store.user = user
    try:
        async with make_app(store, watch_interval=watch_interval).run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: pilot.app.following_changes, "the first look at the change log")
            yield pilot
    finally:
        store.close()


@contextlib.contextmanager
def other_store(where: str, user: str = PRIYA):
    store = Store.open(where)
    store.user = user
    try:
        yield store
    finally:
        store.close()


def _shows(app: PmoApp) -> bool:
    """The screen on top has read its data (or, a list of cycles, has rows)."""
    screen = app.screen
    if hasattr(screen, "shown_version"):
        return screen.shown_version is not None
    return bool(getattr(screen, "cycles", ()))


async def _in_area(pilot, key: str) -> None:
    await pilot.press(key)
    await wait_until(
        pilot, lambda: _shows(pilot.app) and not pilot.app.screen.is_reading(pilot.app.screen.READ_GROUP)
    )


@dataclass(frozen=True)
class Area:
    """An area or a detail, opened in session A; a change session B makes; what A then shows."""

    open: Callable
    change: Callable[[Store], tuple[str, str, str]]
    shown: Callable[[PmoApp, Store], Callable[[], bool]]


async def _overview(pilot) -> None:
    await wait_until(pilot, lambda: _shows(pilot.app))


async def _kpi_detail(pilot) -> None:
    pilot.app.open_kpi("BUDGET")
    await wait_until(
        pilot, lambda: type(pilot.app.screen).__name__ == "KpiDetailScreen" and _shows(pilot.app)
    )


async def _project_detail(pilot) -> None:
    pilot.app.open_project("PRJ-101")
    await wait_until(
        pilot, lambda: type(pilot.app.screen).__name__ == "ProjectDetailScreen" and _shows(pilot.app)
    )


async def _goals(pilot) -> None:
    pilot.app.open_goals()
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "GoalsScreen" and _shows(pilot.app))


async def _key_result_detail(pilot) -> None:
    from pmo_tui.screens.key_result_detail import KeyResultDetailScreen

    await _in_area(pilot, "3")
    await pilot.app.push_screen(KeyResultDetailScreen("Q4-O1-KR2"))
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, KeyResultDetailScreen) and _shows(pilot.app))


async def _cycles(pilot) -> None:
    from pmo_tui.screens.cycles import CyclesScreen

    await _in_area(pilot, "3")
    await pilot.press("y")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CyclesScreen) and _shows(pilot.app))


def _retire_kpi(store: Store) -> tuple[str, str, str]:
    store.set_kpi_active("ALIGN", False)
    return "kpi", "ALIGN", "retired"


def _measure(store: Store) -> tuple[str, str, str]:
    store.add_measurement("BUDGET", TODAY, 42.0, "Priya's live note", replace=True, today=TODAY)
    return "measurement", "BUDGET", "measured"


def _status_update(store: Store) -> tuple[str, str, str]:
    entry = StatusUpdateEntry(TODAY, None, 0.0, 0.0, 0.0, 0, 0, None, "Priya's live update")
    store.save_status_update("PRJ-101", entry, today=TODAY)
    return "status_update", "PRJ-101", "updated"


def _retire_goal(store: Store) -> tuple[str, str, str]:
    store.set_goal_active("G4", False)
    return "strategic_goal", "G4", "retired"


def _check_in(store: Store) -> tuple[str, str, str]:
    store.record_check_in("Q4-O1-KR2", TODAY, 91.5, 0.7, "Priya's live check-in", today=TODAY)
    return "check_in", "Q4-O1-KR2", "checked in"


def _new_cycle(store: Store) -> tuple[str, str, str]:
    store.save_cycle(CycleDefinition("2027-Q1", date(2027, 1, 1), date(2027, 3, 31)))
    return "cycle", "2027-Q1", "created"


def _assessment(store: Store) -> tuple[str, str, str]:
    store.open_assessment(TODAY)
    return "assessment", "2026-11-20", "started the assessment of"


def _text(words: str) -> Callable[[PmoApp, Store], Callable[[], bool]]:
    return lambda app, _store: lambda: words in screen_text(app)


def _active_kpis(template: str) -> Callable[[PmoApp, Store], Callable[[], bool]]:
    """The KPI count, one fewer than before (one retired), in the words of the screen."""

    def shown(app: PmoApp, store: Store) -> Callable[[], bool]:
        fewer = len(store.kpi_summaries(TODAY)) - 1
        return lambda: template.format(fewer) in screen_text(app)

    return shown


def _key_result_value(app: PmoApp, _store: Store) -> Callable[[], bool]:
    def checked_in() -> bool:
        board = app.screen.board
        return any(
            kr.code == "Q4-O1-KR2" and kr.value == 91.5 for o in board.objectives for kr in o.key_results
        )

    return checked_in


AREAS = {
    "overview": Area(_overview, _retire_kpi, _active_kpis("KPIs · {} active")),
    "kpi list": Area(lambda pilot: _in_area(pilot, "2"), _retire_kpi, _active_kpis("{0} of {0} shown")),
    "kpi detail": Area(_kpi_detail, _measure, _text("Priya's live note")),
    "project detail": Area(_project_detail, _status_update, _text("Priya's live update")),
    "goals": Area(_goals, _retire_goal, _text("3 active of 4")),
    "okr board": Area(lambda pilot: _in_area(pilot, "3"), _check_in, _key_result_value),
    "key result detail": Area(_key_result_detail, _check_in, _text("Priya's live check-in")),
    "cycles": Area(_cycles, _new_cycle, _text("2027-Q1")),
    "maturity": Area(
        lambda pilot: _in_area(pilot, "4"), _assessment, _text("unfinished one from 2026-11-20")
    ),
}


@pytest.mark.parametrize("area", AREAS)
async def test_every_area_shows_another_sessions_commit_with_a_notice(sample_any_db: str, area: str) -> None:
    case = AREAS[area]
    async with session_of(sample_any_db, ANA) as pilot:
        app = pilot.app
        await case.open(pilot)
        screen = app.screen
        with other_store(sample_any_db) as priya:
            shown = case.shown(app, priya)
            assert not shown()
            record, code, action = case.change(priya)
            write_as(priya, lambda: None, record, code, action)
        await wait_until(pilot, shown, f"{area} to show Priya's change")
        assert app.screen is screen  # no key pressed, nothing opened or closed
        await wait_until(pilot, lambda: any(PRIYA in n and code in n for n in notices(app)), "the notice")


async def test_the_change_shows_within_two_seconds_at_the_products_pace(sample_any_db: str) -> None:
    async with session_of(sample_any_db, ANA, watch_interval=WATCH_INTERVAL) as pilot:
        app = pilot.app
        await _in_area(pilot, "3")
        with other_store(sample_any_db) as priya:
            shown = _key_result_value(app, priya)
            committed = time.monotonic()
            write_as(priya, lambda: _check_in(priya), "check_in", "Q4-O1-KR2", "checked in")
        await wait_until(pilot, shown, "the check-in on the OKR board", timeout=20)
        assert time.monotonic() - committed < 2.0
        assert any(f"{PRIYA} checked in Q4-O1-KR2" in n for n in notices(app))


async def test_two_live_sessions_one_archives_the_other_sees_it_and_its_cursor_stays(
    sample_any_db: str,
) -> None:
    """Ana and Priya, each in her own pmo on one database, look at the OKR board. Ana's cursor is
    on a key result of Q4-O2; Priya archives Q4-O1 with her keyboard, which moves Q4-O1 and its
    key results to the end. Ana's board shows it, her cursor stays on her key result, and a
    notice tells her who did it; Priya, whose own change it is, gets no notice."""
    async with session_of(sample_any_db, ANA) as ana, session_of(sample_any_db, PRIYA) as priya:
        await _in_area(ana, "3")
        await _in_area(priya, "3")
        ana_table = ana.app.screen.query_one("#okr-table", DataTable)
        ana_table.move_cursor(row=ana_table.get_row_index("Q4-O2-KR1"))
        priya_table = priya.app.screen.query_one("#okr-table", DataTable)
        priya_table.move_cursor(row=priya_table.get_row_index("Q4-O1"))
        priya_store = priya.app.store
        with logged_as(priya_store, "objective", "Q4-O1", "archived"):
            await priya.press("a")
            await wait_until(
                priya, lambda: _status(priya_store, "Q4-O1") == "archived", "Priya's archive saved"
            )

        def archived_last() -> bool:
            codes = [row.value for row in ana_table.rows]
            return codes.index("Q4-O1") > codes.index("Q4-O2-KR1")

        await wait_until(ana, archived_last, "Q4-O1 archived on Ana's board")
        assert ana_table.coordinate_to_cell_key(ana_table.cursor_coordinate).row_key.value == "Q4-O2-KR1"
        await wait_until(
            ana,
            lambda: any(f"{PRIYA} archived Q4-O1" in n for n in notices(ana.app)),
            "Ana's notice",
        )
        assert not any(PRIYA in n for n in notices(priya.app))
    with other_store(sample_any_db) as store:
        assert _status(store, "Q4-O1") == "archived"


def _status(store: Store, code: str) -> str:
    return next(o.status for o in store.okr_board(TODAY, holding=code).objectives if o.code == code)


async def test_an_open_form_keeps_what_was_typed_while_the_list_under_it_follows(sample_db) -> None:
    # How the screens keep the user's place is the same on either database: SQLite only.
    where = str(sample_db)
    async with session_of(where, ANA) as pilot:
        app = pilot.app
        await _in_area(pilot, "2")
        area = app.screen
        await pilot.press("n")
        form = await wait_for_screen(pilot, FormScreen)
        field = form.query(Input).first()
        field.focus()
        field.value = "Typed before the change"
        with other_store(where) as priya:
            write_as(priya, lambda: _retire_kpi(priya), "kpi", "ALIGN", "retired")
        await wait_until(pilot, lambda: all(k.code != "ALIGN" for k in area.kpis), "the list under the form")
        assert app.screen is form
        assert field.value == "Typed before the change"


async def test_r_reads_again_in_the_okr_and_maturity_areas(sample_db) -> None:
    """Key r, where the session does not look for changes (a long interval): the area shows what
    another session committed at once."""
    where = str(sample_db)
    async with session_of(where, ANA, watch_interval=3600) as pilot:
        app = pilot.app
        await _in_area(pilot, "3")
        with other_store(where) as priya:
            _check_in(priya)
        shown = _key_result_value(app, priya)
        assert not shown()
        await pilot.press("r")
        await wait_until(pilot, shown, "the check-in after r")
        await _in_area(pilot, "4")
        with other_store(where) as priya:
            _assessment(priya)
        await pilot.press("r")
        await wait_until(
            pilot, lambda: "unfinished one from 2026-11-20" in screen_text(app), "the assessment after r"
        )


def test_own_changes_are_told_apart_from_other_sessions(sample_store: Store, sample_db) -> None:
    with other_store(str(sample_db)) as priya:
        start = sample_store.last_change_id()
        write_as(sample_store, lambda: _retire_goal(sample_store), "strategic_goal", "G4", "retired")
        write_as(priya, lambda: _retire_kpi(priya), "kpi", "ALIGN", "retired")
        last, others = sample_store.others_changes_since(start)
        assert [(c.by, c.code) for c in others] == [(PRIYA, "ALIGN")]
        assert last == priya.last_change_id()
        assert [c.code for c in priya.others_changes_since(start)[1]] == ["G4"]


def _entry(number: int, by: str, code: str, action: str = "checked in") -> ChangeEntry:
    return ChangeEntry(number, datetime(2026, 11, 20, 9, 0), by, "key_result", code, action)


def test_a_notice_tells_each_change_and_many_in_one_line() -> None:
    one = (_entry(1, PRIYA, "Q4-O1-KR2"),)
    assert change_notice(one) == "Priya Raman checked in Q4-O1-KR2"
    twice = (*one, _entry(2, PRIYA, "Q4-O1-KR2"), _entry(3, "Sam Lee", "BUDGET", "measured"))
    assert change_notice(twice) == "Priya Raman checked in Q4-O1-KR2\nSam Lee measured BUDGET"
    many = tuple(_entry(n, (PRIYA, "Sam Lee")[n % 2], f"KR{n}") for n in range(1, 9))
    assert change_notice(many) == "8 changes by Sam Lee, Priya Raman; the latest: Priya Raman checked in KR8"


async def test_the_scroll_and_the_cursor_stay_where_they_were(sample_db) -> None:
    """Ana has scrolled down the overview's projects; Priya's status update changes a project's
    figures. Ana's table is filled again, still scrolled where she left it, her cursor on her
    project."""
    where = str(sample_db)
    store = Store.open(where)
    try:
        async with make_app(store, watch_interval=QUICK).run_test(size=(80, 24)) as pilot:
            app = pilot.app
            await wait_until(pilot, lambda: app.following_changes and _shows(app), "the overview")
            table = app.screen.query_one("#projects", DataTable)
            await wait_until(pilot, lambda: table.row_count == len(store.project_codes()), "every project")
            table.focus()
            table.move_cursor(row=table.row_count - 1)
            await wait_until(pilot, lambda: table.scroll_y > 0, "the table scrolled down")
            await pilot.press("up", "up", "up")  # the cursor up the rows in sight: no scroll
            scrolled, chosen = (
                table.scroll_y,
                table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value,
            )
            before = app.screen.overview
            with other_store(where) as priya:
                write_as(priya, lambda: _status_update(priya), "status_update", "PRJ-101", "updated")
            await wait_until(pilot, lambda: app.screen.overview is not before, "the overview read again")
            await pilot.pause()
            assert table.scroll_y == scrolled
            assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == chosen
    finally:
        store.close()


async def test_the_header_shows_who_is_working_as_typed(sample_db) -> None:
    """A name is data: markup and control characters in it are shown, never acted on."""
    store = Store.open(sample_db)
    store.user = "[b]Priya[/b] \x1b[31mRaman"
    try:
        async with make_app(store).run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: _shows(pilot.app), "the overview")
            assert "portfolio.db · [b]Priya[/b] ␛[31mRaman · Fri 20 Nov 2026" in screen_text(pilot.app)
    finally:
        store.close()


async def test_looking_costs_nothing_while_nothing_is_committed(sample_any_db: str, monkeypatch) -> None:
    """Look after look finds the database as it was: no screen reads again, the change log is not
    read (each look asks the database only for its data_version, or on a server only whether a
    notification came)."""
    async with session_of(sample_any_db, ANA) as pilot:
        app = pilot.app
        await _in_area(pilot, "2")
        store = app.store
        calls: dict[str, int] = {"data_version": 0, "changes_since": 0, "kpi_summaries": 0}
        for name in calls:
            method = getattr(store, name)

            def counted(*args, _method=method, _name=name, **kwargs):
                calls[_name] += 1
                return _method(*args, **kwargs)

            monkeypatch.setattr(store, name, counted)
        await wait_until(pilot, lambda: calls["data_version"] >= 10, "ten looks")
        assert calls["changes_since"] == calls["kpi_summaries"] == 0


async def test_the_kpi_tile_in_focus_keeps_it_when_the_tiles_are_made_again(sample_db) -> None:
    from pmo_tui.widgets.kpi_tile import KpiTile

    where = str(sample_db)
    async with session_of(where, ANA) as pilot:
        app = pilot.app
        await wait_until(pilot, lambda: _shows(app), "the overview")
        budget = next(tile for tile in app.screen.query(KpiTile) if tile.tile.code == "BUDGET")
        budget.focus()
        await pilot.pause()
        with other_store(where) as priya:
            write_as(priya, lambda: _retire_kpi(priya), "kpi", "ALIGN", "retired")
        await wait_until(
            pilot, lambda: all(t.tile.code != "ALIGN" for t in app.screen.query(KpiTile)), "tiles anew"
        )
        assert budget not in app.screen.query(KpiTile)  # made again, from the fresh figures
        # The new tile takes the focus once mounted (Textual sets it at its next turn).
        await wait_until(
            pilot,
            lambda: isinstance(app.focused, KpiTile) and app.focused.tile.code == "BUDGET",
            "the focus on the new BUDGET tile",
        )
