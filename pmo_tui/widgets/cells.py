"""Table cells: user text that is never markup, status words coloured from the theme, and the
code each row stands for."""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.widgets.data_table import RowKey

from pmo_tui.calculations import Grade, Health, Pace, Status
from pmo_tui.formatting import literal

HEALTH_TONES = {
    Health.GREEN: "success",
    Health.AMBER: "warning",
    Health.RED: "error",
    Health.UNKNOWN: "text-muted",
}
HEALTH_SYMBOLS = {Health.GREEN: "●", Health.AMBER: "▲", Health.RED: "■", Health.UNKNOWN: "?"}
STATUS_TONES = {
    Status.GREEN: "success",
    Status.AMBER: "warning",
    Status.RED: "error",
    Status.UNKNOWN: "text-muted",
}
GRADE_TONES = {Grade.GREEN: "success", Grade.AMBER: "warning", Grade.RED: "error"}
GRADE_SYMBOLS = {Grade.GREEN: "●", Grade.AMBER: "▲", Grade.RED: "■"}
# While a cycle runs its progress is not yet a grade: the same bands read in other words.
RUNNING_GRADE_WORDS = {Grade.GREEN: "strong", Grade.AMBER: "partial", Grade.RED: "behind"}
PACE_TONES = {
    Pace.ON_TRACK: "success",
    Pace.AT_RISK: "warning",
    Pace.OFF_TRACK: "error",
    Pace.OVERDUE: "error",
    Pace.NOT_STARTED: "text-muted",
}
PACE_SYMBOLS = {
    Pace.ON_TRACK: "●",
    Pace.AT_RISK: "▲",
    Pace.OFF_TRACK: "■",
    Pace.OVERDUE: "⧗",
    Pace.NOT_STARTED: "○",
}
OVERDUE_SYMBOL = "⧗"


def row_code(key: RowKey) -> str:
    """The code (or id) a row was added under: every table here adds its rows with one."""
    if key.value is None:
        raise LookupError("a table row added without a key")
    return key.value


def cell(text: str | None, *, right: bool = False) -> Text:
    """User text for a table cell: never markup, cut with an ellipsis when too long."""
    return Text(literal(text or ""), no_wrap=True, overflow="ellipsis", justify="right" if right else "left")


def tone(app: App, text: str, variable: str, *, bold: bool = False) -> Text:
    """Text coloured from the theme, so no colour is written in Python."""
    colour = app.theme_variables.get(variable, "")
    return Text(text, style=f"bold {colour}" if bold else colour, no_wrap=True, overflow="ellipsis")


def grade_cell(app: App, grade: Grade, graded: bool) -> Text:
    """A grade band as symbol and word: missed/partial/achieved once graded, else behind/partial/strong."""
    word = grade.word if graded else RUNNING_GRADE_WORDS[grade]
    return tone(app, f"{GRADE_SYMBOLS[grade]} {word}", GRADE_TONES[grade])


def kpi_status_label(status: Status, overdue: bool) -> tuple[str, str]:
    """A KPI's status as symbol and word, with its theme tone; silence reads as overdue."""
    if overdue:
        return f"{OVERDUE_SYMBOL} overdue", "error"
    return f"{status.symbol} {status.word}", STATUS_TONES[status]


def kpi_status_cell(app: App, status: Status, overdue: bool) -> Text:
    """A KPI's status for a table cell, never its last colour when it has gone silent."""
    return tone(app, *kpi_status_label(status, overdue))
