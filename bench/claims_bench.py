"""Numeric claim speed: articles per second for find_claims over German news articles.

Text: the German Wikinews articles in ../shared/data when present (850 articles), else the German
example articles repeated. Sentences and time expressions (which claims skip) are computed before
the clock starts, and simplemma's German dictionary (about 1 s, once per process) is loaded
before it too: the figure is the steady rate of a long stream. Usage:

    .venv/bin/python bench/claims_bench.py

Prints JSON: articles, seconds, articles per second, claims found.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from _runner import time_over_german_news  # noqa: E402

from lagebild.extract.claims import find_claims  # noqa: E402
from lagebild.extract.times import find_times  # noqa: E402
from lagebild.nlp.sentences import split_article  # noqa: E402


def prepare(article):
    sentences = split_article(article)
    return article, sentences, find_times(article.text, sentences, article.date, article.language)


def main() -> None:
    import simplemma

    simplemma.lemmatize("Soldaten", lang="de")  # load the dictionary before the clock starts
    time_over_german_news("claims", prepare, lambda item: find_claims(item[0].id, item[0].text, item[1], item[2], item[0].language))


if __name__ == "__main__":
    main()
