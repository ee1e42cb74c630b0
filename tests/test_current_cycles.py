"""More than one cycle can hold today: a year cycle "2026" and its quarter "2026-Q4". Each is then
current: the overview lists the objectives of both, the check-in (key c) walks the key results of
both, and creating another cycle never hides one that is live.

Real SQLite files throughout: the sample portfolio (2026-Q4 open, 2026-Q3 closed) with a year
cycle and its objective added by an import, as a user would add them.
"""

from __future__ import annotations

from datetime import date

import pytest
import tomli_w
from helpers import TODAY, make_app, screen_text, settle, wait_until
from textual.widgets import DataTable, Input, Static

from pmo_tui.screens.check_in import CheckInScreen
from pmo_tui.screens.cycles import CyclesScreen
from pmo_tui.screens.dialogs import FormScreen
from pmo_tui.screens.okrs import OkrScreen
from pmo_tui.screens.portfolio import PortfolioScreen
from pmo_tui.store import Store
from pmo_tui.validation import CycleDefinition

SIZE = (120, 40)
QUARTER, YEAR = "2026-Q4", "2026"
QUARTER_OBJECTIVES = ("Q4-O1", "Q4-O2", "Q4-O3")
QUARTER_KRS = (
    "Q4-O1-KR1",
    "Q4-O1-KR2",
    "Q4-O1-KR3",
    "Q4-O2-KR1",
    "Q4-O2-KR2",
    "Q4-O3-KR1",
    "Q4-O3-KR2",
    "Q4-O3-KR3",
)
YEAR_KRS = ("Y-O1-KR1", "Y-O1-KR2")
YEAR_TITLE = "Grow the PMO's reach over the year"

YEAR_CYCLE = {
    "format": "pmo-tui portfolio",
    "version": 1,
    "cycles": [{"name": YEAR, "start": date(2026, 1, 1), "end": date(2026, 12, 31), "status": "open"}],
    "objectives": [
        {
            "code": "Y-O1",
            "title": YEAR_TITLE,
            "cycle": YEAR,
            "owner": "Grace Whitfield",
            "key_results": [
                {
                    "code": "Y-O1-KR1",
                    "title": "Teams onboarded",
                    "baseline": 0.0,
                    "target": 20.0,
                    "unit": "teams",
                    "owner": "Grace Whitfield",
                    "check_ins": [{"on": date(2026, 10, 30), "value": 12.0, "confidence": 0.7}],
                },
                {
                    "code": "Y-O1-KR2",
                    "title": "Portfolio review adopted",
                    "kind": "milestone",
                    "target": 1.0,
                    "owner": "Mei Tanaka",
                },
            ],
        }
    ],
}


@pytest.fixture
def two_current(sample_store: Store) -> Store:
    """The sample with a year cycle beside its quarter: both hold TODAY."""
    sample_store.import_portfolio_text(tomli_w.dumps(YEAR_CYCLE), "year.toml")
    return sample_store


def current_names(store: Store, today: date = TODAY) -> tuple[str, ...]:
    return tuple(c.name for c in store.overview(today).cycles)


# --------------------------------------------------------------------------- the store


def test_the_overview_lists_the_objectives_of_each_current_cycle(two_current: Store) -> None:
    overview = two_current.overview(TODAY)
    # The shortest first: the quarter, then the year.
    assert [c.name for c in overview.cycles] == [QUARTER, YEAR]
    assert all(c.live and c.status == "open" for c in overview.cycles)
    assert overview.cycle.name == QUARTER  # the first, for readers of one cycle
    assert [(o.code, o.cycle) for o in overview.objectives] == [
        *((code, QUARTER) for code in QUARTER_OBJECTIVES),
        ("Y-O1", YEAR),
    ]
    year = overview.objectives[-1]
    assert year.title == YEAR_TITLE and year.key_result_count == 2
    assert year.progress == pytest.approx((12 / 20 + 0) / 2)


