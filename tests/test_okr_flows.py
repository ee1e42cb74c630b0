"""Keyboard flows of the OKR area (except the check-in walk), asserting what the database holds.

Every refused value must be reported beside its field (#error-<field>) and change nothing:
the whole portfolio export is compared before and after.
"""

from __future__ import annotations

from datetime import date

import pytest
from helpers import (
    TODAY,
    discard,
    fill,
    make_app,
    screen_text,
    settle,
    type_text,
    wait_for_screen,
    wait_until,
)
from textual.widgets import DataTable, Input, Select, SelectionList, Sparkline, Static

from pmo_tui.screens.close_cycle import CloseSummaryScreen
from pmo_tui.screens.cycles import CyclesScreen
from pmo_tui.screens.dialogs import ConfirmScreen, FormScreen, TextScreen
from pmo_tui.screens.key_result_detail import KeyResultDetailScreen
from pmo_tui.screens.kpi_detail import KpiDetailScreen
from pmo_tui.screens.okrs import OkrScreen
from pmo_tui.screens.portfolio import PortfolioScreen
from pmo_tui.store import NotFound
from pmo_tui.validation import ObjectiveDefinition

SIZE = (100, 32)


# ---------------------------------------------------------------------- helpers
# (wait_until, wait_for_screen and fill are shared: tests/helpers.py; workers that wait on a form are
# not waited for by settle(), wait_until polls for the outcome)


async def open_okrs(pilot) -> OkrScreen:
    await settle(pilot)
    await pilot.press("3")
    screen = await wait_for_screen(pilot, OkrScreen)
    await wait_until(pilot, lambda: screen.board is not None, "the OKR board")
    await settle(pilot)
    return screen


def okr_table(screen: OkrScreen) -> DataTable:
    return screen.query_one("#okr-table", DataTable)


async def put_cursor_on(pilot, screen: OkrScreen, code: str) -> None:
    table = okr_table(screen)
    table.move_cursor(row=table.get_row_index(code))
    await pilot.pause()
    assert screen._selected_key() == code


def row_text(screen: OkrScreen, code: str) -> str:
    """One row of the OKR table as plain text, cells separated by ' | '."""
    cells = okr_table(screen).get_row(code)
    return " | ".join(getattr(c, "plain", str(c)) for c in cells)


def plain(widget: Static) -> str:
    content = widget.content
    return getattr(content, "plain", str(content))


def error_of(form: FormScreen, field: str) -> str:
    return plain(form.query_one(f"#error-{field}", Static))


def shown_errors(form: FormScreen) -> dict[str, str]:
    """Every field message the form shows right now."""
    return {f.name: error_of(form, f.name) for f in form.fields if error_of(form, f.name)}


async def save_form(pilot) -> None:
    """ctrl+s, then wait until the form closed or showed its messages."""
    form = pilot.app.screen
    assert isinstance(form, FormScreen)
    await pilot.press("ctrl+s")
    await wait_until(
        pilot,
        lambda: (
            pilot.app.screen is not form
            or (
                not form.query_one("#form-status", Static).content.plain.startswith("saving")
                and bool(form.query_one("#form-status", Static).content.plain)
            )
        ),
        "the form to save or refuse",
    )
    await settle(pilot)


async def refused(pilot, field: str, fragment: str) -> FormScreen:
    """Save; the form must stay open with the message beside `field`."""
    form = pilot.app.screen
    await save_form(pilot)
    assert pilot.app.screen is form, "a refused form stays open"
    assert fragment in error_of(form, field), shown_errors(form)
    assert form.focused is form.query_one(f"#field-{field}"), "the wrong field gets the focus"
    return form


async def each_refused(pilot, form: FormScreen, store, valid: dict, cases) -> None:
    """In one open form: each case (valid values with some replaced) is refused beside its
    field only, what was typed stays, and the database does not change."""
    before = store.export_portfolio()
    for values, field, message in cases:
        typed = {**valid, **values}
        fill(form, **typed)
        await refused(pilot, field, message)
        assert set(shown_errors(form)) == {field}, (values, shown_errors(form))
        assert message[:20] in screen_text(pilot.app), "the message is on screen"
        for name, value in typed.items():
            assert form.values()[name] == value, "what was typed stays in the form"
        assert store.export_portfolio() == before, f"nothing saved for {values}"


def objective(store, code: str, cycle: str | None = None):
    board = store.okr_board(TODAY, cycle, holding=None if cycle else code)
    return next(o for o in board.objectives if o.code == code)


def key_result(store, code: str):
    return store.key_result_detail(code, TODAY)[1]


def all_objective_codes(store) -> set[str]:
    return {o["code"] for o in store.export_portfolio()["objectives"]}


def check_in_count(export: dict) -> int:
    return sum(len(kr["check_ins"]) for o in export["objectives"] for kr in o["key_results"])


# ---------------------------------------------------------------------- the OKR screen


async def test_okr_screen_shows_the_current_cycle_with_its_key_results(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        text = screen_text(app)
        assert "OKRs · 2026-Q4 (current)" in text
        assert screen.board.cycle.name == "2026-Q4"
        keys = [row.value for row in okr_table(screen).rows]
        assert keys == [
            "Q4-O1",
            "Q4-O1-KR1",
            "Q4-O1-KR2",
            "Q4-O1-KR3",
            "Q4-O2",
            "Q4-O2-KR1",
            "Q4-O2-KR2",
            "Q4-O3",
            "Q4-O3-KR1",
            "Q4-O3-KR2",
            "Q4-O3-KR3",
        ], "each objective with its key results beneath it"
        first = row_text(screen, "Q4-O1")
        assert "Q4-O1 Increase the PMO" in first
        assert "48%" in first and "partial" in first and "6/10" in first and "on track" in first
        kr = row_text(screen, "Q4-O1-KR2")
        assert "├ KR2 Projects aligned" in kr and "73%" in kr and "8/10" in kr
        assert "└ KR3" in row_text(screen, "Q4-O1-KR3"), "the last key result closes the tree"
        assert "overdue" in row_text(screen, "Q4-O3-KR2")
        assert "overdue" not in row_text(screen, "Q4-O3-KR1")
        assert "behind" in row_text(screen, "Q4-O2"), "progress below 0.4, not graded yet"
        for shown in ("Q4-O1 Increase the PMO", "KR2 Projects aligned", "overdue", "6/10"):
            assert shown in text

        # The details panel: parent and goal of the highlighted objective.
        await put_cursor_on(pilot, screen, "Q4-O2")
        await settle(pilot)
        details = plain(screen.query_one("#okr-details", Static))
        assert "parent Q4-O1" in details
        assert "goal G3 Deliver a better customer experience" in details
        assert "owner Mei Tanaka" in details
        assert "parent Q4-O1" in screen_text(app)
        await put_cursor_on(pilot, screen, "Q4-O3")
        details = plain(screen.query_one("#okr-details", Static))
        assert "carried from Q3-O2" in details and "parent none" in details

        # [ goes to the older cycle, graded; ] comes back.
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: screen.board.cycle.name == "2026-Q3", "2026-Q3")
        await settle(pilot)
        text = screen_text(app)
        assert "OKRs · 2026-Q3 (closed)" in text
        graded = row_text(screen, "Q3-O1")
        assert "graded 0.80" in graded and "achieved" in graded and "80%" in graded
        assert "graded 0.50" in row_text(screen, "Q3-O2") and "partial" in row_text(screen, "Q3-O2")
        assert "graded 1.00" in row_text(screen, "Q3-O1-KR1")
        await pilot.press("left_square_bracket")  # there is nothing older: it stays
        await settle(pilot)
        assert screen.board.cycle.name == "2026-Q3"
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: screen.board.cycle.name == "2026-Q4", "2026-Q4 again")
        await settle(pilot)
        assert "OKRs · 2026-Q4 (current)" in screen_text(app)
        assert "Q4-O1" in okr_table(screen).rows


