"""What a user action costs on PostgreSQL, counted as the server sees it (its statement log): each
statement is a round trip to the server, and under load each one waits for a server process to
be given a core. A check-in is one transaction: BEGIN with the write lock, one read, its INSERTs
(the check-in, its change-log row), COMMIT; the KPI detail one read transaction; no ping before
any of them. A connection
the server ended between two actions is replaced unnoticed."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pg import major_version

from pmo_tui.store import Store

pytestmark = pytest.mark.postgresql

TODAY = date(2026, 11, 20)
# A statement as the server logs it: simple query ("statement: ...") or extended ("execute <name>: ...").
LOGGED = re.compile(r"LOG:\s+(?:statement|execute [^:]*): (.*)$")


@pytest.fixture
def logged_db(pg_server, _pg_sample_template: str) -> Iterator[str]:
    """The sample portfolio in a database of its own whose sessions log every statement."""
    name = pg_server.create_database(template=_pg_sample_template)
    with pg_server.admin() as connection:
        connection.execute(f"ALTER DATABASE \"{name}\" SET log_statement = 'all'")
    yield name
    pg_server.drop_database(name)


@pytest.fixture
def store(pg_server, logged_db: str) -> Iterator[Store]:
    opened = Store.open(pg_server.url(logged_db))
    yield opened
    opened.close()


def statements(pg_server, action) -> list[str]:
    """The first line of each statement the server received while `action` ran."""
    start = pg_server.log.stat().st_size
    action()
    with open(pg_server.log, "rb") as log:
        log.seek(start)
        lines = log.read().decode(errors="replace").splitlines()
    return [match.group(1).strip() for line in lines if (match := LOGGED.search(line))]


def _due_key_results(store: Store) -> list[str]:
    """Key results due a check-in that take any number (not milestones)."""
    return [
        item.key_result.code for item in store.check_in_queue(TODAY) if item.key_result.kind != "milestone"
    ]


def _last_check_in(store: Store, code: str) -> tuple:
    _, row = store.key_result_detail(code, TODAY)
    last = max(row.check_ins, key=lambda c: c.on)
    return last.on, last.value, last.confidence, last.comment


def test_a_check_in_is_one_read_and_its_writes(pg_server, store: Store) -> None:
    first, second = _due_key_results(store)[:2]
    store.record_check_in(first, TODAY, 1.0, 0.7, "warm-up", today=TODAY)  # the pool has its connection
    sent = statements(
        pg_server, lambda: store.record_check_in(second, TODAY, 2.0, 0.6, "on track", today=TODAY)
    )
    # The transaction begun and the write lock taken in one, not a ping, a BEGIN and a lock.
    assert sent[0].startswith("BEGIN; SELECT pg_advisory_xact_lock("), sent
    assert sent[-1] == "COMMIT", sent
    reads = [s for s in sent[1:-1] if s.startswith("SELECT")]
    assert len(reads) == 1, sent  # the key result, its cycle and that day's check-in together
    assert all(s.startswith(("SELECT", "INSERT")) for s in sent[1:-1]), sent
    assert not any(s in ("", ";") for s in sent), sent
    assert _last_check_in(store, second) == (TODAY, 2.0, 0.6, "on track")


def test_a_second_check_in_on_the_same_day_replaces_the_first_in_the_same_round_trips(
    pg_server, store: Store
) -> None:
    code = _due_key_results(store)[0]
    store.record_check_in(code, TODAY, 1.0, 0.7, "first", today=TODAY)
    sent = statements(pg_server, lambda: store.record_check_in(code, TODAY, 3.0, 0.5, "second", today=TODAY))
    assert sent[0].startswith("BEGIN; SELECT pg_advisory_xact_lock("), sent
    assert sent[-1] == "COMMIT", sent
    assert sum(s.startswith("SELECT") for s in sent[1:-1]) == 1, sent
    assert any(s.startswith("UPDATE check_in") for s in sent), sent
    _, row = store.key_result_detail(code, TODAY)
    assert [(c.value, c.confidence, c.comment) for c in row.check_ins if c.on == TODAY] == [
        (3.0, 0.5, "second")
    ]


def test_the_kpi_detail_is_one_read_transaction(pg_server, store: Store) -> None:
    code = store.kpi_summaries(TODAY)[0].code
    alone = store.kpi_detail(code, TODAY), store.goal_options()
    sent = statements(pg_server, lambda: store.kpi_detail_and_goals(code, TODAY))
    assert sum(s.startswith("BEGIN") for s in sent) == 1, sent
    assert sum(s == "COMMIT" for s in sent) == 1, sent
    assert not any(s in ("", ";") for s in sent), sent
    assert store.kpi_detail_and_goals(code, TODAY) == alone


def test_the_revision_is_read_in_one_statement(pg_server, store: Store) -> None:
    store.revision()
    sent = statements(pg_server, store.revision)
    assert sent == ["SELECT identity || ':' || n FROM revision"]


def test_a_connection_the_server_ended_between_two_actions_is_replaced_unnoticed(
    pg_server, logged_db: str, store: Store
) -> None:
    code = _due_key_results(store)[0]
    before = store.overview(TODAY)
    with pg_server.admin() as connection:
        ended = [
            pid
            for (pid,) in connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (logged_db,),
            ).fetchall()
        ]
        for pid in ended:
            connection.execute("SELECT pg_terminate_backend(%s)", (pid,))
    assert ended  # the store's pooled connection
    # Gone, and with them their sockets' ends (pg_terminate_backend only asks them to go).
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in ended):
        assert time.monotonic() < deadline, "the ended server processes are still there"
        time.sleep(0.01)
    assert store.overview(TODAY) == before
    store.record_check_in(code, TODAY, 4.0, 0.8, "after the cut", today=TODAY)
    assert _last_check_in(store, code) == (TODAY, 4.0, 0.8, "after the cut")


def test_a_server_restarted_between_two_actions_goes_unnoticed(pg_server, store: Store) -> None:
    code = _due_key_results(store)[0]
    before = store.overview(TODAY)
    pg_server.halt()
    pg_server.resume()
    assert store.overview(TODAY) == before
    store.record_check_in(code, TODAY, 5.0, 0.9, "after the restart", today=TODAY)
    assert _last_check_in(store, code) == (TODAY, 5.0, 0.9, "after the restart")


def test_the_server_is_the_postgresql_asked_for(pg_server) -> None:
    """PostgreSQL 14 or newer: the wheel's 18, or the one $PMO_PG_BIN names (bench/pg.py), so
    that a run on an older version really ran on it."""
    with pg_server.admin() as connection:
        row = connection.execute("SHOW server_version_num").fetchone()
    assert row is not None
    assert int(row[0]) >= 140000
    assert int(row[0]) // 10000 == major_version()
