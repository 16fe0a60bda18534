"""An addition's memory, link stage by link stage and batch by batch: `lagebild analyze NEW --db
COPY` run in this process (the stages too: ``--jobs 1``), printing the resident memory before and
after each link stage, and after each link batch (with ``--trim``, also after giving freed heap
back to the system with glibc's ``malloc_trim``). Run it on a copy of a store. Usage:

    .venv/bin/python bench/addition_memory.py NEW.jsonl --db COPY.db [--link-batch N] [--trim]
"""

from __future__ import annotations

import argparse
import ctypes
import resource
import sys
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lagebild import pipeline  # noqa: E402


def resident_mb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS"))


def peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def watch_stages() -> None:
    stage = pipeline._Stopwatch.stage

    @contextmanager
    def watched(self, name: str):
        before = resident_mb()
        with stage(self, name):
            yield
        print(f"{name:12s} {before:6d} -> {resident_mb():6d} MB (peak {peak_mb()} MB)", flush=True)

    pipeline._Stopwatch.stage = watched


def watch_batches(trim: bool) -> None:
    link_batch = pipeline._link_batch
    release = ctypes.CDLL("libc.so.6").malloc_trim if trim else None

    def watched(*args, **kwargs):
        found = link_batch(*args, **kwargs)
        after = resident_mb()
        if release is not None:
            release(0)
        print(f"-- link batch done: {after} MB" + (f", {resident_mb()} MB after malloc_trim" if release else "") + f" (peak {peak_mb()} MB)", flush=True)
        return found

    pipeline._link_batch = watched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("new", help="the articles to add (any input `lagebild analyze` reads)")
    parser.add_argument("--db", required=True, help="a copy of a store: the addition is kept in it")
    parser.add_argument("--link-batch", type=int, default=pipeline.LINK_BATCH)
    parser.add_argument("--trim", action="store_true", help="malloc_trim(0) after each link batch (glibc)")
    args = parser.parse_args()
    pipeline.LINK_BATCH = args.link_batch
    watch_stages()
    watch_batches(args.trim)
    from lagebild.cli import app

    sys.argv = ["lagebild", "analyze", args.new, "--db", args.db, "--quiet", "--jobs", "1", "--no-embeddings"]
    app()


if __name__ == "__main__":
    main()
