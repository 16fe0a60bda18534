"""Quotations against German Wikinews (wikinews_quotes_de JSONL, Petersen-Frey & Biemann 2024).

Token-level scoring on the corpus' own tokens, as its published evaluation does:
- ``quote_f1`` (overlap): quote tokens found among gold quote tokens, per document (a direct
  quotation's marks count as part of it, as in the gold; lagebild's spans hold the content only);
- ``quote_exact_f1``: quotes whose token set equals a gold quote's;
- ``speaker_f1``: speaker tokens of predicted quotes against the speaker tokens of gold quotes;
- ``direct_quote_f1`` / ``indirect_quote_f1``: the overlap score restricted to gold Direct quotes
  and to all other types (Indirect, Reported, FreeIndirect, IndirectFreeIndirect), predictions
  split the same way by lagebild's ``direct`` flag.
"""

from __future__ import annotations

import json
from pathlib import Path

from lagebild.eval import prf
from lagebild.extract.entities import find_mentions
from lagebild.extract.quotes import find_quotes
from lagebild.ingest.article import build_article
from lagebild.model import RawDocument
from lagebild.nlp.sentences import split_article


def evaluate(path: Path) -> dict:
    totals = {name: [0, 0, 0] for name in ("quote", "exact", "speaker", "direct", "indirect")}
    documents = 0
    for line in path.open(encoding="utf-8"):
        document = json.loads(line)
        _score_document(document, totals)
        documents += 1
    metrics = {}
    for name, key in (("quote", "quote_f1"), ("exact", "quote_exact_f1"), ("speaker", "speaker_f1"), ("direct", "direct_quote_f1"), ("indirect", "indirect_quote_f1")):
        scores = prf(*totals[name])
        metrics[key] = scores["f1"]
        if name in ("quote", "speaker"):
            metrics[f"{name}_precision"], metrics[f"{name}_recall"] = scores["precision"], scores["recall"]
    return {"task": "quotes", "corpus": str(path), "documents": documents, "metrics": metrics}


def _score_document(document: dict, totals: dict) -> None:
    text = document["originalText"]
    token_at = _token_index(document["tokens"])
    article = build_article(RawDocument(path="", text=text, source_format="jsonl", date="2000", language="de"))
    sentences = split_article(article)
    quotes = find_quotes(article, sentences, find_mentions(article, sentences))
    offset = article.body_offset
    predicted = [(token_at(*_with_marks(article.text, q, offset)), q) for q in quotes]
    gold = [(set(a["quote"]["tokenIds"]), a) for a in document["annotations"] if a["quote"]["tokenIds"]]
    _add(totals["quote"], set().union(*[p for p, _ in predicted]), set().union(*[g for g, _ in gold]))
    _add(totals["direct"], set().union(*[p for p, q in predicted if q.direct]), set().union(*[g for g, a in gold if a["type"] == "Direct"]))
    _add(totals["indirect"], set().union(*[p for p, q in predicted if not q.direct]), set().union(*[g for g, a in gold if a["type"] != "Direct"]))
    exact = {frozenset(g) for g, _ in gold}
    totals["exact"][0] += sum(1 for p, _ in predicted if frozenset(p) in exact)
    totals["exact"][1] += len(predicted)
    totals["exact"][2] += len(exact)
    predicted_speakers = set().union(*[token_at(q.speaker_start + offset, q.speaker_end + offset) for q in quotes if q.speaker_start is not None])
    _add(totals["speaker"], predicted_speakers, set().union(*[set(a["speaker"]["tokenIds"]) for _, a in gold]))


def _with_marks(text: str, quote, offset: int) -> tuple[int, int]:
    """The quotation's span in the corpus text, with the quotation marks around a direct one: the
    gold spans include them, lagebild's content spans do not."""
    start, end = quote.start, quote.end
    if quote.direct and start > 0 and text[start - 1] in _MARKS and end < len(text) and text[end] in _MARKS:
        start, end = start - 1, end + 1
    return start + offset, end + offset


_MARKS = set("„“”»«\"‚‘’‹›'")


def _token_index(tokens: list[dict]):
    def covered(start: int, end: int) -> set[int]:
        return {t["id"] for t in tokens if t["charBegin"] < end and t["charEnd"] > start}
    return covered


def _add(total: list[int], predicted: set[int], gold: set[int]) -> None:
    total[0] += len(predicted & gold)
    total[1] += len(predicted)
    total[2] += len(gold)
