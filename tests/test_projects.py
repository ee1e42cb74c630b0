"""Projects and strategic goals: the detail's figures, status updates, project and goal upkeep.

Store tests read back what was written to a real SQLite file; CLI tests go through `pmo`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import TODAY

from pmo_tui import calculations as calc
from pmo_tui.cli import main
from pmo_tui.store import NotFound, Store
from pmo_tui.validation import (
    InvalidInput,
    ProjectClosing,
    ProjectDefinition,
    StatusUpdateEntry,
    check_goal,
    check_project,
    check_status_update,
)

GOOD_PROJECT = {
    "code": "PRJ-200",
    "name": "Data warehouse [v2]",
    "owner": "Ines Duarte",
    "status": "active",
    "goal": "G2",
    "start": "2026-11-01",
    "planned_finish": "2027-06-30",
    "actual_finish": "",
    "budget": "1,250,000",
    "expected_benefit": "2000000",
    "realised_benefit": "",
}
GOOD_UPDATE = {
    "on": "2026-11-20",
    "forecast_finish": "2027-07-31",
    "planned_value": "100000",
    "earned_value": "90000",
    "actual_cost": "120000",
    "change_requests": "1",
    "open_risks": "3",
    "satisfaction": "70",
    "comment": "kick-off done",
}


def _entry(**changes: str) -> StatusUpdateEntry:
    entry, errors = check_status_update({**GOOD_UPDATE, **changes})
    assert entry is not None, errors
    return entry


def _latest_figures(store: Store) -> tuple[float, float]:
    """ΣEV/ΣPV and ΣEV/ΣAC over the counted projects' latest updates, worked out from the export."""
    ev = pv = ac = 0.0
    for project in store.export_portfolio()["projects"]:
        if project["status"] not in ("active", "on_hold", "done") or not project["updates"]:
            continue
        latest = max(project["updates"], key=lambda u: u["on"])
        ev, pv, ac = ev + latest["earned_value"], pv + latest["planned_value"], ac + latest["actual_cost"]
    return ev / pv, ev / ac


# ---------------------------------------------------------------------- the detail


def test_the_detail_takes_every_figure_from_the_latest_update(sample_store) -> None:
    detail = sample_store.project_detail("PRJ-101")
    latest = detail.latest
    assert latest.on == max(u.on for u in detail.updates)
    assert (detail.planned_value, detail.earned_value, detail.actual_cost) == (
        latest.planned_value,
        latest.earned_value,
        latest.actual_cost,
    )
    assert detail.row.spi == pytest.approx(latest.earned_value / latest.planned_value)
    assert detail.row.cpi == pytest.approx(latest.earned_value / latest.actual_cost)
    eac = detail.budget / (latest.earned_value / latest.actual_cost)
    assert detail.estimate_at_completion == pytest.approx(eac)
    assert detail.variance_at_completion == pytest.approx(detail.budget - eac)
    assert detail.roi == pytest.approx((detail.expected_benefit - eac) / eac)
    assert detail.row.days_late == (latest.forecast_finish - detail.planned_finish).days
    assert (detail.change_requests, detail.open_risks, detail.satisfaction) == (
        latest.change_requests,
        latest.open_risks,
        latest.satisfaction,
    )
    assert [u.on for u in detail.updates] == sorted(u.on for u in detail.updates)


def test_an_unknown_project_is_not_found(sample_store) -> None:
    with pytest.raises(NotFound):
        sample_store.project_detail("PRJ-999")


# ---------------------------------------------------------------------- status updates


def test_a_status_update_becomes_the_current_figures_and_older_ones_stay(sample_store) -> None:
    before = sample_store.project_detail("PRJ-101")
    sample_store.save_status_update("PRJ-101", _entry())
    after = sample_store.project_detail("PRJ-101")
    assert after.updates[:-1] == before.updates
    assert after.latest.on == date(2026, 11, 20) and after.latest.comment == "kick-off done"
    assert (after.planned_value, after.earned_value, after.actual_cost) == (100_000, 90_000, 120_000)
    assert after.row.spi == pytest.approx(0.9) and after.row.cpi == pytest.approx(0.75)
    assert after.satisfaction == 70 and after.latest.open_risks == 3
    # PRJ-101 keeps a RAID log with risks: its open risks are counted there (5), not typed.
    assert after.open_risks == 5


