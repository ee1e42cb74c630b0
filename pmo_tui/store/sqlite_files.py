"""The SQLite file on disk: what may be opened, read-only or not, and the backup made before an
upgrade. No SQL here (see dialect)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

from pmo_tui.files import NEW_FILE_ONLY
from pmo_tui.store.errors import DatabaseError

SQLITE_HEADER = b"SQLite format 3\x00"


def check_file(path: Path, create_folder: bool) -> bool:
    """Refuse paths that cannot hold a pmo-tui database; True when this call created the file.

    Only a regular file is opened, and only after os.stat says it is one: a FIFO, a device or a
    socket named as the database is refused without being opened (opening a FIFO would wait for
    a writer forever)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise DatabaseError(f"cannot read {path} ({error.strerror})") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise DatabaseError(f"{path} is a folder, not a database file")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise DatabaseError(
            f"{path} is not a regular file (a device, a pipe or a socket), "
            "not a database file; it was left untouched"
        )
    folder = path.parent
    if not folder.exists():
        if not create_folder:
            raise DatabaseError(f"folder {folder} does not exist")
        folder.mkdir(parents=True, mode=0o700)
    if info is not None:
        try:
            # O_NONBLOCK: should the file have been swapped for a FIFO since, no wait for a writer.
            handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
            try:
                header = (
                    os.read(handle, len(SQLITE_HEADER))
                    if stat.S_ISREG(os.fstat(handle).st_mode)
                    else b"not a file"
                )
            finally:
                os.close(handle)
        except OSError as error:
            raise DatabaseError(f"cannot read {path} ({error.strerror})") from None
        if header and header != SQLITE_HEADER:
            raise DatabaseError(f"{path} is not a SQLite database; it was left untouched")
        return False
    try:
        # Created by us first so the database is readable by its owner only.
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as error:
        raise DatabaseError(f"cannot create {path} ({error.strerror})") from None
    return True


def wal_size(path: Path) -> int:
    """The size of the -wal file beside `path` (0 when there is none). A -wal that holds frames
    may hold the file's latest commits, not yet copied into the file itself: after a crash, a
    kill just after a commit, a full disk (a checkpoint cut short leaves the file itself half
    old, half new: only with its -wal is it whole)."""
    try:
        return os.stat(f"{path}-wal").st_size
    except FileNotFoundError:
        return 0
    except OSError:
        return 1  # there, but not to be looked at: read as SQLite would, through it


def backup(path: Path, version: int) -> Path:
    """A copy of the database as it stands, made before it is upgraded in place: named
    `<name>.schema-<version>.bak`, or `<name>.schema-<version>.<n>.bak` when that name is taken,
    so an earlier backup is never replaced. Created exclusively (never through a link planted
    at its name), readable by its owner only; commits still in the -wal file are in it."""
    for number in range(1, 1000):
        tail = "" if number == 1 else f".{number}"
        target = path.with_name(f"{path.name}.schema-{version}{tail}.bak")
        try:
            handle = os.open(target, NEW_FILE_ONLY, 0o600)
        except FileExistsError:
            continue
        except OSError as error:
            raise DatabaseError(
                f"{path} was not upgraded: its backup {target} cannot be made "
                f"({error.strerror}); it was left untouched"
            ) from None
        break
    else:
        raise DatabaseError(
            f"{path} was not upgraded: a thousand backups of it are beside it "
            "already; move some away. It was left untouched"
        )
    try:
        if wal_size(path) == 0:
            with os.fdopen(handle, "wb") as copy, path.open("rb") as original:
                shutil.copyfileobj(original, copy)
                copy.flush()
                os.fsync(copy.fileno())
        else:
            # The file alone would miss what its -wal holds: SQLite copies what it reads.
            os.close(handle)
            source = sqlite3.connect(read_only_uri(path), uri=True)
            try:
                copied = sqlite3.connect(target)
                try:
                    source.backup(copied)
                finally:
                    copied.close()
            finally:
                source.close()
    except (OSError, sqlite3.Error) as error:
        target.unlink(missing_ok=True)
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise DatabaseError(
            f"{path} was not upgraded: its backup {target} could not be written "
            f"({reason}); it was left untouched"
        ) from None
    return target


def writable(path: Path) -> bool:
    """Whether pmo may write `path` (a file or a folder).

    os.access answers for the user pmo runs as. For root it says yes to everything but a
    read-only file system, so for root the mode bits decide as well: a file or folder that
    grants nobody write permission was made read-only on purpose, by its owner, and pmo
    honours that rather than write through it. This is also what lets the tests, which run as
    root, exercise the read-only opening with chmod 0444 files and 0555 folders."""
    try:
        if not os.access(path, os.W_OK):
            return False
        if getattr(os, "geteuid", lambda: -1)() == 0:
            return bool(os.stat(path).st_mode & 0o222)
    except OSError:
        return False
    return True


def read_only_reason(path: Path, asked: bool = False) -> str | None:
    """Why the database at `path` must be opened for reading only, or None when it may be
    changed: asked for (--read-only), the file read-only, or its folder (SQLite writes its
    journal, -wal and -shm files beside the database)."""
    if asked:
        return "opened with --read-only"
    if path.exists() and not writable(path):
        return "the file is read-only"
    if not writable(path.parent):
        return "its folder is read-only"
    return None


def read_only_uri(path: Path) -> str:
    """The URI that opens `path` for reading only, with every commit in it.

    A WAL database opened read-only needs its -shm index, which SQLite creates beside it when
    missing; in a read-only folder it cannot, and beside a read-only file it should not. Without
    a -wal file (or with an empty one) every commit is in the main file, which nobody may change
    (it or its folder is read-only), so it is opened `immutable`: nothing is created beside it,
    and no -shm is needed. A -wal holding
    commits is read through its -shm when that exists; without one those commits cannot be read
    in place, and the database is refused rather than shown without them."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if writable(path) and writable(path.parent):
        return uri  # read-only by request: other programs may change it meanwhile, as usual
    wal, shm, journal = (path.with_name(path.name + tail) for tail in ("-wal", "-shm", "-journal"))
    try:
        wal_size = wal.stat().st_size if wal.exists() else 0
    except OSError:
        wal_size = 1
    if wal_size == 0 and not journal.exists():
        return f"{uri}&immutable=1"
    if wal_size and not shm.exists():
        raise DatabaseError(
            f"{path} has recent changes in its -wal file, which can be read only with write "
            "permission on its folder; copy the file with its -wal to a folder of yours and open "
            "the copy"
        )
    return uri
