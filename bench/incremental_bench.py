"""The store-centred engine as a user meets it: a store of N articles made from scratch, then M new
articles added to it, then the listings and a seven-day window read from it, each a whole
`lagebild` command in a fresh process (start-up included).

Articles: real dated news from ../shared/data (realnews_de: 7,550 German articles of three
outlets, realnews_en: 4,622 English ones), in date order, the newest M kept for the addition; past
12,172 articles the news is told again, later dated, its content words disguised (new names, no
copy of the originals: ``real_corpus``). Without ../shared the bench stops with a note. Usage:

    .venv/bin/python bench/incremental_bench.py --articles 10000 [--new 100] [--jobs 2] [--postgres URL] [--embeddings]

With ``--postgres postgresql://user@host/db`` the store is a new database on that server (made and
dropped by the bench; its user may create databases) instead of a SQLite file. The lexical path
(``--no-embeddings``), unless ``--embeddings`` asks for the default path with article vectors.

Prints JSON: seconds and articles/s from scratch, peak RSS of that run, seconds for the addition,
for `stories`, `quotes` and `report --since/--until` (7 days), and the store's size per article.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import real_corpus  # noqa: E402

LAGEBILD = str(Path(sys.executable).parent / "lagebild")


def write_corpus(folder: Path, count: int, new: int) -> tuple[Path, Path, str]:
    """store.jsonl (the first ``count`` articles) and new.jsonl (the next ``new``), written apart
    (``real_corpus.write_apart``: this process stays small); returns them and the newest day."""
    folder.mkdir()
    store = real_corpus.write_apart(folder / "store.jsonl", 0, count)
    added = real_corpus.write_apart(folder / "new.jsonl", count, new)
    newest = max(json.loads(line)["date"][:10] for path in (store, added) for line in path.open(encoding="utf-8"))
    return store, added, newest


def timed(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([LAGEBILD, *args], check=True, stdout=subprocess.DEVNULL)
    return round(time.perf_counter() - started, 2)


def measure(count: int, new: int, jobs: int, postgres: str | None = None, embeddings: bool = False) -> dict:
    path = "--embeddings" if embeddings else "--no-embeddings"
    with tempfile.TemporaryDirectory() as scratch, store_location(Path(scratch), postgres) as (db, size_of):
        store_input, new_input, newest = write_corpus(Path(scratch) / "corpus", count, new)
        scratch_seconds = timed("analyze", str(store_input), "--db", db, "--quiet", path, "--jobs", str(jobs))
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        add_seconds = timed("analyze", str(new_input), "--db", db, "--quiet", path, "--jobs", str(jobs), "--json", "/dev/null")
        week = (date.fromisoformat(newest) - timedelta(days=6)).isoformat()
        size = size_of()
        return {
            "benchmark": "incremental",
            "backend": "postgresql" if postgres else "sqlite",
            "stored": count,
            "new": new,
            "jobs": jobs,
            "article_vectors": embeddings,
            "from_scratch_seconds": scratch_seconds,
            "from_scratch_articles_per_second": round(count / scratch_seconds, 1),
            "from_scratch_peak_rss_mb": peak,
            "add_seconds": add_seconds,
            "stories_seconds": timed("stories", "--db", db),
            "quotes_seconds": timed("quotes", "--db", db),
            "report_7_days_seconds": timed("report", "--db", db, "--since", week, "--until", newest, "--json", "/dev/null"),
            "store_kb_per_article": round(size / 1024 / (count + new), 1),
        }


@contextmanager
def store_location(scratch: Path, postgres: str | None) -> Iterator[tuple[str, Callable[[], int]]]:
    """Where the store is, and how to read its size in bytes."""
    if not postgres:
        yield str(scratch / "store.db"), lambda: sum(path.stat().st_size for path in scratch.glob("store.db*"))
        return
    import psycopg

    name = f"lagebild_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
        try:
            yield urlunsplit(urlsplit(postgres)._replace(path=f"/{name}")), lambda: admin.execute(f"SELECT pg_database_size('{name}')").fetchone()[0]
        finally:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--postgres", help="a PostgreSQL server's URL: the store is a new database there")
    parser.add_argument("--embeddings", action="store_true", help="the default path, with article vectors")
    args = parser.parse_args()
    if not real_corpus.available():
        sys.exit(f"needs the real news corpora in {real_corpus.DATA} (../shared/data)")
    print(json.dumps(measure(args.articles, args.new, args.jobs, args.postgres, args.embeddings)))


if __name__ == "__main__":
    main()
