"""Command line shared by the growth benchmarks: one size, or several sizes each in a fresh process
(so that peak memory is per size)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys


def run(script: str, description: str, measure, default: int = 100_000) -> None:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--articles", type=int, default=default)
    parser.add_argument("--growth", type=int, nargs="*", help="sizes to measure, each in a fresh process")
    args = parser.parse_args()
    if args.growth:
        for size in args.growth:
            subprocess.run([sys.executable, script, "--articles", str(size)], check=True)
        return
    print(json.dumps(measure(args.articles)))
