"""The feeds a store polls (``ingest.watch``): what each last answered (its validators for
conditional requests, its last success and error, failures in a row and when to poll it next),
how many articles it brought, and the entries already taken. Times are ISO strings in UTC."""

from __future__ import annotations

from datetime import datetime

from lagebild.store.backends import insert_new
from lagebild.store.picture import _chunks, _marks

_COLUMNS = ("url", "etag", "last_modified", "last_success", "last_error", "last_error_at", "failures", "next_poll", "articles")


def add(connection, urls: list[str], now: str) -> int:
    """Feeds to poll, due at once (a feed polled already keeps its state); how many are new."""
    with connection:
        return connection.executemany(insert_new("feeds", ("url", "added_at", "next_poll")), [(url, now, now) for url in urls]).rowcount


def due(connection, now: str) -> list[dict]:
    rows = connection.execute(f"SELECT {', '.join(_COLUMNS)} FROM feeds WHERE next_poll IS NULL OR next_poll <= ? ORDER BY next_poll, url", (now,))
    return [dict(zip(_COLUMNS, row)) for row in rows]


def next_due(connection) -> datetime | None:
    row = connection.execute("SELECT MIN(next_poll) FROM feeds").fetchone()
    return datetime.fromisoformat(row[0]) if row and row[0] else None


def succeeded(connection, url: str, now: str, next_poll: str, etag: str | None, last_modified: str | None, added: int) -> None:
    """A poll that was answered; validators None keep the ones the feed gave before (a 304)."""
    with connection:
        connection.execute(
            "UPDATE feeds SET last_success = ?, failures = 0, next_poll = ?, etag = COALESCE(?, etag),"
            " last_modified = COALESCE(?, last_modified), articles = articles + ? WHERE url = ?",
            (now, next_poll, etag, last_modified, added, url),
        )


def failed(connection, url: str, reason: str, now: str, next_poll: str) -> None:
    with connection:
        connection.execute(
            "UPDATE feeds SET last_error = ?, last_error_at = ?, failures = failures + 1, next_poll = ? WHERE url = ?",
            (reason, now, next_poll, url),
        )


def taken(connection, url: str, entries: list[str]) -> set[str]:
    """Which of these entries of the feed were taken before."""
    found: set[str] = set()
    for chunk in _chunks(entries):
        found.update(row[0] for row in connection.execute(f"SELECT entry FROM feed_entries WHERE feed_url = ? AND entry IN ({_marks(chunk)})", (url, *chunk)))
    return found


def take(connection, url: str, entries: list[tuple[str, str]], now: str) -> None:
    """(entry, article id) of the feed, taken now."""
    with connection:
        connection.executemany(insert_new("feed_entries", ("feed_url", "entry", "article_id", "seen_at")), [(url, entry, article_id, now) for entry, article_id in entries])
