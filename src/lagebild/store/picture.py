"""The situation picture as the store keeps it: what linking found (events, stories, entities,
wire copy, compared numbers, and each article's findings), in tables that a window reads
(``report.window``) without analysing anything again.

Each article's row holds its report record and its quotations, claims, times and names as they
stand in the report; events, stories and compared quantities have a row each, wire copy a row per
pair of articles. Rows are written for what a run changed and replace the rows they stood for.
Values are compact JSON, zlib-compressed (never pickle: a store may come from someone else).
"""

from __future__ import annotations

import heapq
import json
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date

import orjson

from lagebild.link.events import day_range
from lagebild.model import ReuseLink, SentenceAlignment
from lagebild.store.backends import chunks as _chunks, insert_new, marks as _marks, replace
from lagebild.store.names import remember_folded

ARTICLE_FIELDS = ("id", "path", "title", "date", "inferred_date", "credits", "outlet", "language")  # what listings show


def pack(value) -> bytes:
    return zlib.compress(orjson.dumps(value), 1)


def unpack(blob: bytes):
    return orjson.loads(zlib.decompress(blob))


def days(iso: str | None) -> tuple[str | None, str | None]:
    """The first and last day an ISO date prefix can mean ("2025-07" -> 2025-07-01, 2025-07-31)."""
    span = day_range(iso)
    return (None, None) if span is None else (date.fromordinal(span[0]).isoformat(), date.fromordinal(span[1]).isoformat())


def real_days(iso: str) -> bool:
    """Whether a date prefix of the right form names days that exist (not 2026-13, 2026-02-30, 0000)."""
    try:
        return days(iso)[0] is not None
    except ValueError:
        return False


def backwards(since: str | None, until: str | None) -> bool:
    """Whether a window's first day comes after its last (of real days): it holds no day."""
    return bool(since and until) and days(since)[0] > days(until)[1]


def window(since: str | None, until: str | None) -> tuple[str, str]:
    """The first and last day of a window given as date prefixes ("2026-03": the whole month)."""
    return (days(since)[0] if since else "0000-01-01"), (days(until)[1] if until else "9999-12-31")


def save_articles(connection, rows: Iterable[tuple[str, int, str | None, str | None, dict]]) -> None:
    """(article id, seq, event id, story id, {"article": record, "claims", "times", "mentions"}), a
    mention as [name, start, end, text, role] (which entity a name stands for may change as names
    merge: ``store.names``); quotations have a table of their own (``save_quotes``)."""
    values = []
    names = {}
    for article_id, seq, event_id, story_id, found in rows:
        record = found["article"]
        first, last = days(record["date"] or record.get("inferred_date"))
        meta = {name: record.get(name) for name in ARTICLE_FIELDS}
        values.append((article_id, seq, event_id, story_id, first, last, json.dumps(meta, ensure_ascii=False), pack(found)))
        names[article_id] = Counter(mention[0] for mention in found["mentions"])
    connection.executemany(
        replace("picture_articles", ("article_id", "seq", "event_id", "story_id", "first_day", "last_day", "meta", "found"), ("article_id",)),
        values,
    )
    _save_names(connection, names)


def _save_names(connection, names: dict[str, Counter]) -> None:
    """Which names each article mentions how often, replacing what the picture held for it."""
    for chunk in _chunks(list(names)):
        connection.execute(f"DELETE FROM picture_names WHERE article_id IN ({_marks(chunk)})", chunk)
    rows = [(name, article_id, count) for article_id, counted in names.items() for name, count in counted.items()]
    connection.executemany("INSERT INTO picture_names (name, article_id, mentions) VALUES (?, ?, ?)", rows)


def save_quotes(connection, quotes: list[tuple[int, dict, str | None, str | None, str | None]], seqs: dict[str, int]) -> None:
    """Quotations (place among their article's, record, speaker group, language, the last day
    its article may be of), found by article, speaker, speaker group and day, and statement;
    their speakers' folded forms kept (``names.speaker_names``)."""
    remember_folded(connection, [q["speaker"] for _, q, _, _, _ in quotes if q["speaker"]])
    connection.executemany(
        replace("picture_quotes", ("article_id", "number", "speaker", "via", "statement_id", "speaker_group", "language", "seq", "last_day", "record"), ("article_id", "number")),
        [(q["article_id"], n, q["speaker"], q["via"], q["statement_id"], group, language, seqs[q["article_id"]], day, pack(q)) for n, q, group, language, day in quotes],
    )