async def test_w_shows_one_owner_at_a_time(sample_store) -> None:
    board = sample_store.okr_board(TODAY)
    owners = sorted(
        {o.owner for o in board.objectives}
        | {kr.owner for o in board.objectives for kr in o.key_results} - {""}
    )
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        for owner in owners:
            await pilot.press("w")
            await pilot.pause()
            assert screen.owner == owner
            shown = [r.value for r in okr_table(screen).rows if "-KR" not in r.value]
            expected = [
                o.code
                for o in board.objectives
                if o.owner == owner or any(kr.owner == owner for kr in o.key_results)
            ]
            assert shown == expected and shown
            assert f"{owner}'s" in screen_text(app)
        await pilot.press("w")
        await pilot.pause()
        assert screen.owner is None
        assert len([r for r in okr_table(screen).rows if "-KR" not in r.value]) == 3


# ---------------------------------------------------------------------- objectives


async def test_new_objective_is_saved_into_the_current_cycle(sample_store) -> None:
    before = all_objective_codes(sample_store)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        await pilot.press("o")
        form = await wait_for_screen(pilot, FormScreen)
        assert "New objective in 2026-Q4" in screen_text(app)
        assert form.focused is form.query_one("#field-title", Input), "typing starts in the title"
        # This form's key-by-key test: every key through pilot.press.
        await pilot.press(*"Shorten time to decision", "enter", *"Ada Okafor")
        fill(form, goal="G1", parent="Q4-O1")
        assert form.values()["cycle"] == "2026-Q4" and form.values()["status"] == "active"
        await save_form(pilot)
        assert app.screen is screen, "the form closed once saved"
        await settle(pilot)
        created = all_objective_codes(sample_store) - before
        assert len(created) == 1
        (code,) = created  # whatever code the store gives: read back
        assert code.endswith("-O4") and code not in before
        saved = objective(sample_store, code, "2026-Q4")
        assert (saved.title, saved.owner, saved.goal_code, saved.parent_code, saved.cycle, saved.status) == (
            "Shorten time to decision",
            "Ada Okafor",
            "G1",
            "Q4-O1",
            "2026-Q4",
            "active",
        )
        assert screen._selected_key() == code, "the cursor follows what was created"
        assert "Shorten time to decision" in screen_text(app)


async def test_new_objective_in_another_cycle_and_status(sample_store) -> None:
    before = all_objective_codes(sample_store)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_okrs(pilot)
        await pilot.press("o")
        form = await wait_for_screen(pilot, FormScreen)
        fill(form, title="Looking back", owner="", cycle="2026-Q3", status="draft")
        await save_form(pilot)
        assert isinstance(app.screen, OkrScreen), shown_errors(form)
        await settle(pilot)
    board = sample_store.okr_board(TODAY, "2026-Q3")
    (saved,) = [o for o in board.objectives if o.code not in ("Q3-O1", "Q3-O2", "Q3-O3")]
    assert sample_store.okr_board(TODAY, "2026-Q4").objectives[-1].code == "Q4-O3"
    assert (saved.title, saved.owner, saved.status, saved.goal_code, saved.parent_code) == (
        "Looking back",
        "",
        "draft",
        None,
        None,
    )
    assert all_objective_codes(sample_store) - before == {saved.code}


async def test_new_objective_without_a_title_is_refused(sample_store) -> None:
    before = sample_store.export_portfolio()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_okrs(pilot)
        await pilot.press("o")
        form = await wait_for_screen(pilot, FormScreen)
        await type_text(pilot, "   ")
        await pilot.press("enter")
        await type_text(pilot, "Ada")
        form = await refused(pilot, "title", "must not be empty")
        assert set(shown_errors(form)) == {"title"}
        assert form.values()["owner"] == "Ada", "what was typed is kept"
        assert "✗ must not be empty" in screen_text(app)
        await discard(pilot)
        await wait_for_screen(pilot, OkrScreen)
        await settle(pilot)
    assert sample_store.export_portfolio() == before


