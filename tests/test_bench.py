"""The benchmark keeps working: its generator writes a valid, repeatable portfolio, and a run on the
tiny portfolio prints the JSON the full run prints. Shapes only: no figure is judged here."""

from __future__ import annotations

import json
import math
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import TODAY
from pg import major_version

from bench.generate import SCALES, generate
from pmo_tui.portfolio_file import dump_portfolio
from pmo_tui.store import Store

ROOT = Path(__file__).resolve().parent.parent

FIGURES = [
    "startup_ratio",
    "checkin_p95_ms",
    "switch_p95_ms",
    "import_rows_per_s",
    "import_ratio",
    "peak_rss_mb",
]
TARGETED = ["startup_ratio", "checkin_p95_ms", "switch_p95_ms", "import_ratio", "peak_rss_mb"]
AREAS = ["kpis", "okrs", "maturity", "portfolio", "kpi_detail", "all"]


def _positive(value: object) -> bool:
    return (
        isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0
    )


def _rows(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name"
            )
        ]
        return {
            table: connection.execute(f'SELECT * FROM "{table}" ORDER BY id').fetchall() for table in tables
        }


def test_the_generator_is_repeatable_and_writes_what_the_app_accepts(tmp_path, empty_store):
    first, second = tmp_path / "one.db", tmp_path / "two.db"
    counts = generate(first, "tiny")
    generate(second, "tiny")
    assert _rows(first) == _rows(second)

    tiny = SCALES["tiny"]
    assert counts["project"] == tiny.projects
    assert counts["measurement"] == tiny.kpis * tiny.measurements
    assert counts["key_result"] == tiny.objectives * tiny.key_results
    assert counts["check_in"] == tiny.objectives * tiny.key_results * tiny.check_ins
    assert counts["assessment"] == tiny.assessments

    store = Store.open(first)
    try:
        overview = store.overview(TODAY)
        exported = store.export_portfolio()
    finally:
        store.close()
    assert len(overview.projects) == tiny.projects
    assert overview.cycle is not None and overview.cycle.name == "2026-Q4"
    assert overview.cycle.status == "open"
    assert [c["name"] for c in exported["cycles"]] == [
        f"{year}-Q{quarter}" for year in (2025, 2026) for quarter in (1, 2, 3, 4)
    ]
    assert [c["status"] for c in exported["cycles"]] == ["closed"] * 7 + ["open"]
    # Every answer of the question bank, in every assessment.
    from pmo_tui.portfolio_file import shipped_question_ids

    for assessment in exported["assessments"]:
        assert {a["question"] for a in assessment["answers"]} == shipped_question_ids()

    # The app's own import checks every field and reference of what was generated.
    summary = empty_store.import_portfolio_text(dump_portfolio(exported), "generated", dry_run=True)
    assert summary.counts["projects"] == tiny.projects
    assert summary.counts["check-ins"] == counts["check_in"]
    assert summary.counts["measurements"] == counts["measurement"]


def test_the_generator_refuses_an_existing_file(tmp_path):
    path = tmp_path / "taken.db"
    path.write_bytes(b"")
    before = path.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "bench.generate", str(path), "--scale", "tiny"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "exists" in done.stderr
    assert path.read_bytes() == before


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> tuple[dict, str, Path]:
    out = tmp_path_factory.mktemp("bench") / "result.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--size",
            "tiny",
            "--runs",
            "1",
            "--reps",
            "2",
            "--import-rows",
            "1500",
            "--budget",
            "12",
            "--out",
            str(out),
            "--database",
            "sqlite",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout), done.stdout, out


@pytest.mark.slow
def test_a_tiny_run_prints_one_json_object_with_every_figure(tiny_run):
    report, stdout, out = tiny_run
    assert json.loads(out.read_text(encoding="utf-8")) == report
    assert set(report) == {"machine", "targets", "tiny", "seconds"}
    machine = report["machine"]
    assert machine["cpu_count"] >= 1
    assert machine["python"] == ".".join(map(str, sys.version_info[:3]))
    assert machine["platform"]
    assert set(report["targets"]) == set(TARGETED)

    tiny = report["tiny"]
    for name in FIGURES:
        assert _positive(tiny[name]), (name, tiny[name])
    assert set(tiny["targets_met"]) == set(TARGETED)
    assert all(isinstance(met, bool) for met in tiny["targets_met"].values())
    for name in TARGETED:
        assert tiny["targets_met"][name] == (tiny[name] <= report["targets"][name])
    assert _positive(report["seconds"])


def test_a_tiny_run_says_how_each_figure_was_taken(tiny_run):
    tiny = tiny_run[0]["tiny"]
    assert tiny["database"]["rows"]["project"] == SCALES["tiny"].projects
    assert tiny["startup_runs"] == 1
    # Warm (the overview cache filled by a session before), cold (no cache) and the baseline:
    # each run's first frame showing the data, and the screen settled after it.
    assert set(tiny["startup_all_ms"]) == {"warm", "cold", "baseline"}
    for runs in tiny["startup_all_ms"].values():
        assert len(runs) == 1
        assert all(0 < first <= settled for first, settled in runs)
    assert all(
        _positive(tiny[name])
        for name in (
            "startup_ms",
            "startup_cold_ms",
            "baseline_startup_ms",
            "startup_cold_ratio",
            "startup_settled_ratio",
        )
    )
    assert tiny["checkin"]["n"] == 2
    assert tiny["checkin"]["p95_ms"] == tiny["checkin_p95_ms"]
    assert set(tiny["switch"]) == set(AREAS)
    for area in AREAS:
        assert tiny["switch"][area]["n"] >= 1
        assert _positive(tiny["switch"][area]["p95_ms"])
    assert tiny["switch"]["all"]["p95_ms"] == tiny["switch_p95_ms"]
    assert _positive(tiny["baseline_switch"]["p95_ms"])
    imported = tiny["import"]
    assert imported["rows"] == imported["added"] == 1500
    assert imported["ratio"] == tiny["import_ratio"]
    assert all(_positive(imported[name]) for name in ("app_s", "sqlite3_s", "parse_s", "store_s"))
    assert set(tiny["rss_screens"]) >= {
        "PortfolioScreen",
        "KpiListScreen",
        "KpiDetailScreen",
        "OkrScreen",
        "MaturityScreen",
        "CheckInScreen",
    }


@pytest.mark.slow
@pytest.mark.postgresql
def test_a_tiny_run_on_postgresql_gives_the_same_figures_against_copy(tmp_path):
    """On a throwaway local PostgreSQL (bench/pg.py), started and removed by the bench itself."""
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--size", "tiny", "--database", "postgresql", "--runs", "1"]
        + ["--reps", "2", "--import-rows", "1500", "--budget", "12"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert set(report) == {"machine", "targets", "postgresql_targets", "postgresql", "seconds"}
    assert report["postgresql_targets"]["startup_ratio"] == 1.8
    # The wheel's PostgreSQL 18, or the one $PMO_PG_BIN names (bench/pg.py).
    assert report["machine"]["postgresql"].split(".")[0] == str(major_version())
    tiny = report["postgresql"]["tiny"]
    for name in FIGURES:
        assert _positive(tiny[name]), (name, tiny[name])
    assert _positive(tiny["import"]["copy_s"])
    assert set(tiny["targets_met"]) == set(TARGETED)