def rename_speakers(connection, names: dict[str, str]) -> None:
    """The stored quotations of these entities (id -> its name now) speak under the name: an
    entity's name follows its most used spelling, which a later article may change, and a
    quotation written before would otherwise keep the name of its day. Call it before the
    entities are saved: only those whose stored name differs are renamed (an entity made again
    under its old name, a most quoted speaker in every run, is not read)."""
    stored = dict(_rows(connection, "SELECT id, name FROM picture_entities WHERE id IN ({})", sorted(names)))
    renamed = {entity_id: name for entity_id, name in names.items() if entity_id in stored and stored[entity_id] != name}
    for entity_id, name in sorted(renamed.items()):
        rows = connection.execute("SELECT article_id, number, record FROM picture_quotes WHERE speaker_group = ? AND speaker <> ?", (entity_id, name)).fetchall()
        rewritten = [(name, pack({**record, "speaker": name}), article_id, number) for article_id, number, blob in rows if (record := unpack(blob))["speaker_entity_id"] == entity_id]
        connection.executemany("UPDATE picture_quotes SET speaker = ?, record = ? WHERE article_id = ? AND number = ?", rewritten)


_QUOTE_ROW = "SELECT seq, number, article_id, record, speaker_group, language, last_day FROM picture_quotes"


def quotes_of_groups(connection, groups: set[str], first_day: str, last_day: str, leaving: set[str]) -> list[tuple[int, int, dict, str, str | None, str | None]]:
    """(seq, number, record, group, language, last day) of the quotations of these speaker groups
    dated from ``first_day`` to ``last_day`` or undated, but for those of the articles
    ``leaving`` (written anew); by the index of group and day."""
    ordered = sorted(groups)
    rows = [row for chunk in _chunks(ordered) for row in connection.execute(f"{_QUOTE_ROW} WHERE speaker_group IN ({_marks(chunk)}) AND last_day BETWEEN ? AND ?", [*chunk, first_day, last_day])]
    rows += _rows(connection, _QUOTE_ROW + " WHERE speaker_group IN ({}) AND last_day IS NULL", ordered)
    return _held(rows, leaving)


def quotes_of_statements(connection, statement_ids: set[str], leaving: set[str]) -> list[tuple[int, int, dict, str, str | None, str | None]]:
    """The same rows for every version of these statements."""
    return _held(_rows(connection, _QUOTE_ROW + " WHERE statement_id IN ({})", sorted(statement_ids)), leaving)


def statements_of(connection, article_ids: set[str]) -> set[str]:
    """The statements the picture's quotations of these articles belong to."""
    return {row[0] for row in _rows(connection, "SELECT DISTINCT statement_id FROM picture_quotes WHERE article_id IN ({}) AND statement_id IS NOT NULL", sorted(article_ids))}


def _held(rows: list[tuple], leaving: set[str]) -> list[tuple]:
    return [(seq, number, unpack(blob), group, language, day) for seq, number, article_id, blob, group, language, day in rows if article_id not in leaving]


def mentioned_names(connection, article_ids: list[str]) -> dict[str, list[list]]:
    """The mentions ([name, start, end, text, role]) the picture holds of these articles."""
    found = {}
    for chunk in _chunks(article_ids):
        for article_id, blob in connection.execute(f"SELECT article_id, found FROM picture_articles WHERE article_id IN ({_marks(chunk)})", chunk):
            found[article_id] = unpack(blob)["mentions"]
    return found


def links_touching(connection, article_ids: set[str]) -> list[ReuseLink]:
    """The wire-copy links the picture holds with one of these articles on a side."""
    found = {}
    ids = sorted(article_ids)
    for column in ("article_a", "article_b"):
        for row in _rows(connection, f"SELECT seq_a, seq_b, record FROM picture_reuse WHERE {column} IN ({{}})", ids):
            found[(row[0], row[1])] = row[2]
    return [_link(unpack(found[key])) for key in sorted(found)]


