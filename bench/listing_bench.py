"""Listings from the store's saved report: `lagebild stories --db S` after `lagebild analyze`.

The store (N articles, written as bench/pipeline_bench.py writes them) is analysed once, untimed
apart from saving the report's listing view; then `lagebild stories --db` runs as a user runs it
(a fresh process, start-up included), reading that view instead of analysing again. Usage:

    .venv/bin/python bench/listing_bench.py --articles 10000

Prints JSON: seconds to save the view, its size, seconds for the listing, and for comparison the
seconds the analysis took.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from _runner import run  # noqa: E402
from pipeline_bench import write_corpus  # noqa: E402

from lagebild import pipeline  # noqa: E402
from lagebild.model import AnalysisOptions  # noqa: E402
from lagebild.progress import Tracker  # noqa: E402
from lagebild.report.saved import keep_report  # noqa: E402
from lagebild.store import Store  # noqa: E402


def measure(count: int) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        write_corpus(Path(scratch) / "corpus", count)
        db = Path(scratch) / "store.db"
        with Store(db) as store:
            started = time.perf_counter()
            report = pipeline.analyse(store, pipeline.ingest(store, [str(Path(scratch) / "corpus")], Tracker(None)), Tracker(None))
            analysed = time.perf_counter() - started
            started = time.perf_counter()
            keep_report(store, AnalysisOptions(), report)
            saved = time.perf_counter() - started
            size = len(store.report()[2])
        del report
        started = time.perf_counter()
        command = [str(Path(sys.executable).parent / "lagebild"), "stories", "--db", str(db)]  # the installed command
        listed = subprocess.run(command, capture_output=True, text=True, check=True)
        listing = time.perf_counter() - started
    return {
        "benchmark": "listing",
        "articles": count,
        "analysis_seconds": round(analysed, 1),
        "save_view_seconds": round(saved, 2),
        "view_mb": round(size / 1e6, 1),
        "stories_listing_seconds": round(listing, 2),
        "stories_listed": listed.stdout.count("event(s), story"),
    }


def main() -> None:
    run(__file__, __doc__.splitlines()[0], measure, default=10_000)


if __name__ == "__main__":
    main()
