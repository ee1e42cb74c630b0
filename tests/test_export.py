"""Exporting the database as a TOML portfolio: deterministic, complete, private."""

from __future__ import annotations

import stat
from pathlib import Path

from click.testing import CliRunner
from helpers import TODAY

from pmo_tui.cli import main
from pmo_tui.locations import question_bank_path
from pmo_tui.portfolio_file import dump_portfolio, parse_portfolio
from pmo_tui.question_bank import load_question_bank
from pmo_tui.store import Store


def test_export_import_export_is_byte_identical_on_the_sample(sample_store, tmp_path: Path) -> None:
    first = dump_portfolio(sample_store.export_portfolio())
    bank = load_question_bank(question_bank_path())
    copy = Store.open(tmp_path / "copy.db")
    copy.import_portfolio(parse_portfolio(first, "export", bank.question_ids))
    second = dump_portfolio(copy.export_portfolio())
    copy.close()
    assert second == first


def test_the_export_holds_everything_the_sample_holds(sample_store, sample_portfolio) -> None:
    exported = parse_portfolio(dump_portfolio(sample_store.export_portfolio()))
    assert sorted(p["code"] for p in exported.projects) == sorted(
        p["code"] for p in sample_portfolio.projects
    )
    assert sum(len(k["measurements"]) for k in exported.kpis) == sum(
        len(k["measurements"]) for k in sample_portfolio.kpis
    )
    assert sum(len(kr["check_ins"]) for o in exported.objectives for kr in o["key_results"]) == sum(
        len(kr["check_ins"]) for o in sample_portfolio.objectives for kr in o["key_results"]
    )
    assert [len(a["answers"]) for a in exported.assessments] == [24]


def test_user_text_survives_the_round_trip_literally(empty_store, tmp_path: Path) -> None:
    hostile = '[bold]Q4[/] \\"quoted\\" \\u001b[31m مرحبا'  # as written inside a TOML string
    text = f'format = "pmo-tui portfolio"\nversion = 1\n[[goals]]\ncode = "G[1]"\nname = "{hostile}"\n'
    empty_store.import_portfolio(parse_portfolio(text))
    again = parse_portfolio(dump_portfolio(empty_store.export_portfolio()))
    assert again.goals[0]["name"] == '[bold]Q4[/] "quoted" \x1b[31m مرحبا'
    assert again.goals[0]["code"] == "G[1]"


def test_cli_export_writes_a_private_file_equal_to_standard_output(sample_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "portfolio.toml"
    result = runner.invoke(main, ["--db", str(sample_db), "export", str(target)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    piped = runner.invoke(main, ["--db", str(sample_db), "export", "-"])
    assert piped.exit_code == 0
    assert piped.stdout == target.read_text(encoding="utf-8")


def test_cli_export_into_a_missing_folder_fails_cleanly(sample_db: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(sample_db), "export", str(tmp_path / "no" / "x.toml")])
    assert result.exit_code == 2
    assert result.stderr.startswith("pmo: folder")
    assert "Traceback" not in result.output
    assert not (tmp_path / "no").exists()


def test_export_of_an_empty_database_is_a_valid_portfolio(empty_store) -> None:
    portfolio = parse_portfolio(dump_portfolio(empty_store.export_portfolio()))
    assert portfolio.projects == [] and portfolio.kpis == []
    assert empty_store.overview(TODAY).projects == ()


def _export_to(db: Path, target: Path) -> Path:
    result = CliRunner().invoke(main, ["--db", str(db), "export", str(target)])
    assert result.exit_code == 0, result.output
    return target


def test_cli_import_into_an_empty_database_restores_the_export(sample_db: Path, tmp_path: Path) -> None:
    exported = _export_to(sample_db, tmp_path / "portfolio.toml")
    fresh = tmp_path / "fresh.db"
    result = CliRunner().invoke(main, ["--db", str(fresh), "import", str(exported)])
    assert result.exit_code == 0, result.output
    assert "Added 4 strategic goals, 14 projects" in result.stdout
    again = _export_to(fresh, tmp_path / "again.toml")
    assert again.read_bytes() == exported.read_bytes()


def test_cli_import_dry_run_reports_and_writes_nothing(sample_db: Path, tmp_path: Path) -> None:
    exported = _export_to(sample_db, tmp_path / "portfolio.toml")
    fresh = tmp_path / "fresh.db"
    Store.open(fresh).close()
    before = fresh.read_bytes()
    result = CliRunner().invoke(main, ["--db", str(fresh), "import", str(exported), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Would add 4 strategic goals")
    assert fresh.read_bytes() == before


def test_cli_import_of_a_bad_file_says_where_and_changes_nothing(sample_db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'format = "pmo-tui portfolio"\nversion = 1\n[[projects]]\ncode = "NEW"\nname = "x"\n'
        "start = 2026-01-01\nplanned_finish = 2026-02-01\nbudget = -5\n",
        encoding="utf-8",
    )
    before = sample_db.read_bytes()
    result = CliRunner().invoke(main, ["--db", str(sample_db), "import", str(bad)])
    assert result.exit_code == 2
    assert "projects[0].budget: must be at least 0" in result.stderr
    assert "Traceback" not in result.output
    assert sample_db.read_bytes() == before