def stored_records(connection, article_ids: list[str]) -> dict[str, dict]:
    return dict(each_stored_record(connection, article_ids))


def each_stored_record(connection, article_ids: list[str]) -> Iterator[tuple[str, dict]]:
    """(article id, what the picture holds of it), one at a time: the caller may keep less of each."""
    for chunk in _chunks(article_ids):
        for article_id, blob in connection.execute(f"SELECT article_id, found FROM picture_articles WHERE article_id IN ({_marks(chunk)})", chunk):
            yield article_id, unpack(blob)


def save_events(connection, events: list[dict]) -> None:
    rows = [(event["id"], event["story_id"], first_day(event), pack(event)) for event in events]
    connection.executemany(replace("picture_events", ("id", "story_id", "first_day", "record"), ("id",)), rows)


def save_stories(connection, stories: list[dict], events: list[dict]) -> None:
    """Stories, each listed where its earliest event is (``events``: all of theirs)."""
    earliest = {}
    for event in events:
        key = (first_day(event), event["id"])
        earliest[event["story_id"]] = min(earliest.get(event["story_id"], key), key)
    rows = [(story["id"], *earliest[story["id"]], pack(story)) for story in stories]
    connection.executemany(replace("picture_stories", ("id", "first_day", "first_event", "record"), ("id",)), rows)