def test_the_check_in_queue_walks_the_key_results_of_each_current_cycle(two_current: Store) -> None:
    queue = two_current.check_in_queue(TODAY)
    assert tuple(item.key_result.code for item in queue) == QUARTER_KRS + YEAR_KRS
    assert {item.key_result.code: item.cycle for item in queue} == {
        **dict.fromkeys(QUARTER_KRS, QUARTER),
        **dict.fromkeys(YEAR_KRS, YEAR),
    }
    # Each key result is paced against its own cycle.
    year_item = next(i for i in queue if i.key_result.code == "Y-O1-KR1")
    quarter_item = next(i for i in queue if i.key_result.code == "Q4-O2-KR1")
    assert year_item.cycle_end == date(2026, 12, 31) == quarter_item.cycle_end
    assert year_item.expected == pytest.approx((TODAY - date(2026, 1, 1)).days / 364, abs=0.01)
    assert year_item.expected > quarter_item.expected
    # One owner's only: the year's milestone is Mei Tanaka's.
    mine = two_current.check_in_queue(TODAY, owner="Mei Tanaka")
    assert "Y-O1-KR2" in [item.key_result.code for item in mine]
    assert "Y-O1-KR1" not in [item.key_result.code for item in mine]


def test_a_key_result_checked_in_this_week_leaves_the_queue_whatever_its_cycle(two_current: Store) -> None:
    two_current.record_check_in("Y-O1-KR1", TODAY, 13.0, 0.7, "")
    codes = [item.key_result.code for item in two_current.check_in_queue(TODAY)]
    assert "Y-O1-KR1" not in codes and "Y-O1-KR2" in codes and len(codes) == 9


def test_creating_a_future_cycle_hides_no_live_one(two_current: Store) -> None:
    two_current.save_cycle(CycleDefinition("2027-Q1", date(2027, 1, 1), date(2027, 3, 31)))
    assert current_names(two_current) == (QUARTER, YEAR)
    assert len(two_current.check_in_queue(TODAY)) == 10
    board = two_current.okr_board(TODAY)
    assert board.cycle.name == QUARTER and board.current == QUARTER
    assert board.currents == (QUARTER, YEAR)
    assert [c.name for c in two_current.cycles(TODAY) if c.live] == [QUARTER, YEAR]


def test_creating_another_cycle_holding_today_adds_it_beside_the_others(two_current: Store) -> None:
    two_current.save_cycle(CycleDefinition("2026-H2", date(2026, 7, 1), date(2026, 12, 31)))
    assert current_names(two_current) == (QUARTER, "2026-H2", YEAR)
    # A cycle that starts later but lasts longer comes after the quarter; the quarter stays first.
    two_current.save_cycle(CycleDefinition("2026-NOV", date(2026, 11, 1), date(2027, 6, 30)))
    assert current_names(two_current)[:2] == (QUARTER, "2026-H2")
    assert set(current_names(two_current)) == {QUARTER, "2026-H2", "2026-NOV", YEAR}
    assert len(two_current.check_in_queue(TODAY)) == 10  # the new cycles have no key results yet


def test_a_closed_quarter_leaves_the_year_current(two_current: Store) -> None:
    two_current.set_cycle_status(QUARTER, "closed")
    assert current_names(two_current) == (YEAR,)
    assert [o.code for o in two_current.overview(TODAY).objectives] == ["Y-O1"]
    assert tuple(i.key_result.code for i in two_current.check_in_queue(TODAY)) == YEAR_KRS
    assert two_current.okr_board(TODAY).cycle.name == YEAR


def test_before_and_after_every_cycle(two_current: Store) -> None:
    # Before any cycle starts, nothing is current; after all end, the latest one started is
    # shown alone, and while it is open (not yet closed and graded) its key results still ask.
    assert current_names(two_current, date(2025, 6, 1)) == ()
    assert two_current.check_in_queue(date(2025, 6, 1)) == ()
    assert current_names(two_current, date(2027, 2, 1)) == (QUARTER,)
    queue = two_current.check_in_queue(date(2027, 2, 1))
    assert tuple(item.key_result.code for item in queue) == QUARTER_KRS