def test_the_portfolio_figures_follow_a_status_update(sample_store) -> None:
    before = sample_store.overview(TODAY).figures
    assert (before.spi, before.cpi) == pytest.approx(_latest_figures(sample_store))
    sample_store.save_status_update(
        "PRJ-101", _entry(planned_value="3500000", earned_value="3500000", actual_cost="3000000")
    )
    after = sample_store.overview(TODAY).figures
    assert (after.spi, after.cpi) == pytest.approx(_latest_figures(sample_store))
    assert after.spi > before.spi and after.cpi > before.cpi


def test_a_second_update_on_the_same_day_is_refused_and_changes_nothing(sample_store) -> None:
    sample_store.save_status_update("PRJ-101", _entry())
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as refused:
        sample_store.save_status_update("PRJ-101", _entry(earned_value="1"))
    assert refused.value.field == "on"
    assert sample_store.export_portfolio() == before


def test_a_past_update_is_corrected_and_can_move_to_a_free_day(sample_store) -> None:
    first = sample_store.project_detail("PRJ-101").updates[0]
    sample_store.save_status_update("PRJ-101", _entry(on="2026-04-29", comment="moved"), update_id=first.id)
    corrected = sample_store.project_detail("PRJ-101").updates[0]
    assert (corrected.id, corrected.on, corrected.comment, corrected.earned_value) == (
        first.id,
        date(2026, 4, 29),
        "moved",
        90_000,
    )


def test_deleting_the_latest_update_brings_back_the_one_before(sample_store) -> None:
    before = sample_store.project_detail("PRJ-101")
    sample_store.save_status_update("PRJ-101", _entry())
    sample_store.delete_status_update(sample_store.project_detail("PRJ-101").latest.id)
    assert sample_store.project_detail("PRJ-101") == before


def test_a_forecast_before_the_start_is_refused_by_the_store_too(sample_store) -> None:
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as refused:
        sample_store.save_status_update("PRJ-101", _entry(forecast_finish="2020-01-01"))
    assert refused.value.field == "forecast_finish"
    assert sample_store.export_portfolio() == before


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("on", ""),
        ("on", "2026-02-30"),
        ("planned_value", "-1"),
        ("earned_value", "lots"),
        ("actual_cost", "nan"),
        ("change_requests", "2.5"),
        ("open_risks", "-3"),
        ("satisfaction", "101"),
        ("comment", "two\nlines"),
        ("forecast_finish", "soon"),
    ],
)
def test_a_bad_status_update_value_is_named(field: str, typed: str) -> None:
    entry, errors = check_status_update({**GOOD_UPDATE, field: typed})
    assert entry is None and set(errors) == {field}


# ---------------------------------------------------------------------- projects


def _definition(**changes: str) -> ProjectDefinition:
    definition, errors = check_project({**GOOD_PROJECT, **changes}, {"G1", "G2"}, {"PRJ-101"})
    assert definition is not None, errors
    return definition


def test_a_new_project_is_saved_with_every_field(sample_store) -> None:
    assert sample_store.save_project(_definition()) == "PRJ-200"
    detail = sample_store.project_detail("PRJ-200")
    assert (detail.row.name, detail.row.owner, detail.row.status, detail.goal_code) == (
        "Data warehouse [v2]",
        "Ines Duarte",
        "active",
        "G2",
    )
    assert (detail.start, detail.planned_finish, detail.budget, detail.expected_benefit) == (
        date(2026, 11, 1),
        date(2027, 6, 30),
        1_250_000,
        2_000_000,
    )
    assert detail.updates == () and detail.row.spi is None


def test_editing_a_project_can_change_its_code_and_keeps_its_updates(sample_store) -> None:
    updates = sample_store.project_detail("PRJ-101").updates
    # Its own budget: an earned value of its updates never exceeds the budget.
    definition = _definition(code="ERP-1", name="ERP upgrade", goal="", start="2025-09-01", budget="3800000")
    sample_store.save_project(definition, original_code="PRJ-101")
    detail = sample_store.project_detail("ERP-1")
    assert detail.row.name == "ERP upgrade" and detail.goal_code is None
    assert [u.id for u in detail.updates] == [u.id for u in updates]
    with pytest.raises(NotFound):
        sample_store.project_detail("PRJ-101")


