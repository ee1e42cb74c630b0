"""What went wrong, in the user's words: one sentence or three for any error the data layer raises.

The TUI (one handler for every worker, and the forms) and the CLI (one line on standard error)
both explain a failure here, so each failure reads the same wherever it happens. A message never
quotes SQL, parameters or an exception's class, and says what to do next. Only a file SQLite
itself finds damaged is ever called damaged: a locked, full or read-only database is healthy,
and its message says so by what it does not say.

Headless: no Textual, no SQLAlchemy (a wrapped driver error is recognised by its `orig`).
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator

# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_ERROR = 1
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_NOMEM = 7
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_PROTOCOL = 15
_SQLITE_CONSTRAINT = 19
_SQLITE_AUTH = 23
_SQLITE_NOTADB = 26

LOCKED = (
    "The portfolio is locked by another program that is saving to it (another pmo, or a "
    "database tool). Nothing was changed. Wait until it has finished, or close it, then try again."
)
DISK_FULL = (
    "The disk is full, so this change was not saved. Nothing already saved was lost. "
    "Free some space on the disk, then try again."
)
READ_ONLY = (
    "The portfolio file or its folder is read-only, so changes cannot be saved. Nothing was "
    "changed. You can still browse, write the report and export. To make changes, make the file "
    "and its folder writable (or copy the file to a folder of yours) and open it again."
)
DAMAGED = (
    "SQLite cannot read part of the portfolio file: it is damaged. Nothing was changed. Keep a "
    "copy of the file as it is, then use your latest export or backup of it."
)
CANNOT_OPEN = (
    "The portfolio file cannot be opened: it may have been moved, renamed or deleted, or its "
    "disk is no longer there. Check that it is in its place, then open it again."
)
DISK_ERROR = (
    "The disk reported an error while the portfolio was being read or written, so this was not "
    "done. Check that the disk is still connected and healthy, then try again."
)
OUT_OF_MEMORY = "The computer ran out of memory while doing this. Close some programs, then try again."
CONFLICT = (
    "This change conflicts with what the portfolio holds now (another pmo may have changed the "
    "same record). Nothing was changed. Look at it again, then retry."
)
DATABASE_REFUSED = (
    "The database could not do this, and nothing was changed. If it happens again, the file may "
    "have been changed by another program: `pmo export` shows what it holds."
)
SERVER_LOST = (
    "The connection to the database server was lost (the server stopped, restarted or cannot be "
    "reached), so this was not done. Nothing already saved was lost. pmo connects again by "
    "itself: try again in a moment, or check the network and the server."
)
SERVER_BUSY = (
    "The database server is busy with another user's change to the same records. Nothing was "
    "changed. Try again in a moment."
)
SERVER_NOT_ALLOWED = (
    "Your database role is not allowed to make this change (it may be a read-only role). "
    "Nothing was changed. Ask the PMO lead for write access, or open the portfolio with "
    "--read-only."
)
SERVER_FULL = (
    "The database server's disk is full, so this change was not saved. Nothing already saved "
    "was lost. Ask the server's administrator to free some space, then try again."
)
UNEXPECTED = (
    "Something went wrong that pmo does not know how to explain. Nothing was changed by it. "
    "Try again; if it happens again, please report what you were doing."
)


def read_only_message(reason: str) -> str:
    """Why a change cannot be made to a portfolio opened read-only (`reason`: "the file is
    read-only", say), and what the user can still do and how to make changes."""
    if reason.startswith("the role "):  # on a server: what the PMO lead granted the role
        what = "this change cannot" if "this change" in reason else "changes cannot"
        return (
            f"This portfolio is read-only to you ({reason}): {what} be saved. You can still browse "
            "it, write the report and export it. To change it, ask the PMO lead for a role that may "
            "(see Team use in the README)."
        )
    if "--read-only" in reason or "PMO_READ_ONLY" in reason:
        remedy = "To change it, open it without --read-only (and without PMO_READ_ONLY set)."
    else:
        remedy = (
            "To change it, make the file and its folder writable, or copy the file to a "
            "folder of yours, and open it again."
        )
    return (
        f"This portfolio is read-only ({reason}): changes cannot be saved. You can still "
        f"browse it, write the report and export it. {remedy}"
    )


def explain(error: BaseException) -> str:
    """The message for `error`, in the user's words."""
    chain = list(_causes(error))
    for cause in chain:
        message = _our_message(cause)
        if message is not None:
            return message
    for cause in chain:
        if isinstance(cause, sqlite3.Error):
            return _sqlite_message(cause)
    for cause in chain:
        if _is_server_error(cause):
            return _server_message(cause)
    for cause in chain:
        if isinstance(cause, OSError):
            return _os_message(cause)
    for cause in chain:
        if isinstance(cause, MemoryError):
            return OUT_OF_MEMORY
    return UNEXPECTED


def is_about_the_database(error: BaseException) -> bool:
    """Whether `error` came from the database file itself (SQLite, or a change refused because it
    is read-only), so that a message may name the file."""
    return any(
        isinstance(cause, sqlite3.Error) or _is_server_error(cause) or type(cause).__name__ == "ReadOnly"
        for cause in _causes(error)
    )


def _causes(error: BaseException) -> Iterator[BaseException]:
    """`error`, then what it wraps (a SQLAlchemy error's driver error) and what caused it."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        wrapped = getattr(current, "orig", None)
        if isinstance(wrapped, BaseException) and id(wrapped) not in seen:
            current = wrapped
        else:
            current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)


def _our_message(error: BaseException) -> str | None:
    """pmo-tui's own errors are written for the user already (a refused field, a file that
    cannot be imported, a record deleted by another session, a read-only portfolio)."""
    module = type(error).__module__ or ""
    if not module.startswith("pmo_tui"):
        return None
    text = str(error).strip() or None
    if text is None:
        return None
    if type(error).__name__ == "NotFound":
        text = text[0].upper() + text[1:]
        return (
            f"{text.rstrip('.')}: it may have been deleted by another pmo window or program. "
            "Go back and open it again to see the portfolio as it is now."
        )
    return text


def _sqlite_message(error: sqlite3.Error) -> str:
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(error).lower()
    if (
        primary in (_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_PROTOCOL)
        or "database is locked" in text
        or "database table is locked" in text
    ):
        return LOCKED
    if primary == _SQLITE_FULL or "database or disk is full" in text:
        return DISK_FULL
    if primary in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_AUTH) or "readonly database" in text:
        return READ_ONLY
    if (
        primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
        or "malformed" in text
        or "file is not a database" in text
    ):
        return DAMAGED
    if primary == _SQLITE_CANTOPEN or "unable to open database" in text:
        return CANNOT_OPEN
    if primary == _SQLITE_IOERR or "disk i/o error" in text:
        return DISK_ERROR
    if primary == _SQLITE_NOMEM or "out of memory" in text:
        return OUT_OF_MEMORY
    if primary == _SQLITE_CONSTRAINT or isinstance(error, sqlite3.IntegrityError):
        return CONFLICT
    return DATABASE_REFUSED


def _is_server_error(error: BaseException) -> bool:
    """A PostgreSQL driver's error (psycopg), recognised without importing the optional driver."""
    return (type(error).__module__ or "").startswith("psycopg")