def test_a_new_objective_goes_into_the_first_current_cycle(two_current: Store) -> None:
    code, cycle = two_current.create_draft_objective("Another objective", "Ann", TODAY)
    assert cycle == QUARTER
    two_current.set_cycle_status(QUARTER, "closed")
    code, cycle = two_current.create_draft_objective("A yearly one", "Ann", TODAY)
    assert cycle == YEAR


def test_the_check_in_weeks_of_every_current_cycle_count_as_evidence(sample_store: Store) -> None:
    before = sample_store.evidence_facts(TODAY)
    sample_store.import_portfolio_text(tomli_w.dumps(YEAR_CYCLE), "year.toml")
    after = sample_store.evidence_facts(TODAY)
    assert after.check_in_weeks_due > before.check_in_weeks_due
    assert after.check_in_weeks_done > before.check_in_weeks_done  # the year KR's one check-in


# --------------------------------------------------------------------------- the app


def objective_rows(screen: PortfolioScreen) -> list[str]:
    table = screen.query_one("#objectives", DataTable)
    return [str(key.value) for key in table.rows]


def title_cell(screen: PortfolioScreen, code: str) -> str:
    return screen.query_one("#objectives", DataTable).get_row(code)[0].plain


async def test_the_overview_shows_the_objectives_of_both_cycles_labelled(two_current: Store) -> None:
    app = make_app(two_current)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        await wait_until(pilot, lambda: len(objective_rows(screen)) == 4, "four objectives")
        assert objective_rows(screen) == [*QUARTER_OBJECTIVES, "Y-O1"]
        heading = screen.query_one("#objective-heading", Static).content.plain
        assert heading.startswith("OKRs · 2 current cycles · elapsed 2026-Q4 ")
        assert ", 2026 " in heading and heading.endswith("· 4 objectives")
        assert title_cell(screen, "Y-O1") == f"{YEAR} · {YEAR_TITLE}"
        assert title_cell(screen, "Q4-O1").startswith(f"{QUARTER} · ")
        text = screen_text(app)
        assert "2 current cycles" in text and f"{YEAR} · Grow the PMO" in text


