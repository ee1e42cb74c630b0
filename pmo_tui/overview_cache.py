"""The overview last read from a database, kept in the user's cache folder, so that the next
start shows it at once instead of working it out from every project again.

It is used only for the very state it was read from: the same file, the same revision (which
every change to a portfolio table moves, see Store.revision), the same day and the same code
that worked it out. Anything else, and a damaged or unreadable file, is a miss: the overview is
then read from the database as always. Nothing here changes the database.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from datetime import date
from functools import cache
from pathlib import Path

from pmo_tui import calculations, records
from pmo_tui.locations import user_cache_dir
from pmo_tui.records import Overview

# The modules whose code the overview is worked out by: a change to any of them is a miss.
_SOURCES = ("store.py", "calculations.py", "records.py", "models.py")
_FOLDER = "overview"


@cache
def _code_key() -> str:
    digest = hashlib.sha256()
    folder = Path(__file__).parent
    for name in _SOURCES:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


def cache_file(database: Path) -> Path:
    """The cache file of one database, named after its full path."""
    name = hashlib.sha256(str(database.resolve()).encode()).hexdigest()[:32]
    return user_cache_dir() / _FOLDER / f"{name}.pickle"


def _key(database: Path, revision: int, today: date) -> tuple:
    return (_code_key(), str(database.resolve()), revision, today.isoformat())


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


def load(database: Path, revision: int, today: date) -> Overview | None:
    """The cached overview of `database` at `revision` on `today`, or None."""
    try:
        with cache_file(database).open("rb") as file:
            unpickler = _OverviewUnpickler(file)
            # The key comes first, on its own: a miss reads no further than it.
            if unpickler.load() != _key(database, revision, today):
                return None
            overview = unpickler.load()
    except Exception:  # missing, unreadable, damaged, of another version: a miss
        return None
    return overview if isinstance(overview, Overview) else None


def save(database: Path, revision: int, today: date, overview: Overview) -> None:
    """Keep `overview`, read at `revision` on `today`, for the next start. A cache that cannot
    be written only makes that start slower: errors are not raised."""
    path = cache_file(database)
    # Written aside, then renamed over, so that a reader never sees half a file; one name per
    # database, so that a write cut short (the process killed) leaves no litter behind.
    temporary = path.with_suffix(".writing")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dump(_key(database, revision, today))
        pickler.dump(overview)
        # Readable by its owner only, as the database itself is; never through a symbolic link
        # someone else could have put in its place.
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(handle, "wb") as file:
            file.write(buffer.getbuffer())
        os.replace(temporary, path)
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:  # the folder itself is the trouble
            pass
