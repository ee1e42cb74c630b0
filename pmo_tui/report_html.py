"""The executive report as one self-contained HTML page: the board pack people look at.

It is written from the same report data as the JSON and the Markdown (report.build_report), so
the three never disagree. Everything is inline: the stylesheet, and the charts as SVG drawn here
from the plain geometry of chart_geometry. No script, no font, no image and no link is fetched
(a Content-Security-Policy forbids it as well), and every piece of user text is escaped.

A section of the report this module has no drawing for (one added to build_report later) is
still shown: a list of records becomes a table, an object its figures and lists (`_generic`).
To give a section its own drawing, write `_section_<key>(value, report)` and add it to SECTIONS.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from pmo_tui import calculations as calc
from pmo_tui.chart_geometry import LinearScale, bar_length, index_domain, nice_domain, series_points, ticks
from pmo_tui.formatting import (
    MISSING,
    format_aim,
    format_confidence,
    format_index,
    format_number,
    format_pct,
    format_percent,
    format_value,
    literal,
    raid_exposure_text,
)
from pmo_tui.review import RECORD_WORDS, ChangeGroup, Movement

Section = Callable[[Any, dict[str, Any]], str]

# A word and a symbol beside every colour: the page must read in black and white too. Overdue is
# ◷ here (the app's ⧗ is missing from common fonts, and a browser would draw an empty box).
OVERDUE = "◷"
HEALTH_SYMBOLS = {"green": "●", "amber": "▲", "red": "■", "unknown": "?"}
PACE_SYMBOLS = {"on track": "●", "at risk": "▲", "off track": "■", "overdue": OVERDUE, "not started": "○"}
PACE_TONES = {
    "on track": "green",
    "at risk": "amber",
    "off track": "red",
    "overdue": "red",
    "not started": "grey",
}
GRADE_SYMBOLS = {"green": "●", "amber": "▲", "red": "■"}


def e(text: Any) -> str:
    """User text for HTML: escaped (quotes too, so it is safe in attributes), and control
    characters drawn as visible symbols, as everywhere else (the page may be printed to a terminal)."""
    return html.escape(literal(str(text)), quote=True)


def _num(value: float) -> str:
    """An SVG coordinate: two decimals at most, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _chip(tone: str, symbol: str, word: str) -> str:
    return f'<span class="chip {tone}"><span aria-hidden="true">{symbol}</span> {e(word)}</span>'


def _status_chip(status: str) -> str:
    """A KPI's status: its symbol and word (overdue: no measurement on its cadence)."""
    if status == "overdue":
        return _chip("red", OVERDUE, "overdue")
    known = calc.Status(status)
    return _chip(status if known is not calc.Status.UNKNOWN else "grey", known.symbol, known.word)


def _pace_chip(pace: str) -> str:
    return _chip(PACE_TONES.get(pace, "grey"), PACE_SYMBOLS.get(pace, "?"), pace)


def _health_chip(health: str, word: str) -> str:
    tone = health if health in ("green", "amber", "red") else "grey"
    return _chip(tone, HEALTH_SYMBOLS.get(health, "?"), word)


def _grade_chip(grade: str) -> str:
    return _chip(grade, GRADE_SYMBOLS[grade], calc.Grade(grade).word)


def _section(key: str, title: str, body: str) -> str:
    return f'<section id="{e(key)}"><h2>{title}</h2>\n{body}\n</section>'


def _figure(chart: str, name: str, caption: str, width: float, height: float, label: str) -> str:
    """A chart: an SVG scaled to its box (viewBox) with a text alternative (escaped here), and a
    caption (HTML: the caller escapes any user text in it)."""
    return (
        f'<figure class="chart" data-chart="{e(name)}">'
        f'<svg viewBox="0 0 {_num(width)} {_num(height)}" role="img" aria-label="{e(label)}" '
        f'preserveAspectRatio="xMidYMid meet">{chart}</svg>'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def _text(x: float, y: float, content: str, cls: str = "", anchor: str = "start") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}"{klass}>{content}</text>'


def _line(x1: float, y1: float, x2: float, y2: float, cls: str) -> str:
    return f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" class="{cls}"/>'


def _tick_label(value: float, unit: str) -> str:
    """An axis label: short (12k, 1.2M) and with % where the unit is a percentage."""
    size = abs(value)
    if size >= 1_000_000:
        text = f"{value / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M"
    elif size >= 10_000:
        text = f"{value / 1_000:.0f}k"
    else:
        text = f"{value:.2f}".rstrip("0").rstrip(".") if not float(value).is_integer() else f"{value:.0f}"
    return text + ("%" if unit == "%" else "")


# --------------------------------------------------------------------------- charts


KPI_W, KPI_H = 300.0, 120.0
KPI_LEFT, KPI_RIGHT, KPI_TOP, KPI_BOTTOM = 42.0, 50.0, 10.0, 18.0


