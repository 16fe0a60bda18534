"""The user's cache folder: what a process would otherwise work out again at every start (decoded
dictionaries, the code versions of the stages), kept per machine. Never needed: where the folder
cannot be read or written (no home, a read-only disk) each process works it out as before."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def folder() -> Path:
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:  # no home folder: a path nothing can be read from
        base = Path("/nonexistent")
    return Path(base) / "lagebild"


def write_whole(path: Path, data: bytes) -> None:
    """Written whole or not at all: processes starting together may both write it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, delete=False) as handle:
            written = Path(handle.name)
            handle.write(data)
        os.replace(written, path)
    except OSError:
        pass  # no cache here: every process works it out