def save_story_cards(connection, story_ids: list[str]) -> None:
    """The stories' cards anew from their articles, title, compared numbers and quotations (after
    those are saved); a story merged away loses its card."""
    for chunk in _chunks(story_ids):
        marks = _marks(chunk)
        connection.execute(f"DELETE FROM story_cards WHERE story_id IN ({marks})", chunk)
        conflicts = dict(connection.execute(f"SELECT story_id, COUNT(*) FROM picture_disagreements WHERE kind_rank = ? AND story_id IN ({marks}) GROUP BY story_id", (KIND_RANK["conflicting"], *chunk)))
        statements = _statements(connection, chunk)
        titles = {story_id: unpack(blob)["title"] for story_id, blob in connection.execute(f"SELECT id, record FROM picture_stories WHERE id IN ({marks})", chunk)}
        query = f"SELECT story_id, COUNT(*), COUNT(DISTINCT {connection.dialect.ARTICLE_SOURCE}), MIN(first_day), MAX(last_day), MAX(seq) FROM picture_articles WHERE story_id IN ({marks}) GROUP BY story_id"
        rows = [(story_id, titles.get(story_id, ""), *counts, conflicts.get(story_id, 0), statements.get(story_id, 0)) for story_id, *counts in connection.execute(query, chunk) if story_id in titles]
        connection.executemany("INSERT INTO story_cards (story_id, title, articles, sources, first_day, last_day, last_seq, conflicts, statements) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _statements(connection, story_ids: list[str]) -> dict[str, int]:
    """Per story: the statements its articles quote someone named saying (a statement that
    several articles carry counts once)."""
    query = (
        "SELECT a.story_id, COUNT(DISTINCT q.statement_id) + SUM(CASE WHEN q.statement_id IS NULL THEN 1 ELSE 0 END)"
        f" FROM picture_quotes q JOIN picture_articles a ON a.article_id = q.article_id WHERE q.speaker IS NOT NULL AND a.story_id IN ({_marks(story_ids)}) GROUP BY a.story_id"
    )
    return {story_id: int(count) for story_id, count in connection.execute(query, story_ids)}


def first_day(event: dict) -> str:
    return next((entry["date"] for entry in event["timeline"] if entry["date"]), "9999")


def save_reuse(connection, records: list[dict], seqs: dict[str, int]) -> None:
    connection.executemany(
        replace("picture_reuse", ("article_a", "article_b", "seq_a", "seq_b", "record"), ("article_a", "article_b")),
        [(*r["article_ids"], *(seqs[a] for a in r["article_ids"]), pack(r)) for r in records],
    )


KIND_RANK = {"conflicting": 0, "compatible": 1, "agreeing": 2}


def save_disagreements(connection, groups: list[dict], claims: dict[str, tuple[str | None, int, int]]) -> None:
    """``claims``: claim id -> (its story, its article's seq, its place among the article's claims)."""
    rows = []
    for group in groups:
        story_id, seq, number = claims[group["claim_ids"][0]]
        rows.append((story_id, KIND_RANK[group["kind"]], group["about"], seq, number, pack(group)))
    connection.executemany("INSERT INTO picture_disagreements (story_id, kind_rank, about, first_seq, first_number, record) VALUES (?, ?, ?, ?, ?, ?)", rows)


def forget_stories(connection, story_ids: list[str]) -> None:
    """Remove the stories' rows and compared numbers (before they are written anew)."""
    for table, column in (("picture_stories", "id"), ("picture_disagreements", "story_id")):
        for chunk in _chunks(story_ids):
            connection.execute(f"DELETE FROM {table} WHERE {column} IN ({_marks(chunk)})", chunk)


def forget_events(connection, event_ids: list[str]) -> None:
    for chunk in _chunks(event_ids):
        connection.execute(f"DELETE FROM picture_events WHERE id IN ({_marks(chunk)})", chunk)


def move_articles(connection, merged: dict[str, str]) -> None:
    """The articles of stories merged away belong to the stories that took them."""
    for gone, kept in merged.items():
        connection.execute("UPDATE picture_articles SET story_id = ? WHERE story_id = ?", (kept, gone))


def story_claims(connection, story_ids: list[str], leaving: set[str]) -> list[tuple[int, int, dict]]:
    """(seq, place among the article's claims, record) of the claims of the stories' articles, but
    for those of the articles ``leaving``."""
    rows = _rows(connection, "SELECT seq, article_id, found FROM picture_articles WHERE story_id IN ({})", story_ids)
    return [(seq, number, claim) for seq, article_id, blob in sorted(rows) if article_id not in leaving for number, claim in enumerate(unpack(blob)["claims"])]


def article_dates(connection, seqs: list[int]) -> dict[str, str | None]:
    """Article id -> its date, for the articles of these seqs."""
    return dict(_rows(connection, "SELECT id, date FROM articles WHERE seq IN ({})", seqs))


def event_article_seqs(connection, event_ids: list[str]) -> list[int]:
    return sorted(row[0] for row in _rows(connection, "SELECT seq FROM picture_articles WHERE event_id IN ({})", event_ids))


def story_article_seqs(connection, story_ids: list[str]) -> list[int]:
    return sorted(row[0] for row in _rows(connection, "SELECT seq FROM picture_articles WHERE story_id IN ({})", story_ids))


def forget_quotes(connection, article_ids: list[str]) -> None:
    for chunk in _chunks(article_ids):
        connection.execute(f"DELETE FROM picture_quotes WHERE article_id IN ({_marks(chunk)})", chunk)


def linked_seq(connection, version: str) -> int:
    """The last article the picture holds everything about, as linking of this version made it
    (later ones are new to linking; 0 when another version made the picture)."""
    state = dict(connection.execute("SELECT key, value FROM link_state"))
    return int(state["linked_seq"]) if state.get("version") == version and "linked_seq" in state else 0


def save_linked_seq(connection, seq: int, version: str) -> None:
    connection.executemany(replace("link_state", ("key", "value"), ("key",)), [("linked_seq", str(seq)), ("version", version)])


def save_anchors(connection, rows: list[tuple[int, int]]) -> None:
    """The reuse index's new rows, in the order of its key: hashes are random, and rows inserted
    in key order fill the index's pages one after another (half the time of a random order)."""
    connection.executemany(insert_new("reuse_anchors", ("hash", "key")), sorted(rows))


def save_boilerplate(connection, rows: list[tuple[int, int, int | None, int | None, str]]) -> None:
    """What linking counted of repeated sentences (``link.boilerplate``): the rows as they are
    now (``Knowledge.rows`` gives them in the order of their random keys, as ``save_anchors``
    wants its own)."""
    connection.executemany(replace("boilerplate_sentences", ("key", "articles", "first_day", "last_day", "titles"), ("key",)), rows)


def _link(record: dict) -> ReuseLink:
    alignments = [SentenceAlignment(s["a"], s["b"], s["similarity"]) for passage in record["passages"] for s in passage["sentences"]]
    return ReuseLink(*record["article_ids"], alignments, record["kind"], record["direction"], record["direction_reason"])


def clear(connection) -> None:
    tables = ("picture_articles", "picture_names", "picture_quotes", "picture_events", "picture_stories", "picture_entities", "picture_entity_names", "picture_reuse", "picture_disagreements", "link_state", "reuse_anchors", "link_names", "link_name_words", "link_name_texts", "picture_entity_spellings", "picture_folded", "story_cards", "boilerplate_sentences")
    for table in tables:
        connection.execute(f"DELETE FROM {table}")


# Reading

def story_ids(connection, since: str | None = None, until: str | None = None) -> list[str]:
    """Stories with an article dated in the window (by day; undated articles are in no window)."""
    if since is None and until is None:
        return [row[0] for row in connection.execute("SELECT id FROM picture_stories ORDER BY first_day, first_event")]
    query = "SELECT DISTINCT story_id FROM picture_articles WHERE last_day >= ? AND first_day <= ? AND story_id IS NOT NULL"
    found = {row[0] for row in connection.execute(query, window(since, until))}
    return _in_story_order(connection, found)


def stories_of_articles(connection, article_ids: list[str]) -> list[str]:
    found: set[str] = set()
    for chunk in _chunks(article_ids):
        found.update(row[0] for row in connection.execute(f"SELECT story_id FROM picture_articles WHERE article_id IN ({_marks(chunk)}) AND story_id IS NOT NULL", chunk))
    return _in_story_order(connection, found)


def stories(connection, ids: list[str]) -> list[dict]:
    rows = _rows(connection, "SELECT first_day, first_event, record FROM picture_stories WHERE id IN ({})", ids)
    return [unpack(row[-1]) for row in sorted(rows)]


def events(connection, story_ids: list[str]) -> list[dict]:
    rows = _rows(connection, "SELECT first_day, id, record FROM picture_events WHERE story_id IN ({})", story_ids)
    return [unpack(row[-1]) for row in sorted(rows)]


def quotes(connection, article_ids: list[str]) -> dict[str, list[dict]]:
    """Each article's quotations, in the order they stand in it."""
    found: dict[str, list[dict]] = {}
    for chunk in _chunks(article_ids):
        for article_id, blob in connection.execute(f"SELECT article_id, record FROM picture_quotes WHERE article_id IN ({_marks(chunk)}) ORDER BY article_id, number", chunk):
            found.setdefault(article_id, []).append(unpack(blob))
    return found


def quote_stream(connection, article_ids: list[str]) -> Iterator[dict]:
    """The quotations of the articles (given in arrival order), in that order."""
    for chunk in _chunks(article_ids):
        found = quotes(connection, chunk)
        for article_id in chunk:
            yield from found.get(article_id, [])


def article_ids(connection, story_ids: list[str]) -> list[str]:
    """The ids of the stories' articles, in arrival order."""
    rows = _rows(connection, "SELECT seq, article_id FROM picture_articles WHERE story_id IN ({})", story_ids)
    return [article_id for _, article_id in sorted(rows)]


QuoteKey = tuple[int, int, str, "str | None", "str | None"]  # seq, number, article id, statement id, speaker
_KEY_COLUMNS = "seq, number, article_id, statement_id, speaker"


def attributed_quote_keys(connection, since: str | None = None, until: str | None = None, limit: int = 100, offset: int = 0) -> list[QuoteKey]:
    """A page of the quotations with a speaker or a relay dated in a window (all without one), in
    arrival order, without their records (``quote_records``)."""
    [(sql, values)] = _attributed(_KEY_COLUMNS, since, until)
    return [tuple(row) for row in connection.execute(f"{sql} ORDER BY seq, number LIMIT ? OFFSET ?", (*values, limit, offset))]


def latest_statements(connection, last: int, day_of: Callable[[dict], str], since: str | None = None, until: str | None = None,
                      speakers: set[str] | None = None, now: tuple[str | None, int, str] | None = None) -> tuple[list[QuoteKey], dict[str, dict], bool]:
    """What a listing of the ``last`` statements of a window reads: the quotations (keys, in arrival
    order) of the statements that may be among the last in the listing's order (a statement's
    first day, ``day_of`` its articles, then the speaker it was first quoted with), their articles'
    meta, and whether the window holds statements before those. The quotations are read back from
    the newest last day they may be of (the undated first), in ever longer spans, until no
    statement left unread can be among the last: a day is a prefix of the last day it may mean, so
    a statement's first day comes no later than any of its quotations' last days. Of some
    speakers, dated in a window, or (``now``: a first day, a seq, a last day) dated between those
    days or of an article after that seq."""
    chosen, completed, articles = dict(since=since, until=until, speakers=speakers, now=now), set(), {}
    keys = _with_statements(connection, chosen, set(_quotation_keys(connection, chosen, " AND last_day IS NULL")), completed)
    read_from, span = _newest_day(connection, chosen), 0
    unread = read_from is not None
    while unread:
        lower = _days_before(read_from, span)
        bounds = " AND last_day >= ?" + (" AND last_day < ?" if span else " AND last_day <= ?")
        keys = _with_statements(connection, chosen, keys | set(_quotation_keys(connection, chosen, bounds, (lower, read_from))), completed)
        read_from, span = lower, max(1, span * 4)
        unread = _newest_day(connection, chosen, before=read_from) is not None
        articles.update(article_meta(connection, {key[2] for key in keys} - articles.keys()))
        if unread and _none_unread_among_last(keys, articles, day_of, last, read_from):
            break
    articles.update(article_meta(connection, {key[2] for key in keys} - articles.keys()))
    ordered = [key for key in sorted(keys) if key[2] in articles]  # a damaged picture may lack one
    return ordered, articles, unread or len({key[3] or key[:3] for key in ordered}) > last


def _quotation_keys(connection, chosen: dict, extra: str = "", values: tuple = ()) -> list[QuoteKey]:
    arms = _attributed(_KEY_COLUMNS, **chosen, extra=extra, extra_values=values)
    return [tuple(row) for sql, bound in arms for row in connection.execute(sql, bound)]


def _newest_day(connection, chosen: dict, before: str | None = None) -> str | None:
    """The newest last day of the chosen quotations (before a day): each part of the window read
    back through its index, to its first row."""
    extra, values = (" AND last_day < ?", (before,)) if before else (" AND last_day IS NOT NULL", ())
    arms = _attributed("last_day", **chosen, extra=extra, extra_values=values)
    days = [connection.execute(f"SELECT last_day FROM ({sql}) arm ORDER BY last_day DESC LIMIT 1", bound).fetchone() for sql, bound in arms]
    return max((row[0] for row in days if row), default=None)


def _with_statements(connection, chosen: dict, keys: set[QuoteKey], completed: set[str]) -> set[QuoteKey]:
    """These keys and those of the other quotations, in the window, of their statements (each
    statement's read once: ``completed`` holds those read, and takes the new ones)."""
    found, new = set(keys), sorted({key[3] for key in keys if key[3] is not None} - completed)
    for chunk in _chunks(new):
        found.update(_quotation_keys(connection, chosen, f" AND statement_id IN ({_marks(chunk)})", tuple(chunk)))
    completed.update(new)
    return found


def _days_before(day: str, days: int) -> str:
    return date.fromordinal(date.fromisoformat(day).toordinal() - days).isoformat()


def _none_unread_among_last(keys: set[QuoteKey], articles: dict[str, dict], day_of: Callable[[dict], str], last: int, read_from: str) -> bool:
    """Whether no statement left unread can be among the last: every quotation last dated on or
    after ``read_from`` is read (so every statement unread is of an earlier day), and the
    ``last``-th latest statement read is of that day or later."""
    first: dict[object, tuple[str, str]] = {}
    for _, number, article_id, statement_id, speaker in sorted(keys):
        if article_id in articles:
            ident, day = statement_id or (article_id, number), day_of(articles[article_id])
            known = first.get(ident)
            if known is None or day < known[0]:
                first[ident] = (day, known[1] if known else speaker or "")
    latest = heapq.nlargest(last, first.values())
    return len(latest) == last and latest[-1][0] >= read_from


def _attributed(columns: str, since: str | None = None, until: str | None = None, speakers: set[str] | None = None,
                now: tuple[str | None, int, str] | None = None, extra: str = "", extra_values: tuple = ()) -> list[tuple[str, tuple]]:
    """The queries (with their values) of ``columns`` of the quotations with a speaker or a relay,
    of some speakers, in a window of days or ``now`` (``extra``: a further condition): ``now`` as
    two indexed reads that share no row (its days, its recent arrivals), not one OR a planner may
    scan the table for."""
    base, values = f"SELECT {columns} FROM picture_quotes WHERE (speaker IS NOT NULL OR via IS NOT NULL){extra}", extra_values
    if speakers is not None:
        base += f" AND speaker IN ({_marks(sorted(speakers))})"
        values += tuple(sorted(speakers))
    arrived = " AND article_id IN (SELECT article_id FROM picture_articles WHERE seq > ?)"
    if since or until:
        parts = [(" AND last_day >= ? AND last_day <= ?", window(since, until))]
    elif now is not None and now[0]:
        first, after, last = now
        parts = [(" AND last_day >= ? AND last_day <= ?", (first, last)), (arrived + " AND (last_day IS NULL OR last_day < ? OR last_day > ?)", (after, first, last))]
    elif now is not None:
        parts = [(arrived, (now[1],))]
    else:
        parts = [("", ())]
    return [(base + condition, (*values, *bounds)) for condition, bounds in parts]


def quote_records(connection, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], dict]:
    """(article id, number) -> the record of that quotation, for these."""
    numbers: dict[str, set[int]] = {}
    for article_id, number in keys:
        numbers.setdefault(article_id, set()).add(number)
    found = {}
    for article_id, wanted in numbers.items():
        for chunk in _chunks(sorted(wanted)):
            query = f"SELECT number, record FROM picture_quotes WHERE article_id = ? AND number IN ({_marks(chunk)})"
            found.update(((article_id, number), unpack(blob)) for number, blob in connection.execute(query, (article_id, *chunk)))
    return found


