"""The situation picture as the store keeps it: what linking found (events, stories, entities,
wire copy, compared numbers, and each article's findings), in tables that a window reads
(``report.window``) without analysing anything again.

Each article's row holds its report record and its quotations, claims, times and names as they
stand in the report; events, stories and compared quantities have a row each, wire copy a row per
pair of articles. Rows are written for what a run changed and replace the rows they stood for.
Values are compact JSON, zlib-compressed (never pickle: a store may come from someone else).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from datetime import date

from lagebild.link.events import day_range

ARTICLE_FIELDS = ("id", "path", "title", "date", "inferred_date", "credits", "outlet", "language")  # what listings show


def pack(value) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


def unpack(blob: bytes):
    return json.loads(zlib.decompress(blob))


def days(iso: str | None) -> tuple[str | None, str | None]:
    """The first and last day an ISO date prefix can mean ("2025-07" -> 2025-07-01, 2025-07-31)."""
    span = day_range(iso)
    return (None, None) if span is None else (date.fromordinal(span[0]).isoformat(), date.fromordinal(span[1]).isoformat())


def window(since: str | None, until: str | None) -> tuple[str, str]:
    """The first and last day of a window given as date prefixes ("2026-03": the whole month)."""
    return (days(since)[0] if since else "0000-01-01"), (days(until)[1] if until else "9999-12-31")


def save_articles(connection, rows: Iterable[tuple[str, int, str | None, str | None, dict]]) -> None:
    """(article id, seq, event id, story id, {"article": record, "claims", "times", "mentions"});
    quotations have a table of their own (``save_quotes``)."""
    values = []
    for article_id, seq, event_id, story_id, found in rows:
        record = found["article"]
        first, last = days(record["date"] or record.get("inferred_date"))
        meta = {name: record.get(name) for name in ARTICLE_FIELDS}
        values.append((article_id, seq, event_id, story_id, first, last, json.dumps(meta, ensure_ascii=False), pack(found)))
    connection.executemany(
        "INSERT OR REPLACE INTO picture_articles (article_id, seq, event_id, story_id, first_day, last_day, meta, found) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        values,
    )


def save_quotes(connection, quotes: list[dict], seqs: dict[str, int], days_of: dict[str, str | None]) -> None:
    """Quotations (in article order, as they stand in each), found by article, speaker and day."""
    numbers: dict[str, int] = {}
    rows = []
    for q in quotes:
        number = numbers[q["article_id"]] = numbers.get(q["article_id"], -1) + 1
        rows.append((q["article_id"], number, q["speaker"], q["via"], q["statement_id"], seqs[q["article_id"]], days(days_of.get(q["article_id"]))[1], pack(q)))
    connection.executemany(
        "INSERT OR REPLACE INTO picture_quotes (article_id, number, speaker, via, statement_id, seq, last_day, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows
    )


def save_events(connection, events: list[dict], rank: dict[str, int]) -> None:
    rows = []
    for event in events:
        dated = [entry["date"] for entry in event["timeline"] if entry["date"]]
        first, last = (days(min(dated))[0], days(max(dated))[1]) if dated else (None, None)
        rows.append((event["id"], event["story_id"], rank[event["id"]], first, last, pack(event)))
    connection.executemany("INSERT OR REPLACE INTO picture_events (id, story_id, rank, first_day, last_day, record) VALUES (?, ?, ?, ?, ?, ?)", rows)


def save_stories(connection, stories: list[dict], rank: dict[str, int]) -> None:
    connection.executemany("INSERT OR REPLACE INTO picture_stories (id, rank, record) VALUES (?, ?, ?)", [(s["id"], rank[s["id"]], pack(s)) for s in stories])


def save_entities(connection, entities: list[dict]) -> None:
    connection.executemany(
        "INSERT OR REPLACE INTO picture_entities (id, name, type, variants, mentions, articles) VALUES (?, ?, ?, ?, ?, ?)",
        [(e["id"], e["name"], e["type"], json.dumps(e["variants"], ensure_ascii=False), len(e["mentions"]), len({m["article_id"] for m in e["mentions"]})) for e in entities],
    )


def save_reuse(connection, records: list[dict], seqs: dict[str, int]) -> None:
    connection.executemany(
        "INSERT OR REPLACE INTO picture_reuse (article_a, article_b, seq_a, seq_b, record) VALUES (?, ?, ?, ?, ?)",
        [(*r["article_ids"], *(seqs[a] for a in r["article_ids"]), pack(r)) for r in records],
    )


def save_disagreements(connection, groups: list[dict], story_of_claim: dict[str, str | None]) -> None:
    connection.executemany(
        "INSERT INTO picture_disagreements (story_id, rank, record) VALUES (?, ?, ?)",
        [(story_of_claim.get(g["claim_ids"][0]), rank, pack(g)) for rank, g in enumerate(groups)],
    )


def clear(connection) -> None:
    for table in ("picture_articles", "picture_quotes", "picture_events", "picture_stories", "picture_entities", "picture_reuse", "picture_disagreements"):
        connection.execute(f"DELETE FROM {table}")


# Reading

def story_ids(connection, since: str | None = None, until: str | None = None) -> list[str]:
    """Stories with an article dated in the window (by day; undated articles are in no window)."""
    if since is None and until is None:
        return [row[0] for row in connection.execute("SELECT id FROM picture_stories ORDER BY rank")]
    query = "SELECT DISTINCT story_id FROM picture_articles WHERE last_day >= ? AND first_day <= ? AND story_id IS NOT NULL"
    found = {row[0] for row in connection.execute(query, window(since, until))}
    return [story_id for story_id in _ranked("picture_stories", connection, found)]


def stories_of_articles(connection, article_ids: list[str]) -> list[str]:
    found: set[str] = set()
    for chunk in _chunks(article_ids):
        found.update(row[0] for row in connection.execute(f"SELECT story_id FROM picture_articles WHERE article_id IN ({_marks(chunk)}) AND story_id IS NOT NULL", chunk))
    return _ranked("picture_stories", connection, found)


def stories(connection, ids: list[str]) -> list[dict]:
    return _ranked_records(connection, "picture_stories", "id", ids)


def events(connection, story_ids: list[str]) -> list[dict]:
    return _ranked_records(connection, "picture_events", "story_id", story_ids)


def quotes(connection, article_ids: list[str]) -> dict[str, list[dict]]:
    """Each article's quotations, in the order they stand in it."""
    found: dict[str, list[dict]] = {}
    for chunk in _chunks(article_ids):
        for article_id, blob in connection.execute(f"SELECT article_id, record FROM picture_quotes WHERE article_id IN ({_marks(chunk)}) ORDER BY article_id, number", chunk):
            found.setdefault(article_id, []).append(unpack(blob))
    return found


