"""The user's cache folder: what a process would otherwise work out again at every start (decoded
dictionaries, the code versions of the stages, tables built from shipped data), kept per
machine. Never needed: where the folder cannot be read or written (no home, a read-only disk)
each process works it out as before."""

from __future__ import annotations

import hashlib
import io
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


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


def kept(name: str, source: bytes, make: Callable[[], Any]) -> Any:
    """``make()``, which reads only ``source`` (a shipped table's bytes), kept in the cache as
    ``marshal`` under a digest of the source: plain dicts and tuples read back several times
    faster than they are built. Older keepings of the same name are removed."""
    path = _keeping(name, source, "marshal")
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass  # not there yet, or unreadable: made, and kept for the next process
    made = make()
    _replace_keepings(path, marshal.dumps(made))
    return made


def kept_array(name: str, source: bytes, make: Callable[[], Any]) -> Any:
    """``make()``, a numpy array made from ``source`` alone, kept in the cache as ``.npy`` and
    mapped into memory, not read (the worker processes of a run share its pages)."""
    import numpy as np

    path = _keeping(name, source, "npy")
    try:
        return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))
    except (OSError, ValueError):
        pass
    made = make()
    written = io.BytesIO()
    np.save(written, made, allow_pickle=False)
    _replace_keepings(path, written.getvalue())
    return made


def _keeping(name: str, source: bytes, suffix: str) -> Path:
    digest = hashlib.sha1(source).hexdigest()[:16]
    return folder() / f"{name}-{digest}-py{sys.version_info[0]}{sys.version_info[1]}.{suffix}"


def _replace_keepings(path: Path, data: bytes) -> None:
    write_whole(path, data)
    if path.is_file():
        for older in path.parent.glob(f"{path.name.rsplit('-', 2)[0]}-*.{path.suffix[1:]}"):
            if older != path:
                older.unlink(missing_ok=True)
