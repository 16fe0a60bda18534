"""End to end: `lagebild analyze` (ingest, store, every stage, report) on N articles.

Articles: real dated news of real vocabulary (``real_corpus``: realnews_de and realnews_en in date
order, 12,172 distinct texts, then disguised repeats with new names). Until session 17 this bench
wrote the 850 German Wikinews texts again and again, whose vocabulary is warm after the first 850
articles: its figures (117-170 articles/s) flattered the entity stage by a factor of five.
Timed: ingest into a fresh SQLite store plus analysis with one stage process per core; per-stage
seconds come from the report. The lexical path, unless ``LAGEBILD_EMBEDDINGS=1`` asks for article
vectors too (the network's seconds are the report's "embeddings" stage). Usage:

    .venv/bin/python bench/pipeline_bench.py --growth 1000 10000
    LAGEBILD_EMBEDDINGS=1 .venv/bin/python bench/pipeline_bench.py --articles 2000

Prints JSON per size: articles per second, seconds per stage, distinct word forms, peak RSS.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from _runner import run  # noqa: E402
from real_corpus import available, real_articles, word_forms, write_jsonl  # noqa: E402

from lagebild import pipeline  # noqa: E402
from lagebild.model import AnalysisOptions  # noqa: E402
from lagebild.progress import Tracker  # noqa: E402
from lagebild.store import Store  # noqa: E402


def measure(count: int) -> dict:
    if not available():
        sys.exit("needs the real news corpora in ../shared/data")
    articles = real_articles(count)
    with tempfile.TemporaryDirectory() as scratch:
        corpus = write_jsonl(Path(scratch) / "corpus.jsonl", articles)
        started = time.perf_counter()
        with Store(Path(scratch) / "store.db") as store:
            summary = pipeline.ingest(store, [str(corpus)], Tracker(None))
            ingest_seconds = time.perf_counter() - started
            options = AnalysisOptions(embeddings=os.environ.get("LAGEBILD_EMBEDDINGS") == "1")
            report = pipeline.analyse(store, summary, Tracker(None), options, jobs=pipeline.default_jobs())
        seconds = time.perf_counter() - started
    return {
        "benchmark": "pipeline",
        "articles": count,
        "seconds": round(seconds, 1),
        "articles_per_second": round(count / seconds),
        "stage_seconds": {"ingest": round(ingest_seconds, 1), **report["lagebild"]["stage_seconds"]},
        "word_forms": word_forms(articles),
        "jobs": pipeline.default_jobs(),
        "article_vectors": options.embeddings,
        "events": len(report["events"]),
        "reuse_pairs": len(report["reuse"]),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    run(__file__, __doc__.splitlines()[0], measure, default=10_000)


if __name__ == "__main__":
    main()
