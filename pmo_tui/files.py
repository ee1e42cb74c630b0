"""Files pmo-tui writes for its user: readable by the owner only, and whole or not at all.

Every file is written to a temporary file of its own first, in the target's folder, then renamed
onto the target. The temporary file is created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW) under a
random name: a link or a file someone planted in a shared folder can neither redirect the write
nor read the data. It is synced to disk before the rename and removed on any failure.

A target is refused when it is the open database or one of its companion files (-wal, -shm,
-journal), and when it is not a regular file (a folder, a FIFO, a device, a socket; looked at
with stat, never opened, so a FIFO cannot make pmo wait). An existing file is replaced only when
the caller says so (`--force`, or the user's yes in the app): FileExists otherwise.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

# The files SQLite keeps beside a database while it is open or after a crash.
COMPANIONS = ("-wal", "-shm", "-journal")


class FileNotWritten(Exception):
    """The file could not be written; the message says why, and nothing was left behind."""


class FileExists(FileNotWritten):
    """The target is an existing file, and replacing it was not asked for: nothing was written."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists")
        self.path = path


def database_files(database: Path | None) -> list[Path]:
    """The database file and the companions SQLite keeps beside it: none may be written over."""
    if database is None:
        return []
    # SQLite keeps the companions beside the file a link names, and beside the file itself.
    names = {Path(database), Path(os.path.realpath(database))}
    return [
        file for name in names for file in (name, *(name.with_name(name.name + tail) for tail in COMPANIONS))
    ]


def _same_file(path: Path, info: os.stat_result | None, protected: Path) -> bool:
    """Whether `path` names `protected`: by their full paths (links followed), or as the same file
    under two names (a hard link)."""
    if os.path.realpath(path) == os.path.realpath(protected):
        return True
    if info is None:
        return False
    try:
        other = os.stat(protected)
    except OSError:
        return False
    return (info.st_dev, info.st_ino) == (other.st_dev, other.st_ino)


def check_target(path: Path, *, protected: Iterable[Path] = (), replace: bool = False) -> bool:
    """Refuse a target that may not be written (FileNotWritten says why); True when a file is
    there to be replaced (then only with `replace`, FileExists otherwise)."""
    path = Path(path)
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        found = None
    except OSError as error:
        raise FileNotWritten(f"cannot write {path} ({error.strerror})") from None
    try:
        # What a link points to: a link to a folder or a FIFO is refused like the thing itself.
        info = os.stat(path) if found is not None else None
    except OSError:
        info = None  # a link to nothing: it is replaced, nothing is written through it
    for database in protected:
        if _same_file(path, info, database):
            tail = next((t for t in COMPANIONS if Path(database).name.endswith(t)), None)
            what = f"the {tail} file of the database" if tail else "the database"
            raise FileNotWritten(f"{path} is {what} pmo has open; name another file")
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise FileNotWritten(f"{path} is a folder; name a file to write")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise FileNotWritten(
            f"{path} is not a regular file (a device, a pipe or a socket); name a file to write"
        )
    folder = path.parent
    try:
        if not stat.S_ISDIR(os.stat(folder).st_mode):
            raise FileNotWritten(f"{folder} is not a folder")
    except FileNotFoundError:
        raise FileNotWritten(f"folder {folder} does not exist") from None
    except OSError as error:
        raise FileNotWritten(f"cannot write in {folder} ({error.strerror})") from None
    if found is not None and not replace:
        raise FileExists(path)
    return found is not None


# A new file of our own: created here or not at all (O_EXCL), never through a link planted at its
# name (O_NOFOLLOW), not inherited by child processes.
NEW_FILE_ONLY = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def _exclusive_temporary(folder: Path) -> tuple[int, Path]:
    """A new, empty file of our own in `folder` under a name nobody can guess, and its descriptor."""
    for _ in range(100):
        temporary = folder / f".pmo-{secrets.token_hex(16)}.tmp"
        try:
            handle = os.open(temporary, NEW_FILE_ONLY, 0o600)
        except FileExistsError:
            continue
        try:
            if hasattr(os, "fchmod"):  # whatever the umask: readable and writable by the owner only
                os.fchmod(handle, 0o600)
        except OSError:
            os.close(handle)
            temporary.unlink(missing_ok=True)
            raise
        return handle, temporary
    raise FileExistsError(17, "no free temporary name")


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every system can open a folder)."""
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def write_private(
    path: Path, content: str | bytes, *, protected: Iterable[Path] = (), replace: bool = False
) -> None:
    """Write `content` (text as UTF-8) to `path`, whole or not at all, readable by its owner only.

    `protected` names files that must never be written over (database_files of the open
    database); an existing file is replaced only with `replace` (FileExists otherwise)."""
    path = Path(path)
    protected = list(protected)
    check_target(path, protected=protected, replace=replace)
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    temporary: Path | None = None
    try:
        handle, temporary = _exclusive_temporary(path.parent)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
            os.fsync(handle)
        finally:
            os.close(handle)
        # Looked at again just before the rename: the target may have changed meanwhile.
        check_target(path, protected=protected, replace=replace)
        if replace:
            os.replace(temporary, path)
        else:
            try:
                # A link fails when anything has appeared at the name since: nothing is replaced.
                os.link(temporary, path, follow_symlinks=False)
            except FileExistsError:
                raise FileExists(path) from None
            except OSError:  # a file system without hard links: checked just above
                os.replace(temporary, path)
            else:
                os.unlink(temporary)
        temporary = None
        _sync_folder(path.parent)
    except OSError as error:
        raise FileNotWritten(f"cannot write {path} ({error.strerror or error})") from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):  # the error being reported matters more
                temporary.unlink(missing_ok=True)
