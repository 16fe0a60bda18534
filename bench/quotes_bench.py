"""Quotation speed: articles per second for find_quotes over German news articles.

Text: the German Wikinews articles in ../shared/data when present (850 articles), else the German
example articles repeated. Sentence splitting and entity mentions (the quotes stage's inputs) are
computed, and simplemma's German dictionary (read once per process, about 1.2 s) is loaded, before
the clock starts. Usage:

    .venv/bin/python bench/quotes_bench.py

Prints JSON: articles, seconds, articles per second, quotations found.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import simplemma  # noqa: E402
from _runner import time_over_german_news  # noqa: E402

from lagebild.extract.entities import find_mentions  # noqa: E402
from lagebild.extract.quotes import find_quotes  # noqa: E402
from lagebild.nlp.sentences import split_article  # noqa: E402


def prepare(article):
    sentences = split_article(article)
    return article, sentences, find_mentions(article, sentences)


def main() -> None:
    simplemma.lemmatize("gebe", lang="de")  # loads the dictionary the Konjunktiv test reads
    time_over_german_news("quotes", prepare, lambda item: find_quotes(*item))


if __name__ == "__main__":
    main()
