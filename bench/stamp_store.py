"""A copy of a linked SQLite store, marked as staged and linked by the code at hand, so that an
addition to a large store can be timed with new code without linking the store again from scratch
(hours at 85,000 articles). For timing only: the copy's picture is the one the older code made,
and an addition links its new articles onto it with the new code.

What it does to the copy: the schema migrations of the code at hand (keeping how far linking got,
which a migration that adds a link table resets), the link tables those migrations add filled from
the tables they derive from (``link_name_texts`` from ``link_names``), and the stage, link and
clustering versions set to the code's. The store must be of schema 15 or later (session 24's).
``--drop-unlinked``: the articles stored after the last one linked (a growth step cut short) are
taken out of the copy, with their stage results, so that an addition adds only its own. Usage:

    .venv/bin/python bench/stamp_store.py BASE.db COPY.db [--drop-unlinked]
    /usr/bin/time -v .venv/bin/lagebild analyze NEW.jsonl --db COPY.db --quiet --jobs 2
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lagebild.link.event_state import state_key  # noqa: E402
from lagebild.pipeline import link_version  # noqa: E402
from lagebild.stages import versions  # noqa: E402
from lagebild.store import Store  # noqa: E402

OLDEST_SCHEMA = 15  # link_names, link_name_words and the clustering's tables are there


def copy_store(base: Path, copy: Path) -> None:
    with sqlite3.connect(base) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(base, copy)


def migrate_keeping_links(copy: Path) -> None:
    with sqlite3.connect(copy) as connection:
        if connection.execute("PRAGMA user_version").fetchone()[0] < OLDEST_SCHEMA:
            sys.exit(f"{copy}: schema older than {OLDEST_SCHEMA}; link it with the code at hand instead")
        kept = connection.execute("SELECT key, value FROM link_state").fetchall()
    Store(str(copy)).connection.close()
    with sqlite3.connect(copy) as connection:
        connection.executemany("INSERT OR REPLACE INTO link_state (key, value) VALUES (?, ?)", kept)


def fill_derived(connection: sqlite3.Connection) -> None:
    """The one-word texts of every name (``store.names``), where the base had no such table."""
    if connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'link_name_texts'").fetchone() is None:
        return  # the code at hand keeps no such table
    if connection.execute("SELECT 1 FROM link_name_texts LIMIT 1").fetchone() is None:
        connection.execute("INSERT OR IGNORE INTO link_name_texts (text, name) SELECT j.value, l.name FROM link_names l, json_each(l.texts) j WHERE instr(j.value, ' ') = 0")


def drop_unlinked(connection: sqlite3.Connection) -> int:
    """Take out the articles after the last linked one (their search entries, stage results and
    vectors too); returns how many."""
    linked = int(connection.execute("SELECT value FROM link_state WHERE key = 'linked_seq'").fetchone()[0])
    count = connection.execute("SELECT COUNT(*) FROM articles WHERE seq > ?", (linked,)).fetchone()[0]
    connection.execute("INSERT INTO article_search (article_search, rowid, title, text) SELECT 'delete', seq, title, text FROM articles WHERE seq > ?", (linked,))
    connection.execute("DELETE FROM stage_results WHERE article_seq > ?", (linked,))
    connection.execute("DELETE FROM article_vectors WHERE article_id IN (SELECT id FROM articles WHERE seq > ?)", (linked,))
    connection.execute("DELETE FROM articles WHERE seq > ?", (linked,))
    connection.execute("UPDATE stage_progress SET done_seq = MIN(done_seq, ?)", (linked,))
    return count


def stamp(connection: sqlite3.Connection) -> None:
    for stage, version in versions().items():
        connection.execute("UPDATE stage_progress SET version = ? WHERE stage = ?", (version, stage))
        connection.execute("UPDATE stage_results SET version = ? WHERE stage = ?", (version, stage))
    connection.execute("UPDATE link_state SET value = ? WHERE key = 'version'", (link_version(),))
    connection.execute("UPDATE clusterer_states SET key = ?", (state_key(embeddings=False),))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path)
    parser.add_argument("copy", type=Path)
    parser.add_argument("--drop-unlinked", action="store_true", help="take out the articles stored after the last one linked")
    args = parser.parse_args()
    copy_store(args.base, args.copy)
    migrate_keeping_links(args.copy)
    with sqlite3.connect(args.copy) as connection:
        dropped = drop_unlinked(connection) if args.drop_unlinked else 0
        fill_derived(connection)
        stamp(connection)
    print(f"{args.copy}: stamped as staged and linked by this code (link version {link_version()}); {dropped} unlinked article(s) taken out")


if __name__ == "__main__":
    main()
