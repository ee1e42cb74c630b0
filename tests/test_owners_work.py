"""Each owner's own work: the check-in walks the user's key results first (ctrl+o: all of them), and
the OKR board and the KPI list filter to what the user owns (m). Pilot tests assert what was saved."""

from __future__ import annotations

from datetime import date, timedelta

from helpers import TODAY, make_app, screen_text, settle
from hypothesis import given
from hypothesis import strategies as st
from test_check_in import (
    SIZE,
    build_ten_due,
    codes_saved_today,
    current_code,
    enter_check_in,
    open_check_in,
    value_field,
)

from pmo_tui.calculations import check_in_due, kpi_due, same_person, week_start
from pmo_tui.screens.check_in import CheckInScreen
from pmo_tui.screens.kpis import KpiListScreen
from pmo_tui.screens.okrs import OkrScreen


def test_an_owner_is_the_user_whatever_the_spaces_and_capitals() -> None:
    assert same_person("Priya Raman", "  priya  RAMAN ")
    assert not same_person("Priya Raman", "Priya")
    assert not same_person("", "")  # no one owns what has no owner


names = st.text(st.characters(categories=("L", "Zs")), max_size=20)


@given(names, names)
def test_same_person_is_symmetric_and_blind_to_spaces_and_capitals(owner: str, user: str) -> None:
    assert same_person(owner, user) == same_person(user, owner)
    loose = "  " + "  ".join(owner.split()).casefold() + " "
    assert same_person(owner, loose) == bool(owner.split())


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_the_check_in_week_runs_from_its_monday(day: date) -> None:
    monday = week_start(day)
    assert monday.weekday() == 0 and timedelta(0) <= day - monday <= timedelta(days=6)
    assert not check_in_due(monday, day) and check_in_due(monday - timedelta(days=1), day)


def test_a_kpi_is_due_when_its_value_or_its_review_is_overdue() -> None:
    assert [kpi_due(m, r) for m in (False, True) for r in (False, True)] == [False, True, True, True]


async def test_c_walks_the_users_own_key_results_and_saves_only_those(empty_store) -> None:
    c = build_ten_due(empty_store)
    # Ben owns objective 2's key results (their own owner left empty) and two of objective 1.
    ben = [c["reviews"], c["util"], c["launch"], c["audit"]]
    empty_store.user = " ben okri "  # typed loosely: still Ben Okri
    app = make_app(empty_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        assert "1 of 4 · 0 saved · your 4 key results due (ctrl+o: all 10)" in screen_text(app)
        walked = []
        while isinstance(app.screen, CheckInScreen):
            walked.append(current_code(app))
            if value_field(app).value == "":
                await pilot.press("1")
            await enter_check_in(pilot, None, "6", "mine")
    assert walked == ben
    assert "Check-in done: 4 key results saved; 6 more of others' still due (c, then ctrl+o)." in [
        n.message for n in app._notifications
    ]
    assert codes_saved_today(empty_store, c.values()) == set(ben)
    # Everyone else's are still due.
    assert {i.key_result.code for i in empty_store.check_in_queue(TODAY)} == set(c.values()) - set(ben) - {
        c["fresh"]
    }


async def test_ctrl_o_switches_to_all_key_results_keeping_the_card_and_back(empty_store) -> None:
    c = build_ten_due(empty_store)
    empty_store.user = "Ben Okri"
    app = make_app(empty_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        await pilot.press("pagedown")  # Ben's second: util
        assert current_code(app) == c["util"]
        await pilot.press("ctrl+o")
        assert current_code(app) == c["util"]  # the same card, now among all ten
        assert "4 of 10 · 0 saved · all 10 key results due (ctrl+o: your 4)" in screen_text(app)
        await pilot.press("pageup")  # defects, Ada's: only in the walk of all
        assert current_code(app) == c["defects"]
        await enter_check_in(pilot, "4", "3", "for Ada")
        assert current_code(app) == c["util"]  # saved, and on to the next
        await pilot.press("ctrl+o")  # back to Ben's four, on the same card
        assert current_code(app) == c["util"]
        assert "2 of 4 · 1 saved · your 4 key results due" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
    assert codes_saved_today(empty_store, c.values()) == {c["defects"]}
    [saved] = [x for x in empty_store.key_result_detail(c["defects"], TODAY)[1].check_ins if x.on == TODAY]
    assert (saved.value, saved.confidence, saved.comment) == (4, 0.3, "for Ada")


async def test_a_user_who_owns_nothing_due_walks_all_and_is_told(empty_store) -> None:
    c = build_ten_due(empty_store)
    empty_store.user = "Zoe Nobody"
    app = make_app(empty_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        assert "1 of 10 · 0 saved · all 10 key results due (none is yours)" in screen_text(app)
        await pilot.press("ctrl+o")  # nothing of hers to switch to: the walk stays
        assert len(app.screen.items) == 10
        assert current_code(app) == c["adoption"]
        await enter_check_in(pilot, "12", "5", "")
        await pilot.press("escape")
        await settle(pilot)
    assert codes_saved_today(empty_store, c.values()) == {c["adoption"]}


async def test_m_shows_only_what_the_user_owns_on_the_okr_board_and_the_kpi_list(sample_store) -> None:
    sample_store.user = "MEI TANAKA"
    app = make_app(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        okrs = app.screen
        assert isinstance(okrs, OkrScreen)
        every = okrs.query_one("#okr-table").row_count
        await pilot.press("m")
        await settle(pilot)
        text = screen_text(app)
        assert "owned by me (MEI TANAKA)" in text
        assert "Improve stakeholder" in text and "Make delivery more predictable" not in text
        assert 0 < okrs.query_one("#okr-table").row_count < every
        await pilot.press("m")
        await settle(pilot)
        assert okrs.query_one("#okr-table").row_count == every
        assert "owned by me" not in screen_text(app)

        await pilot.press("2")
        await settle(pilot)
        kpis = app.screen
        assert isinstance(kpis, KpiListScreen)
        await pilot.press("m")
        await settle(pilot)
        shown = [
            kpis.query_one("#kpi-table").get_row_at(n)[9].plain
            for n in range(kpis.query_one("#kpi-table").row_count)
        ]
        assert shown and set(shown) == {"Mei Tanaka"}
        assert f"KPIs · {len(shown)} of 11 shown · owned by me (MEI TANAKA), m: all" in screen_text(app)
        assert "Mine" in screen_text(app)  # the key, in the footer
