"""Evaluations against public corpora in their native formats.

Each task is a function ``evaluate(path) -> dict`` returning ``{"metrics": {...}, ...}``;
``lagebild eval TASK PATH`` prints that object as JSON. Shared scoring helpers live here.
"""

from __future__ import annotations


def prf(true_positives: int, predicted: int, gold: int) -> dict[str, float]:
    """Precision, recall and F1 from counts, rounded for reporting."""
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
