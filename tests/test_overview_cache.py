"""The overview cache: a start shows the overview kept by the session before, only when the
database, the day and the code are exactly those it was read for; anything else reads afresh."""

from __future__ import annotations

import os
import pickle
import sqlite3
import stat
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from helpers import TODAY, make_app, screen_text, settle, undo_schema_6

from pmo_tui import overview_cache
from pmo_tui.portfolio_file import PortfolioFileError
from pmo_tui.screens.portfolio import PortfolioScreen, read_overview
from pmo_tui.store import PORTFOLIO_TABLES, NotFound, Store

SIZE = (120, 40)
ROOT = Path(__file__).resolve().parents[1]


async def run_session(store: Store, *, today=TODAY) -> str:
    """Open the app, let it read (and keep) the overview, and quit: what the screen showed."""
    app = make_app(store, today=today)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen) and app.screen.overview is not None
        return screen_text(app)


def sql(path: Path, statement: str) -> None:
    """A change made by another program: the sqlite3 shell, say."""
    with sqlite3.connect(path) as connection:
        connection.execute(statement)
    connection.close()


# --------------------------------------------------------------------------- the revision


# A row for the tables the sample may have none in (added behind the store's back too).
NOT_IN_THE_SAMPLE = {
    "review": "INSERT INTO review (\"on\", \"by\") VALUES ('2026-11-13', 'Priya Raman')",
    "raid_item": "INSERT INTO raid_item (project_id, code, kind, title, owner, status, raised, note, "
    "decided_by, rationale, version) SELECT min(id), 'T1', 'risk', 'A test risk', '', 'open', "
    "'2026-11-01', '', '', '', 1 FROM project",
}


@pytest.mark.parametrize("table", PORTFOLIO_TABLES)
def test_every_change_to_a_portfolio_table_moves_the_revision_whoever_makes_it(sample_store, table):
    path = sample_store.path
    with sqlite3.connect(path) as connection:
        columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
        if table in NOT_IN_THE_SAMPLE:
            connection.execute(NOT_IN_THE_SAMPLE[table])
        row_id = connection.execute(f'SELECT max(id) FROM "{table}"').fetchone()[0]
    connection.close()
    assert row_id is not None, f"the sample has rows in {table}"
    before = sample_store.revision()
    # An update that changes nothing still counts: SQLite cannot tell, and neither need we.
    sql(path, f'UPDATE "{table}" SET "{columns[1]}" = "{columns[1]}" WHERE id = {row_id}')
    updated = sample_store.revision()
    assert updated not in (before, None)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA foreign_keys = OFF")  # a row whose children stay behind
        connection.execute(f'DELETE FROM "{table}" WHERE id = {row_id}')
    connection.close()
    assert sample_store.revision() not in (before, updated, None)


def test_a_write_that_is_rolled_back_leaves_the_revision_alone(sample_store):
    before = sample_store.revision()
    with pytest.raises(NotFound):
        sample_store.add_measurement("NO-SUCH-KPI", TODAY, 1.0)
    assert sample_store.revision() == before
    sample_store.add_measurement("ONTIME", TODAY, 81.0)
    assert sample_store.revision() != before


def _triggers(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        found = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        ).fetchall()
    connection.close()
    return found


@pytest.mark.parametrize("outcome", ["saved", "dry run", "refused"])
def test_a_measurement_import_moves_the_revision_once_and_keeps_its_triggers(sample_store, outcome):
    # The import sets the measurement triggers aside for its one statement (a statement journal
    # per row otherwise) and moves the revision itself: all of it in its transaction.
    from pmo_tui.measurements_csv import MeasurementRow

    path = sample_store.path
    triggers, before = _triggers(path), sample_store.revision()
    assert len(triggers) == 3 * len(PORTFOLIO_TABLES)
    rows = [
        MeasurementRow(line=2, kpi="ONTIME", period=TODAY, value=81.0, note=None),
        MeasurementRow(line=3, kpi="BUDGET", period=TODAY, value=70.0, note="late"),
    ]
    if outcome == "refused":
        rows.append(MeasurementRow(line=4, kpi="NO-SUCH-KPI", period=TODAY, value=1.0, note=None))
        with pytest.raises(PortfolioFileError, match="NO-SUCH-KPI"):
            sample_store.import_measurements(rows)
    else:
        sample_store.import_measurements(rows, dry_run=outcome == "dry run")
    assert _triggers(path) == triggers
    if outcome == "saved":
        assert sample_store.revision() != before
        # And the triggers work again after it.
        moved = sample_store.revision()
        sample_store.add_measurement("ONTIME", TODAY, 82.0, replace=True)
        assert sample_store.revision() != moved
    else:
        assert sample_store.revision() == before


