"""Tests of the OKR part of pmo_tui.store on real SQLite files (the sample portfolio, never mocks).

"Changes nothing" is checked by comparing store.export_portfolio() (the whole database in the
portfolio-file layout) before and after the refused call; row counts come from a plain sqlite3
connection where the Store API cannot see them (rows left behind by a cascade).

Facts of the sample portfolio used below (today is Friday 2026-11-20, its week began Monday 2026-11-16):
cycles 2026-Q3 (07-01..09-30, closed, graded) and 2026-Q4 (10-01..12-31, open); 2026-Q4 is 50 of 91
days gone, so the expected progress is 50/91.
Q4-O1 (Grace Whitfield, G2): KR1 milestone at 0; KR2 increase 70→90 %, latest 84.6, weight 2,
owner Arjun Patel, KPI ALIGN; KR3 increase 20→23 %, latest 21.4, KPI ROI.
Q4-O2 (Mei Tanaka, G3, parent Q4-O1): KR1 increase 0→80, latest 40; KR2 increase 78→90, latest 81, KPI SAT.
Q4-O3 (Grace Whitfield, G2, carried from Q3-O2): KR1 decrease 3.2→2.0, latest 3.4, KPI CRPP;
KR2 within_band 75..85 (check-ins 88, 87, 85, 84, last on 2026-10-23 so overdue), KPI UTIL;
KR3 increase 0→100, latest 67. Every Q4 key result has 7 check-ins except KR2 of Q4-O3 (4);
all were last checked in before this week, so all 8 are due.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import TODAY

from pmo_tui import calculations as calc
from pmo_tui.calculations import Pace
from pmo_tui.records import CycleOffer
from pmo_tui.store import NotFound, Store
from pmo_tui.validation import (
    CycleDefinition,
    InvalidInput,
    KeyResultDefinition,
    ObjectiveDefinition,
)

MONDAY = date(2026, 11, 16)
ELAPSED = 50 / 91  # 2026-10-01 .. 2026-11-20 of 2026-10-01 .. 2026-12-31
Q4_KEY_RESULTS = (
    "Q4-O1-KR1",
    "Q4-O1-KR2",
    "Q4-O1-KR3",
    "Q4-O2-KR1",
    "Q4-O2-KR2",
    "Q4-O3-KR1",
    "Q4-O3-KR2",
    "Q4-O3-KR3",
)

# --------------------------------------------------------------------------- helpers


def objective_def(**changes) -> ObjectiveDefinition:
    fields = {
        "title": "Cut the time to approve a project",
        "cycle": "2026-Q4",
        "owner": "Grace Whitfield",
        "goal": "G2",
        "parent": None,
        "status": "active",
    }
    fields.update(changes)
    return ObjectiveDefinition(**fields)


def kr_def(**changes) -> KeyResultDefinition:
    fields = {
        "title": "Approval lead time from 40 to 25 days",
        "kind": "decrease",
        "unit": "days",
        "baseline": 40.0,
        "target": 25.0,
        "band_low": None,
        "band_high": None,
        "weight": 1.0,
        "owner": "Chloe Martin",
        "kpi": None,
        "reason": "",
    }
    fields.update(changes)
    return KeyResultDefinition(**fields)


def same_definition(store: Store, code: str, **changes) -> KeyResultDefinition:
    """The definition of an existing key result as the edit form would hand it back, with changes."""
    _, row = store.key_result_detail(code, TODAY)
    fields = {
        "title": row.title,
        "kind": row.kind,
        "unit": row.unit,
        "baseline": row.baseline,
        "target": row.target,
        "band_low": row.band_low,
        "band_high": row.band_high,
        "weight": row.weight,
        "owner": row.owner,
        "kpi": row.kpi_code,
        "reason": "",
    }
    fields.update(changes)
    return KeyResultDefinition(**fields)


def board(store: Store, cycle: str | None = None, today: date = TODAY):
    return store.okr_board(today, cycle)


def objectives(store: Store, cycle: str | None = None, today: date = TODAY) -> dict:
    return {o.code: o for o in board(store, cycle, today).objectives}


def key_result(store: Store, code: str):
    return store.key_result_detail(code, TODAY)[1]


def count(path: Path, table: str) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        connection.close()


def cycle_info(store: Store, name: str):
    return next(c for c in store.cycles(TODAY) if c.name == name)


# =========================================================================== okr_board


def test_board_defaults_to_the_current_cycle(sample_store):
    okrs = board(sample_store)
    assert okrs.current == "2026-Q4"
    assert okrs.cycle.name == "2026-Q4"
    assert (okrs.cycle.start, okrs.cycle.end, okrs.cycle.status) == (
        date(2026, 10, 1),
        date(2026, 12, 31),
        "open",
    )
    assert okrs.cycle.elapsed == pytest.approx(ELAPSED)
    assert [c.name for c in okrs.cycles] == ["2026-Q4", "2026-Q3"]  # newest first
    assert [o.code for o in okrs.objectives] == ["Q4-O1", "Q4-O2", "Q4-O3"]


def test_board_of_a_named_cycle(sample_store):
    okrs = board(sample_store, "2026-Q3")
    assert okrs.cycle.name == "2026-Q3" and okrs.cycle.status == "closed"
    assert okrs.current == "2026-Q4"  # still the cycle holding today
    rows = {o.code: o for o in okrs.objectives}
    assert list(rows) == ["Q3-O1", "Q3-O2", "Q3-O3"]
    assert rows["Q3-O1"].score == 0.8 and rows["Q3-O1"].status == "done"
    # a closed cycle asks for no check-ins and has nothing overdue
    assert not any(kr.due or kr.overdue for o in okrs.objectives for kr in o.key_results)


def test_board_holding_an_objective_shows_its_cycle(sample_store):
    assert sample_store.okr_board(TODAY, holding="Q3-O2").cycle.name == "2026-Q3"
    assert sample_store.okr_board(TODAY, holding="Q4-O2").cycle.name == "2026-Q4"
    with pytest.raises(NotFound):
        sample_store.okr_board(TODAY, holding="Q9-O9")


def test_board_of_an_unknown_cycle_is_not_found(sample_store):
    with pytest.raises(NotFound):
        board(sample_store, "2031-Q1")


def test_board_in_the_summer_shows_the_closed_q3(sample_store):
    # 2026-08-15: no open cycle holds the day; the latest cycle that has started is 2026-Q3
    okrs = board(sample_store, today=date(2026, 8, 15))
    assert okrs.current == "2026-Q3" and okrs.cycle.name == "2026-Q3"


def test_board_of_an_empty_database(empty_store):
    okrs = empty_store.okr_board(TODAY)
    assert (okrs.cycle, okrs.cycles, okrs.objectives, okrs.current) == (None, (), (), None)


def test_objective_progress_is_the_weighted_mean_of_its_key_results(sample_store):
    rows = objectives(sample_store)
    o1 = {kr.code: kr for kr in rows["Q4-O1"].key_results}
    assert o1["Q4-O1-KR1"].progress == 0.0  # milestone not done
    assert o1["Q4-O1-KR2"].progress == pytest.approx(0.73)  # (84.6-70)/(90-70)
    assert o1["Q4-O1-KR3"].progress == pytest.approx(1.4 / 3)  # (21.4-20)/(23-20)
    assert o1["Q4-O1-KR2"].weight == 2.0
    # (0*1 + 0.73*2 + 0.4667*1) / (1+2+1) = 0.481667
    assert rows["Q4-O1"].progress == pytest.approx((0.73 * 2 + 1.4 / 3) / 4)
    # Q4-O2: (40/80 + (81-78)/(90-78)) / 2 = (0.5 + 0.25) / 2 = 0.375
    assert rows["Q4-O2"].progress == pytest.approx(0.375)
    # Q4-O3: decrease went the wrong way (0), band 2 of 4 inside (0.5), 67/100 -> (0 + 0.5 + 0.67)/3
    o3 = {kr.code: kr for kr in rows["Q4-O3"].key_results}
    assert o3["Q4-O3-KR1"].progress == 0.0
    assert o3["Q4-O3-KR2"].progress == pytest.approx(0.5)
    assert rows["Q4-O3"].progress == pytest.approx(0.39)
    # the objective's confidence is its key results' lowest latest one
    assert rows["Q4-O2"].confidence == pytest.approx(0.3)


def test_board_links_goal_parent_and_origin(sample_store):
    rows = objectives(sample_store)
    assert (rows["Q4-O1"].goal_code, rows["Q4-O1"].parent_code, rows["Q4-O1"].carried_from) == (
        "G2",
        None,
        None,
    )
    assert (rows["Q4-O2"].goal_code, rows["Q4-O2"].parent_code) == ("G3", "Q4-O1")
    assert rows["Q4-O3"].carried_from == "Q3-O2"
    kr2 = {kr.code: kr for kr in rows["Q4-O1"].key_results}["Q4-O1-KR2"]
    assert (kr2.kpi_code, kr2.owner, kr2.kind, kr2.baseline, kr2.target) == (
        "ALIGN",
        "Arjun Patel",
        "increase",
        70,
        90,
    )


def test_well_formed_sample_objectives_have_no_lint(sample_store):
    assert all(o.lint == () for o in board(sample_store).objectives)


def test_lint_findings_of_a_badly_formed_objective(sample_store):
    code = sample_store.save_objective(objective_def(title="Be better", owner="", goal=None))
    sample_store.save_key_result(
        code, kr_def(title="Something", kind="increase", unit="", baseline=5, target=5)
    )
    row = objectives(sample_store)[code]
    assert row.lint == (
        "1 key result: aim for 2–5",
        "no owner",
        "not aligned to a strategic goal",
        f"{code}-KR1's target equals its baseline: nothing to move",
        f"{code}-KR1 has no unit",
    )


def test_objective_without_key_results(sample_store):
    code = sample_store.save_objective(objective_def())
    row = objectives(sample_store)[code]
    assert row.key_result_count == 0 and row.progress == 0.0
    assert row.lint == ("0 key results: aim for 2–5",)


def test_archived_objectives_come_last(sample_store):
    sample_store.set_objective_status("Q4-O1", "archived")
    rows = board(sample_store).objectives
    assert [o.code for o in rows] == ["Q4-O2", "Q4-O3", "Q4-O1"]
    assert rows[-1].status == "archived"
    # an archived objective asks for no check-ins
    assert not any(kr.due or kr.overdue for kr in rows[-1].key_results)


def test_overdue_and_due_flags(sample_store):
    rows = objectives(sample_store)
    flags = {kr.code: (kr.due, kr.overdue) for o in rows.values() for kr in o.key_results}
    assert set(flags) == set(Q4_KEY_RESULTS)
    assert all(due for due, _ in flags.values())  # nobody checked in since Monday 2026-11-16
    # only Q4-O3-KR2 went silent for more than a week (last 2026-10-23)
    assert [code for code, (_, overdue) in flags.items() if overdue] == ["Q4-O3-KR2"]
    assert rows["Q4-O3"].overdue_key_results == 1
    assert rows["Q4-O3"].pace is Pace.OVERDUE
    assert rows["Q4-O1"].overdue_key_results == 0


def test_a_check_in_this_week_clears_due_and_overdue(sample_store):
    sample_store.record_check_in("Q4-O3-KR2", MONDAY, 83.0, 0.6, "back in the band")
    kr = key_result(sample_store, "Q4-O3-KR2")
    assert (kr.due, kr.overdue) == (False, False)
    # a check-in on last Sunday is not this week's
    sample_store.record_check_in("Q4-O1-KR3", date(2026, 11, 15), 21.5, 0.6)
    assert key_result(sample_store, "Q4-O1-KR3").due is True


# =========================================================================== cycles


def test_create_cycle(sample_store):
    sample_store.save_cycle(CycleDefinition("2027-Q1", date(2027, 1, 1), date(2027, 3, 31)))
    cycle = cycle_info(sample_store, "2027-Q1")
    assert (cycle.start, cycle.end, cycle.status) == (date(2027, 1, 1), date(2027, 3, 31), "open")
    assert [c.name for c in sample_store.cycles(TODAY)] == ["2027-Q1", "2026-Q4", "2026-Q3"]
    assert sample_store.okr_choices()[0] == ("2027-Q1", "2026-Q4", "2026-Q3")


def test_rename_cycle_keeps_its_objectives(sample_store):
    sample_store.save_cycle(
        CycleDefinition("FY26-Q4", date(2026, 10, 1), date(2026, 12, 31)), original_name="2026-Q4"
    )
    assert [c.name for c in sample_store.cycles(TODAY)] == ["FY26-Q4", "2026-Q3"]
    assert [o.code for o in board(sample_store, "FY26-Q4").objectives] == ["Q4-O1", "Q4-O2", "Q4-O3"]
    with pytest.raises(NotFound):
        board(sample_store, "2026-Q4")


def test_re_date_cycle(sample_store):
    # From its first check-in (2026-10-02) on: a later start would leave it outside (test_date_rules).
    sample_store.save_cycle(
        CycleDefinition("2026-Q4", date(2026, 10, 2), date(2027, 1, 8)), original_name="2026-Q4"
    )
    cycle = cycle_info(sample_store, "2026-Q4")
    assert (cycle.start, cycle.end) == (date(2026, 10, 2), date(2027, 1, 8))
    assert len(sample_store.cycles(TODAY)) == 2


def test_duplicate_cycle_name_is_refused_and_changes_nothing(sample_store):
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as new_clash:
        sample_store.save_cycle(CycleDefinition("2026-Q3", date(2027, 1, 1), date(2027, 3, 31)))
    assert new_clash.value.field == "name"
    with pytest.raises(InvalidInput) as rename_clash:
        sample_store.save_cycle(
            CycleDefinition("2026-Q3", date(2026, 10, 1), date(2026, 12, 31)), original_name="2026-Q4"
        )
    assert rename_clash.value.field == "name"
    assert sample_store.export_portfolio() == before


def test_archive_and_reopen_cycle(sample_store):
    sample_store.set_cycle_status("2026-Q3", "archived")
    assert cycle_info(sample_store, "2026-Q3").status == "archived"
    assert sample_store.okr_choices()[0] == ("2026-Q4",)  # out of the forms' pick lists
    sample_store.set_cycle_status("2026-Q3", "open")
    assert cycle_info(sample_store, "2026-Q3").status == "open"
    assert sample_store.okr_choices()[0] == ("2026-Q4", "2026-Q3")
    # its objectives survived the round trip
    assert len(board(sample_store, "2026-Q3").objectives) == 3


def test_unknown_cycle_status_or_name_is_refused(sample_store):
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as error:
        sample_store.set_cycle_status("2026-Q3", "paused")
    assert error.value.field == "status"
    with pytest.raises(NotFound):
        sample_store.set_cycle_status("2031-Q1", "archived")
    assert sample_store.export_portfolio() == before


def test_delete_cycle_cascades_to_objectives_key_results_and_check_ins(sample_store, sample_db):
    before = {t: count(sample_db, t) for t in ("cycle", "objective", "key_result", "check_in")}
    q3 = [o for o in sample_store.export_portfolio()["objectives"] if o["cycle"] == "2026-Q3"]
    q3_krs = [kr for o in q3 for kr in o["key_results"]]
    q3_check_ins = sum(len(kr["check_ins"]) for kr in q3_krs)
    assert len(q3) == 3 and q3_check_ins > 0

    sample_store.delete_cycle("2026-Q3")

    assert [c.name for c in sample_store.cycles(TODAY)] == ["2026-Q4"]
    exported = sample_store.export_portfolio()
    assert [o["code"] for o in exported["objectives"]] == ["Q4-O1", "Q4-O2", "Q4-O3"]
    for code in ("Q3-O1-KR1", "Q3-O2-KR3"):
        with pytest.raises(NotFound):
            sample_store.key_result_detail(code, TODAY)
    # the rows are gone from the file, not just unreachable
    assert count(sample_db, "cycle") == before["cycle"] - 1
    assert count(sample_db, "objective") == before["objective"] - 3
    assert count(sample_db, "key_result") == before["key_result"] - len(q3_krs)
    assert count(sample_db, "check_in") == before["check_in"] - q3_check_ins
    # the Q4 copy of Q3-O2 loses its origin link but stays with its check-ins
    q4 = objectives(sample_store)
    assert q4["Q4-O3"].carried_from is None
    assert len(key_result(sample_store, "Q4-O3-KR1").check_ins) == 7


def test_delete_unknown_cycle_is_not_found(sample_store):
    before = sample_store.export_portfolio()
    with pytest.raises(NotFound):
        sample_store.delete_cycle("2031-Q1")
    assert sample_store.export_portfolio() == before


# =========================================================================== objectives


def test_new_objective_codes_follow_the_cycle(sample_store):
    first = sample_store.save_objective(objective_def())
    second = sample_store.save_objective(objective_def(title="Second one"))
    # New codes follow the style the cycle's objectives already use (Q4-O1…Q4-O3).
    assert (first, second) == ("Q4-O4", "Q4-O5")
    sample_store.save_cycle(CycleDefinition("2027-Q1", date(2027, 1, 1), date(2027, 3, 31)))
    assert sample_store.save_objective(objective_def(cycle="2027-Q1")) == "2027-Q1-O1"


def test_new_objective_is_saved_with_every_field(sample_store):
    code = sample_store.save_objective(objective_def(parent="Q4-O1", goal="G4", status="draft"))
    row = objectives(sample_store)[code]
    assert (row.title, row.owner, row.goal_code, row.parent_code, row.status, row.cycle) == (
        "Cut the time to approve a project",
        "Grace Whitfield",
        "G4",
        "Q4-O1",
        "draft",
        "2026-Q4",
    )
    assert (code, "Cut the time to approve a project") in sample_store.okr_choices()[1]


def test_edit_objective(sample_store):
    code = sample_store.save_objective(
        objective_def(
            title="Stakeholders see the PMO's value",
            owner="Lena Hoffmann",
            goal="G1",
            parent=None,
            status="active",
        ),
        original_code="Q4-O2",
    )
    assert code == "Q4-O2"
    row = objectives(sample_store)["Q4-O2"]
    assert (row.title, row.owner, row.goal_code, row.parent_code) == (
        "Stakeholders see the PMO's value",
        "Lena Hoffmann",
        "G1",
        None,
    )
    assert row.key_result_count == 2  # its key results stay
    assert len(board(sample_store).objectives) == 3


def test_objective_under_its_own_child_is_refused(sample_store):
    # Q4-O2 sits under Q4-O1: putting Q4-O1 under Q4-O2 would make a loop
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as error:
        sample_store.save_objective(objective_def(title="Loop", parent="Q4-O2"), original_code="Q4-O1")
    assert error.value.field == "parent"
    assert sample_store.export_portfolio() == before


def test_objective_under_a_grandchild_is_refused(sample_store):
    grandchild = sample_store.save_objective(objective_def(title="Grandchild", parent="Q4-O2"))
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as error:
        sample_store.save_objective(objective_def(parent=grandchild), original_code="Q4-O1")
    assert error.value.field == "parent"
    assert sample_store.export_portfolio() == before


def test_objective_under_itself_is_refused(sample_store):
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as error:
        sample_store.save_objective(objective_def(parent="Q4-O3"), original_code="Q4-O3")
    assert error.value.field == "parent"
    assert sample_store.export_portfolio() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"goal": "G9"}, "goal"), ({"cycle": "2031-Q1"}, "cycle"), ({"parent": "Q9-O9"}, "parent")],
)
def test_unknown_goal_cycle_or_parent_is_refused(sample_store, changes, field):
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as new_error:
        sample_store.save_objective(objective_def(**changes))
    assert new_error.value.field == field
    with pytest.raises(InvalidInput) as edit_error:
        sample_store.save_objective(objective_def(**changes), original_code="Q4-O2")
    assert edit_error.value.field == field
    assert sample_store.export_portfolio() == before


def test_objective_status_changes(sample_store):
    sample_store.set_objective_status("Q4-O3", "done")
    assert objectives(sample_store)["Q4-O3"].status == "done"
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput):
        sample_store.set_objective_status("Q4-O3", "finished")
    with pytest.raises(NotFound):
        sample_store.set_objective_status("Q9-O9", "done")
    assert sample_store.export_portfolio() == before


def test_delete_objective_takes_its_key_results_and_check_ins(sample_store, sample_db):
    check_ins = count(sample_db, "check_in")
    sample_store.delete_objective("Q4-O1")
    rows = objectives(sample_store)
    assert list(rows) == ["Q4-O2", "Q4-O3"]
    assert rows["Q4-O2"].parent_code is None  # the child loses its parent, not its life
    with pytest.raises(NotFound):
        sample_store.key_result_detail("Q4-O1-KR2", TODAY)
    assert count(sample_db, "check_in") == check_ins - 21  # three key results, 7 check-ins each


# =========================================================================== key results


def test_a_new_key_result_and_its_objective_are_not_overdue_until_a_week_after_creation(sample_store):
    from datetime import timedelta

    # The quarter started on 1 October; the key result is made on TODAY, with no check-in yet.
    code = sample_store.save_key_result("Q4-O2", kr_def(), today=TODAY)
    for day, overdue in (
        (TODAY, False),
        (TODAY + timedelta(days=7), False),
        (TODAY + timedelta(days=8), True),
    ):
        _, row = sample_store.key_result_detail(code, day)
        assert row.overdue is overdue, day
        assert (row.pace is Pace.OVERDUE) is overdue, day
    # A new objective started from a KPI: its key result is as new.
    made = sample_store.start_okr_from_kpi("ONTIME", "Deliver on time again", "Arjun Patel", 85.0, TODAY)
    (row,) = [o for o in sample_store.okr_board(TODAY, holding=made).objectives if o.code == made]
    assert row.pace is not Pace.OVERDUE and row.overdue_key_results == 0


def test_create_key_result(sample_store):
    code = sample_store.save_key_result("Q4-O2", kr_def(kpi="CRPP", weight=3.0))
    assert code == "Q4-O2-KR3"
    objective, row = sample_store.key_result_detail(code, TODAY)
    assert objective.code == "Q4-O2" and objective.key_result_count == 3
    assert (row.title, row.kind, row.unit, row.baseline, row.target, row.weight, row.owner, row.kpi_code) == (
        "Approval lead time from 40 to 25 days",
        "decrease",
        "days",
        40.0,
        25.0,
        3.0,
        "Chloe Martin",
        "CRPP",
    )
    assert (row.check_ins, row.original_target, row.target_change_reason, row.progress) == ((), None, "", 0.0)


def test_create_band_key_result(sample_store):
    code = sample_store.save_key_result(
        "Q4-O2", kr_def(kind="within_band", unit="%", baseline=0, target=0, band_low=70.0, band_high=None)
    )
    row = key_result(sample_store, code)
    assert (row.kind, row.band_low, row.band_high) == ("within_band", 70.0, None)


def test_key_result_under_unknown_objective_or_kpi_is_refused(sample_store):
    before = sample_store.export_portfolio()
    with pytest.raises(NotFound):
        sample_store.save_key_result("Q9-O9", kr_def())
    with pytest.raises(InvalidInput) as error:
        sample_store.save_key_result("Q4-O2", kr_def(kpi="NOPE"))
    assert error.value.field == "kpi"
    assert sample_store.export_portfolio() == before


def test_edit_key_result(sample_store):
    code = sample_store.save_key_result(
        "Q4-O2",
        same_definition(
            sample_store, "Q4-O2-KR2", title="Satisfaction up", weight=2.5, owner="Lena Hoffmann", kpi=None
        ),
        original_code="Q4-O2-KR2",
    )
    assert code == "Q4-O2-KR2"
    row = key_result(sample_store, code)
    assert (row.title, row.weight, row.owner, row.kpi_code, row.target) == (
        "Satisfaction up",
        2.5,
        "Lena Hoffmann",
        None,
        90.0,
    )
    assert len(row.check_ins) == 7 and row.original_target is None
    # weight 2.5 now: (0.5*1 + 0.25*2.5) / 3.5 = 1.125 / 3.5
    assert objectives(sample_store)["Q4-O2"].progress == pytest.approx(1.125 / 3.5)


def test_moving_the_target_after_check_ins_needs_a_reason(sample_store):
    title = key_result(sample_store, "Q4-O1-KR2").title
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as error:
        sample_store.save_key_result(
            "Q4-O1",
            same_definition(sample_store, "Q4-O1-KR2", target=95.0, title="Changed too"),
            original_code="Q4-O1-KR2",
        )
    assert error.value.field == "reason"
    assert sample_store.export_portfolio() == before
    row = key_result(sample_store, "Q4-O1-KR2")
    assert (row.target, row.original_target, row.target_change_reason, row.title) == (90.0, None, "", title)


def test_moving_the_target_with_a_reason_keeps_the_first_target(sample_store):
    sample_store.save_key_result(
        "Q4-O1",
        same_definition(sample_store, "Q4-O1-KR2", target=95.0, reason="Board raised the bar"),
        original_code="Q4-O1-KR2",
    )
    row = key_result(sample_store, "Q4-O1-KR2")
    assert (row.target, row.original_target, row.target_change_reason) == (95.0, 90.0, "Board raised the bar")
    assert row.progress == pytest.approx(14.6 / 25)  # (84.6-70)/(95-70)
    assert len(row.check_ins) == 7

    sample_store.save_key_result(
        "Q4-O1",
        same_definition(sample_store, "Q4-O1-KR2", target=88.0, reason="Two projects cancelled"),
        original_code="Q4-O1-KR2",
    )
    row = key_result(sample_store, "Q4-O1-KR2")
    # the FIRST target stays on record; the latest reason is kept
    assert (row.target, row.original_target, row.target_change_reason) == (
        88.0,
        90.0,
        "Two projects cancelled",
    )


def test_same_target_after_check_ins_needs_no_reason(sample_store):
    sample_store.save_key_result(
        "Q4-O1", same_definition(sample_store, "Q4-O1-KR3", title="ROI up"), original_code="Q4-O1-KR3"
    )
    row = key_result(sample_store, "Q4-O1-KR3")
    assert (row.title, row.target, row.original_target, row.target_change_reason) == (
        "ROI up",
        23.0,
        None,
        "",
    )


def test_key_result_without_check_ins_changes_target_freely(sample_store):
    code = sample_store.save_key_result("Q4-O2", kr_def())
    sample_store.save_key_result("Q4-O2", kr_def(target=20.0), original_code=code)
    sample_store.save_key_result("Q4-O2", kr_def(target=15.0), original_code=code)
    row = key_result(sample_store, code)
    assert (row.target, row.original_target, row.target_change_reason) == (15.0, None, "")


def test_delete_key_result(sample_store, sample_db):
    check_ins = count(sample_db, "check_in")
    sample_store.delete_key_result("Q4-O2-KR2")
    assert [kr.code for kr in objectives(sample_store)["Q4-O2"].key_results] == ["Q4-O2-KR1"]
    assert count(sample_db, "check_in") == check_ins - 7
    with pytest.raises(NotFound):
        sample_store.delete_key_result("Q4-O2-KR2")


# =========================================================================== check-ins


def test_record_check_in(sample_store):
    sample_store.record_check_in("Q4-O2-KR1", TODAY, 50.0, 0.7, "survey results in")
    row = key_result(sample_store, "Q4-O2-KR1")
    assert len(row.check_ins) == 8
    latest = row.latest
    assert (latest.on, latest.value, latest.confidence, latest.comment) == (
        TODAY,
        50.0,
        0.7,
        "survey results in",
    )
    assert row.progress == pytest.approx(50 / 80)
    assert row.due is False


def test_same_day_check_in_replaces_the_first(sample_store):
    sample_store.record_check_in("Q4-O2-KR1", TODAY, 50.0, 0.7, "first")
    sample_store.record_check_in("Q4-O2-KR1", TODAY, 55.0, 0.9, "second thoughts")
    row = key_result(sample_store, "Q4-O2-KR1")
    today_ones = [c for c in row.check_ins if c.on == TODAY]
    assert len(row.check_ins) == 8 and len(today_ones) == 1
    assert (today_ones[0].value, today_ones[0].confidence, today_ones[0].comment) == (
        55.0,
        0.9,
        "second thoughts",
    )


def test_check_in_kept_in_date_order(sample_store):
    sample_store.record_check_in("Q4-O2-KR1", date(2026, 10, 20), 25.0, 0.8, "late entry")
    days = [c.on for c in key_result(sample_store, "Q4-O2-KR1").check_ins]
    assert days == sorted(days) and date(2026, 10, 20) in days


@pytest.mark.parametrize(
    ("value", "confidence", "field"),
    [
        (float("nan"), 0.5, "value"),
        (float("inf"), 0.5, "value"),
        (float("-inf"), 0.5, "value"),
        (50.0, 1.1, "confidence"),
        (50.0, -0.1, "confidence"),
        (50.0, float("nan"), "confidence"),
    ],
)
def test_bad_check_in_is_refused_and_writes_nothing(sample_store, value, confidence, field):
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as error:
        sample_store.record_check_in("Q4-O2-KR1", TODAY, value, confidence, "bad")
    assert error.value.field == field
    assert sample_store.export_portfolio() == before


def test_check_in_of_unknown_key_result_is_not_found(sample_store):
    before = sample_store.export_portfolio()
    with pytest.raises(NotFound):
        sample_store.record_check_in("Q9-O9-KR9", TODAY, 1.0, 0.5)
    assert sample_store.export_portfolio() == before


def test_correct_check_in(sample_store):
    first = key_result(sample_store, "Q4-O2-KR1").check_ins[0]
    sample_store.correct_check_in(first.id, date(2026, 10, 1), 2.0, 0.5, "typo fixed")
    check_ins = key_result(sample_store, "Q4-O2-KR1").check_ins
    assert len(check_ins) == 7
    corrected = next(c for c in check_ins if c.id == first.id)
    assert (corrected.on, corrected.value, corrected.confidence, corrected.comment) == (
        date(2026, 10, 1),
        2.0,
        0.5,
        "typo fixed",
    )


def test_correcting_onto_a_day_that_has_a_check_in_is_refused(sample_store):
    check_ins = key_result(sample_store, "Q4-O2-KR1").check_ins
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as error:
        sample_store.correct_check_in(check_ins[0].id, check_ins[1].on, 99.0, 0.9, "moved")
    assert error.value.field == "on"
    assert sample_store.export_portfolio() == before


def test_correcting_a_check_in_on_its_own_day_is_fine(sample_store):
    last = key_result(sample_store, "Q4-O2-KR1").latest
    sample_store.correct_check_in(last.id, last.on, 44.0, 0.8, "recounted")
    assert key_result(sample_store, "Q4-O2-KR1").latest.value == 44.0


def test_correct_check_in_refuses_bad_values_and_missing_ids(sample_store):
    last = key_result(sample_store, "Q4-O2-KR1").latest
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput):
        sample_store.correct_check_in(last.id, last.on, float("nan"), 0.5, "")
    with pytest.raises(InvalidInput):
        sample_store.correct_check_in(last.id, last.on, 1.0, 2.0, "")
    with pytest.raises(NotFound):
        sample_store.correct_check_in(999_999, last.on, 1.0, 0.5, "")
    assert sample_store.export_portfolio() == before


def test_delete_check_in(sample_store):
    last = key_result(sample_store, "Q4-O2-KR1").latest
    sample_store.delete_check_in(last.id)
    row = key_result(sample_store, "Q4-O2-KR1")
    assert len(row.check_ins) == 6 and last.id not in {c.id for c in row.check_ins}
    with pytest.raises(NotFound):
        sample_store.delete_check_in(last.id)


# =========================================================================== check_in_queue


def test_queue_holds_every_due_key_result(sample_store):
    queue = sample_store.check_in_queue(TODAY)
    assert tuple(item.key_result.code for item in queue) == Q4_KEY_RESULTS
    assert all(item.expected == pytest.approx(ELAPSED) for item in queue)
    titles = {item.key_result.code: item.objective_title for item in queue}
    assert titles["Q4-O2-KR1"] == objectives(sample_store)["Q4-O2"].title


def test_queue_leaves_out_key_results_checked_in_this_week(sample_store):
    sample_store.record_check_in("Q4-O1-KR2", MONDAY, 85.0, 0.8)
    sample_store.record_check_in("Q4-O3-KR3", TODAY, 70.0, 0.6)
    codes = [item.key_result.code for item in sample_store.check_in_queue(TODAY)]
    assert codes == [c for c in Q4_KEY_RESULTS if c not in ("Q4-O1-KR2", "Q4-O3-KR3")]


def test_queue_is_empty_once_everyone_checked_in_this_week(sample_store):
    for code in Q4_KEY_RESULTS:
        sample_store.record_check_in(code, MONDAY + timedelta(days=1), 1.0, 0.5)
    assert sample_store.check_in_queue(TODAY) == ()
    # next Monday everything is due again
    assert len(sample_store.check_in_queue(MONDAY + timedelta(days=7))) == 8


def test_queue_leaves_out_objectives_that_are_not_active(sample_store):
    sample_store.set_objective_status("Q4-O2", "draft")
    sample_store.set_objective_status("Q4-O3", "archived")
    assert [i.key_result.code for i in sample_store.check_in_queue(TODAY)] == [
        "Q4-O1-KR1",
        "Q4-O1-KR2",
        "Q4-O1-KR3",
    ]


def test_queue_owner_filter_uses_the_key_result_owner(sample_store):
    grace = [i.key_result.code for i in sample_store.check_in_queue(TODAY, owner="Grace Whitfield")]
    # Grace owns Q4-O1 and Q4-O3, but their other key results have owners of their own
    assert grace == ["Q4-O1-KR1"]
    arjun = [i.key_result.code for i in sample_store.check_in_queue(TODAY, owner="Arjun Patel")]
    assert arjun == ["Q4-O1-KR2", "Q4-O3-KR3"]
    assert sample_store.check_in_queue(TODAY, owner="Nobody Here") == ()


def test_queue_owner_filter_falls_back_to_the_objective_owner(sample_store):
    code = sample_store.save_key_result("Q4-O2", kr_def(owner=""))
    mei = [i.key_result.code for i in sample_store.check_in_queue(TODAY, owner="Mei Tanaka")]
    assert mei == ["Q4-O2-KR1", "Q4-O2-KR2", code]
    assert code not in [i.key_result.code for i in sample_store.check_in_queue(TODAY, owner="Chloe Martin")]


def test_queue_of_named_codes_in_that_order(sample_store):
    sample_store.record_check_in("Q4-O2-KR2", TODAY, 82.0, 0.4)  # not due, still listed when named
    queue = sample_store.check_in_queue(TODAY, codes=["Q4-O3-KR1", "Q4-O2-KR2", "Q3-O1-KR2"])
    assert [i.key_result.code for i in queue] == ["Q4-O3-KR1", "Q4-O2-KR2", "Q3-O1-KR2"]
    assert queue[2].expected == 1.0  # Q3 is over
    assert queue[2].objective_title == objectives(sample_store, "2026-Q3")["Q3-O1"].title
    with pytest.raises(NotFound):
        sample_store.check_in_queue(TODAY, codes=["Q9-O9-KR9"])


def test_queue_offers_the_linked_kpis_latest_value(sample_store):
    items = {i.key_result.code: i for i in sample_store.check_in_queue(TODAY)}
    for code, kpi in (
        ("Q4-O1-KR2", "ALIGN"),
        ("Q4-O1-KR3", "ROI"),
        ("Q4-O2-KR2", "SAT"),
        ("Q4-O3-KR1", "CRPP"),
        ("Q4-O3-KR2", "UTIL"),
    ):
        latest = sample_store.kpi_detail(kpi, TODAY).measurements[-1]
        assert (items[code].kpi_value, items[code].kpi_period) == (latest.value, latest.period), code
    assert (items["Q4-O1-KR2"].kpi_value, items["Q4-O1-KR2"].kpi_period) == (84.6, date(2026, 10, 31))
    # no KPI, nothing offered
    for code in ("Q4-O1-KR1", "Q4-O2-KR1", "Q4-O3-KR3"):
        assert (items[code].kpi_value, items[code].kpi_period) == (None, None)


def test_queue_follows_a_new_kpi_measurement(sample_store):
    sample_store.add_measurement("ALIGN", date(2026, 11, 30), 88.0)
    item = next(i for i in sample_store.check_in_queue(TODAY) if i.key_result.code == "Q4-O1-KR2")
    assert (item.kpi_value, item.kpi_period) == (88.0, date(2026, 11, 30))


def test_queue_value_needed_is_the_value_on_pace(sample_store):
    items = {i.key_result.code: i for i in sample_store.check_in_queue(TODAY)}
    # baseline + elapsed * (target - baseline), elapsed 50/91
    assert items["Q4-O1-KR2"].value_needed == pytest.approx(70 + ELAPSED * 20)  # 80.99
    assert items["Q4-O2-KR1"].value_needed == pytest.approx(ELAPSED * 80)  # 43.96
    assert items["Q4-O3-KR3"].value_needed == pytest.approx(ELAPSED * 100)  # 54.95
    assert items["Q4-O3-KR1"].value_needed == pytest.approx(3.2 - ELAPSED * 1.2)  # 2.54, a decrease
    # a milestone and a band have no value to be on pace with
    assert items["Q4-O1-KR1"].value_needed is None
    assert items["Q4-O3-KR2"].value_needed is None


def test_queue_is_empty_when_the_current_cycle_is_closed(sample_store):
    sample_store.set_cycle_status("2026-Q4", "closed")
    assert sample_store.check_in_queue(TODAY) == ()


# =========================================================================== close_cycle


def test_close_cycle_grades_closes_and_lists_the_unfinished(sample_store):
    progress = {
        o.code: (o.progress, {kr.code: kr.progress for kr in o.key_results})
        for o in board(sample_store).objectives
    }
    summary = sample_store.close_cycle("2026-Q4", TODAY)

    assert summary.cycle.name == "2026-Q4" and summary.cycle.status == "closed"
    assert summary.next_cycle == "2027-Q1"
    assert summary.unfinished == ("Q4-O1", "Q4-O2", "Q4-O3")
    assert [o.code for o in summary.objectives] == ["Q4-O1", "Q4-O2", "Q4-O3"]

    rows = objectives(sample_store, "2026-Q4")
    assert cycle_info(sample_store, "2026-Q4").status == "closed"
    for code, (objective_progress, kr_progress) in progress.items():
        assert rows[code].status == "done"
        assert rows[code].score == round(objective_progress, 2)
        for kr in rows[code].key_results:
            assert kr.score == round(kr_progress[kr.code], 2), kr.code
    # by hand: 0.481667 -> 0.48, 0.375 -> 0.38, 0.39 -> 0.39; KR2 of Q4-O1 0.73, KR3 0.47
    assert [rows[c].score for c in ("Q4-O1", "Q4-O2", "Q4-O3")] == [0.48, 0.38, 0.39]
    assert [kr.score for kr in rows["Q4-O1"].key_results] == [0.0, 0.73, 0.47]
    # the exported file carries the same grades
    exported = {o["code"]: o for o in sample_store.export_portfolio()["objectives"]}
    assert exported["Q4-O1"]["grade"] == 0.48 and exported["Q4-O1"]["status"] == "done"
    # nothing is due any more
    assert sample_store.check_in_queue(TODAY) == ()


def test_close_cycle_leaves_a_finished_objective_off_the_unfinished_list(sample_store):
    sample_store.record_check_in("Q4-O2-KR1", TODAY, 80.0, 1.0)
    sample_store.record_check_in("Q4-O2-KR2", TODAY, 91.0, 1.0)
    summary = sample_store.close_cycle("2026-Q4", TODAY)
    assert summary.unfinished == ("Q4-O1", "Q4-O3")
    assert objectives(sample_store, "2026-Q4")["Q4-O2"].score == 1.0


def test_close_cycle_leaves_drafts_and_archived_ungraded(sample_store):
    sample_store.set_objective_status("Q4-O2", "draft")
    sample_store.set_objective_status("Q4-O3", "archived")
    summary = sample_store.close_cycle("2026-Q4", TODAY)
    assert [o.code for o in summary.objectives] == ["Q4-O1"]
    rows = objectives(sample_store, "2026-Q4")
    assert (rows["Q4-O2"].status, rows["Q4-O2"].score) == ("draft", None)
    assert (rows["Q4-O3"].status, rows["Q4-O3"].score) == ("archived", None)


def test_close_unknown_cycle_is_not_found(sample_store):
    before = sample_store.export_portfolio()
    with pytest.raises(NotFound):
        sample_store.close_cycle("2031-Q1", TODAY)
    assert sample_store.export_portfolio() == before


def test_a_closed_cycle_is_not_graded_again(sample_store):
    sample_store.close_cycle("2026-Q4", TODAY)
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as error:
        sample_store.close_cycle("2026-Q4", TODAY + timedelta(days=5))
    assert (error.value.field, error.value.message) == (
        "cycle",
        "2026-Q4 is closed; reopen it to close and grade it again",
    )
    assert sample_store.export_portfolio() == before


def test_close_cycle_with_carry_over_grades_and_copies_in_one_go(sample_store):
    summary = sample_store.close_cycle("2026-Q4", TODAY, carry_over=True)
    assert summary.unfinished == ("Q4-O1", "Q4-O2", "Q4-O3")
    assert (summary.next_cycle, summary.carried) == ("2027-Q1", ("2027-Q1-O1", "2027-Q1-O2", "2027-Q1-O3"))
    rows = objectives(sample_store, "2027-Q1")
    assert [rows[code].carried_from for code in summary.carried] == ["Q4-O1", "Q4-O2", "Q4-O3"]
    assert [o.score for o in summary.objectives] == [0.48, 0.38, 0.39]


def test_close_cycle_with_a_refused_carry_over_leaves_the_cycle_open(sample_store):
    sample_store.save_cycle(CycleDefinition("2027-Q1", date(2027, 1, 1), date(2027, 3, 31)))
    sample_store.set_cycle_status("2027-Q1", "archived")
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput):
        sample_store.close_cycle("2026-Q4", TODAY, carry_over=True)
    assert sample_store.export_portfolio() == before
    assert cycle_info(sample_store, "2026-Q4").status == "open"


# =========================================================================== carry_over


def test_carry_over_creates_the_next_quarter_with_copies(sample_store):
    sample_store.close_cycle("2026-Q4", TODAY)
    name, codes = sample_store.carry_over(["Q4-O2", "Q4-O3"], TODAY)
    assert name == "2027-Q1"
    assert codes == ("2027-Q1-O1", "2027-Q1-O2")
    cycle = cycle_info(sample_store, "2027-Q1")
    assert (cycle.start, cycle.end, cycle.status) == (date(2027, 1, 1), date(2027, 3, 31), "open")

    rows = objectives(sample_store, "2027-Q1")
    o2, o3 = rows["2027-Q1-O1"], rows["2027-Q1-O2"]
    assert (o2.carried_from, o3.carried_from) == ("Q4-O2", "Q4-O3")
    assert (o2.title, o2.owner, o2.goal_code, o2.status) == (
        objectives(sample_store, "2026-Q4")["Q4-O2"].title,
        "Mei Tanaka",
        "G3",
        "active",
    )
    # the parent was not carried with it: the copy still sits under the Q4 objective
    assert o2.parent_code == "Q4-O1"

    krs = {kr.code: kr for o in (o2, o3) for kr in o.key_results}
    assert list(krs) == [
        "2027-Q1-O1-KR1",
        "2027-Q1-O1-KR2",
        "2027-Q1-O2-KR1",
        "2027-Q1-O2-KR2",
        "2027-Q1-O2-KR3",
    ]
    # increase and decrease start from their last value; targets stay; a band keeps its baseline
    expected = {
        "2027-Q1-O1-KR1": ("increase", 40.0, 80.0, None),
        "2027-Q1-O1-KR2": ("increase", 81.0, 90.0, "SAT"),
        "2027-Q1-O2-KR1": ("decrease", 3.4, 2.0, "CRPP"),
        "2027-Q1-O2-KR2": ("within_band", 88.0, 80.0, "UTIL"),
        "2027-Q1-O2-KR3": ("increase", 67.0, 100.0, None),
    }
    for code, (kind, baseline, target, kpi) in expected.items():
        kr = krs[code]
        assert (kr.kind, kr.baseline, kr.target, kr.kpi_code) == (kind, baseline, target, kpi), code
        assert kr.check_ins == () and kr.score is None
    assert (krs["2027-Q1-O2-KR2"].band_low, krs["2027-Q1-O2-KR2"].band_high) == (75.0, 85.0)
    # the originals are untouched
    assert key_result(sample_store, "Q4-O2-KR1").baseline == 0.0


def test_carry_over_remaps_a_parent_carried_together(sample_store):
    sample_store.close_cycle("2026-Q4", TODAY)
    # the child listed before its parent: the link is still remapped
    name, codes = sample_store.carry_over(["Q4-O2", "Q4-O1"], TODAY)
    assert codes == ("2027-Q1-O1", "2027-Q1-O2")
    rows = objectives(sample_store, name)
    assert rows["2027-Q1-O1"].carried_from == "Q4-O2"
    assert rows["2027-Q1-O2"].carried_from == "Q4-O1"
    assert rows["2027-Q1-O1"].parent_code == "2027-Q1-O2"
    assert rows["2027-Q1-O2"].parent_code is None


def test_carrying_the_same_objective_twice_does_nothing_the_second_time(sample_store):
    sample_store.close_cycle("2026-Q4", TODAY)
    sample_store.carry_over(["Q4-O3"], TODAY)
    before = sample_store.export_portfolio()
    name, codes = sample_store.carry_over(["Q4-O3"], TODAY)
    assert (name, codes) == ("2027-Q1", ())
    assert sample_store.export_portfolio() == before
    # and twice in one go makes one copy
    _, codes = sample_store.carry_over(["Q4-O1", "Q4-O1"], TODAY)
    assert codes == ("2027-Q1-O2",)
    assert [o.code for o in board(sample_store, "2027-Q1").objectives] == ["2027-Q1-O1", "2027-Q1-O2"]


def test_carry_over_into_an_existing_next_cycle(sample_store):
    sample_store.save_cycle(CycleDefinition("2027-Q1", date(2027, 1, 1), date(2027, 3, 31)))
    sample_store.save_objective(objective_def(cycle="2027-Q1"))  # 2027-Q1-O1 already taken
    summary = sample_store.close_cycle("2026-Q4", TODAY)
    assert summary.next_cycle == "2027-Q1"
    name, codes = sample_store.carry_over(["Q4-O1"], TODAY)
    assert (name, codes) == ("2027-Q1", ("2027-Q1-O2",))
    assert [c.name for c in sample_store.cycles(TODAY)] == ["2027-Q1", "2026-Q4", "2026-Q3"]


def test_carry_over_into_a_closed_next_cycle_is_refused(sample_store):
    sample_store.save_cycle(CycleDefinition("2027-Q1", date(2027, 1, 1), date(2027, 3, 31)))
    sample_store.set_cycle_status("2027-Q1", "archived")
    sample_store.close_cycle("2026-Q4", TODAY)
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as error:
        sample_store.carry_over(["Q4-O1"], TODAY)
    assert error.value.field == "cycle"
    assert sample_store.export_portfolio() == before


def test_carry_over_of_nothing(sample_store):
    before = sample_store.export_portfolio()
    assert sample_store.carry_over([], TODAY) == ("", ())
    assert sample_store.export_portfolio() == before


def test_carry_over_of_an_unknown_objective_changes_nothing(sample_store):
    before = sample_store.export_portfolio()
    with pytest.raises(NotFound):
        sample_store.carry_over(["Q4-O1", "Q9-O9"], TODAY)
    assert sample_store.export_portfolio() == before


# =========================================================================== start_okr_from_kpi


def test_start_okr_from_a_higher_is_better_kpi(sample_store):
    latest = sample_store.kpi_detail("ONTIME", TODAY).measurements[-1].value
    code = sample_store.start_okr_from_kpi("ONTIME", "Deliver on time again", "Arjun Patel", 85.0, TODAY)
    assert code == "Q4-O4"
    row = objectives(sample_store)[code]
    assert (row.title, row.owner, row.status, row.goal_code, row.cycle) == (
        "Deliver on time again",
        "Arjun Patel",
        "active",
        "G2",
        "2026-Q4",
    )
    (kr,) = row.key_results
    assert kr.code == f"{code}-KR1"
    assert (kr.kind, kr.baseline, kr.target, kr.kpi_code, kr.owner) == (
        "increase",
        latest,
        85.0,
        "ONTIME",
        "Arjun Patel",
    )
    assert latest == 76.9
    assert kr.unit == sample_store.kpi_detail("ONTIME", TODAY).summary.unit


def test_start_okr_from_a_lower_is_better_kpi(sample_store):
    code = sample_store.start_okr_from_kpi("CRPP", "Fewer change requests", "", 2.5, TODAY)
    (kr,) = objectives(sample_store)[code].key_results
    assert (kr.kind, kr.baseline, kr.target, kr.kpi_code) == ("decrease", 3.4, 2.5, "CRPP")
    # no owner given: the KPI's owner owns the key result
    assert kr.owner == sample_store.kpi_detail("CRPP", TODAY).summary.owner != ""


@pytest.mark.parametrize(("kpi", "target"), [("ONTIME", 70.0), ("CRPP", 4.0)])
def test_start_okr_with_a_target_on_the_wrong_side_is_refused(sample_store, kpi, target):
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as error:
        sample_store.start_okr_from_kpi(kpi, "Backwards", "Arjun Patel", target, TODAY)
    assert error.value.field == "target"
    assert sample_store.export_portfolio() == before


def test_start_okr_from_unknown_kpi_is_not_found(sample_store):
    before = sample_store.export_portfolio()
    with pytest.raises(NotFound):
        sample_store.start_okr_from_kpi("NOPE", "x", "y", 1.0, TODAY)
    assert sample_store.export_portfolio() == before


def test_start_okr_after_the_quarter_was_closed_is_refused_until_a_cycle_is_open(sample_store):
    # A closed quarter takes no new objective: it would never be checked in on or graded.
    sample_store.close_cycle("2026-Q4", TODAY)
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as refused:
        sample_store.start_okr_from_kpi("ONTIME", "Deliver on time again", "Arjun Patel", 85.0, TODAY)
    assert refused.value.field == "cycle"
    assert "2026-Q4 is closed" in refused.value.message
    assert sample_store.export_portfolio() == before
    # Once the next cycle exists and is open, the objective goes there.
    sample_store.save_cycle(CycleDefinition("2027-Q1", date(2027, 1, 1), date(2027, 3, 31)))
    code = sample_store.start_okr_from_kpi("ONTIME", "Deliver on time again", "Arjun Patel", 85.0, TODAY)
    cycle = sample_store.okr_board(TODAY, holding=code).cycle
    assert (cycle.name, cycle.status) == ("2027-Q1", "open")


def test_an_okr_from_a_kpi_is_offered_the_current_cycle_and_the_next(sample_store):
    assert sample_store.okr_cycle_offer(TODAY) == (
        CycleOffer("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "current"),
        CycleOffer("2027-Q1", date(2027, 1, 1), date(2027, 3, 31), "next", exists=False),
    )
    # Once the next cycle is stored, it is offered as it is stored.
    sample_store.save_cycle(CycleDefinition("2027-Q1", date(2027, 1, 4), date(2027, 4, 2)))
    assert sample_store.okr_cycle_offer(TODAY)[1] == CycleOffer(
        "2027-Q1", date(2027, 1, 4), date(2027, 4, 2), "next"
    )
    code = sample_store.start_okr_from_kpi(
        "ONTIME", "On time next quarter", "Arjun Patel", 85.0, TODAY, "2027-Q1"
    )
    assert objectives(sample_store, "2027-Q1")[code].key_results[0].baseline == 76.9
    assert {c.name for c in sample_store.cycles(TODAY)} == {"2026-Q3", "2026-Q4", "2027-Q1"}


def test_an_okr_from_a_kpi_in_a_cycle_not_offered_or_closed_is_refused(sample_store):
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as refused:
        sample_store.start_okr_from_kpi("ONTIME", "Back in time", "Arjun Patel", 85.0, TODAY, "2026-Q3")
    assert (refused.value.field, refused.value.message) == (
        "cycle",
        "choose 2026-Q4 or 2027-Q1: a new OKR starts in the current cycle or the next",
    )
    assert sample_store.export_portfolio() == before
    # With the quarter closed, the next one is its follower; stored but closed, it says to reopen it.
    sample_store.close_cycle("2026-Q4", TODAY)
    sample_store.save_cycle(CycleDefinition("2027-Q1", date(2027, 1, 1), date(2027, 3, 31)))
    sample_store.close_cycle("2027-Q1", date(2027, 1, 1))  # a cycle is closed once it has begun
    assert [o.name for o in sample_store.okr_cycle_offer(TODAY)] == ["2027-Q1"]
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as refused:
        sample_store.start_okr_from_kpi("ONTIME", "Later", "Arjun Patel", 85.0, TODAY, "2027-Q1")
    assert "2027-Q1 is closed: reopen it first" in refused.value.message
    assert sample_store.export_portfolio() == before


def test_check_in_queue_says_when_the_trend_reaches_the_target(sample_store):
    items = {i.key_result.code: i for i in sample_store.check_in_queue(TODAY)}
    # A milestone and a band have no trend towards a target.
    assert not items["Q4-O1-KR1"].trend_known and items["Q4-O1-KR1"].target_date is None
    assert not items["Q4-O3-KR2"].trend_known
    # Satisfaction creeps up from 78 to 81: 90 comes, but only after the cycle's end.
    satisfaction = items["Q4-O2-KR2"]
    assert satisfaction.trend_known and satisfaction.target_date > satisfaction.cycle_end
    # Change requests per project should fall but rise: at this trend the target is never met.
    assert items["Q4-O3-KR1"].trend_known and items["Q4-O3-KR1"].target_date is None
    for item in items.values():
        if item.trend_known and item.target_date is not None:
            points = [(c.on, c.value) for c in item.key_result.check_ins]
            direction = "lower" if item.key_result.kind == "decrease" else "higher"
            assert item.target_date == calc.date_target_reached(
                points, item.key_result.target, direction, TODAY
            )
