"""KeyFooter, the one-widget footer: the screen's keys in order, and a click runs the key."""

from __future__ import annotations

from helpers import make_app, settle

from pmo_tui.screens.kpis import KpiListScreen
from pmo_tui.widgets.footer import KeyFooter

SIZE = (120, 40)


async def test_the_overview_footer_lists_its_keys_then_the_areas(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        described = [(key, description) for key, _shown, description, _enabled in footer.keys]
        assert described[:4] == [("s", "Sort"), ("r", "Refresh"), ("n", "New project"), ("g", "Goals")]
        assert ("2", "KPIs") in described and ("c", "Check in") in described
        line = footer.render().plain
        assert line.startswith(" s Sort  r Refresh ") and line.rstrip().endswith("^p palette")
        assert len(line) == SIZE[0]


async def test_clicking_a_key_in_the_footer_presses_it(sample_store) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        line = app.screen.query_one(KeyFooter).render().plain
        await pilot.click(KeyFooter, offset=(line.index(" 2 KPIs") + 2, 0))
        await settle(pilot)
        assert isinstance(app.screen, KpiListScreen)
