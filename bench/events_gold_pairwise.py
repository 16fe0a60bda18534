"""Whether the same-event gold's pairs could be told apart better by learning how to weigh the
signals the clustering already has (issue 28): a logistic regression over each gold pair's
signals, in grouped cross-validation, against the clustering's own pair score alone, both read as
same-event precision at recall 0.70 (the issue's operating point), pairwise.

The signals of a pair are those of ``link.events.similarity`` between the two articles as the
clustering read them (the window's document frequencies after clustering it), beside the date
gap, whether one outlet wrote both, how much their titles share, and whether their leads name
days more than a day apart. Folds keep pairs that share an article together (five folds by a
hash of the group). Uses the pickles of ``events_gold_harness.py capture``:

    .venv/bin/python bench/events_gold_pairwise.py de.pkl en.pkl
"""

from __future__ import annotations

import hashlib
import pickle
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from events_gold_harness import cluster_kept  # noqa: E402

from lagebild.eval import events_gold  # noqa: E402
from lagebild.groups import Groups  # noqa: E402
from lagebild.link import events  # noqa: E402

SIGNALS = ("score", "words", "entities", "lexical", "copy_bonus", "embedding_cosine", "meaning_cosine", "date_gap", "same_outlet", "title_overlap", "lead_days_apart")
RECALL = 0.70
FOLDS = 5


def pair_signals(paths: list[Path]) -> tuple[list[events_gold.Pair], np.ndarray]:
    gold = events_gold.read_gold()
    pairs, rows = [], []
    for path in paths:
        kept = pickle.loads(path.read_bytes())
        clusterer = cluster_kept(kept)
        happening = {article.id: events.happening_day(article, sentences, kept["times"][article.id]) for article, sentences in kept["documents"]}
        read = events._signals_of(kept["documents"], kept["entity_ids"], kept["links"], kept.get("vectors"), kept["named"], kept.get("outlets"), happening)
        by_url = {kept["urls"][signals.article_id]: signals for signals in read}
        articles = {kept["urls"][article.id]: article for article, _ in kept["documents"]}
        for pair in gold.pairs:
            if pair.url_a in by_url and pair.url_b in by_url:
                pairs.append(pair)
                rows.append(_row(by_url[pair.url_a], by_url[pair.url_b], articles[pair.url_a], articles[pair.url_b], clusterer, happening))
    return pairs, np.array(rows, dtype=float)


def _row(a, b, article_a, article_b, clusterer, happening) -> list[float]:
    evidence = events.similarity(a, b, clusterer.frequencies)
    gap = evidence["date_gap_days"]
    day_a, day_b = happening.get(a.article_id), happening.get(b.article_id)
    return [
        evidence["similarity"], evidence["words"], evidence["entities"], evidence["lexical"], evidence["copy_bonus"],
        evidence["embedding_cosine"] or 0.0, evidence["meaning_cosine"] or 0.0, 1.0 if gap is None else min(gap, 5) / 5,
        float(article_a.outlet == article_b.outlet), _overlap(article_a.title, article_b.title),
        float(day_a is not None and day_b is not None and abs(day_a - day_b) > 1),
    ]


def _overlap(first: str | None, second: str | None) -> float:
    words = [{word.lower() for word in re.findall(r"\w{4,}", title or "")} for title in (first, second)]
    return len(words[0] & words[1]) / max(1, len(words[0] | words[1]))


def folds_of(pairs: list[events_gold.Pair]) -> np.ndarray:
    groups = Groups()
    for pair in pairs:
        groups.join(pair.url_a, pair.url_b)
    return np.array([int(hashlib.sha256(groups.root(pair.url_a).encode()).hexdigest(), 16) % FOLDS for pair in pairs])


def precision_at_recall(scores: np.ndarray, gold: np.ndarray, recall: float = RECALL) -> float:
    hits = np.cumsum(gold[np.argsort(-scores, kind="stable")])
    needed = int(np.searchsorted(hits, recall * gold.sum()))
    return float(hits[needed] / (needed + 1))


def fitted(rows: np.ndarray, gold: np.ndarray, l2: float, steps: int = 3000, rate: float = 0.5):
    """A logistic regression on standardised signals (gradient descent, L2): its scoring function."""
    mean, spread = rows.mean(axis=0), rows.std(axis=0) + 1e-9
    standard = (rows - mean) / spread
    weights, bias = np.zeros(rows.shape[1]), 0.0
    for _ in range(steps):
        error = 1 / (1 + np.exp(-(standard @ weights + bias))) - gold
        weights -= rate * (standard.T @ error + l2 * weights) / len(gold)
        bias -= rate * error.mean()
    return lambda new: (new - mean) / spread @ weights + bias


def held_out(rows: np.ndarray, gold: np.ndarray, folds: np.ndarray, l2: float) -> np.ndarray:
    scores = np.zeros(len(gold))
    for fold in range(FOLDS):
        training = folds != fold
        scores[~training] = fitted(rows[training], gold[training], l2)(rows[~training])
    return scores


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__.strip().splitlines()[-1].strip())
    pairs, rows = pair_signals([Path(argument) for argument in sys.argv[1:]])
    gold = np.array([pair.label == "same_event" for pair in pairs], dtype=float)
    folds = folds_of(pairs)
    print(f"{len(pairs)} gold pairs, {int(gold.sum())} of one happening; precision at recall {RECALL}:")
    print(f"  the clustering's pair score alone: {precision_at_recall(rows[:, 0], gold):.3f}")
    chosen = {"score and title overlap": [0, 9], "score, title overlap, lead days apart": [0, 9, 10], "all signals": list(range(len(SIGNALS)))}
    for name, columns in chosen.items():
        for l2 in (1.0, 10.0):
            print(f"  learnt from {name} (L2 {l2:g}), held out: {precision_at_recall(held_out(rows[:, columns], gold, folds, l2), gold):.3f}")


if __name__ == "__main__":
    main()
