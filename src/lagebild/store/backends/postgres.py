"""PostgreSQL (psycopg 3): a store that several processes and machines share.

The store's SQL is written once, for both backends; this connection runs it here: ``?``
placeholders become ``%s``, the migrations' types become PostgreSQL's (64-bit integers, ``bytea``,
text compared by code point as SQLite does, so lists come out in the same order), and ``LIKE``
ignores case as SQLite's does. Each statement commits on its own unless it runs inside
``with connection:``, which is one transaction.

Concurrent writers are kept in order by advisory locks: articles are numbered under a lock held
until their transaction commits (so a reader that has seen article N has seen every article
before it, as linking assumes); linking is held to one process at a time; a new store is
migrated once.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

import psycopg

# advisory lock keys (any 64-bit numbers, the same in every process)
_ARTICLES_LOCK, _LINKING_LOCK, _MIGRATION_LOCK = (zlib.crc32(f"lagebild {what}".encode()) for what in ("articles", "linking", "migration"))
SEARCHED_CHARACTERS = 100_000  # of each article's title and text, for full-text search
_SEARCHED = f"to_tsvector('simple', left(coalesce(title, '') || ' ' || text, {SEARCHED_CHARACTERS}))"


class PostgresConnection:
    """The part of sqlite3's connection the store uses, over a psycopg connection."""

    def __init__(self, raw: psycopg.Connection):
        self.raw = raw
        self._transactions: list = []
        self._types: dict[str, dict[str, str]] = {}  # table -> column -> type, for inserts by column arrays

    @property
    def dialect(self) -> type["Dialect"]:
        return Dialect

    def execute(self, sql: str, parameters: Sequence = ()) -> psycopg.Cursor:
        return self.raw.execute(_translated(sql), tuple(map(_without_nul, parameters)))

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> "_Counted":
        """Rows inserted a column array at a time (``unnest``: one round trip and one plan for
        thousands of rows, where psycopg's executemany sends each row apart); other statements
        row by row."""
        rows = [tuple(row) for row in rows]
        insert = _multi_row_insert(sql)
        if insert is None or not rows:
            cursor = self.raw.cursor()
            cursor.executemany(_translated(sql), rows)
            return _Counted(cursor.rowcount)
        table, columns, tail, key = insert
        types = self._column_types(table)
        arrays = ", ".join(f"?::{types[column]}[]" for column in columns)
        statement = _translated(f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) {tail}")
        rows = _last_of_each_key(rows, key)
        changed = 0
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            changed += self.raw.execute(statement, [list(column) for column in zip(*rows[start : start + ROWS_PER_STATEMENT])]).rowcount
        return _Counted(changed)

    def _column_types(self, table: str) -> dict[str, str]:
        if table not in self._types:
            query = "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped"
            self._types[table] = dict(self.raw.execute(query, (table,)).fetchall())
        return self._types[table]

    def __enter__(self) -> "PostgresConnection":
        transaction = self.raw.transaction()
        transaction.__enter__()
        self._transactions.append(transaction)
        return self

    def __exit__(self, *exc) -> None:
        self._transactions.pop().__exit__(*exc)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def rollback(self) -> None:
        """End whatever transaction is open (a request that failed halfway)."""
        self._transactions.clear()
        self.raw.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()


class _Counted:
    """What the store reads of a cursor after ``executemany``: how many rows changed."""

    def __init__(self, rowcount: int):
        self.rowcount = rowcount


_INSERT = re.compile(r"^INSERT INTO (\w+) \(([^)]*)\) VALUES \([?, ]+\) (ON CONFLICT(?: \(([^)]*)\))? DO .*)$", re.S)
ROWS_PER_STATEMENT = 20_000


@lru_cache(maxsize=256)
def _multi_row_insert(sql: str) -> tuple[str, tuple[str, ...], str, tuple[int, ...] | None] | None:
    """An ``INSERT ... VALUES (?, ...) ON CONFLICT ...`` as (its table, its columns, its conflict
    clause, the positions of the conflict key: None for DO NOTHING); None for another statement."""
    match = _INSERT.match(sql.strip())
    if match is None:
        return None
    table, columns, tail, key = match.groups()
    names = tuple(column.strip() for column in columns.split(","))
    positions = tuple(names.index(column.strip()) for column in key.split(",")) if key and "DO UPDATE" in tail else None
    return table, names, tail, positions


def _last_of_each_key(rows: list[tuple], key: tuple[int, ...] | None) -> list[tuple]:
    """The rows as one statement may take them: an upsert cannot touch one row twice, so of rows
    with the same key the last is kept (as row-by-row upserts leave it)."""
    if key is None:
        return rows
    last = {tuple(row[position] for position in key): row for row in rows}
    return list(last.values()) if len(last) < len(rows) else rows


def _without_nul(value):
    """A value PostgreSQL can hold: text without NUL (ingest drops them from articles, so only a
    lookup can carry one, asked by someone: it finds what SQLite finds, nothing)."""
    return value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value


