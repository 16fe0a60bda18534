"""What storing one POSTed article costs the server, in the two parts that grew with the article
or the store: the check for double-encoded UTF-8 (ftfy's over the whole text, and lagebild's,
which asks it only around non-ASCII characters), and the full-text index (each article indexed in
a transaction of its own, as a POST did, against articles indexed together, as the analysis now
does). On a copy of STORE (made beside it, removed after), so the store is not changed.

    .venv/bin/python bench/post_cost_bench.py STORE NEW.jsonl [--articles 300]

NEW.jsonl: articles as `lagebild analyze` reads them (`title`, `text`), for example the next
ones of bench/real_corpus.py. Prints JSON: milliseconds per article of each.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import time
from pathlib import Path

import ftfy

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lagebild.ingest.decode import looks_like_mojibake  # noqa: E402

FIRST_NEW_ROWID = 10**12  # rowids of the index far above any article's: nothing stored is touched


def per_article_ms(started: float, count: int) -> float:
    return round(1000 * (time.perf_counter() - started) / count, 3)


def mojibake_check(texts: list[str]) -> dict:
    started = time.perf_counter()
    whole = [ftfy.badness.is_bad(text) for text in texts]
    whole_ms = per_article_ms(started, len(texts))
    started = time.perf_counter()
    around = [looks_like_mojibake(text) for text in texts]
    return {"ftfy_whole_text_ms": whole_ms, "around_non_ascii_ms": per_article_ms(started, len(texts)), "same_answers": whole == around}


def search_index(store: Path, articles: list[dict]) -> dict:
    copy = store.with_name(store.name + ".post-cost")
    with sqlite3.connect(store) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(store, copy)
    try:
        connection = sqlite3.connect(copy)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        insert = "INSERT INTO article_search (rowid, title, text) VALUES (?, ?, ?)"
        rows = [(FIRST_NEW_ROWID + number, article.get("title") or "", article["text"]) for number, article in enumerate(articles)]
        half = len(rows) // 2
        started = time.perf_counter()
        for row in rows[:half]:
            with connection:
                connection.execute(insert, row)
        alone = per_article_ms(started, half)
        started = time.perf_counter()
        with connection:
            connection.executemany(insert, rows[half:])
        together = per_article_ms(started, len(rows) - half)
        connection.close()
    finally:
        for path in (copy, copy.with_name(copy.name + "-wal"), copy.with_name(copy.name + "-shm")):
            path.unlink(missing_ok=True)
    return {"indexed_alone_ms": alone, "indexed_together_ms": together, "articles_each_way": half}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args()
    with args.new.open(encoding="utf-8") as lines:
        articles = [json.loads(line) for line, _ in zip(lines, range(args.articles))]
    with sqlite3.connect(args.store) as connection:
        stored = connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    found = {"benchmark": "post_cost", "stored": stored, "articles": len(articles)}
    found["mojibake_check"] = mojibake_check([article["text"] for article in articles])
    found["search_index"] = search_index(args.store, articles)
    print(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()
