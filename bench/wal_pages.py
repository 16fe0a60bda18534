"""What a `lagebild analyze` writes into a SQLite store, page by page: the command runs in this
process with SQLite's automatic checkpoints off and a second connection held open (so that
neither a commit nor the run's close folds the write-ahead log into the store), then each page
in the log is counted under the table or index that owns it (SQLite's ``dbstat``), and the
checkpoint the run would have paid is timed. Use it on a copy (``stamp_store.py``). Usage:

    .venv/bin/python bench/wal_pages.py COPY.db analyze NEW.jsonl --db COPY.db --quiet --jobs 2 --no-embeddings
"""

from __future__ import annotations

import json
import sqlite3
import struct
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lagebild.store.backends import sqlite as backend  # noqa: E402

WAL_HEADER, FRAME_HEADER = 32, 24


def _without_checkpoints(connect):
    def connected(*args, **kwargs):
        connection = connect(*args, **kwargs)
        connection.execute("PRAGMA wal_autocheckpoint=0")
        return connection
    return connected


def pages_in_log(wal: Path) -> tuple[Counter, int]:
    """How often each page number is in the log, and the page size."""
    pages: Counter = Counter()
    with wal.open("rb") as log:
        page_size = struct.unpack(">I", log.read(WAL_HEADER)[8:12])[0]
        while len(header := log.read(FRAME_HEADER)) == FRAME_HEADER:
            pages[struct.unpack(">I", header[:4])[0]] += 1
            log.seek(page_size, 1)
    return pages, page_size


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    store = sys.argv[1]
    holder = sqlite3.connect(store)
    holder.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    backend.connect = _without_checkpoints(backend.connect)
    from lagebild.cli import app

    try:
        app(sys.argv[2:])
    except SystemExit:
        pass
    wal = Path(store + "-wal")
    pages, page_size = pages_in_log(wal)
    owner = dict(holder.execute("SELECT pageno, name FROM dbstat").fetchall())
    by_table: Counter = Counter()
    for page in pages:
        by_table[owner.get(page, "?")] += 1
    started = time.perf_counter()
    holder.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    print(json.dumps({"benchmark": "wal_pages", "log_mb": wal_mb(pages, page_size), "frames": sum(pages.values()), "pages": len(pages),
                      "checkpoint_seconds": round(time.perf_counter() - started, 2), "pages_by_table": dict(by_table.most_common(15))}))


def wal_mb(pages: Counter, page_size: int) -> int:
    return sum(pages.values()) * (page_size + FRAME_HEADER) >> 20


if __name__ == "__main__":
    main()