def attributed_quotes(connection, since: str | None = None, until: str | None = None, speakers: set[str] | None = None) -> list[dict]:
    """Quotations with a speaker or a relay, in arrival order: of some speakers, or dated in a window."""
    query = "SELECT seq, number, record FROM picture_quotes WHERE (speaker IS NOT NULL OR via IS NOT NULL)"
    bounds = ()
    if since or until:
        query += " AND last_day >= ? AND last_day <= ?"
        bounds = window(since, until)
    if speakers is None:
        rows = connection.execute(query, bounds).fetchall()
    else:
        rows = []
        for chunk in _chunks(sorted(speakers)):
            rows += connection.execute(query + f" AND speaker IN ({_marks(chunk)})", (*bounds, *chunk)).fetchall()
    return [unpack(blob) for _, _, blob in sorted(rows, key=lambda row: (row[0], row[1]))]


def top_entities(connection, top: int) -> list[dict]:
    query = "SELECT id, name, type, variants, mentions, articles FROM picture_entities ORDER BY mentions DESC, name LIMIT ?"
    return [{"id": i, "name": n, "type": t, "variants": json.loads(v), "mentions": m, "articles": a} for i, n, t, v, m, a in connection.execute(query, (top,))]


def all_variants(connection) -> Iterator[tuple[str, list[str]]]:
    """(entity name, its variants) for every entity: to find a speaker however it is spelt."""
    for name, variants in connection.execute("SELECT name, variants FROM picture_entities"):
        yield name, json.loads(variants)


def articles(connection, story_ids: list[str]) -> Iterator[tuple[str, dict]]:
    """(id, everything found in it) for the articles of the stories, in arrival order."""
    query = "SELECT article_id, found FROM picture_articles WHERE story_id IN ({}) ORDER BY seq"
    for chunk in _chunks(story_ids):
        yield from ((article_id, unpack(blob)) for article_id, blob in connection.execute(query.format(_marks(chunk)), chunk))


def article_meta(connection, ids: Iterable[str]) -> dict[str, dict]:
    found = {}
    for chunk in _chunks(list(ids)):
        found.update((i, json.loads(meta)) for i, meta in connection.execute(f"SELECT article_id, meta FROM picture_articles WHERE article_id IN ({_marks(chunk)})", chunk))
    return found


def reuse(connection, article_ids: set[str]) -> list[dict]:
    """Wire copy between two of the articles, in the order the articles arrived."""
    found = {}
    for chunk in _chunks(sorted(article_ids)):
        query = f"SELECT seq_a, seq_b, article_b, record FROM picture_reuse WHERE article_a IN ({_marks(chunk)})"
        for seq_a, seq_b, other, blob in connection.execute(query, chunk):
            if other in article_ids:
                found[(min(seq_a, seq_b), max(seq_a, seq_b))] = unpack(blob)
    return [found[key] for key in sorted(found)]


def entities(connection, ids: Iterable[str]) -> dict[str, dict]:
    found = {}
    for chunk in _chunks(sorted(set(ids))):
        for entity_id, name, kind, variants in connection.execute(f"SELECT id, name, type, variants FROM picture_entities WHERE id IN ({_marks(chunk)})", chunk):
            found[entity_id] = {"id": entity_id, "name": name, "type": kind, "variants": json.loads(variants)}
    return found


def disagreements(connection, story_ids: list[str]) -> list[dict]:
    return _ranked_records(connection, "picture_disagreements", "story_id", story_ids)


def _ranked(table: str, connection, ids: set[str]) -> list[str]:
    return [row[0] for row in sorted(_rows(connection, f"SELECT id, rank FROM {table} WHERE id IN ({{}})", sorted(ids)), key=lambda row: row[1])]


def _ranked_records(connection, table: str, column: str, ids: list[str]) -> list[dict]:
    """The records whose ``column`` is one of ``ids``, in the order of their rank."""
    rows = _rows(connection, f"SELECT rank, record FROM {table} WHERE {column} IN ({{}})", ids)
    return [unpack(blob) for _, blob in sorted(rows, key=lambda row: row[0])]


def _rows(connection, query: str, ids: list[str]) -> list[tuple]:
    rows = []
    for chunk in _chunks(ids):
        rows += connection.execute(query.format(_marks(chunk)), chunk).fetchall()
    return rows


def _chunks(items: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(chunk: list) -> str:
    return ", ".join("?" * len(chunk))
