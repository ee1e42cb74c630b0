"""How numbers, dates and statuses read on screen and in reports (plain strings, no terminal codes)."""

from __future__ import annotations

import unicodedata

from pmo_tui.calculations import is_number

MISSING = "—"


def format_number(value: float | None, digits: int = 1) -> str:
    """A number with thousands separators and at most `digits` decimals; — when missing."""
    if not is_number(value):
        return MISSING
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def format_value(value: float | None, unit: str, digits: int = 1, *, with_unit: bool = True) -> str:
    """A measured value with its unit: `72.5%`, `1.04` (a ratio), `3 count`. The unit is user
    text: escape codes in it are drawn as visible symbols (see `literal`)."""
    if not is_number(value):
        return MISSING
    if unit == "ratio":
        return f"{value:.2f}"
    number = format_number(value, digits)
    if not unit or not with_unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {literal(unit)}"


def format_aim(
    target: float | None,
    band: tuple[float, float] | None,
    unit: str,
    digits: int = 1,
    *,
    with_unit: bool = True,
) -> str:
    """A KPI's target, or its band with the unit said once: `80%`, `75–85%`, `2–4 days`."""
    if band is None:
        return format_value(target, unit, digits, with_unit=with_unit)
    low = format_value(band[0], unit, digits, with_unit=False)
    return f"{low}–{format_value(band[1], unit, digits, with_unit=with_unit)}"


def plain_number(value: float | None) -> str:
    """A stored number as a person would type it back into a field: 40, 0.93, 1250000."""
    if not is_number(value):
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def format_index(value: float | None) -> str:
    """SPI or CPI to two decimals."""
    return f"{value:.2f}" if is_number(value) else MISSING


def format_percent(share: float | None) -> str:
    """A share in [0, 1] as a whole percentage."""
    return f"{share * 100:.0f}%" if is_number(share) else MISSING


def format_pct(value: float | None) -> str:
    """A figure already in percent (0–100) as a whole percentage: `77%`."""
    return f"{value:.0f}%" if is_number(value) else MISSING


def format_confidence(confidence: float | None) -> str:
    """Confidence 0–1 reads as x/10."""
    return f"{round(confidence * 10)}/10" if is_number(confidence) else MISSING


def progress_bar(share: float, width: int = 10) -> str:
    """A text bar in eighths of a cell: `██████▍   `."""
    share = 0.0 if not is_number(share) else max(0.0, min(1.0, share))
    eighths = round(share * width * 8)
    full, rest = divmod(eighths, 8)
    partial = " ▏▎▍▌▋▊▉"[rest] if rest else ""
    return ("█" * full + partial).ljust(width)


SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


def text_sparkline(values: tuple[float, ...] | list[float], width: int = 12) -> str:
    """The last `width` values as block characters, for places a Sparkline widget cannot go."""
    series = [v for v in values if is_number(v)][-width:]
    if not series:
        return ""
    low, high = min(series), max(series)
    if high == low:
        return SPARK_BLOCKS[3] * len(series)
    scale = (len(SPARK_BLOCKS) - 1) / (high - low)
    return "".join(SPARK_BLOCKS[round((v - low) * scale)] for v in series)


_CONTROL_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}


def literal(text: str) -> str:
    """User text made safe to draw: control characters (escape codes) become visible symbols.

    C0 (line breaks and tabs too) and DEL become their Control Pictures (␛, ␇, ␊, ␡); a C1
    control (U+0080–U+009F, e.g. U+009B, the one-character CSI) becomes �. Nothing a terminal
    acts on is left; every other character is kept as typed."""
    if text.isprintable():
        return text
    return "".join(
        _CONTROL_PICTURES.get(ord(ch), ch)
        if ord(ch) < 0x20 or ord(ch) == 0x7F
        else ("\ufffd" if unicodedata.category(ch) == "Cc" else ch)
        for ch in text
    )


def literal_lines(text: str) -> str:
    """Text of several lines for a terminal (CLI output, a notification): each line as `literal`
    draws it, the line breaks between them kept."""
    return "\n".join(literal(line) for line in text.split("\n"))


def is_terminal_safe(text: str) -> bool:
    """No character a terminal acts on but line breaks and tabs: no C0 control but \\n and \\t,
    no DEL, no C1 control."""
    return not any((ord(ch) < 0x20 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F for ch in text)


# An overdue RAID item, or any overdue thing, is marked by a symbol and a word, never by colour alone.
OVERDUE = "⚠ overdue"


def raid_status_text(status: str, overdue: bool) -> str:
    """A RAID item's status as listed: "open", "closed" or "⚠ overdue"."""
    return OVERDUE if overdue else status


def raid_exposure_text(exposure: int | None, probability: int | None, impact: int | None) -> str:
    """A risk's exposure with its factors ("12 (4×3)"); nothing for the other kinds."""
    if exposure is None:
        return ""
    return f"{exposure} ({probability}×{impact})"


def raid_line(item) -> str:
    """One RAID item on one line, for the command line: project and code, kind, title, owner,
    status (or ⚠ overdue), due day, a risk's exposure."""
    parts = [
        f"{item.project_code} {item.code}",
        item.kind,
        item.title,
        item.owner or "no owner",
        raid_status_text(item.status, item.overdue),
    ]
    if item.status == "closed" and item.closed:
        parts[-1] += f" {item.closed.isoformat()}"
    elif item.due:
        parts.append(f"due {item.due.isoformat()}")
    if item.exposure is not None:
        parts.append(f"exposure {raid_exposure_text(item.exposure, item.probability, item.impact)}")
    return " · ".join(parts)
