"""Ingest + store speed: articles per second on a synthetic stream recombined from the examples.

Each synthetic article takes a date header, a title, a dateline and three to six paragraphs drawn
from different example articles, (about 300 words, like a typical agency report) plus a trailing agency credit, and is written as a .txt file, so
the measurement covers file reading, decoding, field parsing, language identification, hashing
and SQLite writes. Usage:

    .venv/bin/python bench/ingest_bench.py --articles 10000

Prints one JSON object. Timings exclude writing the synthetic files. Analysis is measured by
bench/pipeline_bench.py (these recombined articles all share paragraphs, which no real stream does).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lagebild import pipeline  # noqa: E402
from lagebild.ingest import discover, read_input  # noqa: E402
from lagebild.model import Article  # noqa: E402
from lagebild.progress import Tracker  # noqa: E402
from lagebild.store import Store  # noqa: E402

CREDITS = ["(dpa)", "(sda/afp)", "(AFP)", "(mit dpa)", "(Reuters)", "/bal/DP/nas", ""]
DATELINES = ["BERLIN (dpa) - ", "Sassnitz (AFP) - ", "BREMEN (dpa-AFX) - ", "", ""]


def example_parts() -> tuple[list[str], list[str]]:
    files, _ = discover([str(ROOT / "examples" / "corpus")])
    articles = [item for path in files for item in read_input(path) if isinstance(item, Article)]
    titles = [a.title for a in articles if a.title]
    paragraphs = [a.text[p.start : p.end] for a in articles for p in a.paragraphs if p not in a.headings]
    return titles, paragraphs


def synthesise(count: int, folder: Path, seed: int = 7) -> int:
    rng = random.Random(seed)
    titles, paragraphs = example_parts()
    total_words = 0
    for number in range(count):
        body = "\n\n".join(rng.sample(paragraphs, rng.randint(7, 11)))
        date = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        text = f" date {date} {rng.choice(titles)} ({number})\n\n{rng.choice(DATELINES)}{body} {rng.choice(CREDITS)}\n"
        total_words += len(text.split())
        (folder / f"{number // 1000:03d}").mkdir(exist_ok=True)
        (folder / f"{number // 1000:03d}" / f"a{number:06d}.txt").write_text(text, encoding="utf-8")
    return total_words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "corpus"
        folder.mkdir()
        words = synthesise(args.articles, folder)
        with Store(Path(scratch) / "bench.db") as store:
            started = time.perf_counter()
            summary = pipeline.ingest(store, [str(folder)], Tracker(None))
            ingest_seconds = time.perf_counter() - started
            started = time.perf_counter()
            again = pipeline.ingest(store, [str(folder)], Tracker(None))
            reingest_seconds = time.perf_counter() - started
    result = {
        "benchmark": "ingest",
        "articles": args.articles,
        "mean_words": round(words / args.articles),
        "stored": summary.added,
        "problems": len(summary.problems),
        "ingest_seconds": round(ingest_seconds, 2),
        "ingest_articles_per_second": round(summary.read / ingest_seconds),
        "reingest_added": again.added,
        "reingest_articles_per_second": round(again.read / reingest_seconds),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
