"""Pilot tests of the weekly check-in (pmo_tui/screens/check_in.py): keys in, rows in the database out.

Every test drives the real app over a real SQLite file and reads back what was saved through the
Store API. The headline test proves the product promise: a check-in of ten key results takes at
most six keys per key result beyond the characters of the values and comments typed.
"""

from __future__ import annotations

from datetime import date

import pytest
from helpers import TODAY, make_app, screen_text, settle, type_text
from textual.widgets import Input

from pmo_tui.formatting import plain_number
from pmo_tui.screens.check_in import CheckInScreen, ConfidencePicker
from pmo_tui.screens.kpis import KpiListScreen
from pmo_tui.screens.maturity import MaturityScreen
from pmo_tui.screens.okrs import OkrScreen
from pmo_tui.screens.portfolio import PortfolioScreen
from pmo_tui.store import Store
from pmo_tui.validation import (
    CycleDefinition,
    KpiDefinition,
    ObjectiveDefinition,
    check_key_result,
)

SIZE = (100, 32)
CYCLE = "2026-Q4"
MONDAY = date(2026, 11, 16)  # the Monday of TODAY's week: a check-in since then is not due

SAMPLE_Q4_KRS = (
    "Q4-O1-KR1",
    "Q4-O1-KR2",
    "Q4-O1-KR3",
    "Q4-O2-KR1",
    "Q4-O2-KR2",
    "Q4-O3-KR1",
    "Q4-O3-KR2",
    "Q4-O3-KR3",
)

HOSTILE_BOLD = "[bold]x[/]"
HOSTILE_CLICK = "[@click=app.quit]q[/]"
HOSTILE_LINK = "[link=file:///etc/passwd]y[/link]"


# --------------------------------------------------------------------------- helpers


class KeyCounter:
    """pilot.press, counted: keys that carry typed text apart from every other key pressed."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.control = 0  # Enter, digits for confidence, Esc, c, page keys, ctrl+k ...
        self.typed = 0  # characters of values and comments

    async def type(self, text: str) -> None:
        await type_text(self.pilot, text)  # key by key, as typed into the focused field
        self.typed += len(text)

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        self.control += len(keys)


def check_ins_on(store: Store, code: str, on: date = TODAY):
    """The check-ins of a key result on one day (the app keeps at most one per day)."""
    _, row = store.key_result_detail(code, TODAY)
    return [c for c in row.check_ins if c.on == on]


def latest_kpi_value(store: Store, code: str) -> str:
    """A KPI's latest measurement as the value field would show it."""
    return plain_number(store.kpi_detail(code, TODAY).measurements[-1].value)


def saved_today(store: Store, code: str):
    found = check_ins_on(store, code)
    assert len(found) == 1, f"{code}: expected one check-in on {TODAY}, found {found}"
    return found[0]


def codes_saved_today(store: Store, codes) -> set[str]:
    return {code for code in codes if check_ins_on(store, code)}


def notices(app) -> str:
    """Every notification the app has shown (toasts wrap on screen, so read their messages)."""
    return "\n".join(notification.message for notification in app._notifications)


def current_code(app) -> str:
    screen = app.screen
    assert isinstance(screen, CheckInScreen), f"not on the check-in: {type(screen).__name__}"
    assert screen.item is not None
    return screen.item.key_result.code


def value_field(app) -> Input:
    return app.screen.query_one("#ci-value", Input)


async def open_check_in(pilot, keys: KeyCounter | None = None) -> None:
    await (keys.press("c") if keys else pilot.press("c"))
    await settle(pilot)
    assert isinstance(pilot.app.screen, CheckInScreen)


async def enter_check_in(pilot, value: str | None, digit: str | None, comment: str = "") -> None:
    """One key result: value (None: keep it with Enter), a digit (None: keep it), comment, Enter."""
    if value is not None:
        await type_text(pilot, value)
    await pilot.press("enter")
    await pilot.press(digit if digit is not None else "enter")
    await type_text(pilot, comment)
    await pilot.press("enter")
    await settle(pilot)