async def test_edit_an_objective_title_and_owner(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        await put_cursor_on(pilot, screen, "Q4-O2")
        await pilot.press("e")
        form = await wait_for_screen(pilot, FormScreen)
        assert "Edit objective Q4-O2" in screen_text(app)
        assert form.values() == {
            "title": "Improve stakeholder perception of PMO value",
            "owner": "Mei Tanaka",
            "goal": "G3",
            "parent": "Q4-O1",
            "cycle": "2026-Q4",
            "status": "active",
        }
        fill(form, title="Make the PMO's value visible", owner="Arjun Patel")
        await save_form(pilot)
        assert app.screen is screen
        await settle(pilot)
        assert screen._selected_key() == "Q4-O2"
        assert "Make the PMO's value visible" in row_text(screen, "Q4-O2")
    saved = objective(sample_store, "Q4-O2")
    assert (saved.code, saved.title, saved.owner, saved.goal_code, saved.parent_code) == (
        "Q4-O2",
        "Make the PMO's value visible",
        "Arjun Patel",
        "G3",
        "Q4-O1",
    )
    assert len(saved.key_results) == 2, "its key results stay with it"


async def test_enter_on_an_objective_opens_its_edit_form(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        await put_cursor_on(pilot, screen, "Q4-O3")
        await pilot.press("enter")
        form = await wait_for_screen(pilot, FormScreen)
        assert form.form_title == "Edit objective Q4-O3"
        fill(form, owner="Mei Tanaka")
        await save_form(pilot)
        assert app.screen is screen
    assert objective(sample_store, "Q4-O3").owner == "Mei Tanaka"


async def test_an_objective_cannot_be_put_under_its_own_child(sample_store) -> None:
    before = sample_store.export_portfolio()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        await put_cursor_on(pilot, screen, "Q4-O1")
        await pilot.press("e")
        form = await wait_for_screen(pilot, FormScreen)
        parents = [value for _, value in form.query_one("#field-parent", Select)._options]
        assert "Q4-O1" not in parents, "an objective is not offered as its own parent"
        fill(form, parent="Q4-O2")  # Q4-O2 sits under Q4-O1
        form = await refused(pilot, "parent", "cannot sit under itself or under one of its own children")
        await discard(pilot)
        await wait_for_screen(pilot, OkrScreen)
    assert sample_store.export_portfolio() == before


async def test_archive_an_objective_and_restore_it(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        await put_cursor_on(pilot, screen, "Q4-O1")
        await pilot.press("a")
        await wait_until(pilot, lambda: objective(sample_store, "Q4-O1").status == "archived", "the archive")
        await wait_until(
            pilot,
            lambda: okr_table(screen).rows and [r.value for r in okr_table(screen).rows][-4] == "Q4-O1",
            "the archived objective at the end",
        )
        await settle(pilot)
        keys = [r.value for r in okr_table(screen).rows]
        objectives = [k for k in keys if "-KR" not in k]
        assert objectives == ["Q4-O2", "Q4-O3", "Q4-O1"], "archived objectives are listed last"
        assert "archived" in row_text(screen, "Q4-O1")
        assert screen._selected_key() == "Q4-O1", "the cursor stays on it"
        await pilot.press("a")
        await wait_until(pilot, lambda: objective(sample_store, "Q4-O1").status == "active", "the restore")
        await settle(pilot)
        objectives = [r.value for r in okr_table(screen).rows if "-KR" not in r.value]
        assert objectives == ["Q4-O1", "Q4-O2", "Q4-O3"]
        assert "archived" not in row_text(screen, "Q4-O1")
    assert len(objective(sample_store, "Q4-O1").key_results) == 3


async def test_restoring_an_archived_objective_gives_back_its_status(sample_store) -> None:
    """A graded objective of a closed cycle comes back done, not active (a restored every
    objective as active on 00f0418)."""
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: screen.board.cycle.name == "2026-Q3", "2026-Q3")
        await settle(pilot)
        await put_cursor_on(pilot, screen, "Q3-O1")
        await pilot.press("a")
        await wait_until(pilot, lambda: objective(sample_store, "Q3-O1").status == "archived", "archive")
        await settle(pilot)
        await put_cursor_on(pilot, screen, "Q3-O1")
        await pilot.press("a")
        await wait_until(pilot, lambda: objective(sample_store, "Q3-O1").status != "archived", "restore")
        await settle(pilot)
    restored = objective(sample_store, "Q3-O1")
    assert restored.score == 0.8
    assert restored.status == "done"


async def test_archive_a_key_result_and_restore_it(sample_store) -> None:
    """a on a key result archives that key result (kept, counted for nothing), a again restores."""
    progress_before = objective(sample_store, "Q4-O2").progress
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        await put_cursor_on(pilot, screen, "Q4-O2-KR1")
        await pilot.press("a")
        await wait_until(pilot, lambda: key_result(sample_store, "Q4-O2-KR1").archived, "the archive")
        await settle(pilot)
        await wait_until(pilot, lambda: "archived" in row_text(screen, "Q4-O2-KR1"), "the row")
        keys = [r.value for r in okr_table(screen).rows]
        assert keys.index("Q4-O2-KR1") > keys.index("Q4-O2-KR2"), "archived key results come last"
        assert screen._selected_key() == "Q4-O2-KR1"
        assert objective(sample_store, "Q4-O2").status == "active", "the objective is untouched"
        assert objective(sample_store, "Q4-O2").progress == key_result(sample_store, "Q4-O2-KR2").progress
        await pilot.press("a")
        await wait_until(pilot, lambda: not key_result(sample_store, "Q4-O2-KR1").archived, "restore")
        await settle(pilot)
    assert objective(sample_store, "Q4-O2").progress == progress_before
    assert len(key_result(sample_store, "Q4-O2-KR1").check_ins) == 7


async def test_delete_an_objective_asks_first(sample_store) -> None:
    before = sample_store.export_portfolio()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        await put_cursor_on(pilot, screen, "Q4-O3")
        await pilot.press("delete")
        question = await wait_for_screen(pilot, ConfirmScreen)
        assert "Delete objective Q4-O3" in question.question and "3 key results" in question.question
        await pilot.press("n")
        await wait_for_screen(pilot, OkrScreen)
        await settle(pilot)
        assert sample_store.export_portfolio() == before, "n keeps everything"
        assert "Q4-O3" in okr_table(screen).rows

        await pilot.press("delete")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: "Q4-O3" not in all_objective_codes(sample_store), "the delete")
        await settle(pilot)
        await wait_until(pilot, lambda: "Q4-O3" not in okr_table(screen).rows, "the table to drop it")
        assert "Q4-O3-KR2" not in okr_table(screen).rows
    after = sample_store.export_portfolio()
    assert all_objective_codes(sample_store) == all_objective_codes_of(before) - {"Q4-O3"}
    assert check_in_count(after) == check_in_count(before) - (7 + 4 + 7), "its check-ins went with it"
    with pytest.raises(NotFound):
        sample_store.key_result_detail("Q4-O3-KR1", TODAY)


def all_objective_codes_of(export: dict) -> set[str]:
    return {o["code"] for o in export["objectives"]}


# ---------------------------------------------------------------------- key results


async def open_new_key_result(pilot, code: str = "Q4-O2") -> FormScreen:
    screen = await open_okrs(pilot)
    await put_cursor_on(pilot, screen, code)
    await pilot.press("k")
    form = await wait_for_screen(pilot, FormScreen)
    assert form.form_title == f"New key result for {code}"
    return form


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {
                "title": "Executive sponsors briefed",
                "kind": "increase",
                "unit": "count",
                "baseline": "2",
                "target": "12",
                "weight": "2",
                "owner": "Ada Okafor",
                "kpi": "",
            },
            {
                "kind": "increase",
                "unit": "count",
                "baseline": 2.0,
                "target": 12.0,
                "band_low": None,
                "band_high": None,
                "weight": 2.0,
                "owner": "Ada Okafor",
                "kpi_code": None,
            },
        ),
        (
            {
                "title": "Change requests per project down",
                "kind": "decrease",
                "unit": "",
                "baseline": "3.4",
                "target": "2.5",
                "kpi": "CRPP",
            },
            {
                "kind": "decrease",
                "unit": "",
                "baseline": 3.4,
                "target": 2.5,
                "band_low": None,
                "band_high": None,
                "weight": 1.0,
                "owner": "Mei Tanaka",
                "kpi_code": "CRPP",
            },
        ),
        (
            {
                "title": "Utilisation in band",
                "kind": "within_band",
                "unit": "%",
                "baseline": "88",
                "target": "80",
                "band_low": "75",
                "band_high": "85",
                "kpi": "UTIL",
            },
            {
                "kind": "within_band",
                "unit": "%",
                "baseline": 88.0,
                "target": 80.0,
                "band_low": 75.0,
                "band_high": 85.0,
                "weight": 1.0,
                "owner": "Mei Tanaka",
                "kpi_code": "UTIL",
            },
        ),
        (
            {"title": "Feedback portal live", "kind": "milestone", "baseline": "", "target": ""},
            {
                "kind": "milestone",
                "unit": "",
                "baseline": 0.0,
                "target": 1.0,
                "band_low": None,
                "band_high": None,
                "weight": 1.0,
                "owner": "Mei Tanaka",
                "kpi_code": None,
            },
        ),
    ],
    ids=["increase", "decrease", "within_band", "milestone"],
)
async def test_new_key_result_of_each_kind(sample_store, values, expected) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_new_key_result(pilot)
        assert form.values()["owner"] == "Mei Tanaka", "the objective's owner is offered"
        assert form.values()["weight"] == "1"
        fill(form, **values)
        await save_form(pilot)
        screen = app.screen
        assert isinstance(screen, OkrScreen), shown_errors(form)
        await settle(pilot)
        assert screen._selected_key() == "Q4-O2-KR3", "the cursor lands on the new key result"
        assert "KR3" in row_text(screen, "Q4-O2-KR3")
    saved = key_result(sample_store, "Q4-O2-KR3")
    assert saved.title == values["title"]
    assert saved.objective_code == "Q4-O2"
    assert {name: getattr(saved, name) for name in expected} == expected
    assert saved.check_ins == ()


BAD_KEY_RESULTS = [
    ({"baseline": "abc"}, "baseline", "“abc” is not a number"),
    ({"target": "ten"}, "target", "“ten” is not a number"),
    ({"baseline": "nan"}, "baseline", "enter a finite number"),
    ({"target": "nan"}, "target", "enter a finite number"),
    ({"target": "1e999"}, "target", "enter a finite number"),
    ({"target": "1,5"}, "target", "use a point for decimals"),
    ({"baseline": ""}, "baseline", "enter a number"),
    (
        {"kind": "increase", "baseline": "50", "target": "40"},
        "target",
        "an increase needs a target above the baseline",
    ),
    (
        {"kind": "decrease", "baseline": "40", "target": "50"},
        "target",
        "a decrease needs a target below the baseline",
    ),
    (
        {"kind": "within_band", "band_low": "90", "band_high": "80"},
        "band_high",
        "must not be below the lower bound",
    ),
    (
        {"kind": "within_band", "band_low": "", "band_high": ""},
        "band_low",
        "a band needs a lower or an upper bound",
    ),
    ({"band_low": "inf"}, "band_low", "enter a finite number"),
    ({"weight": "0"}, "weight", "must be more than 0"),
    ({"weight": "-1"}, "weight", "must be at least 0"),
    ({"weight": "heavy"}, "weight", "“heavy” is not a number"),
    ({"title": ""}, "title", "must not be empty"),
    ({"title": "   "}, "title", "must not be empty"),
    ({"title": "x" * 201}, "title", "at most 200 characters"),
]


