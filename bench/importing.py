"""The measurement CSV import against plain sqlite3, in a process of its own.

    python -m bench.importing APP_DB RAW_DB CSV
    python -m bench.importing --postgresql APP_URL RAW_CONNINFO CSV   (against COPY)

APP_DB and RAW_DB are two copies of the same database; CSV is written by `write_csv`. Prints one
JSON object: the app's import (`read_measurements_csv` then `Store.import_measurements`, as
`pmo import FILE.csv` does) timed on APP_DB, and the same rows put into the same `measurement`
table of RAW_DB by one sqlite3 `executemany` in one transaction (the rows made ready beforehand:
KPI ids looked up, each date taken to the end of its KPI's period). Both files must end with the
same measurements.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
import time
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path


def _period_start(end: date, cadence: str) -> date:
    """The first day of the period that ends on `end`."""
    if cadence == "weekly":
        return end - timedelta(days=6)
    if cadence == "fortnightly":
        return end - timedelta(days=13)
    if cadence == "monthly":
        return end.replace(day=1)
    if cadence == "quarterly":
        return date(end.year, end.month - 2, 1)
    return date(end.year, 1, 1)


# Rough days per period, to give each KPI a share of the rows that reaches about as far back.
PERIOD_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 30, "quarterly": 91, "yearly": 365}


def _room(first: date, cadence: str) -> int:
    """How many whole periods of a cadence fit between the first year the app takes and `first`."""
    try:
        from pmo_tui.validation import FIRST_YEAR
    except ImportError:
        FIRST_YEAR = 1900
    months = (first.year - FIRST_YEAR) * 12 + first.month - 1
    days = (first - date(FIRST_YEAR, 1, 1)).days
    room = {
        "weekly": days // 7,
        "fortnightly": days // 14,
        "monthly": months,
        "quarterly": months // 3,
        "yearly": first.year - FIRST_YEAR,
    }[cadence]
    return max(0, room - 2)


def write_csv(db: Path, path: Path, rows: int, seed: int = 7) -> int:
    """A CSV of up to `rows` new measurements: each KPI's history extended into the past, before
    its earliest period (a back-fill from an older tool). Faster cadences get more rows, so every
    KPI reaches about as far back; none goes before the first year the app takes, so a portfolio
    of few KPIs (the sample) may get fewer rows: the number written is returned. Dates are
    mid-period, so the import takes each to its period's end."""
    import random

    from pmo_tui import calculations as calc

    rng = random.Random(seed)
    with closing(sqlite3.connect(db)) as connection:
        kpis = connection.execute(
            "SELECT k.code, k.cadence, min(m.period), avg(m.value) FROM kpi k "
            "LEFT JOIN measurement m ON m.kpi_id = k.id GROUP BY k.id ORDER BY k.id"
        ).fetchall()
    if not kpis:
        raise ValueError(f"{db} has no KPIs to import measurements for")
    firsts = [date.fromisoformat(earliest) if earliest else date(2026, 11, 1) for _, _, earliest, _ in kpis]
    rooms = [
        _room(calc.period_end(first, cadence), cadence)
        for first, (_, cadence, _, _) in zip(firsts, kpis, strict=True)
    ]
    weights = [1 / PERIOD_DAYS[cadence] for _, cadence, _, _ in kpis]
    counts = [0] * len(kpis)
    wanted = min(rows, sum(rooms))
    while sum(counts) < wanted:
        # Share what is left by weight among the KPIs that have room left.
        open_ = [i for i in range(len(kpis)) if counts[i] < rooms[i]]
        left = wanted - sum(counts)
        total = sum(weights[i] for i in open_)
        for i in open_:
            counts[i] = min(rooms[i], counts[i] + max(1, int(left * weights[i] / total)))
            if sum(counts) >= wanted:
                break
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["kpi", "period", "value", "note"])
        for (code, cadence, _, mean), first, count in zip(kpis, firsts, counts, strict=True):
            end = calc.period_end(first, cadence)
            level = mean if mean is not None else 50.0
            for _ in range(count):
                # The period before, given by a day inside it (the import finds its end).
                end = _period_start(end, cadence) - timedelta(days=1)
                inside = max(_period_start(end, cadence), end - timedelta(days=2))
                value = round(level * rng.uniform(0.8, 1.2), 2)
                out.writerow([code, inside.isoformat(), value, "back-filled" if rng.random() < 0.1 else ""])
    return sum(counts)


def _count(db: Path) -> int:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute("SELECT count(*) FROM measurement").fetchone()[0]


