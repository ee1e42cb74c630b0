"""The HTML report (`pmo report --format html`): one self-contained page from the report's data,
user text escaped, written like every other file. Its look is tested in a browser in
tests/test_report_browser.py."""

from __future__ import annotations

import copy
import re
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import TODAY

from pmo_tui.cli import main
from pmo_tui.report import build_report
from pmo_tui.report_html import report_html
from pmo_tui.store import Store
from pmo_tui.validation import ProjectDefinition


@pytest.fixture
def report(sample_store: Store) -> dict:
    return build_report(sample_store, TODAY)


def test_the_page_needs_nothing_from_elsewhere(report) -> None:
    page = report_html(report)
    assert page.startswith("<!DOCTYPE html>")
    # No script, no link, no external stylesheet, font or image: nothing to fetch, and a
    # Content-Security-Policy that forbids fetching anyway.
    for fetches in ("<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "href=", "://"):
        assert fetches not in page.lower(), fetches
    assert "default-src 'none'" in page
    assert page.count("<svg") == len(report["kpis"]) + 3  # each KPI, objectives, projects, maturity


def test_it_has_the_markdown_sections_and_the_json_figures(report) -> None:
    page = report_html(report)
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings == [
        "Portfolio",
        "What changed since 13 November 2026",
        "KPIs",
        "Projects that need attention",
        "Projects",
        "RAID log",
        "Objectives of 2026-Q4",
        "Overdue",
        "Maturity",
    ]
    assert "PMO report, 20 November 2026" in page
    # What changed since the baseline: a direction as symbol and word, before → after.
    changes = re.search(r'<section id="changes">.*?</section>', page, re.S)
    assert changes and "Projects slipping" in changes.group() and "worse" in changes.group()
    assert "2027-04-08 → 2027-04-29 (+21 d)" in changes.group()
    util = re.search(r'<article class="kpi" data-code="UTIL">.*?</article>', page, re.S)
    assert util and "93%" in util.group() and "target 75–85%" in util.group() and "overdue" in util.group()
    assert "band dashed" in util.group(), "a band KPI draws both lines of its band"
    prj101 = re.search(r'<tr data-code="PRJ-101">.*?</tr>', page, re.S)
    assert prj101 is not None
    assert "119 d late" in prj101.group() and "4,418,542" in prj101.group() and "-618,542" in prj101.group()
    assert "score 0.48 if the cycle closed today" in page
    kr2 = re.search(r'<tr data-code="Q4-O1-KR2">.*?</tr>', page, re.S)
    assert kr2 and "84.6%" in kr2.group() and "81.0%" in kr2.group()  # value, value on pace
    raid = re.search(r'<section id="raid">.*?</section>', page, re.S)
    assert raid and "PRJ-101 R1 Vendor master data not cleansed before the April cut-over" in raid.group()
    assert "20 (4×5)" in raid.group() and "14 days overdue, owner Marcus Bell" in raid.group()


def test_status_is_a_word_and_a_symbol_as_well_as_a_colour(report) -> None:
    page = report_html(report)
    for chip in re.findall(
        r'<span class="chip (\w+)"><span aria-hidden="true">(.)</span> ([^<]+)</span>', page
    ):
        tone, symbol, word = chip
        assert symbol.strip() and word.strip(), chip
    assert '<span class="chip red"><span aria-hidden="true">◷</span> overdue</span>' in page
    assert '<span class="chip amber"><span aria-hidden="true">▲</span> warning</span>' in page


def test_user_text_is_escaped_everywhere(sample_store: Store) -> None:
    hostile = '<script>alert("x")</script> & <b onmouseover=1>\x1b[31m'
    detail = sample_store.project_detail("PRJ-101")
    sample_store.save_project(
        ProjectDefinition(
            code="PRJ-101",
            name=hostile,
            owner=hostile,
            status="active",
            goal=detail.goal_code,
            start=detail.start,
            planned_finish=detail.planned_finish,
            actual_finish=detail.actual_finish,
            budget=detail.budget,
            expected_benefit=detail.expected_benefit,
            realised_benefit=detail.realised_benefit,
        ),
        original_code="PRJ-101",
    )
    page = report_html(build_report(sample_store, TODAY))
    assert "<script" not in page and "<b onmouseover" not in page and "\x1b" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b onmouseover=1&gt;␛[31m" in page


def test_a_section_it_has_no_drawing_for_is_shown_as_tables(report) -> None:
    # A section added to the report later (a dependency log, say) appears without a change here.
    extended = copy.deepcopy(report)
    extended["dependencies"] = {
        "open_risks": 2,
        "top_risks": [
            {"project": "PRJ-101", "code": "R1", "title": "Vendor <late>", "exposure": 20, "owner": "Priya"},
            {"project": "PRJ-104", "code": "R2", "title": "Store review", "exposure": 12.5, "closed": None},
        ],
        "overdue_actions": [],
    }
    extended["changes_since"] = "2026-11-13"
    page = report_html(extended)
    section = re.search(r'<section id="dependencies">.*?</section>', page, re.S)
    assert section is not None
    text = section.group()
    assert (
        "<h2>Dependencies</h2>" in text
        and "<h3>Top risks</h3>" in text
        and "<h3>Overdue actions</h3>" in text
    )
    assert "<th>Exposure</th>" in text and "<th>Closed</th>" in text  # every record's keys
    assert "Vendor &lt;late&gt;" in text and "<td>12.50</td>" in text and "<td>—</td>" in text
    assert "<tr><th>Open risks</th><td>2</td></tr>" in text
    assert '<section id="changes_since"><h2>Changes since</h2>\n<p>2026-11-13</p>' in page


def test_cli_writes_a_private_page_and_keeps_an_existing_file(sample_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "board.html"
    command = ["--db", str(sample_db), "--today", "2026-11-20", "report", "--format", "html", "-o", str(out)]
    result = runner.invoke(main, command)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    first = out.read_text(encoding="utf-8")
    assert first.startswith("<!DOCTYPE html>") and "PMO report, 20 November 2026" in first
    out.write_text("kept")
    refused = runner.invoke(main, command)
    assert refused.exit_code == 2 and "add --force to replace it" in refused.stderr
    assert out.read_text() == "kept"
    replaced = runner.invoke(main, [*command, "--force"])
    assert replaced.exit_code == 0 and out.read_text(encoding="utf-8") == first


def test_an_empty_portfolio_says_so_in_every_section(empty_store: Store) -> None:
    page = report_html(build_report(empty_store, TODAY))
    for said in (
        "No OKR cycle yet.",
        "No active KPIs.",
        "No projects yet.",
        "No objectives in this cycle.",
        "Nothing is overdue.",
        "No complete self-assessment yet.",
    ):
        assert said in page
    assert "<svg" not in page and "<table" not in page


def test_a_kpi_with_no_measurement_yet_still_has_its_chart(report) -> None:
    report["kpis"][0].update(value=None, history=[], status="overdue", trend="unknown")
    page = report_html(report)
    card = re.search(r'<article class="kpi" data-code="ONTIME">.*?</article>', page, re.S)
    assert card and "<svg" in card.group() and "no measurements yet" in card.group()
    assert "No measurements yet, target dashed" in card.group()
