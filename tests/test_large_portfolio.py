"""A portfolio too large to show at once: 400 projects, 30 KPIs (bench.generate's medium scale).

The overview shows the tiles that most need a look, paints its first projects before the rest
arrive, and every screen reads the database again only when something was committed.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from helpers import TODAY, make_app, screen_text, settle
from textual.widgets import DataTable

from bench.generate import generate
from pmo_tui.calculations import attention_rank
from pmo_tui.screens.base import ShowsStoreData
from pmo_tui.screens.kpis import KpiListScreen
from pmo_tui.screens.maturity import MaturityScreen
from pmo_tui.screens.okrs import OkrScreen
from pmo_tui.screens.portfolio import FIRST_PROJECT_ROWS, MAX_TILES, PortfolioScreen
from pmo_tui.store import TILE_HISTORY, Store
from pmo_tui.widgets.kpi_tile import KpiTile

SIZE = (120, 40)


@pytest.fixture(scope="module")
def _medium_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("medium") / "medium.db"
    generate(path, "medium")
    return path


@pytest.fixture
def medium_store(tmp_path: Path, _medium_template: Path):
    path = tmp_path / "pmo.db"
    path.write_bytes(_medium_template.read_bytes())
    store = Store.open(path)
    yield store
    store.close()


def _project_codes(table: DataTable) -> list[str]:
    return [key.value for key in table.rows]


def test_tiles_read_the_last_measurements_of_each_kpi(medium_store: Store) -> None:
    # The indexed read of recent values against each KPI's whole history.
    summaries = medium_store.kpi_summaries(TODAY, include_retired=True)
    assert len(summaries) == 30
    for summary in summaries:
        history = medium_store.kpi_detail(summary.code, TODAY).measurements
        assert summary.history == tuple(m.value for m in history[-TILE_HISTORY:])
        assert summary.last_period == history[-1].period


def test_data_version_changes_on_every_commit_and_only_then(medium_store: Store) -> None:
    before = medium_store.data_version()
    medium_store.overview(TODAY)
    medium_store.kpi_summaries(TODAY)
    assert medium_store.data_version() == before
    first, second = (kpi.code for kpi in medium_store.kpi_summaries(TODAY)[:2])
    medium_store.mark_kpi_reviewed(first, TODAY)
    after_own = medium_store.data_version()
    assert after_own != before
    # Another pmo process writing the same file counts too.
    other = Store.open(medium_store.path)
    try:
        other.mark_kpi_reviewed(second, TODAY)
    finally:
        other.close()
    assert medium_store.data_version() != after_own


async def test_overview_shows_the_kpis_that_most_need_a_look(medium_store: Store) -> None:
    app = make_app(medium_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        overview = app.screen.overview
        shown = [tile.tile for tile in app.screen.query(KpiTile)]
        assert len(overview.kpis) > MAX_TILES and len(shown) == MAX_TILES
        hidden = [kpi for kpi in overview.kpis if kpi not in shown]
        worst_hidden = min(attention_rank(kpi.status, kpi.overdue) for kpi in hidden)
        assert all(attention_rank(kpi.status, kpi.overdue) <= worst_hidden for kpi in shown)
        ranks = [attention_rank(kpi.status, kpi.overdue) for kpi in shown]
        assert ranks == sorted(ranks), "worst first"
        # Some of each kind is there to choose from, so the order is really tested.
        assert len(Counter(attention_rank(k.status, k.overdue) for k in overview.kpis)) >= 3
        text = screen_text(app)
        assert f"KPIs · {len(overview.kpis)} active" in text
        assert f"active · showing the {MAX_TILES} most in need of a look (2: all) ·" in text


async def test_every_project_arrives_in_order_and_sorting_keeps_the_cursor(medium_store: Store) -> None:
    app = make_app(medium_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#projects", DataTable)
        codes = sorted(project.code for project in screen.overview.projects)
        assert len(codes) == 400 > FIRST_PROJECT_ROWS
        assert _project_codes(table) == codes
        # The last project, far below the first batch, keeps the cursor through a re-sort.
        table.focus()
        table.move_cursor(row=399)
        await pilot.pause()
        await pilot.press("s")  # by name
        await settle(pilot)
        by_name = sorted(screen.overview.projects, key=lambda p: p.name.casefold())
        assert _project_codes(table) == [p.code for p in by_name]
        cursor = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert cursor == codes[-1]


async def test_a_jump_reaches_a_project_beyond_the_first_rows(medium_store: Store) -> None:
    app = make_app(medium_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        last = max(project.code for project in app.screen.overview.projects)
        screen = app.screen
        screen.focus_item("project", last)
        await pilot.pause()
        table = screen.query_one("#projects", DataTable)
        assert table.has_focus
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == last


@pytest.mark.slow
async def test_areas_read_again_only_after_a_commit(medium_store: Store, monkeypatch) -> None:
    # Each showing of a read sets the screen's shown_version (the overview's first one is shown
    # before the first paint, without a message): counted per area.
    loaded: Counter[str] = Counter()

    def shown(self, version) -> None:
        if version is not None:
            loaded[type(self).__name__] += 1
        self.__dict__["shown_version"] = version

    monkeypatch.setattr(
        ShowsStoreData, "shown_version", property(lambda self: self.__dict__.get("shown_version"), shown)
    )
    app = make_app(medium_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in "2341":
            await pilot.press(key)
            await settle(pilot)
        first = Counter(loaded)
        assert set(first) == {"PortfolioScreen", "KpiListScreen", "OkrScreen", "MaturityScreen"}
        assert len(set(first.values())) == 1, "each area read once"
        # Nothing saved: switching round again reads nothing, and shows the same.
        for key in "2341":
            await pilot.press(key)
            await settle(pilot)
        assert loaded == first
        assert isinstance(app.screen, PortfolioScreen)
        # Another pmo process records a measurement: every area shows it when next opened.
        kpi = medium_store.kpi_summaries(TODAY)[0]
        other = Store.open(medium_store.path)
        try:
            other.add_measurement(kpi.code, kpi.last_period, 4242.0, "from the command line", replace=True)
        finally:
            other.close()
        for key, screen_type in (
            ("2", KpiListScreen),
            ("3", OkrScreen),
            ("4", MaturityScreen),
            ("1", PortfolioScreen),
        ):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen_type)
            assert app.screen.shown_version == medium_store.data_version()
        assert loaded == first + first, "each area read once more"
        await pilot.press("2")
        await settle(pilot)
        assert "4,242" in screen_text(app) or "4242" in screen_text(app)
