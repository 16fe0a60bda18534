"""Event clustering speed on a long stream: articles per second and memory as the stream grows.

A synthetic stream of N articles over N/500 days (500 a day): each belongs to an event (two to
twelve articles over up to two days) that has its own entities and words, on top of background
text from the word-bigram Markov chain of bench/reuse_bench.py and a few common entities. Signals
(stemmed words, entity ids) are built before the clock starts; the timed part is
OnlineClusterer.add for every article. Usage:

    .venv/bin/python bench/events_bench.py --growth 10000 30000 100000

Prints JSON per size: seconds, articles per second, active events at the end, peak RSS, and
BCubed F1 against the synthetic events (a sanity check, not an evaluation), and the size of the
clusterer state the store keeps between runs with the seconds to save and load it.
"""

from __future__ import annotations

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

PER_DAY = 500


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
    }


def main() -> None:
    run(__file__, __doc__.splitlines()[0], measure)


if __name__ == "__main__":
    main()
