"""Whether a store's picture holds together: every linked article in it, every article's event and
story stored and agreeing, each event's and story's record listing exactly its articles and events,
the clustering's tables agreeing with the picture, no finding of an article the store lacks; and,
for SQLite, the file's own integrity check. ``lagebild check --db S`` prints what this finds.

Each check is one query or one pass over two sorted queries side by side, so a store of millions
of articles is checked without holding its ids in memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby

from lagebild.store.picture import unpack

EXAMPLES = 5  # ids shown per problem


@dataclass
class Problem:
    what: str
    count: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, example: str) -> None:
        self.count += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(example)


# (what is wrong, a query giving one id per case)
ORPHANS = (
    ("linked articles missing from the picture",
     "SELECT id FROM articles WHERE seq <= {linked} AND id NOT IN (SELECT article_id FROM picture_articles)"),
    ("articles whose event is not stored",
     "SELECT a.article_id FROM picture_articles a LEFT JOIN picture_events e ON e.id = a.event_id WHERE a.event_id IS NOT NULL AND e.id IS NULL"),
    ("articles whose story is not their event's",
     "SELECT a.article_id FROM picture_articles a JOIN picture_events e ON e.id = a.event_id WHERE a.story_id IS NULL OR a.story_id <> e.story_id"),
    ("events whose story is not stored",
     "SELECT e.id FROM picture_events e LEFT JOIN picture_stories s ON s.id = e.story_id WHERE s.id IS NULL"),
    ("stories without a card",
     "SELECT s.id FROM picture_stories s LEFT JOIN story_cards c ON c.story_id = s.id WHERE c.story_id IS NULL"),
    ("cards of stories not stored",
     "SELECT c.story_id FROM story_cards c LEFT JOIN picture_stories s ON s.id = c.story_id WHERE s.id IS NULL"),
    ("articles placed in another event by the clustering than in the picture",
     "SELECT a.article_id FROM picture_articles a JOIN event_articles c ON c.article_id = a.article_id WHERE a.event_id <> c.event_id"),
    ("quotations of articles not in the picture",
     "SELECT DISTINCT q.article_id FROM picture_quotes q LEFT JOIN picture_articles a ON a.article_id = q.article_id WHERE a.article_id IS NULL"),
    ("wire copy of articles not in the picture",
     "SELECT r.article_a || ' ' || r.article_b FROM picture_reuse r LEFT JOIN picture_articles a ON a.article_id = r.article_a "
     "LEFT JOIN picture_articles b ON b.article_id = r.article_b WHERE a.article_id IS NULL OR b.article_id IS NULL"),
)


def problems(connection, sqlite: bool) -> list[Problem]:
    """What is wrong with the store's picture (nothing: an empty list)."""
    found = [_integrity(connection)] if sqlite else []
    linked = _linked_seq(connection)
    for what, query in ORPHANS:
        problem = Problem(what)
        for (key,) in _rows(connection, query.format(linked=linked)):
            problem.add(str(key))
        found.append(problem)
    found.append(_members_agree(connection, "stories whose record lists other events than those stored with it",
                                "SELECT id, record FROM picture_stories ORDER BY id", "event_ids",
                                "SELECT story_id, id FROM picture_events ORDER BY story_id"))
    found.append(_members_agree(connection, "events whose record lists other articles than those stored with it",
                                "SELECT id, record FROM picture_events ORDER BY id", "article_ids",
                                "SELECT event_id, article_id FROM picture_articles WHERE event_id IS NOT NULL ORDER BY event_id"))
    return [problem for problem in found if problem.count]


def counts(connection) -> dict[str, int]:
    """How much the store holds, for the line that says all is well."""
    tables = (("articles", "articles"), ("events", "picture_events"), ("stories", "picture_stories"), ("entities", "picture_entities"))
    return {name: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for name, table in tables}


def _integrity(connection) -> Problem:
    problem = Problem("SQLite integrity check")
    for (line,) in connection.execute("PRAGMA integrity_check"):
        if line != "ok":
            problem.add(line)
    return problem


def _linked_seq(connection) -> int:
    row = connection.execute("SELECT value FROM link_state WHERE key = 'linked_seq'").fetchone()
    return int(row[0]) if row else 0


def _members_agree(connection, what: str, records: str, field_name: str, members: str) -> Problem:
    """Each record's list of members against the rows that name it, both read in id order and
    walked side by side."""
    problem = Problem(what)
    stored = _grouped(_rows(connection, members))
    pending = next(stored, None)
    for key, blob in _rows(connection, records):
        while pending is not None and pending[0] < key:  # naming a record not stored: an orphan above
            pending = next(stored, None)
        listed = set(unpack(blob)[field_name])
        held = pending[1] if pending is not None and pending[0] == key else set()
        if held:
            pending = next(stored, None)
        if listed != held:
            problem.add(key)
    return problem


def _grouped(rows: Iterator[tuple]) -> Iterator[tuple[str, set[str]]]:
    for key, group in groupby(rows, key=lambda row: row[0]):
        yield key, {member for _, member in group}


def _rows(connection, query: str, batch: int = 10_000) -> Iterator[tuple]:
    """The query's rows a batch at a time (each ``execute`` is a cursor of its own: two may be
    walked side by side)."""
    cursor = connection.execute(query)
    while rows := cursor.fetchmany(batch):
        yield from rows

