"""Report records for claims; the source of a claim is the relay or speaker of a quotation
that contains it ("laut Quellen aus Seoul starben etwa 600 ...")."""

from __future__ import annotations

import math
from collections import defaultdict

from lagebild.model import Claim


def claim_records(claims: list[Claim], quotes: list[dict]) -> list[dict]:
    quotes_of: dict[str, list[dict]] = defaultdict(list)
    for quote in quotes:
        if quote["via"] or quote["speaker"]:
            quotes_of[quote["article_id"]].append(quote)
    return [_record(claim, quotes_of[claim.article_id]) for claim in claims]


def _record(claim: Claim, quotes: list[dict]) -> dict:
    """``quotes``: the attributed quotations of the claim's article."""
    source = next((q["via"] or q["speaker"] for q in quotes if q["start"] <= claim.start < q["end"]), None)
    return {
        "id": claim.id,
        "article_id": claim.article_id,
        "start": claim.start,
        "end": claim.end,
        "text": claim.text,
        "value": claim.value,
        "low": claim.low,
        "high": None if math.isinf(claim.high) else claim.high,
        "qualifier": claim.qualifier,
        "unit": claim.unit,
        "role": claim.role,
        "modality": claim.modality,
        "increment": claim.increment,
        "via": source,
        "sentence": claim.sentence,
    }
