"""Event clustering speed on a long stream: articles per second and memory as the stream grows.

A synthetic stream of N articles over N/500 days (500 a day): each belongs to an event (two to
twelve articles over up to two days) that has its own entities and words, on top of background
text from the word-bigram Markov chain of bench/reuse_bench.py and a few common entities. Signals
(stemmed words, entity ids) are built before the clock starts; the timed part is
OnlineClusterer.add for every article. Usage:

    .venv/bin/python bench/events_bench.py --growth 10000 30000 100000

Prints JSON per size: seconds, articles per second, active events at the end, peak RSS, and
BCubed F1 against the synthetic events (a sanity check, not an evaluation), and the size of the
clusterer state the store keeps between runs with the seconds to save and load it. Then, in a
SQLite store in memory: the clustering kept (its state and its tables, which a first run writes
whole), and a next run of 1,000 articles on the following days: restored, placed, its changes
and state saved (``next_run_*``), as linking does it.
"""

from __future__ import annotations

import dataclasses
import random
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from _runner import run  # noqa: E402
from reuse_bench import bigram_chain, generated_sentence, sentence_pool  # noqa: E402

from lagebild.eval.events import _bcubed  # noqa: E402
from lagebild.link import event_state  # noqa: E402
from lagebild.link.events import ArticleSignals, OnlineClusterer, content_words, day_range  # noqa: E402
from lagebild.store import Store, clustering  # noqa: E402

PER_DAY = 500
NEXT_RUN = 1000  # articles of the run after the measured stream


def stream(count: int, seed: int = 5) -> tuple[list[ArticleSignals], dict[str, str]]:
    rng = random.Random(seed)
    starts, following = bigram_chain(sentence_pool())
    start_day = date(2026, 1, 1).toordinal()
    articles, truth = [], {}
    number = event = 0
    while number < count:
        size = min(rng.randint(2, 12), count - number)
        event_words = " ".join(generated_sentence(rng, starts, following) for _ in range(2))
        event_entities = [f"event{event}-{k}" for k in range(rng.randint(3, 6))]
        first_day = start_day + number // PER_DAY
        for _ in range(size):
            text = event_words + " " + " ".join(generated_sentence(rng, starts, following) for _ in range(8))
            entities = rng.sample(event_entities, k=max(2, len(event_entities) - 1)) + [f"common{rng.randint(0, 50)}"]
            day = date.fromordinal(first_day + rng.randint(0, 1)).isoformat()
            articles.append(ArticleSignals(f"a{number:07d}", "de", day_range(day), content_words(text, "de"), entities))
            truth[f"a{number:07d}"] = str(event)
            number += 1
        event += 1
    articles.sort(key=lambda a: (a.dates, a.article_id))
    return articles, truth


def measure(count: int) -> dict:
    articles, truth = stream(count)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    clusterer = OnlineClusterer()
    started = time.perf_counter()
    for article in articles:
        clusterer.add(article)
    seconds = time.perf_counter() - started
    predicted = {article.article_id: clusterer.event_of[article.article_id] for article in articles}  # after later merges
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # of the clustering, before the state is saved
    saving = time.perf_counter()
    state = event_state.dump(clusterer)
    loading = time.perf_counter()
    event_state.load(state)
    loaded = time.perf_counter()
    return {
        "benchmark": "events",
        "articles": count,
        "days": count // PER_DAY,
        "seconds": round(seconds, 1),
        "articles_per_second": round(count / seconds),
        "active_events_at_end": len(clusterer.active_events),
        "events": len(set(predicted.values())),
        "merges": len(clusterer.merges),
        "splits": len(clusterer.splits),
        "story_merges": len(clusterer.story_merges),
        "peak_rss_mb": round(peak_rss),
        "rss_before_clustering_mb": round(rss_before),
        "bcubed_f1_against_synthetic_events": _bcubed(predicted, truth)["bcubed_f1"],
        "state_mb": round(len(state) / 1e6, 1),  # what the store keeps between runs
        "state_save_seconds": round(loading - saving, 2),
        "state_load_seconds": round(loaded - loading, 2),
        **_next_run(clusterer, count),
    }


def _next_run(clusterer: OnlineClusterer, count: int) -> dict:
    """The clusterer kept in a store, then a run of NEXT_RUN more articles going on from it."""
    store = Store()
    started = time.perf_counter()
    with store.connection:
        clustering.save(store.connection, clusterer, afresh=True)
        store.save_clusterer_state("bench", event_state.dump(clusterer), within_transaction=True)
    kept = time.perf_counter()
    going_on = event_state.load(store.clusterer_state("bench"), clustering.StoredMemory(store.connection))
    articles = _following(count)
    going_on.recall(articles)
    for article in articles:
        going_on.add(article)
    placed = time.perf_counter()
    with store.connection:
        clustering.save(store.connection, going_on, afresh=False)
        store.save_clusterer_state("bench", event_state.dump(going_on), within_transaction=True)
    saved = time.perf_counter()
    rows = {table: store.connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in clustering.TABLES}
    return {
        "first_keep_seconds": round(kept - started, 2),
        "table_rows": rows,
        "next_run_articles": NEXT_RUN,
        "next_run_seconds": round(saved - kept, 2),
        "next_run_save_seconds": round(saved - placed, 2),
    }


def _following(count: int) -> list[ArticleSignals]:
    """NEXT_RUN articles of other events on the days after the stream's ``count`` articles."""
    articles, _ = stream(NEXT_RUN, seed=6)
    shift = count // PER_DAY + 1
    return [dataclasses.replace(a, article_id=f"n{a.article_id}", dates=(a.dates[0] + shift, a.dates[1] + shift)) for a in articles]


def main() -> None:
    run(__file__, __doc__.splitlines()[0], measure)


if __name__ == "__main__":
    main()