def key_result(store: Store, objective: str, **fields: str) -> str:
    """A key result created the way the form checks it."""
    kpi_codes = {k.code for k in store.kpi_summaries(TODAY)}
    definition, errors = check_key_result(fields, kpi_codes)
    assert not errors, errors
    return store.save_key_result(objective, definition)


def objective(store: Store, title: str, owner: str, status: str = "active") -> str:
    return store.save_objective(
        ObjectiveDefinition(
            title=title,
            cycle=CYCLE,
            owner=owner,
            goal=None,
            parent=None,
            status=status,
        )
    )


def build_ten_due(store: Store) -> dict[str, str]:
    """A current cycle with ten key results due today (and one already checked in this week).

    Returns the codes by a short name. Owners: objective 1 and 3 belong to Ada, 2 to Ben; some key
    results have their own owner, the others fall back to their objective's.
    """
    store.save_cycle(CycleDefinition(name=CYCLE, start=date(2026, 10, 1), end=date(2026, 12, 31)))
    store.save_kpi(
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
            cadence="weekly",
            goal=None,
            source="entered",
        )
    )
    store.add_measurement("LEAD", date(2026, 11, 6), 23.0)
    # Measured after the linked key result's last check-in (13 Nov): the check-in starts from it.
    store.add_measurement("LEAD", date(2026, 11, 15), 19.5)

    o1 = objective(store, "Ship the portfolio cockpit", "Ada Lovelace")
    o2 = objective(store, "Shorten delivery", "Ben Okri")
    o3 = objective(store, "Steady the resourcing", "Ada Lovelace")
    c = {}
    c["adoption"] = key_result(
        store, o1, title="Adoption", kind="increase", unit="%", baseline="0", target="100"
    )
    c["reviews"] = key_result(
        store,
        o1,
        title="Reviews held",
        kind="increase",
        unit="",
        baseline="10",
        target="50",
        owner="Ben Okri",
    )
    c["defects"] = key_result(
        store, o1, title="Open defects", kind="decrease", unit="", baseline="5", target="2"
    )
    c["util"] = key_result(
        store,
        o1,
        title="Utilisation in band",
        kind="within_band",
        unit="%",
        baseline="84",
        target="85",
        band_low="80",
        band_high="90",
        owner="Ben Okri",
    )
    c["launch"] = key_result(store, o2, title="Launch the intake form", kind="milestone")
    c["lead"] = key_result(
        store,
        o2,
        title="Lead time",
        kind="decrease",
        unit="days",
        baseline="30",
        target="15",
        kpi="LEAD",
        owner="Ada Lovelace",
    )
    c["audit"] = key_result(store, o2, title="Pass the audit", kind="milestone")
    c["backlog"] = key_result(
        store, o3, title="Backlog items", kind="decrease", unit="", baseline="100", target="60"
    )
    c["bench"] = key_result(
        store,
        o3,
        title="Bench days",
        kind="within_band",
        unit="",
        baseline="12",
        target="12",
        band_low="10",
        owner="Cy Twombly",
    )
    c["hires"] = key_result(
        store, o3, title="Hires onboarded", kind="increase", unit="", baseline="0", target="80", weight="2"
    )
    c["fresh"] = key_result(
        store, o3, title="Already checked in", kind="increase", unit="", baseline="0", target="10"
    )

    store.record_check_in(c["reviews"], date(2026, 11, 6), 20, 0.6, "")
    store.record_check_in(c["reviews"], date(2026, 11, 13), 25, 0.5, "slow")
    store.record_check_in(c["defects"], date(2026, 11, 13), 3.5, 0.4, "")
    store.record_check_in(c["util"], date(2026, 11, 6), 84, 0.7, "")
    store.record_check_in(c["lead"], date(2026, 11, 13), 22, 0.5, "")
    store.record_check_in(c["audit"], date(2026, 11, 6), 0, 0.5, "")
    store.record_check_in(c["backlog"], date(2026, 10, 30), 90, 0.6, "")
    store.record_check_in(c["bench"], date(2026, 11, 13), 12, 0.9, "")
    store.record_check_in(c["hires"], date(2026, 11, 9), 30, 0.3, "")
    store.record_check_in(c["fresh"], MONDAY, 4, 0.7, "this week already")
    return c


