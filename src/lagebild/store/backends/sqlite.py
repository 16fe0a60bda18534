"""SQLite: the store in one file, in WAL mode (readers never wait for the writer). Writers take
turns (a transaction waits up to ``BUSY_SECONDS`` for another's), and linking is held to one
process by a lock file beside the store."""

from __future__ import annotations

import fcntl
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

BUSY_SECONDS = 120  # how long a write waits for another process's transaction to end


class SQLiteConnection(sqlite3.Connection):
    """sqlite3's own connection (nothing added to each statement), carrying its dialect."""

    @property
    def dialect(self) -> type["Dialect"]:
        return Dialect


def connect(path: str, shared: bool = False) -> SQLiteConnection:
    connection = sqlite3.connect(path, timeout=BUSY_SECONDS, check_same_thread=not shared, factory=SQLiteConnection)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


class Dialect:
    name = "sqlite"
    # an article's source for counting sources: its outlet, else its first credit, else itself
    ARTICLE_SOURCE = "COALESCE(json_extract(meta, '$.outlet'), json_extract(meta, '$.credits[0]'), article_id)"

    @staticmethod
    def schema(statement: str) -> str | None:
        """A migration's statement as this backend runs it (the migrations are written for SQLite)."""
        return statement

    @staticmethod
    def version(connection) -> int:
        return connection.execute("PRAGMA user_version").fetchone()[0]

    @staticmethod
    def set_version(connection, version: int) -> None:
        connection.execute(f"PRAGMA user_version = {int(version)}")

    @staticmethod
    def begin_migration(connection) -> None:
        """Begin the migration's transaction as a writer: a second process opening a new store
        at once waits, then finds it migrated."""
        connection.execute("BEGIN IMMEDIATE")

    @staticmethod
    def before_adding_articles(connection) -> None:
        """Nothing: SQLite's writers take turns, so articles are numbered in the order they commit."""

    @staticmethod
    def index_for_search(connection, after_seq: int) -> None:
        connection.execute("INSERT INTO article_search (rowid, title, text) SELECT seq, title, text FROM articles WHERE seq > ?", (after_seq,))

    @staticmethod
    def search(connection, words: list[str], limit: int, offset: int) -> list[tuple]:
        """(id, title, date, outlet, credits, snippet) of the articles having every word, best first."""
        match = " ".join('"' + word.replace('"', "") + '"' for word in words)  # words, never FTS syntax
        return connection.execute(
            "SELECT a.id, a.title, a.date, a.outlet, a.credits, snippet(article_search, 1, char(2), char(3), '…', 16)"
            " FROM article_search JOIN articles a ON a.seq = article_search.rowid WHERE article_search MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
            (match, limit, offset),
        ).fetchall()

    @staticmethod
    @contextmanager
    def linking_lock(connection, path: str, waiting: Callable[[], None]) -> Iterator[None]:
        if path == ":memory:":
            yield
            return
        with open(path + ".lock", "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                waiting()
                fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
