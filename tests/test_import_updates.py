"""A TOML import into a database that has records: new codes are added, existing ones updated.

Every test works on a real copy of the sample portfolio and reads back what was stored.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmo_tui.cli import main
from pmo_tui.portfolio_file import (
    PortfolioFileError,
    dump_portfolio,
    merge_portfolio,
    parse_portfolio,
    portfolio_changes,
)
from pmo_tui.store import Store

HEADER = 'format = "pmo-tui portfolio"\nversion = 1\n'


def _import(db: Path, tmp_path: Path, text: str, *extra: str):
    path = tmp_path / "change.toml"
    path.write_text(HEADER + text, encoding="utf-8")
    return CliRunner().invoke(main, ["--db", str(db), "import", str(path), *extra])


def _exported(db: Path):
    store = Store.open(db)
    try:
        return parse_portfolio(dump_portfolio(store.export_portfolio()))
    finally:
        store.close()


def _one(records, key: str, value):
    [record] = [r for r in records if r[key] == value]
    return record


def test_importing_the_export_again_changes_nothing(sample_db: Path, tmp_path: Path) -> None:
    store = Store.open(sample_db)
    text = dump_portfolio(store.export_portfolio())
    summary = store.import_portfolio_text(text, "again.toml")
    after = dump_portfolio(store.export_portfolio())
    store.close()
    assert summary.counts == {} and summary.updated == {}
    assert summary.sentence() == "Changed nothing"
    assert after == text


def test_a_partial_file_updates_only_the_fields_it_gives(sample_db: Path, tmp_path: Path) -> None:
    before = _one(_exported(sample_db).projects, "code", "PRJ-101")
    result = _import(sample_db, tmp_path, '[[projects]]\ncode = "PRJ-101"\nbudget = 4100000\n')
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Updated 1 project from ")
    after = _one(_exported(sample_db).projects, "code", "PRJ-101")
    assert after["budget"] == 4_100_000
    assert {k: v for k, v in after.items() if k != "budget"} == {
        k: v for k, v in before.items() if k != "budget"
    }


def test_a_new_status_update_is_added_and_the_older_ones_kept(sample_db: Path, tmp_path: Path) -> None:
    before = _one(_exported(sample_db).projects, "code", "PRJ-101")["updates"]
    result = _import(
        sample_db,
        tmp_path,
        (
            '[[projects]]\ncode = "PRJ-101"\n[[projects.updates]]\non = 2026-11-21\n'
            "planned_value = 3000000\nearned_value = 2700000\nactual_cost = 3100000\n"
            'open_risks = 4\ncomment = "[bold]steering[/] moved"\n'
        ),
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Added 1 status update from ")
    updates = _one(_exported(sample_db).projects, "code", "PRJ-101")["updates"]
    assert updates[:-1] == before
    assert updates[-1]["on"] == date(2026, 11, 21)
    assert updates[-1]["earned_value"] == 2_700_000 and updates[-1]["open_risks"] == 4
    assert updates[-1]["comment"] == "[bold]steering[/] moved"


def test_a_measurement_for_an_existing_period_is_replaced_and_a_new_one_added(
    sample_db: Path, tmp_path: Path
) -> None:
    history = _one(_exported(sample_db).kpis, "code", "ONTIME")["measurements"]
    last = history[-1]
    result = _import(
        sample_db,
        tmp_path,
        (
            f'[[kpis]]\ncode = "ONTIME"\n[[kpis.measurements]]\nperiod = {last["period"].isoformat()}\n'
            "value = 12.5\n[[kpis.measurements]]\nperiod = 2026-12-31\nvalue = 80\n"
        ),
    )
    assert result.exit_code == 0, result.output
    assert "Added 1 measurement; updated 1 measurement" in result.stdout
    after = _one(_exported(sample_db).kpis, "code", "ONTIME")["measurements"]
    assert len(after) == len(history) + 1
    assert after[-2] == {**last, "value": 12.5}
    assert after[-1] == {"period": date(2026, 12, 31), "value": 80.0, "note": "", "by": ""}
    assert after[:-2] == history[:-1]


def test_a_key_result_is_changed_within_its_objective_and_its_siblings_are_kept(
    sample_db: Path, tmp_path: Path
) -> None:
    objective = _one(_exported(sample_db).objectives, "code", "Q4-O2")
    sibling = _one(objective["key_results"], "code", "Q4-O2-KR2")
    result = _import(
        sample_db,
        tmp_path,
        ('[[objectives]]\ncode = "Q4-O2"\n[[objectives.key_results]]\ncode = "Q4-O2-KR1"\ntarget = 90\n'),
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Updated 1 key result from ")
    after = _one(_exported(sample_db).objectives, "code", "Q4-O2")
    changed = _one(after["key_results"], "code", "Q4-O2-KR1")
    before = _one(objective["key_results"], "code", "Q4-O2-KR1")
    assert changed == {**before, "target": 90.0}
    assert _one(after["key_results"], "code", "Q4-O2-KR2") == sibling
    assert {k: v for k, v in after.items() if k != "key_results"} == {
        k: v for k, v in objective.items() if k != "key_results"
    }


def test_a_new_objective_may_refer_to_records_that_are_only_in_the_database(
    sample_db: Path, tmp_path: Path
) -> None:
    result = _import(
        sample_db,
        tmp_path,
        (
            '[[objectives]]\ncode = "Q4-O9"\ntitle = "Halve the time to approve a change request"\n'
            'cycle = "2026-Q4"\nparent = "Q4-O1"\ngoal = "G2"\nowner = "Arjun Patel"\n'
            '[[objectives.key_results]]\ncode = "Q4-O9-KR1"\ntitle = "Days to approve a change"\n'
            'kind = "decrease"\nunit = "days"\nbaseline = 12\ntarget = 6\nkpi = "CRPP"\n'
        ),
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Added 1 objective, 1 key result from ")
    objective = _one(_exported(sample_db).objectives, "code", "Q4-O9")
    assert (objective["parent"], objective["goal"], objective["cycle"]) == ("Q4-O1", "G2", "2026-Q4")
    assert objective["key_results"][0]["kpi"] == "CRPP"


def test_an_assessment_of_the_same_day_has_its_answers_updated(sample_db: Path, tmp_path: Path) -> None:
    before = _exported(sample_db).assessments[0]
    assert before["taken_on"] == date(2026, 9, 15)
    result = _import(
        sample_db,
        tmp_path,
        (
            '[[assessments]]\ntaken_on = 2026-09-15\n[[assessments.answers]]\nquestion = "alignment.2"\n'
            'level = 4\ncomment = "Framework adopted"\n'
        ),
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Updated 1 assessment from ")
    [after] = _exported(sample_db).assessments
    assert len(after["answers"]) == len(before["answers"])
    assert _one(after["answers"], "question", "alignment.2") == {
        "question": "alignment.2",
        "level": 4,
        "comment": "Framework adopted",
    }
    assert _one(after["answers"], "question", "alignment.1") == _one(
        before["answers"], "question", "alignment.1"
    )


def test_a_dry_run_of_updates_reports_them_and_writes_nothing(sample_db: Path, tmp_path: Path) -> None:
    before = sample_db.read_bytes()
    result = _import(
        sample_db,
        tmp_path,
        ('[[goals]]\ncode = "G1"\nowner = "Someone Else"\n[[goals]]\ncode = "G9"\nname = "New goal"\n'),
        "--dry-run",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Would add 1 strategic goal; would update 1 strategic goal from ")
    assert sample_db.read_bytes() == before


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param(
            '[[projects]]\ncode = "PRJ-101"\nbudget = -1\n', "projects[0].budget", id="a value out of range"
        ),
        pytest.param(
            '[[projects]]\ncode = "PRJ-101"\nplanned_finish = 2020-01-01\n',
            "projects[0].planned_finish",
            id="a finish before the stored start",
        ),
        pytest.param(
            '[[projects]]\ncode = "PRJ-101"\ngoal = "G9"\n',
            "projects[0].goal",
            id="a goal that exists nowhere",
        ),
        pytest.param(
            '[[objectives]]\ncode = "Q4-O1"\nparent = "Q4-O2"\n',
            "objectives[0].parent",
            id="a loop through a parent in the database",
        ),
        pytest.param(
            '[[objectives]]\ncode = "Q4-O2"\ncycle = "2031-Q1"\n',
            "objectives[0].cycle",
            id="a cycle that exists nowhere",
        ),
        pytest.param(
            '[[kpis]]\ncode = "NEWKPI"\nname = "No direction"\n',
            "kpis[0].direction",
            id="a new record missing a required field",
        ),
        pytest.param(
            '[[kpis]]\ncode = "ONTIME"\ncadense = "weekly"\n',
            "kpis[0].cadense",
            id="an unknown field on an existing record",
        ),
        pytest.param(
            '[[objectives]]\ncode = "Q4-O2"\n[[objectives.key_results]]\ncode = "Q4-O2-KR1"\nweight = 0\n',
            "objectives[0].key_results[0].weight",
            id="a bad value in an existing key result",
        ),
    ],
)
def test_a_bad_update_says_where_and_changes_nothing(
    sample_db: Path, tmp_path: Path, text: str, where: str
) -> None:
    before = sample_db.read_bytes()
    result = _import(sample_db, tmp_path, text)
    assert result.exit_code == 2, result.output
    assert f"change.toml: {where}:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert sample_db.read_bytes() == before


def test_merging_keeps_what_the_file_leaves_out() -> None:
    current = {
        "projects": [
            {
                "code": "P1",
                "name": "Old",
                "budget": 5.0,
                "updates": [{"on": date(2026, 1, 1), "earned_value": 1.0}],
            }
        ]
    }
    raw = {
        "projects": [
            {
                "code": "P1",
                "budget": 7.0,
                "updates": [
                    {"on": date(2026, 1, 1), "earned_value": 2.0},
                    {"on": date(2026, 2, 1), "earned_value": 3.0},
                ],
            },
            {"code": "P2", "name": "New"},
        ]
    }
    merged = merge_portfolio(raw, current)
    assert merged["projects"] == [
        {
            "code": "P1",
            "name": "Old",
            "budget": 7.0,
            "updates": [
                {"on": date(2026, 1, 1), "earned_value": 2.0},
                {"on": date(2026, 2, 1), "earned_value": 3.0},
            ],
        },
        {"code": "P2", "name": "New"},
    ]
    assert current["projects"][0]["budget"] == 5.0  # the current records are not touched


def test_changes_are_counted_against_the_checked_current_records() -> None:
    current = {"goals": [{"code": "G1", "name": "Grow"}]}
    # The file states the default explicitly: that is no change.
    same = parse_portfolio(HEADER + '[[goals]]\ncode = "G1"\nactive = true\n', current=current)
    assert portfolio_changes(same, current) == ({}, {})
    renamed = parse_portfolio(HEADER + '[[goals]]\ncode = "G1"\nname = "Shrink"\n', current=current)
    assert portfolio_changes(renamed, current) == ({}, {"strategic goals": 1})


def test_without_the_database_a_reference_outside_the_file_is_refused() -> None:
    with pytest.raises(PortfolioFileError, match=r"objectives\[0\]\.cycle"):
        parse_portfolio(HEADER + '[[objectives]]\ncode = "O1"\ntitle = "t"\ncycle = "2026-Q4"\n')


def test_the_documented_partial_file_imports_into_the_sample(sample_db: Path, tmp_path: Path) -> None:
    import re

    page = (Path(__file__).parent.parent / "docs" / "portfolio-format.md").read_text(encoding="utf-8")
    # The example of a partial file (the page's other examples show single tables).
    [example] = [block for block in re.findall(r"```toml\n(.*?)```", page, re.S) if block.startswith(HEADER)]
    result = _import(sample_db, tmp_path, example.removeprefix(HEADER))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Added 1 status update; updated 1 project from ")
