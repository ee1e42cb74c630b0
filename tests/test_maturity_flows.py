"""Keyboard flows of the maturity area: taking, resuming and revisiting a self-assessment."""

from __future__ import annotations

import pytest
from helpers import TODAY, make_app, screen_text, settle
from textual.widgets import OptionList

from pmo_tui.screens.assessment import AssessmentScreen
from pmo_tui.screens.dialogs import ConfirmScreen
from pmo_tui.screens.maturity import MaturityScreen

SIZE = (120, 40)
STATEMENTS = 24


async def open_maturity(pilot) -> MaturityScreen:
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MaturityScreen)
    return pilot.app.screen


@pytest.mark.slow
async def test_answer_a_whole_assessment_by_keyboard(sample_store) -> None:
    # Levels cycle 1..5 across the 24 statements, so every key is used.
    levels = [(i % 5) + 1 for i in range(STATEMENTS)]
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_maturity(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, AssessmentScreen)
        for level in levels:
            await pilot.press(str(level))
            await settle(pilot)
        assert "24 of 24 answered" in screen_text(app)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, MaturityScreen)
        assert "assessed 2026-11-20" in screen_text(app)
    newest = sample_store.assessments()[0]
    assert (newest.taken_on, newest.status, newest.answered) == (TODAY, "complete", STATEMENTS)
    answers = sample_store.assessment_answers(newest.id)
    bank_order = [statement.id for statement in app_bank_order()]
    assert [answers[q].level for q in bank_order] == levels


def app_bank_order():
    from pmo_tui.locations import question_bank_path
    from pmo_tui.question_bank import load_question_bank

    bank = load_question_bank(question_bank_path())
    return [s for d in bank.dimensions for s in d.statements]


async def test_an_unfinished_assessment_is_kept_and_resumed(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_maturity(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("3", "4")
        await settle(pilot)
        await pilot.press("c", *"we map [b]some[/b] KPIs", "enter")  # a comment before the answer
        await settle(pilot)
        await pilot.press("2")  # the third statement, with its comment
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MaturityScreen)
        assert "unfinished one from 2026-11-20" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, AssessmentScreen)
        # Resumed at the first statement still unanswered: the fourth.
        assert app.screen.index == 3
        assert "3 of 24 answered" in screen_text(app)
    unfinished = sample_store.assessments()[0]
    assert unfinished.status == "in_progress"
    answers = sample_store.assessment_answers(unfinished.id)
    first_three = [s.id for s in app_bank_order()[:3]]
    assert [answers[q].level for q in first_three] == [3, 4, 2]
    assert answers[first_three[2]].comment == "we map [b]some[/b] KPIs"


async def test_arrow_keys_move_between_statements_and_change_an_answer(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_maturity(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("1", "1")
        await settle(pilot)
        await pilot.press("up", "up")
        assert app.screen.index == 0
        await pilot.press("5")
        await settle(pilot)
    answers = sample_store.assessment_answers(sample_store.assessments()[0].id)
    first = app_bank_order()[0].id
    assert answers[first].level == 5
    assert len(answers) == 2


@pytest.mark.slow
async def test_history_reopens_a_past_assessment(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_maturity(pilot)
        await pilot.press("n")
        await settle(pilot)
        for _ in range(STATEMENTS):
            await pilot.press("4")
            await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert "Well-Established 4.0" in screen_text(app)
        await pilot.press("h")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        assert options.option_count == 2
        await pilot.press("down", "enter")  # the older one, from the sample
        await settle(pilot)
        assert isinstance(app.screen, MaturityScreen)
        text = screen_text(app)
        assert "assessed 2026-09-15" in text
        assert "Developing" in text


async def test_the_weakest_dimension_becomes_a_draft_objective(sample_store) -> None:
    before = {o.code for o in sample_store.overview(TODAY).objectives}
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_maturity(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Raise leading indicators to Developing" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
    after = {o.code: o for o in sample_store.overview(TODAY).objectives}
    added = set(after) - before
    assert len(added) == 1
    objective = after[added.pop()]
    assert objective.title == "Raise leading indicators to Developing"
    assert objective.status == "draft"


async def test_finishing_with_unanswered_statements_asks_first(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_maturity(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "23 statements are unanswered" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, AssessmentScreen)
    assert sample_store.assessments()[0].status == "in_progress"
