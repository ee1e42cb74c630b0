"""Nothing a user did is silently undone or lost (issue 16).

Pilot tests over a real SQLite file; what was saved is read back from the file itself with a
connection of the test's own. A save left waiting is made by a second connection that holds the
database's write lock (BEGIN IMMEDIATE), as another program would, and lets it go later.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import TODAY, make_app, screen_text, settle, wait_until
from textual.widgets import Input, Static

from pmo_tui.report import build_report
from pmo_tui.screens.assessment import AssessmentScreen
from pmo_tui.screens.check_in import CheckInScreen
from pmo_tui.screens.dialogs import FormScreen
from pmo_tui.screens.kpi_detail import KpiDetailScreen
from pmo_tui.screens.maturity import MaturityScreen

SIZE = (120, 40)
STATEMENTS = 24


# --------------------------------------------------------------------------- reading the file


def rows(path: Path, sql: str, *parameters) -> list[tuple]:
    """Rows read from the database file by a connection of the test's own."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql, parameters).fetchall()
    finally:
        connection.close()


def statuses(path: Path) -> dict[str, str]:
    """Each assessment's status by the day it was taken."""
    return dict(rows(path, "SELECT taken_on, status FROM assessment"))


def answers_in_file(path: Path, taken_on: str) -> dict[str, tuple[int, str]]:
    return {
        question: (level, comment)
        for question, level, comment in rows(
            path,
            "SELECT question_id, level, comment FROM answer JOIN assessment "
            "ON assessment.id = answer.assessment_id WHERE assessment.taken_on = ?",
            taken_on,
        )
    }


def bank_order() -> list[str]:
    from pmo_tui.question_bank import default_bank

    return [s.id for d in default_bank().dimensions for s in d.statements]


def notices(app) -> str:
    return "\n".join(notification.message for notification in app._notifications)


