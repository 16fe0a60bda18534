"""Numeric claim speed: articles per second for find_claims over German news articles.

Text: the German Wikinews articles in ../shared/data when present (850 articles), else the German
example articles repeated. Sentences and time expressions (which claims skip) are computed before
the clock starts. Usage:

    .venv/bin/python bench/claims_bench.py

Prints JSON: articles, seconds, articles per second, claims found.
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

from lagebild.extract.claims import find_claims  # noqa: E402
from lagebild.extract.times import find_times  # noqa: E402
from lagebild.nlp.sentences import split_article  # noqa: E402


def main() -> None:
    prepared = []
    for article in german_articles():
        sentences = split_article(article)
        prepared.append((article, sentences, find_times(article.text, sentences, article.date, article.language)))
    started = time.perf_counter()
    found = sum(len(find_claims(a.id, a.text, sentences, times, a.language)) for a, sentences, times in prepared)
    seconds = time.perf_counter() - started
    print(json.dumps({"benchmark": "claims", "articles": len(prepared), "seconds": round(seconds, 2),
                      "articles_per_second": round(len(prepared) / seconds), "claims": found}))


if __name__ == "__main__":
    main()
