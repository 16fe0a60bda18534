"""`lagebild serve` under load, as a newsroom would use it: a real server (uvicorn, its analysis
worker) on a localhost port over a store of real news, 20 concurrent readers on the pages and the
API (stories, a story, an article, an entity, search), while articles are POSTed one per request.

Articles: real dated news from ../shared/data (as bench/incremental_bench.py: realnews_de and
realnews_en in date order); the store holds the first N, the POSTs bring the next ones. Without
../shared the bench stops with a note. Bounded in time and count, localhost only. Usage:

    .venv/bin/python bench/serve_bench.py --articles 10000 [--readers 20] [--seconds 60] [--post 1000]
    .venv/bin/python bench/serve_bench.py --db STORE --post-from new.jsonl [--processes 2] [--warm-up 120]   # a store built before

Prints JSON: per kind of request the count, p50/p95/p99 in ms and errors (the first few named); the POSTs' count,
failures and p95; whether every POSTed article is in the store afterwards, and how long the
worker took to analyse them all; the share of the machine's CPU time its host took meanwhile
(steal, on a virtual machine: runs with much of it are slower throughout); the CPU seconds the
server processes spent answering and the worker analysing during the load, and per request; with
``--warm-up``, what the readers met before the measured load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

try:  # the readers' client: httpx's own asynchronous client took a quarter of this machine's CPU
    import aiohttp  # (pip install 'lagebild[bench]')
except ImportError:
    aiohttp = None

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real_corpus  # noqa: E402
from incremental_bench import LAGEBILD, write_corpus  # noqa: E402
from timed import cpu_ticks  # noqa: E402

TOKEN = "bench-token"
WORDS = ["Corona", "Regierung", "Trump", "Berlin", "Impfstoff", "Wirtschaft", "election", "Senate", "Polizei", "Schule"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1) if ordered else 0.0


class Load:
    """What the readers ask for, sampled from the store once the server is up."""

    def __init__(self, client: httpx.Client):
        self.stories = [s["id"] for s in client.get("/api/v1/stories", params={"limit": 200}).json()["items"]]
        self.articles = [a["id"] for a in client.get("/api/v1/articles", params={"limit": 500}).json()["items"]]
        self.entities = [e["id"] for e in client.get("/api/v1/entities", params={"limit": 300}).json()["items"]]

    def request(self) -> tuple[str, str]:
        kind = random.choice(["front", "stories", "story", "story_api", "article", "article_api", "entity", "entity_api", "search", "search_api"])
        pick = {"story": self.stories, "story_api": self.stories, "article": self.articles, "article_api": self.articles, "entity": self.entities, "entity_api": self.entities}
        chosen = random.choice(pick[kind]) if kind in pick else random.choice(WORDS)
        paths = {
            "front": "/", "stories": "/api/v1/stories", "story": f"/stories/{chosen}", "story_api": f"/api/v1/stories/{chosen}",
            "article": f"/articles/{chosen}", "article_api": f"/api/v1/articles/{chosen}", "entity": f"/entities/{chosen}",
            "entity_api": f"/api/v1/entities/{chosen}", "search": f"/search?q={chosen}", "search_api": f"/api/v1/search?q={chosen}",
        }  # fmt: skip
        return kind, paths[kind]


async def read(client: aiohttp.ClientSession, load: Load, until: float, times: dict, errors: dict) -> None:
    while time.monotonic() < until:
        kind, path = load.request()
        started = time.perf_counter()
        try:
            async with client.get(path) as answer:
                await answer.read()
            failed = f"{answer.status} {path}" if answer.status >= 400 else ""
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            failed = f"{type(error).__name__} {path}"
        times.setdefault(kind, []).append(time.perf_counter() - started)
        if failed:
            errors.setdefault(kind, []).append(failed)


async def post(client: aiohttp.ClientSession, articles: list[dict], seconds: float, times: list, failures: list, ids: list) -> None:
    """One article per request, spread evenly over ``seconds``."""
    begun = time.perf_counter()
    gap = seconds / max(1, len(articles))
    headers = {"Authorization": f"Bearer {TOKEN}"}
    for number, article in enumerate(articles):
        started = time.perf_counter()
        try:
            async with client.post("/api/v1/articles", json=article, headers=headers) as answer:
                body = await answer.text()
            if answer.status in (200, 201):
                found = json.loads(body)
                ids += found["added"] + found["already_stored"]
            else:
                failures.append(f"{answer.status}: {body[:100]}")
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            failures.append(type(error).__name__)
        times.append(time.perf_counter() - started)
        await asyncio.sleep(max(0.0, gap * (number + 1) - (time.perf_counter() - begun)))


async def run_load(url: str, load: Load, readers: int, seconds: float, posted: list[dict]) -> dict:
    times: dict[str, list[float]] = {}
    errors: dict[str, list[str]] = {}  # kind -> each failure's status (or exception) and path
    post_times: list[float] = []
    failures: list[str] = []
    ids: list[str] = []
    connector = aiohttp.TCPConnector(limit=readers + 4)
    async with aiohttp.ClientSession(base_url=url, timeout=aiohttp.ClientTimeout(total=60), connector=connector) as client:
        until = time.monotonic() + seconds
        tasks = [read(client, load, until, times, errors) for _ in range(readers)]
        if posted:
            tasks.append(post(client, posted, seconds, post_times, failures, ids))
        await asyncio.gather(*tasks)
    every = [value for values in times.values() for value in values]
    return {
        "requests": len(every),
        "p50_ms": percentile(every, 0.5),
        "p95_ms": percentile(every, 0.95),
        "p99_ms": percentile(every, 0.99),
        "errors": sum(map(len, errors.values())),
        "first_errors": [failure for failures in errors.values() for failure in failures][:5],
        "by_kind": {kind: {"count": len(v), "p50_ms": percentile(v, 0.5), "p95_ms": percentile(v, 0.95), "errors": len(errors.get(kind, []))} for kind, v in sorted(times.items())},
        "posts": {"count": len(post_times), "failed": len(failures), "p95_ms": percentile(post_times, 0.95), "first_failures": failures[:3]},
        "posted_ids": ids,
    }


def serve(db: str, port: int, processes: int) -> subprocess.Popen:
    environment = {**os.environ, "LAGEBILD_TOKEN": TOKEN}
    process = subprocess.Popen([LAGEBILD, "serve", "--db", db, "--port", str(port), "--processes", str(processes)], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:  # e.g. the port is busy: never measure another server on it
            raise SystemExit(f"lagebild serve ended: {process.stderr.read().strip()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/status", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("lagebild serve did not start")


def wait_analysed(url: str, seconds: float, failures: list[str]) -> float | None:
    """Seconds until the server has analysed every article it holds (None: not within
    ``seconds``); a status request that fails is named in ``failures`` and asked again."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if httpx.get(url + "/api/v1/status", timeout=30).json()["not_analysed"] == 0:
                return round(time.monotonic() - started, 1)
        except httpx.HTTPError as error:
            failures.append(f"{type(error).__name__} /api/v1/status after the load")
        time.sleep(1)
    return None