async def test_a_file_restored_from_a_backup_and_changed_otherwise_is_read_afresh(sample_store, tmp_path):
    # A count of changes would come back to the value the first edit gave, and the cache
    # would show that edit: the revision is a random value, not a count.
    backup = tmp_path / "backup.db"
    with sqlite3.connect(sample_store.path) as source, sqlite3.connect(backup) as target:
        source.backup(target)
    source.close()
    target.close()
    sql(sample_store.path, "UPDATE project SET name = 'First edit' WHERE code = 'PRJ-101'")
    assert "First edit" in await run_session(sample_store)
    with sqlite3.connect(backup) as source, sqlite3.connect(sample_store.path) as target:
        source.backup(target)
    source.close()
    target.close()
    sql(sample_store.path, "UPDATE project SET name = 'Other edit' WHERE code = 'PRJ-101'")
    shown = await run_session(sample_store)
    assert "Other edit" in shown and "First edit" not in shown


async def test_refresh_reads_the_database_itself(sample_store):
    # Whatever the cache holds (here a planted overview under the file's own revision), r
    # shows what the database holds.
    await run_session(sample_store)
    revision = sample_store.revision()
    planted = sample_store.overview(TODAY)
    sql(sample_store.path, "UPDATE project SET name = 'Renamed' WHERE code = 'PRJ-101'")
    overview_cache.save(sample_store.path, sample_store.revision(), TODAY, planted)
    assert sample_store.revision() != revision
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Renamed" not in screen_text(app), "the planted overview is shown"
        await pilot.press("r")
        await settle(pilot)
        assert "Renamed" in screen_text(app)


def test_a_revision_that_cannot_be_read_reads_the_overview(sample_store, monkeypatch):
    overview_cache.save(sample_store.path, sample_store.revision(), TODAY, sample_store.overview(TODAY))

    def locked():
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(sample_store, "_probing", locked)
    assert sample_store.revision() is None
    read = read_overview(sample_store, TODAY)
    assert not read.cached and read.overview == sample_store.overview(TODAY)


def test_an_older_file_is_upgraded_with_the_revision(tmp_path, sample_db):
    # The upgrade from schema 1 (tests/data) is checked in test_reliability_faults; this one
    # goes from a file as schema 2 left it: no revision table, no triggers.
    path = tmp_path / "old.db"
    with sqlite3.connect(sample_db) as source, sqlite3.connect(path) as target:
        (old_identity,) = source.execute("SELECT identity FROM revision").fetchone()
        source.backup(target)
        for (name,) in target.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            target.execute(f'DROP TRIGGER "{name}"')
        target.execute("DROP TABLE revision")
        undo_schema_6(target)
        target.execute("ALTER TABLE key_result DROP COLUMN created")  # added by schema 5
        target.execute("PRAGMA user_version = 2")
    source.close()
    target.close()
    store = Store.open(path)
    try:
        identity, _, counter = store.revision().rpartition(":")
        assert counter == "0"
        assert identity and identity != old_identity, "the upgraded file gets a fresh identity"
        store.add_measurement("ONTIME", TODAY, 80.0)
        changed = store.revision()
        assert changed is not None
        assert changed.rpartition(":")[0] == identity
        assert changed.rpartition(":")[2] != "0"
    finally:
        store.close()
    assert path.with_name("old.db.schema-2.bak").exists()


# --------------------------------------------------------------------------- the cache


async def test_the_next_start_shows_the_kept_overview_without_reading_it(sample_store, monkeypatch):
    first = await run_session(sample_store)
    kept = overview_cache.load(sample_store.path, sample_store.revision(), TODAY)
    assert kept == sample_store.overview(TODAY)

    def not_read(*_args, **_kwargs):
        raise AssertionError("a warm start reads no overview")

    monkeypatch.setattr(Store, "revised_overview", not_read)
    assert await run_session(sample_store) == first


async def test_a_change_by_another_program_is_shown_at_the_next_start(sample_store):
    await run_session(sample_store)
    sql(sample_store.path, "UPDATE project SET name = 'New [b]name[/b]' WHERE code = 'PRJ-101'")
    assert overview_cache.load(sample_store.path, sample_store.revision(), TODAY) is None
    shown = await run_session(sample_store)
    assert "New [b]name[/b]" in shown
    # And that read is kept in turn.
    kept = overview_cache.load(sample_store.path, sample_store.revision(), TODAY)
    assert kept == sample_store.overview(TODAY)


async def test_another_day_reads_afresh(sample_store):
    await run_session(sample_store)
    tomorrow = TODAY + timedelta(days=1)
    assert overview_cache.load(sample_store.path, sample_store.revision(), tomorrow) is None
    read = read_overview(sample_store, tomorrow)
    assert not read.cached and read.overview == sample_store.overview(tomorrow)


