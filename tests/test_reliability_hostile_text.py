"""Hostile text is shown literally everywhere and never runs an action.

A portfolio whose names, owners, notes, titles and comments hold Textual/Rich markup, action and
link markup, terminal escape sequences, very long lines, wide, combining and right-to-left text is
imported from a TOML file. Every screen must show that text as typed (escape characters drawn as
visible symbols, never sent to the terminal), keep running, and carry no click action or link
from the text; the reports and the export must carry the text exactly.

Control characters are accepted by the importer (`parse_portfolio` has no rule against them) and
stored as given; they must therefore be made harmless wherever they are drawn.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

import pytest
import tomli_w
from click.testing import CliRunner
from helpers import TODAY, make_app, screen_text, settle
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.widgets import Static

from pmo_tui.cli import main
from pmo_tui.formatting import is_terminal_safe, literal
from pmo_tui.portfolio_file import parse_portfolio, shipped_question_ids
from pmo_tui.report import md
from pmo_tui.store import Store

SIZE = (160, 45)

BOLD = "[bold]x[/]"
CLOSE = "[/]"
CLICK = "[@click=app.quit]x[/]"
LINK = "[link=file:///etc/passwd]y[/link]"
ESC = "\x1b[2J\x1b]0;pwned\x07"  # clear the screen, then set the window title
SHOWN_ESC = "␛[2J␛]0;pwned␇"  # the same, as the app draws it
LONG = "Long" + "-" * 1992 + "line"  # 2,000 characters on one line
WIDE = "漢字 👩‍💻"
COMB = "e\u0301"  # e + combining acute accent
RTL = "مرحبا שלום"

assert len(LONG) == 2000 and literal(ESC) == SHOWN_ESC

# Every hostile text and where it is put.
GOAL_NAME = f"{BOLD} goal"
PROJECT_NAME = f"{CLICK} project"
PROJECT_OWNER = LINK
UPDATE_COMMENT = f"{ESC} update"
K1_NAME = f"{ESC}alert"
K1_NOTES = (f"{LINK} note", f"{CLICK} note")
K2_NAME = f"{COMB}tude {RTL}"
OBJECTIVE_TITLE = f"{CLICK} objective {WIDE}"
KR1_TITLE = f"{LINK} result {RTL}"
CHECK_IN_COMMENTS = (f"{BOLD} {ESC}", f"{CLICK} {WIDE} {COMB}")
ANSWER_WITH_ESCAPES = f"{ESC} {RTL}"  # alignment.1
ANSWER_WITH_MARKUP = f"{LINK} {CLICK} {WIDE} {COMB}"  # alignment.2


def hostile_document() -> dict:
    return {
        "format": "pmo-tui portfolio",
        "version": 1,
        "goals": [{"code": "G1", "name": GOAL_NAME, "owner": RTL, "description": LONG}],
        "projects": [
            {
                "code": "P1",
                "name": PROJECT_NAME,
                "owner": PROJECT_OWNER,
                "goal": "G1",
                "start": date(2026, 1, 1),
                "planned_finish": date(2026, 12, 31),
                "budget": 1000.0,
                "updates": [
                    {
                        "on": date(2026, 11, 1),
                        "planned_value": 500.0,
                        "earned_value": 400.0,
                        "actual_cost": 450.0,
                        "comment": UPDATE_COMMENT,
                    }
                ],
            }
        ],
        "kpis": [
            {
                "code": "K1",
                "name": K1_NAME,
                "owner": WIDE,
                "direction": "higher",
                "target": 10.0,
                "warning": 5.0,
                "unit": CLOSE,
                "goal": "G1",
                "description": RTL,
                "measurements": [
                    {"period": date(2026, 9, 30), "value": 6.0, "note": K1_NOTES[0]},
                    {"period": date(2026, 10, 31), "value": 7.0, "note": K1_NOTES[1]},
                ],
            },
            {
                "code": "K2",
                "name": K2_NAME,
                "owner": CLICK,
                "direction": "lower",
                "target": 1.0,
                "warning": 2.0,
                "unit": "%",
                "measurements": [{"period": date(2026, 10, 31), "value": 1.5, "note": LONG}],
            },
        ],
        "cycles": [
            {"name": "2026-Q4", "start": date(2026, 10, 1), "end": date(2026, 12, 31), "status": "open"}
        ],
        "objectives": [
            {
                "code": "O1",
                "title": OBJECTIVE_TITLE,
                "cycle": "2026-Q4",
                "owner": COMB,
                "goal": "G1",
                "key_results": [
                    {
                        "code": "O1-KR1",
                        "title": KR1_TITLE,
                        "baseline": 0.0,
                        "target": 10.0,
                        "unit": CLOSE,
                        "owner": BOLD,
                        "kpi": "K1",
                        "check_ins": [
                            {
                                "on": date(2026, 11, 2),
                                "value": 3.0,
                                "confidence": 0.5,
                                "comment": CHECK_IN_COMMENTS[0],
                            },
                            {
                                "on": date(2026, 11, 9),
                                "value": 4.0,
                                "confidence": 0.6,
                                "comment": CHECK_IN_COMMENTS[1],
                            },
                        ],
                    },
                    {
                        "code": "O1-KR2",
                        "title": LONG,
                        "kind": "milestone",
                        "target": 1.0,
                        "owner": RTL,
                    },
                ],
            }
        ],
        "assessments": [
            {
                "taken_on": date(2026, 9, 15),
                "status": "complete",
                "answers": [
                    {"question": "alignment.1", "level": 3, "comment": ANSWER_WITH_ESCAPES},
                    {"question": "alignment.2", "level": 2, "comment": ANSWER_WITH_MARKUP},
                ],
            }
        ],
    }


HOSTILE_TOML = tomli_w.dumps(hostile_document())


@pytest.fixture
def hostile_store(empty_store: Store) -> Store:
    summary = empty_store.import_portfolio_text(HOSTILE_TOML, "hostile.toml")
    assert summary.counts["KPIs"] == 2 and summary.counts["check-ins"] == 2
    return empty_store


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.db"
    store = Store.open(path)
    store.import_portfolio_text(HOSTILE_TOML, "hostile.toml")
    store.close()
    return path


# --------------------------------------------------------------------------- helpers


def rows(app) -> list[str]:
    """The screen as the compositor sends it to the terminal, one string per row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def actions_on_screen(app) -> list[tuple[int, int, str]]:
    """Every cell whose style carries a click action or a link: (row, column, text)."""
    found = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            style = segment.style
            if style is not None and (style.link or "@click" in style.meta):
                found.append((y, x, segment.text))
            x += cell_len(segment.text)
    return found