@pytest.mark.slow
async def test_bad_key_results_are_refused_beside_their_field(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_new_key_result(pilot)
        valid = {
            "title": "Reach",
            "kind": "increase",
            "unit": "",
            "baseline": "10",
            "target": "20",
            "band_low": "",
            "band_high": "",
            "weight": "1",
        }
        await each_refused(pilot, form, sample_store, valid, BAD_KEY_RESULTS)
        await discard(pilot)
        await wait_for_screen(pilot, OkrScreen)
        await settle(pilot)
    assert [kr.code for kr in objective(sample_store, "Q4-O2").key_results] == ["Q4-O2-KR1", "Q4-O2-KR2"]


@pytest.mark.slow
async def test_typing_a_key_result_from_the_keyboard(sample_store) -> None:
    """Enter walks the fields; the Select fields keep their defaults (increase, no KPI)."""
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_new_key_result(pilot, "Q4-O1")
        assert form.focused is form.query_one("#field-title", Input)
        # This form's key-by-key test: every key through pilot.press.
        await pilot.press(*"Sponsors trained from 0 to 20")
        form.query_one("#field-baseline", Input).focus()
        await pilot.press(*"0", "enter", *"20")
        await save_form(pilot)
        assert isinstance(app.screen, OkrScreen), shown_errors(form)
    saved = key_result(sample_store, "Q4-O1-KR4")
    assert (saved.title, saved.kind, saved.baseline, saved.target, saved.weight, saved.owner) == (
        "Sponsors trained from 0 to 20",
        "increase",
        0.0,
        20.0,
        1.0,
        "Grace Whitfield",
    )


async def test_moving_a_checked_in_target_needs_a_reason(sample_store) -> None:
    before = sample_store.export_portfolio()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        await put_cursor_on(pilot, screen, "Q4-O1-KR3")
        await pilot.press("e")
        form = await wait_for_screen(pilot, FormScreen)
        assert form.form_title == "Edit key result Q4-O1-KR3"
        assert form.values()["target"] == "23" and form.values()["reason"] == ""
        fill(form, target="22")
        form = await refused(pilot, "reason", "7 check-ins exist: say why the target changes")
        assert sample_store.export_portfolio() == before, "nothing saved without a reason"

        fill(form, reason="The ERP overrun is sunk cost")
        await save_form(pilot)
        assert app.screen is screen, shown_errors(form)
        await settle(pilot)
        assert screen._selected_key() == "Q4-O1-KR3"
    saved = key_result(sample_store, "Q4-O1-KR3")
    assert saved.target == 22.0
    assert saved.original_target == 23.0, "the first target stays on record"
    assert saved.target_change_reason == "The ERP overrun is sunk cost"
    assert len(saved.check_ins) == 7


async def test_a_second_move_keeps_the_very_first_target(sample_store) -> None:
    """Q4-O2-KR1 was already moved from 100 to 80 in the sample: 100 stays the first target."""
    assert key_result(sample_store, "Q4-O2-KR1").original_target == 100.0
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        await put_cursor_on(pilot, screen, "Q4-O2-KR1")
        await pilot.press("e")
        form = await wait_for_screen(pilot, FormScreen)
        fill(form, target="70", reason="One more seat is vacant")
        await save_form(pilot)
        assert app.screen is screen, shown_errors(form)
    saved = key_result(sample_store, "Q4-O2-KR1")
    assert (saved.target, saved.original_target, saved.target_change_reason) == (
        70.0,
        100.0,
        "One more seat is vacant",
    )


async def test_editing_a_checked_in_key_result_without_moving_the_target_needs_no_reason(
    sample_store,
) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        await put_cursor_on(pilot, screen, "Q4-O2-KR1")
        await pilot.press("e")
        form = await wait_for_screen(pilot, FormScreen)
        fill(form, title="Workshops held with 80 % of executives", weight="3")
        await save_form(pilot)
        assert app.screen is screen, shown_errors(form)
    saved = key_result(sample_store, "Q4-O2-KR1")
    assert (saved.title, saved.weight, saved.target, saved.original_target) == (
        "Workshops held with 80 % of executives",
        3.0,
        80.0,
        100.0,
    )
    assert saved.target_change_reason.startswith("Two of the ten executive seats are vacant")


async def test_delete_a_key_result_asks_first_and_takes_its_check_ins(sample_store) -> None:
    before = sample_store.export_portfolio()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        await put_cursor_on(pilot, screen, "Q4-O2-KR1")
        await pilot.press("delete")
        question = await wait_for_screen(pilot, ConfirmScreen)
        assert "Delete key result Q4-O2-KR1" in question.question
        assert "7 check-ins" in question.question
        await pilot.press("n")
        await wait_for_screen(pilot, OkrScreen)
        await settle(pilot)
        assert sample_store.export_portfolio() == before, "n keeps everything"

        await pilot.press("delete")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: "Q4-O2-KR1" not in okr_table(screen).rows, "the delete")
        await settle(pilot)
        assert screen._selected_key() == "Q4-O2", "the cursor goes back to the objective"
    after = sample_store.export_portfolio()
    remaining = [kr["code"] for o in after["objectives"] if o["code"] == "Q4-O2" for kr in o["key_results"]]
    assert remaining == ["Q4-O2-KR2"]
    assert check_in_count(after) == check_in_count(before) - 7


# ---------------------------------------------------------------------- cycles


async def open_cycles(pilot) -> CyclesScreen:
    okrs = await open_okrs(pilot)
    await pilot.press("y")
    cycles = await wait_for_screen(pilot, CyclesScreen)
    await settle(pilot)
    await wait_until(pilot, lambda: cycles.query_one(DataTable).row_count > 0, "the cycles list")
    assert okrs is not None
    return cycles


async def cursor_on_cycle(pilot, cycles: CyclesScreen, name: str) -> None:
    table = cycles.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(name))
    await pilot.pause()
    assert cycles._cycle().name == name


def cycle_status(store, name: str) -> str | None:
    return next((c.status for c in store.cycles(TODAY) if c.name == name), None)


