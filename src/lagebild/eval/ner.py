"""Named entities against GermEval 2014 in its official format (index, token, outer, inner).

Metric: the task's M1 on the outer level: an entity counts when its span and its label match
exactly, labels being the 12 of the task (PER, ORG, LOC, OTH, each also as -deriv and -part,
all kept distinct, as the official scorer does). Precision, recall and F1 are micro-averaged;
per-label F1 follows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from lagebild.eval import prf
from lagebild.extract.ner_model import spans, tag_sentences


def read_germeval(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    words: list[str] = []
    tags: list[str] = []
    for line in path.open(encoding="utf-8"):
        if line.startswith("#"):
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) >= 3 and parts[0].isdigit():
            words.append(parts[1])
            tags.append(parts[2])
        elif words:
            yield words, tags
            words, tags = [], []
    if words:
        yield words, tags


def evaluate(path: Path) -> dict:
    gold_total = predicted_total = correct = sentences = 0
    per_label: dict[str, Counter] = {}
    corpus = list(read_germeval(path))
    tagged = tag_sentences([words for words, _ in corpus])
    for (words, gold_tags), predicted_tags in zip(corpus, tagged):
        gold = set(spans(gold_tags))
        predicted = set(spans(predicted_tags))
        gold_total += len(gold)
        predicted_total += len(predicted)
        correct += len(gold & predicted)
        sentences += 1
        for kind in {s[2] for s in gold | predicted}:
            counts = per_label.setdefault(kind, Counter())
            counts["gold"] += sum(1 for s in gold if s[2] == kind)
            counts["predicted"] += sum(1 for s in predicted if s[2] == kind)
            counts["correct"] += sum(1 for s in gold & predicted if s[2] == kind)
    return {
        "task": "ner",
        "corpus": str(path),
        "sentences": sentences,
        "gold_entities": gold_total,
        "metrics": prf(correct, predicted_total, gold_total),
        "per_label_f1": {
            kind: prf(c["correct"], c["predicted"], c["gold"])["f1"] for kind, c in sorted(per_label.items())
        },
    }
