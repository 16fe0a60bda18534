"""Hostile input: one article of quotation after quotation, of number after number, of person
after person, or of real articles joined, at 125 KB, 500 KB and 2 MB (and one of 20 MB), each
analysed by a whole `lagebild analyze FILE --jobs 1` command in a fresh process (start-up
included). Articles over 500,000 characters are cut with a note
(lagebild.ingest.article.MAX_ARTICLE_CHARS), so the 2 MB and 20 MB ones measure the cut article.
Usage:

    .venv/bin/python bench/hostile_bench.py [--sizes 125 500 2000] [--huge 20000] [--kinds names ...]

Prints JSON per kind: seconds per size (KB) and the growth of the time per doubling of the size.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL_NEWS = ROOT.parent / "shared" / "data" / "realnews_de" / "covid_de_2020-03_to_05.jsonl.gz"
LAGEBILD = str(Path(sys.executable).parent / "lagebild")
UNITS = {
    "quotes": lambda n: f"„Wir haben {n % 97 + 3} Häuser gebaut“, sagte Bürgermeister Müller am Montag. ",
    "numbers": lambda n: f"Im Jahr {1990 + n % 30} stieg die Zahl der Besucher um {n % 97 + 3} Prozent auf {1000 + n} Menschen. ",
    "names": lambda n: f"Die Abgeordnete {_FIRST[n % 10]} {_surname(n)} sprach am Montag in Kiel. {_surname(n)} kam mit dem Zug. ",
}
_FIRST = ["Anna", "Peter", "Maria", "Jonas", "Lena", "Felix", "Sophie", "Paul", "Laura", "Max"]


def _surname(n: int) -> str:
    """One of 17,576 made-up surnames ("Bergabcmann"): an article of people, most named once."""
    return "Berg" + "".join(chr(97 + n // 26**place % 26) for place in range(3)) + "mann"


def joined_news() -> list[str]:
    """Real articles (read at run time, never stored), else the example corpus's texts."""
    if REAL_NEWS.exists():
        with gzip.open(REAL_NEWS, "rt", encoding="utf-8") as lines:
            return [json.loads(line)["text"] + "\n\n" for _, line in zip(range(3000), lines)]
    return [path.read_text(encoding="utf-8") + "\n\n" for path in sorted((ROOT / "examples" / "corpus").rglob("*.txt"))]


def text_of(kind: str, kilobytes: int, news: list[str]) -> str:
    parts, size, number = [], 0, 0
    while size < kilobytes * 1000:
        part = UNITS[kind](number) if kind in UNITS else news[number % len(news)]
        parts.append(part)
        size += len(part.encode("utf-8"))
        number += 1
    return " date 2026-03-14 Eine Meldung\n\n" + "".join(parts)


def seconds(path: Path) -> float:
    started = time.perf_counter()
    subprocess.run([LAGEBILD, "analyze", str(path), "--quiet", "--no-embeddings", "--jobs", "1", "--max-bytes", "30000000"], check=True, stdout=subprocess.DEVNULL)
    return round(time.perf_counter() - started, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[125, 500, 2000], help="sizes in KB")
    parser.add_argument("--huge", type=int, default=20_000, help="one more size in KB, plain joined news (0: none)")
    parser.add_argument("--kinds", nargs="*", default=["quotes", "numbers", "names", "joined"], choices=["quotes", "numbers", "names", "joined"])
    args = parser.parse_args()
    news = joined_news()
    with tempfile.TemporaryDirectory() as scratch:
        for kind in args.kinds:
            timings = {}
            for kilobytes in args.sizes + ([args.huge] if kind == "joined" and args.huge else []):
                path = Path(scratch) / f"{kind}_{kilobytes}.txt"
                path.write_text(text_of(kind, kilobytes, news), encoding="utf-8")
                timings[kilobytes] = seconds(path)
            sizes = sorted(timings)
            growth = {f"{a}->{b}": round((timings[b] / timings[a]) ** (1 / math.log2(b / a)), 2) for a, b in zip(sizes, sizes[1:])}
            print(json.dumps({"benchmark": "hostile", "kind": kind, "seconds_by_kb": timings, "growth_per_doubling": growth}))


if __name__ == "__main__":
    main()
