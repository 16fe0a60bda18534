"""The event clustering as the store keeps it between runs (``link.event_state``): its bounded
state in ``clusterer_states``, and what grows with every article in tables a run reads for the
ids it needs and writes for those it changed: which event each article is in
(``event_articles``), which story each event (``event_stories``), in how many articles each word
stem and entity id appeared (``event_frequencies``), and the merges and splits in order
(``event_history``). These belong to the one state the store links with: linking from scratch
(another state key) empties them and drops every other saved state.
"""

from __future__ import annotations


from lagebild.link import event_state
from lagebild.link.events import OnlineClusterer
from lagebild.store.backends import chunks as _chunks, insert_new, marks as _marks, replace

TABLES = ("event_articles", "event_stories", "event_frequencies", "event_history")


class StoredMemory:
    """The clusterer's memory (``link.events.Memory``) read from the store's tables."""

    def __init__(self, connection) -> None:
        self.connection = connection

    def events_of(self, article_ids: list[str]) -> dict[str, str]:
        return self._pairs("SELECT article_id, event_id FROM event_articles WHERE article_id IN ({})", article_ids)

    def stories_of(self, event_ids: list[str]) -> dict[str, str]:
        return self._pairs("SELECT event_id, story_id FROM event_stories WHERE event_id IN ({})", event_ids)

    def frequencies_of(self, items: list[str]) -> dict[str, int]:
        return self._pairs("SELECT item, documents FROM event_frequencies WHERE item IN ({})", items)

    def history(self, kind: str, column: str, ids: list[str]) -> list[tuple[int, str, str]]:
        """(number, from id, to id) of the records of ``kind`` whose ``column`` is one of ``ids``."""
        assert column in ("from_id", "to_id")
        query = f"SELECT number, from_id, to_id FROM event_history WHERE kind = ? AND {column} IN ({{}})"
        return [row for chunk in _chunks(ids) for row in self.connection.execute(query.format(_marks(chunk)), [kind, *chunk])]

    def _pairs(self, query: str, keys: list[str]) -> dict:
        found: dict = {}
        for chunk in _chunks(keys):
            found.update(self.connection.execute(query.format(_marks(chunk)), chunk).fetchall())
        return found


def save(connection, clusterer: OnlineClusterer, afresh: bool) -> None:
    """Write what the run changed, inside the caller's transaction (the picture's; the state is
    saved after it). ``afresh``: the clustering started from nothing: what the tables held, and
    the states saved under other keys, are dropped."""
    if afresh:
        for table in ("clusterer_states", *TABLES):
            connection.execute(f"DELETE FROM {table}")
    changed = event_state.changes(clusterer)
    connection.executemany(replace("event_articles", ("article_id", "event_id"), ("article_id",)), sorted(changed.events_of.items()))
    connection.executemany(replace("event_stories", ("event_id", "story_id"), ("event_id",)), sorted(changed.stories_of.items()))
    connection.executemany("DELETE FROM event_stories WHERE event_id = ?", [(event_id,) for event_id in changed.events_gone])
    connection.executemany(replace("event_frequencies", ("item", "documents"), ("item",)), sorted(changed.frequencies.items()))
    connection.executemany(insert_new("event_history", ("kind", "number", "from_id", "to_id")), changed.history)