def test_another_database_does_not_share_the_cache(sample_store, tmp_path):
    other = tmp_path / "copy.db"
    with sqlite3.connect(sample_store.path) as source, sqlite3.connect(other) as target:
        source.backup(target)
    source.close()
    target.close()
    overview_cache.save(sample_store.path, sample_store.revision(), TODAY, sample_store.overview(TODAY))
    assert overview_cache.cache_file(other) != overview_cache.cache_file(sample_store.path)
    assert overview_cache.load(other, sample_store.revision(), TODAY) is None


def test_other_code_reads_afresh(sample_store, monkeypatch):
    revision = sample_store.revision()
    overview_cache.save(sample_store.path, revision, TODAY, sample_store.overview(TODAY))
    assert overview_cache.load(sample_store.path, revision, TODAY) is not None
    monkeypatch.setattr(overview_cache, "_code_key", lambda: "another version of pmo-tui")
    assert overview_cache.load(sample_store.path, revision, TODAY) is None


@pytest.mark.parametrize("damage", ["empty", "cut short", "garbage", "other classes"])
async def test_a_damaged_cache_is_read_past_and_replaced(sample_store, damage, tmp_path):
    revision = sample_store.revision()
    overview = sample_store.overview(TODAY)
    overview_cache.save(sample_store.path, revision, TODAY, overview)
    path = overview_cache.cache_file(sample_store.path)
    data = path.read_bytes()
    marker = tmp_path / "ran"
    if damage == "empty":
        path.write_bytes(b"")
    elif damage == "cut short":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(os.urandom(4096))
    else:
        # The right key, then a pickle that would run a command if it were trusted.
        key = overview_cache._key(sample_store.path, revision, TODAY)

        class Payload:
            def __reduce__(self):
                return (os.system, (f"touch {marker}",))

        path.write_bytes(pickle.dumps(key) + pickle.dumps(Payload()))
    assert overview_cache.load(sample_store.path, revision, TODAY) is None
    assert not marker.exists(), "nothing named by the file is run"
    shown = await run_session(sample_store)
    assert "PRJ-101" in shown
    assert overview_cache.load(sample_store.path, revision, TODAY) == overview


def test_the_cache_is_private_and_a_folder_that_cannot_be_written_is_only_slower(
    sample_store, tmp_path, monkeypatch
):
    overview = sample_store.overview(TODAY)
    overview_cache.save(sample_store.path, sample_store.revision(), TODAY, overview)
    path = overview_cache.cache_file(sample_store.path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == [path.name], "nothing left beside it"
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("PMO_CACHE_DIR", str(blocked))
    overview_cache.save(sample_store.path, sample_store.revision(), TODAY, overview)  # no error
    assert overview_cache.load(sample_store.path, sample_store.revision(), TODAY) is None


def test_a_warm_start_paints_the_overview_kept_in_the_cache_first(sample_db, tmp_path):
    """A start after an earlier one paints the overview kept in the cache in its first frame of
    the overview, before any query; the first start reads the database and keeps it."""
    cache = tmp_path / "cache"
    script = f"""
import asyncio, sys
from datetime import date
from pmo_tui import overview_cache
from pmo_tui.store import Store
from pmo_tui.app import make_app

async def session(warm):
    app = make_app(Store.open({str(sample_db)!r}), today=date(2026, 11, 20), offer_sample=False)
    display = app._display
    painted, wide = [], []

    def watched(screen, renderable):  # every frame handed to the terminal
        display(screen, renderable)
        if not painted and getattr(screen, "overview", None) is not None:
            painted.append(screen.shown_from_cache)
            # How many KPI tiles a row: 4 at 120 columns (app.tcss, .-wide #kpi-grid).
            wide.append(len({{tile.region.x for tile in screen.query("KpiTile") if tile.region}}))

    app._display = watched
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(200):  # until the overview is painted and kept for the next start
            await pilot.pause(0.05)
            if painted and overview_cache.load(
                    app.store.location, app.store.revision(), app.today) is not None:
                break
    print("from the cache at the first frame of the overview:", painted[0])
    print("KPI tiles a row in that frame:", wide[0])
    print("kept for the next start:", overview_cache.load(
        app.store.location, app.store.revision(), app.today) is not None)

asyncio.run(session(warm=len(sys.argv) > 1))
"""
    env = {**os.environ, "PMO_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    cold = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert cold.returncode == 0, cold.stderr[-2000:]
    assert cold.stdout.split("\n")[:3] == [
        "from the cache at the first frame of the overview: False",
        "KPI tiles a row in that frame: 4",
        "kept for the next start: True",
    ], cold.stdout
    warm = subprocess.run(
        [sys.executable, "-c", script, "warm"], env=env, capture_output=True, text=True, timeout=120
    )
    assert warm.returncode == 0, warm.stderr[-2000:]
    assert warm.stdout.split("\n")[:3] == [
        "from the cache at the first frame of the overview: True",
        "KPI tiles a row in that frame: 4",
        "kept for the next start: True",
    ], warm.stdout
