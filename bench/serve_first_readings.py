"""What a server just started pays for each answer it has not made yet: every page and record the
serve bench's readers ask for (bench/serve_bench.py's Load: the first 200 ranked stories, the 500
newest articles, 300 entities, ten search words), each made once in one process (the app in
process, no server, nothing kept before), in CPU milliseconds of that process: unlike a latency,
hardly moved by what else the machine runs. Read-only: the store is not changed (no worker).

    .venv/bin/python bench/serve_first_readings.py STORE [--stories 200] [--articles 500] [--entities 300]

Prints JSON: per kind, how many were made and the mean and largest CPU ms of one, and the mean
bytes sent (gzipped where the server gzips).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fastapi.testclient import TestClient  # noqa: E402

from lagebild.serve.app import Settings, create_app  # noqa: E402
from serve_bench import WORDS  # noqa: E402

KINDS = {
    "story": "/stories/{}", "story_api": "/api/v1/stories/{}", "article": "/articles/{}", "article_api": "/api/v1/articles/{}",
    "entity": "/entities/{}", "entity_api": "/api/v1/entities/{}", "search": "/search?q={}", "search_api": "/api/v1/search?q={}",
}  # fmt: skip


def first_readings(client: TestClient, chosen: dict[str, list[str]]) -> dict:
    found = {}
    for kind, path in KINDS.items():
        spent, sizes = [], []
        for value in chosen[kind.removesuffix("_api")]:
            started = time.process_time()
            answer = client.get(path.format(value), headers={"Accept-Encoding": "gzip"})
            spent.append(time.process_time() - started)
            assert answer.status_code == 200, (answer.status_code, path.format(value))
            sizes.append(int(answer.headers.get("content-length", len(answer.content))))
        found[kind] = {"made": len(spent), "mean_cpu_ms": round(1000 * sum(spent) / len(spent), 1), "max_cpu_ms": round(1000 * max(spent), 1),
                       "mean_bytes_sent": round(sum(sizes) / len(sizes))}
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--stories", type=int, default=200)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--entities", type=int, default=300)
    args = parser.parse_args()
    app = create_app(Settings(db=Path(args.store), analyse=False))
    with TestClient(app) as client:
        chosen = {
            "story": [s["id"] for s in client.get("/api/v1/stories", params={"limit": args.stories}).json()["items"]],
            "article": [a["id"] for a in client.get("/api/v1/articles", params={"limit": args.articles}).json()["items"]],
            "entity": [e["id"] for e in client.get("/api/v1/entities", params={"limit": args.entities}).json()["items"]],
            "search": WORDS,
        }
        print(json.dumps({"benchmark": "serve_first_readings", "store": args.store, **first_readings(client, chosen)}, indent=2))


if __name__ == "__main__":
    main()