def assert_harmless(app) -> None:
    """Nothing raw reaches the terminal and no text on screen hides an action or a link."""
    assert app.is_running
    text = screen_text(app)
    drawn = "\n".join(rows(app))
    for raw in ("\x1b", "\x07"):
        assert raw not in text
        assert raw not in drawn
    assert actions_on_screen(app) == []


def position_of(app, needle: str) -> tuple[int, int] | None:
    """(column, row) of the first cell of `needle` on screen, counted in terminal cells."""
    for y, line in enumerate(rows(app)):
        at = line.find(needle)
        if at >= 0:
            return cell_len(line[:at]), y
    return None


async def click_text(pilot, needle: str) -> None:
    """Click on the rendered text, on its `x` (where the action markup would sit)."""
    where = position_of(pilot.app, needle)
    assert where is not None, f"{needle!r} is not on screen"
    x, y = where
    await pilot.click(offset=(x + (needle.index("]") + 1 if "]" in needle else 2), y))
    await settle(pilot)


def assert_all_shown(app, *texts: str) -> None:
    text = screen_text(app)
    missing = [t for t in texts if t not in text]
    assert not missing, f"not on screen: {missing!r}"


# --------------------------------------------------------------------------- the detector works


class _MarkupApp(App):
    def compose(self) -> ComposeResult:
        yield Static('[@click=app.bell]ring[/] and [link="https://example.com"]a link[/link]')


async def test_the_action_detector_sees_real_markup_actions() -> None:
    # The negative checks below mean something only if markup that is read as markup is found.
    app = _MarkupApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        texts = "".join(text for _, _, text in actions_on_screen(app))
        assert "ring" in texts and "a link" in texts


# --------------------------------------------------------------------------- the importer


def test_the_importer_keeps_every_hostile_text_exactly(hostile_store: Store) -> None:
    exported = hostile_store.export_portfolio()
    assert exported["goals"][0]["name"] == GOAL_NAME
    assert exported["goals"][0]["description"] == LONG
    assert exported["projects"][0]["name"] == PROJECT_NAME
    assert exported["projects"][0]["owner"] == PROJECT_OWNER
    assert exported["projects"][0]["updates"][0]["comment"] == UPDATE_COMMENT
    kpis = {k["code"]: k for k in exported["kpis"]}
    assert kpis["K1"]["name"] == K1_NAME  # escape characters are accepted and stored as given
    assert [m["note"] for m in kpis["K1"]["measurements"]] == list(K1_NOTES)
    assert kpis["K2"]["name"] == K2_NAME and kpis["K2"]["owner"] == CLICK
    assert kpis["K2"]["measurements"][0]["note"] == LONG
    objective = exported["objectives"][0]
    assert objective["title"] == OBJECTIVE_TITLE and objective["owner"] == COMB
    kr1, kr2 = objective["key_results"]
    assert kr1["title"] == KR1_TITLE and kr2["title"] == LONG
    assert [c["comment"] for c in kr1["check_ins"]] == list(CHECK_IN_COMMENTS)
    answers = {a["question"]: a["comment"] for a in exported["assessments"][0]["answers"]}
    assert answers == {"alignment.1": ANSWER_WITH_ESCAPES, "alignment.2": ANSWER_WITH_MARKUP}


# --------------------------------------------------------------------------- screens


