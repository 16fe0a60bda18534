"""What the service's pages and API read from the store: stories ranked for a front page, lists
of articles and events, full-text search, an entity with its articles, feeds and saved watches.

Every function reads a bounded slice (a window, a page of ``limit`` rows) with the store's indexes,
so a page costs the same on a store of a thousand articles as on one of ten million. Records are
those of the JSON report contract, as ``store.picture`` keeps them.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date

from lagebild.store.backends import chunks as _chunks, marks as _marks
from lagebild.store import picture
from lagebild.store.picture import unpack, window

RECENT_ARRIVALS = 2000  # undated articles are "now" when they are among the latest this many
ACTIVE_DAYS = 7  # dated stories are "now" within this many days of the newest dated article
HALF_LIFE_DAYS = 2.0  # a story's weight halves with every this many days it has been quiet
# a search ranks the newest this many articles having its words: a word in every other article of
# a large store ("Corona") would otherwise rank them all on every search, so its cost would grow
# with the store; a news desk searches the news, and narrows an older question by its words
SEARCHED_HITS = 1000


def watermark(connection) -> int:
    """The last article the picture holds (it changes exactly when the picture does)."""
    row = connection.execute("SELECT value FROM link_state WHERE key = 'linked_seq'").fetchone()
    return int(row[0]) if row else 0


def linked_by(connection) -> str:
    """The version of the code that linked the picture (another links it all again: a story may
    then hold other events under the same id, count and newest article)."""
    row = connection.execute("SELECT value FROM link_state WHERE key = 'version'").fetchone()
    return row[0] if row else ""


def status(connection) -> dict:
    """Cheap enough to ask every second: no table is counted (sequence numbers are never reused)."""
    last = connection.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]
    linked = watermark(connection)
    return {"articles": last, "linked_seq": linked, "not_analysed": max(0, last - linked)}


@dataclass
class StoryCard:
    """A story as a front page lists it: what it is, how much it weighs, what is new in it."""

    id: str
    title: str
    articles: int
    sources: int
    first_day: str | None
    last_day: str | None
    last_seq: int
    conflicts: int
    statements: int = 0
    weight: float = 0.0
    stored_articles: int | None = None  # in a window, all the story's articles (``articles`` counts the window's)

    @property
    def single(self) -> bool:
        """One article alone: an "other report", listed after the ranked stories (a story of
        several articles with one in a window is still a story)."""
        return (self.articles if self.stored_articles is None else self.stored_articles) == 1

    def record(self) -> dict:
        return {
            "id": self.id, "title": self.title, "articles": self.articles, "sources": self.sources,
            "first_day": self.first_day, "last_day": self.last_day, "last_seq": self.last_seq,
            "conflicting_numbers": self.conflicts, "statements": self.statements, "weight": self.weight,
        }  # fmt: skip


@dataclass(frozen=True)
class Now:
    """What "now" is in a store: articles dated from ``first_day`` (the last ACTIVE_DAYS before
    the newest dated article not in the future; None: nothing dated) to ``last_day`` (the end of
    this month: a report dated a few days ahead is a clock ahead, one dated in another year a
    misdated article, which must not stay on the front page for years), or arrived after
    ``after_seq`` (the last RECENT_ARRIVALS: undated and misdated ones too)."""

    first_day: str | None
    after_seq: int
    last_day: str = "9999-12-31"

    def described(self) -> str:
        dated = f"an article dated {self.first_day} to {self.last_day}, or " if self.first_day else ""
        return f"{dated}among the last {RECENT_ARRIVALS} to arrive"

    def bounds(self) -> tuple[str | None, int, str]:
        return self.first_day, self.after_seq, self.last_day


def now(connection, today: date | None = None) -> Now:
    today = today or date.today()
    newest = connection.execute("SELECT MAX(last_day) FROM story_cards WHERE last_day <= ?", (today.isoformat(),)).fetchone()[0]
    first_day = date.fromordinal(date.fromisoformat(newest).toordinal() - ACTIVE_DAYS).isoformat() if newest else None
    return Now(first_day, watermark(connection) - RECENT_ARRIVALS, picture.days(today.isoformat()[:7])[1])  # the month's last day


def active_story_ids(connection, since: str | None, until: str | None) -> list[str]:
    """The stories in a window of days; without one, those active ``now``."""
    if since or until:
        rows = connection.execute("SELECT DISTINCT story_id FROM picture_articles WHERE last_day >= ? AND first_day <= ? AND story_id IS NOT NULL", window(since, until))
        return sorted(row[0] for row in rows)
    return stories_active(connection, now(connection))


def stories_active(connection, active: Now) -> list[str]:
    """The stories with an article in ``active``'s days or among its arrivals."""
    found = set()
    if active.first_day:
        dated = "SELECT DISTINCT story_id FROM picture_articles WHERE last_day >= ? AND last_day <= ? AND story_id IS NOT NULL"
        found.update(row[0] for row in connection.execute(dated, (active.first_day, active.last_day)))
    found.update(row[0] for row in connection.execute("SELECT story_id FROM story_cards WHERE last_seq > ?", (active.after_seq,)))
    return sorted(found)


