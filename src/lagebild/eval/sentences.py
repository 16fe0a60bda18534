"""Sentence splitting against the gold sentences of German Wikinews (wikinews_quotes_de JSONL).

A boundary is the end offset of a sentence inside a document (whitespace trimmed; the document's
own end does not count, since every splitter finds it). Metrics: boundary precision, recall, F1,
and the share of gold sentences reproduced exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

from lagebild.eval import prf
from lagebild.nlp.sentences import split_text


def evaluate(path: Path) -> dict:
    true_positive = predicted_total = gold_total = exact = gold_sentences = documents = colon_boundaries = 0
    examples: list[dict] = []
    for line in path.open(encoding="utf-8"):
        document = json.loads(line)
        text = document["originalText"]
        gold = {_trimmed(text, s["charBegin"], s["charEnd"]) for s in document["sentences"]}
        gold.discard(None)
        predicted = {(span.start, span.end) for span in split_text(text, "de")}
        last = len(text.rstrip())
        gold_ends = {end for _, end in gold if end < last}
        predicted_ends = {end for _, end in predicted if end < last}
        true_positive += len(gold_ends & predicted_ends)
        predicted_total += len(predicted_ends)
        gold_total += len(gold_ends)
        colon_boundaries += len({end for end in gold_ends - predicted_ends if text[end - 1] == ":"})
        exact += len(gold & predicted)
        gold_sentences += len(gold)
        documents += 1
        if len(examples) < 10:
            examples.extend(_mistakes(text, gold_ends, predicted_ends, 10 - len(examples)))
    metrics = prf(true_positive, predicted_total, gold_total)
    metrics["exact_sentence_share"] = round(exact / gold_sentences, 4) if gold_sentences else 0.0
    # The gold splits before a direct quote introduced by a colon; lagebild keeps "Er sagte: „…“" whole.
    metrics["recall_without_colon_boundaries"] = round(
        true_positive / (gold_total - colon_boundaries), 4
    ) if gold_total > colon_boundaries else 0.0
    return {"task": "sentences", "corpus": str(path), "documents": documents, "gold_sentences": gold_sentences, "metrics": metrics, "examples": examples}


def _trimmed(text: str, start: int, end: int):
    segment = text[start:end]
    if not segment.strip():
        return None
    start += len(segment) - len(segment.lstrip())
    end -= len(segment) - len(segment.rstrip())
    return start, end


def _mistakes(text: str, gold: set[int], predicted: set[int], limit: int) -> list[dict]:
    found = [{"kind": "missed", "at": text[max(0, end - 40) : end + 25]} for end in sorted(gold - predicted)]
    found += [{"kind": "spurious", "at": text[max(0, end - 40) : end + 25]} for end in sorted(predicted - gold)]
    return found[:limit]
