"""Temporal expression speed: articles per second for find_times over German news articles.

Text: the German Wikinews articles in ../shared/data when present (850 articles), else the German
example articles repeated. Sentence splitting happens before the clock starts. Usage:

    .venv/bin/python bench/times_bench.py

Prints JSON: articles, seconds, articles per second, expressions found.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from ner_bench import german_articles  # noqa: E402

from lagebild.extract.times import find_times  # noqa: E402
from lagebild.nlp.sentences import split_article  # noqa: E402


def main() -> None:
    documents = [(article, split_article(article)) for article in german_articles()]
    started = time.perf_counter()
    found = sum(len(find_times(a.text, sentences, a.date, a.language)) for a, sentences in documents)
    seconds = time.perf_counter() - started
    print(json.dumps({"benchmark": "times", "articles": len(documents), "seconds": round(seconds, 2),
                      "articles_per_second": round(len(documents) / seconds), "expressions": found}))


if __name__ == "__main__":
    main()
