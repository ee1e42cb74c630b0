"""`pmo due`: per owner, the key results without a check-in this week and the KPIs overdue, as text,
Markdown and JSON, with --owner and --exit-code; a command that only reads."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from helpers import TODAY

from pmo_tui.cli import main
from pmo_tui.due import build_due
from pmo_tui.store import Store

DAY = ["--today", TODAY.isoformat()]
# The sample's key results due on TODAY (Friday 20 November 2026: none checked in since Monday).
SAMPLE_DUE = {
    "Arjun Patel": ["Q4-O1-KR2", "Q4-O3-KR3"],
    "Chloe Martin": ["Q4-O3-KR1"],
    "Grace Whitfield": ["Q4-O1-KR1"],
    "Lena Hoffmann": ["Q4-O3-KR2"],
    "Mei Tanaka": ["Q4-O2-KR1", "Q4-O2-KR2"],
    "Samuel Adeyemi": ["Q4-O1-KR3"],
}


def due(db: Path | str, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), *DAY, "due", *args])


def test_json_lists_each_owners_key_results_and_kpis_due(sample_db: Path) -> None:
    result = due(sample_db, "--format", "json")
    assert result.exit_code == 0, result.output
    content = json.loads(result.stdout)
    assert content["format"] == "pmo-tui due" and content["week_start"] == "2026-11-16"
    owners = {o["owner"]: o for o in content["owners"]}
    assert {name: [kr["code"] for kr in o["key_results"]] for name, o in owners.items()} == SAMPLE_DUE
    # Overdue KPIs: UTIL's value (monthly, last for August) and its review; SAT's and RAID's reviews.
    kpis = {k["code"]: (o["owner"], k) for o in content["owners"] for k in o["kpis"]}
    assert set(kpis) == {"UTIL", "SAT", "RAID"}
    owner, util = kpis["UTIL"]
    assert owner == "Lena Hoffmann"
    assert util["measurement_overdue"] and util["last_period"] == "2026-08-31"
    assert util["review_overdue"] and util["last_reviewed"] == "2026-04-14"
    assert kpis["SAT"][1]["measurement_overdue"] is False and kpis["SAT"][1]["review_overdue"]
    assert content["counts"] == {"owners": 6, "key_results": 8, "kpis": 3}
    kr = owners["Mei Tanaka"]["key_results"][0]
    assert (kr["last_check_in"], kr["last_value"], kr["last_confidence"]) == ("2026-11-15", 40, 0.8)


def test_markdown_is_a_digest_headed_per_owner(sample_db: Path) -> None:
    result = due(sample_db, "--format", "markdown")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("# Due this week, Friday 20 November 2026\n")
    assert "8 key results without a check-in since Monday 16 November, 3 KPIs" in text
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == list(SAMPLE_DUE)
    mei = text.split("## Mei Tanaka\n")[1].split("## ")[0]
    assert (
        "- **Q4-O2-KR1** Workshops held with 80 % of key executives (Q4-O2): "
        "last check-in 2026-11-15: 40%, confidence 8/10"
    ) in mei
    assert "- **SAT** Stakeholder satisfaction: review overdue (last 2026-07-08)" in mei
    lena = text.split("## Lena Hoffmann\n")[1].split("## ")[0]
    assert "**UTIL** Resource utilisation: measurement overdue (monthly, last for 2026-08-31)" in lena


def test_text_and_owner_compared_loosely(sample_db: Path) -> None:
    result = due(sample_db, "--owner", "  mei   TANAKA")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Due for Mei Tanaka on Fri 20 Nov 2026: 2 key results without")
    assert lines[2] == "Mei Tanaka"
    assert [line[:21] for line in lines[3:]] == [
        "  check in  Q4-O2-KR1",
        "  check in  Q4-O2-KR2",
        "  KPI       SAT  Stak",
    ]


def test_exit_code_3_when_something_is_due_and_0_when_nothing(sample_db: Path) -> None:
    assert due(sample_db, "--exit-code").exit_code == 3
    assert due(sample_db).exit_code == 0  # without --exit-code, a listing is a success
    # Grace checks in her one key result: nothing of hers is due any more.
    assert due(sample_db, "--owner", "Grace Whitfield", "--exit-code").exit_code == 3
    store = Store.open(sample_db)
    store.record_check_in("Q4-O1-KR1", TODAY, 0, 0.6, "", today=TODAY)
    store.close()
    result = due(sample_db, "--owner", "Grace Whitfield", "--exit-code")
    assert result.exit_code == 0, result.output
    assert "Nothing is due" in result.stdout


def test_an_owner_no_one_goes_by_is_refused_not_reported_as_nothing_due(sample_db: Path) -> None:
    """A typo in --owner must not pass a script's check as "nothing due"."""
    result = due(sample_db, "--owner", "Grace Whitfeld", "--exit-code")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "pmo: --owner: no key result, objective or KPI is owned by “Grace Whitfeld”"
    ]
    # The name as people type it (spaces and capitals as they come) is still found.
    assert due(sample_db, "--owner", " grace  whitfield ").exit_code == 0


def test_user_text_is_never_markdown_nor_terminal_control(sample_store: Store) -> None:
    from pmo_tui.due import due_markdown, due_text
    from pmo_tui.validation import KpiDefinition

    sample_store.save_kpi(
        KpiDefinition(
            code="X1",
            name="[click](http://x) *bold* \x1b[31m",
            description="",
            unit="",
            direction="higher",
            target=1.0,
            warning=None,
            indicator="leading",
            nature="quantitative",
            owner="Eve_<b>",
            cadence="weekly",
            goal=None,
            source="entered",
        )
    )
    content = build_due(sample_store, TODAY, "eve_<b>")
    text, markdown = due_text(content), due_markdown(content)
    assert "\x1b" not in text and "\x1b" not in markdown
    assert "## Eve\\_\\<b\\>" in markdown
    assert "\\[click\\](http://x) \\*bold\\*" in markdown
    assert "X1  [click](http://x) *bold* ␛[31m · measurement overdue (weekly, never measured)" in text


def test_only_reads_the_database(sample_db: Path) -> None:
    before = sample_db.read_bytes()
    assert due(sample_db, "--format", "json").exit_code == 0
    assert sample_db.read_bytes() == before


def test_never_creates_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    result = due(missing)
    assert result.exit_code == 2
    assert "pmo init" in result.stderr
    assert not missing.exists()


def test_due_on_both_databases(sample_any_db: str) -> None:
    content = json.loads(due(sample_any_db, "--format", "json").stdout)
    assert {o["owner"] for o in content["owners"]} == set(SAMPLE_DUE)
    assert date.fromisoformat(content["date"]) == TODAY


def test_what_has_no_owner_comes_last_for_the_pmo_lead_to_hand_out(sample_store: Store) -> None:
    from pmo_tui.due import due_text
    from pmo_tui.validation import KpiDefinition

    sample_store.save_kpi(
        KpiDefinition(
            code="ORPHAN",
            name="Nobody's KPI",
            description="",
            unit="",
            direction="higher",
            target=1.0,
            warning=None,
            indicator="leading",
            nature="quantitative",
            owner="",
            cadence="weekly",
            goal=None,
            source="entered",
        )
    )
    content = build_due(sample_store, TODAY)
    last = content["owners"][-1]
    assert last["owner"] == "" and [k["code"] for k in last["kpis"]] == ["ORPHAN"]
    text = due_text(content)
    assert text.endswith(
        "(no owner)\n  KPI       ORPHAN  Nobody's KPI · measurement overdue (weekly, never measured); "
        "review overdue (never reviewed)\n"
    )
