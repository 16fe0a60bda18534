"""The per-article stages' CPU on real news of both languages, with a digest of their results.

The first N English and the first N German articles of ../shared/data (realnews_en, realnews_de:
real dated news, every article new) run through ``lagebild.stages.compute`` in batches of the
pipeline's size and are encoded as the store keeps them (``stages.encode``), in this one
process; the dictionary and the tagger's tables load before the clock starts. Prints JSON: CPU
seconds (not wall time: the figure holds on a machine shared with other work), articles per CPU
second, and a digest of every encoded result, so that two versions of the code can be compared
for speed and for sameness. Without ../shared it prints a skip notice and exits 0. Usage:

    .venv/bin/python bench/stages_bench.py --articles 250
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from lagebild import stages  # noqa: E402
from lagebild.ingest.article import build_article  # noqa: E402
from lagebild.ingest.readers import RawDocument, read_jsonl  # noqa: E402
from lagebild.pipeline import STAGE_BATCH  # noqa: E402
from ner_bench import load_tagger  # noqa: E402
from real_corpus import available, real_news  # noqa: E402


def articles_of_both_languages(count: int) -> list:
    """The first ``count`` English (2019) and German (2020) articles, read as `lagebild` reads a JSONL line."""
    news = real_news()
    english = [item for item in news if item["date"] < "2020"][:count]
    german = [item for item in news if item["date"] >= "2020"][:count]
    lines = [(json.dumps(item, ensure_ascii=False) + "\n").encode() for item in english + german]
    items = read_jsonl("realnews", iter(lines), sum(map(len, lines)))
    return [build_article(item) for item in items if isinstance(item, RawDocument)]


def measure(count: int) -> dict:
    articles = articles_of_both_languages(count)
    load_tagger()
    started = time.process_time()
    blobs = []
    for batch in stages.chunks(articles, STAGE_BATCH):
        found = stages.compute([stages.Findings(article, seq) for seq, article in enumerate(batch)], [set(stages.STAGES)] * len(batch))
        blobs += [stages.encode(each, stage) for each in found for stage in stages.STAGES]
    seconds = time.process_time() - started
    digest = hashlib.sha1(b"".join(blobs)).hexdigest()[:12]
    return {"benchmark": "stages", "articles": len(articles), "cpu_seconds": round(seconds, 2),
            "articles_per_cpu_second": round(len(articles) / seconds, 1), "digest": digest}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=250, help="articles of each language")
    args = parser.parse_args()
    if not available():
        print(json.dumps({"benchmark": "stages", "note": "../shared/data/realnews_* is not present"}))
        return
    print(json.dumps(measure(args.articles)))


if __name__ == "__main__":
    main()
