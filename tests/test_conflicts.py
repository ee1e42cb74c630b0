"""No silent overwrites in the app (issue 19): two sessions on one database file; a form saved
after someone else changed its record shows the conflict, and the user reloads (what they typed
stays visible) or overwrites knowingly. What is asserted is what the database holds."""

from __future__ import annotations

from pathlib import Path

from helpers import TODAY, fill, make_app, screen_text, settle, wait_for_screen, wait_until
from test_who_did_what import project_definition

from pmo_tui.screens.dialogs import ConflictScreen, FormScreen, TextScreen
from pmo_tui.store import Store

SIZE = (100, 36)


async def _edit_project(pilot, code: str) -> FormScreen:
    await settle(pilot)
    pilot.app.open_project(code)
    await settle(pilot)
    await pilot.press("e")
    return await wait_for_screen(pilot, FormScreen)


async def test_a_stale_project_form_shows_the_conflict_and_overwrites_knowingly(sample_db: Path) -> None:
    mine, theirs = Store.open(sample_db), Store.open(sample_db)
    mine.user, theirs.user = "Priya Raman", "Sam Okafor"
    try:
        budget = mine.project_detail("PRJ-102").budget
        app = make_app(mine)
        async with app.run_test(size=SIZE) as pilot:
            form = await _edit_project(pilot, "PRJ-102")
            # Session 2 changes the owner while session 1's form is open.
            theirs.save_project(
                project_definition(theirs, "PRJ-102", owner="Sam Okafor"), original_code="PRJ-102"
            )
            fill(form, budget="2000000")
            await pilot.press("ctrl+s")
            await wait_for_screen(pilot, ConflictScreen)
            said = str(app.screen.query_one("#conflict-text").render())
            assert "Sam Okafor changed project PRJ-102 after you opened it: owner." in said
            stored = theirs.project_detail("PRJ-102")
            assert (stored.row.owner, stored.budget) == ("Sam Okafor", budget)  # nothing saved over it
            await pilot.press("o")
            await wait_until(
                pilot, lambda: not isinstance(app.screen, (ConflictScreen, FormScreen)), "the save"
            )
        saved = theirs.project_detail("PRJ-102")
        assert saved.budget == 2_000_000
        assert saved.row.owner != "Sam Okafor"  # overwritten, knowingly: the form's owner
        log = [(e.by, e.detail) for e in theirs.history_of("project", "PRJ-102")[:2]]
        assert log == [("Priya Raman", "owner, budget"), ("Sam Okafor", "owner")]
    finally:
        mine.close()
        theirs.close()


async def test_reload_shows_their_change_and_keeps_what_was_typed(sample_db: Path) -> None:
    mine, theirs = Store.open(sample_db), Store.open(sample_db)
    mine.user, theirs.user = "Priya Raman", "Sam Okafor"
    try:
        app = make_app(mine)
        async with app.run_test(size=SIZE) as pilot:
            form = await _edit_project(pilot, "PRJ-102")
            theirs.save_project(
                project_definition(theirs, "PRJ-102", owner="Sam Okafor"), original_code="PRJ-102"
            )
            fill(form, budget="2000000")
            await pilot.press("ctrl+s")
            await wait_for_screen(pilot, ConflictScreen)
            await pilot.press("r")
            await wait_until(pilot, lambda: app.screen is form and not form.saving, "the reload")
            assert form.values()["owner"] == "Sam Okafor"
            text = " ".join(screen_text(app).split())
            assert "you typed: 2000000" in text
            status = str(form.query_one("#form-status").render())
            assert "Reloaded project PRJ-102 as Sam Okafor left it" in status
            assert theirs.project_detail("PRJ-102").budget != 2_000_000  # nothing saved yet
            fill(form, budget="2000000")  # typed again from the note: saved on their change
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: app.screen is not form, "the save")
        saved = theirs.project_detail("PRJ-102")
        assert (saved.row.owner, saved.budget) == ("Sam Okafor", 2_000_000)
        assert [e.detail for e in theirs.history_of("project", "PRJ-102")[:2]] == ["budget", "owner"]
    finally:
        mine.close()
        theirs.close()


async def test_a_check_in_correction_on_a_stale_check_in_shows_the_conflict(sample_db: Path) -> None:
    from pmo_tui.screens.key_result_detail import KeyResultDetailScreen

    mine, theirs = Store.open(sample_db), Store.open(sample_db)
    mine.user, theirs.user = "Priya Raman", "Sam Okafor"
    try:
        _, key_result = theirs.key_result_detail("Q4-O2-KR1", TODAY)
        newest = key_result.check_ins[-1]
        app = make_app(mine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.push_screen(KeyResultDetailScreen("Q4-O2-KR1"))
            await settle(pilot)
            await pilot.press("enter")  # the newest check-in whole; e corrects it
            await wait_for_screen(pilot, TextScreen)
            await pilot.press("e")
            form = await wait_for_screen(pilot, FormScreen)
            theirs.correct_check_in(
                newest.id, newest.on, newest.value + 1, newest.confidence, "", today=TODAY
            )
            fill(form, comment="mine")
            await pilot.press("ctrl+s")
            conflict = await wait_for_screen(pilot, ConflictScreen)
            said = str(conflict.query_one("#conflict-text").render())
            assert said.startswith(f"Sam Okafor changed Q4-O2-KR1's check-in of {newest.on.isoformat()}")
            await pilot.press("escape")  # keep editing: nothing saved
            await wait_until(pilot, lambda: app.screen is form and not form.saving, "the form")
        _, after = theirs.key_result_detail("Q4-O2-KR1", TODAY)
        stored = next(c for c in after.check_ins if c.id == newest.id)
        assert (stored.value, stored.comment, stored.by) == (newest.value + 1, "", "Sam Okafor")
    finally:
        mine.close()
        theirs.close()
