"""KPI measurements from a spreadsheet: a CSV with the columns kpi, period, value and note.

A header is required; UTF-8 with or without a byte-order mark. The first bad row rejects the
whole file, with its line number, before anything is written.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pmo_tui.portfolio_file import PortfolioFileError
from pmo_tui.progress import report, size_text
from pmo_tui.validation import InvalidInput, parse_date, parse_number

REQUIRED_COLUMNS = ("kpi", "period", "value")
COLUMNS = (*REQUIRED_COLUMNS, "note")
MAX_NOTE = 500


@dataclass(frozen=True)
class MeasurementRow:
    line: int
    kpi: str
    period: date
    value: float
    note: str | None  # None: the file has no note column


def _lines(path: Path) -> Iterator[str]:
    """The file's lines as text; bytes that are not UTF-8 are refused with their line."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise PortfolioFileError(
                    f"{path}:{number}",
                    f"not UTF-8 text (byte {error.start + 1} of the line); save the sheet as CSV UTF-8",
                ) from None


def text_lines(path: Path) -> Iterable[str]:
    """The file's lines as `_lines` gives them, read in one go when the whole file is UTF-8; else
    `_lines` itself, which refuses the first line that is not, once the reader gets there."""
    with path.open("rb") as handle:
        data = handle.read()
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        return _lines(path)
    if not text:
        return _lines(path)  # empty, or a byte-order mark alone: a line of its own, ""
    # Lines end at "\n" only, with it kept, as a binary file's lines do (a lone "\r" stays inside).
    return io.StringIO(text, newline="\n")


# A header is a few dozen bytes; a first line longer than this is not one.
HEADER_LIMIT = 64 * 1024


def header_columns(
    path: Path, header: list[str], known: tuple[str, ...], required: tuple[str, ...], expected: str
) -> list[str]:
    """A CSV header's column names (trimmed, lower case), or PortfolioFileError(file:1) saying
    what is wrong with it after `expected` (the columns the file should name, in words)."""
    columns = [name.strip().lower() for name in header]
    unknown = [name for name in columns if name not in known]
    missing = [name for name in required if name not in columns]
    if unknown or missing or len(set(columns)) != len(columns):
        said = []
        if missing:
            said.append(f"missing {', '.join(missing)}")
        if unknown:
            said.append(f"unknown {', '.join(repr(name[:40]) for name in unknown[:3])}")
        if len(set(columns)) != len(columns):
            said.append("a column is named twice")
        raise PortfolioFileError(f"{path}:1", expected.format(problems="; ".join(said)))
    return columns


def _header_columns(path: Path, header: list[str]) -> list[str]:
    return header_columns(
        path,
        header,
        COLUMNS,
        REQUIRED_COLUMNS,
        "the header must name the columns kpi, period, value and optionally note ({problems}); "
        "a CSV of check-ins names key_result, on, value",
    )


def check_regular_file(path: Path) -> None:
    """Only a regular file is opened: a FIFO or a device would be waited on, or read, forever."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise PortfolioFileError(
            str(path),
            "is a folder; name a CSV file"
            if stat.S_ISDIR(info.st_mode)
            else "is not a regular file (a device, a pipe or a socket); name a CSV file",
        )
    report(f"reading and checking the file ({size_text(info.st_size)})")


def _check_first_line(path: Path) -> None:
    """Refuse a file whose first line is no header at once, before the rest of it is read: a
    large file of something else then fails as fast as a small one, in one line."""
    with path.open("rb") as handle:
        start = handle.read(HEADER_LIMIT + 1)
    line, newline, _ = start.removeprefix(b"\xef\xbb\xbf").partition(b"\n")
    if not newline and len(start) <= HEADER_LIMIT:
        return  # the whole file is one short line: read as usual
    if not newline:
        raise PortfolioFileError(
            f"{path}:1", "the first line is not a header: expected kpi,period,value and optionally note"
        )
    try:
        fields = next(csv.reader([line.decode("utf-8").rstrip("\r")], strict=True))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return  # left to the full read, which says exactly what is wrong where
    _header_columns(path, fields)


def read_measurements_csv(path: Path | str) -> list[MeasurementRow]:
    """Every row of the file, checked; the first problem raises PortfolioFileError(file:line)."""
    path = Path(path)
    reader = None
    try:
        check_regular_file(path)
        _check_first_line(path)
        reader = csv.reader(text_lines(path), strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise PortfolioFileError(
                f"{path}", "the file is empty: expected the header kpi,period,value,note"
            ) from None
        columns = _header_columns(path, header)
        where = {name: columns.index(name) for name in columns}
        width = len(columns)
        at_kpi, at_period, at_value = where["kpi"], where["period"], where["value"]
        at_note = where.get("note")
        rows = []
        seen: dict[tuple[str, date], int] = {}
        for fields in reader:
            number = reader.line_num
            for field in fields:
                if field.strip():
                    break
            else:
                continue  # a blank line, as spreadsheets leave at the end
            if len(fields) != width:
                raise PortfolioFileError(f"{path}:{number}", f"{len(fields)} fields, the header has {width}")
            try:
                kpi = fields[at_kpi].strip()
                if not kpi:
                    raise InvalidInput("kpi", "must not be empty")
                period = parse_date(fields[at_period], "period")
                value = parse_number(fields[at_value], "value")
                # Without a note column a replaced value keeps the note it had.
                note = fields[at_note].strip() if at_note is not None else None
                if note is not None and len(note) > MAX_NOTE:
                    raise InvalidInput("note", f"at most {MAX_NOTE} characters ({len(note)} given)")
            except InvalidInput as error:
                raise PortfolioFileError(f"{path}:{number}", f"{error.field}: {error.message}") from None
            key = (kpi, period)
            if key in seen:
                raise PortfolioFileError(
                    f"{path}:{number}", f"{kpi} {period.isoformat()} is already on line {seen[key]}"
                )
            seen[key] = number
            rows.append(MeasurementRow(number, kpi, period, value, note))
        return rows
    except csv.Error as error:
        location = f"{path}:{reader.line_num}" if reader is not None else f"{path}"
        raise PortfolioFileError(location, f"not a readable CSV file ({error})") from None
    except OSError as error:
        raise PortfolioFileError(f"{path}", f"cannot be read ({error.strerror})") from None
