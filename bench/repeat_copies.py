"""How much of the bench corpus's repeats is wire copy of another repeat: the share of sentences
that reach reuse's copy bar (``link.reuse.MIN_SIMILARITY`` over word codes) between the same
sentence disguised for two repeats (``real_corpus.disguised``), with the words the disguise keeps
as ``real_corpus.kept_words`` has them, or with only its FREQUENT_KEPT most frequent forms
(``--frequent-only``). Sentences: the first 40 of each of the first N real articles, split at
sentence ends, of at least ``reuse.MIN_WORDS`` words, of one language's source (realnews_de or
realnews_en). Prints JSON. Usage:

    .venv/bin/python bench/repeat_copies.py --language de --articles 1500 [--frequent-only]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import real_corpus  # noqa: E402
from rapidfuzz.distance import Indel  # noqa: E402

from lagebild.link import reuse  # noqa: E402

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def frequent_only() -> frozenset[str]:
    counts: Counter = Counter()
    for article in real_corpus.real_news():
        counts.update(set(real_corpus._WORD.findall(article["text"])))
    return frozenset(form for form, _ in counts.most_common(real_corpus.FREQUENT_KEPT))


def of_language(language: str) -> list[dict]:
    """The articles of one source, as the corpus has them (in date order)."""
    source = real_corpus.SOURCES[0 if language == "de" else 1]
    with gzip.open(source, "rt", encoding="utf-8") as lines:
        return sorted((json.loads(line) for line in lines), key=lambda article: article["date"])


def copies_between_repeats(articles: list[dict], kept: frozenset[str], first: int = 1, second: int = 2) -> dict:
    sentences = copies = 0
    for article in articles:
        for sentence in _SENTENCE_END.split(article["text"])[:40]:
            a = reuse.sentence_codes(real_corpus.disguised(sentence, first, kept))
            b = reuse.sentence_codes(real_corpus.disguised(sentence, second, kept))
            if len(a) < reuse.MIN_WORDS:
                continue
            sentences += 1
            copies += Indel.normalized_similarity(a, b) >= reuse.MIN_SIMILARITY
    return {"sentences": sentences, "copies": copies, "share": round(copies / sentences, 3) if sentences else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=("de", "en"), default="de")
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--frequent-only", action="store_true", help="keep only the corpus's most frequent word forms")
    args = parser.parse_args()
    if not real_corpus.available():
        print(json.dumps({"skipped": f"needs the real news corpora in {real_corpus.DATA}"}))
        return
    kept = frequent_only() if args.frequent_only else real_corpus.kept_words()
    found = copies_between_repeats(of_language(args.language)[: args.articles], kept)
    print(json.dumps({"benchmark": "repeat_copies", "language": args.language, "articles": args.articles, "kept": "frequent only" if args.frequent_only else "kept_words", **found}))


if __name__ == "__main__":
    main()
