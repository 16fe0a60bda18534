"""Command line shared by the growth benchmarks: one size, or several sizes each in a fresh process
(so that peak memory is per size)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys


def run(script: str, description: str, measure, default: int = 100_000) -> None:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--articles", type=int, default=default)
    parser.add_argument("--growth", type=int, nargs="*", help="sizes to measure, each in a fresh process")
    args = parser.parse_args()
    if args.growth:
        for size in args.growth:
            subprocess.run([sys.executable, script, "--articles", str(size)], check=True)
        return
    print(json.dumps(measure(args.articles)))


def time_over_german_news(name: str, prepare, extract) -> None:
    """Print articles/s for ``extract(prepared)`` over German news articles (Wikinews when
    present, else the examples); ``prepare(article)`` runs before the clock starts."""
    import time

    from ner_bench import german_articles

    prepared = [prepare(article) for article in german_articles()]
    started = time.perf_counter()
    found = sum(len(extract(item)) for item in prepared)
    seconds = time.perf_counter() - started
    print(json.dumps({"benchmark": name, "articles": len(prepared), "seconds": round(seconds, 2),
                      "articles_per_second": round(len(prepared) / seconds), "found": found}))
