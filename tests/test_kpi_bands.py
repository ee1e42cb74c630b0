"""A KPI's target band through the data layer: the form's checks, the store, and the portfolio file
(round trip byte for byte on SQLite and PostgreSQL; files without a band read as before)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest
from helpers import TODAY, schema_6_undone
from test_both_databases import is_pg, libpq_url, set_schema_version

from pmo_tui.calculations import Status
from pmo_tui.portfolio_file import PortfolioFileError, dump_portfolio, parse_portfolio
from pmo_tui.report import build_report, report_markdown
from pmo_tui.store import Store
from pmo_tui.validation import check_kpi_definition

SAMPLE = Path(__file__).parent.parent / "sample_data" / "portfolio.toml"

FIELDS = {
    "code": "UTIL2",
    "name": "Utilisation",
    "description": "",
    "unit": "%",
    "direction": "higher",
    "target": "",
    "warning": "",
    "band_low": "75",
    "band_high": "85",
    "indicator": "lagging",
    "nature": "quantitative",
    "owner": "",
    "cadence": "monthly",
    "goal": "",
    "source": "entered",
}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"band_high": ""}, "band_high", "a band needs both bounds"),
        ({"band_low": ""}, "band_low", "a band needs both bounds"),
        ({"band_low": "85", "band_high": "75"}, "band_high", "must be above the lower bound"),
        ({"band_low": "80", "band_high": "80"}, "band_high", "must be above the lower bound"),
        ({"target": "80"}, "target", "no single target"),
        ({"band_low": "abc"}, "band_low", "is not a number"),
    ],
)
def test_the_form_refuses_a_half_or_upside_down_band(changes: dict, field: str, message: str) -> None:
    definition, errors = check_kpi_definition({**FIELDS, **changes}, set())
    assert definition is None
    assert message in errors[field]


def test_a_band_is_saved_and_the_status_follows_it(empty_store) -> None:
    definition, errors = check_kpi_definition(FIELDS, set())
    assert definition is not None, errors
    empty_store.save_kpi(definition, today=TODAY)
    empty_store.add_measurement("UTIL2", TODAY, 93.0, today=TODAY)
    summary = empty_store.kpi_detail("UTIL2", TODAY).summary
    assert (summary.band_low, summary.band_high, summary.target) == (75.0, 85.0, None)
    assert summary.status is Status.RED, "93 % is above the 75-85 % band"
    empty_store.add_measurement("UTIL2", TODAY, 81.0, replace=True, today=TODAY)
    assert empty_store.kpi_detail("UTIL2", TODAY).summary.status is Status.GREEN
    # Clearing both bounds makes it a plain KPI again.
    plain, _ = check_kpi_definition({**FIELDS, "band_low": "", "band_high": "", "target": "80"}, set())
    assert plain is not None
    empty_store.save_kpi(plain, original_code="UTIL2", today=TODAY)
    summary = empty_store.kpi_detail("UTIL2", TODAY).summary
    assert (summary.band_low, summary.band_high, summary.target) == (None, None, 80.0)


def test_the_sample_utilisation_kpi_has_its_band(sample_store) -> None:
    summary = sample_store.kpi_detail("UTIL", TODAY).summary
    assert summary.band == (75.0, 85.0) and summary.target is None


def test_a_band_round_trips_byte_for_byte(db_url: str, tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    assert "band_low = 75\nband_high = 85\n" in text
    store = Store.open(db_url, initialize=True)
    try:
        store.import_portfolio(parse_portfolio(text))
        first = dump_portfolio(store.export_portfolio())
    finally:
        store.close()
    copy = Store.open(tmp_path / "copy.db", initialize=True)
    try:
        copy.import_portfolio(parse_portfolio(first))
        assert dump_portfolio(copy.export_portfolio()) == first
    finally:
        copy.close()
    util = next(k for k in parse_portfolio(first).kpis if k["code"] == "UTIL")
    assert (util["band_low"], util["band_high"], util["target"]) == (75, 85, None)
    # KPIs without a band are written exactly as before: no band keys at all.
    ontime = first.split('code = "ONTIME"', 1)[1].split("[[kpis", 1)[0]
    assert "band_" not in ontime


@pytest.mark.parametrize(
    ("lines", "where", "message"),
    [
        ("band_low = 75\n", "kpis[0].band_high", "a band needs both bounds"),
        ("band_low = 85\nband_high = 75\n", "kpis[0].band_high", "must be above the lower bound"),
        ("target = 80\nband_low = 75\nband_high = 85\n", "kpis[0].target", "no single target"),
    ],
)
def test_a_file_with_a_bad_band_is_refused_saying_where(lines: str, where: str, message: str) -> None:
    text = (
        'format = "pmo-tui portfolio"\nversion = 1\n[[kpis]]\ncode = "U"\nname = "U"\n'
        f'direction = "higher"\n{lines}'
    )
    with pytest.raises(PortfolioFileError) as raised:
        parse_portfolio(text)
    assert raised.value.location == where and message in raised.value.message


def test_the_report_shows_the_band_in_place_of_a_target(sample_store) -> None:
    report = build_report(sample_store, TODAY)
    util = next(k for k in report["kpis"] if k["code"] == "UTIL")
    assert (util["band_low"], util["band_high"], util["target"]) == (75.0, 85.0, None)
    row = next(line for line in report_markdown(report).splitlines() if "Resource utilisation" in line)
    assert "| 75–85% |" in row


def _undo_schema_6(db: str) -> None:
    """Make a fresh schema 6 database what schema 5 was (on either database)."""
    statements = schema_6_undone()
    if is_pg(db):
        with psycopg.connect(libpq_url(db)) as connection:
            for statement in statements:
                connection.execute(statement)
    else:
        connection = sqlite3.connect(db)
        for statement in statements:
            connection.execute(statement)
        connection.commit()
        connection.close()
    set_schema_version(db, 5)


def test_a_schema_5_database_gets_the_band_columns(db_url: str) -> None:
    Store.open(db_url, initialize=True).close()
    _undo_schema_6(db_url)
    store = Store.open(db_url)
    try:
        definition, errors = check_kpi_definition(FIELDS, set())
        assert definition is not None, errors
        store.save_kpi(definition, today=TODAY)
        assert store.kpi_detail("UTIL2", TODAY).summary.band == (75.0, 85.0)
    finally:
        store.close()


def test_an_okr_started_from_a_band_kpi_keeps_the_value_within_the_band(sample_store) -> None:
    # UTIL's latest value is 93 %, above its band: "higher is better" would refuse 85 as a target.
    code = sample_store.start_okr_from_kpi("UTIL", "Utilisation back to a sane level", "", 85.0, TODAY)
    key_result = sample_store.key_result_detail(f"{code}-KR1", TODAY)[1]
    assert (key_result.kind, key_result.band_low, key_result.band_high) == ("within_band", 75.0, 85.0)
    assert key_result.title == "Resource utilisation back within 75–85"