def top_entities(connection, top: int, since: str | None = None, until: str | None = None) -> list[dict]:
    """The most mentioned entities: in the whole store, or (``since``/``until``) in the articles
    dated in a window, their mentions and articles counted there."""
    if since or until:
        query = (
            "SELECT e.id, e.name, e.type, e.variants, SUM(n.mentions), COUNT(DISTINCT n.article_id) FROM picture_names n"
            " JOIN picture_entity_names s ON s.name = n.name JOIN picture_entities e ON e.id = s.entity_id"
            " WHERE n.article_id IN (SELECT article_id FROM picture_articles WHERE last_day >= ? AND first_day <= ?)"  # the window's articles first
            " GROUP BY e.id, e.name, e.type, e.variants ORDER BY SUM(n.mentions) DESC, e.name LIMIT ?"
        )
        rows = connection.execute(query, (*window(since, until), top))
    else:
        rows = connection.execute("SELECT id, name, type, variants, mentions, articles FROM picture_entities ORDER BY mentions DESC, name LIMIT ?", (top,))
    return [{"id": i, "name": n, "type": t, "variants": json.loads(v), "mentions": m, "articles": a} for i, n, t, v, m, a in rows]


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


def article_metas(connection, story_ids: list[str]) -> dict[str, dict]:
    """Id -> listing fields (``ARTICLE_FIELDS``) of the stories' articles, in arrival order."""
    rows = _rows(connection, "SELECT seq, article_id, meta FROM picture_articles WHERE story_id IN ({})", story_ids)
    return {article_id: json.loads(meta) for _, article_id, meta in sorted(rows)}


