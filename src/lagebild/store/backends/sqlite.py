"""SQLite: the store in one file, in WAL mode (readers never wait for the writer). Writers take
turns (a transaction waits up to ``BUSY_SECONDS`` for another's), and linking is held to one
process by a lock file beside the store."""

from __future__ import annotations

import fcntl
import re
import sqlite3
import unicodedata
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from itertools import islice

BUSY_SECONDS = 120  # how long a write waits for another process's transaction to end
SNIPPET_TOKENS = 16  # words of an article's text shown around its first hit (as FTS5's snippet())
SNIPPET_CHARACTERS = 20_000  # of the text looked at for a hit: a hit past it shows the text's start
_TOKEN = re.compile(r"[^\W_]+")  # FTS5's unicode61 tokens: runs of letters and digits


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
        """Take the writer's turn before reading the last article stored: otherwise two processes
        adding at once could both read the same last article, and the second would index the
        first's articles for search again (SQLite's writers take turns, so articles are numbered
        in the order they commit)."""
        if not connection.in_transaction:
            connection.execute("BEGIN IMMEDIATE")

    @staticmethod
    def index_for_search(connection, stored_before: int, deferred: bool = False) -> None:
        """In the transaction that stored the articles after ``stored_before``: index them for
        search, with any an earlier deferred addition left out. ``deferred``: leave them to the
        next indexing (one article indexed alone costs ten times its share of a batch: 11 ms
        against 1 ms at 100,000 stored), marking from where it must start."""
        mark = _search_mark(connection)
        if deferred:
            if mark is None:
                _set_search_mark(connection, stored_before)
            return
        connection.execute("INSERT INTO article_search (rowid, title, text) SELECT seq, title, text FROM articles WHERE seq > ?", (stored_before if mark is None else mark,))
        if mark is not None:
            _set_search_mark(connection, connection.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0])

    @staticmethod
    def searchable_upto(connection) -> int:
        """The last article a search can find (those after it wait for the next indexing)."""
        mark = _search_mark(connection)
        return connection.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0] if mark is None else mark

    @staticmethod
    def search(connection, words: list[str], limit: int, offset: int, newest: int) -> list[tuple]:
        """(id, title, date, outlet, credits, snippet) of the ``newest`` articles having every word,
        best first (newest first among equals). The snippets are cut here, not by FTS5's
        ``snippet()``, which matches the words again in each hit's row: that costs as much as the
        words have articles."""
        match = " ".join('"' + word.replace('"', "") + '"' for word in words)  # words, never FTS syntax
        rows = connection.execute(
            "WITH hits AS (SELECT rowid AS seq, rank FROM article_search WHERE article_search MATCH ? ORDER BY rowid DESC LIMIT ?),"
            " page AS (SELECT seq, rank FROM hits ORDER BY rank, seq DESC LIMIT ? OFFSET ?)"
            " SELECT a.id, a.title, a.date, a.outlet, a.credits, a.text FROM page JOIN articles a ON a.seq = page.seq ORDER BY page.rank, page.seq DESC",
            (match, newest, limit, offset),
        ).fetchall()
        wanted = {_folded(token) for word in words for token in _TOKEN.findall(word)}
        return [(*row[:5], _snippet(row[5], wanted)) for row in rows]

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


@lru_cache(maxsize=100_000)
def _folded(token: str) -> str:
    """A token as the search index keeps it (unicode61, remove_diacritics 2): no case, no accents."""
    return "".join(c for c in unicodedata.normalize("NFKD", token.casefold()) if not unicodedata.combining(c))


def _snippet(text: str, wanted: set[str]) -> str:
    """``SNIPPET_TOKENS`` words of the text around its first searched word, the hits
    between \\x02 and \\x03 and "…" where the text goes on; the text's start if no word is in it."""
    window = text[:SNIPPET_CHARACTERS]
    tokens = _TOKEN.finditer(window)
    before: deque = deque(maxlen=SNIPPET_TOKENS)
    for token in tokens:
        if _folded(token.group()) in wanted:  # two words before it, more where the text ends soon
            after = [token, *islice(tokens, SNIPPET_TOKENS - 3)]
            shown = [*list(before)[len(after) - SNIPPET_TOKENS :], *after]  # at least two before: after holds at most 14
            break
        before.append(token)
    else:  # no hit in the text (the title had the words): its start
        tokens = _TOKEN.finditer(window)
        shown = list(islice(tokens, SNIPPET_TOKENS))
    if not shown:
        return ""
    parts, end = [], shown[0].start()
    for token in shown:
        parts += [text[end : token.start()], f"\x02{token.group()}\x03" if _folded(token.group()) in wanted else token.group()]
        end = token.end()
    goes_on = next(tokens, None) is not None or len(text) > SNIPPET_CHARACTERS
    return ("…" if _TOKEN.search(text, 0, shown[0].start()) else "") + "".join(parts) + ("…" if goes_on else text[end:].rstrip())


SEARCH_MARK = "search index"  # its row in stage_progress: the last article indexed, while some wait


def _search_mark(connection) -> int | None:
    """None while every stored article is indexed as it is stored (no addition was deferred yet)."""
    row = connection.execute("SELECT done_seq FROM stage_progress WHERE stage = ?", (SEARCH_MARK,)).fetchone()
    return row[0] if row else None


def _set_search_mark(connection, seq: int) -> None:
    connection.execute(
        "INSERT INTO stage_progress (stage, version, done_seq) VALUES (?, 'fts5', ?) ON CONFLICT (stage) DO UPDATE SET done_seq = excluded.done_seq", (SEARCH_MARK, seq)
    )
