"""A store that grows: does adding 100 articles cost the same at 10,000 stored articles as at
100,000? The store is built in steps (``--step`` articles each, every step a whole `lagebild
analyze` of the next articles); after each step 100 more are added and the listings and a
seven-day window are read, each a whole `lagebild` command in a fresh process. One JSON line per
step, printed as it is measured (a long build can be stopped and read so far, and resumed with
``--start``: the number of articles the store already holds, as this bench made it).

Articles: those of ``incremental_bench`` (real dated news of ../shared/data in date order; past
12,172 the news is told again 500 days later with its content words disguised: new names, no copy
of the originals, see ``real_corpus``). Usage:

    .venv/bin/python bench/growth_bench.py --db /tmp/growth.db --to 100000 [--step 10000] [--new 100] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import real_corpus  # noqa: E402
from incremental_bench import LAGEBILD  # noqa: E402


def run(*args: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB: the largest of the process and its workers) of one `lagebild`
    command; its output is not read (a failure is told by its status)."""
    started = time.perf_counter()
    process = subprocess.Popen([LAGEBILD, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"lagebild {' '.join(args)} failed with status {process.returncode}")
    return round(time.perf_counter() - started, 2), usage.ru_maxrss // 1024


def step(db: str, folder: Path, lines: Iterator[str], start: int, end: int, new: int, jobs: int, newest: str) -> tuple[dict, str]:
    """Articles ``start`` to ``end - new`` as one run, then the next ``new`` as the measured
    addition (both read on from ``lines``); returns the figures and the newest day so far."""
    bulk, newest = copy_lines(lines, folder / "bulk.jsonl", end - new - start, newest)
    added, newest = copy_lines(lines, folder / "added.jsonl", new, newest)
    bulk_seconds, bulk_peak = run("analyze", str(bulk), "--db", db, "--quiet", "--no-embeddings", "--jobs", str(jobs))
    add_seconds, add_peak = run("analyze", str(added), "--db", db, "--quiet", "--no-embeddings", "--jobs", str(jobs))
    week = (date.fromisoformat(newest) - timedelta(days=6)).isoformat()
    return {
        "benchmark": "growth",
        "stored": end,
        "step_articles": end - new - start,
        "step_seconds": bulk_seconds,
        "step_articles_per_second": round((end - new - start) / bulk_seconds, 1),
        "step_peak_rss_mb": bulk_peak,
        "add": new,
        "add_seconds": add_seconds,
        "add_peak_rss_mb": add_peak,
        "stories_seconds": run("stories", "--db", db)[0],
        "quotes_seconds": run("quotes", "--db", db)[0],
        "report_7_days_seconds": run("report", "--db", db, "--since", week, "--until", newest, "--json", os.devnull)[0],
        "store_kb_per_article": round(sum(path.stat().st_size for path in Path(db).parent.glob(Path(db).name + "*")) / 1024 / end, 1),
    }, newest


def copy_lines(lines: Iterator[str], target: Path, count: int, newest: str) -> tuple[Path, str]:
    """The next ``count`` articles of the corpus into ``target``, streamed; and the newest day."""
    with target.open("w", encoding="utf-8") as out:
        for line in islice(lines, count):
            out.write(line)
            newest = max(newest, json.loads(line)["date"][:10])
    return target, newest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="the SQLite store to grow (made if absent)")
    parser.add_argument("--to", type=int, default=100_000)
    parser.add_argument("--step", type=int, default=10_000)
    parser.add_argument("--start", type=int, default=0, help="articles the store already holds (from an earlier run of this bench)")
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if not real_corpus.available():
        sys.exit(f"needs the real news corpora in {real_corpus.DATA} (../shared/data)")
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "corpus.jsonl"
        with real_corpus.write_apart(corpus, 0, args.to).open(encoding="utf-8") as lines:
            newest = ""
            for line in islice(lines, args.start):
                newest = max(newest, json.loads(line)["date"][:10])
            for start in range(args.start, args.to, args.step):
                figures, newest = step(args.db, Path(scratch), lines, start, min(start + args.step, args.to), args.new, args.jobs, newest)
                print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