async def test_portfolio_overview_shows_hostile_text_literally(hostile_store: Store) -> None:
    app = make_app(hostile_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        screen = type(app.screen)
        assert screen.__name__ == "PortfolioScreen"
        assert_all_shown(
            app,
            literal(K1_NAME),
            K2_NAME,  # KPI tiles
            "[@click=app.quit]x[/]",
            "[link=file:///etc",
            GOAL_NAME,  # project row (cut to the column)
            "[@click=app.quit]x[/] objecti",
            COMB,  # objective row
        )
        assert_harmless(app)
        await click_text(pilot, CLICK)  # the project's name
        assert app.is_running
        assert type(app.screen) is screen
        assert_harmless(app)


async def test_kpi_list_shows_hostile_text_literally(hostile_store: Store) -> None:
    app = make_app(hostile_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = type(app.screen)
        assert screen.__name__ == "KpiListScreen"
        assert_all_shown(app, literal(K1_NAME), K2_NAME, WIDE, "[bold]x[/", "[@click=app.qui")
        assert_harmless(app)
        # The owner column of K2 holds the action markup: clicking it only moves the cursor.
        await click_text(pilot, "[@click=app.qui")
        assert app.is_running
        assert_harmless(app)


async def test_kpi_detail_shows_hostile_text_literally(hostile_store: Store) -> None:
    app = make_app(hostile_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_kpi("K1")
        await settle(pilot)
        screen = type(app.screen)
        assert screen.__name__ == "KpiDetailScreen"
        assert_all_shown(
            app,
            f"K1 · {SHOWN_ESC}alert",
            *K1_NOTES,
            f"target 10 {CLOSE}",
            WIDE,
            f"Strategic goal {GOAL_NAME}",
            f"tied to the goal “{GOAL_NAME}”",
        )
        assert_harmless(app)
        await click_text(pilot, K1_NOTES[1])
        assert app.is_running
        assert type(app.screen) is screen
        await pilot.press("d")  # the definition: the description in right-to-left script
        await settle(pilot)
        assert_all_shown(app, RTL)
        assert_harmless(app)
        await pilot.press("escape")
        await settle(pilot)
        app.open_kpi("K2")
        await settle(pilot)
        assert_all_shown(app, f"K2 · {K2_NAME}", LONG[:30])  # the note, cut to its column
        assert_harmless(app)


async def test_okr_screen_shows_hostile_text_literally(hostile_store: Store) -> None:
    app = make_app(hostile_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = type(app.screen)
        assert screen.__name__ == "OkrScreen"
        assert_all_shown(
            app,
            "O1 [@click=app.quit]x[/]",
            "KR1 [link=file:///etc/",
            "KR2 Long---",
            BOLD,
            RTL,
            f"owner {COMB}",
            f"goal G1 {GOAL_NAME}",
        )
        assert_harmless(app)
        await click_text(pilot, CLICK)
        assert app.is_running
        assert_harmless(app)


async def test_key_result_detail_shows_hostile_text_literally(hostile_store: Store) -> None:
    app = make_app(hostile_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = type(app.screen)
        assert screen.__name__ == "KeyResultDetailScreen"
        assert_all_shown(
            app,
            f"O1-KR1 · {KR1_TITLE}",
            f"O1 · {OBJECTIVE_TITLE}",
            literal(CHECK_IN_COMMENTS[0]),
            CHECK_IN_COMMENTS[1],
        )
        assert_harmless(app)
        await click_text(pilot, CHECK_IN_COMMENTS[1])
        assert app.is_running
        assert type(app.screen) is screen
        assert_harmless(app)


async def test_check_in_shows_hostile_text_literally(hostile_store: Store) -> None:
    app = make_app(hostile_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = type(app.screen)
        assert screen.__name__ == "CheckInScreen"
        assert_all_shown(app, OBJECTIVE_TITLE, KR1_TITLE, f"owner {BOLD}", f"0 {CLOSE} → 10 {CLOSE}")
        assert_harmless(app)
        await click_text(pilot, OBJECTIVE_TITLE)
        assert app.is_running
        assert type(app.screen) is screen
        await pilot.press("pagedown")  # skip to the milestone with the 2,000-character title
        await settle(pilot)
        text = screen_text(app)
        assert "O1-KR2" in text
        assert LONG[:100] in text and f"owner {RTL}" in text
        assert text.count("-") >= 1992  # wrapped over many rows, every character shown
        assert_harmless(app)
    # Nothing was saved by looking and clicking.
    assert [
        len(kr["check_ins"]) for kr in hostile_store.export_portfolio()["objectives"][0]["key_results"]
    ] == [2, 0]


async def test_maturity_shows_hostile_answer_comments_literally(hostile_store: Store) -> None:
    app = make_app(hostile_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert type(app.screen).__name__ == "MaturityScreen"
        assert_all_shown(app, "assessed 2026-09-15", "2/24 answered")
        assert_harmless(app)
        await pilot.press("e")  # the answers, with their comments
        await settle(pilot)
        assert type(app.screen).__name__ == "AssessmentScreen"
        await pilot.press("up")  # statement 2 of 3: alignment.2
        await settle(pilot)
        assert_all_shown(app, "Statement 2 of 3", ANSWER_WITH_MARKUP)
        assert_harmless(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running
    answers = hostile_store.export_portfolio()["assessments"][0]["answers"]
    assert {a["question"]: a["comment"] for a in answers}["alignment.2"] == ANSWER_WITH_MARKUP


async def test_assessment_comment_with_escape_codes_never_reaches_the_terminal(hostile_store: Store) -> None:
    app = make_app(hostile_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("up", "up")  # statement 1 of 3: alignment.1, the comment with escape codes
        await settle(pilot)
        assert "Statement 1 of 3" in screen_text(app)
        assert RTL in screen_text(app)
        assert_harmless(app)


async def test_edit_form_with_escape_codes_never_reaches_the_terminal(hostile_store: Store) -> None:
    app = make_app(hostile_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_kpi("K1")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert type(app.screen).__name__ == "FormScreen"
        assert "Edit KPI K1" in screen_text(app)
        assert_harmless(app)


async def test_close_cycle_summary_shows_hostile_text_literally(hostile_store: Store) -> None:
    app = make_app(hostile_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        screen = type(app.screen)
        assert screen.__name__ == "CloseSummaryScreen"
        assert_all_shown(
            app,
            f"O1 {OBJECTIVE_TITLE}",
            "KR1 [link=file:///etc/passwd]y[/link] res",
            "KR2 Long-----",
            f"O1 · {OBJECTIVE_TITLE} (0.20)",
        )
        assert_harmless(app)
        await click_text(pilot, f"O1 · {OBJECTIVE_TITLE}")  # the carry-over choice: only toggles it
        assert app.is_running
        assert type(app.screen) is screen
        assert_harmless(app)
    # Closing graded the cycle; the titles were stored untouched.
    exported = hostile_store.export_portfolio()
    assert exported["cycles"][0]["status"] == "closed"
    assert exported["objectives"][0]["title"] == OBJECTIVE_TITLE


# --------------------------------------------------------------------------- reports and export


def _cli(db: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), "--today", TODAY.isoformat(), *args])


def test_markdown_report_shows_hostile_text_escaped_and_never_raw(hostile_db: Path) -> None:
    result = _cli(hostile_db, "report")
    assert result.exit_code == 0, result.output
    text = result.stdout
    for shown in (K1_NAME, K2_NAME, PROJECT_NAME, PROJECT_OWNER, OBJECTIVE_TITLE, COMB, KR1_TITLE, LONG):
        assert md(shown) in text, shown
    # Markdown escaping keeps the brackets as typed: no link or emphasis can come of them.
    assert r"\[@click=app.quit\]x\[/\]" in text
    assert r"\[link=file:///etc/passwd\]y\[/link\]" in text
    assert "](" not in text
    assert f"{md(SHOWN_ESC)}alert" in text
    assert "\x1b" not in text and "\x07" not in text


def test_json_report_round_trips_hostile_text_exactly(hostile_db: Path) -> None:
    result = _cli(hostile_db, "report", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout  # JSON escapes control characters
    report = json.loads(result.stdout)
    kpis = {k["code"]: k for k in report["kpis"]}
    assert kpis["K1"]["name"] == K1_NAME and kpis["K1"]["unit"] == CLOSE
    assert kpis["K2"]["name"] == K2_NAME
    (project,) = report["projects"]
    assert (project["name"], project["owner"]) == (PROJECT_NAME, PROJECT_OWNER)
    (objective,) = report["objectives"]
    assert (objective["title"], objective["owner"]) == (OBJECTIVE_TITLE, COMB)
    assert [kr["title"] for kr in objective["key_results"]] == [KR1_TITLE, LONG]


def test_html_report_shows_hostile_text_escaped_and_never_as_markup(hostile_db: Path) -> None:
    from pmo_tui.report_html import e

    result = _cli(hostile_db, "report", "--format", "html")
    assert result.exit_code == 0, result.output
    page = result.stdout
    for shown in (K1_NAME, K2_NAME, PROJECT_NAME, PROJECT_OWNER, OBJECTIVE_TITLE, COMB, KR1_TITLE, LONG):
        assert e(shown) in page, shown
    # Escape codes are drawn, not sent: the page printed to a terminal acts on nothing.
    assert "\x1b" not in page and "\x07" not in page
    assert f"{SHOWN_ESC}alert" in page
    # The long title stays whole in its own table cell.
    assert re.search(rf'<tr data-code="[^"]+"><td><span class="code">[^<]+</span> {LONG}</td>', page)


def test_export_to_stdout_round_trips_every_hostile_text(hostile_db: Path, tmp_path: Path) -> None:
    before = hostile_db.read_bytes()
    result = _cli(hostile_db, "export", "-")
    assert result.exit_code == 0, result.output
    assert hostile_db.read_bytes() == before
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout  # TOML escapes them
    again = parse_portfolio(result.stdout, "-", shipped_question_ids())
    original = parse_portfolio(HOSTILE_TOML, "hostile.toml", shipped_question_ids())
    assert again == original  # every record, every string exactly, escape sequences included
    # And once more through a second database: the same bytes.
    copy = tmp_path / "copy.toml"
    copy.write_text(result.stdout, encoding="utf-8")
    other = tmp_path / "other.db"
    imported = CliRunner().invoke(main, ["--db", str(other), "import", str(copy)])
    assert imported.exit_code == 0, imported.output
    assert _cli(other, "export", "-").stdout == result.stdout


def test_hostile_text_in_a_real_process_never_writes_escape_codes(hostile_db: Path) -> None:
    # The report and the import summary as a real process prints them to its terminal.
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "pmo_tui", "--db", str(hostile_db), "--today", TODAY.isoformat(), "report"],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in done.stdout and b"\x07" not in done.stdout
    assert md(OBJECTIVE_TITLE).encode() in done.stdout


# =========================================================================== control characters
# Every text field of a real database, units and cycle names included, holds control characters:
# C0 (escape sequences, the bell, backspace, carriage return, NUL, line feed, tab), DEL and C1
# (U+009B is a one-character CSI, U+0085 a line break to some terminals). No command's output and
# no screen may carry one of them: each is drawn as a visible symbol, or escaped in JSON and TOML.

CTRL = "\x1b[2J\x07\x9b31m\x7f\x00\x08\x85\r\n\t\x1b]0;pwned\x07"
LONG_UNIT = f"units{CTRL}"  # a unit too long to repeat on a target
SHORT_UNIT = "\x1b"  # a unit short enough to be shown on every value
Q4 = f"2026-Q4{CTRL}"  # cycle names
YEAR_CYCLE = f"2026{CTRL}"
Q3 = f"2026-Q3{CTRL}"


def controls_document() -> dict:
    """Control characters in every text field the portfolio file has (codes stay plain)."""
    c = CTRL
    return {
        "format": "pmo-tui portfolio",
        "version": 1,
        "goals": [{"code": "G1", "name": f"Goal{c}", "owner": f"Gwen{c}", "description": f"Why{c}"}],
        "projects": [
            {
                "code": "P1",
                "name": f"Project{c}",
                "owner": f"Pat{c}",
                "goal": "G1",
                "start": date(2026, 1, 1),
                "planned_finish": date(2026, 12, 31),
                "budget": 1000.0,
                "updates": [
                    {
                        "on": date(2026, 11, 1),
                        "planned_value": 500.0,
                        "earned_value": 400.0,
                        "actual_cost": 450.0,
                        "satisfaction": 70.0,
                        "comment": f"Update{c}",
                    }
                ],
            }
        ],
        "kpis": [
            {
                "code": "K1",
                "name": f"Alerts{c}",
                "owner": f"Kim{c}",
                "direction": "higher",
                "target": 10.0,
                "warning": 5.0,
                "unit": LONG_UNIT,
                "goal": "G1",
                "description": f"Count{c}",
                "measurements": [
                    {"period": date(2026, 9, 30), "value": 6.0, "note": f"Sep{c}"},
                    {"period": date(2026, 10, 31), "value": 7.0, "note": f"Oct{c}"},
                ],
            },
            {
                "code": "K2",
                "name": f"Defects{c}",
                "owner": f"Kai{c}",
                "direction": "lower",
                "target": 1.0,
                "warning": 2.0,
                "unit": SHORT_UNIT,
                "measurements": [{"period": date(2026, 10, 31), "value": 1.5, "note": f"Note{c}"}],
            },
        ],
        "cycles": [
            {"name": Q3, "start": date(2026, 7, 1), "end": date(2026, 9, 30), "status": "closed"},
            {"name": Q4, "start": date(2026, 10, 1), "end": date(2026, 12, 31), "status": "open"},
            {"name": YEAR_CYCLE, "start": date(2026, 1, 1), "end": date(2026, 12, 31), "status": "open"},
        ],
        "objectives": [
            {
                "code": "O1",
                "title": f"Objective{c}",
                "cycle": Q4,
                "owner": f"Olga{c}",
                "goal": "G1",
                "key_results": [
                    {
                        "code": "O1-KR1",
                        "title": f"Result{c}",
                        "baseline": 0.0,
                        "target": 10.0,
                        "unit": LONG_UNIT,
                        "owner": f"Rita{c}",
                        "kpi": "K1",
                        "original_target": 8.0,
                        "target_change_reason": f"Moved{c}",
                        "check_ins": [
                            {
                                "on": date(2026, 11, 2),
                                "value": 3.0,
                                "confidence": 0.5,
                                "comment": f"First{c}",
                            },
                            {
                                "on": date(2026, 11, 9),
                                "value": 4.0,
                                "confidence": 0.6,
                                "comment": f"Second{c}",
                            },
                        ],
                    },
                    {
                        "code": "O1-KR2",
                        "title": f"Band{c}",
                        "kind": "within_band",
                        "target": 2.0,
                        "band_low": 1.0,
                        "band_high": 3.0,
                        "unit": SHORT_UNIT,
                        "owner": f"Bo{c}",
                        "kpi": "K2",
                        "check_ins": [
                            {"on": date(2026, 11, 3), "value": 2.0, "confidence": 0.7, "comment": c}
                        ],
                    },
                ],
            },
            {
                "code": "Y1",
                "title": f"Yearly{c}",
                "cycle": YEAR_CYCLE,
                "owner": f"Yan{c}",
                "key_results": [
                    {
                        "code": "Y1-KR1",
                        "title": f"Reach{c}",
                        "baseline": 0.0,
                        "target": 20.0,
                        "unit": SHORT_UNIT,
                        "owner": f"Yves{c}",
                    }
                ],
            },
            {
                "code": "O0",
                "title": f"Past{c}",
                "cycle": Q3,
                "owner": f"Paul{c}",
                "status": "done",
                "grade": 0.7,
                "key_results": [
                    {
                        "code": "O0-KR1",
                        "title": f"Old{c}",
                        "target": 1.0,
                        "kind": "milestone",
                        "grade": 0.7,
                        "owner": f"Ola{c}",
                    }
                ],
            },
        ],
        "assessments": [
            {
                "taken_on": date(2026, 9, 15),
                "status": "complete",
                "answers": [
                    {"question": "alignment.1", "level": 3, "comment": f"Statement{c}"},
                    {"question": "alignment.2", "level": 2, "comment": f"Another{c}"},
                ],
            }
        ],
    }


CONTROLS_TOML = tomli_w.dumps(controls_document())


def unsafe(text: str) -> list[str]:
    """The control characters in `text` a terminal would act on (\\n and \\t are layout)."""
    return sorted({repr(ch) for ch in text if not is_terminal_safe(ch)})


def test_the_checker_finds_every_kind_of_control_character() -> None:
    assert unsafe("plain — é 漢字 👩‍💻\n\t") == []
    assert unsafe(CTRL) == sorted(
        {repr(ch) for ch in CTRL if (ord(ch) < 0x20 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F}
    )
    assert len(unsafe(CTRL)) == 8
    assert unsafe(literal(CTRL)) == []
    assert literal(CTRL).count("\ufffd") == 2  # the two C1 controls
    assert {"␛", "␇", "␡", "␀", "␈", "␍", "␊", "␉"} <= set(literal(CTRL))


@pytest.fixture
def controls_db(tmp_path: Path) -> Path:
    path = tmp_path / "controls.db"
    store = Store.open(path)
    store.import_portfolio_text(CONTROLS_TOML, "controls.toml")
    exported = store.export_portfolio()
    store.close()
    # Stored exactly as given, control characters and all.
    assert exported["kpis"][0]["unit"] == LONG_UNIT and exported["cycles"][0]["name"] in (Q3, Q4, YEAR_CYCLE)
    return path


@pytest.fixture
def controls_store(controls_db: Path):
    store = Store.open(controls_db)
    yield store
    store.close()


# --------------------------------------------------------------------------- every command


def _controls_file(tmp_path: Path) -> Path:
    """The same portfolio as a file whose very name holds an escape sequence."""
    path = tmp_path / "portfolio\x1b[2J\x9b.toml"
    path.write_text(CONTROLS_TOML, encoding="utf-8")
    return path


COMMANDS = {
    "report": ["report"],
    "report json": ["report", "--format", "json"],
    "report html": ["report", "--format", "html"],
    "report of the year cycle as html": ["report", "--cycle", YEAR_CYCLE, "--format", "html"],
    "report of a named cycle": ["report", "--cycle", Q3],
    "report of the year cycle as json": ["report", "--cycle", YEAR_CYCLE, "--format", "json"],
    "report to a file": ["report", "-o", "{tmp}/report.md"],
    "export to stdout": ["export", "-"],
    "export to a file": ["export", "{tmp}/out.toml"],
    "check-in": [
        "checkin",
        "O1-KR1",
        "5",
        "--confidence",
        "6",
        "--comment",
        f"c{CTRL}".replace("\x00", ""),
        "--at",
        "2026-11-20",
    ],
    "check-in of a band": ["checkin", "O1-KR2", "2.5", "--at", "2026-11-20"],
    "measure": ["measure", "K1", "8", "--period", "2026-11-15", "--note", "n\x1b[2J\x9b"],
    "measure, short unit": ["measure", "K2", "1.2", "--period", "2026-11-15"],
    "status update": ["update", "P1", "--ev", "450", "--on", "2026-11-20", "--comment", "u\x1b[2J\x9b"],
    "import dry run": ["import", "{file}", "--dry-run"],
    "import": ["import", "{file}"],
    "init on a database": ["init"],
    "unknown key result": ["checkin", "NO\x1b[2J\x9b", "1", "--confidence", "5"],
    "unknown cycle": ["report", "--cycle", "nope\x1b[2J\x9b\x07"],
    "value that is no number": ["measure", "K1", "x\x1b[2J\x9b"],
    "unknown project": ["update", "P\x1b]0;t\x07", "--ev", "1"],
}


@pytest.mark.parametrize("args", list(COMMANDS.values()), ids=list(COMMANDS))
def test_no_command_prints_a_control_character(controls_db: Path, tmp_path: Path, args: list[str]) -> None:
    file = _controls_file(tmp_path)
    args = [a.replace("{tmp}", str(tmp_path)).replace("{file}", str(file)) for a in args]
    result = CliRunner().invoke(main, ["--db", str(controls_db), "--today", TODAY.isoformat(), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 2), result.output
    assert unsafe(result.stdout) == [], result.stdout
    assert unsafe(result.stderr) == [], result.stderr
    assert "Traceback" not in result.output


def test_the_commands_show_units_and_names_as_symbols(controls_db: Path) -> None:
    def run(*args: str):
        return CliRunner().invoke(main, ["--db", str(controls_db), "--today", TODAY.isoformat(), *args])

    checked = run("checkin", "O1-KR1", "5", "--confidence", "6", "--at", "2026-11-20")
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith(f"O1-KR1: 5 {literal(LONG_UNIT)} checked in on 2026-11-20")
    measured = run("measure", "K2", "1.2", "--period", "2026-11-15")
    assert measured.exit_code == 0, measured.output
    assert measured.stdout.startswith("K2: 1.2 ␛ recorded")
    refused = run("report", "--cycle", "nope\x1b[2J")
    assert refused.exit_code == 2 and refused.stderr.count("\n") == 1
    assert "nope␛[2J" in refused.stderr
    markdown = run("report").stdout
    # Markdown text is one line: its line breaks (\r, \n, U+0085 too) read as one space.
    assert md(Q4) in markdown and md(f"Alerts{CTRL}") in markdown
    assert "2026-Q4␛\\[2J␇�31m␡␀␈ ␛\\]0;pwned␇" in markdown
    assert f"7 {md(literal(LONG_UNIT))}" in markdown  # K1's value: its unit, every symbol shown


def test_the_json_report_and_the_export_carry_every_control_character_escaped(controls_db: Path) -> None:
    def run(*args: str) -> str:
        result = CliRunner().invoke(main, ["--db", str(controls_db), "--today", TODAY.isoformat(), *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    report = json.loads(run("report", "--format", "json"))
    assert report["cycle"]["name"] == Q4
    assert {k["code"]: k["unit"] for k in report["kpis"]} == {"K1": LONG_UNIT, "K2": SHORT_UNIT}
    (objective,) = report["objectives"]
    assert (objective["title"], objective["owner"]) == (f"Objective{CTRL}", f"Olga{CTRL}")
    assert [kr["unit"] for kr in objective["key_results"]] == [LONG_UNIT, SHORT_UNIT]
    exported = run("export", "-")
    assert "\\u009b" in exported and "\\u0085" in exported
    again = parse_portfolio(exported, "-", shipped_question_ids())
    original = parse_portfolio(CONTROLS_TOML, "controls.toml", shipped_question_ids())
    for table in ("goals", "projects", "kpis", "cycles", "objectives", "assessments"):
        key = "name" if table == "cycles" else "taken_on" if table == "assessments" else "code"
        assert _sorted_by(getattr(again, table), key) == _sorted_by(getattr(original, table), key), table


def _sorted_by(rows: list[dict], key: str) -> list[dict]:
    return sorted(rows, key=lambda row: str(row[key]))


@pytest.mark.slow
def test_a_real_process_writes_no_control_character(controls_db: Path) -> None:
    import subprocess

    for args in (
        ["report"],
        ["report", "--format", "json"],
        ["export", "-"],
        ["report", "--cycle", "nope\x1b[2J\x07"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "pmo_tui", "--db", str(controls_db), "--today", TODAY.isoformat(), *args],
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert done.returncode in (0, 2), done.stderr
        for stream in (done.stdout, done.stderr):
            text = stream.decode("utf-8")  # C1 controls are characters of the decoded text
            assert unsafe(text) == [], (args, unsafe(text))
            assert not any(byte < 0x20 and byte not in (0x0A, 0x09) or byte == 0x7F for byte in stream)


# --------------------------------------------------------------------------- every screen


def assert_no_control_characters(app, where: str) -> None:
    """Neither the screenshot's text nor any segment the compositor would write to the terminal
    holds a control character (notifications included: they are part of the screen)."""
    assert app.is_running, where
    assert unsafe(screen_text(app)) == [], f"{where}: {unsafe(screen_text(app))}"
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            assert unsafe(segment.text) == [], f"{where}: row {y} {segment.text!r}"
    assert unsafe(str(app.title)) == [] and unsafe(str(app.sub_title)) == [], where


def _open(kind: str, code: str):
    def step(app) -> None:
        getattr(app, f"open_{kind}")(code)

    step.__name__ = f"open {kind} {code}"
    return step


def _open_goals(app) -> None:
    app.open_goals()


def _focus(selector: str):
    def step(app) -> None:
        app.screen.query_one(selector).focus()

    step.__name__ = f"focus {selector}"
    return step


# Each journey: the keys (or app calls) that lead through screens; every step is checked.
JOURNEYS = {
    "overview, keys panel, sorting": ["1", "?", "s", "?"],
    "KPI list and both KPIs' details": ["2", "down", _open("kpi", "K1"), "d", "escape", _open("kpi", "K2")],
    "KPI forms": [_open("kpi", "K1"), "e", "escape", _open("kpi", "K2"), "e", "escape"],
    "OKR board, every cycle, details": ["3", "down", "down", "down", "]", "[", "[", "down", "w", "w"],
    "key result detail and its forms": ["3", "down", "enter", "e", "escape", "down", "down", "e", "escape"],
    "OKR forms": ["3", "o", "escape", "k", "escape", "e", "escape"],
    "cycles list and form": ["3", "y", "down", "e", "escape", "a", "a", "r", "escape"],
    "check-in walk": ["c", "pagedown", "pagedown", "pageup", "escape"],
    "close and grade": ["3", "x", "y"],
    "goals": [_open_goals, "down", "e", "escape"],
    "project detail and forms": [_open("project", "P1"), "u", "escape", "e", "escape"],
    "maturity, history, assessment": ["4", "d", "h", "escape", "e", "up", "escape"],
    "command palette": ["ctrl+p", "o", "b"],
    "new records and questions": [
        "n",
        "escape",
        "2",
        "n",
        "escape",
        "3",
        "down",
        "delete",
        "escape",
        "up",
        "delete",
        "escape",
        "1",
        _focus("#projects"),
        "delete",
        "escape",
    ],
    "file forms": [
        "ctrl+p",
        *"export the",
        "enter",
        "escape",
        "ctrl+p",
        *"write the",
        "enter",
        "escape",
        "ctrl+p",
        *"import a",
        "enter",
        "escape",
    ],
}


# Forms whose field label quotes a unit ("Value (units…)"): screens/dialogs.py draws the label
# through literal().
JOURNEYS.update(
    {
        "a KPI's value form, long unit": [_open("kpi", "K1"), "a"],
        "a KPI's value form, short unit": [_open("kpi", "K2"), "a"],
        "an OKR from a KPI": [_open("kpi", "K1"), "o"],
        "a dated check-in": ["3", "down", "enter", "a"],
    }
)


@pytest.mark.slow
@pytest.mark.parametrize("journey", list(JOURNEYS.values()), ids=list(JOURNEYS))
async def test_no_screen_draws_a_control_character(controls_store: Store, journey: list) -> None:
    app = make_app(controls_store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:  # toasts drawn too
        await settle(pilot)
        assert_no_control_characters(app, "start")
        for step in journey:
            if callable(step):
                step(app)
            else:
                await pilot.press(step)
            await settle(pilot)
            await pilot.pause(0.05)
            assert_no_control_characters(
                app, f"after {getattr(step, '__name__', step)} on {type(app.screen).__name__}"
            )


# Codes are checked by the forms (letters, digits, - _ .) but a portfolio file can bring any text.
CODE_CTRL = "\x1b[2J\x9b"
CODES = ("O1-KR1", "O1-KR2", "Y1-KR1", "O0-KR1", "G1", "P1", "K1", "K2", "O1", "Y1", "O0")


@pytest.fixture
def hostile_codes_store(tmp_path: Path):
    text = CONTROLS_TOML
    for code in CODES:
        text = text.replace(f'"{code}"', f'"{code}\\u001b[2J\\u009b"')
    store = Store.open(tmp_path / "codes.db")
    store.import_portfolio_text(text, "codes.toml")
    assert {k["code"] for k in store.export_portfolio()["kpis"]} == {f"K1{CODE_CTRL}", f"K2{CODE_CTRL}"}
    yield store
    store.close()


CODE_JOURNEYS = {
    "overview and KPIs": ["?", "2", _open("kpi", f"K1{CODE_CTRL}"), "d", "escape"],
    "OKRs, close and grade": ["3", "down", "enter", "escape", "y", "escape", "x", "y"],
    "check-in and goals": ["c", "pagedown", "escape", _open_goals, "down"],
    "project detail": [_open("project", f"P1{CODE_CTRL}"), "e", "escape", "ctrl+p", "p"],
    "OKR notifications": ["3", "down", "a", "a", "w", "w", "y", "a", "a"],
    "a notification quoting a KPI's code": [_open("kpi", f"K1{CODE_CTRL}"), "v"],
}


@pytest.mark.parametrize("journey", list(CODE_JOURNEYS.values()), ids=list(CODE_JOURNEYS))
async def test_no_screen_draws_a_control_character_of_a_code(
    hostile_codes_store: Store, journey: list
) -> None:
    await test_no_screen_draws_a_control_character(hostile_codes_store, journey)


async def test_every_notification_is_drawn_as_plain_text(controls_store: Store) -> None:
    """PmoApp.notify draws each message and title through literal_lines and never as markup:
    a code like `[b]K1[/b]` reads as typed, control characters as symbols, line breaks kept."""
    app = make_app(controls_store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.notify("[b]K1[/b] \x1b[2J saved\nsecond line", title="Title\x07", severity="warning")
        await pilot.pause()
        (notification,) = list(app._notifications)
        assert notification.message == "[b]K1[/b] ␛[2J saved\nsecond line"
        assert notification.title == "Title␇"
        assert notification.markup is False and notification.severity == "warning"
        assert "[b]K1[/b] ␛[2J saved" in screen_text(app)
        assert_no_control_characters(app, "notification")
        # The failure handler goes through it too, and still shows one message once.
        error = OSError("disk \x1b[31mfull")
        app.show_failure(error)
        await pilot.pause()  # a notification is posted: on screen once the app handles it
        app.show_failure(error)
        await pilot.pause()
        failures = [n for n in app._notifications if n.severity == "error"]
        assert len(failures) == 1 and "\x1b" not in failures[0].message and failures[0].markup is False
        assert_no_control_characters(app, "failure")
