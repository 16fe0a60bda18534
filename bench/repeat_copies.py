"""How much of the bench corpus's repeats is wire copy of another repeat, and how much of what the
stages find survives the disguise. Copies: the share of sentences that reach reuse's copy bar
(``link.reuse.MIN_SIMILARITY`` over word codes) between the same sentence disguised for two
repeats (``real_corpus.disguised``); sentences: the first 40 of each article, split at sentence
ends, of at least ``reuse.MIN_WORDS`` words; an article counts as copied when those sentences
share ``reuse.MIN_SHARED_WORDS`` words or more (what wire copy needs). With ``--stages``: the quotations (and those with a
speaker), time expressions, claims and name mentions the stages find in the articles as written
and as disguised for their first repeat. The words the disguise keeps (``--kept``): ``words``, as
``real_corpus.kept_words`` has them (the corpus's FREQUENT_KEPT most frequent forms and every
word of the language lists); ``frequent``, the frequent forms alone; ``rules``, the frequent
forms and the lists of speech, speakers, sources and shares; ``nouns``, those and the time words
(``time.json``), and each German common noun (a capitalised form GermEval 2014's training text
tags O inside a sentence) given another such noun of its length instead of a made-up word (a
made-up capitalised word reads as a name to the tagger). Articles: the first N of one language's
source (realnews_de or realnews_en). Prints JSON. Usage:

    .venv/bin/python bench/repeat_copies.py --language de --articles 1500 [--kept words|frequent|rules|nouns] [--stages]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter, defaultdict
from functools import cache
from hashlib import blake2b
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import real_corpus  # noqa: E402
from rapidfuzz.distance import Indel  # noqa: E402

from lagebild import stages  # noqa: E402
from lagebild.ingest.article import build_article  # noqa: E402
from lagebild.ingest.readers import RawDocument, read_jsonl  # noqa: E402
from lagebild.link import reuse  # noqa: E402

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
RULE_LISTS = {"speech_verbs", "speech_verb_lemmas", "reporting_verbs", "contentless_speech_verbs", "speaker_nouns", "media_verbs", "citing_phrases",
              "citing_verbs", "subjunctive", "currency_names", "share_nouns", "person_cues", "org_cues", "institution_heads"}


GERMEVAL_TRAIN = real_corpus.DATA / "germeval2014_ner" / "train_bioes.train"
SENTENCE_ENDS = {".", "!", "?", ":", '"'}


def kept(kind: str) -> frozenset[str]:
    if kind == "words":
        return real_corpus.kept_words()
    words = set(real_corpus.frequent_forms())
    listings = [path for path in real_corpus.LANG.glob("*/*.txt") if path.stem in RULE_LISTS] if kind in ("rules", "nouns") else []
    listings += list(real_corpus.LANG.glob("*/time.json")) if kind == "nouns" else []
    for listing in listings:
        for word in real_corpus._WORD.findall(listing.read_text(encoding="utf-8")):
            words |= {word, word.lower(), word.capitalize()}
    return frozenset(words)


@cache
def common_nouns() -> dict[int, list[str]]:
    """German common nouns by length (up to 14): capitalised forms GermEval 2014's training text
    tags O inside a sentence."""
    nouns: set[str] = set()
    after_end = True
    for line in GERMEVAL_TRAIN.open(encoding="utf-8"):
        parts = line.split()
        if len(parts) < 2:
            after_end = True
            continue
        token, tag = parts[0], parts[-1]
        if tag == "O" and not after_end and token[:1].isupper() and token.isalpha() and not token.isupper():
            nouns.add(token)
        after_end = token in SENTENCE_ENDS
    by_length: defaultdict[int, list[str]] = defaultdict(list)
    for noun in sorted(nouns):
        by_length[min(len(noun), 14)].append(noun)
    return dict(by_length)


@cache
def every_common_noun() -> frozenset[str]:
    return frozenset(noun for bucket in common_nouns().values() for noun in bucket)


def disguised_with_nouns(text: str, repeat: int, words: frozenset[str]) -> str:
    """``real_corpus.disguised``, but a known German common noun becomes another one."""
    nouns = common_nouns()

    def replaced(word: str) -> str:
        if word in words or any(character.isdigit() for character in word):
            return word
        if word in every_common_noun():
            bucket = nouns[min(len(word), 14)]
            return bucket[int.from_bytes(blake2b(f"{repeat}:{word}".encode(), digest_size=8).digest(), "little") % len(bucket)]
        return real_corpus.made_up(word, repeat)

    return real_corpus._WORD.sub(lambda match: replaced(match[0]), text)


def of_language(language: str) -> list[dict]:
    """The articles of one source, as the corpus has them (in date order)."""
    source = real_corpus.SOURCES[0 if language == "de" else 1]
    with gzip.open(source, "rt", encoding="utf-8") as lines:
        return sorted((json.loads(line) for line in lines), key=lambda article: article["date"])


def copies_between_repeats(articles: list[dict], words: frozenset[str], first: int = 1, second: int = 2) -> dict:
    sentences = copies = copied_articles = 0
    for article in articles:
        shared_words = 0
        for sentence in _SENTENCE_END.split(article["text"])[:40]:
            a = reuse.sentence_codes(real_corpus.disguised(sentence, first, words))
            b = reuse.sentence_codes(real_corpus.disguised(sentence, second, words))
            if len(a) < reuse.MIN_WORDS:
                continue
            sentences += 1
            if Indel.normalized_similarity(a, b) >= reuse.MIN_SIMILARITY:
                copies += 1
                shared_words += min(len(a), len(b))
        copied_articles += shared_words >= reuse.MIN_SHARED_WORDS  # enough for wire copy between the two repeats
    return {"sentences": sentences, "copies": copies, "share": round(copies / sentences, 3) if sentences else None,
            "articles_copied": copied_articles, "articles_copied_share": round(copied_articles / len(articles), 3) if articles else None}


def findings(articles: list[dict]) -> dict:
    """What the stages find in these articles, counted."""
    lines = [(json.dumps(article, ensure_ascii=False) + "\n").encode() for article in articles]
    read = [build_article(item) for item in read_jsonl("repeats", iter(lines), sum(map(len, lines))) if isinstance(item, RawDocument)]
    counted: Counter = Counter()
    for batch in stages.chunks(read, 256):
        for found in stages.compute([stages.Findings(article, seq) for seq, article in enumerate(batch)], [set(stages.STAGES)] * len(batch)):
            counted.update(quotes=len(found.quotes), with_speaker=sum(1 for q in found.quotes if q.speaker), times=len(found.times), claims=len(found.claims), mentions=len(found.mentions))
    return dict(counted)


def disguised_articles(articles: list[dict], words: frozenset[str], repeat: int = 1) -> list[dict]:
    return [{**article, "title": real_corpus.disguised(article.get("title") or "", repeat, words), "text": real_corpus.disguised(article["text"], repeat, words)} for article in articles]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=("de", "en"), default="de")
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--kept", choices=("words", "frequent", "rules", "nouns"), default="words")
    parser.add_argument("--stages", action="store_true", help="count the stages' findings as written and disguised")
    args = parser.parse_args()
    if not real_corpus.available():
        print(json.dumps({"skipped": f"needs the real news corpora in {real_corpus.DATA}"}))
        return
    articles, words = of_language(args.language)[: args.articles], kept(args.kept)
    if args.kept == "nouns":
        real_corpus.disguised = disguised_with_nouns  # this process only
    result = {"benchmark": "repeat_copies", "language": args.language, "articles": args.articles, "kept": args.kept, **copies_between_repeats(articles, words)}
    if args.stages:
        result.update(as_written=findings(articles), disguised=findings(disguised_articles(articles, words)))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