# --------------------------------------------------------------------------- 1. the keystroke budget


@pytest.mark.slow
async def test_ten_key_results_take_at_most_six_keys_each_beyond_the_typed_text(empty_store) -> None:
    store = empty_store
    c = build_ten_due(store)
    queue = [item.key_result.code for item in store.check_in_queue(TODAY)]
    assert len(queue) == 10 and c["fresh"] not in queue
    history = {code: len(store.key_result_detail(code, TODAY)[1].check_ins) for code in queue}

    # What the person does for each key result: a value to type (None: Enter keeps the one shown),
    # a confidence digit (None: Enter keeps the last), a comment; and what must be saved.
    plan = {
        c["adoption"]: ("12.5", "7", "first week", 12.5, 0.7),
        c["reviews"]: (None, "8", "", 25.0, 0.8),  # keeps the last value
        c["defects"]: (None, None, "", 3.5, 0.4),  # keeps value and confidence
        c["util"]: ("85", "9", "steady", 85.0, 0.9),  # overtypes the selected 84
        c["launch"]: ("1", "0", "done!", 1.0, 0.0),  # milestone done, confidence digit 0
        c["lead"]: (None, "6", "", 19.5, 0.6),  # Enter keeps the KPI's newer value
        c["audit"]: ("0", "5", "", 0.0, 0.5),
        c["backlog"]: ("72", "3", "vendor delay", 72.0, 0.3),
        c["bench"]: (None, None, "ok", 12.0, 0.9),
        c["hires"]: ("1,234.5", "2", "", 1234.5, 0.2),  # thousands separator is fine
    }
    assert set(plan) == set(queue)

    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keys = KeyCounter(pilot)
        await open_check_in(pilot, keys)
        per_key_result: dict[str, int] = {}
        for position, code in enumerate(queue):
            assert current_code(app) == code
            assert f"{position + 1} of 10" in screen_text(app)
            value, digit, comment, _, _ = plan[code]
            before = keys.control
            if value is not None:
                await keys.type(value)
            await keys.press("enter")
            await keys.press(digit if digit is not None else "enter")
            if comment:
                await keys.type(comment)
            await keys.press("enter")
            await settle(pilot)
            per_key_result[code] = keys.control - before
        assert not isinstance(app.screen, CheckInScreen)
        assert "Check-in done: 10 key results saved" in notices(app)

    assert all(count <= 6 for count in per_key_result.values()), per_key_result
    # The whole walk, with the c that opened it, stays inside six keys per key result.
    assert keys.control <= 6 * len(queue), (keys.control, per_key_result)
    assert keys.typed == sum(len(v or "") + len(text) for v, _, text, _, _ in plan.values())

    for code, (_, _, comment, value, confidence) in plan.items():
        check_in = saved_today(store, code)
        assert check_in.value == pytest.approx(value), code
        assert check_in.confidence == pytest.approx(confidence), code
        assert check_in.comment == comment, code
        _, row = store.key_result_detail(code, TODAY)
        assert len(row.check_ins) == history[code] + 1, code  # earlier weeks untouched
    # The key result checked in on Monday was not walked and keeps its one check-in.
    _, fresh = store.key_result_detail(c["fresh"], TODAY)
    assert [(x.on, x.value, x.comment) for x in fresh.check_ins] == [(MONDAY, 4, "this week already")]
    assert store.check_in_queue(TODAY) == ()


# --------------------------------------------------------------------------- 2. Enter keeps