def test_a_duplicate_code_is_refused_by_the_store(sample_store) -> None:
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as refused:
        sample_store.save_project(_definition(code="PRJ-102"))
    assert refused.value.field == "code"
    assert sample_store.export_portfolio() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"planned_finish": "2026-10-01"}, "planned_finish"),
        ({"budget": "-5"}, "budget"),
        ({"goal": "G9"}, "goal"),
        ({"code": "PRJ-101"}, "code"),
        ({"name": " "}, "name"),
        ({"status": "done"}, "actual_finish"),
        ({"actual_finish": "2026-01-01"}, "actual_finish"),
        ({"start": "2026-13-01"}, "start"),
        ({"expected_benefit": "-1"}, "expected_benefit"),
        ({"code": "has space"}, "code"),
    ],
)
def test_a_bad_project_value_is_named(changes: dict[str, str], field: str) -> None:
    definition, errors = check_project({**GOOD_PROJECT, **changes}, {"G1", "G2"}, {"PRJ-101"})
    assert definition is None and field in errors


def test_closing_a_project_records_how_and_when(sample_store) -> None:
    sample_store.close_project("PRJ-102", "cancelled", date(2026, 11, 20))
    detail = sample_store.project_detail("PRJ-102")
    assert (detail.row.status, detail.actual_finish) == ("cancelled", date(2026, 11, 20))
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput):
        sample_store.close_project("PRJ-103", "done", date(2000, 1, 1))
    with pytest.raises(InvalidInput):
        sample_store.close_project("PRJ-103", "paused", date(2026, 11, 20))
    assert sample_store.export_portfolio() == before


def test_closing_as_done_needs_the_benefit_and_whether_a_project_short_of_its_budget_was_descoped(
    sample_store,
) -> None:
    # PRJ-104 has earned 882,200 of its 1,200,000 budget (74 %): well short of it.
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput) as refused:
        sample_store.close_project("PRJ-104", "done", TODAY)
    assert refused.value.field == "realised_benefit"
    with pytest.raises(InvalidInput) as refused:
        sample_store.close_project("PRJ-104", "done", TODAY, ProjectClosing(1_300_000, 1_100_000))
    assert (refused.value.field, refused.value.message) == (
        "descoped",
        "earned value is 74% of the budget: say whether PRJ-104 was descoped",
    )
    with pytest.raises(InvalidInput) as refused:
        sample_store.close_project("PRJ-104", "done", TODAY, ProjectClosing(float("nan"), 1_100_000, True))
    assert refused.value.field == "realised_benefit"
    assert sample_store.export_portfolio() == before


def test_a_descoped_project_closes_with_its_earned_value_as_budget(sample_store) -> None:
    sample_store.close_project("PRJ-104", "done", TODAY, ProjectClosing(1_300_000, 1_100_000, descoped=True))
    detail = sample_store.project_detail("PRJ-104")
    assert (detail.row.status, detail.actual_finish, detail.budget) == ("done", TODAY, 882_200)
    last = detail.latest
    assert last is not None and last.on == TODAY
    assert (last.planned_value, last.earned_value, last.actual_cost) == (882_200, 882_200, 1_100_000)
    assert "descoped: budget 1,200,000 became the earned value 882,200" in last.comment
    # CPI and within budget judge the scope delivered; ROI the benefit it brought for its cost.
    assert detail.realised_benefit == 1_300_000
    assert detail.roi == pytest.approx((1_300_000 - 1_100_000) / 1_100_000)
    assert (detail.row.cpi, detail.row.within_budget) == (pytest.approx(882_200 / 1_100_000), False)


def test_a_project_not_descoped_closes_with_all_its_scope_earned(sample_store) -> None:
    sample_store.close_project("PRJ-104", "done", TODAY, ProjectClosing(1_300_000, 1_150_000, descoped=False))
    detail = sample_store.project_detail("PRJ-104")
    assert detail.budget == 1_200_000 and detail.row.within_budget is True
    last = detail.latest
    assert last is not None
    assert (last.on, last.planned_value, last.earned_value, last.actual_cost) == (
        TODAY,
        1_200_000,
        1_200_000,
        1_150_000,
    )
    assert last.comment == "Closed as done: all its scope delivered"
    assert detail.roi == pytest.approx((1_300_000 - 1_150_000) / 1_150_000)


