"""Full garbage collections wait until the keyboard is quiet (pmo_tui.idle_collection)."""

from __future__ import annotations

import gc

import pytest
from helpers import make_app
from textual import events
from textual.message import Message

from pmo_tui.idle_collection import (
    DUE_AFTER,
    NEVER,
    OVERDUE_AFTER,
    QUIET_SECONDS,
    SUPPORTED,
    IdleCollector,
    held_at_start_up,
)

# Python 3.14's collector is incremental: there is nothing to move, and the collector stays off.
pytestmark = pytest.mark.skipif(not SUPPORTED, reason="Python 3.14's collector is incremental")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def thresholds():
    saved = gc.get_threshold()
    yield saved
    gc.set_threshold(*saved)


@pytest.fixture
def clock_and_collector(thresholds):
    clock = Clock()
    collector = IdleCollector(clock)
    collector.start()
    yield clock, collector
    collector.stop()


def _pending(count: int, monkeypatch) -> None:
    """Python's count of middle-generation collections since the last full one."""
    young, middle, _ = gc.get_count()
    monkeypatch.setattr(gc, "get_count", lambda: (young, middle, count))


def _collections(monkeypatch) -> list[int]:
    done: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda *args: done.append(1) or 0)
    return done


def test_python_never_starts_a_full_collection_while_it_runs(thresholds) -> None:
    collector = IdleCollector()
    collector.start()
    young, middle, oldest = gc.get_threshold()
    assert (young, middle) == thresholds[:2] and oldest == NEVER
    collector.stop()
    assert gc.get_threshold() == thresholds


def test_a_collector_that_was_not_started_collects_nothing(monkeypatch) -> None:
    clock = Clock()
    collector = IdleCollector(clock)
    done = _collections(monkeypatch)
    _pending(OVERDUE_AFTER, monkeypatch)
    clock.now += 60
    assert not collector.tick() and not done


def test_a_due_collection_waits_for_a_quiet_moment(clock_and_collector, monkeypatch) -> None:
    clock, collector = clock_and_collector
    done = _collections(monkeypatch)
    _pending(DUE_AFTER, monkeypatch)
    collector.touched()
    clock.now += QUIET_SECONDS / 2
    assert not collector.tick() and not done, "the user pressed a key half a second ago"
    clock.now += QUIET_SECONDS
    assert collector.tick() and done == [1]


def test_nothing_is_collected_when_nothing_is_due(clock_and_collector, monkeypatch) -> None:
    clock, collector = clock_and_collector
    done = _collections(monkeypatch)
    _pending(DUE_AFTER - 1, monkeypatch)
    clock.now += 60
    assert not collector.tick() and not done


def test_an_overdue_collection_runs_however_busy_the_user_is(clock_and_collector, monkeypatch) -> None:
    clock, collector = clock_and_collector
    done = _collections(monkeypatch)
    _pending(OVERDUE_AFTER, monkeypatch)
    collector.touched()
    assert collector.tick() and done == [1]


def test_an_app_built_but_never_run_leaves_pythons_collector_as_it_was(sample_store, thresholds) -> None:
    enabled = gc.isenabled()
    app = make_app(sample_store)
    assert gc.get_threshold() == thresholds and gc.isenabled() == enabled
    del app
    assert gc.get_threshold() == thresholds and gc.isenabled() == enabled


async def test_the_app_defers_full_collections_while_it_runs_and_restores_python_after(
    sample_store, thresholds
) -> None:
    app = make_app(sample_store)
    assert gc.get_threshold() == thresholds, "not from its making"
    # From its start, before the first screen is made: the overview read while Textual starts
    # allocates enough to set off a full collection in the middle of the first screen's making.
    at_compose: list[int] = []

    def hook(message: Message) -> None:
        if isinstance(message, events.Compose) and not at_compose:
            at_compose.append(gc.get_threshold()[2])

    async with app.run_test(message_hook=hook) as pilot:
        assert at_compose == [NEVER]
        assert gc.get_threshold()[2] == NEVER
        before = app._collector._last_input
        await pilot.press("2")
        assert app._collector._last_input > before, "a key press counts as the user being busy"
    assert gc.get_threshold() == thresholds


def test_two_apps_in_one_process_put_pythons_thresholds_back_whatever_the_order(thresholds) -> None:
    first, second = IdleCollector(), IdleCollector()
    first.start()
    second.start()
    first.stop()
    assert gc.get_threshold()[2] == NEVER, "the second app still defers"
    second.stop()
    assert gc.get_threshold() == thresholds


def test_no_full_collection_while_the_tui_starts_and_pythons_own_after(thresholds) -> None:
    with held_at_start_up():
        assert gc.get_threshold() == (*thresholds[:2], NEVER)  # the imports, the database opened
        collector = IdleCollector()
        collector.start()  # the app runs: its collector takes over
        assert gc.get_threshold() == (*thresholds[:2], NEVER)
        collector.stop()  # the app has ended
        assert gc.get_threshold() == thresholds
    assert gc.get_threshold() == thresholds


def test_a_start_that_fails_before_the_app_runs_gives_python_its_thresholds_back(thresholds) -> None:
    with pytest.raises(SystemExit), held_at_start_up():
        assert gc.get_threshold()[2] == NEVER
        raise SystemExit(2)  # the database refused, say
    assert gc.get_threshold() == thresholds


def test_the_pmo_command_starts_the_tui_with_full_collections_held(
    sample_db, thresholds, monkeypatch
) -> None:
    from click.testing import CliRunner

    from pmo_tui import cli

    seen: list[tuple[int, int, int]] = []
    monkeypatch.setattr(cli, "_run_tui", lambda *args, **kwargs: seen.append(gc.get_threshold()))
    assert CliRunner().invoke(cli.main, ["--db", str(sample_db)]).exit_code == 0
    assert seen == [(*thresholds[:2], NEVER)]
    assert gc.get_threshold() == thresholds
