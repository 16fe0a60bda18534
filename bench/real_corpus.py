"""The benchmarks' corpus of real vocabulary: real dated news from ../shared/data, never the same
text twice as far as it reaches (issue 28: recycled texts warm the tagger's word memory after
the first few hundred articles and flatter every speed figure).

realnews_de (7,550 German articles of three outlets, March to May 2020) and realnews_en (4,622
English articles of 2019), in date order: 12,172 distinct texts. Past them the news is told again,
disguised (``disguised``): every repeat dated 500 days after the one before, and in each repeat the
words that carry the content (all but the corpus's most frequent words and the words the rules
look for) replaced by made-up words of the same shape, the same word by the same made-up word
within a repeat. So a store of 100,000 holds stories, names, quotations and numbers of real news
in real proportions, but neither the wire copy nor the names of the originals: each repeat is new
news with new names (a store past 12,172 grows as a stream does, not as one copy of it), and the
vocabulary grows with each repeat. ``word_forms`` says how far it grew. Without ../shared there is
no corpus: ``available`` says so. The words kept are those the rules list at the time (a word
added to a list is kept from then on), so a repeat is the same text only for the same lists.

    .venv/bin/python bench/real_corpus.py OUT.jsonl --first N --count M
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from functools import cache
from hashlib import blake2b
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SOURCES = (DATA / "realnews_de" / "covid_de_2020-03_to_05.jsonl.gz", DATA / "realnews_en" / "allsides_en_2019.jsonl.gz")
REPEATS_APART = timedelta(days=500)  # repeated texts come later than every original
_WORD = re.compile(r"\w+")
LANG = Path(__file__).resolve().parents[1] / "src" / "lagebild" / "lang"
FREQUENT_KEPT = 100  # the most frequent word forms stay: function words, frequent verbs, a few standing names
_CONSONANTS, _VOWELS = "bdfgklmnprstvz", "aeiou"


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
    """``count`` articles: the distinct ones first, then disguised repeats, later dated."""
    sources = real_news()
    articles = []
    for number in range(count):
        article = dict(sources[number % len(sources)])
        repeat = number // len(sources)
        if repeat:
            article["date"] = (date.fromisoformat(article["date"][:10]) + repeat * REPEATS_APART).isoformat()
            for field in ("title", "text"):
                article[field] = disguised(article.get(field) or "", repeat, kept_words())
        articles.append(article)
    return articles


def disguised(text: str, repeat: int, kept: frozenset[str]) -> str:
    """The text with each word not ``kept`` (and holding no digit) replaced by a made-up word of
    its shape, chosen by the word and the repeat."""
    return _WORD.sub(lambda match: match[0] if match[0] in kept or any(c.isdigit() for c in match[0]) else made_up(match[0], repeat), text)


def made_up(word: str, repeat: int) -> str:
    """A pronounceable word as long as ``word``, capitalised as it is."""
    digest = blake2b(f"{repeat}:{word}".encode(), digest_size=32).digest()
    letters = "".join((_CONSONANTS if i % 2 == 0 else _VOWELS)[byte % (14 if i % 2 == 0 else 5)] for i, byte in enumerate(digest[: max(2, len(word))]))
    if len(word) > 1 and word.isupper():
        return letters.upper()
    return letters.capitalize() if word[0].isupper() else letters


@cache
def kept_words() -> frozenset[str]:
    """The words a disguise keeps: the corpus's FREQUENT_KEPT most frequent forms (counted once
    per article) and every word of the language lists the analysis's rules read."""
    kept = set(frequent_forms())
    for listing in LANG.glob("*/*.txt"):
        for word in _WORD.findall(listing.read_text(encoding="utf-8")):
            kept |= {word, word.lower(), word.capitalize()}
    return frozenset(kept)


@cache
def frequent_forms() -> frozenset[str]:
    """The corpus's FREQUENT_KEPT most frequent word forms (counted once per article)."""
    counts: Counter = Counter()
    for article in real_news():
        counts.update(set(_WORD.findall(f"{article.get('title') or ''} {article['text']}")))
    return frozenset(form for form, _ in counts.most_common(FREQUENT_KEPT))


def write_jsonl(path: Path, articles: list[dict]) -> Path:
    path.write_text("".join(json.dumps(article, ensure_ascii=False) + "\n" for article in articles), encoding="utf-8")
    return path


def write_apart(path: Path, first: int, count: int) -> Path:
    """Articles ``first`` to ``first + count - 1`` into ``path``, written by a child process: the
    caller stays small (Linux counts a parent's resident memory at fork in a child's peak RSS, so a
    bench holding the corpus would misreport every command it times)."""
    subprocess.run([sys.executable, __file__, str(path), "--first", str(first), "--count", str(count)], check=True, stdout=subprocess.DEVNULL)
    return path


def word_forms(articles: list[dict]) -> int:
    """Distinct word forms (as written, case kept) of the titles and texts: the vocabulary the
    tagger meets for the first time once each."""
    forms: set[str] = set()
    for article in articles:
        forms.update(_WORD.findall(f"{article.get('title') or ''} {article['text']}"))
    return len(forms)


def main() -> None:
    """``python bench/real_corpus.py OUT.jsonl --first N --count M``: articles N to N+M-1 as JSONL."""
    parser = argparse.ArgumentParser(description="Write articles of the benchmarks' corpus as JSONL (past 12,172: disguised repeats).")
    parser.add_argument("out", type=Path)
    parser.add_argument("--first", type=int, default=0, help="the first article's number (0: the oldest)")
    parser.add_argument("--count", type=int, required=True)
    args = parser.parse_args()
    if not available():
        raise SystemExit(f"needs the real news corpora in {DATA} (../shared/data)")
    write_jsonl(args.out, real_articles(args.first + args.count)[args.first :])
    print(f"{args.count} articles ({args.first} to {args.first + args.count - 1}) in {args.out}")


if __name__ == "__main__":
    main()
