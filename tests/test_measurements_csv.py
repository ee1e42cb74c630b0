"""KPI measurements from a CSV file: the reader (pmo_tui.measurements_csv), the store's
all-or-nothing import (Store.import_measurements) and the `pmo import FILE.csv` command.

Sample portfolio: ONTIME is monthly (last value 76.9 for 2026-10-31, with a note), SAT is
quarterly (last value 78.0 for 2026-09-30), RAID is weekly (weeks end on Sunday).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import TODAY

from pmo_tui.cli import main
from pmo_tui.measurements_csv import MAX_NOTE, MeasurementRow, read_measurements_csv
from pmo_tui.portfolio_file import PortfolioFileError
from pmo_tui.store import Store

HEADER = "kpi,period,value,note\n"


# --------------------------------------------------------------------------- helpers


def write(tmp_path: Path, content: str | bytes, name: str = "kpis.csv") -> Path:
    """Write the file exactly as given (no newline translation)."""
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def measurements(store: Store, code: str) -> dict[date, tuple[float, str]]:
    """Every stored measurement of a KPI, read back through the Store API."""
    return {m.period: (m.value, m.note) for m in store.kpi_detail(code, TODAY).measurements}


def refused(path: Path) -> PortfolioFileError:
    with pytest.raises(PortfolioFileError) as caught:
        read_measurements_csv(path)
    return caught.value


def db_state(path: Path) -> bytes:
    """The database's bytes on disk: the file plus its write-ahead log, if any."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run_import(runner: CliRunner, db: Path, csv_path: Path, *extra: str):
    return runner.invoke(main, ["--db", str(db), "import", str(csv_path), *extra])