def story_cards(connection, story_ids: list[str], today: str | None = None, since: str | None = None, until: str | None = None) -> list[StoryCard]:
    """The stories ranked by weight (``rank``); the one order of the web app, the reports and the
    listings. In a window (``since``, ``until``) a story weighs what it holds in the window, as of
    the window's last day: a story of two months whose one article falls in the window does not
    head a week's briefing for the articles it had before."""
    cards = []
    for chunk in _chunks(story_ids):
        query = f"SELECT story_id, title, articles, sources, first_day, last_day, last_seq, conflicts, statements FROM story_cards WHERE story_id IN ({_marks(chunk)})"
        cards.extend(StoryCard(*row) for row in connection.execute(query, chunk))
    if since or until:
        _count_in_window(connection, cards, since, until)
        today = min(today or date.today().isoformat(), window(since, until)[1])
    return rank(cards, today)


def _count_in_window(connection, cards: list[StoryCard], since: str | None, until: str | None) -> None:
    """Each card's articles, sources and last day: those of its articles dated in the window."""
    first, last = window(since, until)
    by_id = {card.id: card for card in cards}
    for chunk in _chunks(list(by_id)):
        query = (f"SELECT story_id, COUNT(*), COUNT(DISTINCT {connection.dialect.ARTICLE_SOURCE}), MAX(last_day) FROM picture_articles"
                 f" WHERE story_id IN ({_marks(chunk)}) AND last_day >= ? AND first_day <= ? GROUP BY story_id")
        for story_id, articles, sources, last_day in connection.execute(query, (*chunk, first, last)):
            card = by_id[story_id]
            card.stored_articles = card.articles
            card.articles, card.sources, card.last_day = articles, sources, min(last_day, last) if last_day else card.last_day


def rank(cards: list[StoryCard], today: str | None = None) -> list[StoryCard]:
    """Heaviest first; of equal weight, the one with more numbers in conflict (what a reader
    must check), then more statements (who said what), then the newer, then by id."""
    _weigh(cards, today or date.today().isoformat())
    return sorted(cards, key=lambda card: (-card.weight, -card.conflicts, -card.statements, -card.last_seq, card.id))


def _weigh(cards: list[StoryCard], today: str) -> None:
    """Independent sources count most (twenty reprints of one agency report are one voice), more
    articles a little; a story's weight halves every HALF_LIFE_DAYS it has been quiet, counted
    from the newest story (not after ``today``: an article dated in the future does not age the
    rest), and likewise for each day its last article is dated after tomorrow (a misdated story
    would otherwise head the page until its date came). Four significant digits: stories of the
    same size and day tie and the tie-breakers decide; a story a year old keeps its place among
    those of its time."""
    newest = date.fromisoformat(min(max((card.last_day for card in cards if card.last_day), default=today), today))
    tomorrow = date.fromisoformat(today).toordinal() + 1
    for card in cards:
        last = date.fromisoformat(card.last_day) if card.last_day else newest
        quiet = max(0, (newest - last).days, last.toordinal() - tomorrow)
        card.weight = float(f"{(card.sources + 0.5 * math.log1p(card.articles)) * 0.5 ** (quiet / HALF_LIFE_DAYS):.4g}")


def article_rows(connection, *, since=None, until=None, story_id=None, limit=50, offset=0) -> list[dict]:
    """Article records (the listing fields) newest arrival first, in a window or of a story."""
    where, values = ["1 = 1"], []
    if since or until:
        where.append("last_day >= ? AND first_day <= ?")
        values += window(since, until)
    if story_id:
        where.append("story_id = ?")
        values.append(story_id)
    query = f"SELECT article_id, seq, event_id, story_id, meta FROM picture_articles WHERE {' AND '.join(where)} ORDER BY seq DESC LIMIT ? OFFSET ?"
    return [_listed(*row) for row in connection.execute(query, (*values, limit, offset))]


def _listed(article_id: str, seq: int, event_id: str | None, story_id: str | None, meta: str) -> dict:
    return {**json.loads(meta), "id": article_id, "seq": seq, "event_id": event_id, "story_id": story_id}


