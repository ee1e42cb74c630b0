"""KPI measurements from a spreadsheet: a CSV with the columns kpi, period, value and note.

A header is required; UTF-8 with or without a byte-order mark. The first bad row rejects the
whole file, with its line number, before anything is written.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from collections.abc import Callable, Iterable, Iterator
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


def line_fields(line: bytes) -> list[str] | None:
    """The CSV fields of one line read as bytes (a header), or None when it is not UTF-8 or
    not CSV."""
    try:
        return next(csv.reader([line.decode("utf-8").rstrip("\r")], strict=True))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None


def first_bytes(path: Path, limit: int) -> bytes:
    """The first `limit` bytes of a file, without a UTF-8 byte-order mark."""
    with path.open("rb") as handle:
        return handle.read(limit).removeprefix(b"\xef\xbb\xbf")


def _check_first_line(path: Path) -> None:
    """Refuse a file whose first line is no header at once, before the rest of it is read: a
    large file of something else then fails as fast as a small one, in one line."""
    start = first_bytes(path, HEADER_LIMIT + 1)
    line, newline, _ = start.partition(b"\n")
    if not newline and len(start) <= HEADER_LIMIT:
        return  # the whole file is one short line: read as usual
    if not newline:
        raise PortfolioFileError(
            f"{path}:1", "the first line is not a header: expected kpi,period,value and optionally note"
        )
    fields = line_fields(line)
    if fields is not None:  # else left to the full read, which says exactly what is wrong where
        _header_columns(path, fields)


def csv_rows(
    path: Path,
    columns_of: Callable[[Path, list[str]], list[str]],
    header: str,
    *,
    first_line: Callable[[Path], None] | None = None,
) -> Iterator[tuple[int, list[str], dict[str, int]]]:
    """The rows of a CSV file of the imports, each (line number, fields, the column of each name
    of the header, which `columns_of` checks), blank lines skipped (spreadsheets leave them at
    the end). A row of another width than the header, an empty file (`header`: the columns
    expected, in words), one that is not CSV or cannot be read: PortfolioFileError with the
    place. `first_line` looks at the file's first line before the rest is read."""
    reader = None
    try:
        check_regular_file(path)
        if first_line is not None:
            first_line(path)
        reader = csv.reader(text_lines(path), strict=True)
        try:
            names = next(reader)
        except StopIteration:
            raise PortfolioFileError(f"{path}", f"the file is empty: expected the header {header}") from None
        columns = columns_of(path, names)
        where = {name: columns.index(name) for name in columns}
        width = len(columns)
        for fields in reader:
            for field in fields:
                if field.strip():
                    break
            else:
                continue  # a blank line
            if len(fields) != width:
                raise PortfolioFileError(
                    f"{path}:{reader.line_num}", f"{len(fields)} fields, the header has {width}"
                )
            yield reader.line_num, fields, where
    except csv.Error as error:
        location = f"{path}:{reader.line_num}" if reader is not None else f"{path}"
        raise PortfolioFileError(location, f"not a readable CSV file ({error})") from None
    except OSError as error:
        raise PortfolioFileError(f"{path}", f"cannot be read ({error.strerror})") from None


def read_measurements_csv(path: Path | str) -> list[MeasurementRow]:
    """Every row of the file, checked; the first problem raises PortfolioFileError(file:line)."""
    path = Path(path)
    rows = []
    seen: dict[tuple[str, date], int] = {}
    for number, fields, where in csv_rows(
        path, _header_columns, "kpi,period,value,note", first_line=_check_first_line
    ):
        try:
            kpi = fields[where["kpi"]].strip()
            if not kpi:
                raise InvalidInput("kpi", "must not be empty")
            period = parse_date(fields[where["period"]], "period")
            value = parse_number(fields[where["value"]], "value")
            # Without a note column a replaced value keeps the note it had.
            at_note = where.get("note")
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
