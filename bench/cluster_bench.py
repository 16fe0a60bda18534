"""`lagebild analyze --cluster`: N articles analysed on a local Dask cluster of one and of two
worker processes, each run a whole command in a fresh process into a fresh SQLite store.

Articles: real dated news from ../shared/data (as bench/incremental_bench.py: realnews_de and
realnews_en in date order; past 12,172 articles the news is told again later, disguised:
``real_corpus``), written as one JSON-lines file (the cluster reads it in ranges of lines). Without
../shared the bench stops with a note. Usage:

    .venv/bin/python bench/cluster_bench.py --articles 5000 [--workers 1 2] [--postgres URL]

``--postgres postgresql://user@host/db``: each run's store is a new database on that server (made
and dropped by the bench), the workers writing to it at once.

``--stages-only``: the cluster part alone (reading, storing and the per-article stages, as
``analyze --cluster`` runs it), without the linking that follows it in the calling process: the
issue's 100,000 articles in an hour and a half instead of most of a day (linking them takes hours
on one core and does not change with the workers).

Prints JSON: per worker count, the wall time of the per-article stages on the cluster (reading
and storing included) and its articles/s, the linking time in the calling process, the whole
command's time; and the stages' speed-up of the largest worker count over the smallest.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from incremental_bench import store_location, write_corpus  # noqa: E402
from real_corpus import available  # noqa: E402

LAGEBILD = str(Path(sys.executable).parent / "lagebild")
NOT_LINKING = ("cluster", "stages")  # the other stage_seconds are linking's (reading, reuse, events, ...)


def measure(corpus: Path, scratch: Path, workers: int, postgres: str | None = None, stages_only: bool = False) -> dict:
    folder = scratch / f"workers-{workers}"
    folder.mkdir()
    with store_location(folder, postgres) as (db, size_of):
        if stages_only:
            return {**measure_stages(db, corpus, workers), "store_bytes_per_article": None if postgres else round(size_of() / max(1, _count_lines(corpus)))}
        return measure_into(db, corpus, scratch / f"report-{workers}.json", workers)


def measure_stages(db: str, corpus: Path, workers: int) -> dict:
    """The cluster part of ``analyze --cluster``, in a fresh process (``--stages-run``)."""
    command = [sys.executable, __file__, "--stages-run", db, str(corpus), str(workers)]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def stages_run(db: str, corpus: str, workers: int) -> dict:
    """Read, store and stage the corpus on a local cluster of ``workers`` processes, as
    ``analyze --cluster`` does before it links; what ``measure_into`` reports of that part."""
    from lagebild.cluster import connected, partitions, run_partitions, worker_path
    from lagebild.ingest import DEFAULT_MAX_BYTES
    from lagebild.progress import Tracker
    from lagebild.store import Store

    parts, _ = partitions([corpus])
    with Store(db) as store, connected(f"local:{workers}") as client:
        store.last_seq()  # the store made (migrated) before the workers open it
        done = run_partitions(client, worker_path(db), parts, DEFAULT_MAX_BYTES, Tracker(None))
    articles = sum(len(part.ids) for part in done.parts)
    return {
        "workers": workers,
        "articles": articles,
        "stages_seconds": round(done.seconds, 1),
        "stages_articles_per_second": round(articles / done.seconds, 1),
        "analysed": sum(part.analysed for part in done.parts),
        "partitions": len(parts),
    }


def _count_lines(path: Path) -> int:
    with path.open("rb") as lines:
        return sum(1 for _ in lines)


def measure_into(db: str, corpus: Path, out: Path, workers: int) -> dict:
    started = time.perf_counter()
    subprocess.run([LAGEBILD, "analyze", str(corpus), "--db", str(db), "--cluster", f"local:{workers}", "--quiet", "--no-embeddings", "--json", str(out)], check=True)
    seconds = time.perf_counter() - started
    report = json.loads(out.read_text(encoding="utf-8"))
    timings = report["lagebild"]["stage_seconds"]
    articles = report["run"]["read"]
    return {
        "workers": workers,
        "articles": articles,
        "stages_seconds": round(timings["cluster"], 1),  # read, store and the per-article stages, start-up of the cluster included
        "stages_articles_per_second": round(articles / timings["cluster"], 1),
        "stages_left_to_client_seconds": round(timings.get("stages", 0.0), 2),  # should be nothing
        "linking_seconds": round(sum(value for key, value in timings.items() if key not in NOT_LINKING), 1),
        "command_seconds": round(seconds, 1),
        "partitions": report["lagebild"]["cluster"]["partitions"],
        "events": len(report["events"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--postgres", help="a PostgreSQL server's URL: each run's store is a new database there")
    parser.add_argument("--stages-only", action="store_true", help="the cluster's part alone: reading, storing, the per-article stages; no linking")
    parser.add_argument("--stages-run", nargs=3, metavar=("DB", "CORPUS", "WORKERS"), help=argparse.SUPPRESS)  # one run of --stages-only
    args = parser.parse_args()
    if args.stages_run:
        db, corpus, workers = args.stages_run
        print(json.dumps(stages_run(db, corpus, int(workers))))
        return
    if not available():
        print(json.dumps({"benchmark": "cluster", "note": "../shared/data/realnews_* is not present"}))
        return
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        corpus, _, _ = write_corpus(scratch / "corpus", args.articles, 0)
        runs = [measure(corpus, scratch, workers, args.postgres, args.stages_only) for workers in args.workers]
    slowest, fastest = runs[0], runs[-1]
    print(json.dumps({
        "benchmark": "cluster",
        "articles": args.articles,
        "backend": "postgresql" if args.postgres else "sqlite",
        "runs": runs,
        "stages_speed_up": round(slowest["stages_seconds"] / fastest["stages_seconds"], 2),
        **({} if args.stages_only else {"same_events": len({run["events"] for run in runs}) == 1}),
    }, indent=1))


if __name__ == "__main__":
    main()