def article(connection, article_id: str) -> dict | None:
    """Everything the picture holds of one article: its record, names, times, numbers, quotations."""
    row = connection.execute("SELECT seq, event_id, story_id, found FROM picture_articles WHERE article_id = ?", (article_id,)).fetchone()
    if row is None:
        return None
    found = unpack(row[3])
    quotes = [unpack(blob) for (blob,) in connection.execute("SELECT record FROM picture_quotes WHERE article_id = ? ORDER BY number", (article_id,))]
    return {**found, "seq": row[0], "event_id": row[1], "story_id": row[2], "quotes": quotes}


def resolve_article(connection, prefix: str) -> str | None:
    """An article id from the id or an unambiguous prefix of it."""
    rows = connection.execute("SELECT article_id FROM picture_articles WHERE article_id >= ? AND article_id < ? LIMIT 2", (prefix, prefix + "\uffff")).fetchall()
    return rows[0][0] if len(rows) == 1 else None


def event_rows(connection, *, story_id=None, since=None, until=None, limit=50, offset=0) -> list[dict]:
    """Event records in time order: of a story, of the stories active in a window, or (neither
    given) of the stories active now."""
    ids = [story_id] if story_id else active_story_ids(connection, since, until)
    keys = []  # the order first, then the records of one page
    for chunk in _chunks(ids):
        keys += connection.execute(f"SELECT first_day, id FROM picture_events WHERE story_id IN ({_marks(chunk)})", chunk).fetchall()
    page = [event_id for _, event_id in sorted(keys)[offset : offset + limit]]
    records = dict(connection.execute(f"SELECT id, record FROM picture_events WHERE id IN ({_marks(page)})", page)) if page else {}
    return [unpack(records[event_id]) for event_id in page]


_WORD = re.compile(r"\w[\w'-]*")


def search(connection, query: str, limit: int = 20, offset: int = 0) -> list[dict]:
    """Articles whose title or text has every word of the query (any case and accents), best
    first among the newest ``SEARCHED_HITS`` that have them, each with a snippet whose hits stand
    between \\x02 and \\x03 (escaped, then marked)."""
    words = _WORD.findall(query)[:20]
    if not words:
        return []
    rows = connection.dialect.search(connection, words, limit, offset, SEARCHED_HITS)
    return [{"id": i, "title": t, "date": d, "outlet": o, "credits": json.loads(c), "snippet": s} for i, t, d, o, c, s in rows]