async def test_enter_alone_keeps_the_last_value_and_the_last_confidence(sample_store) -> None:
    before = {
        code: sample_store.key_result_detail(code, TODAY)[1].latest
        for code in ("Q4-O1-KR1", "Q4-O1-KR2", "Q4-O2-KR2")
    }
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        assert current_code(app) == "Q4-O1-KR1"
        assert value_field(app).value == "0"
        assert app.screen.query_one(ConfidencePicker).tenths == 6
        await enter_check_in(pilot, None, None)
        assert current_code(app) == "Q4-O1-KR2"
        assert value_field(app).value == "84.6"
        await enter_check_in(pilot, None, None)
        assert current_code(app) == "Q4-O1-KR3"
        await pilot.press("pagedown", "pagedown")
        await settle(pilot)
        # SAT was last measured (78, September) before the last check-in (81): the last value wins.
        assert current_code(app) == "Q4-O2-KR2"
        assert "KPI SAT latest" in screen_text(app)
        assert value_field(app).value == "81"
        await enter_check_in(pilot, None, None)
        await pilot.press("escape")
        await settle(pilot)

    for code, last in before.items():
        saved = saved_today(sample_store, code)
        assert (saved.value, saved.confidence, saved.comment) == (last.value, last.confidence, "")
    assert codes_saved_today(sample_store, SAMPLE_Q4_KRS) == set(before)


