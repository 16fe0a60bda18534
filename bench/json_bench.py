"""Writing the JSON report: the standard json module against orjson (what `write_json` uses), on a
report of N articles made by repeating the example corpus's report with fresh ids. Usage:

    .venv/bin/python bench/json_bench.py --articles 10000

Prints JSON: the report's size and the seconds each way takes to write it (best of three).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from _runner import run  # noqa: E402

from lagebild.report import write_json  # noqa: E402


def example_report() -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "r.json"
        subprocess.run([str(Path(sys.executable).parent / "lagebild"), "analyze", str(ROOT / "examples" / "corpus"), "--json", str(out), "--quiet", "--no-embeddings"], check=True)
        return json.loads(out.read_text(encoding="utf-8"))


def grown(report: dict, count: int) -> dict:
    """``count`` articles: the report's articles and findings repeated, each copy with its own ids."""
    copies = -(-count // len(report["articles"]))
    big = {key: value for key, value in report.items() if not isinstance(value, list)}
    for key, value in report.items():
        if isinstance(value, list):
            text = json.dumps(value, ensure_ascii=False)
            big[key] = [item for copy in range(copies) for item in json.loads(text.replace('_id": "', f'_id": "{copy}-'))]
    big["articles"] = big["articles"][:count]
    return big


def best_of_three(write) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        write(io.StringIO())
        times.append(time.perf_counter() - started)
    return round(min(times), 3)


def measure(count: int) -> dict:
    report = grown(example_report(), count)
    buffer = io.StringIO()
    write_json(report, buffer)
    return {
        "benchmark": "json",
        "articles": len(report["articles"]),
        "megabytes": round(len(buffer.getvalue().encode("utf-8")) / 1e6, 1),
        "json_module_seconds": best_of_three(lambda out: json.dump(report, out, ensure_ascii=False, indent=2)),
        "write_json_seconds": best_of_three(lambda out: write_json(report, out)),
    }


def main() -> None:
    run(__file__, __doc__.splitlines()[0], measure, default=10_000)


if __name__ == "__main__":
    main()