def process_cpu(root: int) -> dict[str, float]:
    """CPU seconds so far of the server's processes: answering (the server processes, niceness 0)
    and analysing (the worker and its stage processes, which run at a lower priority). Unlike
    latency, CPU per request hardly moves with the host's steal."""
    spent = {"answering": 0.0, "analysing": 0.0}
    children: dict[int, list[int]] = {}
    stats = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        stats[int(entry.name)] = fields
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    waiting = list(children.get(root, []))
    while waiting:
        pid = waiting.pop()
        waiting += children.get(pid, [])
        fields = stats[pid]
        own_and_ended_children = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
        spent["answering" if int(fields[16]) == 0 else "analysing"] += own_and_ended_children / os.sysconf("SC_CLK_TCK")
    return spent


def measure(db: str, posted: list[dict], readers: int, seconds: float, port: int, processes: int = 1, warm_up: float = 0) -> dict:
    process = serve(db, port, processes)
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            load = Load(client)
            stored = client.get("/api/v1/status").json()["articles"]
        warming = asyncio.run(run_load(url, load, readers, warm_up, [])) if warm_up else None
        ticks, cpu = cpu_ticks(), process_cpu(process.pid)
        result = asyncio.run(run_load(url, load, readers, seconds, posted))
        every, _, stolen = (after - before for after, before in zip(cpu_ticks(), ticks))
        spent = {kind: round(seconds - cpu.get(kind, 0.0), 1) for kind, seconds in process_cpu(process.pid).items()}
        ids = set(result.pop("posted_ids"))
        status_failures: list[str] = []
        analysed_after = wait_analysed(url, 1800, status_failures)
    finally:
        process.send_signal(2)
        process.communicate(timeout=120)
    with sqlite3.connect(db) as connection:
        missing = len(ids) - sum(connection.execute("SELECT COUNT(*) FROM articles WHERE id = ?", (i,)).fetchone()[0] for i in ids)
    return {
        "benchmark": "serve", "stored": stored, "readers": readers, "processes": processes, "seconds": seconds,
        "warm_up": {"seconds": warm_up, **{name: warming[name] for name in ("requests", "p50_ms", "p95_ms", "errors")}} if warming else None, **result,
        "cpu_stolen_percent": round(100 * stolen / every, 1) if every else None,
        "cpu_seconds_during_the_load": spent,
        "answering_cpu_ms_per_request": round(1000 * spent["answering"] / result["requests"], 2) if result["requests"] else None,
        "status_failures_after_the_load": status_failures,
        "posted_in_store": len(ids) - missing, "posted_missing": missing, "seconds_until_all_analysed": analysed_after,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles in the store built for the bench")
    parser.add_argument("--db", help="a store built before (skips building)")
    parser.add_argument("--post-from", help="JSONL of articles to POST (with --db)")
    parser.add_argument("--post", type=int, default=1000, help="articles POSTed during the load")
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warm-up", type=float, default=0, help="seconds the readers read alone before the measured load (reported apart): "
                        "the kept answers of a server just started are all to be made")
    parser.add_argument("--port", type=int, default=8931)
    parser.add_argument("--processes", type=int, default=1, help="server processes (lagebild serve --processes)")
    parser.add_argument("--jobs", type=int, default=2, help="processes for building the store")
    args = parser.parse_args()
    if aiohttp is None:
        raise SystemExit("bench/serve_bench.py needs aiohttp: pip install 'lagebild[bench]'")
    if not args.db and not real_corpus.available():
        print(json.dumps({"benchmark": "serve", "skipped": "../shared/data is not present"}))
        return
    random.seed(7)
    with tempfile.TemporaryDirectory() as scratch:
        db, posted = args.db, []
        if args.post_from:
            posted = [json.loads(line) for line in Path(args.post_from).read_text(encoding="utf-8").split("\n")[: args.post] if line.strip()]  # not splitlines: texts hold U+2028
        if not db:
            store_input, new_input, _ = write_corpus(Path(scratch) / "corpus", args.articles, args.post)
            db = str(Path(scratch) / "store.db")
            subprocess.run([LAGEBILD, "analyze", str(store_input), "--db", db, "--quiet", "--no-embeddings", "--jobs", str(args.jobs), "--json", "/dev/null"], check=True)
            posted = [json.loads(line) for line in new_input.read_text(encoding="utf-8").split("\n") if line.strip()]
        print(json.dumps(measure(db, posted, args.readers, args.seconds, args.port, args.processes, args.warm_up), indent=2))


if __name__ == "__main__":
    main()