def connect(url: str) -> PostgresConnection:
    return PostgresConnection(psycopg.connect(url, autocommit=True))


@lru_cache(maxsize=4096)
def _translated(sql: str) -> str:
    if sql.lstrip().upper().startswith("CREATE"):
        sql = _types(sql)
    sql = sql.replace("%", "%%").replace("?", "%s")
    sql = re.sub(r"\bLIKE\b", "ILIKE", sql)
    return "BEGIN" if sql.strip().upper() == "BEGIN IMMEDIATE" else sql


_TYPES = (
    (r"\bINTEGER PRIMARY KEY AUTOINCREMENT\b", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (r"\bINTEGER\b", "BIGINT"),  # SQLite's integers have 64 bits (hashes, sentence keys)
    (r"\bBLOB\b", "BYTEA"),
    (r"\bTEXT\b", 'TEXT COLLATE "C"'),  # ordered by code point, as SQLite orders text
    (r"\)\s*WITHOUT ROWID", ")"),
)


def _types(statement: str) -> str:
    for pattern, replacement in _TYPES:
        statement = re.sub(pattern, replacement, statement)
    return statement


class Dialect:
    name = "postgresql"
    ARTICLE_SOURCE = "COALESCE(meta::jsonb ->> 'outlet', meta::jsonb -> 'credits' ->> 0, article_id)"

    @staticmethod
    def schema(statement: str) -> str | None:
        """A migration's statement as PostgreSQL runs it (None: nothing to run here). SQLite's
        full-text table becomes an index on the articles' words."""
        if "VIRTUAL TABLE article_search" in statement:
            return f"CREATE INDEX articles_search ON articles USING gin ({_SEARCHED})"
        if "INSERT INTO article_search" in statement:
            return None
        return statement

    @staticmethod
    def version(connection) -> int:
        if connection.execute("SELECT to_regclass('lagebild_schema')").fetchone()[0] is None:
            return 0
        row = connection.execute("SELECT version FROM lagebild_schema").fetchone()
        return row[0] if row else 0

    @staticmethod
    def set_version(connection, version: int) -> None:
        connection.execute("DELETE FROM lagebild_schema")
        connection.execute("INSERT INTO lagebild_schema (version) VALUES (?)", (version,))

    @staticmethod
    def begin_migration(connection) -> None:
        connection.execute("BEGIN")
        connection.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
        connection.execute("CREATE TABLE IF NOT EXISTS lagebild_schema (version INTEGER NOT NULL)")

    @staticmethod
    def before_adding_articles(connection) -> None:
        """Number articles one transaction at a time: otherwise a transaction that took numbers
        first could commit after one that took later numbers, and a reader that had linked up to
        those would never link the first."""
        connection.execute("SELECT pg_advisory_xact_lock(?)", (_ARTICLES_LOCK,))

    @staticmethod
    def index_for_search(connection, stored_before: int, deferred: bool = False) -> None:
        """Nothing: the index on the articles' words follows the table."""

    @staticmethod
    def searchable_upto(connection) -> int:
        return connection.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]

    @staticmethod
    def search(connection, words: list[str], limit: int, offset: int, newest: int) -> list[tuple]:
        """(id, title, date, outlet, credits, snippet) of the ``newest`` articles having every
        word, best first (newest first among equals); the snippet is made for the page of hits only."""
        options = "StartSel=\x02, StopSel=\x03, MaxWords=16, MinWords=6, MaxFragments=1, FragmentDelimiter=…"
        query = (
            "WITH wanted AS (SELECT plainto_tsquery('simple', ?) AS q),"
            f" newest AS (SELECT a.seq FROM articles a, wanted WHERE {_SEARCHED} @@ wanted.q ORDER BY a.seq DESC LIMIT ?),"
            f" hits AS (SELECT a.seq, ts_rank({_SEARCHED}, wanted.q) AS rank FROM newest JOIN articles a ON a.seq = newest.seq, wanted"
            " ORDER BY rank DESC, a.seq DESC LIMIT ? OFFSET ?)"
            f" SELECT a.id, a.title, a.date, a.outlet, a.credits, ts_headline('simple', left(a.text, {SEARCHED_CHARACTERS}), wanted.q, ?)"
            " FROM hits JOIN articles a ON a.seq = hits.seq, wanted ORDER BY hits.rank DESC, a.seq DESC"
        )
        return connection.execute(query, (" ".join(words), newest, limit, offset, options)).fetchall()

    @staticmethod
    @contextmanager
    def linking_lock(connection, path: str, waiting: Callable[[], None]) -> Iterator[None]:
        if not connection.execute("SELECT pg_try_advisory_lock(?)", (_LINKING_LOCK,)).fetchone()[0]:
            waiting()
            connection.execute("SELECT pg_advisory_lock(?)", (_LINKING_LOCK,))
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(?)", (_LINKING_LOCK,))
