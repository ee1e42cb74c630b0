"""Freshness on PostgreSQL by LISTEN/NOTIFY, on a real server (tests/pg.py): another session's
commit is seen promptly, and without a commit nothing is read again (not even the revision)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import pytest

from pmo_tui.store import Store
from pmo_tui.store.dialect import PostgreSQL

pytestmark = pytest.mark.postgresql

SEEN_WITHIN = 2.0


@pytest.fixture
def sample_pg_db(pg_server, _pg_sample_template: str) -> Iterator[str]:
    name = pg_server.create_database(template=_pg_sample_template)
    yield pg_server.url(name)
    pg_server.drop_database(name)


@pytest.fixture
def two_stores(sample_pg_db: str) -> Iterator[tuple[Store, Store]]:
    """Two sessions on one database: the one that watches, and another that writes."""
    watching, writing = Store.open(sample_pg_db), Store.open(sample_pg_db)
    yield watching, writing
    watching.close()
    writing.close()


def _a_kpi(store: Store) -> str:
    return store.kpi_summaries(date(2026, 11, 20))[0].code


def _revision_reads(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the store's reads of the revision from now on."""
    reads: list[int] = []
    read = store.revision

    def counted() -> str | None:
        reads.append(1)
        return read()

    monkeypatch.setattr(store, "revision", counted)
    return reads


def _listening(store: Store) -> int:
    """The store's data_version once it listens: not at the first call (the start-up's overview
    read does not wait for a second connection), from the second on."""
    store.data_version()
    assert store._listener is None, "the first data_version opens no second connection"
    version = store.data_version()
    assert store._listener is not None, "the store listens for the revision's notifications"
    return version


def test_another_sessions_commit_is_heard_within_two_seconds(two_stores, monkeypatch) -> None:
    watching, writing = two_stores
    before = _listening(watching)
    reads = _revision_reads(watching, monkeypatch)
    code = _a_kpi(writing)

    committed = time.monotonic()
    writing.mark_kpi_reviewed(code, date(2026, 11, 20))
    while watching.data_version() == before:
        assert time.monotonic() - committed < SEEN_WITHIN, "another session's commit was not seen"
        time.sleep(0.01)
    # Heard, then the revision read once to confirm it moved.
    assert len(reads) == 1
    changed = watching.data_version()
    assert changed != before
    assert watching.data_version() == changed  # nothing more: no further re-read


def test_no_commit_means_no_read(two_stores, monkeypatch) -> None:
    watching, writing = two_stores
    version = watching.data_version()
    watching.data_version()  # the first call after listening reads the revision once
    reads = _revision_reads(watching, monkeypatch)
    _a_kpi(writing)  # another session only reads: nothing is committed, nothing notified
    for _ in range(20):
        assert watching.data_version() == version
        time.sleep(0.01)
    assert reads == [], "without a commit the revision is not read (no polling)"


def test_its_own_commit_is_seen_at_once(two_stores) -> None:
    watching, _ = two_stores
    before = watching.data_version()
    watching.data_version()
    watching.mark_kpi_reviewed(_a_kpi(watching), date(2026, 11, 20))
    assert watching.data_version() != before  # not waiting for its own notification


def test_its_own_commit_is_counted_without_asking_the_server_and_its_notification_passed_over(
    two_stores, monkeypatch
) -> None:
    """A screen shown again after a save asks from the UI thread: no round trip for that. The
    store's own notification, when it arrives, moves nothing more; another's still does."""
    watching, writing = two_stores
    before = _listening(watching)
    reads = _revision_reads(watching, monkeypatch)
    watching.mark_kpi_reviewed(_a_kpi(watching), date(2026, 11, 20))
    own = watching.data_version()
    assert own == before + 1 and reads == []
    time.sleep(0.3)  # its own notification has come back by now
    for _ in range(5):
        assert watching.data_version() == own
    assert reads == [], "its own notification is not taken for another session's commit"
    writing.mark_kpi_reviewed(_a_kpi(writing), date(2026, 11, 19))  # a change of its own
    committed = time.monotonic()
    while watching.data_version() == own:
        assert time.monotonic() - committed < SEEN_WITHIN, "another session's commit was not seen"
        time.sleep(0.01)
    assert len(reads) == 1


def test_a_read_only_store_listens_too(sample_pg_db: str) -> None:
    store = Store.open(sample_pg_db, read_only=True)
    try:
        _listening(store)
    finally:
        store.close()


def test_without_notifications_it_polls(sample_pg_db: str, pg_server, monkeypatch) -> None:
    """A database whose trigger does not notify (made before it did): the revision is polled."""
    name = sample_pg_db.rsplit("/", 1)[1]
    with pg_server.admin(name) as connection:
        connection.execute(
            PostgreSQL.revision_function_sql(replace=True).replace(
                "PERFORM pg_notify('pmo_revision', ''); ", ""
            )
        )
    watching, writing = Store.open(sample_pg_db), Store.open(sample_pg_db)
    try:
        before = watching.data_version()
        assert watching._listener is None
        writing.mark_kpi_reviewed(_a_kpi(writing), date(2026, 11, 20))
        assert watching.data_version() != before
    finally:
        watching.close()
        writing.close()


def test_a_lost_listener_falls_back_and_listens_again(two_stores, pg_server) -> None:
    watching, writing = two_stores
    before = _listening(watching)
    with pg_server.admin() as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %'"
        )
    time.sleep(0.2)
    writing.mark_kpi_reviewed(_a_kpi(writing), date(2026, 11, 20))
    assert watching.data_version() != before  # the loss is found, the revision read
    watching.data_version()
    assert watching._listener is not None  # listening again
