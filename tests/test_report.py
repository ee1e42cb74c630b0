"""The executive report (`pmo report`): the same figures as the screens, in Markdown and JSON."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import TODAY

from pmo_tui.cli import main
from pmo_tui.report import build_report, md, report_json, report_markdown
from pmo_tui.store import Store
from pmo_tui.validation import ObjectiveDefinition


@pytest.fixture
def report(sample_store: Store) -> dict:
    return build_report(sample_store, TODAY)


def test_json_has_the_documented_keys(report) -> None:
    assert report["format"] == "pmo-tui report" and report["version"] == 1
    assert set(report["portfolio"]) >= {
        "on_time_pct",
        "within_budget_pct",
        "spi",
        "cpi",
        "roi",
        "aligned_pct",
        "change_requests_per_project",
        "open_risks",
    }
    assert set(report["kpis"][0]) >= {"code", "value", "target", "status", "trend"}
    assert set(report["projects"][0]) >= {
        "code",
        "spi",
        "cpi",
        "on_time",
        "within_budget",
        "bac",
        "eac",
        "vac",
    }
    assert set(report["objectives"][0]) >= {
        "code",
        "progress",
        "pace",
        "confidence",
        "score_today",
        "key_results",
    }
    assert set(report["objectives"][0]["key_results"][0]) >= {"code", "progress", "value_on_pace"}
    assert set(report["maturity"]) >= {"stage", "dimensions"}
    # JSON that other tools can read back as it was built.
    assert json.loads(report_json(report)) == report


def test_portfolio_figures_are_the_overview_figures(report, sample_store: Store) -> None:
    figures = sample_store.overview(TODAY).figures
    portfolio = report["portfolio"]
    for name in (
        "on_time_pct",
        "within_budget_pct",
        "spi",
        "cpi",
        "roi",
        "aligned_pct",
        "change_requests_per_project",
        "open_risks",
    ):
        assert portfolio[name] == getattr(figures, name), name
    # The sample by hand: 13 counted projects, 10 of them on time (PRJ-101, 104 and 106 are late),
    # 11 of 13 aligned (PRJ-108 and 111 are not).
    assert portfolio["projects"] == 13
    assert portfolio["on_time_pct"] == pytest.approx(100 * 10 / 13)
    assert portfolio["aligned_pct"] == pytest.approx(100 * 11 / 13)


def test_kpis_projects_and_objectives_match_the_screens(report, sample_store: Store) -> None:
    overview = sample_store.overview(TODAY)
    assert [k["code"] for k in report["kpis"]] == [k.code for k in overview.kpis]
    ontime = next(k for k in report["kpis"] if k["code"] == "ONTIME")
    tile = next(k for k in overview.kpis if k.code == "ONTIME")
    assert (ontime["value"], ontime["target"], ontime["status"], ontime["trend"]) == (
        tile.value,
        tile.target,
        tile.status.value,
        tile.trend.direction.value,
    )
    assert next(k for k in report["kpis"] if k["code"] == "UTIL")["status"] == "overdue"
    projects = {p["code"]: p for p in report["projects"]}
    rows = {p.code: p for p in overview.projects}
    for code, row in rows.items():
        assert (
            projects[code]["spi"],
            projects[code]["cpi"],
            projects[code]["on_time"],
            projects[code]["within_budget"],
        ) == (row.spi, row.cpi, row.on_time, row.within_budget)
    board = sample_store.okr_board(TODAY)
    for objective, row in zip(report["objectives"], board.objectives, strict=True):
        assert objective["code"] == row.code
        assert objective["progress"] == pytest.approx(row.progress, abs=1e-4)
        assert objective["pace"] == row.pace.value
        assert [kr["code"] for kr in objective["key_results"]] == [kr.code for kr in row.key_results]


def test_attention_overdue_and_maturity(report) -> None:
    attention = {p["code"]: p["attention"] for p in report["projects"] if p["attention"]}
    assert set(attention) == {"PRJ-101", "PRJ-102", "PRJ-104", "PRJ-106"}
    assert any(reason.endswith("days late") for reason in attention["PRJ-101"])
    assert "forecast over budget" in attention["PRJ-102"]
    assert report["overdue"]["kpis"] == ["UTIL"]
    assert report["overdue"]["key_results"] == ["Q4-O3-KR2"]
    assert (report["maturity"]["stage"], report["maturity"]["stage_name"]) == (2, "Developing")
    assert len(report["maturity"]["dimensions"]) == 8


def test_markdown_reads_on_its_own(report) -> None:
    text = report_markdown(report)
    for heading in (
        "# PMO report, 20 November 2026",
        "## Portfolio",
        "## KPIs",
        "## Projects that need attention",
        "## Objectives of 2026-Q4",
        "### Q4-O1 Increase the PMO's contribution to strategic outcomes",
        "## Overdue",
        "## Maturity",
    ):
        assert heading in text
    assert "| Projects on time | 77% |" in text
    assert "Stage **Developing**" in text
    assert "- Key result Q4-O3-KR2: no check-in for more than a week" in text


def test_user_text_is_never_markdown(sample_store: Store) -> None:
    title = "Ship [the portal](http://evil.example) | *now* <b>x</b>\x1b[31m"
    code = sample_store.save_objective(ObjectiveDefinition(title, "2026-Q4", "", None, None, "active"))
    report = build_report(sample_store, TODAY)
    assert next(o for o in report["objectives"] if o["code"] == code)["title"] == title
    text = report_markdown(report)
    assert f"### {code} {md(title)}" in text
    assert r"\[the portal\](http://evil.example) \| \*now\* \<b\>x\</b\>␛\[31m" in text
    assert "](http" not in text.replace(r"\](http", "")


def test_report_of_a_graded_cycle(sample_store: Store) -> None:
    report = build_report(sample_store, TODAY, "2026-Q3")
    assert report["cycle"]["name"] == "2026-Q3" and report["cycle"]["status"] == "closed"
    assert {o["code"]: o["score"] for o in report["objectives"]} == {"Q3-O1": 0.8, "Q3-O2": 0.5, "Q3-O3": 0.8}
    assert "graded 0.80" in report_markdown(report)


def test_cli_report_writes_a_private_file_and_refuses_an_unknown_cycle(
    sample_db: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    out = tmp_path / "report.md"
    result = runner.invoke(main, ["--db", str(sample_db), "--today", "2026-11-20", "report", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("# PMO report, 20 November 2026")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    as_json = runner.invoke(
        main, ["--db", str(sample_db), "--today", "2026-11-20", "report", "--format", "json"]
    )
    assert json.loads(as_json.output)["date"] == "2026-11-20"
    before = sample_db.read_bytes()
    refused = runner.invoke(main, ["--db", str(sample_db), "report", "--cycle", "2030-Q1"])
    assert refused.exit_code == 2
    assert "--cycle: no cycle named “2030-Q1”" in refused.stderr
    assert sample_db.read_bytes() == before


def test_report_of_an_empty_database(empty_store: Store) -> None:
    report = build_report(empty_store, date(2026, 11, 20))
    assert report["cycle"] is None and report["objectives"] == [] and report["maturity"] is None
    text = report_markdown(report)
    assert "No OKR cycle yet." in text and "No complete self-assessment yet." in text


def test_a_band_key_result_shows_its_band(report) -> None:
    (band,) = [kr for o in report["objectives"] for kr in o["key_results"] if kr["code"] == "Q4-O3-KR2"]
    assert (band["kind"], band["band_low"], band["band_high"]) == ("within_band", 75, 85)
    (line,) = [line for line in report_markdown(report).splitlines() if line.startswith("| Q4-O3-KR2 ")]
    assert "| 75%–85% |" in line
    assert "| 80% |" not in line


def test_projects_give_eac_and_vac_as_their_detail_does(report, sample_store: Store) -> None:
    for project in report["projects"]:
        detail = sample_store.project_detail(project["code"])
        assert (project["bac"], project["eac"], project["vac"]) == (
            detail.budget,
            detail.estimate_at_completion,
            detail.variance_at_completion,
        )
    finished = next(p for p in report["projects"] if p["code"] == "PRJ-107")
    assert finished["eac"] == sample_store.project_detail("PRJ-107").actual_cost  # actual cost once done
    late = next(p for p in report["projects"] if p["code"] == "PRJ-101")
    assert late["vac"] == pytest.approx(late["bac"] - late["eac"]) and late["vac"] < 0


def test_key_results_give_the_value_on_pace_today(report) -> None:
    elapsed = report["cycle"]["elapsed"]
    for objective in report["objectives"]:
        for kr in objective["key_results"]:
            if kr["kind"] in ("increase", "decrease"):
                expected = kr["baseline"] + elapsed * (kr["target"] - kr["baseline"])
                # The report's elapsed share is rounded to 4 places.
                spread = abs(kr["target"] - kr["baseline"])
                assert kr["value_on_pace"] == pytest.approx(expected, abs=1e-4 * spread)
            else:
                assert kr["value_on_pace"] is None


def test_score_today_is_the_grade_closing_the_cycle_today_gives(report, sample_store: Store) -> None:
    scores = {o["code"]: o["score_today"] for o in report["objectives"]}
    assert all(score is not None for score in scores.values())
    closed = sample_store.close_cycle("2026-Q4", TODAY)
    assert {row.code: row.score for row in closed.objectives} == scores


def test_a_key_result_past_its_target_with_low_confidence_is_off_track(sample_store: Store) -> None:
    # 130 % of the way from baseline to target, but its owner rates it 2/10.
    kr = next(
        kr for o in sample_store.okr_board(TODAY).objectives for kr in o.key_results if kr.code == "Q4-O1-KR2"
    )
    sample_store.record_check_in(
        "Q4-O1-KR2",
        TODAY,
        kr.baseline + 1.3 * (kr.target - kr.baseline),
        0.2,
        "done, may not hold",
        today=TODAY,
    )
    report = build_report(sample_store, TODAY)
    (row,) = [k for o in report["objectives"] for k in o["key_results"] if k["code"] == "Q4-O1-KR2"]
    assert (row["progress"], row["confidence"], row["pace"]) == (1.0, 0.2, "off track")
    assert next(o for o in report["objectives"] if o["code"] == "Q4-O1")["pace"] == "off track"