def lone_articles(connection, story_ids: list[str]) -> dict[str, dict]:
    """Story id -> the meta of its article, for stories of one article each (the "other reports"
    a listing names in a line apiece: read without their stories' and events' records)."""
    return {story_id: json.loads(meta) for story_id, meta in _rows(connection, "SELECT story_id, meta FROM picture_articles WHERE story_id IN ({})", story_ids)}


def arrived_after(connection, ids: Iterable[str], seq: int) -> set[str]:
    """Those of the articles that arrived after ``seq``."""
    found = set()
    for chunk in _chunks(list(ids)):
        found.update(row[0] for row in connection.execute(f"SELECT article_id FROM picture_articles WHERE article_id IN ({_marks(chunk)}) AND seq > ?", [*chunk, seq]))
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


def disagreements(connection, story_ids: list[str], limit: int | None = None, offset: int = 0) -> list[dict]:
    """The stories' groups of numbers compared, conflicting first (a page of them: ``limit``
    from ``offset``, their order read first, the records of the page alone)."""
    if limit is None:
        query = "SELECT kind_rank, about, first_seq, first_number, record FROM picture_disagreements WHERE story_id IN ({})"
        return [unpack(row[-1]) for row in sorted(_rows(connection, query, story_ids))]
    order = "SELECT kind_rank, about, first_seq, first_number, story_id FROM picture_disagreements WHERE story_id IN ({})"
    page = sorted(_rows(connection, order, story_ids))[offset : offset + limit]
    query = "SELECT kind_rank, about, first_seq, first_number, record FROM picture_disagreements WHERE story_id IN ({})"
    records = {tuple(row[:4]): row[4] for row in _rows(connection, query, sorted({row[4] for row in page}))}
    return [unpack(records[tuple(row[:4])]) for row in page]


