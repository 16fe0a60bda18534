"""German entity speed on real, growing vocabulary: the per-article stages on real German news.

Default: the first N articles of ../shared/data/realnews_de (real news, every article new, so
the vocabulary grows as a stream's does) run through ``lagebild.stages.compute`` in batches of
the pipeline's size, in this one process: articles per second of all the per-article stages,
seconds inside the entity stage, and the distinct word forms the German tagger met. The tagger's
weights and the German dictionary load before the clock starts; its word memory starts empty
(a fresh process, cold cache). ``--profile`` adds cProfile's top functions. Without
../shared it prints a skip notice and exits 0.

``--corpus wikinews`` keeps the older measure: tokens per second for tagging plus merging over
the German Wikinews articles (recycled, warm vocabulary). Usage:

    .venv/bin/python bench/ner_bench.py --articles 2000 [--profile]
    .venv/bin/python bench/ner_bench.py --corpus wikinews

Prints JSON.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import pstats
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import simplemma  # noqa: E402

from lagebild import stages  # noqa: E402
from lagebild.extract import ner_network  # noqa: E402
from lagebild.extract.entities import iter_mentions  # noqa: E402
from lagebild.ingest import discover, read_input, readers  # noqa: E402
from lagebild.ingest.article import build_article  # noqa: E402
from lagebild.link.entities import merge_mentions  # noqa: E402
from lagebild.model import Article, RawDocument  # noqa: E402
from lagebild.nlp.sentences import split_article  # noqa: E402
from lagebild.nlp.tokens import tokenize  # noqa: E402
from lagebild.pipeline import STAGE_BATCH  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
WIKINEWS = DATA / "wikinews_quotes_de"
REALNEWS = DATA / "realnews_de" / "covid_de_2020-03_to_05.jsonl.gz"
PROFILE_LINES = 25


def german_articles() -> list[Article]:
    """The German Wikinews articles (else the German examples repeated): other benches' corpus."""
    if WIKINEWS.exists():
        texts = [json.loads(line)["originalText"] for name in ("train.jsonl", "dev.jsonl") for line in (WIKINEWS / name).open(encoding="utf-8")]
        return [build_article(RawDocument(path=f"wikinews/{n}", text=t, source_format="jsonl", date="2000")) for n, t in enumerate(texts)]
    files, _ = discover([str(ROOT / "examples" / "corpus")])
    examples = [a for path in files for a in read_input(path) if isinstance(a, Article) and a.language == "de"]
    return examples * 50


def realnews_articles(count: int) -> list[Article]:
    """The first ``count`` articles of the real German news file, read as `lagebild ingest` reads
    a JSONL line (title, text, date, outlet, url)."""
    with gzip.open(REALNEWS, "rb") as stream:
        lines = [line for _, line in zip(range(count), io.BufferedReader(stream))]
    items = readers.read_jsonl(str(REALNEWS), iter(lines), sum(map(len, lines)))
    return [build_article(item) for item in items if isinstance(item, RawDocument)]


def load_tagger() -> None:
    """What every run pays once, kept off the clock: the dictionary and the network's tables."""
    simplemma.is_known("Haus", lang="de")
    ner_network.network()  # its word memory starts empty: loading computes one vector, keeps none


@contextmanager
def entity_stage_clock() -> Iterator[list[float]]:
    """Seconds spent inside the entity stage (``stages.compute`` consumes its mentions one article
    at a time, so the time is summed over each step of the generator)."""
    spent = [0.0]
    original = stages.iter_mentions

    def timed(documents):
        found = original(documents)
        while True:
            started = time.perf_counter()
            mentions = next(found, None)
            spent[0] += time.perf_counter() - started
            if mentions is None:
                return
            yield mentions

    stages.iter_mentions = timed
    try:
        yield spent
    finally:
        stages.iter_mentions = original


def run_stages(articles: list[Article]) -> list[stages.Findings]:
    """Every per-article stage on every article, batch by batch as the pipeline runs them."""
    found = []
    for batch in stages.chunks(articles, STAGE_BATCH):
        found += stages.compute([stages.Findings(a, seq) for seq, a in enumerate(batch)], [set(stages.STAGES)] * len(batch))
    return found


def distinct_german_words(findings: list[stages.Findings]) -> int:
    """Word forms of the German sentences: each one new to the tagger cost a word vector."""
    return len({
        found.article.text[token.start : token.end]
        for found in findings if found.article.language == "de"
        for sentence in found.sentences
        for token in tokenize(found.article.text, sentence.start, sentence.end)
    })


def measure_realnews(count: int, profile: bool) -> dict:
    articles = realnews_articles(count)
    load_tagger()
    profiler = cProfile.Profile() if profile else None
    with entity_stage_clock() as entity_seconds:
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        findings = run_stages(articles)
        if profiler:
            profiler.disable()
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    words = distinct_german_words(findings)
    result = {
        "benchmark": "ner-realnews",
        "articles": len(articles),
        "german_articles": sum(a.language == "de" for a in articles),
        "seconds": round(seconds, 2),
        "articles_per_second": round(len(articles) / seconds, 1),
        "cpu_seconds": round(cpu_seconds, 2),  # all threads: on a shared machine, steadier than the wall clock
        "entity_stage_seconds": round(entity_seconds[0], 2),
        "entity_stage_share": round(entity_seconds[0] / seconds, 2),
        "mentions": sum(len(f.mentions) for f in findings),
        "distinct_word_forms": words,
        "distinct_word_forms_per_10k_articles": round(words * 10_000 / len(articles)),
    }
    if profiler:
        result["profile"] = top_functions(profiler)
    return result


def top_functions(profiler: cProfile.Profile) -> list[str]:
    """cProfile's heaviest functions by cumulative time, one line each."""
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(PROFILE_LINES)
    return [line.strip() for line in text.getvalue().splitlines() if line.strip() and line.lstrip()[:1].isdigit()]


def measure_wikinews() -> dict:
    """The older measure: tokens per second for tagging plus merging (Wikinews, recycled)."""
    documents = [(article, split_article(article)) for article in german_articles() if article.language == "de"]
    tokens = sum(len(tokenize(a.text, s.start, s.end)) for a, sentences in documents for s in sentences)
    load_tagger()
    started = time.perf_counter()
    mentions = [m for found in iter_mentions(documents) for m in found]
    entities = merge_mentions(mentions)
    seconds = time.perf_counter() - started
    return {
        "benchmark": "ner",
        "articles": len(documents),
        "tokens": tokens,
        "seconds": round(seconds, 1),
        "tokens_per_second": round(tokens / seconds),
        "mentions": len(mentions),
        "entities": len(entities),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("realnews", "wikinews"), default="realnews")
    parser.add_argument("--articles", type=int, default=2000, help="realnews articles to run (at most 7,550)")
    parser.add_argument("--profile", action="store_true", help="add cProfile's top functions")
    args = parser.parse_args()
    if args.corpus == "realnews" and not REALNEWS.exists():
        print(json.dumps({"benchmark": "ner-realnews", "skipped": f"{REALNEWS} is absent"}))
        return
    print(json.dumps(measure_realnews(args.articles, args.profile) if args.corpus == "realnews" else measure_wikinews(), indent=1))


if __name__ == "__main__":
    main()
