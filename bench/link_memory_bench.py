"""Linking's memory, phase by phase: a store's picture linked again from its kept stage results
(the link version set aside for this process, so every article is linked anew, a batch at a time),
with the peak RSS of this process after each phase of each batch. Run it on a copy of a store:
the picture is rewritten. Prints one JSON line per phase, then the run's peak. Usage:

    .venv/bin/python bench/link_memory_bench.py --db COPY.db [--jobs 2]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lagebild import pipeline  # noqa: E402
from lagebild.model import AnalysisOptions  # noqa: E402
from lagebild.progress import tracker  # noqa: E402
from lagebild.store import Store  # noqa: E402


def peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a copy of a store (its picture is rewritten)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    pipeline.link_version = lambda: "link-memory-bench"  # another version than the store's: everything is linked again
    stage = pipeline._Stopwatch.stage

    @contextlib.contextmanager
    def reported(self, name):
        with stage(self, name):
            yield
        print(json.dumps({"phase": name, "peak_rss_mb": peak_mb()}), flush=True)

    pipeline._Stopwatch.stage = reported
    started = time.perf_counter()
    with Store(args.db) as store, tracker() as progress:
        pipeline.catch_up(store, progress, AnalysisOptions(embeddings=False), jobs=args.jobs)
    print(json.dumps({"benchmark": "link_memory", "seconds": round(time.perf_counter() - started, 1), "peak_rss_mb": peak_mb()}))


if __name__ == "__main__":
    main()