def disagreement_count(connection, story_ids: list[str]) -> int:
    return sum(connection.execute(f"SELECT COUNT(*) FROM picture_disagreements WHERE story_id IN ({_marks(chunk)})", chunk).fetchone()[0] for chunk in _chunks(story_ids))


def claims_by_id(connection, story_ids: list[str], claim_ids: set[str]) -> tuple[dict[str, dict], dict[str, str]]:
    """The claims with these ids among the stories' articles, and each one's story, read from the
    articles whose claims they are only (a claim's id carries the first ten characters of its
    article's id: "c-68d52c4e92-1122")."""
    prefixes = {claim_id.split("-")[1] for claim_id in claim_ids}
    ids = [article_id for article_id in article_ids(connection, story_ids) if article_id[:10] in prefixes]
    claims, story_of = {}, {}
    for chunk in _chunks(ids):
        for story_id, blob in connection.execute(f"SELECT story_id, found FROM picture_articles WHERE article_id IN ({_marks(chunk)})", chunk):
            for claim in unpack(blob)["claims"]:
                if claim["id"] in claim_ids:
                    claims[claim["id"]], story_of[claim["id"]] = claim, story_id
    return claims, story_of


def entity_ids(connection, names: Iterable[str]) -> dict[str, str]:
    found = {}
    for chunk in _chunks(sorted(set(names))):
        found.update(connection.execute(f"SELECT name, entity_id FROM picture_entity_names WHERE name IN ({_marks(chunk)})", chunk).fetchall())
    return found


