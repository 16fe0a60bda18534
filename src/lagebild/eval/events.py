"""Event evaluations.

``pairs``: SemEval-2022 Task 8 (training_set.csv): lagebild's same-event similarity of each
original pair (pair ids "n_m") against the human Overall score (1 = very similar, 4 = very
dissimilar), as Pearson correlation per language pair, signed so that higher similarity for more
similar pairs is positive. The texts are articles' heads and tails as the corpus gives them.

With ``folds``, the two constants fitted on these pairs (the floor of the dense cosine and its
weight against words and entities) are chosen again in grouped cross-validation: the pairs fall
into groups that share no article, the groups into folds; each fold is scored with the constants
that do best on the other folds (the mean Pearson of de-de, de-en and en-en over a grid), and the
held-out scores of all folds are pooled, beside the scores the chosen constants reach on the
folds they were chosen on.

``clusters``: the UCI News Aggregator headlines in timestamp order through the online clusterer;
BCubed precision, recall and F1 against the gold STORY ids.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from hashlib import blake2b
from pathlib import Path

from lagebild.extract.entities import find_mentions, iter_mentions
from lagebild.groups import Groups
from lagebild.ingest.article import build_article
from lagebild.link.entities import merge_mentions
from lagebild.link.events import OnlineClusterer, _DocumentFrequencies, event_text, signals, similarity
from lagebild.model import RawDocument
from lagebild.nlp.embeddings import article_vectors
from lagebild.nlp.sentences import split_article


def evaluate_pairs(path: Path, embeddings: bool = False, folds: int = 0) -> dict:
    csv.field_size_limit(sys.maxsize)
    rows = [row for row in csv.DictReader(path.open(encoding="utf-8", newline="")) if _original(row["pair_id"])]
    documents = {}
    for row in rows:
        for side in ("1", "2"):
            text = row[f"text{side}"]
            if text not in documents:
                article = build_article(RawDocument(path="", text=text or "(leer)", source_format="json", language=row[f"lang{side}"]))
                documents[text] = (article, split_article(article))
    entities = merge_mentions([m for found in iter_mentions(documents.values()) for m in found])
    entity_ids = defaultdict(list)
    for entity in entities:
        for mention in entity.mentions:
            entity_ids[mention.article_id].append(entity.id)
    frequencies = _DocumentFrequencies()
    vectors = article_vectors([event_text(a, s) for a, s in documents.values()]) if embeddings else [None] * len(documents)
    prepared = {text: signals(a, s, entity_ids[a.id], set(), vector) for (text, (a, s)), vector in zip(documents.items(), vectors)}
    for article_signals in prepared.values():
        frequencies.add(article_signals.words + article_signals.entities)
    scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    parts = []
    for row in rows:
        a, b = prepared[row["text1"]], prepared[row["text2"]]
        a.dates = b.dates = None  # the corpus gives no dates
        evidence = similarity(a, b, frequencies)
        language = "_".join(sorted((row["lang1"], row["lang2"])))
        scores[language].append((evidence["similarity"], -float(row["Overall"])))
        parts.append(PairEvidence(language, (row["text1"], row["text2"]), evidence, -float(row["Overall"])))
    metrics = {f"pearson_{pair}": round(_pearson(values), 4) for pair, values in sorted(scores.items()) if len(values) > 2}
    found = {"task": "pairs", "corpus": str(path), "embeddings": embeddings, "pairs": {k: len(v) for k, v in scores.items()}, "metrics": metrics}
    if folds:
        found["cross_validated"] = cross_validated(parts, folds)
    return found


@dataclass
class PairEvidence:
    language: str  # "de_en"
    texts: tuple[str, str]
    evidence: dict  # ``link.events.similarity``'s
    gold: float  # the negated Overall score: higher is more alike

    @property
    def cosine(self) -> float | None:
        """The dense cosine the score mixes in: article vectors', else the words' meaning."""
        return self.evidence["embedding_cosine"] if self.evidence["embedding_cosine"] is not None else self.evidence["meaning_cosine"]


CV_LANGUAGES = ("de_de", "de_en", "en_en")  # what the constants are chosen for: German first, English second
CV_FLOORS = [round(0.70 + 0.02 * step, 2) for step in range(11)]
CV_WEIGHTS = [round(0.20 + 0.05 * step, 2) for step in range(16)]


def cross_validated(parts: list[PairEvidence], folds: int) -> dict:
    """Held-out Pearson per language pair with the dense floor and weight chosen on the other
    folds (pooled over folds), and the same constants' Pearson on the folds that chose them."""
    fold_of = _grouped_folds(parts, folds)
    held_out: dict[str, list[tuple[float, float]]] = defaultdict(list)
    fitted: dict[str, list[float]] = defaultdict(list)
    chosen = []
    for fold in range(folds):
        training = [part for part, f in zip(parts, fold_of) if f != fold]
        floor, weight = max(((f, w) for f in CV_FLOORS for w in CV_WEIGHTS), key=lambda constants: _objective(training, *constants))
        chosen.append([floor, weight])
        for language, values in _scored(training, floor, weight).items():
            fitted[language].append(_pearson(values))
        for language, values in _scored([part for part, f in zip(parts, fold_of) if f == fold], floor, weight).items():
            held_out[language] += values
    return {
        "folds": folds, "groups_apart": "no article in two folds", "chosen_floor_weight": chosen,
        "held_out": {f"pearson_{language}": round(_pearson(values), 4) for language, values in sorted(held_out.items()) if len(values) > 2},
        "fitted": {f"pearson_{language}": round(sum(values) / len(values), 4) for language, values in sorted(fitted.items())},
    }


