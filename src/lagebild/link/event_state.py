"""The online clusterer's state, kept in the store between runs, so that a run places only the
articles that arrived since the last one (in date order, after everything placed before). Event
and story ids then stay as they were, also when an older article arrives late: it joins or founds
an event as any newcomer does, and the past is not re-ordered around it.

The saved state is what stays bounded however long the stream: the active events and stories
(with their articles' vectors, to split them), the counters, the ids a split may not reuse. It is
compressed JSON (vectors as base64 float32), never pickle: a store may come from someone else.
What grows with every article (which event each article is in, which story each event, the
document frequencies, the merges and splits) the store keeps in tables (``store.clustering``),
read for the ids a run needs and written for those it changed (``changes``): a run costs what
it adds, not what the store holds.

The state belongs to the clustering code that wrote it: its key holds a hash of that code's
syntax tree (``lagebild.versions``: comments and docstrings aside) and of the language data it
reads, and whether article vectors were on; under another key the clustering starts afresh.
"""

from __future__ import annotations

import base64
import zlib
from collections import Counter
from dataclasses import dataclass

import numpy as np
import orjson

from lagebild.link.events import ArticleSignals, Cluster, Memory, OnlineClusterer, _DenseSum, _Vectors
from lagebild.versions import code_version


WITH_VECTORS = " with article vectors"


def state_key(embeddings: bool) -> str:
    """The clustering's version: its code as the syntax tree reads it (a comment or docstring
    edited keeps the state; a changed rule or threshold does not) and the language data."""
    code = code_version(("lagebild.link.events", "lagebild.link.event_state"), ("lang",))
    return f"events {code}" + (WITH_VECTORS if embeddings else "")


def reads_vectors(key: str) -> bool:
    """Whether the clustering of this key read article vectors."""
    return key.endswith(WITH_VECTORS)


def dump(clusterer: OnlineClusterer) -> bytes:
    """The bounded part of the state (``changes`` gives the rest, to write to the store)."""
    events = list(clusterer.active_events.values())
    members = {article_id for event in events for article_id in event.members}
    state = {
        "documents": clusterer.frequencies.documents,
        "events": [_cluster_record(event) for event in events],
        "stories": [_cluster_record(story) for story in clusterer.active_stories.values()],
        "stories_of_events": {event.id: clusterer.story_of[event.id] for event in events},
        "latest_day": clusterer.latest_day,
        "evicted_on": clusterer._evicted_on,
        "arrivals": clusterer.arrivals,
        "history": _history_counts(clusterer),
        "founded": clusterer._founded,
        "foundings": clusterer._foundings,
        # ids merged away that a split of an active event could otherwise give its parted group
        "merged_away": sorted(clusterer._merged_away & members),
    }
    return zlib.compress(orjson.dumps(state), 1)  # fast: saved on every run


def load(blob: bytes, memory: Memory | None = None) -> OnlineClusterer:
    """The clusterer as ``dump`` left it, going on with what ``memory`` (the store) keeps."""
    state = orjson.loads(zlib.decompress(blob))
    clusterer = OnlineClusterer(memory)
    clusterer.frequencies.documents = state["documents"]
    for record in state["events"]:
        event = _cluster(record)
        clusterer.active_events[event.id] = event
        clusterer.event_index.add(event.id, list(event.word_sum) + list(event.entity_sum))
    for record in state["stories"]:
        story = _cluster(record)
        clusterer.active_stories[story.id] = story
        clusterer.story_index.add(story.id, list(story.entity_sum))
    clusterer.story_of.remember(state["stories_of_events"])
    clusterer.latest_day, clusterer._evicted_on, clusterer.arrivals = state["latest_day"], state["evicted_on"], state["arrivals"]
    clusterer.history_before = state["history"]
    clusterer._founded, clusterer._foundings = state["founded"], state["foundings"]
    clusterer._merged_away = set(state["merged_away"])
    return clusterer


@dataclass
class Changes:
    """What a run changed of the clustering's growing part, as rows for the store."""

    events_of: dict[str, str]  # article id -> event id, set or changed
    stories_of: dict[str, str]  # event id -> story id, set or changed
    events_gone: list[str]  # events merged away: they have no story any more
    frequencies: dict[str, int]  # item -> articles naming it, for the items counted
    history: list[tuple[str, int, str, str]]  # (kind, number, from id, to id), the run's merges and splits


def changes(clusterer: OnlineClusterer) -> Changes:
    before = clusterer.history_before
    history = [
        (kind, before[kind] + number, *pair)
        for kind, pairs in (("merge", clusterer.merges), ("split", clusterer.splits), ("story_merge", clusterer.story_merges))
        for number, pair in enumerate(pairs)  # those since ``history_before``
    ]
    return Changes(
        clusterer.event_of.written(),
        clusterer.story_of.written(),
        sorted(clusterer.story_of.removed),
        clusterer.frequencies.counts.written(),
        history,
    )


def _history_counts(clusterer: OnlineClusterer) -> dict[str, int]:
    before = clusterer.history_before
    return {
        "merge": before["merge"] + len(clusterer.merges),
        "split": before["split"] + len(clusterer.splits),
        "story_merge": before["story_merge"] + len(clusterer.story_merges),
    }


