"""The RAID log: its rules, the store's writes (read back from real databases), the derived
figures it feeds, and `pmo raid`."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from helpers import TODAY
from textual.widgets import DataTable

from pmo_tui import calculations as calc
from pmo_tui.cli import main
from pmo_tui.store import Conflict, NotFound, ReadOnly, Store
from pmo_tui.validation import InvalidInput, RaidEntry, check_raid_item

# PRJ-108 keeps no RAID log in the sample: its items here are the test's own.
PROJECT = "PRJ-108"

RISK = {
    "code": "R1",
    "kind": "risk",
    "title": "Content owners [not] ready for the migration",
    "owner": "Oliver Grant",
    "status": "open",
    "raised": "2026-10-01",
    "due": "2026-12-15",
    "probability": "4",
    "impact": "3",
}


def entry(**changes: str) -> RaidEntry:
    checked, errors = check_raid_item({**RISK, **changes}, today=TODAY)
    assert checked is not None, errors
    return checked


# --------------------------------------------------------------------------- rules


def test_exposure_is_probability_times_impact_and_only_open_past_due_is_overdue() -> None:
    assert calc.risk_exposure(4, 3) == 12
    assert calc.risk_exposure(None, 3) is None
    assert calc.raid_overdue("open", TODAY - timedelta(days=1), TODAY)
    assert not calc.raid_overdue("open", TODAY, TODAY)
    assert not calc.raid_overdue("closed", TODAY - timedelta(days=9), TODAY)
    assert not calc.raid_overdue("open", None, TODAY)


def test_next_code_is_one_past_the_highest_of_its_kind() -> None:
    assert calc.next_raid_code("risk", []) == "R1"
    assert calc.next_raid_code("risk", ["R1", "R4", "A9"]) == "R5"
    assert calc.next_raid_code("assumption", ["R1", "ACT3"]) == "A1"
    assert calc.next_raid_code("action", ["ACT1", "A2"]) == "ACT2"
    assert calc.next_raid_code("decision", ["d2"]) == "D3"


def test_open_risks_come_from_the_log_only_when_it_logs_a_risk() -> None:
    assert calc.open_risk_count([("risk", "open"), ("risk", "closed"), ("action", "open")], 7) == 1
    assert calc.open_risk_count([("action", "open")], 7) == 7
    assert calc.open_risk_count([("risk", "closed")], 7) == 0


def test_risks_sort_by_exposure_and_actions_by_due_day_open_first() -> None:
    raised = date(2026, 1, 1)
    keys = {
        "low risk": calc.raid_order("risk", "open", 4, None, raised),
        "high risk": calc.raid_order("risk", "open", 20, None, raised),
        "late action": calc.raid_order("action", "open", None, date(2026, 12, 1), raised),
        "soon action": calc.raid_order("action", "open", None, date(2026, 11, 1), raised),
        "closed risk": calc.raid_order("risk", "closed", 25, None, raised),
    }
    assert sorted(keys, key=keys.__getitem__) == [
        "high risk",
        "low risk",
        "soon action",
        "late action",
        "closed risk",
    ]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"raised": "2026-02-30"}, "raised", "does not exist"),
        ({"due": "2026-09-30"}, "due", "before the day it was raised"),
        ({"status": "closed"}, "closed", "needs the day it was closed"),
        ({"closed": "2026-11-01"}, "closed", "an open item has no closed day"),
        ({"status": "closed", "closed": "2026-09-01"}, "closed", "before the day it was raised"),
        ({"probability": "6"}, "probability", "at most 5"),
        ({"impact": "2.5"}, "impact", "a whole number 1–5"),
        ({"impact": ""}, "impact", "a risk needs its impact"),
        ({"kind": "issue"}, "probability", "only a risk has a probability"),
        ({"kind": "decision", "probability": "", "impact": "", "decided": "2026-10-02"}, "rationale", "why"),
        ({"decided_by": "Board"}, "decided_by", "only a decision"),
        ({"kind": "gossip"}, "kind", "choose one of"),
        ({"title": "  "}, "title", "must not be empty"),
        ({"raised": "2026-11-21"}, "raised", "after today"),
        ({"note": "two\nlines"}, "note", "one line only"),
        ({"code": "r1"}, "code", "already the code"),
    ],
)
def test_bad_items_are_refused_with_the_field_and_why(changes: dict, field: str, words: str) -> None:
    checked, errors = check_raid_item({**RISK, **changes}, taken_codes={"R1"}, today=TODAY)
    assert checked is None
    assert words in errors[field]


def test_a_decision_records_when_by_whom_and_why() -> None:
    checked, errors = check_raid_item(
        {
            "code": "D1",
            "kind": "decision",
            "title": "Go live in two waves",
            "status": "closed",
            "raised": "2026-10-01",
            "closed": "2026-10-08",
            "decided": "2026-10-08",
            "decided_by": "Steering committee",
            "rationale": "Halves the cut-over risk",
        },
        today=TODAY,
    )
    assert errors == {}
    assert checked is not None and checked.decided == date(2026, 10, 8)


# --------------------------------------------------------------------------- the store


def test_add_edit_close_reopen_delete_each_read_back_and_logged(sample_any: Store) -> None:
    store = sample_any
    store.user = "Priya Raman"
    assert store.next_raid_code(PROJECT, "risk") == "R1"
    store.save_raid_item(PROJECT, entry())
    (risk,) = store.raid_items(PROJECT, TODAY)
    assert (risk.code, risk.title, risk.exposure, risk.overdue) == (
        "R1",
        RISK["title"],
        12,
        False,
    )
    assert store.next_raid_code(PROJECT, "risk") == "R2"

    store.save_raid_item(PROJECT, entry(impact="5"), original_code="R1", expected_version=risk.version)
    edited = store.raid_item(PROJECT, "R1", TODAY)
    assert edited.exposure == 20 and edited.version > risk.version

    store.close_raid_item(PROJECT, "R1", date(2026, 11, 10), expected_version=edited.version)
    closed = store.raid_item(PROJECT, "R1", TODAY)
    assert (closed.status, closed.closed) == ("closed", date(2026, 11, 10))
    store.reopen_raid_item(PROJECT, "R1", expected_version=closed.version)
    assert store.raid_item(PROJECT, "R1", TODAY).closed is None
    store.delete_raid_item(PROJECT, "R1")
    assert store.raid_items(PROJECT, TODAY) == ()

    words = [change.words for change in store.history_of("raid_item", f"{PROJECT} R1")]
    assert words == [
        f"Priya Raman deleted {PROJECT} R1",
        f"Priya Raman reopened {PROJECT} R1",
        f"Priya Raman closed {PROJECT} R1",
        f"Priya Raman edited {PROJECT} R1",
        f"Priya Raman added risk {PROJECT} R1",
    ]
    assert store.history_of("raid_item", f"{PROJECT} R1")[3].detail == "impact"


def test_an_edit_on_a_stale_version_is_refused_and_saves_nothing(sample_store: Store) -> None:
    sample_store.save_raid_item(PROJECT, entry())
    opened = sample_store.raid_item(PROJECT, "R1", TODAY)
    sample_store.user = "Daniel Kowalski"
    sample_store.save_raid_item(PROJECT, entry(owner="Daniel Kowalski"), original_code="R1")
    with pytest.raises(Conflict, match="Daniel Kowalski"):
        sample_store.save_raid_item(
            PROJECT, entry(title="Mine"), original_code="R1", expected_version=opened.version
        )
    with pytest.raises(Conflict):
        sample_store.close_raid_item(PROJECT, "R1", TODAY, expected_version=opened.version)
    after = sample_store.raid_item(PROJECT, "R1", TODAY)
    assert (after.title, after.owner, after.status) == (RISK["title"], "Daniel Kowalski", "open")


def test_codes_are_unique_within_a_project_only(sample_store: Store) -> None:
    sample_store.save_raid_item(PROJECT, entry())
    with pytest.raises(InvalidInput, match="already"):
        sample_store.save_raid_item(PROJECT, entry(title="Another"))
    sample_store.save_raid_item("PRJ-110", entry())
    assert [r.project_code for r in sample_store.portfolio_raid(TODAY) if r.code == "R1"].count(PROJECT) == 1
    assert len(sample_store.raid_items(PROJECT, TODAY)) == 1


def test_close_refuses_a_day_before_raised_and_a_closed_item(sample_store: Store) -> None:
    sample_store.save_raid_item(PROJECT, entry())
    with pytest.raises(InvalidInput, match="before the day it was raised"):
        sample_store.close_raid_item(PROJECT, "R1", date(2026, 9, 1))
    # Whoever closes it (the form, `pmo raid close`), a day after today is refused by the store.
    with pytest.raises(InvalidInput, match=r"2026-11-21 is after today \(2026-11-20\)"):
        sample_store.close_raid_item(PROJECT, "R1", TODAY + timedelta(days=1), today=TODAY)
    assert [i.status for i in sample_store.raid_items(PROJECT, TODAY) if i.code == "R1"] == ["open"]
    sample_store.close_raid_item(PROJECT, "R1", TODAY)
    with pytest.raises(InvalidInput, match="already closed"):
        sample_store.close_raid_item(PROJECT, "R1", TODAY)
    with pytest.raises(NotFound):
        sample_store.close_raid_item(PROJECT, "R9", TODAY)


def test_a_read_only_portfolio_refuses_before_writing(sample_db) -> None:
    store = Store.open(sample_db, read_only=True)
    try:
        with pytest.raises(ReadOnly):
            store.save_raid_item(PROJECT, entry())
    finally:
        store.close()


def test_open_risks_and_overdue_actions_feed_the_portfolio_and_derived_kpis(sample_store: Store) -> None:
    before = sample_store.overview(TODAY).figures
    typed = sample_store.project_detail(PROJECT, TODAY).open_risks
    sample_store.save_raid_item(PROJECT, entry())
    sample_store.save_raid_item(PROJECT, entry(code="R2", status="closed", closed="2026-11-02"))
    action = replace(
        entry(code="ACT1", kind="action", probability="", impact=""), due=TODAY - timedelta(days=3)
    )
    sample_store.save_raid_item(PROJECT, action)
    detail = sample_store.project_detail(PROJECT, TODAY)
    assert detail.open_risks == 1
    after = sample_store.overview(TODAY).figures
    assert after.open_risks == before.open_risks - typed + 1
    assert after.overdue_actions == before.overdue_actions + 1
    assert calc.derived_kpi_value("overdue_raid_actions", after) == after.overdue_actions
    # Not yet overdue the day it falls due.
    assert sample_store.overview(TODAY - timedelta(days=3)).figures.overdue_actions == before.overdue_actions


# --------------------------------------------------------------------------- pmo raid


def pmo(db, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), "--today", TODAY.isoformat(), *args])


def test_pmo_raid_adds_updates_closes_and_lists(sample_db) -> None:
    added = pmo(
        sample_db,
        "raid",
        "add",
        PROJECT,
        "--kind",
        "risk",
        "--title",
        "Vendor [b]insolvency[/b]",
        "--probability",
        "2",
        "--impact",
        "5",
        "--owner",
        "Oliver Grant",
        "--due",
        "2027-01-15",
    )
    assert added.exit_code == 0, added.output
    assert (
        pmo(
            sample_db,
            "raid",
            "add",
            PROJECT,
            "--kind",
            "action",
            "--title",
            "Sign the escrow",
            "--raised",
            "2026-11-02",
            "--due",
            "2026-11-16",
        ).exit_code
        == 0
    )
    assert pmo(sample_db, "raid", "update", PROJECT, "R1", "--probability", "4").exit_code == 0
    listed = pmo(sample_db, "raid", "list", PROJECT)
    assert (
        f"{PROJECT} R1 · risk · Vendor [b]insolvency[/b] · Oliver Grant · open · due 2027-01-15 · exposure 20 (4×5)"
        in listed.output
    )
    assert (
        f"{PROJECT} ACT1 · action · Sign the escrow · no owner · ⚠ overdue · due 2026-11-16" in listed.output
    )
    closed = pmo(sample_db, "raid", "close", PROJECT, "ACT1", "--on", "2026-11-19")
    assert closed.exit_code == 0, closed.output
    store = Store.open(sample_db)
    try:
        risk = store.raid_item(PROJECT, "R1", TODAY)
        action = store.raid_item(PROJECT, "ACT1", TODAY)
    finally:
        store.close()
    assert (risk.probability, risk.impact, risk.owner, risk.due) == (4, 5, "Oliver Grant", date(2027, 1, 15))
    assert (action.status, action.closed, action.overdue) == ("closed", date(2026, 11, 19), False)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("add", PROJECT, "--kind", "risk", "--title", "x", "--probability", "9", "--impact", "1"),
            "--probability: ",
        ),
        (
            ("add", PROJECT, "--kind", "issue", "--title", "x", "--due", "2026-02-30"),
            "--due: 2026-02-30 does not exist",
        ),
        (("add", PROJECT, "--kind", "risk", "--title", "x", "--impact", "3"), "--probability: a risk needs"),
        (("add", "PRJ-999", "--kind", "issue", "--title", "x"), "no project with code"),
        (("update", PROJECT, "R7", "--impact", "2"), "has no RAID item"),
        (("close", PROJECT, "R7"), "has no RAID item"),
        (("close", PROJECT, "R1", "--on", "2026-11-21"), "--on: 2026-11-21 is after today"),
        (("close", PROJECT, "R1", "--on", ""), "--on: "),
    ],
)
def test_pmo_raid_refuses_bad_input_in_one_line_and_changes_nothing(sample_db, args, message) -> None:
    before = sample_db.read_bytes()
    result = pmo(sample_db, "raid", *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert sample_db.read_bytes() == before


# --------------------------------------------------------------------------- the portfolio file


def test_an_import_matches_items_by_code_within_their_project(sample_any: Store) -> None:
    before = {r.code: r for r in sample_any.raid_items("PRJ-101", TODAY)}
    summary = sample_any.import_portfolio_text(
        """format = "pmo-tui portfolio"
