"""A fast harness for the same-event gold (issue 28): clusters the gold windows' kept signals in
process, so that a change of the event clustering is measured in seconds, not minutes.

1. Build a store per language once: ``lagebild eval events-gold ../shared/data/realnews_de --db
   de.db`` (and realnews_en).
2. ``python bench/events_gold_harness.py capture de.db de.pkl``: relinks the store once and keeps
   what the clustering is given (documents, entity ids, wire-copy links, times) in a pickle, with
   each article's claims and its completed names' offsets (for ``events_gold_leads.py``). The
   lexical path; ``--embeddings`` links with article vectors (the default path) and keeps them.
3. ``python bench/events_gold_harness.py score de.pkl en.pkl [--set NAME=VALUE ...]``: clusters
   the kept signals with the code as it is now (module constants of ``lagebild.link.events``
   overridden by ``--set``) and prints same-event precision / recall per language and split.
   ``--pairs`` lists the gold pairs the clustering gets wrong (read train pairs only: dev is for
   measuring).

The harness clusters every window's articles in one run, as the command does; the scores match
``eval events-gold`` on the same stores (the picture is linked from the same inputs).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

from lagebild import pipeline
from lagebild.eval import events_gold, prf
from lagebild.link import events
from lagebild.model import AnalysisOptions
from lagebild.progress import Tracker
from lagebild.store import Store


def capture(db: Path, out: Path, embeddings: bool = False) -> None:
    """Relink ``db`` from scratch once and keep what the clustering was given."""
    kept: list[dict] = []
    original = pipeline._clustered
    original_complete = pipeline.complete_names
    completed: list[dict] = []  # the names completed before clustering: entity_ids follow their order

    def complete_names(*arguments, **options):
        completed.append(original_complete(*arguments, **options))
        return completed[-1]

    def clustered(found, entity_ids, links, vectors, restored, note, key, last_date, outlets=None):
        kept.append(
            {
                "documents": [f.document for f in found],
                "times": {f.article.id: f.times for f in found},
                "mentions": {f.article.id: f.mentions for f in found},
                "claims": {f.article.id: f.claims for f in found},
                "entity_starts": {article_id: [m.start for m in found] for article_id, found in completed[-1].items()},
                "entity_ids": entity_ids,
                "links": links,
                "last_date": last_date,
                "outlets": outlets or {},
                "named": {f.article.id: events.days_named(f.times) for f in found if not f.article.date},
                "vectors": vectors,
            }
        )
        return original(found, entity_ids, links, vectors, restored, note, key, last_date, outlets)

    pipeline._clustered = clustered
    pipeline.complete_names = complete_names
    version = f"harness-{time.time()}"  # another version (one for the whole run): relink everything
    pipeline.link_version = lambda: version
    store = Store(db)
    try:
        pipeline.catch_up(store, Tracker(None), AnalysisOptions(embeddings=embeddings), 1)
        urls = dict(store.connection.execute("SELECT id, url FROM articles").fetchall())
    finally:
        store.close()
    if len(kept) != 1:
        sys.exit(f"expected one linking batch, got {len(kept)}")
    out.write_bytes(pickle.dumps({**kept[0], "urls": urls}))


def cluster_kept(kept: dict) -> events.OnlineClusterer:
    happening = {article.id: events.happening_day(article, sentences, kept["times"][article.id]) for article, sentences in kept["documents"]}
    return events.cluster(kept["documents"], kept["entity_ids"], kept["links"], kept.get("vectors"), None, kept["last_date"], kept["named"], kept.get("outlets"), happening)


def judged(kept: dict, clusterer: events.OnlineClusterer, gold: events_gold.Gold) -> list[tuple[events_gold.Pair, str]]:
    event_of = {kept["urls"][article_id]: clusterer.event_of[article_id] for article_id in kept["urls"] if article_id in clusterer.event_of}
    story_of = {url: clusterer.story_of.get(event) for url, event in event_of.items()}
    placed = {url: (event_of[url], story_of[url]) for url in event_of}
    return [(pair, events_gold.predicted_relation(placed[pair.url_a], placed[pair.url_b])) for pair in gold.pairs if pair.url_a in placed and pair.url_b in placed]


def _line(name: str, found: list) -> str:
    items = [(p.label == "same_event", relation == "same_event") for p, relation in found]
    tp = sum(g and p for g, p in items)
    fp = sum(p and not g for g, p in items)
    fn = sum(g and not p for g, p in items)
    scores = prf(tp, tp + fp, tp + fn)
    return f"{name:10s} P {scores['precision']:.3f} R {scores['recall']:.3f} F1 {scores['f1']:.3f}  (tp {tp} fp {fp} fn {fn})"


def _set(assignments: list[str]) -> None:
    for assignment in assignments:
        name, value = assignment.split("=", 1)
        setattr(events, name, eval(value, {}, {}))  # bench only: numbers and tuples from the command line


def score(paths: list[Path], assignments: list[str], show_pairs: bool) -> None:
    _set(assignments)
    gold = events_gold.read_gold()
    found: list = []
    sizes: Counter = Counter()
    started = time.perf_counter()
    for path in paths:
        kept = pickle.loads(path.read_bytes())
        clusterer = cluster_kept(kept)
        found += judged(kept, clusterer, gold)
        sizes.update(Counter(clusterer.event_of[a] for a in kept["urls"] if a in clusterer.event_of).values())
        if show_pairs:
            _show(kept, clusterer, judged(kept, clusterer, gold))
    for name, selector in (
        ("de/train", lambda p: p.language == "de" and p.split == "train"),
        ("de/dev", lambda p: p.language == "de" and p.split == "dev"),
        ("en/train", lambda p: p.language == "en" and p.split == "train"),
        ("en/dev", lambda p: p.language == "en" and p.split == "dev"),
        ("train", lambda p: p.split == "train"),
        ("dev", lambda p: p.split == "dev"),
        ("all", lambda p: True),
    ):
        print(_line(name, [(p, r) for p, r in found if selector(p)]))
    largest = sorted(sizes.elements(), reverse=True)[:5]
    events_of_size = sorted(((size, count) for size, count in sizes.items()), reverse=True)[:5]
    print(f"events {sum(sizes.values())}, largest sizes {[s for s, _ in events_of_size]} ({largest[:1]}), {time.perf_counter() - started:.1f} s")


def _show(kept: dict, clusterer: events.OnlineClusterer, found: list) -> None:
    titles = {kept["urls"][article.id]: (article.date, article.title) for article, _ in kept["documents"]}
    for pair, relation in found:
        if pair.split != "train" or (pair.label == "same_event") == (relation == "same_event"):
            continue
        kind = "FP" if relation == "same_event" else "FN"
        print(f"{kind} {pair.language} gold={pair.label} note={pair.note}")
        for url in (pair.url_a, pair.url_b):
            print(f"    {titles[url][0]} {titles[url][1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    grab = commands.add_parser("capture")
    grab.add_argument("db", type=Path)
    grab.add_argument("out", type=Path)
    grab.add_argument("--embeddings", action="store_true", help="link with article vectors (the default path) and keep them")
    run = commands.add_parser("score")
    run.add_argument("kept", type=Path, nargs="+")
    run.add_argument("--set", action="append", default=[], help="NAME=VALUE: a constant of lagebild.link.events")
    run.add_argument("--pairs", action="store_true", help="list the train pairs judged wrong")
    arguments = parser.parse_args()
    if arguments.command == "capture":
        capture(arguments.db, arguments.out, arguments.embeddings)
    else:
        score(arguments.kept, arguments.set, arguments.pairs)


if __name__ == "__main__":
    main()
