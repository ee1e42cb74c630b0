"""The quick ways of the measurement import agree with the general ones they stand in for: the
one-go file read with the line-by-line one, and the store's plain-SQL upsert with a plain
reckoning of what it must add and replace; and the period cells' date parser with a plain
reading of YYYY-MM-DD."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_tui import calculations as calc
from pmo_tui.measurements_csv import MeasurementRow, _lines, text_lines
from pmo_tui.portfolio_file import PortfolioFileError
from pmo_tui.store import Store
from pmo_tui.validation import FIRST_YEAR, LAST_YEAR, InvalidInput, parse_date


def outcome(parse, text: str):
    try:
        return ("value", parse(text))
    except InvalidInput as error:
        return ("refused", error.field, error.message)


date_like = st.one_of(
    # Well formed, in and out of the years the app takes, and days that do not exist.
    st.builds(
        lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
        st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
    ),
    st.dates().map(date.isoformat),
    # Near misses: other ISO forms, padding, signs, non-ASCII digits, stray characters.
    st.sampled_from(
        [
            "20261031",
            "2026-W44-1",
            "2026-W44",
            "2026-10-31T00:00",
            " 2026-10-31",
            "2026-10-31 ",
            "2026-1-31",
            "+026-10-31",
            "２０２６-10-31",
            "٢٠٢٦-10-31",
            "2026/10/31",
            "",
            "  ",
            "1899-12-31",
            "1900-01-01",
            "2199-12-31",
            "2200-01-01",
            "0000-01-01",
            "2026-02-29",
            "2024-02-29",
            "2026-10-31\n",
            "2026-10-3l",
        ]
    ),
    st.text(alphabet="0123456789-+ W/T:\n\t٢２", max_size=14),
    st.text(max_size=12),
)


def plain_reading(text: str) -> date | None:
    """YYYY-MM-DD in ASCII digits, around it only spaces, a real day in the years the app takes."""
    cleaned = text.strip()
    digits = cleaned[:4] + cleaned[5:7] + cleaned[8:]
    if (
        len(cleaned) != 10
        or cleaned[4] != "-"
        or cleaned[7] != "-"
        or not (digits.isascii() and digits.isdigit())
    ):
        return None
    try:
        day = date(int(cleaned[:4]), int(cleaned[5:7]), int(cleaned[8:]))
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


@settings(max_examples=2000, deadline=None)
@given(date_like)
def test_a_period_cell_is_read_as_plain_yyyy_mm_dd_or_refused(text: str) -> None:
    expected = plain_reading(text)
    got = outcome(lambda t: parse_date(t, "period"), text)
    if expected is None:
        assert got[0] == "refused" and got[1] == "period"
    else:
        assert got == ("value", expected)


def read_lines(reader) -> list[str] | tuple[str, str]:
    try:
        return list(reader)
    except PortfolioFileError as error:
        return (error.location, error.message)


line_bytes = st.one_of(
    st.binary(max_size=60),
    st.text(max_size=30).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from(
        [
            b"kpi,period,value,note",
            b"\r\n",
            b"\r",
            b"\n",
            b"\xef\xbb\xbf",
            b'"a\nb"',
            b"\xe2\x80\xa8",
            b"\xc2\x85",
            b"\x0b\x0c",
            b"\xff",
            b"\xc3",
            "Zürich".encode("latin-1"),
        ]
    ),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(line_bytes, max_size=8).map(b"".join), st.booleans())
def test_reading_the_file_in_one_go_gives_the_lines_of_the_line_by_line_read(data: bytes, bom: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "values.csv"
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        assert read_lines(text_lines(path)) == read_lines(_lines(path))


# --------------------------------------------------------------------------- the store

# KPIs of the sample portfolio, one of each cadence it has.
KPIS = ("ONTIME", "SAT", "RAID")


def stored(db: Path) -> dict[tuple[str, str], tuple[float, str]]:
    with closing(sqlite3.connect(db)) as connection:
        return {
            (code, period): (value, note)
            for code, period, value, note in connection.execute(
                "SELECT k.code, m.period, m.value, m.note FROM measurement m JOIN kpi k ON k.id = m.kpi_id"
            )
        }


def cadences(db: Path) -> dict[str, str]:
    with closing(sqlite3.connect(db)) as connection:
        return dict(connection.execute("SELECT code, cadence FROM kpi"))


# The last day the rows may fall on, and the today of their import: every period has begun.
LAST_DAY = date(2027, 3, 31)

rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(KPIS),
        st.dates(date(2025, 1, 1), LAST_DAY),
        st.floats(-1e6, 1e6, allow_nan=False),
        st.sampled_from(["", "a note", "<b>[red]x"]),
    ),
    max_size=40,
    unique_by=lambda row: (row[0], row[1]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows_strategy, st.booleans(), st.booleans())
def test_an_import_adds_and_replaces_exactly_what_a_plain_reckoning_says(
    sample_db: Path, rows: list, with_notes: bool, dry_run: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "portfolio.db"
        shutil.copy(sample_db, db)
        before, cadence = stored(db), cadences(db)
        records = [
            MeasurementRow(line, kpi, day, value, note if with_notes else None)
            for line, (kpi, day, value, note) in enumerate(rows, start=2)
        ]
        # The plain reckoning: each row's period end; the first clash of two rows is refused.
        expected = dict(before)
        added = replaced = 0
        clash = None
        first_line: dict[tuple[str, str], int] = {}
        for record in records:
            key = (record.kpi, calc.period_end(record.period, cadence[record.kpi]).isoformat())
            if key in first_line:
                clash = (
                    f"line {record.line}",
                    f"{record.kpi}'s {cadence[record.kpi]} period ending "
                    f"{key[1]} already has a value on line {first_line[key]}",
                )
                break
            first_line[key] = record.line
            if key in before:
                replaced += 1
                note = record.note if record.note is not None else before[key][1]
            else:
                added += 1
                note = record.note or ""
            expected[key] = (record.value, note)

        store = Store.open(db)
        try:
            if clash:
                with pytest.raises(PortfolioFileError) as caught:
                    store.import_measurements(records, dry_run=dry_run, today=LAST_DAY)
                assert (caught.value.location, caught.value.message) == clash
            else:
                summary = store.import_measurements(records, dry_run=dry_run, today=LAST_DAY)
                assert summary.counts == {"measurements": added, "replaced measurements": replaced}
        finally:
            store.close()
        assert stored(db) == (before if clash or dry_run else expected)


def test_an_unknown_kpi_after_many_good_rows_is_refused_and_nothing_is_written(
    sample_store: Store, sample_db: Path
) -> None:
    before = stored(sample_db)
    records = [
        MeasurementRow(n + 2, "RAID", date(1950, 1, 1) + calc.timedelta(weeks=n), float(n), "")
        for n in range(3000)
    ]
    records.append(MeasurementRow(3002, "NOPE", date(2026, 1, 1), 1.0, ""))
    with pytest.raises(PortfolioFileError) as caught:
        sample_store.import_measurements(records)
    assert (caught.value.location, caught.value.message) == ("line 3002", "no KPI with code “NOPE”")
    assert stored(sample_db) == before
