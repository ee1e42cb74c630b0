"""The check-in card updated in place (pmo_tui/screens/check_in.py): the footer keeps its keys
from field to field, the fields move with the height of the facts, and the printable keys stay
on the card on the confidence picker as on the text fields."""

from __future__ import annotations

import pytest
from helpers import make_app, screen_text, settle, type_text
from textual.widgets import Input, Static

from pmo_tui.screens.check_in import CheckInScreen, ConfidencePicker
from pmo_tui.widgets.footer import KeyFooter

SIZE = (100, 32)


def footer_keys(app) -> tuple:
    return app.screen.query_one(KeyFooter).keys


def shown(keys: tuple) -> list[tuple[str, str]]:
    return [(key, description) for key, _shown, description, _enabled in keys]


async def open_check_in(pilot) -> None:
    await pilot.press("c")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CheckInScreen)


async def test_the_footer_keeps_its_keys_on_every_field_and_from_card_to_card(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        screen = app.screen
        keys = footer_keys(app)
        assert ("escape", "Stop") in shown(keys) and ("pagedown", "Skip") in shown(keys)
        # Value, confidence, comment, and the next card's value: the same keys, not rebuilt.
        for key, focused in (("enter", "#ci-confidence"), ("7", "#ci-comment"), ("enter", "#ci-value")):
            await pilot.press(key)
            await settle(pilot)
            assert screen.focused is screen.query_one(focused)
            assert footer_keys(app) == keys, f"the footer's keys changed on {focused}"
        assert "2 of 8 · 1 saved" in screen_text(app)


async def test_q_and_question_mark_on_the_confidence_picker_stay_on_the_card(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        await pilot.press("enter")
        await settle(pilot)
        picker = app.screen.query_one(ConfidencePicker)
        assert app.screen.focused is picker
        tenths = picker.tenths
        await pilot.press("q", "question_mark", "x")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, CheckInScreen)
        assert not app.screen.query("KeyPanel")
        assert app.screen.focused is picker and picker.tenths == tenths
        await pilot.press("4")  # the digits still choose
        await settle(pilot)
        assert picker.tenths == 4
        assert app.screen.focused is app.screen.query_one("#ci-comment", Input)


@pytest.mark.slow
async def test_the_fields_move_with_the_height_of_the_facts(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_check_in(pilot)
        screen = app.screen
        facts = screen.query_one("#ci-facts", Static)
        value = screen.query_one("#ci-value", Input)

        def lines() -> int:
            return str(facts.render()).count("\n") + 1

        def layout() -> tuple[int, int]:
            return facts.region.height, value.region.y - facts.region.bottom

        # The first key result (a milestone) has four lines of facts, the second (tied to a
        # KPI) six: the fields below move down, and up again on going back.
        assert lines() == 4
        short = layout()
        assert short[0] == 4
        await pilot.press("enter", "7", "enter")
        await settle(pilot)
        assert lines() == 6
        assert layout() == (6, short[1])
        assert "KPI ALIGN latest" in screen_text(app)
        await pilot.press("pageup")
        await settle(pilot)
        assert lines() == 4 and layout() == short
        assert screen.focused is value and value.value == "0"
        # A long value in the field still scrolls with the cursor, without a layout.
        long = "1" * 150
        await type_text(pilot, long)  # key by key, waited for once
        await settle(pilot)
        assert value.value == long and value.cursor_position == len(long)
        assert value.scroll_x > 0