async def test_one_current_cycle_is_not_labelled(sample_store: Store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await wait_until(pilot, lambda: len(objective_rows(screen)) == 3, "three objectives")
        heading = screen.query_one("#objective-heading", Static).content.plain
        assert heading.startswith(f"OKRs · {QUARTER} · ") and "current cycles" not in heading
        assert not title_cell(screen, "Q4-O1").startswith(QUARTER)


async def test_a_closed_cycle_is_shown_on_the_overview_with_its_grades_not_its_pace(
    sample_store: Store,
) -> None:
    summary = sample_store.close_cycle(QUARTER, TODAY)
    scores = {o.code: o.score for o in summary.objectives}
    # No open cycle holds today: the overview shows the closed quarter, as stored, graded.
    overview = sample_store.overview(TODAY)
    assert [(c.name, c.status) for c in overview.cycles] == [(QUARTER, "closed")]
    assert {o.code: o.score for o in overview.objectives} == scores
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await wait_until(pilot, lambda: len(objective_rows(screen)) == 3, "three objectives")
        heading = screen.query_one("#objective-heading", Static).content.plain
        table = screen.query_one("#objectives", DataTable)
        graded = {code: table.get_row(code)[2].plain for code in scores}
        column = table.ordered_columns[2].label.plain
    assert scores == {"Q4-O1": 0.48, "Q4-O2": 0.38, "Q4-O3": 0.39}
    assert heading == f"OKRs · {QUARTER} · closed, graded 0.42 (partial) · 3 objectives"
    assert column == "Grade"
    assert graded == {"Q4-O1": "▲ partial 0.48", "Q4-O2": "■ missed 0.38", "Q4-O3": "■ missed 0.39"}


async def test_c_walks_the_key_results_of_both_cycles(two_current: Store) -> None:
    app = make_app(two_current)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await wait_until(
            pilot, lambda: isinstance(app.screen, CheckInScreen) and app.screen.items, "the check-in"
        )
        screen = app.screen
        assert tuple(item.key_result.code for item in screen.items) == QUARTER_KRS + YEAR_KRS
        assert "1 of 10" in screen_text(app)
        assert screen.query_one("#ci-objective", Static).content.plain.startswith(f"{QUARTER} · Q4-O1")
        for _ in QUARTER_KRS:  # skip the quarter's key results
            await pilot.press("pagedown")
        await pilot.pause()
        assert screen.item.key_result.code == "Y-O1-KR1"
        assert screen.query_one("#ci-objective", Static).content.plain == f"{YEAR} · Y-O1  {YEAR_TITLE}"
        assert "9 of 10" in screen_text(app)
        value = screen.query_one("#ci-value", Input)
        assert value.value == "12" and "teams" in value.placeholder
        await pilot.press("1", "5", "enter", "8", "enter")
        await wait_until(
            pilot,
            lambda: screen.item is not None and screen.item.key_result.code == "Y-O1-KR2",
            "the year's milestone",
        )
        await pilot.press("escape")
        await settle(pilot)
    _, row = two_current.key_result_detail("Y-O1-KR1", TODAY)
    assert (row.latest.on, row.latest.value, row.latest.confidence) == (TODAY, 15.0, 0.8)


async def test_creating_a_new_cycle_leaves_both_live_ones_shown(two_current: Store) -> None:
    app = make_app(two_current)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await wait_until(pilot, lambda: isinstance(app.screen, OkrScreen) and app.screen.board, "OKRs")
        await settle(pilot)
        okrs = app.screen
        heading = okrs.query_one("#okr-heading", Static).content.plain
        assert heading.startswith(f"OKRs · {QUARTER} (current)") and f"also current: {YEAR}" in heading
        await pilot.press("y")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, CyclesScreen) and app.screen.query_one(DataTable).row_count == 3,
            "the cycles list",
        )
        cycles = app.screen
        table = cycles.query_one(DataTable)
        statuses = {key.value: table.get_row(key)[3].plain for key in table.rows}
        assert statuses == {QUARTER: "current", YEAR: "current", "2026-Q3": "closed"}
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the new cycle form")
        form = app.screen
        assert form.values()["name"] == "2027-Q1"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is cycles and table.row_count == 4, "the new cycle")
        statuses = {key.value: table.get_row(key)[3].plain for key in table.rows}
        assert statuses == {"2027-Q1": "open", QUARTER: "current", YEAR: "current", "2026-Q3": "closed"}
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is okrs, "the OKR screen")
        await settle(pilot)
        assert okrs.board.cycle.name == QUARTER and okrs.board.currents == (QUARTER, YEAR)
        await pilot.press("1")
        await wait_until(pilot, lambda: isinstance(app.screen, PortfolioScreen), "the overview")
        await settle(pilot)
        screen = app.screen
        await wait_until(
            pilot,
            lambda: objective_rows(screen) == [*QUARTER_OBJECTIVES, "Y-O1"],
            "the objectives of both cycles",
        )
        assert "2 current cycles" in screen.query_one("#objective-heading", Static).content.plain
        await pilot.press("c")
        await wait_until(
            pilot, lambda: isinstance(app.screen, CheckInScreen) and app.screen.items, "the check-in"
        )
        assert len(app.screen.items) == 10
    assert [c.name for c in two_current.cycles(TODAY) if c.live] == [QUARTER, YEAR]


def test_the_overview_cache_keeps_every_current_cycle(two_current: Store) -> None:
    from pmo_tui import overview_cache

    revision, overview = two_current.revised_overview(TODAY)
    overview_cache.save(two_current.path, revision, TODAY, overview)
    kept = overview_cache.load(two_current.path, revision, TODAY)
    assert kept == overview
    assert [c.name for c in kept.cycles] == [QUARTER, YEAR] and kept.cycle.name == QUARTER
    assert [o.cycle for o in kept.objectives] == [QUARTER] * 3 + [YEAR]