def _server_message(error: BaseException) -> str:
    """PostgreSQL's refusals by their SQLSTATE class: the code, not the server's own text, which
    may quote SQL or values."""
    state = getattr(error, "sqlstate", None) or ""
    kind = type(error).__name__
    if state.startswith(("08", "57P")) or (not state and kind in ("OperationalError", "InterfaceError")):
        return SERVER_LOST
    if state in ("40001", "40P01", "55P03", "57014"):
        return SERVER_BUSY
    if state.startswith("23"):
        return CONFLICT
    if state in ("42501", "25006"):
        return SERVER_NOT_ALLOWED
    if state in ("53100",):
        return SERVER_FULL
    if state.startswith("53"):
        return OUT_OF_MEMORY
    return DATABASE_REFUSED


def _os_message(error: OSError) -> str:
    name = error.filename
    where = f" ({name})" if name else ""
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return (
            f"The disk is full{where}, so this was not written. Nothing already saved was lost. "
            "Free some space on the disk, then try again."
        )
    if error.errno == errno.EROFS:
        return (
            f"The disk{where} is read-only, so nothing can be written there. Nothing was "
            "changed. Choose a folder on another disk, or make this one writable."
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return (
            f"pmo is not allowed to use this file or folder{where}: it is read-only, or not "
            "yours. Nothing was changed. Choose a folder of yours, or change its permissions, "
            "then try again."
        )
    if error.errno == errno.ENOENT:
        return f"A file or folder is missing{where}. Check that it is in its place, then try again."
    if error.errno == errno.EIO:
        return DISK_ERROR
    reason = error.strerror or "the system refused it"
    return f"The file could not be used{where}: {reason[0].lower()}{reason[1:]}. Nothing was changed."