def kpi_chart(kpi: dict[str, Any]) -> str:
    """A KPI's recent history as a line, with its target (dashed) and warning line (dotted), or
    both lines of its band (dashed)."""
    history = [v for v in kpi["history"] if calc.is_number(v)]
    unit = kpi["unit"] or ""
    band = calc.kpi_band(kpi.get("band_low"), kpi.get("band_high"))
    low, high = nice_domain([*history, kpi["target"], kpi["warning"], *(band or ())], count=3)
    y = LinearScale(low, high, KPI_H - KPI_BOTTOM, KPI_TOP)
    x_from, x_to = KPI_LEFT + 6, KPI_W - KPI_RIGHT
    parts = []
    for tick in ticks(low, high, 3):
        parts.append(_line(KPI_LEFT, y(tick), KPI_W - KPI_RIGHT, y(tick), "grid"))
        parts.append(_text(KPI_LEFT - 4, y(tick) + 3.5, e(_tick_label(tick, unit)), "axis", "end"))
    target_y = y(kpi["target"]) if calc.is_number(kpi["target"]) else None
    if calc.is_number(kpi["warning"]):
        warning_y = label_y = y(kpi["warning"])
        if target_y is not None and abs(label_y - target_y) < 10:  # the two words would overlap
            label_y = target_y + 10 if label_y >= target_y else target_y - 10
        parts.append(_line(KPI_LEFT, warning_y, KPI_W - KPI_RIGHT, warning_y, "warning-line"))
        parts.append(_text(KPI_W - KPI_RIGHT + 4, label_y + 3.5, "warning", "axis"))
    if target_y is not None:
        parts.append(_line(KPI_LEFT, target_y, KPI_W - KPI_RIGHT, target_y, "target-line"))
        parts.append(_text(KPI_W - KPI_RIGHT + 4, target_y + 3.5, "target", "axis target-label"))
    for bound in band or ():
        parts.append(_line(KPI_LEFT, y(bound), KPI_W - KPI_RIGHT, y(bound), "target-line"))
        parts.append(_text(KPI_W - KPI_RIGHT + 4, y(bound) + 3.5, "band", "axis target-label"))
    points = [p for p in series_points(history, x_from, x_to, y) if p is not None]
    if len(points) > 1:
        path = " ".join(f"{_num(px)},{_num(py)}" for px, py in points)
        parts.append(f'<polyline points="{path}" class="series"/>')
    for px, py in points[:-1]:
        parts.append(f'<circle cx="{_num(px)}" cy="{_num(py)}" r="1.8" class="dot"/>')
    tone = {"overdue": "red", "unknown": "grey"}.get(kpi["status"], kpi["status"])
    if points:
        px, py = points[-1]
        parts.append(f'<circle cx="{_num(px)}" cy="{_num(py)}" r="3.6" class="last {e(tone)}"/>')
    else:
        parts.append(_text((x_from + x_to) / 2, KPI_H / 2, "no measurements yet", "axis", "middle"))
    parts.append(_text(x_from, KPI_H - 4, "oldest" if len(history) > 1 else "", "axis"))
    parts.append(_text(x_to, KPI_H - 4, "latest" if history else "", "axis", "end"))
    values = ", ".join(format_value(v, unit) for v in history)
    shown = (
        f"last {len(history)} value{'' if len(history) == 1 else 's'}" if history else "no measurements yet"
    )
    aim = "band" if band else "target"
    label = f"{kpi['code']}: {shown} {values}; {aim} {format_aim(kpi['target'], band, unit)}"
    caption = f"{shown[:1].upper()}{shown[1:]}, {aim} dashed"
    return _figure("".join(parts), f"kpi-{kpi['code']}", caption, KPI_W, KPI_H, label)


OBJ_W, OBJ_LABEL, OBJ_BAR, OBJ_ROW, OBJ_TOP = 680.0, 70.0, 440.0, 30.0, 30.0


def objectives_chart(objectives: Sequence[dict[str, Any]], elapsed: float) -> str:
    """Each objective's progress as a bar, against the share of the cycle already elapsed."""
    height = OBJ_TOP + OBJ_ROW * len(objectives) + 18
    x0 = OBJ_LABEL
    parts = []
    for share in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = x0 + bar_length(share, OBJ_BAR)
        parts.append(_line(x, OBJ_TOP - 6, x, height - 16, "grid"))
        parts.append(_text(x, height - 4, format_percent(share), "axis", "middle"))
    for row, objective in enumerate(objectives):
        top = OBJ_TOP + row * OBJ_ROW
        pace = objective["pace"]
        parts.append(_text(0, top + 15, e(objective["code"]), "label"))
        parts.append(
            f'<rect x="{_num(x0)}" y="{_num(top + 4)}" width="{_num(OBJ_BAR)}" height="16" class="track"/>'
        )
        length = bar_length(objective["progress"], OBJ_BAR)
        parts.append(
            f'<rect x="{_num(x0)}" y="{_num(top + 4)}" width="{_num(length)}" height="16" '
            f'class="bar {PACE_TONES.get(pace, "grey")}"/>'
        )
        words = f"{format_percent(objective['progress'])} {PACE_SYMBOLS.get(pace, '?')} {pace}"
        parts.append(_text(x0 + OBJ_BAR + 10, top + 16, e(words), "value"))
    today = x0 + bar_length(elapsed, OBJ_BAR)
    parts.append(_line(today, OBJ_TOP - 8, today, height - 16, "today-line"))
    anchor = "end" if elapsed > 0.5 else "start"
    shift = -4 if elapsed > 0.5 else 4
    parts.append(
        _text(
            today + shift,
            OBJ_TOP - 12,
            f"today: {format_percent(elapsed)} of the cycle",
            "today-label",
            anchor,
        )
    )
    label = "; ".join(f"{o['code']} {format_percent(o['progress'])} {o['pace']}" for o in objectives)
    caption = "Progress of each objective; the line is the share of the cycle elapsed (the pace to keep)"
    return _figure("".join(parts), "objectives", caption, OBJ_W, height, f"Objectives: {label}")