async def test_new_cycle_defaults_to_the_quarter_after_the_latest(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        cycles = await open_cycles(pilot)
        assert [r.value for r in cycles.query_one(DataTable).rows] == ["2026-Q4", "2026-Q3"]
        await pilot.press("n")
        form = await wait_for_screen(pilot, FormScreen)
        assert form.values() == {"name": "2027-Q1", "start": "2027-01-01", "end": "2027-03-31"}
        await save_form(pilot)
        assert app.screen is cycles, shown_errors(form)
        await settle(pilot)
        await wait_until(pilot, lambda: "2027-Q1" in cycles.query_one(DataTable).rows, "the new row")
        assert "2027-Q1" in screen_text(app)
    created = next(c for c in sample_store.cycles(TODAY) if c.name == "2027-Q1")
    assert (created.start, created.end, created.status) == (date(2027, 1, 1), date(2027, 3, 31), "open")


async def test_bad_cycles_are_refused(sample_store) -> None:
    cases = [
        ({"start": "2027-03-31", "end": "2027-01-01"}, "end", "must come after the start"),
        ({"end": "2027-01-01"}, "end", "must come after the start"),
        ({"start": "2026-02-30"}, "start", "2026-02-30 does not exist"),
        ({"end": "2027-02-29"}, "end", "2027-02-29 does not exist"),
        ({"end": "31/03/2027"}, "end", "is not a date as YYYY-MM-DD"),
        ({"start": ""}, "start", "enter a date as YYYY-MM-DD"),
        ({"name": ""}, "name", "must not be empty"),
        ({"name": "2027 Q1"}, "name", "letters, digits"),
        ({"name": "2026-Q3"}, "name", "there is already a cycle named 2026-Q3"),
    ]
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_cycles(pilot)
        await pilot.press("n")
        form = await wait_for_screen(pilot, FormScreen)
        valid = {"name": "2027-Q1", "start": "2027-01-01", "end": "2027-03-31"}
        await each_refused(pilot, form, sample_store, valid, cases)
        await discard(pilot)
        await wait_for_screen(pilot, CyclesScreen)
    assert [c.name for c in sample_store.cycles(TODAY)] == ["2026-Q4", "2026-Q3"]


async def test_rename_a_cycle_keeps_its_objectives(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        cycles = await open_cycles(pilot)
        await cursor_on_cycle(pilot, cycles, "2026-Q3")
        await pilot.press("e")
        form = await wait_for_screen(pilot, FormScreen)
        assert form.values() == {"name": "2026-Q3", "start": "2026-07-01", "end": "2026-09-30"}
        fill(form, name="FY26-Q3")
        await save_form(pilot)
        assert app.screen is cycles, shown_errors(form)
        await settle(pilot)
        await wait_until(pilot, lambda: "FY26-Q3" in cycles.query_one(DataTable).rows, "the rename")
    assert [c.name for c in sample_store.cycles(TODAY)] == ["2026-Q4", "FY26-Q3"]
    board = sample_store.okr_board(TODAY, "FY26-Q3")
    assert [o.code for o in board.objectives] == ["Q3-O1", "Q3-O2", "Q3-O3"]
    assert board.cycle.status == "closed"


async def test_archive_restore_and_reopen_a_cycle(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        cycles = await open_cycles(pilot)
        await cursor_on_cycle(pilot, cycles, "2026-Q3")
        await pilot.press("a")
        await wait_until(pilot, lambda: cycle_status(sample_store, "2026-Q3") == "archived", "archive")
        await settle(pilot)
        assert cycles._cycle().name == "2026-Q3", "the cursor stays on it"
        await wait_until(pilot, lambda: cycles._cycle().status == "archived", "the list to say so")
        assert "archived" in screen_text(app)
        await pilot.press("a")
        await wait_until(pilot, lambda: cycle_status(sample_store, "2026-Q3") == "closed", "restore")
        await settle(pilot)
        await wait_until(pilot, lambda: cycles._cycle().status == "closed", "the list to say so")
        await pilot.press("r")
        await wait_until(pilot, lambda: cycle_status(sample_store, "2026-Q3") == "open", "reopen")
        await settle(pilot)
        # r on an open cycle does nothing.
        await pilot.press("r")
        await settle(pilot)
        assert cycle_status(sample_store, "2026-Q3") == "open"
    assert cycle_status(sample_store, "2026-Q4") == "open"
    assert [o.score for o in sample_store.okr_board(TODAY, "2026-Q3").objectives] == [0.8, 0.5, 0.8]


async def test_delete_a_cycle_asks_first(sample_store) -> None:
    before = sample_store.export_portfolio()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        cycles = await open_cycles(pilot)
        await cursor_on_cycle(pilot, cycles, "2026-Q3")
        await pilot.press("delete")
        question = await wait_for_screen(pilot, ConfirmScreen)
        assert "Delete cycle 2026-Q3" in question.question
        await pilot.press("n")
        await wait_for_screen(pilot, CyclesScreen)
        await settle(pilot)
        assert sample_store.export_portfolio() == before, "n keeps everything"
        await pilot.press("delete")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: cycle_status(sample_store, "2026-Q3") is None, "the delete")
        await settle(pilot)
        await wait_until(pilot, lambda: "2026-Q3" not in cycles.query_one(DataTable).rows, "the row")
    after = sample_store.export_portfolio()
    assert [c["name"] for c in after["cycles"]] == ["2026-Q4"]
    assert all_objective_codes_of(after) == {"Q4-O1", "Q4-O2", "Q4-O3"}
    assert check_in_count(after) == check_in_count(before) - 9 * 13, "its check-ins went with it"


async def test_enter_picks_a_cycle_for_the_okr_screen(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        cycles = await open_cycles(pilot)
        assert cycles._cycle().name == "2026-Q4", "the cursor starts on the cycle shown"
        await pilot.press("down", "enter")
        screen = await wait_for_screen(pilot, OkrScreen)
        await wait_until(pilot, lambda: screen.board.cycle.name == "2026-Q3", "2026-Q3")
        await settle(pilot)
        assert "OKRs · 2026-Q3 (closed)" in screen_text(app)
        assert [r.value for r in okr_table(screen).rows if "-KR" not in r.value] == [
            "Q3-O1",
            "Q3-O2",
            "Q3-O3",
        ]
        # Esc leaves the cycle as it was.
        await pilot.press("y")
        await wait_for_screen(pilot, CyclesScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, OkrScreen)
        await settle(pilot)
        assert screen.board.cycle.name == "2026-Q3"


# ---------------------------------------------------------------------- close and grade


async def test_close_declined_changes_nothing(sample_store) -> None:
    before = sample_store.export_portfolio()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        await pilot.press("x")
        question = await wait_for_screen(pilot, ConfirmScreen)
        assert "Close 2026-Q4 and grade it?" in question.question
        assert "3 objectives" in question.question
        await pilot.press("n")
        await wait_for_screen(pilot, OkrScreen)
        await settle(pilot)
        assert screen.board.cycle.status == "open"
    assert sample_store.export_portfolio() == before


async def close_q4(pilot, store) -> tuple[CloseSummaryScreen, dict[str, float], dict[str, float]]:
    board = store.okr_board(TODAY)
    progress = {o.code: o.progress for o in board.objectives}
    kr_progress = {kr.code: kr.progress for o in board.objectives for kr in o.key_results}
    await open_okrs(pilot)
    await pilot.press("x")
    await wait_for_screen(pilot, ConfirmScreen)
    await pilot.press("y")
    summary = await wait_for_screen(pilot, CloseSummaryScreen)
    await settle(pilot)
    return summary, progress, kr_progress


async def test_close_summary_shows_a_hostile_title_literally(sample_store) -> None:
    from textual.widgets import SelectionList

    title = "[bold]x[/] [@click=app.quit]q[/] [link=file:///etc/passwd]y[/link]"
    sample_store.save_objective(ObjectiveDefinition(title, "2026-Q4", "", None, None, "active"))
    app = make_app(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        summary, _, _ = await close_q4(pilot, sample_store)
        prompts = [str(option.prompt) for option in summary.query_one(SelectionList)._options]
        assert any(title in prompt for prompt in prompts)
        assert "[@click=app.quit]q[/]" in screen_text(app)
        assert app.is_running


async def test_close_grades_and_carries_the_ticked_objectives(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        summary, progress, kr_progress = await close_q4(pilot, sample_store)
        title = plain(summary.query_one("#close-title", Static))
        assert "2026-Q4 is closed and graded" in title
        assert "achieved" in title and "partial" in title and "missed" in title
        assert "0 achieved, 1 partial, 2 missed" in title
        assert "closed and graded" in screen_text(app)
        # Stored at once, before any carry-over: score = progress, objectives done, cycle closed.
        board = sample_store.okr_board(TODAY, "2026-Q4")
        assert board.cycle.status == "closed"
        for row in board.objectives:
            assert row.status == "done"
            for kr in row.key_results:
                assert kr.score == round(kr_progress[kr.code], 2), "a key result's score is its progress"
            weighted = sum(kr.score * kr.weight for kr in row.key_results) / sum(
                kr.weight for kr in row.key_results
            )
            assert row.score == round(weighted, 2), "the objective's score: weighted mean of its KRs'"
            assert row.score == pytest.approx(progress[row.code], abs=0.01)
        assert "2027-Q1" not in {c.name for c in sample_store.cycles(TODAY)}

        choices = summary.query_one("#carry-list", SelectionList)
        assert sorted(choices.selected) == ["Q4-O1", "Q4-O2", "Q4-O3"], "all unfinished are ticked"
        assert choices.has_focus
        # Untick Q4-O2 with the keyboard.
        choices.highlighted = 1
        await pilot.press("space")
        await pilot.pause()
        assert sorted(choices.selected) == ["Q4-O1", "Q4-O3"]
        await pilot.press("ctrl+s")
        screen = await wait_for_screen(pilot, OkrScreen)
        await settle(pilot)
        assert screen.board.cycle.status == "closed"
    carried = sample_store.okr_board(TODAY, "2027-Q1")
    assert (carried.cycle.start, carried.cycle.end, carried.cycle.status) == (
        date(2027, 1, 1),
        date(2027, 3, 31),
        "open",
    )
    by_origin = {o.carried_from: o for o in carried.objectives}
    assert set(by_origin) == {"Q4-O1", "Q4-O3"}
    first = by_origin["Q4-O1"]
    assert first.code == "2027-Q1-O1" and first.status == "active" and first.goal_code == "G2"
    assert first.title == "Increase the PMO's contribution to strategic outcomes"
    baselines = {kr.code.rsplit("-", 1)[-1]: (kr.kind, kr.baseline, kr.target) for kr in first.key_results}
    assert baselines == {
        "KR1": ("milestone", 0.0, 1.0),
        "KR2": ("increase", 84.6, 90.0),
        "KR3": ("increase", 21.4, 23.0),
    }, "increase and decrease start from their last value"
    third = {
        kr.code.rsplit("-", 1)[-1]: (kr.kind, kr.baseline, kr.target) for kr in by_origin["Q4-O3"].key_results
    }
    assert third == {
        "KR1": ("decrease", 3.4, 2.0),
        "KR2": ("within_band", 88.0, 80.0),
        "KR3": ("increase", 67.0, 100.0),
    }
    assert all(kr.check_ins == () for o in carried.objectives for kr in o.key_results)


async def test_escape_on_the_summary_carries_nothing(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        summary, _, _ = await close_q4(pilot, sample_store)
        assert summary.summary.unfinished == ("Q4-O1", "Q4-O2", "Q4-O3")
        after_close = sample_store.export_portfolio()
        await pilot.press("escape")
        screen = await wait_for_screen(pilot, OkrScreen)
        await settle(pilot)
        assert "2026-Q4 (closed)" in screen_text(app)
        assert "graded" in row_text(screen, "Q4-O1")
        # A closed cycle is not closed twice.
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, OkrScreen)
    assert sample_store.export_portfolio() == after_close, "Esc carries none"
    assert [c.name for c in sample_store.cycles(TODAY)] == ["2026-Q4", "2026-Q3"]


# ---------------------------------------------------------------------- key-result detail


async def open_kr_detail(pilot, code: str) -> KeyResultDetailScreen:
    screen = await open_okrs(pilot)
    await put_cursor_on(pilot, screen, code)
    await pilot.press("enter")
    detail = await wait_for_screen(pilot, KeyResultDetailScreen)
    await wait_until(pilot, lambda: detail.key_result is not None, "the key result")
    await settle(pilot)
    return detail


def history_keys(detail: KeyResultDetailScreen) -> list[str]:
    return [r.value for r in detail.query_one("#check-ins", DataTable).rows]


async def test_key_result_detail_lists_check_ins_newest_first(sample_store) -> None:
    stored = key_result(sample_store, "Q4-O2-KR1").check_ins
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_kr_detail(pilot, "Q4-O2-KR1")
        assert history_keys(detail) == [str(c.id) for c in reversed(stored)]
        table = detail.query_one("#check-ins", DataTable)
        dates = [table.get_row_at(i)[0].plain for i in range(table.row_count)]
        assert dates == sorted(dates, reverse=True) and dates[0] == "2026-11-15"
        spark = detail.query_one("#kr-spark", Sparkline)
        assert list(spark.data) == [c.value for c in stored], "the sparkline runs oldest to newest"
        text = screen_text(app)
        assert "Q4-O2-KR1 · Workshops held with 80 % of key executives" in text
        assert "Check-ins 7" in text
        assert "2026-11-15" in text and "Three more booked for early December" in text
        await pilot.press("escape")
        await wait_for_screen(pilot, OkrScreen)


async def test_correct_a_check_in(sample_store) -> None:
    newest = key_result(sample_store, "Q4-O2-KR1").check_ins[-1]
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_kr_detail(pilot, "Q4-O2-KR1")
        await pilot.press("enter")  # the check-in whole; e corrects it
        await wait_for_screen(pilot, TextScreen)
        await pilot.press("e")
        form = await wait_for_screen(pilot, FormScreen)
        assert form.form_title == "Q4-O2-KR1: correct the check-in of 2026-11-15"
        assert form.values() == {
            "on": "2026-11-15",
            "value": "40",
            "confidence": "8",
            "comment": "Three more booked for early December",
        }
        fill(form, value="45", confidence="7", comment="Four more booked")
        await save_form(pilot)
        assert app.screen is detail, "one form, closed once saved"
        await settle(pilot)
        await wait_until(pilot, lambda: detail.key_result.check_ins[-1].value == 45, "the reload")
        assert "Four more booked" in screen_text(app)
    check_ins = key_result(sample_store, "Q4-O2-KR1").check_ins
    assert len(check_ins) == 7
    corrected = check_ins[-1]
    assert (corrected.id, corrected.on, corrected.value, corrected.confidence, corrected.comment) == (
        newest.id,
        date(2026, 11, 15),
        45.0,
        0.7,
        "Four more booked",
    )


async def test_bad_corrections_are_refused(sample_store) -> None:
    cases = [
        ({"on": "2026-02-30"}, "on", "2026-02-30 does not exist"),
        ({"on": "13/11/2026"}, "on", "is not a date as YYYY-MM-DD"),
        ({"on": ""}, "on", "enter a date as YYYY-MM-DD"),
        ({"confidence": "11"}, "confidence", "must be at most 10"),
        ({"confidence": "-1"}, "confidence", "must be at least 0"),
        ({"confidence": "nan"}, "confidence", "enter a finite number"),
        ({"confidence": "high"}, "confidence", "“high” is not a number"),
        ({"value": "lots"}, "value", "“lots” is not a number"),
        ({"value": ""}, "value", "enter a number"),
        ({"value": "inf"}, "value", "enter a finite number"),
        ({"on": "2026-11-08"}, "on", "2026-11-08 already has a check-in; correct that one"),
    ]
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_kr_detail(pilot, "Q4-O2-KR1")
        await pilot.press("enter")  # the check-in whole; e corrects it
        await wait_for_screen(pilot, TextScreen)
        await pilot.press("e")
        form = await wait_for_screen(pilot, FormScreen)
        valid = {"on": "2026-11-15", "value": "41", "confidence": "7", "comment": "corrected"}
        await each_refused(pilot, form, sample_store, valid, cases)
        await discard(pilot)
        assert await wait_for_screen(pilot, KeyResultDetailScreen) is detail


@pytest.mark.slow
async def test_edit_the_key_result_from_its_detail(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_kr_detail(pilot, "Q4-O3-KR2")
        await pilot.press("e")
        form = await wait_for_screen(pilot, FormScreen)
        assert form.form_title == "Edit key result Q4-O3-KR2"
        assert (form.values()["kind"], form.values()["band_low"], form.values()["band_high"]) == (
            "within_band",
            "75",
            "85",
        )
        fill(form, title="Utilisation between 70 % and 85 %", band_low="70")
        await save_form(pilot)
        assert app.screen is detail, shown_errors(form)
        await settle(pilot)
        await wait_until(pilot, lambda: detail.key_result.band_low == 70, "the reload")
        assert "Utilisation between 70 % and 85 %" in screen_text(app)
    saved = key_result(sample_store, "Q4-O3-KR2")
    assert (saved.title, saved.band_low, saved.band_high, saved.kpi_code) == (
        "Utilisation between 70 % and 85 %",
        70.0,
        85.0,
        "UTIL",
    )


async def test_delete_a_check_in_asks_first(sample_store) -> None:
    stored = key_result(sample_store, "Q4-O2-KR1").check_ins
    before = sample_store.export_portfolio()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_kr_detail(pilot, "Q4-O2-KR1")
        await pilot.press("down")  # the second newest
        await pilot.pause()
        assert detail._selected().id == stored[-2].id
        await pilot.press("delete")
        question = await wait_for_screen(pilot, ConfirmScreen)
        assert f"check-in of {stored[-2].on.isoformat()}" in question.question
        await pilot.press("n")
        await wait_for_screen(pilot, KeyResultDetailScreen)
        await settle(pilot)
        assert sample_store.export_portfolio() == before, "n keeps it"
        await pilot.press("delete")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: len(history_keys(detail)) == 6, "the list to shrink")
        await settle(pilot)
        assert str(stored[-2].id) not in history_keys(detail)
    remaining = key_result(sample_store, "Q4-O2-KR1").check_ins
    assert [c.id for c in remaining] == [c.id for c in stored if c.id != stored[-2].id]


async def test_a_deleted_check_in_stays_gone_when_the_resume_reload_is_slow(
    sample_store, monkeypatch
) -> None:
    import time

    real_detail, real_delete = sample_store.key_result_detail, sample_store.delete_check_in
    deleting: list[bool] = []
    reading: list[int] = [0]  # reads under way since the delete was asked for

    def slow_detail(code, today):
        counted = bool(deleting)
        reading[0] += counted
        try:
            result = real_detail(code, today)
            if deleting and len(result[1].check_ins) == 7:
                time.sleep(0.4)  # a busy machine: the read made before the delete comes back last
            return result
        finally:
            reading[0] -= counted

    def slow_delete(check_in_id):
        time.sleep(0.15)
        real_delete(check_in_id)

    monkeypatch.setattr(sample_store, "key_result_detail", slow_detail)
    monkeypatch.setattr(sample_store, "delete_check_in", slow_delete)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_kr_detail(pilot, "Q4-O2-KR1")
        await pilot.press("delete")
        await wait_for_screen(pilot, ConfirmScreen)
        deleting.append(True)
        await pilot.press("y")
        await wait_until(pilot, lambda: len(real_detail("Q4-O2-KR1", TODAY)[1].check_ins) == 6, "delete")
        await wait_until(pilot, lambda: reading[0] == 0, "the read made before the delete to come back")
        await settle(pilot)
        assert len(history_keys(detail)) == 6, "the deleted check-in is not listed"


async def test_add_a_dated_check_in(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_kr_detail(pilot, "Q4-O2-KR1")
        await pilot.press("a")
        form = await wait_for_screen(pilot, FormScreen)
        assert form.form_title == "Q4-O2-KR1: add a check-in"
        assert form.values() == {"on": "2026-11-20", "value": "40", "confidence": "8", "comment": ""}
        fill(form, on="2026-11-18", value="48", confidence="6.5", comment="Two held this week")
        await save_form(pilot)
        assert app.screen is detail, shown_errors(form)
        await settle(pilot)
        await wait_until(pilot, lambda: len(history_keys(detail)) == 8, "the new row")
        first = detail.query_one("#check-ins", DataTable).get_row_at(0)
        assert first[0].plain == "2026-11-18", "the newest is listed first"
    check_ins = key_result(sample_store, "Q4-O2-KR1").check_ins
    assert len(check_ins) == 8
    added = check_ins[-1]
    assert (added.on, added.value, added.confidence, added.comment) == (
        date(2026, 11, 18),
        48.0,
        0.65,
        "Two held this week",
    )


# ---------------------------------------------------------------------- from elsewhere


# Whether the OKR area was opened once before the jump (its screen then exists and resumes:
# a reload on resume must not undo the jump).
VISITED = pytest.mark.parametrize("visited", [False, True], ids=["first-visit", "okr-area-visited-before"])


async def visit_okrs_then(pilot, area: str, visited: bool):
    """Start in `area`; with `visited`, after a look at the OKR area first."""
    await settle(pilot)
    if visited:
        await open_okrs(pilot)
    await pilot.press(area)
    await settle(pilot)
    return pilot.app.screen


@VISITED
async def test_enter_on_an_overview_objective_opens_it_in_the_okr_area(sample_store, visited) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        portfolio = await visit_okrs_then(pilot, "1", visited)
        assert isinstance(portfolio, PortfolioScreen)
        await settle(pilot)
        table = portfolio.query_one("#objectives", DataTable)
        await wait_until(pilot, lambda: "Q4-O2" in table.rows, "the overview's objectives")
        table.focus()
        table.move_cursor(row=table.get_row_index("Q4-O2"))
        await pilot.pause()
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, OkrScreen)
        await wait_until(pilot, lambda: screen._selected_key() == "Q4-O2", "the cursor on Q4-O2")
        await settle(pilot)
        assert screen.board.cycle.name == "2026-Q4"
        assert "parent Q4-O1" in plain(screen.query_one("#okr-details", Static))


@VISITED
async def test_jump_to_an_objective_of_an_older_cycle(sample_store, visited) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(await visit_okrs_then(pilot, "1", visited), PortfolioScreen)
        app.jump_to("objective", "Q3-O1")
        screen = await wait_for_screen(pilot, OkrScreen)
        await wait_until(
            pilot, lambda: screen.board is not None and screen.board.cycle.name == "2026-Q3", "2026-Q3"
        )
        await settle(pilot)
        assert screen._selected_key() == "Q3-O1"
        assert "OKRs · 2026-Q3 (closed)" in screen_text(app)
        # ] still walks from there.
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: screen.board.cycle.name == "2026-Q4", "2026-Q4")


@VISITED
async def test_start_an_okr_from_a_kpi(sample_store, visited) -> None:
    before = all_objective_codes(sample_store)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await visit_okrs_then(pilot, "2", visited)
        app.open_kpi("SAT")
        await wait_for_screen(pilot, KpiDetailScreen)
        await settle(pilot)
        await pilot.press("o")
        form = await wait_for_screen(pilot, FormScreen)
        assert form.form_title == "Start an OKR from SAT"
        assert form.values() == {
            "title": "Bring Stakeholder satisfaction to target",
            "cycle": "2026-Q4",
            "owner": "Mei Tanaka",
            "target": "85",
        }
        fill(form, title="Stakeholders rate the PMO highly", target="88")
        await save_form(pilot)
        screen = await wait_for_screen(pilot, OkrScreen)
        await wait_until(pilot, lambda: len(all_objective_codes(sample_store)) > len(before), "the save")
        (code,) = all_objective_codes(sample_store) - before
        await wait_until(pilot, lambda: screen._selected_key() == code, "the cursor on the new objective")
        await settle(pilot)
        assert screen.board.cycle.name == "2026-Q4"
        assert "Stakeholders rate the PMO highly" in screen_text(app)
        assert f"{code}-KR1" in okr_table(screen).rows
    created = objective(sample_store, code, "2026-Q4")
    assert (created.title, created.owner, created.cycle, created.status) == (
        "Stakeholders rate the PMO highly",
        "Mei Tanaka",
        "2026-Q4",
        "active",
    )
    assert len(created.key_results) == 1
    (kr,) = created.key_results
    assert (kr.kpi_code, kr.kind, kr.baseline, kr.target, kr.unit) == ("SAT", "increase", 78.0, 88.0, "%")
    assert kr.baseline == sample_store.kpi_detail("SAT", TODAY).summary.value


async def test_start_an_okr_from_a_kpi_in_the_next_cycle(sample_store) -> None:
    # 2027-Q1 is not stored yet: saving creates it, as long as 2026-Q4, and the OKR starts there.
    assert "2027-Q1" not in {c.name for c in sample_store.cycles(TODAY)}
    before = all_objective_codes(sample_store)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_kpi("CRPP")
        await wait_for_screen(pilot, KpiDetailScreen)
        await settle(pilot)
        await pilot.press("o")
        form = await wait_for_screen(pilot, FormScreen)
        (cycle_field,) = (f for f in form.fields if f.name == "cycle")
        assert [label for label, _ in cycle_field.choices or ()] == [
            "2026-Q4 · current, 2026-10-01 to 2026-12-31",
            "2027-Q1 · next, new: 2027-01-01 to 2027-03-31",
        ]
        assert "Saving creates 2027-Q1" in screen_text(app)
        fill(form, cycle="2027-Q1", target="2")
        await save_form(pilot)
        screen = await wait_for_screen(pilot, OkrScreen)
        await wait_until(pilot, lambda: len(all_objective_codes(sample_store)) > len(before), "the save")
        await wait_until(pilot, lambda: screen.board and screen.board.cycle.name == "2027-Q1", "2027-Q1")
    (code,) = all_objective_codes(sample_store) - before
    created = objective(sample_store, code, "2027-Q1")
    (kr,) = created.key_results
    latest = sample_store.kpi_detail("CRPP", TODAY).summary.value
    assert (kr.kpi_code, kr.kind, kr.baseline, kr.target) == ("CRPP", "decrease", latest, 2.0)
    cycle = next(c for c in sample_store.cycles(TODAY) if c.name == "2027-Q1")
    assert (cycle.start, cycle.end, cycle.status) == (date(2027, 1, 1), date(2027, 3, 31), "open")


async def test_bad_okrs_from_a_kpi_are_refused(sample_store) -> None:
    cases = [
        ({"target": "70"}, "target", "SAT is better higher: aim above its latest value 78"),
        ({"target": "lots"}, "target", "“lots” is not a number"),
        ({"target": "nan"}, "target", "enter a finite number"),
        ({"target": ""}, "target", "enter a number"),
        ({"title": " "}, "title", "must not be empty"),
    ]
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_kpi("SAT")
        await wait_for_screen(pilot, KpiDetailScreen)
        await settle(pilot)
        await pilot.press("o")
        form = await wait_for_screen(pilot, FormScreen)
        valid = {"title": "Delight stakeholders", "owner": "Mei Tanaka", "target": "88"}
        await each_refused(pilot, form, sample_store, valid, cases)
        await discard(pilot)
        await wait_for_screen(pilot, KpiDetailScreen)


# ---------------------------------------------------------------------- hostile text

HOSTILE = "[bold]x[/] [@click=app.quit]q[/]"


async def test_hostile_objective_title_typed_in_is_shown_literally(sample_store) -> None:
    before = all_objective_codes(sample_store)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        await pilot.press("o")
        form = await wait_for_screen(pilot, FormScreen)
        await type_text(pilot, HOSTILE)
        assert form.values()["title"] == HOSTILE
        await save_form(pilot)
        assert app.screen is screen, shown_errors(form)
        await settle(pilot)
        (code,) = all_objective_codes(sample_store) - before
        assert screen._selected_key() == code
        assert f"{code} {HOSTILE}" in screen_text(app)
        assert row_text(screen, code).startswith(f"{code} {HOSTILE}")
        # Clicking the row (where a live link would quit) and moving on: the app keeps running.
        await pilot.click("#okr-table", offset=(20, 1 + okr_table(screen).cursor_row))
        await pilot.press("down", "up")
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, (OkrScreen, FormScreen))
    assert objective(sample_store, code, "2026-Q4").title == HOSTILE


async def test_hostile_titles_from_the_store_are_shown_literally(sample_store) -> None:
    code = sample_store.save_objective(
        ObjectiveDefinition(
            title=HOSTILE, cycle="2026-Q4", owner="[red]Eve[/red]", goal=None, parent="Q4-O1", status="active"
        )
    )
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        await put_cursor_on(pilot, screen, code)
        await settle(pilot)
        text = screen_text(app)
        assert HOSTILE in text
        assert "owner [red]Eve[/red]" in plain(screen.query_one("#okr-details", Static))
        await pilot.press("e")
        form = await wait_for_screen(pilot, FormScreen)
        assert form.values()["title"] == HOSTILE
        await pilot.press("escape")
        await wait_for_screen(pilot, OkrScreen)
        assert app.is_running


# ---------------------------------------------------------------------- regressions
# Each of these failed on 00f0418 (see the report): the cycle shown was renamed or deleted in the
# cycles list; a jump raced the screen's own load; a detail on top of the OKR area hid the jump.


async def test_renaming_the_cycle_on_screen_shows_it_under_its_new_name(sample_store) -> None:
    """On 00f0418 the OKR screen reloaded the old name: NotFound, stale heading, an error toast."""
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        assert screen.board.cycle.name == "2026-Q4"
        await pilot.press("y")
        cycles = await wait_for_screen(pilot, CyclesScreen)
        await settle(pilot)
        assert cycles._cycle().name == "2026-Q4"
        await pilot.press("e")
        form = await wait_for_screen(pilot, FormScreen)
        fill(form, name="FY26-Q4")
        await save_form(pilot)
        assert app.screen is cycles, shown_errors(form)
        await pilot.press("escape")
        await wait_for_screen(pilot, OkrScreen)
        await settle(pilot)
        assert [c.name for c in sample_store.cycles(TODAY)] == ["FY26-Q4", "2026-Q3"]
        await wait_until(pilot, lambda: screen.board.cycle.name == "FY26-Q4", "the renamed cycle", timeout=2)
        assert "OKRs · FY26-Q4 (current)" in screen_text(app)


async def test_deleting_the_cycle_on_screen_falls_back_to_the_current_one(sample_store) -> None:
    """On 00f0418 the deleted cycle's objectives stayed on screen after a NotFound toast."""
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: screen.board.cycle.name == "2026-Q3", "2026-Q3")
        await pilot.press("y")
        cycles = await wait_for_screen(pilot, CyclesScreen)
        await settle(pilot)
        assert cycles._cycle().name == "2026-Q3"
        await pilot.press("delete")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: cycle_status(sample_store, "2026-Q3") is None, "the delete")
        await settle(pilot)
        await pilot.press("escape")
        await wait_for_screen(pilot, OkrScreen)
        await settle(pilot)
        await wait_until(pilot, lambda: screen.board.cycle.name == "2026-Q4", "the current cycle", timeout=2)
        assert "Q3-O1" not in okr_table(screen).rows, "objectives of a deleted cycle are not shown"


async def test_jump_to_an_older_objective_when_the_okr_screen_first_loads_slowly(
    sample_store, monkeypatch
) -> None:
    """The OKR screen's own first load (on mount) may finish after the jump's load: on 00f0418
    the read that finished last won, and the jump landed on 2026-Q4."""
    import time

    real = sample_store.okr_board
    slowed: list[bool] = []
    came_back: list[bool] = []

    def first_plain_load_is_slow(today, cycle_name=None, *, holding=None):
        board = real(today, cycle_name, holding=holding)
        if holding is None and cycle_name is None and not slowed:
            slowed.append(True)
            time.sleep(0.3)  # a busy machine: this read comes back last
            came_back.append(True)
        return board

    monkeypatch.setattr(sample_store, "okr_board", first_plain_load_is_slow)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.jump_to("objective", "Q3-O1")
        screen = await wait_for_screen(pilot, OkrScreen)
        await wait_until(pilot, lambda: bool(came_back), "the screen's slow first load to come back")
        await settle(pilot)
        assert slowed, "the screen's first load ran"
        assert screen.board.cycle.name == "2026-Q3"
        assert screen._selected_key() == "Q3-O1"


async def test_start_an_okr_from_a_kpi_opened_over_the_okr_area_shows_the_objective(sample_store) -> None:
    """The KPI detail can sit on top of the OKR area (the command palette's jump opens it there);
    on 00f0418 the jump then did nothing and the KPI detail stayed on screen."""
    before = all_objective_codes(sample_store)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_okrs(pilot)
        app.open_kpi("SAT")
        await wait_for_screen(pilot, KpiDetailScreen)
        await settle(pilot)
        await pilot.press("o")
        form = await wait_for_screen(pilot, FormScreen)
        fill(form, title="Stakeholders rate the PMO highly", target="88")
        await save_form(pilot)
        await wait_until(pilot, lambda: len(all_objective_codes(sample_store)) > len(before), "the save")
        (code,) = all_objective_codes(sample_store) - before
        await settle(pilot)
        await wait_until(
            pilot, lambda: app.screen is screen and screen._selected_key() == code, "the objective"
        )
        await settle(pilot)
        assert app.screen is screen, "the OKR screen shows the new objective"
        assert screen._selected_key() == code
