"""The benchmarks' corpus of real vocabulary: real dated news from ../shared/data, never the same
text twice as far as it reaches (issue 28: recycled texts warm the tagger's word memory after
the first few hundred articles and flatter every speed figure).

realnews_de (7,550 German articles of three outlets, March to May 2020) and realnews_en (4,622
English articles of 2019), in date order: 12,172 distinct texts. Past them the texts repeat with
a numbered line and later dates, and the vocabulary stops growing; ``word_forms`` says how far it
grew. Without ../shared there is no corpus: ``available`` says so.
"""

from __future__ import annotations

import gzip
import json
import re
from datetime import date, timedelta
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SOURCES = (DATA / "realnews_de" / "covid_de_2020-03_to_05.jsonl.gz", DATA / "realnews_en" / "allsides_en_2019.jsonl.gz")
REPEATS_APART = timedelta(days=500)  # repeated texts come later than every original
_WORD = re.compile(r"\w+")


def available() -> bool:
    return all(source.exists() for source in SOURCES)


def real_news() -> list[dict]:
    """Every article of the sources, in date order (JSON records: title, text, date, outlet, url)."""
    articles = []
    for source in SOURCES:
        with gzip.open(source, "rt", encoding="utf-8") as lines:
            articles += [json.loads(line) for line in lines]
    return sorted(articles, key=lambda article: article["date"])


def real_articles(count: int) -> list[dict]:
    """``count`` articles: the distinct ones first, then repeats with a numbered line, later dated."""
    sources = real_news()
    articles = []
    for number in range(count):
        article = dict(sources[number % len(sources)])
        repeat = number // len(sources)
        if repeat:
            article["date"] = (date.fromisoformat(article["date"][:10]) + repeat * REPEATS_APART).isoformat()
            article["text"] += f"\n\nMeldung {number}."
        articles.append(article)
    return articles


def write_jsonl(path: Path, articles: list[dict]) -> Path:
    path.write_text("".join(json.dumps(article, ensure_ascii=False) + "\n" for article in articles), encoding="utf-8")
    return path


def word_forms(articles: list[dict]) -> int:
    """Distinct word forms (as written, case kept) of the titles and texts: the vocabulary the
    tagger meets for the first time once each."""
    forms: set[str] = set()
    for article in articles:
        forms.update(_WORD.findall(f"{article.get('title') or ''} {article['text']}"))
    return len(forms)
