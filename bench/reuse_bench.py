"""Wire-copy reuse speed: index and compare N synthetic articles of about 300 words.

Articles are built from real German sentences (German Wikinews from ../shared/data when present,
else the example corpus), each sentence made unique by shuffling and replacing some of its words,
so unrelated articles share vocabulary and stock phrases but no text. One article in ten then
copies three to six sentences of an earlier one with up to 20 % of the words edited: the wire-copy
case. The timed part is lagebild.link.reuse.find_reuse over all articles (sentence splitting is
measured by the ingest benchmark). Usage:

    .venv/bin/python bench/reuse_bench.py --articles 100000
    .venv/bin/python bench/reuse_bench.py --growth 10000 30000 100000   # one process per size

Prints JSON: seconds, articles per second, links found, peak memory (RSS of the process, and
the part that the synthetic corpus itself takes before reuse runs).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lagebild.link.reuse import find_reuse  # noqa: E402
from lagebild.model import Article, Sentence  # noqa: E402

WIKINEWS = ROOT.parent / "shared" / "data" / "wikinews_quotes_de" / "train.jsonl"


def sentence_pool() -> list[list[str]]:
    if WIKINEWS.exists():
        return [s["text"].split() for line in WIKINEWS.open(encoding="utf-8") for s in json.loads(line)["sentences"] if len(s["text"].split()) >= 6]
    from lagebild.ingest import discover, read_input
    from lagebild.nlp.sentences import split_article

    files, _ = discover([str(ROOT / "examples" / "corpus")])
    return [s.text.split() for path in files for a in read_input(path) if isinstance(a, Article) for s in split_article(a) if len(s.text.split()) >= 6]


def synthesise(count: int, seed: int = 11) -> list[tuple[Article, list[Sentence]]]:
    rng = random.Random(seed)
    pool = sentence_pool()
    vocabulary = sorted({word for words in pool for word in words})
    bodies: list[list[str]] = []
    for number in range(count):
        sentences = []
        while sum(len(s.split()) for s in sentences) < 300:
            words = list(rng.choice(pool))
            for _ in range(max(1, len(words) // 3)):
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            rng.shuffle(words)
            sentences.append(" ".join(words) + ".")
        if number and rng.random() < 0.1:
            source = bodies[rng.randrange(number)]
            start = rng.randrange(len(source))
            for copied in source[start : start + rng.randint(3, 6)]:
                words = copied.split()
                for _ in range(int(len(words) * rng.uniform(0, 0.2))):
                    words[rng.randrange(len(words))] = rng.choice(vocabulary)
                sentences.insert(rng.randrange(len(sentences) + 1), " ".join(words))
        bodies.append(sentences)
    return [_document(number, sentences) for number, sentences in enumerate(bodies)]


def _document(number: int, texts: list[str]) -> tuple[Article, list[Sentence]]:
    sentences, offset = [], 0
    for text in texts:
        sentences.append(Sentence(offset, offset + len(text), text, 0))
        offset += len(text) + 1
    body = " ".join(texts)
    article = Article(id=f"a{number:07d}", path=f"synthetic/{number}", source_format="text", text=body, source_text=body, body_offset=0)
    return article, sentences


def measure(count: int) -> dict:
    documents = synthesise(count)
    words = sum(len(article.text.split()) for article, _ in documents)
    corpus_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    links = find_reuse(documents)
    seconds = time.perf_counter() - started
    return {
        "benchmark": "reuse",
        "articles": count,
        "mean_words": round(words / count),
        "sentences": sum(len(sentences) for _, sentences in documents),
        "seconds": round(seconds, 1),
        "articles_per_second": round(count / seconds),
        "links": len(links),
        "aligned_sentences": sum(len(link.alignments) for link in links),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rss_of_synthetic_corpus_mb": round(corpus_rss),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--growth", type=int, nargs="*", help="sizes to measure, each in a fresh process")
    args = parser.parse_args()
    if args.growth:
        for size in args.growth:
            subprocess.run([sys.executable, __file__, "--articles", str(size)], check=True)
        return
    print(json.dumps(measure(args.articles)))


if __name__ == "__main__":
    main()
