"""The store's backends: SQLite, a file and the default, and PostgreSQL, a server that several
processes and machines share (``--db postgresql://user@host/dbname``).

Both give a connection that answers the DB-API calls the store makes (``execute``,
``executemany``, ``with connection:`` for a transaction), written once with ``?`` placeholders
and SQL both understand, and carries a ``dialect`` for what they do differently: the schema's
types, the schema version, full-text search, and the locks that keep concurrent writers in order.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(location: str) -> bool:
    return str(location).startswith(POSTGRES_SCHEMES)


def connect(location: str, shared: bool = False):
    """A connection to the store at ``location`` (a file path, ``:memory:`` or a PostgreSQL URL).
    ``shared``: it may pass between threads, one at a time (the server's pool)."""
    if is_postgres(location):
        from lagebild.store.backends import postgres

        return postgres.connect(location)
    from lagebild.store.backends import sqlite

    return sqlite.connect(location, shared)


def database_errors() -> tuple[type[Exception], ...]:
    """What a store's statements raise when the database refuses them (full, read-only, gone).
    PostgreSQL's errors only once its driver is loaded: a process that has not loaded it has no
    PostgreSQL store, and SQLite's users never pay for importing it."""
    driver = sys.modules.get("psycopg")
    return (sqlite3.Error, driver.Error) if driver else (sqlite3.Error,)


def shown(location: str) -> str:
    """The location as messages show it: a PostgreSQL URL without its password."""
    if not is_postgres(location):
        return str(location)
    parts = urlsplit(str(location))
    if parts.password is None:
        return str(location)
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def chunks(items: list, size: int = 500) -> Iterator[list]:
    """``items`` in slices small enough for one ``IN (...)`` of a lookup."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(chunk: list) -> str:
    """The placeholders of an ``IN (...)`` for ``chunk``."""
    return ", ".join("?" * len(chunk))


def insert_new(table: str, columns: tuple[str, ...]) -> str:
    """Insert rows whose key is not there yet; the others are left as they are."""
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) ON CONFLICT DO NOTHING"


def replace(table: str, columns: tuple[str, ...], key: tuple[str, ...]) -> str:
    """Insert rows, replacing the row with the same key."""
    updated = ", ".join(f"{column} = excluded.{column}" for column in columns if column not in key)
    action = f"DO UPDATE SET {updated}" if updated else "DO NOTHING"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) ON CONFLICT ({', '.join(key)}) {action}"
