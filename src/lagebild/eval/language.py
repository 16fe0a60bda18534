"""Language identification against the language labels of SemEval-2022 Task 8 (CSV).

Every distinct text of the file (both sides of each pair) is one item; its gold label is the
pair's lang1/lang2 column. Metrics: accuracy overall and per language.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

from lagebild.nlp.language import identify


def evaluate(path: Path) -> dict:
    csv.field_size_limit(sys.maxsize)
    texts: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for side in ("1", "2"):
                text = row.get(f"text{side}") or ""
                if text.strip():
                    texts.setdefault(text, row[f"lang{side}"])
    correct: Counter = Counter()
    total: Counter = Counter()
    confusions: Counter = Counter()
    for text, gold in texts.items():
        guess = identify(text)
        total[gold] += 1
        if guess == gold:
            correct[gold] += 1
        else:
            confusions[f"{gold}->{guess}"] += 1
    metrics = {"accuracy": round(sum(correct.values()) / max(1, sum(total.values())), 4)}
    metrics |= {f"accuracy_{code}": round(correct[code] / total[code], 4) for code in sorted(total)}
    return {"task": "language", "corpus": str(path), "texts": sum(total.values()), "per_language": dict(total), "metrics": metrics, "confusions": dict(confusions.most_common(10))}
