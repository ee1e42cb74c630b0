"""What changed since the last review: the comparison, the baseline, `pmo review`, the report's
section and the screen (key v on the overview)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import TODAY, make_app, screen_text, settle, wait_for_screen, wait_until
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from pmo_tui import calculations as calc
from pmo_tui import review as core
from pmo_tui.cli import main
from pmo_tui.models import ChangeLog, RaidItem, Review
from pmo_tui.report import build_report, report_markdown
from pmo_tui.review import ChangeGroup, Movement
from pmo_tui.store import Store
from pmo_tui.store.common import find_project

WEEK_AGO = TODAY - timedelta(days=7)


def _kpi(measurements, **fields) -> core.KpiHistory:
    values = {
        "code": "K1",
        "name": "On time",
        "unit": "%",
        "direction": "higher",
        "target": 80.0,
        "warning": 70.0,
        "cadence_days": 31,
        "owner": "Ana",
        "measurements": tuple(measurements),
    }
    return core.KpiHistory(**(values | fields))


def _key_result(check_ins, **fields) -> core.KeyResultHistory:
    values = {
        "code": "Q4-O1-KR1",
        "title": "Ship it",
        "kind": "increase",
        "unit": "%",
        "baseline": 0.0,
        "target": 100.0,
        "band_low": None,
        "band_high": None,
        "owner": "Ben",
        "created": None,
        "cycle_start": date(2026, 10, 1),
        "cycle_end": date(2026, 12, 31),
        "live": True,
        "check_ins": tuple(core.CheckInPoint(*c) for c in check_ins),
    }
    return core.KeyResultHistory(**(values | fields))


def _project(updates, **fields) -> core.ProjectHistory:
    values = {
        "code": "PRJ-1",
        "name": "Portal",
        "owner": "Cleo",
        "status": "active",
        "budget": 100.0,
        "start": date(2026, 1, 1),
        "planned_finish": date(2027, 3, 31),
        "actual_finish": None,
        "updates": tuple(core.StatusPoint(*u) for u in updates),
    }
    return core.ProjectHistory(**(values | fields))


# --------------------------------------------------------------------------- the comparison


def test_a_kpi_status_change_carries_its_direction_and_both_values() -> None:
    kpi = _kpi([(date(2026, 10, 31), 82.0), (date(2026, 11, 15), 65.0)])
    changes = core.compare(core.PortfolioHistory(kpis=(kpi,)), date(2026, 11, 10), TODAY)
    (line,) = changes.group(ChangeGroup.KPI_STATUS)
    assert (line.record, line.code, line.movement) == ("kpi", "K1", Movement.WORSE)
    assert (line.before, line.after) == ("● on target (82%)", "■ off target (65%)")
    better = _kpi([(date(2026, 10, 31), 65.0), (date(2026, 11, 15), 75.0)], direction="higher")
    (line,) = core.compare(core.PortfolioHistory(kpis=(better,)), date(2026, 11, 10), TODAY).lines
    assert (line.movement, line.after) == (Movement.BETTER, "▲ warning (75%)")


def test_a_kpi_that_fell_silent_is_newly_overdue() -> None:
    kpi = _kpi([(date(2026, 9, 30), 90.0)], cadence_days=31)
    changes = core.compare(core.PortfolioHistory(kpis=(kpi,)), date(2026, 11, 1), TODAY)
    (line,) = changes.group(ChangeGroup.OVERDUE)
    assert (line.record, line.code, line.before) == ("kpi", "K1", "on cadence")
    assert line.after == "⧗ overdue (last 2026-09-30)"
    # Its status (of the last value) is the same: no status line.
    assert not changes.group(ChangeGroup.KPI_STATUS)


def test_key_results_whose_pace_worsened_or_confidence_fell_two_points() -> None:
    slipping = _key_result([(date(2026, 11, 6), 50.0, 0.8), (date(2026, 11, 13), 55.0, 0.6)])
    changes = core.compare(core.PortfolioHistory(key_results=(slipping,)), date(2026, 11, 10), TODAY)
    aspects = {line.aspect: (line.before, line.after) for line in changes.group(ChangeGroup.KEY_RESULTS)}
    assert aspects == {"confidence": ("8/10", "6/10")}
    fell = _key_result([(date(2026, 11, 6), 50.0, 0.8), (date(2026, 11, 13), 55.0, 0.2)])
    changes = core.compare(core.PortfolioHistory(key_results=(fell,)), date(2026, 11, 10), TODAY)
    aspects = {line.aspect: (line.before, line.after) for line in changes.group(ChangeGroup.KEY_RESULTS)}
    assert aspects == {"confidence": ("8/10", "2/10"), "pace": ("on track", "off track")}
    # One point is not worth a review's time.
    steady = _key_result([(date(2026, 11, 6), 50.0, 0.8), (date(2026, 11, 13), 55.0, 0.7)])
    assert not core.compare(core.PortfolioHistory(key_results=(steady,)), date(2026, 11, 10), TODAY).lines


def test_an_owner_who_missed_a_week_and_a_key_result_newly_overdue() -> None:
    silent = _key_result([(date(2026, 11, 4), 40.0, 0.8)])
    changes = core.compare(core.PortfolioHistory(key_results=(silent,)), date(2026, 11, 6), TODAY)
    (missed,) = changes.group(ChangeGroup.MISSED_CHECK_INS)
    assert (missed.owner, missed.before, missed.after) == (
        "Ben",
        "last 2026-11-04",
        "missed the week of 2026-11-09",
    )
    (overdue,) = changes.group(ChangeGroup.OVERDUE)
    assert (overdue.code, overdue.before, overdue.after) == (
        "Q4-O1-KR1",
        "on time",
        "⧗ overdue (last 2026-11-04)",
    )
    # A week not over yet is not missed: the check-in can still come by Sunday.
    assert not core.missed_weeks(silent, date(2026, 11, 15), TODAY)


def test_a_project_slipping_says_by_how_many_days() -> None:
    updates = [
        (date(2026, 11, 1), date(2027, 3, 31), 100.0, 100.0, 100.0),
        (date(2026, 11, 18), date(2027, 5, 12), 100.0, 80.0, 100.0),
    ]
    changes = core.compare(core.PortfolioHistory(projects=(_project(updates),)), date(2026, 11, 10), TODAY)
    lines = {line.aspect: line for line in changes.group(ChangeGroup.PROJECTS)}
    assert lines["forecast finish"].days == 42
    assert lines["forecast finish"].after == "2027-05-12 (+42 d)"
    assert (lines["schedule"].before, lines["schedule"].after) == ("green (on schedule)", "red (behind)")
    assert (lines["budget"].before, lines["budget"].after) == ("green (on budget)", "red (over budget)")
    assert all(line.movement is Movement.WORSE and line.record == "project" for line in lines.values())


def test_raid_items_opened_closed_and_overdue_since_the_baseline() -> None:
    def item(
        code: str, raised: date, due: date | None = None, closed: date | None = None
    ) -> core.RaidHistory:
        status = "closed" if closed else "open"
        return core.RaidHistory("PRJ-1", code, "action", f"Do {code}", "Dee", status, raised, due, closed)

    items = (
        item("A1", date(2026, 11, 16)),
        item("A2", date(2026, 10, 1), closed=date(2026, 11, 17)),
        item("A3", date(2026, 10, 1), due=date(2026, 11, 16)),
        item("A4", date(2026, 10, 1), due=date(2026, 11, 1)),  # overdue before the baseline too
    )
    changes = core.compare(core.PortfolioHistory(raid_items=items), date(2026, 11, 10), TODAY)
    raid = {(line.code, line.aspect): (line.before, line.after) for line in changes.group(ChangeGroup.RAID)}
    assert raid == {
        ("A1", "action opened"): ("not raised", "open since 2026-11-16"),
        ("A2", "action closed"): ("open", "closed 2026-11-17"),
    }
    (overdue,) = changes.group(ChangeGroup.OVERDUE)
    assert (overdue.project, overdue.code, overdue.after) == ("PRJ-1", "A3", "⧗ overdue (due 2026-11-16)")


def test_the_baseline_is_the_last_review_else_a_week_ago() -> None:
    assert core.default_baseline(None, TODAY) == WEEK_AGO
    assert core.default_baseline(date(2026, 11, 2), TODAY) == date(2026, 11, 2)
    assert core.default_baseline(TODAY, TODAY) == TODAY


days = st.integers(min_value=0, max_value=120).map(lambda n: date(2026, 9, 1) + timedelta(days=n))
values = st.floats(min_value=-1000, max_value=1000, allow_nan=False)
confidences = st.integers(min_value=0, max_value=10).map(lambda n: n / 10)
histories = st.builds(
    core.PortfolioHistory,
    kpis=st.lists(st.lists(st.tuples(days, values), max_size=6).map(_kpi), max_size=3).map(tuple),
    key_results=st.lists(
        st.lists(st.tuples(days, values, confidences), max_size=6).map(_key_result), max_size=3
    ).map(tuple),
    projects=st.lists(
        st.lists(st.tuples(days, st.one_of(st.none(), days), *[st.floats(0, 1000)] * 3), max_size=4).map(
            _project
        ),
        max_size=2,
    ).map(tuple),
)


@settings(max_examples=60, deadline=None)
@given(histories, days)
def test_nothing_changes_between_a_day_and_itself(history: core.PortfolioHistory, day: date) -> None:
    assert core.compare(history, day, day).lines == ()


@settings(max_examples=60, deadline=None)
@given(histories, days, days)
def test_every_line_is_a_record_with_before_and_after(history, first: date, second: date) -> None:
    baseline, today = min(first, second), max(first, second)
    for line in core.compare(history, baseline, today).lines:
        assert line.record in core.RECORD_WORDS and line.code and line.before and line.after
        if line.group is not ChangeGroup.KPI_STATUS and line.group is not ChangeGroup.RAID:
            assert line.movement is Movement.WORSE
        if line.aspect == "forecast finish":
            assert line.days is not None and line.days > 0


@given(confidences, confidences)
def test_confidence_fell_by_two_points_as_shown(before: float, after: float) -> None:
    assert calc.confidence_fell(before, after) == (round(before * 10) - round(after * 10) >= 2)


# --------------------------------------------------------------------------- the store


def test_marking_a_review_done_sets_the_baseline_once_a_day(sample_store: Store) -> None:
    assert sample_store.last_review(TODAY) is None
    assert sample_store.review_changes(TODAY).baseline == WEEK_AGO
    sample_store.user = "Priya Raman"
    assert sample_store.mark_review_done(date(2026, 11, 13)) == (date(2026, 11, 13), "Priya Raman")
    sample_store.user = "Someone Else"
    assert sample_store.mark_review_done(date(2026, 11, 13)) == (date(2026, 11, 13), "Priya Raman")
    with sample_store._reading() as session:
        assert [(r.on, r.by) for r in session.exec(select(Review)).all()] == [
            (date(2026, 11, 13), "Priya Raman")
        ]
        logged = session.exec(select(ChangeLog).where(col(ChangeLog.record) == "review")).all()
        assert [(c.by, c.code) for c in logged] == [("Priya Raman", "2026-11-13")]
    # Other sessions hear of it through the change log.
    assert [entry.words for entry in sample_store.changes_since(0)] == [
        "Priya Raman marked done the review of 2026-11-13"
    ]
    assert sample_store.history_of("review", "2026-11-13")[0].by == "Priya Raman"
    changes = sample_store.review_changes(TODAY)
    assert (changes.baseline, changes.reviewed_on, changes.reviewed_by) == (
        date(2026, 11, 13),
        date(2026, 11, 13),
        "Priya Raman",
    )
    assert changes.baseline_words == "since the review of 2026-11-13 by Priya Raman"
    # A review on a later day does not count for an earlier one.
    assert sample_store.last_review(date(2026, 11, 12)) is None


def test_the_sample_portfolio_since_last_week(sample_store: Store) -> None:
    changes = sample_store.review_changes(TODAY)
    found = {(line.group, line.code, line.aspect) for line in changes.lines}
    assert found == {
        (ChangeGroup.KPI_STATUS, "RAID", "status"),
        (ChangeGroup.PROJECTS, "PRJ-101", "forecast finish"),
        # The sample's RAID log: PRJ-101's action due on 2026-11-13 is overdue since.
        (ChangeGroup.OVERDUE, "ACT1", "action due"),
        (ChangeGroup.MISSED_CHECK_INS, "Q4-O3-KR2", "check-in"),
    }
    slip = next(line for line in changes.lines if line.code == "PRJ-101")
    assert (slip.before, slip.after, slip.days) == ("2027-04-08", "2027-04-29 (+21 d)", 21)


def test_raid_rows_of_the_store(sample_store: Store) -> None:
    with sample_store._writing() as session:
        project = find_project(session, "PRJ-101")
        session.add(
            RaidItem(
                project_id=project.id,
                code="R9",
                kind="risk",
                title="Vendor [b]late[/b]",
                raised=date(2026, 11, 18),
            )
        )
        session.add(
            RaidItem(
                project_id=project.id,
                code="A9",
                kind="action",
                title="Chase",
                owner="Dee",
                raised=date(2026, 10, 1),
                due=date(2026, 11, 17),
            )
        )
    changes = sample_store.review_changes(TODAY)
    lines = {
        (line.group, line.project, line.code, line.aspect)
        for line in changes.lines
        if line.record == "raid_item"
    }
    assert lines == {
        (ChangeGroup.RAID, "PRJ-101", "R9", "risk opened"),
        (ChangeGroup.OVERDUE, "PRJ-101", "A9", "action due"),
        (ChangeGroup.OVERDUE, "PRJ-101", "ACT1", "action due"),  # the sample's own
    }


@pytest.mark.postgresql
def test_review_on_postgresql(sample_any: Store) -> None:
    before = sample_any.review_changes(TODAY)
    assert len(before.lines) == 4 and before.baseline == WEEK_AGO
    sample_any.mark_review_done(TODAY)
    after = sample_any.review_changes(TODAY)
    assert (after.baseline, after.reviewed_on, after.lines) == (TODAY, TODAY, ())


# --------------------------------------------------------------------------- the command line


def _pmo(db: Path, *args: str, user: str = "Priya Raman"):
    return CliRunner().invoke(main, ["--db", str(db), "--today", "2026-11-20", *args], env={"PMO_USER": user})


def test_pmo_review_prints_the_changes_in_three_formats(sample_db: Path) -> None:
    text = _pmo(sample_db, "review")
    assert text.exit_code == 0, text.output
    assert text.output.startswith("What changed since 2026-11-13, to 2026-11-20\n")
    assert (
        "Projects slipping (1)\n  ↘ worse  project PRJ-101 ERP upgrade to the cloud suite · forecast finish: 2027-04-08 → 2027-04-29 (+21 d) · Priya Raman"
        in text.output
    )
    as_json = json.loads(_pmo(sample_db, "review", "--since", "2026-10-20", "--format", "json").output)
    assert as_json["baseline"] == "2026-10-20" and as_json["format"] == "pmo-tui review"
    assert {"group": "projects", "record": "project", "code": "PRJ-104", "days": 28}.items() <= next(
        line for line in as_json["lines"] if line["code"] == "PRJ-104"
    ).items()
    markdown = _pmo(sample_db, "review", "--format", "markdown").output
    assert markdown.startswith("## What changed since 13 November 2026\n\n### KPIs whose status changed\n")


def test_pmo_review_done_and_bad_input(sample_db: Path) -> None:
    before = sample_db.read_bytes()
    for args, message in (
        (("review", "--since", "2026-11-31"), "--since: 2026-11-31 does not exist"),
        (("review", "--since", "2026-12-01"), "--since: 2026-12-01 is after today (2026-11-20)"),
        (
            ("review", "--done", "--since", "2026-11-01"),
            "--done marks today's review done; it takes no --since",
        ),
    ):
        refused = _pmo(sample_db, *args)
        assert refused.exit_code == 2 and message in refused.stderr
    read_only = CliRunner().invoke(main, ["--db", str(sample_db), "--read-only", "review", "--done"])
    assert read_only.exit_code == 2 and "read-only" in read_only.stderr
    assert sample_db.read_bytes() == before
    done = _pmo(sample_db, "review", "--done")
    assert done.exit_code == 0
    assert (
        done.output
        == "Review of 2026-11-20 marked done by Priya Raman; the next review counts what changed from it.\n"
    )
    store = Store.open(sample_db)
    try:
        assert store.last_review(TODAY) == (TODAY, "Priya Raman")
    finally:
        store.close()
    after = _pmo(sample_db, "review").output
    assert "since the review of 2026-11-20 by Priya Raman" in after and "Nothing changed" in after


def test_user_text_is_shown_as_typed(sample_db: Path) -> None:
    store = Store.open(sample_db)
    try:
        with store._writing() as session:
            find_project(session, "PRJ-101").owner = "[b]Priya[/b]\x1b[2J"
    finally:
        store.close()
    text = _pmo(sample_db, "review").output
    assert "· [b]Priya[/b]␛[2J" in text and "\x1b" not in text
    markdown = _pmo(sample_db, "review", "--format", "markdown").output
    assert r"· \[b\]Priya\[/b\]␛\[2J" in markdown
    as_json = _pmo(sample_db, "review", "--format", "json").output
    assert "\x1b" not in as_json
    assert json.loads(as_json)["lines"][1]["owner"] == "[b]Priya[/b]\x1b[2J"


def test_the_report_has_a_changes_section(sample_store: Store, sample_db: Path) -> None:
    report = build_report(sample_store, TODAY)
    assert report["changes"]["baseline"] == "2026-11-13" and len(report["changes"]["lines"]) == 4
    since = build_report(sample_store, TODAY, since=date(2026, 10, 20))
    # 12 lines, and 7 of the sample's RAID log: 2 actions overdue, 4 items opened, a decision made.
    assert since["changes"]["baseline"] == "2026-10-20" and len(since["changes"]["lines"]) == 19
    text = report_markdown(since)
    assert "## What changed since 20 October 2026" in text
    assert (
        "- ↘ worse: key result **Q4-O3-KR1** Cut change requests per project from 3.2 to 2.0 · confidence: 4/10 → 2/10 · Chloe Martin"
        in text
    )
    cli = _pmo(sample_db, "report", "--since", "2026-10-20", "--format", "json")
    assert json.loads(cli.output)["changes"] == json.loads(json.dumps(since["changes"]))
    assert _pmo(sample_db, "report", "--since", "nope").exit_code == 2


# --------------------------------------------------------------------------- the screen


async def test_the_review_screen_opens_records_and_marks_the_review_done(sample_store: Store) -> None:
    from pmo_tui.screens.kpi_detail import KpiDetailScreen
    from pmo_tui.screens.project_detail import ProjectDetailScreen
    from pmo_tui.screens.review import ReviewScreen

    sample_store.user = "Priya Raman"
    with sample_store._writing() as session:
        find_project(session, "PRJ-101").name = "ERP [b]upgrade[/b]\x1b[31m"
    app = make_app(sample_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        screen = await wait_for_screen(pilot, ReviewScreen)
        await wait_until(pilot, lambda: screen.changes is not None, "the changes")
        await settle(pilot)
        # The cursor starts on the first change: the KPI whose status changed.
        await pilot.press("enter")
        detail = await wait_for_screen(pilot, KpiDetailScreen)
        assert detail.code == "RAID"
        await pilot.press("escape")
        await wait_for_screen(pilot, ReviewScreen)
        await pilot.press("down")
        # The line under the list names the record: user text as typed, never markup or a control.
        await wait_until(pilot, lambda: "ERP [b]upgrade[/b]␛[31m" in screen_text(app), "the project's name")
        await pilot.press("enter")
        project = await wait_for_screen(pilot, ProjectDetailScreen)
        assert project.code == "PRJ-101"
        await pilot.press("escape")
        await wait_for_screen(pilot, ReviewScreen)
        await pilot.press("d")
        await wait_until(pilot, lambda: "Friday 20 November 2026" in screen_text(app), "the question")
        await pilot.press("y")
        await wait_until(pilot, lambda: sample_store.last_review(TODAY) is not None, "the review saved")
        await wait_until(
            pilot, lambda: screen.changes is not None and screen.changes.lines == (), "the reload"
        )
    assert sample_store.last_review(TODAY) == (TODAY, "Priya Raman")
    assert sample_store.review_changes(TODAY).reviewed_on == TODAY


async def test_declining_saves_nothing_and_the_overview_marks_the_review_done_too(
    sample_store: Store,
) -> None:
    from pmo_tui.screens.portfolio import PortfolioScreen
    from pmo_tui.screens.review import ReviewScreen

    app = make_app(sample_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await wait_for_screen(pilot, ReviewScreen)
        await settle(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: "Mark the review" in screen_text(app), "the question")
        await pilot.press("n")
        await wait_for_screen(pilot, ReviewScreen)
        assert sample_store.last_review(TODAY) is None
        # Shift+V on the overview marks it done without opening the list.
        await pilot.press("escape")
        await wait_for_screen(pilot, PortfolioScreen)
        await pilot.press("V")
        await wait_until(pilot, lambda: "Friday 20 November 2026" in screen_text(app), "the question")
        await pilot.press("y")
        await wait_until(pilot, lambda: sample_store.last_review(TODAY) is not None, "the review saved")
    assert sample_store.last_review(TODAY) == (TODAY, sample_store.user)
