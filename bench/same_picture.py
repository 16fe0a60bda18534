"""Whether two SQLite stores hold the same picture: for each picture table, the reuse index, the
story cards and what linking keeps of repeated sentences and of names, its number of rows and a
digest of its rows in order, side by side (``same`` or ``DIFF``). Two ways of linking one corpus (stages first or beside linking, one run or many) must
give the same rows. Exits 1 when a table differs. Usage:

    .venv/bin/python bench/same_picture.py A.db B.db
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys

EXTRA_TABLES = ("reuse_anchors", "story_cards", "boilerplate_sentences", "link_names", "link_name_words", "link_name_texts")


def tables(connection: sqlite3.Connection) -> list[str]:
    names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return [name for name in names if name.startswith("picture_") or name in EXTRA_TABLES]


def digest(connection: sqlite3.Connection, table: str) -> tuple[int, str]:
    """(rows, a digest of the rows in the order of their first two columns)."""
    hashed, count = hashlib.sha256(), 0
    for row in connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):  # noqa: S608 - names from the schema
        hashed.update(repr(row).encode())
        count += 1
    return count, hashed.hexdigest()[:12]


def main() -> int:
    first, second = (sqlite3.connect(f"file:{path}?mode=ro", uri=True) for path in sys.argv[1:3])
    differ = False
    for table in tables(first):
        mine, theirs = digest(first, table), digest(second, table)
        differ |= mine != theirs
        print("same" if mine == theirs else "DIFF", table, *mine, *theirs)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
