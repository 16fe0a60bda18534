"""A command run and timed, with what the host took of the machine meanwhile: on a virtual machine
the host may take a share of the cores (CPU steal), which slows everything measured, so timings
are compared only beside their steal. Prints one line of JSON to stderr after the command's own
output.

    .venv/bin/python bench/timed.py COMMAND [ARGUMENTS...]
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path


def cpu_ticks() -> tuple[int, int, int]:
    """(all, idle, stolen) CPU ticks of this machine so far (zeros where /proc/stat is unreadable)."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0, 0
    return sum(fields[:8]), fields[3] + fields[4], fields[7] if len(fields) > 7 else 0


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__.strip().splitlines()[-1].strip())
    before, started = cpu_ticks(), time.perf_counter()
    code = subprocess.run(sys.argv[1:]).returncode
    seconds = time.perf_counter() - started
    every, idle, stolen = (after - earlier for after, earlier in zip(cpu_ticks(), before))
    share = (lambda part: round(100 * part / every, 1) if every else None)
    print(json.dumps({"seconds": round(seconds, 2), "exit": code, "steal_percent": share(stolen), "busy_percent": share(every - idle - stolen)}), file=sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
