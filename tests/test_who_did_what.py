"""Working as a team (issue 19): who made each record and each change (`by`, the change log), and
no silent overwrites (an edit based on a version someone else has changed since is refused), on
a SQLite file and on PostgreSQL, in the store and on the command line."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import TODAY

from pmo_tui.cli import main
from pmo_tui.portfolio_file import dump_portfolio
from pmo_tui.store import Conflict, Store
from pmo_tui.validation import ProjectDefinition, StatusUpdateEntry

MONDAY = date(2026, 11, 16)


def project_definition(store: Store, code: str, **changes: object) -> ProjectDefinition:
    """The project as its form opens with it, with `changes` typed in."""
    detail = store.project_detail(code)
    definition = ProjectDefinition(
        code=code,
        name=detail.row.name,
        owner=detail.row.owner,
        status=detail.row.status,
        goal=detail.goal_code,
        start=detail.start,
        planned_finish=detail.planned_finish,
        actual_finish=detail.actual_finish,
        budget=detail.budget,
        expected_benefit=detail.expected_benefit,
        realised_benefit=detail.realised_benefit,
    )
    return replace(definition, **changes)  # type: ignore[arg-type]


def two_sessions(db: str, first: str = "Priya Raman", second: str = "Sam Okafor") -> tuple[Store, Store]:
    one, two = Store.open(db), Store.open(db)
    one.user, two.user = first, second
    return one, two


def test_writes_record_who_made_them_and_log_what_they_did(sample_any: Store) -> None:
    store = sample_any
    store.user = "Priya Raman"
    store.record_check_in("Q4-O1-KR3", MONDAY, 21.5, 0.7, "steady", today=TODAY)
    store.add_measurement("ONTIME", date(2026, 11, 1), 81.5, today=TODAY)
    project = store.project_detail("PRJ-101")
    latest = project.latest
    assert latest is not None
    store.save_status_update(
        "PRJ-101",
        StatusUpdateEntry(
            on=TODAY,
            forecast_finish=latest.forecast_finish,
            planned_value=latest.planned_value,
            earned_value=latest.earned_value,
            actual_cost=latest.actual_cost,
            change_requests=latest.change_requests,
            open_risks=latest.open_risks,
            satisfaction=latest.satisfaction,
            comment="on track",
        ),
        today=TODAY,
    )
    store.save_project(
        project_definition(store, "PRJ-101", budget=project.budget + 1000, owner="Ana"),
        original_code="PRJ-101",
    )

    _, key_result = store.key_result_detail("Q4-O1-KR3", TODAY)
    assert key_result.check_ins[-1].by == "Priya Raman"
    kpi = store.kpi_detail("ONTIME", TODAY)
    assert kpi.measurements[-1].by == "Priya Raman"
    after = store.project_detail("PRJ-101")
    assert after.updates[-1].by == "Priya Raman"
    assert after.version == project.version + 1

    words = [entry.words for entry in store.changes_since(0)]
    assert words[-4:] == [
        "Priya Raman checked in Q4-O1-KR3",
        "Priya Raman measured ONTIME",
        "Priya Raman updated PRJ-101",
        "Priya Raman edited PRJ-101",
    ]
    edit = store.history_of("project", "PRJ-101")[0]
    assert (edit.action, edit.detail) == ("edited", "owner, budget")
    check_in = store.history_of("check_in", "Q4-O1-KR3")[0]
    assert check_in.detail.endswith("· 7/10")


def test_a_correction_is_made_by_the_corrector_and_the_log_keeps_who_made_it_first(
    sample_store: Store,
) -> None:
    sample_store.user = "Priya Raman"
    sample_store.record_check_in("Q4-O1-KR3", MONDAY, 21.5, 0.7, today=TODAY)
    _, key_result = sample_store.key_result_detail("Q4-O1-KR3", TODAY)
    made = key_result.check_ins[-1]
    sample_store.user = "Sam Okafor"
    sample_store.correct_check_in(made.id, made.on, 22.0, 0.7, "", today=TODAY, expected_version=made.version)
    _, key_result = sample_store.key_result_detail("Q4-O1-KR3", TODAY)
    assert (key_result.check_ins[-1].value, key_result.check_ins[-1].by) == (22.0, "Sam Okafor")
    entry = sample_store.history_of("check_in", "Q4-O1-KR3")[0]
    assert entry.words == "Sam Okafor corrected the check-in of Q4-O1-KR3"
    assert entry.detail == "2026-11-16: value (checked in by Priya Raman)"


def test_a_stale_edit_is_refused_on_both_databases_and_an_overwrite_is_knowing(sample_any_db: str) -> None:
    one, two = two_sessions(sample_any_db)
    try:
        opened = one.project_detail("PRJ-102")  # session 1's form opens
        two.save_project(project_definition(two, "PRJ-102", owner="Sam Okafor"), original_code="PRJ-102")
        mine = project_definition(one, "PRJ-102", budget=opened.budget + 5)
        with pytest.raises(Conflict) as refused:
            one.save_project(mine, original_code="PRJ-102", expected_version=opened.version)
        assert refused.value.by == "Sam Okafor"
        assert refused.value.changed == ("owner",)
        assert "project PRJ-102 was changed by Sam Okafor after you opened it (owner)" in str(refused.value)
        stored = one.project_detail("PRJ-102")
        assert (stored.row.owner, stored.budget) == ("Sam Okafor", opened.budget)

        # Overwrite: saved again on the version the conflict showed, knowingly.
        one.save_project(mine, original_code="PRJ-102", expected_version=stored.version)
        assert one.project_detail("PRJ-102").budget == opened.budget + 5
        assert [e.by for e in one.history_of("project", "PRJ-102")[:2]] == ["Priya Raman", "Sam Okafor"]
    finally:
        one.close()
        two.close()


def test_every_kind_of_edit_checks_its_version(sample_any_db: str) -> None:
    one, two = two_sessions(sample_any_db)
    try:
        objective, key_result = one.key_result_detail("Q4-O1-KR3", TODAY)
        two.set_key_result_archived("Q4-O1-KR3", True)
        two.set_key_result_archived("Q4-O1-KR3", False)
        from pmo_tui.validation import KeyResultDefinition

        definition = KeyResultDefinition(
            title=key_result.title,
            kind=key_result.kind,
            unit=key_result.unit,
            baseline=key_result.baseline,
            target=key_result.target,
            band_low=key_result.band_low,
            band_high=key_result.band_high,
            weight=key_result.weight,
            owner="someone",
            kpi=key_result.kpi_code,
            reason="",
        )
        with pytest.raises(Conflict, match="key result Q4-O1-KR3 was changed by Sam Okafor"):
            one.save_key_result(
                objective.code, definition, original_code="Q4-O1-KR3", expected_version=key_result.version
            )
        kpi = one.kpi_detail("ONTIME", TODAY)
        measurement = kpi.measurements[-1]
        two.correct_measurement(
            "ONTIME", measurement.period, measurement.period, measurement.value + 1, "", today=TODAY
        )
        with pytest.raises(Conflict, match="by Sam Okafor"):
            one.correct_measurement(
                "ONTIME",
                measurement.period,
                measurement.period,
                1.0,
                "",
                today=TODAY,
                expected_version=measurement.version,
            )
        assert one.kpi_detail("ONTIME", TODAY).measurements[-1].value == measurement.value + 1
        cycle = next(c for c in one.cycles(TODAY) if c.live)
        from pmo_tui.validation import CycleDefinition

        two.save_cycle(CycleDefinition(cycle.name, cycle.start, cycle.end), original_name=cycle.name)
        two.set_cycle_status(cycle.name, "archived")
        two.set_cycle_status(cycle.name, "open")
        with pytest.raises(Conflict, match=f"cycle {cycle.name} was changed by Sam Okafor"):
            one.save_cycle(
                CycleDefinition(cycle.name, cycle.start, cycle.end),
                original_name=cycle.name,
                expected_version=cycle.version,
            )
    finally:
        one.close()
        two.close()


def test_by_round_trips_through_the_portfolio_file_byte_for_byte(sample_any: Store, tmp_path: Path) -> None:
    sample_any.user = "Priya Raman"
    sample_any.record_check_in("Q4-O1-KR3", MONDAY, 21.5, 0.7, today=TODAY)
    sample_any.add_measurement("ONTIME", date(2026, 11, 1), 81.5, today=TODAY)
    first = dump_portfolio(sample_any.export_portfolio())
    assert 'by = "Priya Raman"' in first
    # Written only where known (the sample's own have none); a RAID decision's decided_by is not one.
    assert len(re.findall(r"(?m)(?:^|, )by = ", first)) == 2
    again = Store.open(tmp_path / "again.db")
    try:
        again.import_portfolio_text(first, "first.toml", today=TODAY)
        assert dump_portfolio(again.export_portfolio()) == first
    finally:
        again.close()


def test_cli_as_names_who_is_working(sample_db: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "--db",
            str(sample_db),
            "--as",
            "Priya Raman",
            "--today",
            "2026-11-20",
            "checkin",
            "Q4-O1-KR3",
            "21.5",
            "--at",
            "2026-11-16",
        ],
        env={"PMO_USER": "someone else"},
    )
    assert result.exit_code == 0, result.output
    store = Store.open(sample_db)
    try:
        _, key_result = store.key_result_detail("Q4-O1-KR3", TODAY)
        assert key_result.check_ins[-1].by == "Priya Raman"
        assert store.history_of("check_in", "Q4-O1-KR3")[0].by == "Priya Raman"
    finally:
        store.close()


def _pmo(db: Path, *args: str, user: str = "Priya Raman"):
    return CliRunner().invoke(main, ["--db", str(db), "--as", user, "--today", "2026-11-20", *args])


def test_cli_writes_based_on_a_stale_version_exit_2_and_change_nothing(sample_db: Path) -> None:
    first = _pmo(sample_db, "checkin", "Q4-O1-KR3", "21.5", "--confidence", "7", "--at", "2026-11-16")
    assert first.exit_code == 0, first.output
    assert first.stdout.rstrip().endswith("Version 1.")
    # Someone else corrects it: a correction based on version 1 is now stale.
    second = _pmo(sample_db, "checkin", "Q4-O1-KR3", "22", "--at", "2026-11-16", user="Sam Okafor")
    assert second.stdout.rstrip().endswith("Version 2.")
    stale = _pmo(sample_db, "checkin", "Q4-O1-KR3", "30", "--at", "2026-11-16", "--expect-version", "1")
    assert stale.exit_code == 2
    assert stale.stderr == (
        "pmo: Q4-O1-KR3's check-in of 2026-11-16 was changed by Sam Okafor since version 1 "
        "(67% · 7/10); nothing was written. Look at it again, "
        "or leave out --expect-version to write over it\n"
    )
    fresh = _pmo(sample_db, "checkin", "Q4-O1-KR3", "30", "--at", "2026-11-16", "--expect-version", "2")
    assert fresh.exit_code == 0, fresh.output

    measured = _pmo(sample_db, "measure", "ONTIME", "81", "--period", "2026-10-31", "--replace")
    assert measured.stdout.rstrip().endswith("Version 2.")
    _pmo(sample_db, "measure", "ONTIME", "82", "--period", "2026-10-31", "--replace", user="Sam Okafor")
    stale = _pmo(
        sample_db, "measure", "ONTIME", "90", "--period", "2026-10-31", "--replace", "--expect-version", "2"
    )
    assert stale.exit_code == 2
    assert "ONTIME's measurement for 2026-10-31 was changed by Sam Okafor since version 2" in stale.stderr

    updated = _pmo(sample_db, "update", "PRJ-101", "--ac", "3450000", "--on", "2026-11-15", "--replace")
    assert updated.exit_code == 0, updated.output
    version = int(updated.stdout.rstrip().rsplit(" ", 1)[1].rstrip("."))
    _pmo(
        sample_db,
        "update",
        "PRJ-101",
        "--ac",
        "3460000",
        "--on",
        "2026-11-15",
        "--replace",
        user="Sam Okafor",
    )
    stale = _pmo(
        sample_db,
        "update",
        "PRJ-101",
        "--ac",
        "1",
        "--on",
        "2026-11-15",
        "--replace",
        "--expect-version",
        str(version),
    )
    assert stale.exit_code == 2
    assert "PRJ-101's status update of 2026-11-15 was changed by Sam Okafor" in stale.stderr
    store = Store.open(sample_db)
    try:
        _, key_result = store.key_result_detail("Q4-O1-KR3", TODAY)
        assert next(c for c in key_result.check_ins if c.on == MONDAY).value == 30
        assert store.kpi_detail("ONTIME", TODAY).measurements[-1].value == 82
        assert store.project_detail("PRJ-101").updates[-1].actual_cost == 3_460_000
    finally:
        store.close()


def test_an_import_based_on_an_export_someone_changed_since_exits_2(sample_db: Path, tmp_path: Path) -> None:
    file = tmp_path / "portfolio.toml"
    exported = _pmo(sample_db, "export", str(file))
    change = int(exported.stderr.split("as of change ")[1].split(" ")[0])
    file.write_text(file.read_text().replace('name = "CRM consolidation"', 'name = "CRM merge"'))
    store = Store.open(sample_db)
    store.user = "Sam Okafor"
    store.save_project(project_definition(store, "PRJ-102", owner="Sam Okafor"), original_code="PRJ-102")
    store.close()
    stale = _pmo(sample_db, "import", str(file), "--based-on", str(change))
    assert stale.exit_code == 2
    assert "the portfolio was changed by Sam Okafor since change" in stale.stderr
    assert "(edited PRJ-102); nothing was imported" in stale.stderr
    store = Store.open(sample_db)
    try:
        assert store.project_detail("PRJ-102").row.name == "CRM consolidation"
        assert store.project_detail("PRJ-102").row.owner == "Sam Okafor"
    finally:
        store.close()
    again = _pmo(sample_db, "import", str(file))  # knowingly over their change
    assert again.exit_code == 0, again.output


def test_an_import_based_on_a_change_this_portfolio_never_reached_exits_2(
    sample_db: Path, tmp_path: Path
) -> None:
    """A change past the portfolio's latest (an export of another database), however large, is
    refused in one line before anything is written."""
    file = tmp_path / "portfolio.toml"
    exported = _pmo(sample_db, "export", str(file))
    latest = int(exported.stderr.split("as of change ")[1].split(" ")[0])
    before = file.read_text()
    for change in (latest + 1, 10**30):
        refused = _pmo(sample_db, "import", str(file), "--based-on", str(change))
        assert refused.exit_code == 2, refused.output
        lines = refused.stderr.splitlines()
        assert len(lines) == 1
        assert lines[0] == (
            f"pmo: --based-on: change {change} is later than this portfolio's latest ({latest}): "
            "it was printed by an export of another database; nothing was imported"
        )
    _pmo(sample_db, "export", str(file), "--force")
    assert file.read_text() == before
    assert _pmo(sample_db, "import", str(file), "--based-on", str(latest)).exit_code == 0


def test_a_conflict_with_an_import_names_the_importer(sample_db: Path) -> None:
    one, two = two_sessions(str(sample_db))
    try:
        opened = one.project_detail("PRJ-102")
        two.import_portfolio_text(
            'format = "pmo-tui portfolio"\nversion = 1\n[[projects]]\ncode = "PRJ-102"\nname = "CRM merge"\n',
            "october.toml",
            today=TODAY,
        )
        with pytest.raises(Conflict) as refused:
            one.save_project(
                project_definition(one, "PRJ-102", budget=1.0),
                original_code="PRJ-102",
                expected_version=opened.version,
            )
        assert (refused.value.by, refused.value.changed) == ("Sam Okafor", ("an import of october.toml",))
        assert one.changes_since(0)[-1].words == "Sam Okafor imported october.toml"
    finally:
        one.close()
        two.close()


def test_the_report_says_who_made_the_latest_check_in_and_measurement(sample_store: Store) -> None:
    from pmo_tui.report import build_report, report_markdown

    sample_store.user = "Priya [Raman]"
    sample_store.record_check_in("Q4-O1-KR3", TODAY, 21.5, 0.7, today=TODAY)
    sample_store.add_measurement("ONTIME", TODAY, 81.5, today=TODAY)
    report = build_report(sample_store, TODAY)
    kpi = next(k for k in report["kpis"] if k["code"] == "ONTIME")
    assert (kpi["last_period"], kpi["last_measured_by"]) == ("2026-11-30", "Priya [Raman]")
    assert next(k for k in report["kpis"] if k["code"] == "CRPP")["last_measured_by"] == ""
    key_result = next(
        kr for o in report["objectives"] for kr in o["key_results"] if kr["code"] == "Q4-O1-KR3"
    )
    assert key_result["last_check_in_by"] == "Priya [Raman]"
    text = report_markdown(report)
    assert "| 2026-11-20 by Priya \\[Raman\\] |" in text
    assert "| Priya \\[Raman\\] |" in text