async def test_enter_on_an_unset_confidence_does_not_move_on(empty_store) -> None:
    """A key result never checked in has no confidence: Enter alone must not invent one."""
    c = build_ten_due(empty_store)
    app = make_app(empty_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        assert current_code(app) == c["adoption"]
        await type_text(pilot, "40")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert app.screen.focused is app.screen.query_one(ConfidencePicker)
        assert "not set: press 0–9" in screen_text(app)
        await pilot.press("4", "enter")
        await settle(pilot)
    assert saved_today(empty_store, c["adoption"]).confidence == pytest.approx(0.4)
    assert saved_today(empty_store, c["adoption"]).value == 40


# --------------------------------------------------------------------------- 3. KPI value


async def test_a_kpi_measured_since_the_last_check_in_gives_the_starting_value(sample_store) -> None:
    # The sample as shipped: ALIGN's latest value (31 Oct) is older than Q4-O1-KR2's last
    # check-in (15 Nov), so the check-in would start from the last value. A newer measurement
    # for the current period turns that round.
    _, kr = sample_store.key_result_detail("Q4-O1-KR2", TODAY)
    assert kr.kpi_code == "ALIGN" and kr.latest.on == date(2026, 11, 15) and kr.latest.value == 84.6
    align = sample_store.kpi_detail("ALIGN", TODAY)
    assert align.measurements[-1].period < kr.latest.on
    sample_store.add_measurement("ALIGN", align.record_period, 88.25)
    assert align.record_period > kr.latest.on

    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        await pilot.press("pagedown")
        await pilot.pause()
        assert current_code(app) == "Q4-O1-KR2"
        assert value_field(app).value == "88.25"
        text = screen_text(app)
        assert "KPI ALIGN latest" in text and "88.2" in text
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert value_field(app).value == "84.6"
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert value_field(app).value == "88.25"
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.screen.focused is value_field(app)
        await enter_check_in(pilot, None, "9", "kept the old figure")
        assert current_code(app) == "Q4-O1-KR3"
        # ROI was measured (31 Oct) before KR3's last check-in (15 Nov): the last value stays,
        # but ctrl+k still offers the KPI's figure.
        assert value_field(app).value == "21.4"
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert value_field(app).value == latest_kpi_value(sample_store, "ROI")
        await pilot.press("escape")
        await settle(pilot)

    saved = saved_today(sample_store, "Q4-O1-KR2")
    assert (saved.value, saved.confidence, saved.comment) == (84.6, 0.9, "kept the old figure")
    assert codes_saved_today(sample_store, SAMPLE_Q4_KRS) == {"Q4-O1-KR2"}


async def test_ctrl_k_does_nothing_without_a_kpi_and_ctrl_l_without_a_check_in(empty_store) -> None:
    c = build_ten_due(empty_store)
    app = make_app(empty_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        assert current_code(app) == c["adoption"]  # no KPI, no check-in yet
        await type_text(pilot, "33")
        await pilot.press("ctrl+k", "ctrl+l")
        await pilot.pause()
        assert value_field(app).value == "33"
        await pilot.press("escape")
        await settle(pilot)
    assert check_ins_on(empty_store, c["adoption"]) == []


# --------------------------------------------------------------------------- 4. bad values


BAD_VALUES = (
    ("", "enter a number"),
    ("abc", "is not a number"),
    ("nan", "enter a finite number"),
    ("inf", "enter a finite number"),
    ("1e999", "enter a finite number"),
    ("1,5", "use a point for decimals"),
)


async def test_bad_values_are_refused_on_screen_nothing_is_saved_and_the_walk_stays(
    sample_store,
) -> None:
    before = sample_store.export_portfolio()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        assert current_code(app) == "Q4-O1-KR1"
        await pilot.press("backspace")  # the selected last value goes
        assert value_field(app).value == ""
        for typed, message in BAD_VALUES:
            value_field(app).value = ""
            for character in typed:
                await pilot.press(character)
            assert value_field(app).value == typed
            await pilot.press("enter")
            await settle(pilot)
            text = screen_text(app)
            assert "✗" in text and message in text, typed
            assert current_code(app) == "Q4-O1-KR1", typed
            assert "1 of 8 · 0 saved" in text, typed
            assert app.screen.focused is value_field(app), typed
            # A digit now goes into the value field, not to the confidence.
            await pilot.press("7")
            assert value_field(app).value == typed + "7", typed
            assert app.screen.query_one(ConfidencePicker).tenths == 6, typed
            assert sample_store.export_portfolio() == before, typed

        # Fixed, the same key result goes through and the message goes away.
        value_field(app).value = "1"
        await enter_check_in(pilot, None, "8", "done")
        assert current_code(app) == "Q4-O1-KR2"
        assert "use a point for decimals" not in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
    assert codes_saved_today(sample_store, SAMPLE_Q4_KRS) == {"Q4-O1-KR1"}
    saved = saved_today(sample_store, "Q4-O1-KR1")
    assert (saved.value, saved.confidence, saved.comment) == (1, 0.8, "done")


async def test_a_comment_over_500_characters_is_refused_and_nothing_is_saved(sample_store) -> None:
    before = sample_store.export_portfolio()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        await pilot.press("enter", "5")
        comment = app.screen.query_one("#ci-comment", Input)
        assert app.screen.focused is comment
        comment.value = "x" * 501
        await pilot.press("enter")
        await settle(pilot)
        assert current_code(app) == "Q4-O1-KR1"
        assert "0 saved" in screen_text(app)
        assert app.screen.query_one("#ci-comment-error").has_class("-shown")
        assert sample_store.export_portfolio() == before
        comment.value = "x" * 500
        await pilot.press("enter")
        await settle(pilot)
        assert current_code(app) == "Q4-O1-KR2"
    assert saved_today(sample_store, "Q4-O1-KR1").comment == "x" * 500


# --------------------------------------------------------------------------- 5. Esc


async def test_esc_in_the_middle_keeps_what_was_saved_and_writes_nothing_else(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        await enter_check_in(pilot, "1", "9", "signed off")
        await enter_check_in(pilot, "86", "7")
        await enter_check_in(pilot, None, None, "same")
        assert current_code(app) == "Q4-O2-KR1"
        assert "4 of 8 · 3 saved" in screen_text(app)
        # Halfway through the fourth: value and confidence given, the comment being typed.
        await type_text(pilot, "55")
        await pilot.press("enter", "4")
        await type_text(pilot, "not yet")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)
        assert "Check-in stopped: 3 saved" in notices(app)

    assert codes_saved_today(sample_store, SAMPLE_Q4_KRS) == {"Q4-O1-KR1", "Q4-O1-KR2", "Q4-O1-KR3"}
    first, second, third = (
        saved_today(sample_store, code) for code in ("Q4-O1-KR1", "Q4-O1-KR2", "Q4-O1-KR3")
    )
    assert (first.value, first.confidence, first.comment) == (1, 0.9, "signed off")
    assert (second.value, second.confidence, second.comment) == (86, 0.7, "")
    assert (third.value, third.confidence, third.comment) == (21.4, 0.6, "same")
    assert [x.key_result.code for x in sample_store.check_in_queue(TODAY)] == list(SAMPLE_Q4_KRS[3:])


# --------------------------------------------------------------------------- 6. page keys


async def test_pagedown_skips_without_saving_and_pageup_goes_back(sample_store) -> None:
    before = sample_store.export_portfolio()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        assert current_code(app) == "Q4-O1-KR1"
        await pilot.press("pagedown")
        await settle(pilot)
        assert current_code(app) == "Q4-O1-KR2"
        assert sample_store.export_portfolio() == before
        await pilot.press("pageup")
        await settle(pilot)
        assert current_code(app) == "Q4-O1-KR1"
        assert value_field(app).value == "0"
        await pilot.press("pageup")  # nothing before the first
        await settle(pilot)
        assert current_code(app) == "Q4-O1-KR1"
        # Page keys work from the confidence and the comment too, and drop what was half-typed.
        await pilot.press("5", "enter", "3", "x")
        await pilot.press("pagedown", "pagedown")
        await settle(pilot)
        assert current_code(app) == "Q4-O1-KR3"
        assert app.screen.focused is value_field(app)
        assert app.screen.query_one("#ci-comment", Input).value == ""
        assert sample_store.export_portfolio() == before
        await enter_check_in(pilot, "22", "6", "ok")
        assert current_code(app) == "Q4-O2-KR1"
        assert "4 of 8 · 1 saved" in screen_text(app)
        # Skip to the end: the walk finishes and says how many were skipped.
        for _ in range(5):
            await pilot.press("pagedown")
        await settle(pilot)
        assert not isinstance(app.screen, CheckInScreen)
        assert "1 key result saved, 7 skipped" in notices(app)

    assert codes_saved_today(sample_store, SAMPLE_Q4_KRS) == {"Q4-O1-KR3"}
    saved = saved_today(sample_store, "Q4-O1-KR3")
    assert (saved.value, saved.confidence, saved.comment) == (22, 0.6, "ok")


async def test_pageup_to_a_saved_key_result_and_saving_again_replaces_todays_check_in(
    sample_store,
) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        await enter_check_in(pilot, "1", "9", "first")
        assert current_code(app) == "Q4-O1-KR2"
        await pilot.press("pageup")
        await settle(pilot)
        assert current_code(app) == "Q4-O1-KR1"
        await pilot.press("backspace")
        await enter_check_in(pilot, "0", "4", "second thoughts")
        assert current_code(app) == "Q4-O1-KR2"
        assert "1 saved" in screen_text(app)  # one key result, not two
        await pilot.press("escape")
        await settle(pilot)
    saved = saved_today(sample_store, "Q4-O1-KR1")  # exactly one check-in today
    assert (saved.value, saved.confidence, saved.comment) == (0, 0.4, "second thoughts")


async def test_pageup_to_a_just_saved_key_result_shows_what_was_saved(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        await enter_check_in(pilot, "1", "9", "signed off")
        await pilot.press("pageup")
        await settle(pilot)
        assert current_code(app) == "Q4-O1-KR1"
        shown = (value_field(app).value, app.screen.query_one(ConfidencePicker).tenths)
        # Enter thrice "keeps" what is shown.
        await enter_check_in(pilot, None, None)
        await pilot.press("escape")
        await settle(pilot)
    saved = saved_today(sample_store, "Q4-O1-KR1")
    assert (saved.value, saved.confidence) == (1, 0.9)
    assert shown == ("1", 9)


async def test_pageup_shows_the_key_results_status_as_stored_after_the_check_in(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        assert current_code(app) == "Q4-O1-KR1"
        before = screen_text(app)
        assert "off track" in before[before.index("Q4-O1-KR1") :]
        await enter_check_in(pilot, "1", "9", "signed off")
        await pilot.press("pageup")
        await settle(pilot)
        assert current_code(app) == "Q4-O1-KR1"
        card = screen_text(app)
    # What the card says is what the database says now: the milestone done is on track, at 9/10.
    (stored,) = sample_store.check_in_queue(TODAY, codes=["Q4-O1-KR1"])
    kr = stored.key_result
    assert (kr.pace.value, kr.progress, kr.confidence, kr.latest.value) == ("on track", 1.0, 0.9, 1)
    facts = card[card.index("Q4-O1-KR1") :]
    assert "on track" in facts and "off track" not in facts
    assert "last 1 on 2026-11-20" in facts and "confidence 9/10" in facts and "100%" in facts


async def test_a_key_result_saved_twice_shows_its_second_check_in_when_gone_back_to(sample_store) -> None:
    """Each save is read back after the card has moved on: the later one is what the card keeps."""
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        await enter_check_in(pilot, "1", "9", "signed off")
        await pilot.press("pageup")
        await pilot.press("backspace")
        await enter_check_in(pilot, "0", "4", "not yet after all")
        await pilot.press("pageup")
        await settle(pilot)
        assert current_code(app) == "Q4-O1-KR1"
        shown = (value_field(app).value, app.screen.query_one(ConfidencePicker).tenths)
        card = screen_text(app)
    assert shown == ("0", 4)
    facts = card[card.index("Q4-O1-KR1") :]
    assert "last 0 on 2026-11-20" in facts and "confidence 4/10" in facts
    saved = saved_today(sample_store, "Q4-O1-KR1")
    assert (saved.value, saved.confidence, saved.comment) == (0, 0.4, "not yet after all")


# --------------------------------------------------------------------------- 7. owner filter


async def test_the_okr_owner_filter_limits_the_check_in_to_that_owner(empty_store) -> None:
    c = build_ten_due(empty_store)
    # Ben owns objective 2 (its key results have no owner of their own), and two key results
    # of Ada's objective 1. Ben's own "lead" key result is owned by Ada: not his.
    ben = {c["reviews"], c["util"], c["launch"], c["audit"]}
    app = make_app(empty_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        okrs = app.screen
        assert isinstance(okrs, OkrScreen)
        for _ in range(4):
            if okrs.owner == "Ben Okri":
                break
            await pilot.press("w")
            await settle(pilot)
        assert okrs.owner == "Ben Okri"
        assert "Ben Okri's" in screen_text(app)
        await open_check_in(pilot)
        assert "Check-in · Ben Okri's · 1 of 4" in screen_text(app)
        walked = []
        while isinstance(app.screen, CheckInScreen):
            walked.append(current_code(app))
            if value_field(app).value == "":
                await pilot.press("1")
            await enter_check_in(pilot, None, "5", "ben")
        assert isinstance(app.screen, OkrScreen)

    assert walked == [code for code in c.values() if code in ben]
    everyone = [code for name, code in c.items() if name != "fresh"]
    assert codes_saved_today(empty_store, everyone) == ben
    for code in ben:
        assert saved_today(empty_store, code).comment == "ben"
    # Everyone else is still due.
    assert {x.key_result.code for x in empty_store.check_in_queue(TODAY)} == set(everyone) - ben


async def test_kr_owner_falls_back_to_the_objective_owner(empty_store) -> None:
    c = build_ten_due(empty_store)
    app = make_app(empty_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        okrs = app.screen
        await pilot.press("w")
        await settle(pilot)
        assert okrs.owner == "Ada Lovelace"
        await open_check_in(pilot)
        walked = list(app.screen.items)
        await pilot.press("escape")
        await settle(pilot)
    assert [x.key_result.code for x in walked] == [
        c["adoption"],
        c["defects"],
        c["lead"],
        c["backlog"],
        c["hires"],
    ]


# --------------------------------------------------------------------------- 8. c from every area


@pytest.mark.slow
async def test_key_c_opens_the_check_in_from_every_area(sample_store) -> None:
    areas = [("1", PortfolioScreen), ("2", KpiListScreen), ("4", MaturityScreen), ("3", OkrScreen)]
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for done, (area, screen_type) in enumerate(areas):
            await pilot.press(area)
            await settle(pilot)
            assert isinstance(app.screen, screen_type)
            await open_check_in(pilot)
            # Each area's check-in saves the next due key result, then Esc returns to the area.
            assert current_code(app) == SAMPLE_Q4_KRS[done], area
            assert f"Check-in · 1 of {8 - done} · 0 saved" in screen_text(app), area
            await enter_check_in(pilot, "1", "8", f"from {area}")
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, screen_type), area
    assert codes_saved_today(sample_store, SAMPLE_Q4_KRS) == set(SAMPLE_Q4_KRS[:4])
    for (area, _), code in zip(areas, SAMPLE_Q4_KRS[: len(areas)], strict=True):
        saved = saved_today(sample_store, code)
        assert (saved.value, saved.confidence, saved.comment) == (1, 0.8, f"from {area}")


# --------------------------------------------------------------------------- 9. hostile text


async def test_markup_in_titles_and_comments_is_shown_literally_and_saved_exactly(empty_store) -> None:
    store = empty_store
    store.save_cycle(CycleDefinition(name=CYCLE, start=date(2026, 10, 1), end=date(2026, 12, 31)))
    o1 = objective(store, f"Obj {HOSTILE_BOLD} {HOSTILE_CLICK}", HOSTILE_LINK)
    kr = key_result(
        store,
        o1,
        title=f"KR {HOSTILE_LINK} {HOSTILE_CLICK}",
        kind="increase",
        unit="[b]u",
        baseline="0",
        target="10",
    )
    comment = f"{HOSTILE_BOLD} {HOSTILE_CLICK} {HOSTILE_LINK}"

    app = make_app(store)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        text = screen_text(app)
        for hostile in (HOSTILE_BOLD, HOSTILE_CLICK, HOSTILE_LINK):
            assert hostile in text
        assert f"KR {HOSTILE_LINK} {HOSTILE_CLICK}" in text
        assert f"Obj {HOSTILE_BOLD} {HOSTILE_CLICK}" in text
        await enter_check_in(pilot, "3", "7", comment)
        assert app.is_running
        assert app.return_code is None
        assert "Check-in done: 1 key result saved" in notices(app)

    saved = saved_today(store, kr)
    assert saved.comment == comment
    assert (saved.value, saved.confidence) == (3, 0.7)


async def test_markup_in_the_owner_filter_heading_is_literal(empty_store) -> None:
    store = empty_store
    store.save_cycle(CycleDefinition(name=CYCLE, start=date(2026, 10, 1), end=date(2026, 12, 31)))
    o1 = objective(store, "Plain objective", HOSTILE_CLICK)
    kr = key_result(store, o1, title="Plain KR", kind="milestone")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert app.screen.owner == HOSTILE_CLICK
        await open_check_in(pilot)
        assert f"Check-in · {HOSTILE_CLICK}'s · 1 of 1" in screen_text(app)
        await enter_check_in(pilot, "1", "9", HOSTILE_CLICK)
        assert app.is_running
    assert saved_today(store, kr).comment == HOSTILE_CLICK


# --------------------------------------------------------------------------- 10. nothing due


async def test_when_nothing_is_due_c_says_so_and_changes_nothing(sample_store) -> None:
    for code in SAMPLE_Q4_KRS:
        sample_store.record_check_in(code, MONDAY, 1, 0.5, "done on Monday")
    assert sample_store.check_in_queue(TODAY) == ()
    before = sample_store.export_portfolio()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert not isinstance(app.screen, CheckInScreen)
        assert isinstance(app.screen, PortfolioScreen)
        assert "No key result is due: each was checked in this week, or no cycle is open today." in notices(
            app
        )
    assert sample_store.export_portfolio() == before


async def test_when_nothing_of_one_owner_is_due_c_says_whose(empty_store) -> None:
    c = build_ten_due(empty_store)
    # Cy's only key result was checked in on Monday; the others are still due.
    empty_store.record_check_in(c["bench"], MONDAY, 11, 0.8, "")
    before = empty_store.export_portfolio()
    app = make_app(empty_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        okrs = app.screen
        for _ in range(4):
            if okrs.owner == "Cy Twombly":
                break
            await pilot.press("w")
            await settle(pilot)
        assert okrs.owner == "Cy Twombly"
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is okrs
        assert "No key result of Cy Twombly is due" in notices(app)
    assert empty_store.export_portfolio() == before
