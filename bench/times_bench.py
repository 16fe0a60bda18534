"""Temporal expression speed: articles per second for find_times over German news articles.

Text: the German Wikinews articles in ../shared/data when present (850 articles), else the German
example articles repeated. Sentence splitting happens before the clock starts. Usage:

    .venv/bin/python bench/times_bench.py

Prints JSON: articles, seconds, articles per second, expressions found.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from _runner import time_over_german_news  # noqa: E402

from lagebild.extract.times import find_times  # noqa: E402
from lagebild.nlp.sentences import split_article  # noqa: E402


def prepare(article):
    return article, split_article(article)


def main() -> None:
    time_over_german_news("times", prepare, lambda item: find_times(item[0].text, item[1], item[0].date, item[0].language))


if __name__ == "__main__":
    main()