@contextmanager
def locked(path: Path):
    """Another program holds the write lock of the database until the block ends."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=0)
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    finally:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        connection.close()


async def open_maturity(pilot) -> MaturityScreen:
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MaturityScreen)
    return pilot.app.screen


def progress(app) -> str:
    return str(app.screen.query_one("#assess-progress", Static).render())


def comment_box(app) -> Input:
    return app.screen.query_one("#assess-comment", Input)


# --------------------------------------------------------------------------- 1. finished stays finished


@pytest.mark.slow
async def test_stepping_through_a_finished_assessment_leaves_it_finished(sample_store, sample_db) -> None:
    before = answers_in_file(sample_db, "2026-09-15")
    assert statuses(sample_db) == {"2026-09-15": "complete"}
    assert build_report(sample_store, TODAY)["maturity"] is not None
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_maturity(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, AssessmentScreen)
        assert statuses(sample_db) == {"2026-09-15": "complete"}  # opening changes nothing
        # Every statement stepped through: arrows, and the very stage it already has.
        await pilot.press("up")
        for number, question in enumerate(bank_order()):
            if number % 2:
                await pilot.press(str(before[question][0]))
            else:
                await pilot.press("down")
            await settle(pilot)
        await pilot.press("up", "up", "k", "j")
        await settle(pilot)
        assert statuses(sample_db) == {"2026-09-15": "complete"}
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MaturityScreen)
        assert "unfinished" not in screen_text(app)
        # Finishing again without a change keeps it as it was too.
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, MaturityScreen)
    assert statuses(sample_db) == {"2026-09-15": "complete"}
    assert answers_in_file(sample_db, "2026-09-15") == before
    report = build_report(sample_store, TODAY)
    assert report["maturity"] is not None and report["maturity"]["taken_on"] == "2026-09-15"


async def test_the_report_command_keeps_its_maturity_section_after_a_look(sample_store, sample_db) -> None:
    from click.testing import CliRunner

    from pmo_tui.cli import main

    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_maturity(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("down", "down", "escape")
        await settle(pilot)
    result = CliRunner().invoke(
        main, ["--db", str(sample_db), "--today", TODAY.isoformat(), "report", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert '"taken_on": "2026-09-15"' in result.output
    assert "No complete self-assessment yet" not in result.output


async def test_changing_an_answer_of_a_finished_assessment_reopens_it_and_says_so(
    sample_store, sample_db
) -> None:
    first = bank_order()[0]
    before = answers_in_file(sample_db, "2026-09-15")
    other = 5 if before[first][0] != 5 else 1
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_maturity(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("up")  # (the screen opens on the first statement already)
        assert app.screen.index == 0
        await pilot.press(str(other))
        await settle(pilot)
        assert statuses(sample_db) == {"2026-09-15": "in_progress"}
        assert "unfinished again" in notices(app)
        await pilot.press("f")
        await settle(pilot)
    assert statuses(sample_db) == {"2026-09-15": "complete"}
    assert answers_in_file(sample_db, "2026-09-15")[first][0] == other


async def test_changing_only_a_comment_of_a_finished_assessment_reopens_it_and_says_so(
    sample_store, sample_db
) -> None:
    first = bank_order()[0]
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_maturity(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("c", *"more", "enter")
        await settle(pilot)
        assert "unfinished again" in notices(app)
    assert statuses(sample_db) == {"2026-09-15": "in_progress"}
    assert answers_in_file(sample_db, "2026-09-15")[first][1] == "more"


# --------------------------------------------------------------------------- 2. a comment stays put


async def start_assessment(pilot, answers: str) -> AssessmentScreen:
    await open_maturity(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AssessmentScreen)
    for digit in answers:
        await pilot.press(digit)
        await settle(pilot)
    return pilot.app.screen


async def test_a_comment_on_an_answered_statement_stays_with_it_whatever_key_moves_on(
    sample_store, sample_db
) -> None:
    order = bank_order()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_assessment(pilot, "2341")  # statements 1-4 answered, now on 5
        assert screen.index == 4
        # Statement 1: typed, then ↓ without Enter.
        await pilot.press("up", "up", "up", "up")
        assert screen.index == 0
        await pilot.press("c", *"first one", "down")
        await settle(pilot)
        assert screen.index == 1
        assert comment_box(app).value == ""  # not carried onto statement 2
        # Statement 2: typed, then ↑.
        await pilot.press(*"second", "up")
        await settle(pilot)
        assert screen.index == 0
        assert comment_box(app).value == "first one"
        # Statement 3: typed, then answered with its own stage (the answer moves on).
        await pilot.press("down", "down")
        await pilot.press(*"third", "escape", "4")  # Esc leaves the box; 4 answers statement 3
        await settle(pilot)
        assert screen.index == 4  # on to the first statement still unanswered
        assert comment_box(app).value == ""
        # Statement 4: typed, then Esc twice (out of the box, out of the assessment).
        await pilot.press("up", "c", *"fourth", "escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, MaturityScreen)
        file = answers_in_file(sample_db, TODAY.isoformat())
        assert file == {
            order[0]: (2, "first one"),
            order[1]: (3, "second"),
            order[2]: (4, "third"),
            order[3]: (1, "fourth"),
        }
        await pilot.press("n")  # back in: every comment on its own statement
        await settle(pilot)
        screen = app.screen
        for index, comment in enumerate(["first one", "second", "third", "fourth", ""]):
            screen.index = index
            screen.show_statement()
            assert comment_box(app).value == comment


async def test_a_comment_on_an_unanswered_statement_waits_for_its_own_stage(sample_store, sample_db) -> None:
    order = bank_order()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_assessment(pilot, "")
        await pilot.press("c", *"no stage yet", "enter")
        await settle(pilot)
        await pilot.press("down")  # moving on keeps it with statement 1 ...
        await settle(pilot)
        assert comment_box(app).value == ""
        await pilot.press("3")  # ... and statement 2's stage does not take it
        await settle(pilot)
        assert answers_in_file(sample_db, TODAY.isoformat()) == {order[1]: (3, "")}
        await pilot.press("up", "up")
        assert screen.index == 0
        assert comment_box(app).value == "no stage yet"
        await pilot.press("5")
        await settle(pilot)
    assert answers_in_file(sample_db, TODAY.isoformat()) == {
        order[0]: (5, "no stage yet"),
        order[1]: (3, ""),
    }


async def test_leaving_with_a_comment_that_has_no_stage_asks_first(sample_store, sample_db) -> None:
    from pmo_tui.screens.dialogs import ConfirmScreen

    order = bank_order()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_assessment(pilot, "2")
        await pilot.press("c", *"unrated", "escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "no stage" in app.screen.question
        await pilot.press("n")  # go back: the comment is still there, on its statement
        await settle(pilot)
        assert app.screen is screen and screen.index == 1
        assert comment_box(app).value == "unrated"
        await pilot.press("4", "escape")
        await settle(pilot)
        assert isinstance(app.screen, MaturityScreen)
    assert answers_in_file(sample_db, TODAY.isoformat()) == {
        order[0]: (2, ""),
        order[1]: (4, "unrated"),
    }


# --------------------------------------------------------------------------- 3 and 4. waiting saves


async def test_an_answer_waiting_for_a_locked_database_shows_saving_and_esc_waits_for_it(
    sample_store, sample_db
) -> None:
    order = bank_order()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_assessment(pilot, "")
        with locked(sample_db):
            await pilot.press("3")
            await wait_until(pilot, lambda: "saving" in progress(app), "the saving sign")
            assert "0 of 24 answered" in progress(app)  # the count is what is stored
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen  # still there until the answer is stored ...
            assert "will still be stored" in notices(app)  # ... and it says so
            assert answers_in_file(sample_db, TODAY.isoformat()) == {}
        await wait_until(pilot, lambda: isinstance(app.screen, MaturityScreen), "the assessment to close")
        await settle(pilot)
        assert "saving" not in screen_text(app)
    assert answers_in_file(sample_db, TODAY.isoformat()) == {order[0]: (3, "")}


async def test_esc_twice_calls_off_an_answer_still_waiting_for_the_database(sample_store, sample_db) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_assessment(pilot, "")
        with locked(sample_db):
            await pilot.press("3", "4")
            await wait_until(pilot, lambda: screen.ticket is not None, "the answer to be on its way")
            ticket = screen.ticket
            await pilot.press("escape", "escape")
            await pilot.pause()
            assert isinstance(app.screen, MaturityScreen)
            assert "called off" in notices(app)
        # Once the lock is let go, the called-off save takes it and writes nothing.
        await wait_until(pilot, ticket.settled.is_set, "the called-off save to end")
        await settle(pilot)
    assert answers_in_file(sample_db, TODAY.isoformat()) == {}


async def test_the_answered_count_is_what_is_stored_while_answers_wait(sample_store, sample_db) -> None:
    order = bank_order()
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_assessment(pilot, "")
        with locked(sample_db):
            await pilot.press("2", "3", "4")  # typed ahead while the first waits
            await wait_until(pilot, lambda: "saving" in progress(app), "the saving sign")
            assert screen.index == 3
            assert "0 of 24 answered" in progress(app)
        await wait_until(pilot, lambda: "saving" not in progress(app), "the answers to be stored")
        assert "3 of 24 answered" in progress(app)
        await pilot.press("escape")
        await settle(pilot)
    assert answers_in_file(sample_db, TODAY.isoformat()) == {
        order[0]: (2, ""),
        order[1]: (3, ""),
        order[2]: (4, ""),
    }


async def test_an_answer_the_database_refuses_is_said_and_its_comment_stays(sample_store, sample_db) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_assessment(pilot, "")
        # Another session deletes the assessment meanwhile: the answer cannot be stored.
        connection = sqlite3.connect(sample_db)
        with connection:
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("DELETE FROM assessment WHERE taken_on = ?", (TODAY.isoformat(),))
        connection.close()
        await pilot.press("c", *"kept", "escape", "3")
        await settle(pilot)
        assert app.is_running and app.screen is screen
        assert "1 answer not saved" in notices(app)
        assert "0 of 24 answered" in progress(app)
        assert screen.chosen(bank_order()[0]) is None
        await pilot.press("up")
        assert comment_box(app).value == "kept"
    assert rows(
        sample_db,
        "SELECT count(*) FROM answer JOIN assessment ON assessment.id = "
        "answer.assessment_id WHERE taken_on = ?",
        TODAY.isoformat(),
    ) == [(0,)]


# --------------------------------------------------------------------------- the forms


async def open_measurement_form(pilot) -> FormScreen:
    await settle(pilot)
    pilot.app.open_kpi("ONTIME")
    await settle(pilot)
    assert isinstance(pilot.app.screen, KpiDetailScreen)
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FormScreen)
    return pilot.app.screen


def ontime_rows(path: Path) -> list[tuple]:
    return rows(
        path,
        "SELECT m.period, m.value FROM measurement m JOIN kpi ON kpi.id = m.kpi_id "
        "WHERE kpi.code = 'ONTIME' AND m.period = '2026-11-30'",
    )


def form_status(app) -> str:
    return str(app.screen.query_one("#form-status", Static).render())


async def test_a_form_save_waiting_for_the_database_shows_saving_and_esc_says_it_will_be_stored(
    sample_store, sample_db
) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_measurement_form(pilot)
        with locked(sample_db):
            await pilot.press(*"81.5", "enter", "enter")
            await wait_until(pilot, lambda: "saving" in form_status(app), "the saving sign")
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is form
            assert "will still be stored" in notices(app)
            assert "saving" in form_status(app)
            assert ontime_rows(sample_db) == []
        await wait_until(pilot, lambda: isinstance(app.screen, KpiDetailScreen), "the form to close")
        await settle(pilot)
        assert "81.5%" in screen_text(app)
    assert ontime_rows(sample_db) == [("2026-11-30", 81.5)]


async def test_a_second_ctrl_s_while_saving_saves_once(sample_store, sample_db) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_measurement_form(pilot)
        with locked(sample_db):
            await pilot.press(*"81.5", "enter", "enter")
            await pilot.press("ctrl+s")
            await pilot.pause()
        await wait_until(pilot, lambda: isinstance(app.screen, KpiDetailScreen), "the form to close")
        await settle(pilot)
        assert "already has" not in screen_text(app)
    assert ontime_rows(sample_db) == [("2026-11-30", 81.5)]


# --------------------------------------------------------------------------- the check-in


def check_ins_today(path: Path) -> int:
    return rows(path, 'SELECT count(*) FROM check_in WHERE "on" = ?', TODAY.isoformat())[0][0]


def heading(app) -> str:
    return str(app.screen.query_one("#ci-heading", Static).render())


async def enter_check_in(pilot) -> None:
    """Keep the value (Enter), confidence 6, no comment, Enter: saves and moves on."""
    await pilot.press("enter", "6", "enter")


async def test_a_check_in_waiting_for_the_database_shows_saving_and_esc_keeps_the_count_true(
    sample_store, sample_db
) -> None:
    before = check_ins_today(sample_db)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CheckInScreen)
        await enter_check_in(pilot)
        await settle(pilot)
        assert "1 saved" in heading(app)
        with locked(sample_db):
            await enter_check_in(pilot)
            await wait_until(pilot, lambda: "saving" in heading(app), "the saving sign")
            assert "1 saved" in heading(app)
            await pilot.press("pagedown")  # no moving on while this one waits
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen
            assert "will still be stored" in notices(app)
            assert check_ins_today(sample_db) == before + 1
        await wait_until(pilot, lambda: app.screen is not screen, "the check-in to close")
        await settle(pilot)
        assert "Check-in stopped: 2 saved." in notices(app)
    assert check_ins_today(sample_db) == before + 2


async def test_the_count_at_the_end_of_the_walk_is_the_count_stored(sample_store, sample_db) -> None:
    before = check_ins_today(sample_db)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        total = len(screen.items)
        for _ in range(3):  # each one waits for the database, then the card moves on
            with locked(sample_db):
                await enter_check_in(pilot)
                await wait_until(pilot, lambda: "saving" in heading(app), "the saving sign")
                await pilot.press("enter")  # a second Enter while it waits saves nothing more
            await wait_until(pilot, lambda: "saving" not in heading(app), "the check-in to be stored")
        for _ in range(total - 3):
            await pilot.press("pagedown")
        await wait_until(pilot, lambda: app.screen is not screen, "the check-in to end")
        await settle(pilot)
        assert f"Check-in done: 3 key results saved, {total - 3} skipped." in notices(app)
    assert check_ins_today(sample_db) == before + 3


async def test_esc_while_a_check_in_is_saved_again_stops_once_it_is_stored(sample_store, sample_db) -> None:
    before = check_ins_today(sample_db)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        await enter_check_in(pilot)
        await settle(pilot)
        await pilot.press("pageup")  # back to the one just saved: saving it again replaces it
        await settle(pilot)
        with locked(sample_db):
            await pilot.press("enter", "8", "enter")
            await wait_until(pilot, lambda: "saving" in heading(app), "the saving sign")
            await pilot.press("escape")
            await pilot.pause()
            assert "will still be stored" in notices(app)
        await wait_until(pilot, lambda: app.screen is not screen, "the check-in to close")
        await settle(pilot)
        assert "Check-in stopped: 1 saved." in notices(app)
    assert check_ins_today(sample_db) == before + 1
    assert rows(
        sample_db,
        'SELECT confidence FROM check_in WHERE "on" = ? ORDER BY id DESC LIMIT 1',
        TODAY.isoformat(),
    ) == [(0.8,)]


async def test_esc_while_a_check_in_waits_then_is_refused_keeps_the_walk_and_says_so(
    sample_store, sample_db
) -> None:
    before = check_ins_today(sample_db)
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        code = screen.item.key_result.code
        with locked(sample_db) as other:
            await enter_check_in(pilot)
            await wait_until(pilot, lambda: "saving" in heading(app), "the saving sign")
            await pilot.press("escape")
            await pilot.pause()
            # The other program deletes the key result before it lets go of the database.
            other.execute("DELETE FROM key_result WHERE code = ?", (code,))
            other.execute("COMMIT")
        await wait_until(pilot, lambda: "saving" not in heading(app), "the save to end")
        await settle(pilot)
        assert app.is_running and app.screen is screen
        assert "not saved after all" in notices(app)
        assert "0 saved" in heading(app)
    assert check_ins_today(sample_db) == before
