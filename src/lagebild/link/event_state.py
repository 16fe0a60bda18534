"""The online clusterer's state, kept in the store between runs, so that a run places only the
articles that arrived since the last one (in date order, after everything placed before). Event
and story ids then stay as they were, also when an older article arrives late: it joins or founds
an event as any newcomer does, and the past is not re-ordered around it.

The state is compressed JSON (vectors as base64 float32), never pickle: a store file may come from
someone else. It belongs to the clustering code that wrote it: its key holds a hash of that code's syntax tree
(``lagebild.versions``: comments and docstrings aside) and of the language data it reads, and
whether article vectors were on; under another key the clustering starts afresh.
"""

from __future__ import annotations

import base64
import zlib
from collections import Counter

import numpy as np
import orjson

from lagebild.link.events import ArticleSignals, Cluster, OnlineClusterer, _DenseSum, _Vectors
from lagebild.versions import code_version


def state_key(embeddings: bool) -> str:
    """The clustering's version: its code as the syntax tree reads it (a comment or docstring
    edited keeps the state; a changed rule or threshold does not) and the language data."""
    code = code_version(("lagebild.link.events", "lagebild.link.event_state"), ("lang",))
    return f"events {code}" + (" with article vectors" if embeddings else "")


def dump(clusterer: OnlineClusterer) -> bytes:
    state = {
        "documents": clusterer.frequencies.documents,
        "counts": clusterer.frequencies.counts,
        "events": [_cluster_record(event) for event in clusterer.active_events.values()],
        "stories": [_cluster_record(story) for story in clusterer.active_stories.values()],
        "event_of": clusterer.event_of,
        "story_of": clusterer.story_of,
        "latest_day": clusterer.latest_day,
        "evicted_on": clusterer._evicted_on,
        "arrivals": clusterer.arrivals,
        "merges": clusterer.merges,
        "splits": clusterer.splits,
        "story_merges": clusterer.story_merges,
        "founded": clusterer._founded,
        "foundings": clusterer._foundings,
    }
    return zlib.compress(orjson.dumps(state), 1)  # fast: saved on every run


def load(blob: bytes) -> OnlineClusterer:
    state = orjson.loads(zlib.decompress(blob))
    clusterer = OnlineClusterer()
    clusterer.frequencies.documents = state["documents"]
    clusterer.frequencies.counts = Counter(state["counts"])
    for record in state["events"]:
        event = _cluster(record)
        clusterer.active_events[event.id] = event
        clusterer.event_index.add(event.id, list(event.word_sum) + list(event.entity_sum))
    for record in state["stories"]:
        story = _cluster(record)
        clusterer.active_stories[story.id] = story
        clusterer.story_index.add(story.id, list(story.entity_sum))
    clusterer.event_of, clusterer.story_of = state["event_of"], state["story_of"]
    clusterer.latest_day, clusterer._evicted_on, clusterer.arrivals = state["latest_day"], state["evicted_on"], state["arrivals"]
    clusterer.merges = [tuple(pair) for pair in state["merges"]]
    clusterer.splits = [tuple(pair) for pair in state["splits"]]
    clusterer.story_merges = [tuple(pair) for pair in state["story_merges"]]
    clusterer._founded, clusterer._foundings = state["founded"], state["foundings"]
    clusterer._merged_away = {gone for gone, _ in clusterer.merges}  # an index of the merges
    return clusterer


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
