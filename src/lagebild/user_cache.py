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
    return _kept(name, source, "marshal", make, lambda path: marshal.loads(path.read_bytes()), marshal.dumps)


def kept_array(name: str, source: bytes, make: Callable[[], Any]) -> Any:
    """``make()``, a numpy array made from ``source`` alone, kept in the cache as ``.npy`` and
    mapped into memory, not read (the worker processes of a run share its pages)."""
    import numpy as np

    def dump(array) -> bytes:
        written = io.BytesIO()
        np.save(written, array, allow_pickle=False)
        return written.getvalue()

    return _kept(name, source, "npy", make, lambda path: np.asarray(np.load(path, mmap_mode="r", allow_pickle=False)), dump)


def _kept(name: str, source: bytes, suffix: str, make: Callable[[], Any], load: Callable[[Path], Any], dump: Callable[[Any], bytes]) -> Any:
    path = folder() / f"{name}-{hashlib.sha1(source).hexdigest()[:16]}-py{sys.version_info[0]}{sys.version_info[1]}.{suffix}"
    try:
        return load(path)
    except (OSError, EOFError, ValueError, TypeError):
        pass  # not there yet, or unreadable: made, and kept for the next process
    made = make()
    write_whole(path, dump(made))
    if path.is_file():  # kept: the keepings of older sources go
        for older in path.parent.glob(f"{name}-*.{suffix}"):
            if older != path:
                older.unlink(missing_ok=True)
    return made