def entity(connection, entity_id: str) -> dict | None:
    row = connection.execute("SELECT id, name, type, variants, mentions, articles FROM picture_entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        return None
    return {"id": row[0], "name": row[1], "type": row[2], "variants": json.loads(row[3]), "mentions": row[4], "articles": row[5]}


def entity_by_name(connection, name: str) -> str | None:
    row = connection.execute("SELECT entity_id FROM picture_entity_names WHERE name = ?", (name,)).fetchone()
    if row is None:
        row = connection.execute("SELECT id FROM picture_entities WHERE name = ? ORDER BY mentions DESC LIMIT 1", (name,)).fetchone()
    return row[0] if row else None


def entity_articles(connection, entity_id: str, limit: int = 50, offset: int = 0) -> list[dict]:
    """The articles that name the entity (under any of its names), newest arrival first. Of an
    entity named in many articles, the newest articles are looked through until enough name it
    (a quarter of 100,000 articles name the most named: ordering all of theirs took 180 ms);
    of one named in few, its articles are read and ordered (looking through the newest would
    pass most of the store by). Either way the same rows."""
    names = [row[0] for row in connection.execute("SELECT name FROM picture_entity_names WHERE entity_id = ?", (entity_id,))]
    counted = connection.execute("SELECT articles FROM picture_entities WHERE id = ?", (entity_id,)).fetchone()
    stored = connection.execute("SELECT MAX(seq) FROM picture_articles").fetchone()[0] or 0
    # looking through the newest reads about (offset + limit) * stored / named articles; ordering, named
    if names and len(names) <= MAX_NAMES_LOOKED_FOR and counted and counted[0] ** 2 > (offset + limit) * stored:
        return _newest_naming(connection, names, limit, offset)
    return _ordered_naming(connection, entity_id, limit, offset)


MAX_NAMES_LOOKED_FOR = 500  # an entity of more spellings is read through its names' rows
_LISTED_COLUMNS = "p.article_id, p.seq, p.event_id, p.story_id, p.meta"  # what ``_listed`` takes


def _newest_naming(connection, names: list[str], limit: int, offset: int) -> list[dict]:
    query = (
        f"SELECT {_LISTED_COLUMNS} FROM picture_articles p WHERE EXISTS"
        f" (SELECT 1 FROM picture_names n WHERE n.article_id = p.article_id AND n.name IN ({_marks(names)})) ORDER BY p.seq DESC LIMIT ? OFFSET ?"
    )
    return [_listed(*row) for row in connection.execute(query, (*names, limit, offset))]


def _ordered_naming(connection, entity_id: str, limit: int, offset: int) -> list[dict]:
    query = (
        f"SELECT {_LISTED_COLUMNS} FROM picture_names n"
        " JOIN picture_entity_names e ON e.name = n.name JOIN picture_articles p ON p.article_id = n.article_id"
        " WHERE e.entity_id = ? GROUP BY p.article_id ORDER BY p.seq DESC LIMIT ? OFFSET ?"
    )
    return [_listed(*row) for row in connection.execute(query, (entity_id, limit, offset))]


def statements_by(connection, names: list[str], limit: int = 100, offset: int = 0) -> list[dict]:
    """Quotations whose speaker is one of these names, newest arrival first: of each name its
    newest, through the index (a speaker may have thousands), then the records of one page."""
    keys = []
    for name in sorted(set(names)):
        query = "SELECT seq, number, article_id FROM picture_quotes WHERE speaker = ? ORDER BY seq DESC, number LIMIT ?"
        keys += connection.execute(query, (name, offset + limit)).fetchall()
    keys.sort(key=lambda key: (-key[0], key[1]))
    page = keys[offset : offset + limit]
    records = picture.quote_records(connection, [(article_id, number) for _, number, article_id in page])
    return [records[article_id, number] for _, number, article_id in page]


def entity_list(connection, limit: int = 50, offset: int = 0, kind: str | None = None) -> list[dict]:
    query = "SELECT id, name, type, variants, mentions, articles FROM picture_entities"
    values: tuple = ()
    if kind:
        query += " WHERE type = ?"
        values = (kind,)
    rows = connection.execute(query + " ORDER BY mentions DESC, name LIMIT ? OFFSET ?", (*values, limit, offset))
    return [{"id": i, "name": n, "type": t, "variants": json.loads(v), "mentions": m, "articles": a} for i, n, t, v, m, a in rows]


def feeds(connection) -> list[dict]:
    columns = ("url", "last_success", "last_error", "last_error_at", "failures", "next_poll", "articles", "added_at")
    rows = connection.execute(f"SELECT {', '.join(columns)} FROM feeds ORDER BY url")
    return [dict(zip(columns, row)) for row in rows]


def add_feed(connection, url: str, now: str) -> bool:
    """A feed to poll (due at once); False when it is polled already."""
    from lagebild.store import feeds as feed_table

    return feed_table.add(connection, [url], now) > 0


def watches(connection) -> list[dict]:
    rows = connection.execute("SELECT id, name, entities, words, outlet, created_at FROM watches ORDER BY name")
    return [{"id": i, "name": n, "entities": json.loads(e), "words": json.loads(w), "outlet": o, "created_at": c} for i, n, e, w, o, c in rows]


def watch(connection, watch_id: int) -> dict | None:
    return next((found for found in watches(connection) if found["id"] == watch_id), None)


def add_watch(connection, name: str, entities: list[str], words: list[str], outlet: str | None, now: str) -> int:
    with connection:
        return connection.execute(
            "INSERT INTO watches (name, entities, words, outlet, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
            (name, json.dumps(entities, ensure_ascii=False), json.dumps(words, ensure_ascii=False), outlet, now),
        ).fetchone()[0]


def watch_matches(connection, found: dict, limit: int = 50) -> list[dict]:
    """The newest articles a watch matches: naming one of its entities (any spelling the picture
    knows), or having all its words, and from its outlet when it names one; newest first."""
    seqs: set[int] = set()
    for name in found["entities"]:
        entity_id = entity_by_name(connection, name)
        if entity_id:
            seqs.update(article["seq"] for article in entity_articles(connection, entity_id, limit=limit))
    if found["words"]:
        ids = [hit["id"] for hit in search(connection, " ".join(found["words"]), limit=limit)]
        seqs.update(row[0] for chunk in _chunks(ids) for row in connection.execute(f"SELECT seq FROM picture_articles WHERE article_id IN ({_marks(chunk)})", chunk))
    if not found["entities"] and not found["words"]:  # an outlet alone: its newest articles
        seqs.update(row[0] for row in connection.execute("SELECT seq FROM picture_articles WHERE meta LIKE ? ORDER BY seq DESC LIMIT ?", (f"%{found['outlet']}%", limit * 4)))
    rows = []
    for chunk in _chunks(sorted(seqs, reverse=True)[: limit * 4]):
        rows += connection.execute(f"SELECT article_id, seq, event_id, story_id, meta FROM picture_articles WHERE seq IN ({_marks(chunk)})", chunk).fetchall()
    listed = [_listed(*row) for row in sorted(rows, key=lambda row: -row[1])]
    outlet = (found["outlet"] or "").casefold()
    return [a for a in listed if not outlet or outlet in ((a.get("outlet") or "") + " " + " ".join(a.get("credits") or [])).casefold()][:limit]