def assert_one_line_error(result, *words: str) -> str:
    """Exit status 2, a single `pmo: ...` line on stderr, nothing on stdout, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("pmo: "), lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert "Traceback" not in result.output
    assert result.stdout == ""
    return lines[0]


# --------------------------------------------------------------------------- the header


def test_a_plain_file_is_read_row_by_row_with_its_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "ONTIME,2026-11-03,81.5,From the PMO dashboard\nSAT,2026-11-10,7.5,\n")
    assert read_measurements_csv(path) == [
        MeasurementRow(2, "ONTIME", date(2026, 11, 3), 81.5, "From the PMO dashboard"),
        MeasurementRow(3, "SAT", date(2026, 11, 10), 7.5, ""),
    ]


def test_an_empty_file_is_refused_asking_for_the_header(tmp_path: Path) -> None:
    path = write(tmp_path, b"")
    error = refused(path)
    assert str(path) in error.location
    assert "empty" in error.message
    assert "kpi,period,value" in error.message


def test_a_file_with_only_the_header_has_no_rows(tmp_path: Path) -> None:
    assert read_measurements_csv(write(tmp_path, HEADER)) == []
    assert read_measurements_csv(write(tmp_path, "kpi,period,value\r\n\r\n", "b.csv")) == []


def test_a_file_without_a_header_is_refused_on_line_1(tmp_path: Path) -> None:
    path = write(tmp_path, "ONTIME,2026-11-03,81.5\n")
    error = refused(path)
    assert error.location == f"{path}:1"
    assert "missing kpi, period, value" in error.message


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("kpi,period,note", ["missing value"]),
        ("kpi,value", ["missing period"]),
        ("kpi,period,value,comment", ["unknown 'comment'"]),
        ("kpi,date,value", ["missing period", "unknown 'date'"]),
        ("kpi,period,value,KPI", ["named twice"]),
        ("kpi,period,value,note,note", ["named twice"]),
        ("kpi;period;value", ["missing kpi, period, value"]),
    ],
)
def test_a_bad_header_is_refused_on_line_1_saying_what_is_wrong(
    tmp_path: Path, header: str, words: list[str]
) -> None:
    path = write(tmp_path, header + "\nONTIME,2026-11-03,81.5\n")
    error = refused(path)
    assert error.location == f"{path}:1"
    assert "kpi, period, value" in error.message
    for word in words:
        assert word in error.message


def test_the_header_may_use_any_case_order_and_spaces(tmp_path: Path) -> None:
    path = write(tmp_path, " Value , KPI ,Note,  PERIOD\n81.5,ONTIME,On time,2026-11-03\n")
    assert read_measurements_csv(path) == [
        MeasurementRow(2, "ONTIME", date(2026, 11, 3), 81.5, "On time"),
    ]


def test_the_note_column_is_optional(tmp_path: Path) -> None:
    path = write(tmp_path, "kpi,period,value\nONTIME,2026-11-03,81.5\n")
    # None: the file says nothing about notes, so a replaced value keeps the note it had.
    assert read_measurements_csv(path) == [MeasurementRow(2, "ONTIME", date(2026, 11, 3), 81.5, None)]


def test_without_a_note_column_a_replaced_value_keeps_its_note(sample_store, tmp_path: Path) -> None:
    sample_store.add_measurement("ONTIME", date(2026, 11, 30), 70.0, "from the board pack")
    rows = read_measurements_csv(write(tmp_path, "kpi,period,value\nONTIME,2026-11-03,81.5\n"))
    sample_store.import_measurements(rows)
    latest = sample_store.kpi_detail("ONTIME", date(2026, 11, 20)).measurements[-1]
    assert (latest.period, latest.value, latest.note) == (date(2026, 11, 30), 81.5, "from the board pack")


# --------------------------------------------------------------------------- encodings and line endings


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["lf", "crlf"])
def test_utf8_with_or_without_bom_and_any_line_ending(tmp_path: Path, bom: bytes, newline: bytes) -> None:
    text = (
        newline.join(
            [
                b"kpi,period,value,note",
                "ONTIME,2026-11-03,81.5,Caf\u00e9 \u2014 \u00fcber".encode(),
                b"SAT,2026-11-10,7.5,",
            ]
        )
        + newline
    )
    rows = read_measurements_csv(write(tmp_path, bom + text))
    assert [(r.line, r.kpi, r.value, r.note) for r in rows] == [
        (2, "ONTIME", 81.5, "Caf\u00e9 \u2014 \u00fcber"),
        (3, "SAT", 7.5, ""),
    ]
    assert all("\r" not in r.note and "\ufeff" not in r.kpi for r in rows)


def test_latin1_bytes_are_refused_with_their_line(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.encode() + b"ONTIME,2026-10-03,80,ok\nSAT,2026-11-03,7.5,caf\xe9\n")
    error = refused(path)
    assert error.location == f"{path}:3"
    assert "UTF-8" in error.message


def test_mixed_encodings_are_refused_at_the_first_line_that_is_not_utf8(tmp_path: Path) -> None:
    content = (
        HEADER.encode()
        + "ONTIME,2026-08-03,80,Caf\u00e9 in UTF-8\r\n".encode()
        + b"ONTIME,2026-09-03,81,\r\n"
        + b"ONTIME,2026-10-03,82,Windows-1252 \x93quote\x94\r\n"
        + b"ONTIME,2026-11-03,83,caf\xe9 latin-1\r\n"
    )
    error = refused(write(tmp_path, content))
    assert error.location.endswith(":4")
    assert "UTF-8" in error.message


def test_a_utf16_file_is_refused_on_line_1(tmp_path: Path) -> None:
    path = write(tmp_path, (HEADER + "ONTIME,2026-11-03,81.5,\n").encode("utf-16"))
    error = refused(path)
    assert error.location == f"{path}:1"
    assert "UTF-8" in error.message


# --------------------------------------------------------------------------- fields


def test_quoted_fields_keep_commas_and_quotes_in_the_note(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER + 'ONTIME,2026-11-03,"81.5","Delayed, then ""re-planned"" to March"\n'
        '"SAT","2026-11-10",7.5,"Two lines:\nsecond"\n'
        "ONTIME,2026-10-03,80,after the two-line note\n",
    )
    rows = read_measurements_csv(path)
    assert [(r.line, r.kpi, r.value, r.note) for r in rows] == [
        (2, "ONTIME", 81.5, 'Delayed, then "re-planned" to March'),
        (4, "SAT", 7.5, "Two lines:\nsecond"),
        (5, "ONTIME", 80.0, "after the two-line note"),
    ]


def test_a_problem_after_a_two_line_note_names_its_own_physical_line(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + 'SAT,2026-11-10,7.5,"Two lines:\nsecond"\nONTIME,2026-10-03,lots,\n')
    assert refused(path).location == f"{path}:4"


def test_blank_lines_are_skipped_and_keep_the_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "ONTIME,2026-10-03,80,\n\n,,,\nONTIME,2026-11-03,81,\n   \n\r\n\n\n")
    rows = read_measurements_csv(path)
    assert [(r.line, r.value) for r in rows] == [(2, 80.0), (5, 81.0)]
    bad = write(tmp_path, HEADER + "ONTIME,2026-10-03,80,\n\n\nONTIME,2026-11-03,x,\n", "bad.csv")
    assert refused(bad).location == f"{bad}:5"


@pytest.mark.parametrize(
    ("row", "fields"),
    [
        ("ONTIME,2026-11-03,81.5", "3 fields"),
        ("ONTIME,2026-11-03,81.5,note,extra", "5 fields"),
        ("ONTIME,2026-11-03,1,5,comma decimals unquoted", "5 fields"),
        ("ONTIME", "1 fields"),
    ],
)
def test_a_row_with_the_wrong_number_of_fields_is_refused_with_its_line(
    tmp_path: Path, row: str, fields: str
) -> None:
    path = write(tmp_path, HEADER + "ONTIME,2026-10-03,80,\n" + row + "\n")
    error = refused(path)
    assert error.location == f"{path}:3"
    assert fields in error.message
    assert "header has 4" in error.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("81.5", 81.5),
        (" 42 ", 42.0),
        ("-3.25", -3.25),
        ('"1,234.5"', 1234.5),
        ("1e3", 1000.0),
        ("0", 0.0),
    ],
)
def test_numbers_accepted(tmp_path: Path, text: str, expected: float) -> None:
    rows = read_measurements_csv(write(tmp_path, f"kpi,period,value\nONTIME,2026-11-03,{text}\n"))
    assert [r.value for r in rows] == [expected]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("lots", "is not a number"),
        ("nan", "finite"),
        ("NaN", "finite"),
        ("inf", "finite"),
        ("-Infinity", "finite"),
        ("1e999", "finite"),
        ('"1,5"', "use a point for decimals"),
        ("", "enter a number"),
        ("12 %", "is not a number"),
    ],
)
def test_bad_numbers_are_refused_with_their_line(tmp_path: Path, text: str, said: str) -> None:
    path = write(tmp_path, f"kpi,period,value\nONTIME,2026-10-03,80\nONTIME,2026-11-03,{text}\n")
    error = refused(path)
    assert error.location == f"{path}:3"
    assert error.message.startswith("value: ")
    assert said in error.message


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("2026-02-30", "does not exist"),
        ("2026-13-01", "does not exist"),
        ("30/11/2026", "YYYY-MM-DD"),
        ("11/30/2026", "YYYY-MM-DD"),
        ("2026-11-3", "YYYY-MM-DD"),
        ("", "YYYY-MM-DD"),
        ("November 2026", "YYYY-MM-DD"),
    ],
)
def test_bad_dates_are_refused_with_their_line(tmp_path: Path, text: str, said: str) -> None:
    path = write(tmp_path, f"kpi,period,value\nONTIME,2026-10-03,80\nONTIME,{text},81\n")
    error = refused(path)
    assert error.location == f"{path}:3"
    assert error.message.startswith("period: ")
    assert said in error.message


@pytest.mark.parametrize("kpi", ["", "   ", '""'])
def test_an_empty_kpi_is_refused_with_its_line(tmp_path: Path, kpi: str) -> None:
    path = write(tmp_path, f"kpi,period,value\nONTIME,2026-10-03,80\n{kpi},2026-11-03,81\n")
    error = refused(path)
    assert error.location == f"{path}:3"
    assert error.message == "kpi: must not be empty"


def test_a_note_of_500_characters_is_fine_and_501_is_refused(tmp_path: Path) -> None:
    assert MAX_NOTE == 500
    ok = write(tmp_path, HEADER + f"ONTIME,2026-11-03,81,{'é' * 500}\n", "ok.csv")
    assert read_measurements_csv(ok)[0].note == "é" * 500
    long = write(tmp_path, HEADER + "ONTIME,2026-10-03,80,\n" + f"ONTIME,2026-11-03,81,{'n' * 501}\n")
    error = refused(long)
    assert error.location == f"{long}:3"
    assert "at most 500" in error.message
    assert "501" in error.message


def test_the_same_kpi_and_date_twice_is_refused_naming_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "ONTIME,2026-11-03,80,\nSAT,2026-11-03,7,\nONTIME,2026-11-03,81,\n")
    error = refused(path)
    assert error.location == f"{path}:4"
    assert "ONTIME 2026-11-03" in error.message
    assert "line 2" in error.message


def test_a_missing_file_is_a_portfolio_file_error(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.csv"
    error = refused(path)
    assert str(path) in error.location
    assert "cannot be read" in error.message


# --------------------------------------------------------------------------- the store's import


def test_import_moves_each_date_to_the_end_of_its_kpis_period(sample_store: Store, tmp_path: Path) -> None:
    ontime_before = measurements(sample_store, "ONTIME")
    path = write(
        tmp_path,
        HEADER
        + "ONTIME,2026-11-03,81.5,monthly\n"  # -> 2026-11-30
        + "SAT,2026-11-03,79,quarterly\n"  # -> 2026-12-31
        + "RAID,2026-11-18,8,weekly\n",  # Wednesday -> Sunday 2026-11-22
    )
    summary = sample_store.import_measurements(read_measurements_csv(path))
    assert summary.counts == {"measurements": 3, "replaced measurements": 0}
    ontime = measurements(sample_store, "ONTIME")
    assert ontime[date(2026, 11, 30)] == (81.5, "monthly")
    assert date(2026, 11, 3) not in ontime
    assert len(ontime) == len(ontime_before) + 1
    sat = measurements(sample_store, "SAT")
    assert sat[date(2026, 12, 31)] == (79.0, "quarterly")
    assert date(2026, 11, 3) not in sat and date(2026, 11, 30) not in sat
    assert measurements(sample_store, "RAID")[date(2026, 11, 22)] == (8.0, "weekly")


def test_a_period_that_has_a_value_gets_the_new_value_and_note(sample_store: Store, tmp_path: Path) -> None:
    before = measurements(sample_store, "ONTIME")
    assert before[date(2026, 10, 31)] == (76.9, "Mobile app relaunch re-planned to March")
    assert measurements(sample_store, "SAT")[date(2026, 9, 30)][0] == 78.0
    path = write(
        tmp_path,
        HEADER
        + "ONTIME,2026-10-05,80.2,Recounted after the audit\n"
        + "SAT,2026-08-15,77.5,\n"
        + "ONTIME,2026-11-03,81.5,\n",
    )
    summary = sample_store.import_measurements(read_measurements_csv(path))
    assert summary.counts == {"measurements": 1, "replaced measurements": 2}
    after = measurements(sample_store, "ONTIME")
    assert after[date(2026, 10, 31)] == (80.2, "Recounted after the audit")
    assert after[date(2026, 11, 30)] == (81.5, "")
    assert len(after) == len(before) + 1
    assert {p: v for p, v in after.items() if p < date(2026, 10, 31)} == {
        p: v for p, v in before.items() if p < date(2026, 10, 31)
    }
    assert measurements(sample_store, "SAT")[date(2026, 9, 30)] == (77.5, "")


def test_importing_the_same_file_twice_replaces_everything_the_second_time(
    sample_store: Store, tmp_path: Path
) -> None:
    rows = read_measurements_csv(write(tmp_path, HEADER + "ONTIME,2026-11-03,81.5,a\nSAT,2026-12-01,79,b\n"))
    assert sample_store.import_measurements(rows).counts == {"measurements": 2, "replaced measurements": 0}
    assert sample_store.import_measurements(rows).counts == {"measurements": 0, "replaced measurements": 2}
    assert measurements(sample_store, "ONTIME")[date(2026, 11, 30)] == (81.5, "a")


def test_markup_in_a_note_is_stored_verbatim(sample_store: Store, tmp_path: Path) -> None:
    note = "[bold red]Escalated[/] to the [link=https://x.example]board[/link] <b>now</b> & 50 % \\[x]"
    quoted = note.replace('"', '""')
    path = write(tmp_path, HEADER + f'ONTIME,2026-11-03,81.5,"{quoted}"\n')
    sample_store.import_measurements(read_measurements_csv(path))
    assert measurements(sample_store, "ONTIME")[date(2026, 11, 30)] == (81.5, note)


def test_two_dates_in_one_monthly_period_are_refused_and_nothing_is_written(
    sample_store: Store, tmp_path: Path
) -> None:
    before = sample_store.export_portfolio()
    path = write(tmp_path, HEADER + "SAT,2026-11-01,79,\nONTIME,2026-11-03,81,\nONTIME,2026-11-17,82,\n")
    rows = read_measurements_csv(path)  # the reader sees two different dates
    with pytest.raises(PortfolioFileError) as caught:
        sample_store.import_measurements(rows)
    assert caught.value.location == "line 4"
    assert "2026-11-30" in caught.value.message
    assert "line 3" in caught.value.message
    assert sample_store.export_portfolio() == before


def test_two_dates_in_one_quarter_for_a_quarterly_kpi_are_refused(
    sample_store: Store, tmp_path: Path
) -> None:
    before = sample_store.export_portfolio()
    rows = read_measurements_csv(write(tmp_path, HEADER + "SAT,2026-10-01,79,\nSAT,2026-12-31,80,\n"))
    with pytest.raises(PortfolioFileError) as caught:
        sample_store.import_measurements(rows)
    assert caught.value.location == "line 3"
    assert "quarterly" in caught.value.message and "2026-12-31" in caught.value.message
    assert sample_store.export_portfolio() == before


def test_an_unknown_kpi_rejects_the_whole_file(sample_store: Store, tmp_path: Path) -> None:
    before = sample_store.export_portfolio()
    path = write(tmp_path, HEADER + "ONTIME,2026-11-03,81,\nNOPE,2026-11-03,1,\nSAT,2026-11-03,79,\n")
    with pytest.raises(PortfolioFileError) as caught:
        sample_store.import_measurements(read_measurements_csv(path))
    assert caught.value.location == "line 3"
    assert "NOPE" in caught.value.message
    assert sample_store.export_portfolio() == before
    assert date(2026, 11, 30) not in measurements(sample_store, "ONTIME")


def test_a_dry_run_reports_the_counts_and_writes_nothing(sample_store: Store, tmp_path: Path) -> None:
    before = sample_store.export_portfolio()
    path = write(
        tmp_path, HEADER + "ONTIME,2026-10-05,1,replaces\nONTIME,2026-11-03,2,new\nSAT,2026-11-03,3,new\n"
    )
    summary = sample_store.import_measurements(read_measurements_csv(path), dry_run=True)
    assert summary.counts == {"measurements": 2, "replaced measurements": 1}
    assert sample_store.export_portfolio() == before
    assert measurements(sample_store, "ONTIME")[date(2026, 10, 31)][0] == 76.9


def test_no_rows_record_nothing(sample_store: Store) -> None:
    before = sample_store.export_portfolio()
    assert sample_store.import_measurements([]).counts == {"measurements": 0, "replaced measurements": 0}
    assert sample_store.export_portfolio() == before


# --------------------------------------------------------------------------- pmo import FILE.csv


def test_cli_import_reports_new_and_replaced(runner: CliRunner, sample_db: Path, tmp_path: Path) -> None:
    path = write(
        tmp_path, HEADER + "ONTIME,2026-10-05,80.2,Recounted\nONTIME,2026-11-03,81.5,\nSAT,2026-11-03,79,\n"
    )
    result = run_import(runner, sample_db, path)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Recorded 3 measurements from {path}: 2 new, 1 replacing a value.\n"
    assert result.stderr == ""
    store = Store.open(sample_db)
    try:
        ontime = measurements(store, "ONTIME")
        assert ontime[date(2026, 10, 31)] == (80.2, "Recounted")
        assert ontime[date(2026, 11, 30)] == (81.5, "")
        assert measurements(store, "SAT")[date(2026, 12, 31)] == (79.0, "")
    finally:
        store.close()


def test_cli_import_of_one_row_says_measurement(runner: CliRunner, sample_db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbfKPI,Period,Value\r\nONTIME,2026-11-03,81.5\r\n", "October KPIs.CSV")
    result = run_import(runner, sample_db, path)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Recorded 1 measurement from {path}: 1 new, 0 replacing a value.\n"
    store = Store.open(sample_db)
    try:
        assert measurements(store, "ONTIME")[date(2026, 11, 30)] == (81.5, "")
    finally:
        store.close()


def test_cli_dry_run_reports_the_counts_and_leaves_the_database_unchanged(
    runner: CliRunner, sample_db: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, HEADER + "ONTIME,2026-10-05,80.2,Recounted\nONTIME,2026-11-03,81.5,\n")
    before = db_state(sample_db)
    result = run_import(runner, sample_db, path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Would record 2 measurements from {path}: 1 new, 1 replacing a value.\n"
    assert db_state(sample_db) == before
    store = Store.open(sample_db)
    try:
        assert measurements(store, "ONTIME")[date(2026, 10, 31)][0] == 76.9
        assert date(2026, 11, 30) not in measurements(store, "ONTIME")
    finally:
        store.close()


def test_cli_header_only_file_records_nothing(runner: CliRunner, sample_db: Path, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER)
    before = db_state(sample_db)
    result = run_import(runner, sample_db, path)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Recorded 0 measurements from {path}: 0 new, 0 replacing a value.\n"
    assert db_state(sample_db) == before


BAD_FILES = {
    "empty": (b"", ""),
    "missing-column": (b"kpi,period\nONTIME,2026-11-03\n", ":1"),
    "unknown-column": (b"kpi,period,value,comment\nONTIME,2026-11-03,1,x\n", ":1"),
    "duplicate-column": (b"kpi,period,value,Value\nONTIME,2026-11-03,1,2\n", ":1"),
    "wrong-field-count": (b"kpi,period,value\nONTIME,2026-10-03,1\nONTIME,2026-11-03,1,2\n", ":3"),
    "text-number": (b"kpi,period,value\nONTIME,2026-10-03,1\nONTIME,2026-11-03,high\n", ":3"),
    "nan": (b"kpi,period,value\nONTIME,2026-10-03,1\nONTIME,2026-11-03,nan\n", ":3"),
    "inf": (b"kpi,period,value\nONTIME,2026-10-03,1\nONTIME,2026-11-03,inf\n", ":3"),
    "1e999": (b"kpi,period,value\nONTIME,2026-10-03,1\nONTIME,2026-11-03,1e999\n", ":3"),
    "decimal-comma": (b'kpi,period,value\nONTIME,2026-10-03,1\nONTIME,2026-11-03,"1,5"\n', ":3"),
    "feb-30": (b"kpi,period,value\nONTIME,2026-10-03,1\nONTIME,2026-02-30,1\n", ":3"),
    "day-first": (b"kpi,period,value\nONTIME,2026-10-03,1\nONTIME,30/11/2026,1\n", ":3"),
    "empty-kpi": (b"kpi,period,value\nONTIME,2026-10-03,1\n,2026-11-03,1\n", ":3"),
    "long-note": (
        b"kpi,period,value,note\nONTIME,2026-10-03,1,\nONTIME,2026-11-03,1," + b"n" * 501 + b"\n",
        ":3",
    ),
    "latin-1": (b"kpi,period,value,note\nONTIME,2026-10-03,1,\nONTIME,2026-11-03,1,caf\xe9\n", ":3"),
    "same-date-twice": (b"kpi,period,value\nONTIME,2026-11-03,1\nONTIME,2026-11-03,2\n", ":3"),
    "same-period-twice": (b"kpi,period,value\nONTIME,2026-11-03,1\nONTIME,2026-11-28,2\n", "line 3"),
    "unknown-kpi": (b"kpi,period,value\nONTIME,2026-11-03,1\nNOPE,2026-11-03,2\n", "line 3"),
}


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry-run"])
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_cli_refuses_bad_input_with_one_line_and_leaves_the_database_unchanged(
    runner: CliRunner, sample_db: Path, tmp_path: Path, case: str, dry_run: bool
) -> None:
    content, where = BAD_FILES[case]
    path = write(tmp_path, content)
    before = db_state(sample_db)
    result = run_import(runner, sample_db, path, *(["--dry-run"] if dry_run else []))
    line = assert_one_line_error(result, str(path), where)
    assert "Would record" not in result.output and "Recorded" not in result.output
    if where.startswith(":"):
        assert f"{path}{where}" in line
    assert db_state(sample_db) == before


def test_cli_refuses_50_mb_of_random_bytes_and_leaves_the_database_unchanged(
    runner: CliRunner, sample_db: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, random.Random(20261120).randbytes(50 * 1024 * 1024), "junk.csv")
    before = db_state(sample_db)
    result = run_import(runner, sample_db, path)
    assert_one_line_error(result, str(path))
    assert db_state(sample_db) == before


def test_cli_imports_a_100000_row_file_completely(runner: CliRunner, sample_db: Path, tmp_path: Path) -> None:
    # Twenty weekly KPIs of 5,000 weeks each: dates stay within the years 1900–2199, and every
    # period has begun (no value is recorded for a week still to come).
    codes = [f"WK{n:02d}" for n in range(20)]
    store = Store.open(sample_db)
    store.import_portfolio_text(
        'format = "pmo-tui portfolio"\nversion = 1\n'
        + "".join(
            f'[[kpis]]\ncode = "{code}"\nname = "Weekly {code}"\ndirection = "higher"\ncadence = "weekly"\n'
            for code in codes
        )
    )
    store.close()
    first_sunday = date(1920, 1, 4)
    lines = [
        f"{code},{(first_sunday + timedelta(weeks=i)).isoformat()},{i % 40},row {i}"
        for code in codes
        for i in range(5_000)
    ]
    path = write(tmp_path, "kpi,period,value,note\r\n" + "\r\n".join(lines) + "\r\n")
    result = run_import(runner, sample_db, path)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Recorded 100000 measurements from {path}: 100000 new, 0 replacing a value.\n"
    store = Store.open(sample_db)
    try:
        for code in (codes[0], codes[-1]):
            stored = measurements(store, code)
            assert len(stored) == 5_000
            assert stored[first_sunday] == (0.0, "row 0")
            assert stored[first_sunday + timedelta(weeks=4_999)] == (4_999 % 40, "row 4999")
    finally:
        store.close()


# --------------------------------------------------------------------------- odd files, one-line errors


def test_a_stray_quote_is_refused_naming_its_line(runner: CliRunner, sample_db: Path, tmp_path: Path) -> None:
    path = write(
        tmp_path, b'kpi,period,value\nONTIME,2026-10-03,1\nONTIME,"2026-11-04"x,1\nSAT,2026-11-03,2\n'
    )
    before = db_state(sample_db)
    result = run_import(runner, sample_db, path)
    assert db_state(sample_db) == before
    assert_one_line_error(result, f"{path}:3")


@pytest.mark.parametrize(
    "row",
    ['ONTIME,2026-11-03,"12\nabc"', '"ONT\nIME",2026-11-03,12'],
    ids=["value", "kpi"],
)
def test_a_line_break_inside_a_bad_field_still_gives_a_one_line_error(
    runner: CliRunner, sample_db: Path, tmp_path: Path, row: str
) -> None:
    path = write(tmp_path, "kpi,period,value\n" + row + "\n")
    before = db_state(sample_db)
    result = run_import(runner, sample_db, path)
    assert db_state(sample_db) == before
    assert_one_line_error(result, str(path))


@pytest.mark.parametrize("row", ["ONTIME,9999-12-15,3", "RAID,9999-12-31,3"], ids=["monthly", "weekly"])
def test_a_date_at_the_end_of_the_calendar_is_refused_not_a_crash(
    runner: CliRunner, sample_db: Path, tmp_path: Path, row: str
) -> None:
    path = write(tmp_path, "kpi,period,value\nONTIME,2026-11-03,1\n" + row + "\n")
    before = db_state(sample_db)
    result = run_import(runner, sample_db, path)
    assert db_state(sample_db) == before
    assert_one_line_error(result, str(path), ":3:", "outside the years 1900–2199")