def _grouped_folds(parts: list[PairEvidence], folds: int) -> list[int]:
    """Each pair's fold: pairs joined by a shared text are one group, and a group's fold comes
    from a hash of its first text, so that the folds are the same on every run."""
    groups = Groups()
    for part in parts:
        groups.join(*part.texts)
    return [int(blake2b(groups.root(part.texts[0]).encode("utf-8"), digest_size=4).hexdigest(), 16) % folds for part in parts]


def _scored(parts: list[PairEvidence], floor: float, weight: float) -> dict[str, list[tuple[float, float]]]:
    """(score, gold) per language pair with these constants, as ``link.events`` mixes them."""
    found: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for part in parts:
        cosine, lexical = part.cosine, part.evidence["lexical"]
        mixed = lexical if cosine is None else weight * max(0.0, (cosine - floor) / (1 - floor)) + (1 - weight) * lexical
        found[part.language].append((min(1.0, mixed + part.evidence["copy_bonus"]), part.gold))
    return found


def _objective(parts: list[PairEvidence], floor: float, weight: float) -> float:
    scored = _scored(parts, floor, weight)
    return sum(_pearson(scored[language]) for language in CV_LANGUAGES if len(scored[language]) > 2) / len(CV_LANGUAGES)


def _original(pair_id: str) -> bool:
    parts = pair_id.split("_")
    return len(parts) == 2 and all(part.isdigit() for part in parts)


def _pearson(values: list[tuple[float, float]]) -> float:
    n = len(values)
    mean_x = sum(x for x, _ in values) / n
    mean_y = sum(y for _, y in values) / n
    cov = sum((x - mean_x) * (y - mean_y) for x, y in values)
    var_x = sum((x - mean_x) ** 2 for x, _ in values)
    var_y = sum((y - mean_y) ** 2 for _, y in values)
    return cov / (var_x * var_y) ** 0.5 if var_x and var_y else 0.0


def evaluate_clusters(path: Path, embeddings: bool = False) -> dict:
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    rows.sort(key=lambda row: (int(row["TIMESTAMP"]), int(row["ID"])))
    vectors = article_vectors([row["TITLE"] for row in rows]) if embeddings else [None] * len(rows)
    clusterer = OnlineClusterer()
    gold = {}
    for row, vector in zip(rows, vectors):
        day = datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, tz=timezone.utc).date().isoformat()
        article = build_article(RawDocument(path=row["ID"], text=row["TITLE"] + " " * 20 + ".", source_format="json", date=day, language="en"))
        article.id = row["ID"]
        sentences = split_article(article)
        mentions = find_mentions(article, sentences)
        clusterer.add(signals(article, sentences, [m.name.casefold() for m in mentions], set(), vector))
        gold[row["ID"]] = row["STORY"]
    predicted = {item: clusterer.event_of[item] for item in gold}  # after the merges of later articles
    metrics = _bcubed(predicted, gold)
    return {"task": "clusters", "corpus": str(path), "embeddings": embeddings, "headlines": len(rows), "gold_stories": len(set(gold.values())), "predicted_events": len(set(predicted.values())), "merges": len(clusterer.merges), "splits": len(clusterer.splits), "metrics": metrics}


def _bcubed(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    by_predicted, by_gold = defaultdict(set), defaultdict(set)
    for item in predicted:
        by_predicted[predicted[item]].add(item)
        by_gold[gold[item]].add(item)
    pair_counts = Counter((predicted[item], gold[item]) for item in predicted)
    precision = sum(pair_counts[(predicted[i], gold[i])] / len(by_predicted[predicted[i]]) for i in predicted) / len(predicted)
    recall = sum(pair_counts[(predicted[i], gold[i])] / len(by_gold[gold[i]]) for i in predicted) / len(predicted)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"bcubed_precision": round(precision, 4), "bcubed_recall": round(recall, 4), "bcubed_f1": round(f1, 4)}
