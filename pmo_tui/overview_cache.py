"""The overview last read from a database, kept in the user's cache folder, so that the next
start shows it at once instead of working it out from every project again.

It is used only for the very state it was read from: the same file, the same identity and
revision (Store.revision: the identity is set in the file when it is created or upgraded, the
revision moves with every change to a portfolio table, both random, so another database, even
one put at the same path, never matches), the same day and the same code that worked it out.
Anything else, and a damaged or unreadable file, is a miss: the overview is then read from the
database as always. Anything at the cache's path that is not a regular file of the user's (a
folder, a FIFO, a device, a link) is a miss too, looked at without waiting on it, and is never
written through. Nothing here changes the database.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import stat
import time
from datetime import date
from functools import cache
from pathlib import Path

from pmo_tui import calculations, records
from pmo_tui.locations import user_cache_dir
from pmo_tui.records import Overview

# The modules whose code the overview is worked out by: a change to any of them is a miss.
_SOURCES = ("store/*.py", "calculations.py", "records.py", "models.py", "schema.py")
_FOLDER = "overview"


@cache
def _code_key() -> str:
    digest = hashlib.sha256()
    folder = Path(__file__).parent
    for pattern in _SOURCES:
        for path in sorted(folder.glob(pattern)):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _where(database: Path | str) -> str:
    """A SQLite file's full path, or a server database's URL as the store shows it (Store.location:
    never with its password, so none is ever written into the cache)."""
    return str(database.resolve()) if isinstance(database, Path) else database


def cache_file(database: Path | str) -> Path:
    """The cache file of one database, named after its full path or its URL."""
    name = hashlib.sha256(_where(database).encode()).hexdigest()[:32]
    return user_cache_dir() / _FOLDER / f"{name}.pickle"


def _key(database: Path | str, revision: str, today: date) -> tuple:
    return (_code_key(), _where(database), revision, today.isoformat())


class _OverviewUnpickler(pickle.Unpickler):
    """Builds only what an Overview is made of: pmo-tui's records and dates, never any other
    class or function a file could name."""

    def find_class(self, module: str, name: str) -> type:
        if module in (records.__name__, calculations.__name__):
            found = getattr(records if module == records.__name__ else calculations, name, None)
            if isinstance(found, type) and found.__module__ == module:  # defined there
                return found
        elif (module, name) == ("datetime", "date"):
            return date
        raise pickle.UnpicklingError(f"{module}.{name} is not part of an overview")


def _open_regular(path: Path) -> io.BufferedReader | None:
    """`path` opened for reading when it is a regular file of this user's; None for anything
    else: a link is not followed (O_NOFOLLOW), a FIFO is not waited on (O_NONBLOCK)."""
    flags = (
        os.O_RDONLY
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_NOFOLLOW", 0)
        | getattr(os, "O_CLOEXEC", 0)
        | getattr(os, "O_BINARY", 0)
    )
    handle = os.open(path, flags)
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != getattr(os, "geteuid", lambda: info.st_uid)():
            os.close(handle)
            return None
        if hasattr(os, "set_blocking"):
            os.set_blocking(handle, True)
        return os.fdopen(handle, "rb")
    except BaseException:
        os.close(handle)
        raise


def load(database: Path | str | None, revision: str, today: date) -> Overview | None:
    """The cached overview of `database` at `revision` (Store.revision) on `today`, or None."""
    if database is None:  # a server's database named by its path (None): see Store.location
        return None
    try:
        file = _open_regular(cache_file(database))
        if file is None:
            return None
        with file:
            unpickler = _OverviewUnpickler(file)
            # The key comes first, on its own: a miss reads no further than it.
            if unpickler.load() != _key(database, revision, today):
                return None
            overview = unpickler.load()
    except Exception:  # missing, unreadable, damaged, of another version: a miss
        return None
    return overview if isinstance(overview, Overview) else None


def save(database: Path | str | None, revision: str, today: date, overview: Overview) -> None:
    """Keep `overview`, read at `revision` on `today`, for the next start. A cache that cannot
    be written only makes that start slower: errors are not raised."""
    from pmo_tui.files import FileNotWritten, write_private

    if database is None:
        return

    path = cache_file(database)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dump(_key(database, revision, today))
        pickler.dump(overview)
        _clear_leftovers(path.parent)
        # Written aside under a random name, created exclusively, then renamed over: a reader
        # never sees half a file, and a link or a file planted in the folder neither redirects
        # the write nor reads it. Readable by its owner only, as the database itself is.
        # Anything there that is not a regular file is left alone (see files.check_target).
        write_private(path, buffer.getvalue(), replace=True)
    except (OSError, FileNotWritten):
        pass


def _clear_leftovers(folder: Path) -> None:
    """Remove the temporary files of writes cut short (the process killed) a day ago or more."""
    try:
        for leftover in folder.glob(".pmo-*.tmp"):
            if time.time() - leftover.lstat().st_mtime > 86400 and leftover.is_file():
                leftover.unlink(missing_ok=True)
    except OSError:
        pass