def test_a_project_near_its_budget_closes_as_done_without_the_descoped_question(sample_store) -> None:
    update = sample_store.project_detail("PRJ-108").latest
    assert update is not None
    entry = StatusUpdateEntry(TODAY, None, 140_000, 140_000, 131_000, 0, 1, 80.0, "Last sprint")
    sample_store.save_status_update("PRJ-108", entry, today=TODAY)
    assert not calc.asks_if_descoped(140_000, 150_000)
    sample_store.close_project("PRJ-108", "done", date(2026, 11, 19), ProjectClosing(130_000, 133_000))
    detail = sample_store.project_detail("PRJ-108")
    # An update later than the finish day carries the closing figures: it stays the last one.
    last = detail.latest
    assert last is not None
    assert (last.on, last.earned_value, last.planned_value, last.actual_cost) == (
        TODAY,
        150_000,
        150_000,
        133_000,
    )
    assert last.comment == "Last sprint · Closed as done: all its scope delivered"
    assert (detail.row.status, detail.actual_finish, detail.realised_benefit) == (
        "done",
        date(2026, 11, 19),
        130_000,
    )


def test_deleting_a_project_removes_its_updates(sample_store) -> None:
    sample_store.delete_project("PRJ-101")
    assert "PRJ-101" not in sample_store.project_codes()
    assert all(p["code"] != "PRJ-101" for p in sample_store.export_portfolio()["projects"])


# ---------------------------------------------------------------------- strategic goals


def test_the_goals_view_lists_what_is_aligned_and_the_budget_shares(sample_store) -> None:
    view = sample_store.goals_view()
    projects = sample_store.export_portfolio()["projects"]
    for goal in view.goals:
        assert sorted(p.code for p in goal.projects) == sorted(
            p["code"] for p in projects if p.get("goal") == goal.code
        )
    assert sorted(p.code for p in view.unaligned) == sorted(p["code"] for p in projects if not p.get("goal"))
    live = [p for p in projects if p["status"] != "cancelled"]
    total = sum(p["budget"] for p in live)
    g2 = next(g for g in view.goals if g.code == "G2")
    assert g2.budget_share == pytest.approx(sum(p["budget"] for p in live if p.get("goal") == "G2") / total)
    assert sum(g.budget_share for g in view.goals) + view.unaligned_share == pytest.approx(1.0)
    assert view.aligned_pct == sample_store.overview(TODAY).figures.aligned_pct
    kpis = sample_store.export_portfolio()["kpis"]
    assert [code for code, _ in g2.kpis] == sorted(
        k["code"] for k in kpis if k.get("goal") == "G2" and k["active"]
    )
    assert any(code.startswith("Q4-") for code, _, _ in g2.objectives)


def test_goals_are_created_edited_retired_and_restored(sample_store) -> None:
    definition, _ = check_goal({"code": "G5", "name": "Grow [partner] sales", "owner": "Lee"})
    sample_store.save_goal(definition)
    renamed, _ = check_goal({"code": "G5", "name": "Grow partner sales", "description": "by 2028"})
    sample_store.save_goal(renamed, original_code="G5")
    sample_store.set_goal_active("G5", False)
    goal = next(g for g in sample_store.goals_view().goals if g.code == "G5")
    assert (goal.name, goal.description, goal.owner, goal.active) == (
        "Grow partner sales",
        "by 2028",
        "",
        False,
    )
    sample_store.set_goal_active("G5", True)
    assert next(g for g in sample_store.goal_options() if g.code == "G5").active


def test_a_goal_code_in_use_is_refused(sample_store) -> None:
    definition, errors = check_goal({"code": "G1", "name": "x"}, {"G1"})
    assert definition is None and "code" in errors
    clash, _ = check_goal({"code": "G1", "name": "x"})
    before = sample_store.export_portfolio()
    with pytest.raises(InvalidInput):
        sample_store.save_goal(clash)
    assert sample_store.export_portfolio() == before


@pytest.mark.parametrize(
    "projects",
    [[], [("G1", "cancelled", 10.0)], [("G1", "active", 0.0)]],
)
def test_budget_shares_of_nothing_are_none(projects) -> None:
    assert calc.budget_shares(projects) == {}


def test_budget_shares_leave_out_cancelled_projects() -> None:
    shares = calc.budget_shares([("G1", "active", 30.0), (None, "done", 10.0), ("G1", "cancelled", 60.0)])
    assert shares == {"G1": 0.75, None: 0.25}


# ---------------------------------------------------------------------- pmo update


def _run(db: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), "--today", "2026-11-20", *args])