def event_history(clusterer: OnlineClusterer, event_ids) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The merges and splits, in order, that say what became of these events: those merged into
    them (through chains of merges), those they split off, and where each of these went on to.
    ``report.events`` reads the same from them as from the whole history."""
    if clusterer.memory is None:
        return clusterer.merges, clusterer.splits
    merges = _Records(clusterer, "merge")
    splits = _Records(clusterer, "split").reading("to_id", event_ids)  # those split off one of them
    found = merges.into(event_ids)
    found.update(merges.onwards({event_id for event_id, _ in splits.values()} | set(event_ids)))
    return _in_order(found), _in_order(splits)


def story_history(clusterer: OnlineClusterer, story_ids) -> list[tuple[str, str]]:
    """The story merges, in order, that say which stories merged into these (``event_history``)."""
    if clusterer.memory is None:
        return clusterer.story_merges
    merges = _Records(clusterer, "story_merge")
    found = merges.into(story_ids)
    found.update(merges.onwards(story_ids))
    return _in_order(found)


class _Records:
    """One kind of the clusterer's merge and split records: those the store kept and the run's."""

    def __init__(self, clusterer: OnlineClusterer, kind: str) -> None:
        self.kind, self.memory = kind, clusterer.memory
        before = clusterer.history_before[kind]
        listed = {"merge": clusterer.merges, "split": clusterer.splits, "story_merge": clusterer.story_merges}[kind]
        self.new = {before + number: pair for number, pair in enumerate(listed)}

    def reading(self, column: str, ids) -> dict[int, tuple[str, str]]:
        """Number -> (from id, to id) of the records whose ``column`` is one of ``ids``."""
        wanted = set(ids)
        found = {number: (a, b) for number, a, b in self.memory.history(self.kind, column, sorted(wanted))}
        side = 0 if column == "from_id" else 1
        found.update({number: pair for number, pair in self.new.items() if pair[side] in wanted})
        return found

    def into(self, ids) -> dict[int, tuple[str, str]]:
        """The merges into these ids, and into those merged into them, and so on."""
        return self._closure(ids, "to_id", 0)

    def onwards(self, ids) -> dict[int, tuple[str, str]]:
        """The merges of these ids into others, and of those into others, and so on."""
        return self._closure(ids, "from_id", 1)

    def _closure(self, ids, column: str, next_side: int) -> dict[int, tuple[str, str]]:
        found: dict[int, tuple[str, str]] = {}
        seen = frontier = set(ids)
        while frontier:
            step = self.reading(column, frontier)
            found.update(step)
            frontier = {pair[next_side] for pair in step.values()} - seen
            seen = seen | frontier
        return found


def _in_order(records: dict[int, tuple[str, str]]) -> list[tuple[str, str]]:
    return [records[number] for number in sorted(records)]


def _cluster_record(cluster: Cluster) -> dict:
    return {
        "id": cluster.id,
        "article_ids": cluster.article_ids,
        "dates": cluster.dates,
        "word_sum": cluster.word_sum,
        "entity_sum": cluster.entity_sum,
        "languages": sorted(cluster.languages),
        "event_ids": cluster.event_ids,
        "word_norm_sq": cluster.word_norm_sq,
        "entity_norm_sq": cluster.entity_norm_sq,
        "embeddings": _dense_record(cluster.embeddings),
        "meanings": _dense_record(cluster.meanings),
        "text_words": cluster.text_words,
        "last_arrival": cluster.last_arrival,
        "members": [[_signals_record(article), _vectors_record(vectors)] for article, vectors in cluster.members.values()],
        "day_bounds": cluster.day_bounds,
    }


def _cluster(record: dict) -> Cluster:
    members = [(_signals(article), _vectors(vectors)) for article, vectors in record["members"]]
    return Cluster(
        record["id"],
        record["article_ids"],
        _dates(record["dates"]),
        Counter(record["word_sum"]),
        Counter(record["entity_sum"]),
        set(record["languages"]),
        record["event_ids"],
        record["word_norm_sq"],
        record["entity_norm_sq"],
        _dense(record["embeddings"]),
        _dense(record["meanings"]),
        record["text_words"],
        record["last_arrival"],
        {article.article_id: (article, vectors) for article, vectors in members},
        _dates(record["day_bounds"]),
    )


def _signals_record(article: ArticleSignals) -> dict:
    return {
        "article_id": article.article_id,
        "language": article.language,
        "dates": article.dates,
        "words": article.words,
        "entities": article.entities,
        "reused_with": sorted(article.reused_with),
        "embedding": _array_record(article.embedding),
        "length": article.length,
        "own_copy": article.own_copy,
        "happening": article.happening,
        "outlet": article.outlet,
    }


def _signals(record: dict) -> ArticleSignals:
    return ArticleSignals(
        record["article_id"],
        record["language"],
        _dates(record["dates"]),
        record["words"],
        record["entities"],
        set(record["reused_with"]),
        _array(record["embedding"]),
        record["length"],
        record.get("own_copy", {}),
        record.get("happening"),
        record.get("outlet"),
    )


def _vectors_record(vectors: _Vectors) -> dict:
    return {"words": vectors.words, "entities": vectors.entities, "meaning": _array_record(vectors.meaning)}


def _vectors(record: dict) -> _Vectors:
    return _Vectors(record["words"], record["entities"], _array(record["meaning"]))


def _dense_record(dense: _DenseSum) -> dict:
    return {"total": _array_record(dense.total), "norm": dense.norm}


def _dense(record: dict) -> _DenseSum:
    return _DenseSum(_array(record["total"]), record["norm"])


def _array_record(vector: np.ndarray | None) -> str | None:
    return None if vector is None else base64.b64encode(np.asarray(vector, dtype=np.float32).tobytes()).decode("ascii")


def _array(record: str | None) -> np.ndarray | None:
    return None if record is None else np.frombuffer(base64.b64decode(record), dtype=np.float32).copy()


def _dates(record: list[int] | None) -> tuple[int, int] | None:
    return None if record is None else (record[0], record[1])