def measure(app_db: Path, raw_db: Path, csv_path: Path) -> dict:
    from pmo_tui import calculations as calc
    from pmo_tui.measurements_csv import read_measurements_csv
    from pmo_tui.store import Store

    before = _count(app_db)
    store = Store.open(app_db)
    try:
        started = time.perf_counter()
        rows = read_measurements_csv(csv_path)
        parsed = time.perf_counter()
        summary = store.import_measurements(rows)
        stored = time.perf_counter()
    finally:
        store.close()
    added = summary.counts.get("measurements", 0) if hasattr(summary, "counts") else None

    # The plain way: the same rows, ready-made, in one executemany.
    connection = sqlite3.connect(raw_db, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA synchronous = NORMAL")
        # The plain table, without pmo-tui's revision triggers (its own bookkeeping, which the
        # app's import also sets aside for the statement): they would slow this side down.
        for (trigger,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'measurement'"
        ).fetchall():
            connection.execute(f'DROP TRIGGER "{trigger}"')
        kpis = {
            code: (kpi_id, cadence)
            for kpi_id, code, cadence in connection.execute("SELECT id, code, cadence FROM kpi")
        }
        params = []
        for row in rows:
            kpi_id, cadence = kpis[row.kpi]
            params.append(
                (kpi_id, calc.period_end(row.period, cadence).isoformat(), row.value, row.note or "")
            )
        raw_started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(
            "INSERT INTO measurement (kpi_id, period, value, note) VALUES (?, ?, ?, ?)", params
        )
        connection.execute("COMMIT")
        raw = time.perf_counter() - raw_started
    finally:
        connection.close()
    after_app, after_raw = _count(app_db), _count(raw_db)
    if after_app != after_raw or after_app != before + len(rows):
        raise RuntimeError(
            f"the imports differ: {before} before, app {after_app}, sqlite3 {after_raw}, {len(rows)} rows"
        )
    app_seconds = stored - started
    return {
        "rows": len(rows),
        "added": added,
        "parse_s": round(parsed - started, 3),
        "store_s": round(stored - parsed, 3),
        "app_s": round(app_seconds, 3),
        "sqlite3_s": round(raw, 3),
        "rows_per_s": round(len(rows) / app_seconds, 1),
        "sqlite3_rows_per_s": round(len(rows) / raw, 1),
        "ratio": round(app_seconds / raw, 2),
        "store_only_ratio": round((stored - parsed) / raw, 2),
    }


def _pg_count(conninfo: str) -> int:
    import psycopg

    with psycopg.connect(conninfo) as connection:
        row = connection.execute("SELECT count(*) FROM measurement").fetchone()
        assert row is not None
        return row[0]


def measure_postgresql(app_url: str, raw_conninfo: str, csv_path: Path) -> dict:
    """On PostgreSQL: the app's import into the database at APP_URL, against PostgreSQL's own
    COPY of the same rows (made ready beforehand, as for sqlite3) into the same table of a copy
    of it (RAW_CONNINFO, a libpq connection string), its revision trigger dropped."""
    import psycopg
    from sqlalchemy.engine import make_url

    from pmo_tui import calculations as calc
    from pmo_tui.measurements_csv import read_measurements_csv
    from pmo_tui.store import Store

    url = make_url(app_url)
    app_conninfo = psycopg.conninfo.make_conninfo(
        host=url.host, port=url.port, dbname=url.database, user=url.username, password=url.password
    )
    before = _pg_count(app_conninfo)
    store = Store.open(app_url)
    try:
        started = time.perf_counter()
        rows = read_measurements_csv(csv_path)
        parsed = time.perf_counter()
        store.import_measurements(rows)
        stored = time.perf_counter()
    finally:
        store.close()

    with psycopg.connect(raw_conninfo) as connection:
        connection.execute("DROP TRIGGER IF EXISTS revision_measurement ON measurement")
        connection.commit()
        kpis = {
            code: (kpi_id, cadence)
            for kpi_id, code, cadence in connection.execute("SELECT id, code, cadence FROM kpi").fetchall()
        }
        params = []
        for row in rows:
            kpi_id, cadence = kpis[row.kpi]
            params.append((kpi_id, calc.period_end(row.period, cadence), row.value, row.note or ""))
        raw_started = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.copy("COPY measurement (kpi_id, period, value, note) FROM STDIN") as copy,
        ):
            for values in params:
                copy.write_row(values)
        connection.commit()
        raw = time.perf_counter() - raw_started
    after_app, after_raw = _pg_count(app_conninfo), _pg_count(raw_conninfo)
    if after_app != after_raw or after_app != before + len(rows):
        raise RuntimeError(
            f"the imports differ: {before} before, app {after_app}, COPY {after_raw}, {len(rows)} rows"
        )
    app_seconds = stored - started
    return {
        "rows": len(rows),
        "parse_s": round(parsed - started, 3),
        "store_s": round(stored - parsed, 3),
        "app_s": round(app_seconds, 3),
        "copy_s": round(raw, 3),
        "rows_per_s": round(len(rows) / app_seconds, 1),
        "copy_rows_per_s": round(len(rows) / raw, 1),
        "ratio": round(app_seconds / raw, 2),
        "store_only_ratio": round((stored - parsed) / raw, 2),
    }


if __name__ == "__main__":
    if sys.argv[1] == "--postgresql":
        print(json.dumps(measure_postgresql(sys.argv[2], sys.argv[3], Path(sys.argv[4]))))
    else:
        print(json.dumps(measure(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))))