def window_counts(connection, story_ids: list[str]) -> dict[str, int]:
    """How much the stories hold, counted by the tables' indexes (no record read)."""
    counts = dict.fromkeys(("articles", "events", "quotations", "groups of numbers compared"), 0)
    for chunk in _chunks(story_ids):
        marks = _marks(chunk)
        counts["articles"] += connection.execute(f"SELECT COUNT(*) FROM picture_articles WHERE story_id IN ({marks})", chunk).fetchone()[0]
        counts["events"] += connection.execute(f"SELECT COUNT(*) FROM picture_events WHERE story_id IN ({marks})", chunk).fetchone()[0]
        counts["quotations"] += connection.execute(
            f"SELECT COUNT(*) FROM picture_quotes q JOIN picture_articles a ON a.article_id = q.article_id WHERE a.story_id IN ({marks})", chunk).fetchone()[0]
        counts["groups of numbers compared"] += connection.execute(f"SELECT COUNT(*) FROM picture_disagreements WHERE story_id IN ({marks})", chunk).fetchone()[0]
    return counts


def _in_story_order(connection, ids: set[str]) -> list[str]:
    rows = _rows(connection, "SELECT first_day, first_event, id FROM picture_stories WHERE id IN ({})", sorted(ids))
    return [row[-1] for row in sorted(rows)]


def _rows(connection, query: str, ids: list[str]) -> list[tuple]:
    rows = []
    for chunk in _chunks(ids):
        rows += connection.execute(query.format(_marks(chunk)), chunk).fetchall()
    return rows