version = 1

[[projects]]
code = "PRJ-101"

[[projects.raid]]
code = "R3"
impact = 2

[[projects.raid]]
code = "ACT3"
kind = "action"
title = "Book the third migration rehearsal"
owner = "Priya Raman"
raised = 2026-11-16
due = 2026-12-04
""",
        today=TODAY,
    )
    assert summary.updated.get("RAID items") == 1 and summary.counts.get("RAID items") == 1
    after = {r.code: r for r in sample_any.raid_items("PRJ-101", TODAY)}
    assert set(after) == set(before) | {"ACT3"}
    assert (after["R3"].impact, after["R3"].probability, after["R3"].title) == (2, 3, before["R3"].title)
    assert after["R3"].version > before["R3"].version  # a form opened before the import will not save over it
    assert after["ACT3"].due == date(2026, 12, 4)
    # Another project's R3 is another item.
    assert {r.code for r in sample_any.raid_items("PRJ-103", TODAY)} == {"R1", "R2", "R3", "A1"}


@pytest.mark.parametrize(
    ("item", "where", "words"),
    [
        (
            'code = "R9"\nkind = "risk"\ntitle = "t"\nraised = 2026-11-02\nprobability = 3',
            "raid[0].impact",
            "a risk needs its impact",
        ),
        (
            'code = "X1"\nkind = "issue"\ntitle = "t"\nraised = 2026-11-02\nstatus = "closed"',
            "raid[0].closed",
            "needs the day",
        ),
        (
            'code = "X1"\nkind = "action"\ntitle = "t"\nraised = 2026-11-02\ndue = 2026-11-01',
            "raid[0].due",
            "before the day it was raised",
        ),
        (
            'code = "X1"\nkind = "risk"\ntitle = "t"\nraised = 2026-11-02\nprobability = 0\nimpact = 1',
            "raid[0].probability",
            "at least 1",
        ),
        ('code = "X1"\nkind = "hunch"\ntitle = "t"\nraised = 2026-11-02', "raid[0].kind", "not one of"),
    ],
)
def test_an_import_refuses_a_bad_item_where_it_stands(
    sample_store: Store, item: str, where: str, words: str
) -> None:
    from pmo_tui.portfolio_file import PortfolioFileError

    text = f'format = "pmo-tui portfolio"\nversion = 1\n\n[[projects]]\ncode = "PRJ-108"\n\n[[projects.raid]]\n{item}\n'
    with pytest.raises(PortfolioFileError) as refused:
        sample_store.import_portfolio_text(text, "raid.toml", today=TODAY)
    assert refused.value.location == f"raid.toml: projects[0].{where}"
    assert words in refused.value.message
    assert sample_store.raid_items("PRJ-108", TODAY) == ()


def test_the_sample_keeps_a_believable_raid_log(sample_store: Store) -> None:
    items = sample_store.portfolio_raid(TODAY)
    assert {i.kind for i in items} == set(calc.RAID_KINDS)
    top = items[0]
    assert (top.project_code, top.code, top.exposure) == ("PRJ-101", "R1", 20)
    overdue = [f"{i.project_code} {i.code}" for i in items if i.overdue]
    assert overdue == ["PRJ-104 ACT1", "PRJ-101 ACT1"]
    decision = sample_store.raid_item("PRJ-101", "D1", TODAY)
    assert decision.decided_by and decision.rationale and decision.status == "closed"
    # The logged open risks are those the latest updates gave: the portfolio's count is unchanged.
    assert sample_store.overview(TODAY).figures.open_risks == 29


# --------------------------------------------------------------------------- on screen

SCREEN = (100, 32)


async def _project(pilot, code: str):
    from helpers import settle, wait_for_screen

    from pmo_tui.screens.project_detail import ProjectDetailScreen

    await settle(pilot)
    pilot.app.open_project(code)
    screen = await wait_for_screen(pilot, ProjectDetailScreen)
    await settle(pilot)
    return screen


async def _save(pilot) -> None:
    from helpers import saving, settle, wait_until

    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: not saving(pilot.app), "the save")
    await settle(pilot)


async def test_a_risk_typed_into_the_project_detail_is_saved_and_listed(sample_store: Store) -> None:
    from helpers import make_app, screen_text, type_text, wait_for_screen, wait_until

    from pmo_tui.screens.dialogs import FormScreen

    app = make_app(sample_store)
    async with app.run_test(size=SCREEN) as pilot:
        await _project(pilot, PROJECT)
        await pilot.press("a")
        form = await wait_for_screen(pilot, FormScreen)
        # A new item starts on its title: kind risk and code R1 are suggested.
        assert form.focused is form.query_one("#field-title")
        await type_text(pilot, "Search index [red]rebuild[/red] overruns")
        await pilot.press("tab")
        await type_text(pilot, "Oliver Grant")
        for _ in range(2):  # raised (today), then due
            await pilot.press("tab")
        await type_text(pilot, "2026-12-04")
        await pilot.press("tab")
        await type_text(pilot, "9")  # probability out of range: refused beside the field
        await _save(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "must be at most 5" in screen_text(app)
        assert sample_store.raid_items(PROJECT, TODAY) == ()
        form.query_one("#field-probability").value = "3"
        form.query_one("#field-impact").value = "4"
        await _save(pilot)
        table = app.screen.query_one("#raid-log", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1, "the new risk listed")
        shown = screen_text(app)
        # The title as typed, never read as markup (cut to its column).
        assert "12 (3×4)" in shown and "Search index [red]rebuild[/red] ove…" in shown
    (risk,) = sample_store.raid_items(PROJECT, TODAY)
    assert (risk.code, risk.kind, risk.title, risk.owner, risk.raised, risk.due, risk.exposure) == (
        "R1",
        "risk",
        "Search index [red]rebuild[/red] overruns",
        "Oliver Grant",
        TODAY,
        date(2026, 12, 4),
        12,
    )


async def test_a_new_item_takes_the_code_of_the_kind_chosen(sample_store: Store) -> None:
    from helpers import fill, make_app, wait_for_screen

    from pmo_tui.screens.dialogs import FormScreen

    app = make_app(sample_store)
    async with app.run_test(size=SCREEN) as pilot:
        await _project(pilot, "PRJ-101")
        await pilot.press("a")
        form = await wait_for_screen(pilot, FormScreen)
        assert form.query_one("#field-code").value == "R7"
        fill(form, kind="action", title="Send the cut-over plan to the sponsor", due="2026-11-27")
        await _save(pilot)
        assert not isinstance(app.screen, FormScreen)
    action = sample_store.raid_item("PRJ-101", "ACT3", TODAY)
    assert (action.kind, action.due, action.probability) == ("action", date(2026, 11, 27), None)


async def test_o_closes_the_item_at_the_cursor_on_the_day_typed(sample_store: Store) -> None:
    from helpers import make_app, screen_text, wait_for_screen, wait_until

    from pmo_tui.screens.dialogs import FormScreen

    app = make_app(sample_store)
    async with app.run_test(size=SCREEN) as pilot:
        screen = await _project(pilot, "PRJ-104")
        table = screen.query_one("#raid-log", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("ACT1"))
        assert "⚠ overdue" in screen_text(app)
        await pilot.press("o")
        form = await wait_for_screen(pilot, FormScreen)
        form.query_one("#field-closed").value = "2026-11-18"
        await _save(pilot)
        await wait_until(
            pilot, lambda: "RAID log · 1 open of 3 · a adds" in screen_text(app), "the log reread"
        )
    action = sample_store.raid_item("PRJ-104", "ACT1", TODAY)
    assert (action.status, action.closed, action.overdue) == ("closed", date(2026, 11, 18), False)


async def test_the_portfolio_raid_screen_filters_by_kind_and_opens_the_project(sample_store: Store) -> None:
    from helpers import make_app, screen_text, settle, wait_for_screen, wait_until

    from pmo_tui.screens.project_detail import ProjectDetailScreen
    from pmo_tui.screens.raid import RaidScreen

    app = make_app(sample_store)
    async with app.run_test(size=SCREEN) as pilot:
        await settle(pilot)
        await pilot.press("l")
        screen = await wait_for_screen(pilot, RaidScreen)
        await wait_until(pilot, lambda: screen.loaded, "the RAID log")
        table = screen.query_one("#raid-list", DataTable)
        first = table.get_row_at(0)
        assert (first[0].plain, first[2].plain, first[4].plain) == ("PRJ-101", "R1", "20")
        for _ in range(3):  # all → risks → issues → actions
            await pilot.press("k")
        shown = screen_text(app)
        assert "showing actions, open only (3)" in shown and shown.count("⚠ overdue") == 3  # heading + 2 rows
        assert [table.get_row_at(i)[0].plain for i in range(table.row_count)] == [
            "PRJ-104",
            "PRJ-101",
            "PRJ-101",
        ]
        await pilot.press("enter")
        detail = await wait_for_screen(pilot, ProjectDetailScreen)
        assert detail.code == "PRJ-104"


# --------------------------------------------------------------------------- the report


def test_the_report_names_the_top_risks_and_the_overdue_actions_with_their_owners(
    sample_store: Store,
) -> None:
    from pmo_tui.report import build_report, report_markdown

    sample_store.save_raid_item(
        PROJECT,
        entry(code="ACT1", kind="action", title="Fix the *bold* | pipe", owner="", probability="", impact=""),
    )
    sample_store.save_raid_item(
        PROJECT,
        replace(
            entry(
                code="ACT1", kind="action", title="Fix the *bold* | pipe", owner="", probability="", impact=""
            ),
            due=TODAY - timedelta(days=1),
        ),
        original_code="ACT1",
    )
    report = build_report(sample_store, TODAY)
    raid = report["raid"]
    assert [(r["project"], r["code"], r["exposure"], r["owner"]) for r in raid["top_risks"][:2]] == [
        ("PRJ-101", "R1", 20, "Priya Raman"),
        ("PRJ-101", "R2", 16, "Samuel Adeyemi"),
    ]
    assert len(raid["top_risks"]) == 5
    assert [(a["project"], a["code"], a["days_overdue"], a["owner"]) for a in raid["overdue_actions"]] == [
        ("PRJ-104", "ACT1", 14, "Marcus Bell"),
        ("PRJ-101", "ACT1", 7, "Lena Vogel"),
        (PROJECT, "ACT1", 1, ""),
    ]
    assert report["portfolio"]["overdue_raid_actions"] == 3 and raid["overdue"] == 3
    text = report_markdown(report)
    assert (
        "| PRJ-101 R1 Vendor master data not cleansed before the April cut-over | 20 (4×5) | Priya Raman |"
        in text
    )
    assert (
        f"- ⚠ **{PROJECT} ACT1** Fix the \\*bold\\* \\| pipe: due 2026-11-19, 1 day overdue, no owner" in text
    )


async def test_tab_then_enter_edits_the_item_and_a_change_made_meanwhile_is_not_overwritten(
    sample_store: Store,
) -> None:
    from helpers import make_app, wait_for_screen, wait_until

    from pmo_tui.screens.dialogs import ConflictScreen, FormScreen

    app = make_app(sample_store)
    async with app.run_test(size=SCREEN) as pilot:
        screen = await _project(pilot, "PRJ-104")
        await pilot.press("tab")
        assert screen.focused is screen.query_one("#raid-log", DataTable)
        await pilot.press("enter")  # the first item: I1
        form = await wait_for_screen(pilot, FormScreen)
        assert form.focused is form.query_one("#field-kind")  # an edit starts on its first field
        form.query_one("#field-owner").value = "Ada Byrne"
        # Someone else changes the item while the form is open.
        other = sample_store.raid_item("PRJ-104", "I1", TODAY)
        sample_store.user = "Mei Tanaka"
        sample_store.save_raid_item(
            "PRJ-104",
            entry(**{**other.as_fields(), "note": "crash fix in 4.2.1"}),
            original_code="I1",
            expected_version=other.version,
        )
        await pilot.press("ctrl+s")
        # The conflict every edit form shows: who changed it, nothing saved over their change.
        conflict = await wait_for_screen(pilot, ConflictScreen)
        said = str(conflict.query_one("#conflict-text").render())
        assert "Mei Tanaka" in said, said
        stored = sample_store.raid_item("PRJ-104", "I1", TODAY)
        assert (stored.owner, stored.note) == ("Marcus Bell", "crash fix in 4.2.1")
        # Overwrite, knowingly, saves what the form holds.
        await pilot.press("o")
        await wait_until(pilot, lambda: not isinstance(app.screen, (ConflictScreen, FormScreen)), "the save")
    stored = sample_store.raid_item("PRJ-104", "I1", TODAY)
    assert (stored.owner, stored.note) == ("Ada Byrne", "")


def test_the_documented_raid_items_import_into_a_project(sample_store: Store) -> None:
    import re
    from pathlib import Path

    page = (Path(__file__).parent.parent / "docs" / "portfolio-format.md").read_text(encoding="utf-8")
    [example] = [
        block for block in re.findall(r"```toml\n(.*?)```", page, re.S) if "[[projects.raid]]" in block
    ]
    header = f'format = "pmo-tui portfolio"\nversion = 1\n\n[[projects]]\ncode = "{PROJECT}"\n\n'
    summary = sample_store.import_portfolio_text(header + example, today=TODAY)
    assert summary.counts == {"RAID items": 2}
    risk, decision = sample_store.raid_items(PROJECT, TODAY)
    assert (risk.code, risk.exposure, decision.code, decision.decided_by) == (
        "R1",
        20,
        "D1",
        "Steering committee",
    )
