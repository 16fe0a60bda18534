"""German entity speed: tokens per second for tagging plus merging (iter_mentions + merge_mentions).

Text: the German Wikinews articles in ../shared/data when present (real news, about 300,000
tokens), else the German example articles repeated. Sentence splitting and language id happen,
and simplemma's German dictionary (read once per process, about 1.2 s; two tagger marks look
words up in it) and the network's weights are loaded, before the clock starts. Usage:

    .venv/bin/python bench/ner_bench.py

Prints JSON: tokens, seconds, tokens per second, mentions and entities found.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import simplemma  # noqa: E402

from lagebild.extract import ner_network  # noqa: E402
from lagebild.extract.entities import iter_mentions  # noqa: E402
from lagebild.ingest import discover, read_input  # noqa: E402
from lagebild.ingest.article import build_article  # noqa: E402
from lagebild.link.entities import merge_mentions  # noqa: E402
from lagebild.model import Article, RawDocument  # noqa: E402
from lagebild.nlp.sentences import split_article  # noqa: E402
from lagebild.nlp.tokens import tokenize  # noqa: E402

WIKINEWS = ROOT.parent / "shared" / "data" / "wikinews_quotes_de"


def german_articles() -> list[Article]:
    if WIKINEWS.exists():
        texts = [json.loads(line)["originalText"] for name in ("train.jsonl", "dev.jsonl") for line in (WIKINEWS / name).open(encoding="utf-8")]
        return [build_article(RawDocument(path=f"wikinews/{n}", text=t, source_format="jsonl", date="2000")) for n, t in enumerate(texts)]
    files, _ = discover([str(ROOT / "examples" / "corpus")])
    examples = [a for path in files for a in read_input(path) if isinstance(a, Article) and a.language == "de"]
    return examples * 50


def main() -> None:
    documents = [(article, split_article(article)) for article in german_articles() if article.language == "de"]
    tokens = sum(len(tokenize(a.text, s.start, s.end)) for a, sentences in documents for s in sentences)
    simplemma.is_known("Haus", lang="de")
    ner_network.network()
    started = time.perf_counter()
    mentions = [m for found in iter_mentions(documents) for m in found]
    entities = merge_mentions(mentions)
    seconds = time.perf_counter() - started
    print(json.dumps({
        "benchmark": "ner",
        "articles": len(documents),
        "tokens": tokens,
        "seconds": round(seconds, 1),
        "tokens_per_second": round(tokens / seconds),
        "mentions": len(mentions),
        "entities": len(entities),
    }))


if __name__ == "__main__":
    main()
