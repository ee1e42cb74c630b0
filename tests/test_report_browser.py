"""The HTML report in a real browser: Playwright driving the system's Chromium, headless.

The page is served from a made-up address whose one request the test answers itself; every other
request the page makes would be counted (and refused). Playwright's own browser download is never
used: .ci/run installs Debian's chromium where /usr/bin/chromium is missing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import TODAY

from pmo_tui.calculations import kpi_band
from pmo_tui.formatting import format_aim, format_index, format_number, format_percent, format_value
from pmo_tui.report import build_report, report_json
from pmo_tui.report_html import report_html
from pmo_tui.store import Store

sync_api = pytest.importorskip("playwright.sync_api", reason="the test extra installs Playwright")

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGE_URL = "http://report.invalid/report.html"
# The printable width of A4 and Letter with the page's 12 mm side margins, in CSS pixels (96 per inch).
PRINTABLE_WIDTHS = {"A4": round((210 - 24) / 25.4 * 96), "Letter": round((215.9 - 24) / 25.4 * 96)}

# A browser takes seconds to start and draw: slow, like the other tests that draw every screen.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=".ci/run installs Debian's chromium"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def report(sample_store: Store) -> dict:
    # Read back from the JSON text, as another tool would see it.
    return json.loads(report_json(build_report(sample_store, TODAY)))


def open_report(browser, report: dict, width: int = 1366):
    """The page in a new tab; returns the page, its console errors and every request it made."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    body = report_html(report)

    def answer(route) -> None:
        if route.request.url == PAGE_URL:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)
        else:
            route.abort()

    page.route("**/*", answer)
    page.goto(PAGE_URL, wait_until="load")
    return page, errors, requests


def test_the_report_renders_alone_with_every_chart_and_the_json_figures(browser, report, tmp_path) -> None:
    page, errors, requests = open_report(browser, report)
    try:
        assert errors == []
        assert requests == [PAGE_URL]  # the page itself, nothing else

        charts = page.locator("figure.chart svg")
        names = page.locator("figure.chart").evaluate_all("nodes => nodes.map(n => n.dataset.chart)")
        assert names == [f"kpi-{k['code']}" for k in report["kpis"]] + ["projects", "objectives", "maturity"]
        for index in range(charts.count()):
            box = charts.nth(index).bounding_box()
            assert box is not None and box["width"] > 100 and box["height"] > 50, names[index]
        # Each chart draws something: KPI lines and points, bars, markers.
        assert page.locator("figure[data-chart=objectives] rect.bar").count() == len(report["objectives"])
        dimensions = report["maturity"]["dimensions"]
        assert page.locator("figure[data-chart=maturity] rect.bar").count() == len(dimensions)
        charted = [p for p in report["projects"] if p["spi"] is not None]
        assert page.locator("figure[data-chart=projects] circle.spi").count() == len(charted) + 1  # + legend

        # The text says what the JSON says.
        for kpi in report["kpis"]:
            card = page.locator(f'article.kpi[data-code="{kpi["code"]}"]').inner_text()
            assert kpi["name"] in card
            assert format_value(kpi["value"], kpi["unit"]) in card
            band = kpi_band(kpi["band_low"], kpi["band_high"])
            assert f"target {format_aim(kpi['target'], band, kpi['unit'])}" in card
            assert f"trend {kpi['trend']}" in card
        for project in report["projects"]:
            row = page.locator(f'tr[data-code="{project["code"]}"]').inner_text()
            assert project["name"] in row
            assert format_index(project["spi"]) in row and format_index(project["cpi"]) in row
            assert format_number(project["eac"], 0) in row and format_number(project["vac"], 0) in row
        for objective in report["objectives"]:
            block = page.locator(f'article.objective[data-code="{objective["code"]}"]')
            meta = block.locator("p.meta").inner_text()
            assert format_percent(objective["progress"]) in meta and objective["pace"] in meta
            assert f"score {objective['score_today']:.2f} if the cycle closed today" in meta
            for kr in objective["key_results"]:
                row = block.locator(f'tr[data-code="{kr["code"]}"]').inner_text()
                assert format_percent(kr["progress"]) in row
                assert format_value(kr["value"], kr["unit"]) in row
                assert format_value(kr["value_on_pace"], kr["unit"]) in row
        tiles = page.locator("#portfolio").inner_text()
        assert (
            f"{report['portfolio']['on_time_pct']:.0f}%" in tiles
            and format_index(report["portfolio"]["spi"]) in tiles
        )
        maturity = page.locator("#maturity").inner_text()
        assert report["maturity"]["stage_name"] in maturity
        assert all(step in maturity for step in report["maturity"]["next_steps"])

        # The screenshot the design was judged by (tests/test_report_browser.py's docstring).
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        page.close()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_report_prints_without_cutting_a_chart(browser, report, paper) -> None:
    page, errors, requests = open_report(browser, report, width=PRINTABLE_WIDTHS[paper])
    try:
        page.emulate_media(media="print")
        charts = page.locator("figure.chart")
        assert charts.count() == len(report["kpis"]) + 3
        for index in range(charts.count()):
            box = charts.nth(index).locator("svg").bounding_box()
            assert box is not None and box["width"] > 100 and box["height"] > 50
            assert box["x"] >= 0 and box["x"] + box["width"] <= PRINTABLE_WIDTHS[paper] + 0.5
        # No chart is split across pages.
        assert charts.evaluate_all("nodes => nodes.every(n => getComputedStyle(n).breakInside === 'avoid')")
        document = page.pdf(format=paper, print_background=True)
        pages = re.findall(rb"/Type\s*/Page(?!s)", document)
        # Every section on paper: some pages, not one squeezed page nor one per chart.
        assert document.startswith(b"%PDF") and 3 <= len(pages) <= 12
        assert errors == [] and requests == [PAGE_URL]
    finally:
        page.close()
