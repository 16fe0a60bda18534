"""End to end: `lagebild analyze` (ingest, store, every stage, report) on N articles.

Articles: German Wikinews texts from ../shared/data when present (else the example corpus), each
written N/850 times as a distinct article (a numbered line is appended, so no two are identical:
the copies are the wire-copy case at its most extreme). Timed: ingest into a fresh SQLite store
plus analysis; per-stage seconds come from the report. Usage:

    .venv/bin/python bench/pipeline_bench.py --growth 1000 10000

Prints JSON per size: articles per second, seconds per stage, peak RSS.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from _runner import run  # noqa: E402
from ner_bench import german_articles  # noqa: E402

from lagebild import pipeline  # noqa: E402
from lagebild.progress import Tracker  # noqa: E402
from lagebild.store import Store  # noqa: E402


def write_corpus(folder: Path, count: int) -> None:
    """``count`` dated article files, the sources repeated with a numbered line each."""
    sources = german_articles()
    folder.mkdir()
    for number in range(count):
        article = sources[number % len(sources)]
        (folder / f"{number:06d}.txt").write_text(f" date 2026-03-{number % 28 + 1:02d} {article.text}\n\nMeldung {number}.", encoding="utf-8")


def measure(count: int) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "corpus"
        write_corpus(folder, count)
        started = time.perf_counter()
        with Store(Path(scratch) / "store.db") as store:
            summary = pipeline.ingest(store, [str(folder)], Tracker(None))
            ingest_seconds = time.perf_counter() - started
            report = pipeline.analyse(store, summary, Tracker(None))
        seconds = time.perf_counter() - started
    return {
        "benchmark": "pipeline",
        "articles": count,
        "seconds": round(seconds, 1),
        "articles_per_second": round(count / seconds),
        "stage_seconds": {"ingest": round(ingest_seconds, 1), **report["lagebild"]["stage_seconds"]},
        "events": len(report["events"]),
        "reuse_pairs": len(report["reuse"]),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    run(__file__, __doc__.splitlines()[0], measure, default=10_000)


if __name__ == "__main__":
    main()