PRJ_W, PRJ_LABEL, PRJ_PLOT, PRJ_ROW, PRJ_TOP = 680.0, 80.0, 430.0, 24.0, 34.0
INDEX_CEILING = 2.0


def projects_chart(projects: Sequence[dict[str, Any]]) -> str:
    """SPI (circle) and CPI (diamond) of each project on one axis, with the 1.0, 0.95 and 0.85 lines."""
    low, high = index_domain([v for p in projects for v in (p["spi"], p["cpi"])])
    low, high = max(0.0, low), min(INDEX_CEILING, high)
    x = LinearScale(low, high, PRJ_LABEL, PRJ_LABEL + PRJ_PLOT)
    height = PRJ_TOP + PRJ_ROW * len(projects) + 20
    bottom = height - 18
    parts = [
        f'<circle cx="{_num(PRJ_LABEL)}" cy="10" r="4.5" class="spi"/>',
        _text(PRJ_LABEL + 8, 14, "SPI (schedule)", "axis"),
        f'<rect x="{_num(PRJ_LABEL + 104)}" y="6" width="8" height="8" class="cpi" transform="rotate(45 {_num(PRJ_LABEL + 108)} 10)"/>',
        _text(PRJ_LABEL + 116, 14, "CPI (cost)", "axis"),
    ]
    for tick in ticks(low, high, 6):
        parts.append(_line(x(tick), PRJ_TOP - 6, x(tick), bottom, "grid"))
        parts.append(_text(x(tick), height - 4, f"{tick:.1f}", "axis", "middle"))
    for line, cls in (
        (1.0, "par-line"),
        (calc.INDEX_WARNING, "warning-line"),
        (calc.INDEX_PROBLEM, "problem-line"),
    ):
        if low <= line <= high:
            parts.append(_line(x(line), PRJ_TOP - 6, x(line), bottom, cls))
    for row, project in enumerate(projects):
        middle = PRJ_TOP + row * PRJ_ROW + PRJ_ROW / 2
        parts.append(_text(0, middle + 4, e(project["code"]), "label"))
        parts.append(_line(PRJ_LABEL, middle, PRJ_LABEL + PRJ_PLOT, middle, "row-line"))
        spi, cpi = project["spi"], project["cpi"]
        # SPI a little above the row's line and CPI a little below: equal indices never hide one another.
        if calc.is_number(spi):
            cx, cy = x.clamped(spi), middle - 3.5
            parts.append(f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="4.5" class="spi {_index_tone(spi)}"/>')
        if calc.is_number(cpi):
            cx, cy = x.clamped(cpi), middle + 3.5
            parts.append(
                f'<rect x="{_num(cx - 3.5)}" y="{_num(cy - 3.5)}" width="7" height="7" '
                f'class="cpi {_index_tone(cpi)}" transform="rotate(45 {_num(cx)} {_num(cy)})"/>'
            )
        words = f"SPI {format_index(spi)} · CPI {format_index(cpi)}"
        parts.append(_text(PRJ_LABEL + PRJ_PLOT + 12, middle + 4, words, "value"))
    label = "; ".join(
        f"{p['code']} SPI {format_index(p['spi'])} CPI {format_index(p['cpi'])}" for p in projects
    )
    caption = (
        "Schedule (SPI = EV/PV) and cost (CPI = EV/AC) performance: 1.0 is on plan, "
        "below 0.95 (dashed) needs watching, below 0.85 is a problem"
    )
    return _figure("".join(parts), "projects", caption, PRJ_W, height, f"Projects: {label}")


def _index_tone(index: float) -> str:
    if index < calc.INDEX_PROBLEM:
        return "red"
    return "amber" if index < calc.INDEX_WARNING else "green"


MAT_W, MAT_LABEL, MAT_PLOT, MAT_ROW, MAT_TOP = 680.0, 180.0, 360.0, 26.0, 26.0


def maturity_chart(maturity: dict[str, Any]) -> str:
    """Each dimension's stage (1–5) as a bar, with the overall stage as a line."""
    dimensions = maturity["dimensions"]
    x = LinearScale(0, 5, MAT_LABEL, MAT_LABEL + MAT_PLOT)
    height = MAT_TOP + MAT_ROW * len(dimensions) + 20
    bottom = height - 18
    parts = []
    for stage in range(6):
        parts.append(_line(x(stage), MAT_TOP - 6, x(stage), bottom, "grid"))
        if stage:
            parts.append(_text(x(stage), height - 4, str(stage), "axis", "middle"))
    for row, dimension in enumerate(dimensions):
        top = MAT_TOP + row * MAT_ROW
        parts.append(_text(0, top + 15, e(dimension["name"]), "label"))
        score = dimension["score"]
        stage = dimension["stage"]
        if calc.is_number(score):
            length = x(min(5.0, max(0.0, score))) - x(0)
            parts.append(
                f'<rect x="{_num(x(0))}" y="{_num(top + 4)}" width="{_num(length)}" height="15" '
                f'class="bar stage-{stage or 0}"/>'
            )
        words = (
            f"{stage} {calc.STAGE_NAMES[stage]} ({score:.2f})"
            if stage and calc.is_number(score)
            else "not rated"
        )
        parts.append(_text(MAT_LABEL + MAT_PLOT + 10, top + 16, e(words), "value"))
    overall = maturity["score"]
    if calc.is_number(overall):
        parts.append(_line(x(overall), MAT_TOP - 10, x(overall), bottom, "today-line"))
        parts.append(_text(x(overall) + 4, MAT_TOP - 12, f"overall {overall:.1f}", "today-label"))
    label = "; ".join(f"{d['name']} stage {d['stage'] or 'not rated'}" for d in dimensions)
    names = ", ".join(f"{n} {name}" for n, name in calc.STAGE_NAMES.items())
    caption = f"Stage of each dimension (score 1–5; {names}); the line is the overall score"
    return _figure("".join(parts), "maturity", e(caption), MAT_W, height, f"Maturity: {label}")


# --------------------------------------------------------------------------- sections


def _section_portfolio(portfolio: dict[str, Any], report: dict[str, Any]) -> str:
    roi = portfolio["roi"]
    tiles = [
        ("Projects on time", format_pct(portfolio["on_time_pct"])),
        ("Projects within budget", format_pct(portfolio["within_budget_pct"])),
        ("Schedule performance (SPI)", format_index(portfolio["spi"])),
        ("Cost performance (CPI)", format_index(portfolio["cpi"])),
        ("Return on investment", format_pct(None if roi is None else roi * 100)),
        ("Aligned to a strategic goal", format_pct(portfolio["aligned_pct"])),
        ("Change requests per project", _one_decimal(portfolio["change_requests_per_project"])),
        ("Open risks", e(portfolio["open_risks"])),
    ]
    cells = "".join(
        f'<div class="tile"><div class="tile-value">{value}</div><div class="tile-label">{label}</div></div>'
        for label, value in tiles
    )
    intro = f"<p>{e(portfolio['projects'])} projects counted (active, on hold and done).</p>"
    return _section("portfolio", "Portfolio", f'{intro}<div class="tiles">{cells}</div>')


def _one_decimal(value: float | None) -> str:
    return MISSING if value is None else f"{value:.1f}"


def _section_kpis(kpis: list[dict[str, Any]], report: dict[str, Any]) -> str:
    if not kpis:
        return _section("kpis", "KPIs", '<p class="muted">No active KPIs.</p>')
    cards = []
    for kpi in kpis:
        unit = kpi["unit"] or ""
        review = f'<p class="note">{OVERDUE} definition due for review</p>' if kpi["review_overdue"] else ""
        cards.append(
            f'<article class="kpi" data-code="{e(kpi["code"])}">'
            f'<header><span class="code">{e(kpi["code"])}</span> <span class="name">{e(kpi["name"])}</span></header>'
            f'<p class="kpi-figures"><span class="kpi-value">{e(format_value(kpi["value"], unit))}</span>'
            f' <span class="muted">target {e(_kpi_target(kpi))}</span></p>'
            f'<p class="kpi-status">{_status_chip(kpi["status"])} <span class="trend">trend {e(kpi["trend"])}</span></p>'
            f"{kpi_chart(kpi)}{review}</article>"
        )
    return _section("kpis", "KPIs", f'<div class="kpi-grid">{"".join(cards)}</div>')


def _section_projects(projects: list[dict[str, Any]], report: dict[str, Any]) -> str:
    attention = [p for p in projects if p["attention"]]
    if attention:
        items = "".join(
            f'<li data-code="{e(p["code"])}"><strong>{e(p["code"])} {e(p["name"])}</strong>'
            + (f' <span class="muted">({e(p["owner"])})</span>' if p["owner"] else "")
            + f": {e('; '.join(p['attention']))}</li>"
            for p in attention
        )
        body = f'<ul class="attention">{items}</ul>'
    else:
        body = "<p>None: every running project is on time, within budget and on its indices.</p>"
    charted = [p for p in projects if calc.is_number(p["spi"]) or calc.is_number(p["cpi"])]
    chart = (
        projects_chart(charted)
        if charted
        else '<p class="muted">No project has earned-value figures yet.</p>'
    )
    rows = "".join(_project_row(p) for p in projects)
    if not projects:
        return (
            _section("attention", "Projects that need attention", body)
            + "\n"
            + _section("projects", "Projects", '<p class="muted">No projects yet.</p>')
        )
    table = (
        '<div class="scroll"><table class="projects"><thead><tr><th>Project</th><th>Status</th><th>Schedule</th>'
        '<th>Budget</th><th class="num">SPI</th><th class="num">CPI</th><th class="num">BAC</th>'
        f'<th class="num">EAC</th><th class="num">VAC</th></tr></thead><tbody>{rows}</tbody></table></div>'
    )
    return (
        _section("attention", "Projects that need attention", body)
        + "\n"
        + _section("projects", "Projects", f"{chart}{table}")
    )


def _project_row(project: dict[str, Any]) -> str:
    schedule = calc.schedule_words(calc.Health(project["schedule"]), project["days_late"])
    if project["days_late"] is not None and project["days_late"] < 0:
        schedule += f" ({-project['days_late']} d early)"
    budget = calc.BUDGET_WORDS[calc.Health(project["budget"])]
    owner = f'<div class="muted">{e(project["owner"])}</div>' if project["owner"] else ""
    overrun = " overrun" if calc.is_number(project["vac"]) and project["vac"] < 0 else ""
    return (
        f'<tr data-code="{e(project["code"])}"><td><strong>{e(project["code"])}</strong> {e(project["name"])}{owner}</td>'
        f"<td>{e(project['status'].replace('_', ' '))}</td>"
        f"<td>{_health_chip(project['schedule'], schedule)}</td>"
        f"<td>{_health_chip(project['budget'], budget)}</td>"
        f'<td class="num">{format_index(project["spi"])}</td><td class="num">{format_index(project["cpi"])}</td>'
        f'<td class="num">{format_number(project["bac"], 0)}</td>'
        f'<td class="num">{format_number(project["eac"], 0)}</td>'
        f'<td class="num{overrun}">{format_number(project["vac"], 0)}</td></tr>'
    )


def _kpi_target(kpi: dict[str, Any]) -> str:
    """A KPI's target, or its band (low–high)."""
    band = calc.kpi_band(kpi.get("band_low"), kpi.get("band_high"))
    return format_aim(kpi["target"], band, kpi["unit"] or "")


def _kr_target(kr: dict[str, Any]) -> str:
    if kr["kind"] == "within_band" and kr.get("band_low") is not None and kr.get("band_high") is not None:
        return f"{format_value(kr['band_low'], kr['unit'])}–{format_value(kr['band_high'], kr['unit'])}"
    return format_value(kr["target"], kr["unit"])


def _section_objectives(objectives: list[dict[str, Any]], report: dict[str, Any]) -> str:
    cycle = report.get("cycle")
    title = f"Objectives of {e(cycle['name'])}" if cycle else "Objectives"
    if not objectives:
        return _section("objectives", title, '<p class="muted">No objectives in this cycle.</p>')
    parts = [objectives_chart(objectives, cycle["elapsed"] if cycle else 0.0)]
    for objective in objectives:
        score = (
            f" · graded {objective['score']:.2f}"
            if objective["score"] is not None
            else f" · score {objective['score_today']:.2f} if the cycle closed today"
        )
        owner = f" · owner {e(objective['owner'])}" if objective["owner"] else ""
        rows = "".join(
            f'<tr data-code="{e(kr["code"])}"><td><span class="code">{e(kr["code"])}</span> {e(kr["title"])}</td>'
            f'<td class="num">{format_percent(kr["progress"])}</td>'
            f'<td class="num">{e(format_value(kr["value"], kr["unit"]))}</td>'
            f'<td class="num">{e(format_value(kr["value_on_pace"], kr["unit"]))}</td>'
            f'<td class="num">{e(_kr_target(kr))}</td>'
            f"<td>{_pace_chip('overdue' if kr['overdue'] else kr['pace'])}</td>"
            f'<td class="num">{format_confidence(kr["confidence"])}</td></tr>'
            for kr in objective["key_results"]
        )
        table = (
            '<table class="key-results"><thead><tr><th>Key result</th><th class="num">Progress</th>'
            '<th class="num">Value</th><th class="num">On pace</th><th class="num">Target</th>'
            f'<th>Pace</th><th class="num">Conf.</th></tr></thead><tbody>{rows}</tbody></table>'
            if objective["key_results"]
            else '<p class="muted">No key results.</p>'
        )
        parts.append(
            f'<article class="objective" data-code="{e(objective["code"])}">'
            f'<h3><span class="code">{e(objective["code"])}</span> {e(objective["title"])}</h3>'
            f'<p class="meta">{format_percent(objective["progress"])} · {_pace_chip(objective["pace"])} · '
            f"{_grade_chip(objective['grade'])} · confidence {format_confidence(objective['confidence'])}"
            f"{score}{owner}</p>{table}</article>"
        )
    return _section("objectives", title, "".join(parts))


def _section_overdue(overdue: dict[str, Any], report: dict[str, Any]) -> str:
    items = (
        [f"KPI {e(code)}: no measurement on its cadence" for code in overdue["kpis"]]
        + [f"KPI {e(code)}: its definition is due for review" for code in overdue["kpi_reviews"]]
        + [f"Key result {e(code)}: no check-in for more than a week" for code in overdue["key_results"]]
    )
    if not items:
        return _section("overdue", "Overdue", "<p>Nothing is overdue.</p>")
    listed = "".join(f'<li><span aria-hidden="true">{OVERDUE}</span> {item}</li>' for item in items)
    return _section("overdue", "Overdue", f'<ul class="overdue">{listed}</ul>')


def _section_raid(raid: dict[str, Any], report: dict[str, Any]) -> str:
    """The RAID log: the top risks by exposure and the overdue actions, each with its owner."""
    opened = ", ".join(
        f"{count} {kind}{'' if count == 1 else 's'}" for kind, count in raid["open"].items() if count
    )
    parts = [f"<p>Open: {opened}.</p>" if opened else "<p>Nothing open in the RAID log.</p>"]
    if raid["top_risks"]:
        rows = "".join(
            f'<tr data-code="{e(risk["project"])} {e(risk["code"])}">'
            f"<td>{e(risk['project'])} {e(risk['code'])} {e(risk['title'])}</td>"
            f'<td class="num">{raid_exposure_text(risk["exposure"], risk["probability"], risk["impact"])}</td>'
            f"<td>{e(risk['owner']) or MISSING}</td><td>{e(risk['due'] or MISSING)}</td></tr>"
            for risk in raid["top_risks"]
        )
        parts.append(
            '<h3>Top risks by exposure</h3><div class="scroll"><table class="raid"><thead><tr>'
            '<th>Risk</th><th class="num">Exposure</th><th>Owner</th><th>Due</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
        )
    parts.append("<h3>Overdue actions</h3>")
    if raid["overdue_actions"]:
        items = "".join(
            f'<li data-code="{e(action["project"])} {e(action["code"])}"><span aria-hidden="true">⚠</span> '
            f"<strong>{e(action['project'])} {e(action['code'])}</strong> {e(action['title'])}: due "
            f"{e(action['due'])}, {action['days_overdue']} day{'' if action['days_overdue'] == 1 else 's'} "
            f"overdue, {('owner ' + e(action['owner'])) if action['owner'] else 'no owner'}</li>"
            for action in raid["overdue_actions"]
        )
        parts.append(f'<ul class="overdue">{items}</ul>')
    else:
        parts.append("<p>None: every open action is within its due date.</p>")
    return _section("raid", "RAID log", "".join(parts))


def _section_maturity(maturity: dict[str, Any] | None, report: dict[str, Any]) -> str:
    if maturity is None:
        return _section("maturity", "Maturity", '<p class="muted">No complete self-assessment yet.</p>')
    score = f" ({maturity['score']:.1f})" if maturity["score"] is not None else ""
    steps = "".join(f"<li>{e(step)}</li>" for step in maturity["next_steps"])
    disagreements = (
        "<p>Where the data disagrees with the self-rating:</p><ul>"
        + "".join(f"<li>{e(text)}</li>" for text in maturity["disagreements"])
        + "</ul>"
        if maturity["disagreements"]
        else ""
    )
    body = (
        f"<p>Stage <strong>{e(maturity['stage_name'])}</strong>{score}, assessed on {e(maturity['taken_on'])}.</p>"
        f"{maturity_chart(maturity)}"
        f'<p class="headline">{e(maturity["mix"]["headline"])}</p>'
        f"<ul><li>KPIs: {e(maturity['mix']['kpis'])}</li><li>OKRs: {e(maturity['mix']['okrs'])}</li></ul>"
        f"<p>Next steps:</p><ol>{steps}</ol>{disagreements}"
    )
    return _section("maturity", "Maturity", body)


def _section_changes(changes: dict[str, Any], report: dict[str, Any]) -> str:
    """What changed since the baseline, grouped as the review screen shows it: each line a
    direction (symbol and word), the record, what changed, before → after, and its owner."""
    baseline = date.fromisoformat(changes["baseline"])
    title = f"What changed since {baseline:%d %B %Y}"
    if changes["reviewed_on"]:
        who = f" by {e(changes['reviewed_by'])}" if changes["reviewed_by"] else ""
        title = f"What changed since the review of {baseline:%d %B %Y}{who}"
    if not changes["lines"]:
        return _section("changes", title, "<p>Nothing changed that a review would look at.</p>")
    tones = {"worse": "red", "better": "green", "new": "amber"}
    parts = []
    for group in ChangeGroup:
        found = [line for line in changes["lines"] if line["group"] == group.value]
        if not found:
            continue
        rows = []
        for line in found:
            movement = Movement(line["movement"])
            symbol, _, word = movement.label.partition(" ")
            code = f"{line['project']}/{line['code']}" if line["project"] else line["code"]
            rows.append(
                f"<tr><td>{_chip(tones.get(movement.value, 'grey'), symbol, word.strip() or movement.value)}</td>"
                f"<td>{e(RECORD_WORDS.get(line['record'], line['record']))} <strong>{e(code)}</strong> "
                f"{e(line['name'])}</td><td>{e(line['what'])}</td>"
                f"<td>{e(line['before'])} → {e(line['after'])}</td>"
                f"<td>{e(line['owner'])}</td></tr>"
            )
        parts.append(
            f"<h3>{e(group.heading)}</h3><table><thead><tr><th>Change</th><th>Record</th><th>What</th>"
            f"<th>Before → after</th><th>Owner</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    return _section("changes", title, "".join(parts))


# The sections drawn on purpose, in the Markdown report's order; `projects` holds both the
# projects that need attention and the SPI/CPI chart of all of them.
SECTIONS: dict[str, Section] = {
    "portfolio": _section_portfolio,
    "changes": _section_changes,
    "kpis": _section_kpis,
    "projects": _section_projects,
    "raid": _section_raid,
    "objectives": _section_objectives,
    "overdue": _section_overdue,
    "maturity": _section_maturity,
}
# Keys of the report that are said in the page's head, not as sections.
HEADING_KEYS = frozenset({"format", "version", "date", "cycle"})


# --------------------------------------------------------------------------- any other section


def _title(key: str) -> str:
    words = key.replace("_", " ").strip()
    return e(words[:1].upper() + words[1:])


def _cell(value: Any) -> str:
    """One value of a record as a table cell shows it."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format_number(value, 2)
    if isinstance(value, int):
        return format_number(value, 0)
    if isinstance(value, list):
        return ", ".join(_cell(item) for item in value) or MISSING
    if isinstance(value, dict):
        return "; ".join(f"{_title(key)}: {_cell(item)}" for key, item in value.items()) or MISSING
    return e(value)


def _generic(value: Any, level: int = 3) -> str:
    """A value of the report with no drawing of its own: records as a table, an object as its
    figures then its lists (each under its own heading), a plain value as a line."""
    if value is None or value == [] or value == {}:
        return '<p class="muted">None.</p>'
    if isinstance(value, list):
        if all(isinstance(item, dict) for item in value):
            columns: list[str] = []
            for item in value:
                columns += [key for key in item if key not in columns]
            head = "".join(f"<th>{_title(column)}</th>" for column in columns)
            body = "".join(
                "<tr>" + "".join(f"<td>{_cell(item.get(column))}</td>" for column in columns) + "</tr>"
                for item in value
            )
            return f'<table class="records"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        return "<ul>" + "".join(f"<li>{_cell(item)}</li>" for item in value) + "</ul>"
    if isinstance(value, dict):
        figures = {k: v for k, v in value.items() if not isinstance(v, list | dict)}
        nested = {k: v for k, v in value.items() if isinstance(v, list | dict)}
        parts = []
        if figures:
            rows = "".join(f"<tr><th>{_title(k)}</th><td>{_cell(v)}</td></tr>" for k, v in figures.items())
            parts.append(f'<table class="figures"><tbody>{rows}</tbody></table>')
        heading = min(level, 6)
        for key, item in nested.items():
            parts.append(f"<h{heading}>{_title(key)}</h{heading}>{_generic(item, level + 1)}")
        return "".join(parts)
    return f"<p>{_cell(value)}</p>"


# --------------------------------------------------------------------------- the page


STYLE = """
:root {
  --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --accent: #0969da;
  --green: #1a7f37; --amber: #9a6700; --red: #cf222e; --grey: #6e7781;
  --green-bg: #dafbe1; --amber-bg: #fff8c5; --red-bg: #ffebe9; --grey-bg: #eff2f5;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0 auto; padding: 24px 32px 48px; max-width: 1120px; color: var(--ink); background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
h1 { font-size: 1.7em; margin: 0 0 4px; }
h2 { font-size: 1.25em; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.05em; margin: 18px 0 4px; }
p { margin: 6px 0; }
.muted, .lede { color: var(--muted); }
.code { font-variant-numeric: tabular-nums; font-weight: 600; color: var(--muted); }
.tiles { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 10px; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: var(--soft); }
.tile-value { font-size: 1.6em; font-weight: 650; font-variant-numeric: tabular-nums; }
.tile-label { color: var(--muted); font-size: 0.88em; }
.kpi-grid { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px 4px; }
.kpi header { font-size: 0.92em; min-height: 2.6em; }
.kpi .name { font-weight: 600; }
.kpi-figures { margin: 4px 0 2px; }
.kpi-value { font-size: 1.35em; font-weight: 650; font-variant-numeric: tabular-nums; }
.kpi-status { font-size: 0.88em; }
.trend { color: var(--muted); margin-left: 6px; }
.note { font-size: 0.85em; color: var(--amber); }
.chip { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 0.88em; font-weight: 600;
  white-space: nowrap; border: 1px solid currentColor; }
.chip.green { color: var(--green); background: var(--green-bg); }
.chip.amber { color: var(--amber); background: var(--amber-bg); }
.chip.red { color: var(--red); background: var(--red-bg); }
.chip.grey { color: var(--grey); background: var(--grey-bg); }
table { width: 100%; border-collapse: collapse; margin: 8px 0 4px; font-size: 0.92em; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); font-weight: 650; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.figures { width: auto; }
td.overrun { color: var(--red); font-weight: 600; }
table.projects td:first-child { min-width: 11em; }
.scroll { overflow-x: auto; }
ul.attention li, ul.overdue li { margin: 3px 0; }
figure.chart { margin: 10px 0; }
figure.chart svg { display: block; width: 100%; height: auto; max-width: 760px; overflow: visible; }
.kpi figure.chart { margin: 4px 0 0; }
figcaption { font-size: 0.8em; color: var(--muted); margin-top: 2px; }
svg text { font-family: inherit; font-size: 11px; fill: var(--ink); }
svg text.axis { font-size: 9.5px; fill: var(--muted); }
svg text.label { font-weight: 600; }
svg text.value { font-variant-numeric: tabular-nums; }
svg text.today-label { font-size: 10px; fill: var(--accent); font-weight: 600; }
svg text.target-label { fill: var(--ink); }
svg .grid { stroke: var(--line); stroke-width: 0.6; }
svg .row-line { stroke: var(--soft); stroke-width: 1; }
svg .target-line { stroke: var(--ink); stroke-width: 1.2; stroke-dasharray: 5 3; }
svg .warning-line { stroke: var(--amber); stroke-width: 1; stroke-dasharray: 2 2; }
svg .problem-line { stroke: var(--red); stroke-width: 1; stroke-dasharray: 2 2; }
svg .par-line { stroke: var(--ink); stroke-width: 1.2; }
svg .today-line { stroke: var(--accent); stroke-width: 1.6; }
svg .series { fill: none; stroke: var(--accent); stroke-width: 1.8; stroke-linejoin: round; }
svg .dot { fill: var(--accent); }
svg .track { fill: var(--grey-bg); }
svg .last, svg .spi, svg .cpi { stroke: #fff; stroke-width: 1; }
svg .spi, svg .cpi { fill: var(--grey); }
svg .green { fill: var(--green); } svg .amber { fill: #bf8700; } svg .red { fill: var(--red); }
svg .grey { fill: var(--grey); }
svg .stage-1 { fill: #cf222e; } svg .stage-2 { fill: #bf8700; } svg .stage-3 { fill: #4b9e5f; }
svg .stage-4 { fill: #1a7f37; } svg .stage-5 { fill: #116329; } svg .stage-0 { fill: var(--grey); }
.objective .meta { font-size: 0.92em; }
footer { margin-top: 36px; font-size: 0.8em; color: var(--muted); border-top: 1px solid var(--line);
  padding-top: 8px; }
@media (max-width: 1000px) {
  td .chip { white-space: normal; }
}
@media (max-width: 900px) {
  .tiles { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .kpi-grid { grid-template-columns: repeat(2, minmax(0, 1fr)); }
}
@page { margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  figure.chart, .kpi, .tile, tr, .objective .meta { break-inside: avoid; page-break-inside: avoid; }
  figure.chart svg { max-width: 100%; }
  thead { display: table-header-group; }
  td .chip { white-space: normal; }
  .tiles { grid-template-columns: repeat(4, minmax(0, 1fr)); }
  .kpi-grid { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; }
  footer { break-inside: avoid; }
}
"""

# Nothing may be fetched: no script, font, image, frame or connection; only the inline style.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"


def report_html(report: dict[str, Any]) -> str:
    """The report as one HTML page that needs nothing else: inline CSS, SVG charts, no script."""
    day = date.fromisoformat(report["date"])
    cycle = report.get("cycle")
    if cycle:
        start, end = date.fromisoformat(cycle["start"]), date.fromisoformat(cycle["end"])
        lede = (
            f"OKR cycle <strong>{e(cycle['name'])}</strong> ({start:%d %b} – {end:%d %b %Y}, "
            f"{e(cycle['status'])}, {format_percent(cycle['elapsed'])} elapsed)."
        )
    else:
        lede = "No OKR cycle yet."
    sections = [render(report[key], report) for key, render in SECTIONS.items() if key in report]
    sections += [
        _section(key, _title(key), _generic(value))
        for key, value in report.items()
        if key not in SECTIONS and key not in HEADING_KEYS
    ]
    title = f"PMO report, {day:%d %B %Y}"
    body = "\n".join(sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{e(report.get("format", ""))} {e(report.get("version", ""))}">\n'
        f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f'<header><h1>{title}</h1><p class="lede">{lede}</p></header>\n<main>\n{body}\n</main>\n'
        f"<footer>pmo-tui report of {day:%d %B %Y}: every figure comes from the same calculations as "
        "the app and the JSON report.</footer>\n</body>\n</html>\n"
    )
