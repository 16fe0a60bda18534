"""Numeric claims against a hand-annotated set of German Wikinews articles.

The labels (``claims_wikinews_de.tsv`` beside this file; guideline in
docs/claims-annotation.md) hold, per annotated article of ``wikinews_quotes_de/train.jsonl``
(numbered by its line), the character span of each claim's number and its value (or interval for
"Tausende" and ranges), qualifier and counted thing; no corpus text. A hash of each article's
text checks that the corpus file is the one annotated.

Two splits: ``tune`` (read while the extractor's rules were written) and ``heldout`` (labelled
before the extractor ever ran on those articles, never used to change it); ``splits`` reports
each, ``metrics`` both together.

A predicted claim matches the gold claim whose number span it overlaps (one to one). Scores:
- ``precision`` / ``recall``: claims with the right value (or interval) and qualifier, among the
  predicted claims / among the gold claims of the annotated articles;
- ``detection_precision`` / ``detection_recall``: the same for matching spans only;
- ``unit_accuracy``: among gold claims found with the right value and qualifier, those whose
  counted thing is right (a compound's head or an inflected form counts: "Abbildung" for
  "Schwarz/Weiß-Abbildung", "Passagiere" for "Passagier"; "-" means none is named).
- ``role_accuracy``: what the number is of (the injured, those aboard, a revenue), for the 100
  claims of ``claims_roles_wikinews_de.tsv`` (50 drawn among those given a role, 50 among those
  given none; ``roles`` reports each sample).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lagebild import lang
from lagebild.eval import prf
from lagebild.extract.claims import find_claims
from lagebild.extract.times import find_times
from lagebild.ingest.article import build_article
from lagebild.model import Claim, RawDocument
from lagebild.nlp.sentences import split_article

LABELS = "claims_wikinews_de.tsv"
ROLE_LABELS = "claims_roles_wikinews_de.tsv"
ERRORS_SHOWN = 40  # a sample of the errors, for reading


@dataclass(frozen=True)
class GoldClaim:
    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    unit: str | None


def evaluate(path: Path) -> dict:
    documents = [json.loads(line) for line in path.open(encoding="utf-8")]
    labels = _labels()
    counts: dict[str, dict[str, int]] = {}
    errors: list[dict] = []
    for number, (digest, split, gold) in sorted(labels.items()):
        text = documents[number]["originalText"]
        if hashlib.sha1(text.encode("utf-8")).hexdigest()[:12] != digest:
            raise ValueError(f"article {number} of {path} is not the annotated one (hash differs)")
        _score(number, text, gold, counts.setdefault(split, dict.fromkeys(COUNTS, 0)), errors)
    total = {key: sum(split[key] for split in counts.values()) for key in COUNTS}
    roles = _role_scores(documents)
    return {
        "task": "claims",
        "corpus": str(path),
        "articles": len(labels),
        "gold_claims": total["gold"],
        "predicted_claims": total["predicted"],
        "metrics": {**_metrics(total), "role_accuracy": roles["all"]},
        "roles": roles,
        "splits": {split: {"gold_claims": c["gold"], **_metrics(c)} for split, c in sorted(counts.items())},
        "errors": errors[:ERRORS_SHOWN],
    }


COUNTS = ("right", "predicted", "gold", "found", "detected", "unit_right")


def _metrics(counts: dict[str, int]) -> dict[str, float]:
    right = prf(counts["right"], counts["predicted"], counts["gold"])
    detected = prf(counts["detected"], counts["predicted"], counts["gold"])
    return {
        "precision": right["precision"],
        "recall": right["recall"],
        "f1": right["f1"],
        "unit_accuracy": round(counts["unit_right"] / counts["found"], 4) if counts["found"] else 0.0,
        "detection_precision": detected["precision"],
        "detection_recall": detected["recall"],
    }


def _labels() -> dict[int, tuple[str, str, list[GoldClaim]]]:
    text = resources.files("lagebild.eval").joinpath(LABELS).read_text(encoding="utf-8")
    labels: dict[int, tuple[str, str, list[GoldClaim]]] = {}
    for row in csv.DictReader(text.splitlines(), delimiter="\t"):
        _, _, claims = labels.setdefault(int(row["doc"]), (row["sha1"], row["split"], []))
        if row["start"]:
            claims.append(GoldClaim(int(row["start"]), int(row["end"]), _number(row["value"]), _number(row["low"]), _number(row["high"]),
                                    row["qualifier"], None if row["unit"] == "-" else row["unit"]))
    return labels


def _role_scores(documents: list[dict]) -> dict[str, float]:
    """Share of the hand-judged claims whose predicted role is right, per sample and in all."""
    text = resources.files("lagebild.eval").joinpath(ROLE_LABELS).read_text(encoding="utf-8")
    judged: dict[str, list[bool]] = {}
    predicted: dict[int, tuple[list[Claim], int]] = {}
    for row in csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t"):
        number = int(row["doc"])
        article = documents[number]["originalText"]
        if hashlib.sha1(article.encode("utf-8")).hexdigest()[:12] != row["sha1"]:
            raise ValueError(f"article {number} is not the one judged (hash differs)")
        claims, offset = predicted.setdefault(number, _predict(article))
        start, end = int(row["start"]), int(row["end"])
        found = next((c for c in claims if c.start + offset < end and start < c.end + offset), None)
        right = found is not None and (found.role or "-") == row["role"]
        judged.setdefault(row["sample"], []).append(right)
    scores = {sample: round(sum(rights) / len(rights), 4) for sample, rights in sorted(judged.items())}
    everything = [right for rights in judged.values() for right in rights]
    return {**scores, "all": round(sum(everything) / len(everything), 4) if everything else 0.0}


def _number(field: str) -> float | None:
    return float(field) if field else None


def _predict(text: str) -> tuple[list[Claim], int]:
    article = build_article(RawDocument(path="", text=text, source_format="jsonl", date="2005", language="de"))
    sentences = split_article(article)
    times = find_times(article.text, sentences, article.date, "de")
    return find_claims("eval", article.text, sentences, times, "de"), article.body_offset


def _score(number: int, text: str, gold: list[GoldClaim], counts: dict, errors: list[dict]) -> None:
    predicted, offset = _predict(text)
    counts["predicted"] += len(predicted)
    counts["gold"] += len(gold)
    unmatched = list(gold)
    for claim in predicted:
        start, end = claim.start + offset, claim.end + offset
        match = next((g for g in unmatched if start < g.end and g.start < end), None)
        if match is None:
            errors.append({"article": number, "kind": "spurious", "text": claim.text})
            continue
        unmatched.remove(match)
        counts["detected"] += 1
        if not _same_amount(claim, match):
            errors.append({"article": number, "kind": "amount", "text": claim.text, "got": [claim.value, claim.low, _finite(claim.high), claim.qualifier],
                           "gold": [match.value, match.low, match.high, match.qualifier]})
            continue
        counts["right"] += 1
        counts["found"] += 1
        if _same_unit(claim.unit, _canonical(match.unit)):
            counts["unit_right"] += 1
        else:
            errors.append({"article": number, "kind": "unit", "text": claim.text, "got": claim.unit, "gold": match.unit})
    errors.extend({"article": number, "kind": "missed", "span": [g.start, g.end], "text": text[g.start : g.end]} for g in unmatched)


def _same_amount(claim: Claim, gold: GoldClaim) -> bool:
    if claim.qualifier != gold.qualifier:
        return False
    if gold.value is not None:
        return claim.value is not None and math.isclose(claim.value, gold.value, rel_tol=1e-9)
    return claim.value is None and _close(claim.low, gold.low) and _close(_finite(claim.high), gold.high)


def _close(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9))


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isinf(value) else value


def _canonical(unit: str | None) -> str | None:
    """The annotated noun under the extractor's synonym map (Todesopfer and Toter are one thing)."""
    return None if unit is None else lang.settings("de", "claims")["synonyms"].get(unit, unit)


def _same_unit(predicted: str | None, gold: str | None) -> bool:
    if predicted is None or gold is None:
        return predicted is gold
    a, b = predicted.lower(), gold.lower()
    if a == b or a.endswith(b) or b.endswith(a):
        return True
    common = len(next((a[:i] for i in range(min(len(a), len(b)), 0, -1) if a[:i] == b[:i]), ""))
    return common >= 5 and abs(len(a) - len(b)) <= 3 and common >= min(len(a), len(b)) - 3  # inflection: Passagiere, Toten
