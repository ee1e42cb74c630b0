"""Files pmo-tui writes for its user: readable by the owner only, and whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path


class FileNotWritten(Exception):
    """The file could not be written; the message says why, and nothing was left behind."""


def write_private(path: Path, text: str) -> None:
    """Write through a temporary file, then rename: a reader never sees half a file."""
    if path.is_dir():
        raise FileNotWritten(f"{path} is a folder; name a file to write")
    if not path.parent.exists():
        raise FileNotWritten(f"folder {path.parent} does not exist")
    temporary = path.with_name(f".{path.name}.part")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise FileNotWritten(f"cannot write {path} ({error.strerror})") from None