def test_pmo_update_carries_every_figure_not_given(sample_db: Path) -> None:
    result = _run(
        sample_db,
        "update",
        "PRJ-101",
        "--ev",
        "3100000",
        "--ac",
        "3,500,000",
        "--comment",
        "[b]rehearsal[/b] passed",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("PRJ-101: status update of 2026-11-20 saved; SPI 0.90, CPI 0.89")
    store = Store.open(sample_db)
    try:
        updates = store.project_detail("PRJ-101").updates
    finally:
        store.close()
    before, latest = updates[-2], updates[-1]
    assert (latest.on, latest.earned_value, latest.actual_cost, latest.comment) == (
        date(2026, 11, 20),
        3_100_000,
        3_500_000,
        "[b]rehearsal[/b] passed",
    )
    assert (
        latest.planned_value,
        latest.forecast_finish,
        latest.change_requests,
        latest.open_risks,
        latest.satisfaction,
    ) == (
        before.planned_value,
        before.forecast_finish,
        before.change_requests,
        before.open_risks,
        before.satisfaction,
    )


def test_the_first_update_of_a_project_needs_its_figures(sample_db: Path) -> None:
    store = Store.open(sample_db)
    store.save_project(_definition())
    store.close()
    before = sample_db.read_bytes()
    result = _run(sample_db, "update", "PRJ-200", "--ev", "5")
    assert result.exit_code == 2
    assert result.stderr.startswith("pmo: --pv: enter a number")
    assert sample_db.read_bytes() == before
    result = _run(sample_db, "update", "PRJ-200", "--pv", "10", "--ev", "5", "--ac", "4")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["PRJ-999"], "pmo: no project with code 'PRJ-999'"),
        (["PRJ-101", "--ev", "-5"], "pmo: --ev: must be at least 0"),
        (["PRJ-101", "--ac", "inf"], "pmo: --ac: enter a finite number"),
        (["PRJ-101", "--on", "2026-02-30"], "pmo: --on: 2026-02-30 does not exist"),
        (["PRJ-101", "--satisfaction", "120"], "pmo: --satisfaction: must be at most 100"),
        (["PRJ-101", "--open-risks", "1.5"], "pmo: --open-risks: enter a whole number"),
        (["PRJ-101", "--forecast-finish", "2020-01-01"], "pmo: --forecast-finish: is before"),
        (
            ["PRJ-101", "--on", "2026-11-15"],
            "pmo: --on: PRJ-101 already has an update on 2026-11-15; add --replace to correct it",
        ),
        (["PRJ-101", "--replace"], "pmo: --on: PRJ-101 has no update on 2026-11-20 to replace"),
    ],
)
def test_pmo_update_refuses_bad_input_and_changes_nothing(
    sample_db: Path, args: list[str], message: str
) -> None:
    before = sample_db.read_bytes()
    result = _run(sample_db, "update", *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert sample_db.read_bytes() == before


def test_pmo_update_replace_corrects_the_days_update_and_keeps_the_rest(sample_db: Path) -> None:
    store = Store.open(sample_db)
    try:
        before = store.project_detail("PRJ-101").updates
    finally:
        store.close()
    day = before[-1].on
    result = _run(sample_db, "update", "PRJ-101", "--on", day.isoformat(), "--ac", "3,450,000", "--replace")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"PRJ-101: status update of {day.isoformat()} corrected;")
    store = Store.open(sample_db)
    try:
        after = store.project_detail("PRJ-101").updates
    finally:
        store.close()
    assert len(after) == len(before)
    corrected, original = after[-1], before[-1]
    assert corrected.id == original.id
    assert corrected.actual_cost == 3_450_000
    assert (
        corrected.on,
        corrected.planned_value,
        corrected.earned_value,
        corrected.forecast_finish,
        corrected.open_risks,
        corrected.comment,
    ) == (
        original.on,
        original.planned_value,
        original.earned_value,
        original.forecast_finish,
        original.open_risks,
        original.comment,
    )
    # A new comment replaces the old one.
    result = _run(
        sample_db, "update", "PRJ-101", "--on", day.isoformat(), "--comment", "re-costed", "--replace"
    )
    assert result.exit_code == 0, result.output
    store = Store.open(sample_db)
    try:
        assert store.project_detail("PRJ-101").updates[-1].comment == "re-costed"
    finally:
        store.close()
