"""Check-ins collected from owners in a spreadsheet: a CSV with the columns key_result, on, value and
optionally confidence (0-10, as the app takes it), comment and by.

A header is required, and says which import a CSV is (is_check_ins_csv: it names key_result); UTF-8
with or without a byte-order mark. The first bad row rejects the whole file with its line and
column, before anything is written; the store then applies a check-in's own rules to every row
(CheckInStore.import_check_ins), all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pmo_tui.measurements_csv import HEADER_LIMIT, csv_rows, first_bytes, header_columns, line_fields
from pmo_tui.portfolio_file import PortfolioFileError
from pmo_tui.validation import InvalidInput, parse_confidence, parse_date, parse_number, parse_text

REQUIRED_COLUMNS = ("key_result", "on", "value")
COLUMNS = (*REQUIRED_COLUMNS, "confidence", "comment", "by")
MAX_COMMENT = 500  # as the check-in's comment field
MAX_BY = 200


@dataclass(frozen=True)
class CheckInRow:
    line: int
    key_result: str
    on: date
    value: float
    confidence: float | None  # 0-1; None: the key result's last confidence, as `pmo checkin` keeps it
    comment: str
    by: str | None  # None: the user working


def is_check_ins_csv(path: Path | str) -> bool:
    """Whether a CSV's header names the column key_result (else it is taken for measurements).
    Only the first line is read; a file that cannot be read is left to the reader to explain."""
    try:
        header = line_fields(first_bytes(Path(path), HEADER_LIMIT).partition(b"\n")[0])
    except OSError:
        return False
    return header is not None and "key_result" in {name.strip().lower() for name in header}


def _header_columns(path: Path, header: list[str]) -> list[str]:
    return header_columns(
        path,
        header,
        COLUMNS,
        REQUIRED_COLUMNS,
        "the header of check-ins must name the columns key_result, on, value and optionally "
        "confidence, comment, by ({problems})",
    )


def _field(fields: list[str], where: dict[str, int], name: str) -> str | None:
    """A column's text in a row; None when the file has no such column."""
    at = where.get(name)
    return fields[at] if at is not None else None


def read_check_ins_csv(path: Path | str) -> list[CheckInRow]:
    """Every row of the file, checked; the first problem raises PortfolioFileError(file:line)
    saying which column."""
    path = Path(path)
    rows = []
    seen: dict[tuple[str, date], int] = {}
    for number, fields, where in csv_rows(path, _header_columns, "key_result,on,value"):
        try:
            code = fields[where["key_result"]].strip()
            if not code:
                raise InvalidInput("key_result", "must not be empty")
            on = parse_date(fields[where["on"]], "on")
            value = parse_number(fields[where["value"]], "value")
            confidence_text = (_field(fields, where, "confidence") or "").strip()
            confidence = parse_confidence(confidence_text) if confidence_text else None
            comment = parse_text(_field(fields, where, "comment") or "", "comment", limit=MAX_COMMENT)
            by = parse_text(_field(fields, where, "by") or "", "by", limit=MAX_BY) or None
        except InvalidInput as error:
            raise PortfolioFileError(f"{path}:{number}", f"column {error.field}: {error.message}") from None
        key = (code, on)
        if key in seen:
            raise PortfolioFileError(
                f"{path}:{number}",
                f"{code} already has a check-in on {on.isoformat()} on line {seen[key]} "
                "(one check-in per key result and day)",
            )
        seen[key] = number
        rows.append(CheckInRow(number, code, on, value, confidence, comment, by))
    return rows
