"""Reuse evaluation: derived "outlet versions" of German Wikinews articles with known provenance.

From a wikinews_quotes_de JSONL file, two thirds of the articles are sources and one third
supplies each version's own sentences (text that appears nowhere else in the set). Every source
gets VERSIONS outlet versions built with the edits outlets make to agency copy: sentences dropped,
own sentences inserted, neighbours swapped, paragraphs of a second source mixed in, up to 20 % of
the words of a copied sentence replaced, dropped or added (a stand-in for paraphrase), Swiss ß/ss,
other quotation marks and dashes. Each version sentence remembers the source sentence it came
from, so the gold pairs are all sentences in different documents with the same origin.

Scoring is on sentence pairs as lagebild splits the texts: a predicted alignment is correct when
both sentences descend from the same source sentence, or from two source sentences that are
themselves near-identical (Wikinews articles sometimes repeat a paragraph; that reuse is real and
is counted as found, never as gold to find). Sentences under MIN_WORDS words are left out of the
gold (lagebild never aligns them; the output says how many). ``false_article_pairs`` counts linked
documents that share no source text at all (neither gold pairs nor correctly found ones).
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Indel

from lagebild.eval import prf
from lagebild.ingest.article import build_article
from lagebild.link.reuse import MIN_WORDS, find_reuse, sentence_words
from lagebild.model import RawDocument
from lagebild.nlp.sentences import split_article

VERSIONS = 2
MAX_EDIT_RATE = 0.2
_FILLERS = ["bereits", "am Samstag", "nun", "demnach", "zudem", "offenbar", "laut Polizei", "erneut"]
_QUOTE_STYLES = [("„", "“"), ("»", "«"), ("«", "»"), ("\"", "\"")]


@dataclass
class _Piece:
    text: str
    origin: tuple[int, int] | None  # (source article, sentence); (-1, n) for a version's own text
    edit_rate: float = 0.0
    verbatim: bool = True  # the text as it stands in the corpus (a source or filler sentence)


def evaluate(path: Path, seed: int = 13) -> dict:
    rng = random.Random(seed)
    texts = [json.loads(line)["originalText"] for line in path.open(encoding="utf-8") if line.strip()]
    split_at = len(texts) * 2 // 3
    sources = [_split(text) for text in texts[:split_at]]
    filler = [s for text in texts[split_at:] for s in _split(text) if len(sentence_words(s)) >= MIN_WORDS]
    rng.shuffle(filler)
    vocabulary = sorted({w for sentences in sources for s in sentences for w in s.split() if w.isalpha()})
    documents = [[_Piece(s, (i, k)) for k, s in enumerate(sentences)] for i, sentences in enumerate(sources)]
    for i in range(len(sources)):
        for _ in range(VERSIONS):
            documents.append(_version(i, sources, filler, vocabulary, rng))
    return _score(documents, str(path), len(sources))


def _split(text: str) -> list[str]:
    article = build_article(RawDocument(path="", text=text, source_format="jsonl", date="2000-01-01"))
    return [s.text for s in split_article(article) if not s.is_heading]


def _version(i: int, sources, filler: list[str], vocabulary: list[str], rng: random.Random) -> list[_Piece]:
    pieces = [_copied(s, (i, k), vocabulary, rng) for k, s in enumerate(sources[i]) if rng.random() > 0.15]
    if rng.random() < 0.25:  # paragraphs of a second source mixed in
        j = rng.randrange(len(sources))
        if j != i and sources[j]:
            start = rng.randrange(len(sources[j]))
            mixed = [_copied(s, (j, k), vocabulary, rng) for k, s in enumerate(sources[j][start : start + 3], start)]
            at = rng.randrange(len(pieces) + 1)
            pieces[at:at] = mixed
    for _ in range(rng.choice((0, 1, 1, 2))):  # the outlet's own sentences
        pieces.insert(rng.randrange(len(pieces) + 1), _Piece(filler.pop(), (-1, len(filler))))
    if len(pieces) > 2 and rng.random() < 0.3:
        k = rng.randrange(len(pieces) - 1)
        pieces[k], pieces[k + 1] = pieces[k + 1], pieces[k]
    return _restyle(pieces, rng)


def _copied(sentence: str, origin, vocabulary: list[str], rng: random.Random) -> _Piece:
    words = sentence.split()
    rate = rng.uniform(0, MAX_EDIT_RATE)
    for _ in range(round(rate * len(words))):
        position = rng.randrange(len(words))
        action = rng.random()
        if action < 0.5 and words[position].isalpha():
            words[position] = rng.choice(vocabulary)
        elif action < 0.75 and len(words) > 3 and position not in (0, len(words) - 1):
            del words[position]
        else:
            words.insert(position + 1, rng.choice(_FILLERS))
    return _Piece(" ".join(words), origin, rate, verbatim=False)


def _restyle(pieces: list[_Piece], rng: random.Random) -> list[_Piece]:
    swiss = rng.random() < 0.3
    opening, closing = rng.choice(_QUOTE_STYLES)
    dash = rng.choice(("-", "–"))
    for piece in pieces:
        text = piece.text.replace("„", opening).replace("“", closing).replace(" - ", f" {dash} ").replace(" – ", f" {dash} ")
        piece.text = text.replace("ß", "ss") if swiss else text
    return pieces


def _score(documents: list[list[_Piece]], corpus: str, source_count: int) -> dict:
    prepared = []
    origins: list[list[tuple[int, int] | None]] = []
    for number, pieces in enumerate(documents):
        text, spans = _assemble(pieces)
        article = build_article(RawDocument(path=f"doc{number}", text=text, source_format="jsonl", date="2000-01-01"))
        sentences = split_article(article)
        prepared.append((article, sentences))
        origins.append([_origin_of(sentence, spans, pieces, article.body_offset) for sentence in sentences])
    gold, skipped_short = _gold_pairs(prepared, origins)
    links = find_reuse(prepared)
    index = {article.id: number for number, (article, _) in enumerate(prepared)}
    predicted = set()
    for link in links:
        a, b = index[link.article_a], index[link.article_b]
        predicted.update(((a, m.a), (b, m.b)) if a < b else ((b, m.b), (a, m.a)) for m in link.alignments)
    same_text = _SameText(documents, prepared)
    correct = {pair for pair in predicted if pair in gold or same_text(origins[pair[0][0]][pair[0][1]], origins[pair[1][0]][pair[1][1]])}
    linked_docs = {(a[0], b[0]) for a, b in predicted}
    related_docs = {(a[0], b[0]) for a, b in gold | correct}
    metrics = prf(len(correct), len(predicted), len(gold))
    metrics["false_article_pairs"] = len(linked_docs - related_docs)
    return {
        "task": "reuse",
        "corpus": corpus,
        "documents": len(documents),
        "gold_pairs": len(gold),
        "predicted_pairs": len(predicted),
        "gold_left_out_short_sentences": skipped_short,
        "metrics": metrics,
        "recall_by_edit_rate": _recall_by_edit_rate(gold - predicted, gold, documents, origins, prepared, source_count),
    }


class _SameText:
    """Whether two origins are near-identical sentences of two different sources (pre-existing reuse)."""

    def __init__(self, documents: list[list[_Piece]], prepared):
        self.source_text = {piece.origin: piece.text for pieces in documents for piece in pieces if piece.verbatim}

    def __call__(self, first, second) -> bool:
        if first is None or second is None or first == second:
            return False
        a, b = self.source_text.get(first), self.source_text.get(second)
        return bool(a and b) and Indel.normalized_similarity(sentence_words(a), sentence_words(b)) >= 0.8


def _assemble(pieces: list[_Piece]) -> tuple[str, list[tuple[int, int]]]:
    """Join sentences into paragraphs of two to four; remember each piece's span."""
    text, spans = "", []
    for number, piece in enumerate(pieces):
        if number:
            text += "\n\n" if number % 3 == 0 else " "
        spans.append((len(text), len(text) + len(piece.text)))
        text += piece.text
    return text, spans


def _origin_of(sentence, spans, pieces, offset: int):
    start, end = sentence.start + offset, sentence.end + offset
    overlaps = [(min(end, e) - max(start, s), k) for k, (s, e) in enumerate(spans)]
    best, k = max(overlaps)
    return pieces[k].origin if best > 0 else None


def _gold_pairs(prepared, origins) -> tuple[set, int]:
    by_origin: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    short = 0
    for doc, (_, sentences) in enumerate(prepared):
        for k, sentence in enumerate(sentences):
            origin = origins[doc][k]
            if origin is None or origin[0] < 0 or sentence.is_heading:
                continue
            if len(sentence_words(sentence.text)) < MIN_WORDS:
                short += 1
                continue
            by_origin[origin].append((doc, k))
    gold = set()
    for members in by_origin.values():
        for x, first in enumerate(members):
            for second in members[x + 1 :]:
                if first[0] != second[0]:
                    gold.add((first, second) if first < second else (second, first))
    return gold, short


def _recall_by_edit_rate(missed, gold, documents, origins, prepared, sources: int) -> dict[str, float]:
    """Recall of source-to-version pairs, bucketed by the version sentence's word-edit rate."""
    rate_of: dict[tuple[int, int], float] = {}
    for doc, (_, sentences) in enumerate(prepared):
        rates = {piece.origin: piece.edit_rate for piece in documents[doc]}
        for k in range(len(sentences)):
            rate_of[(doc, k)] = rates.get(origins[doc][k], 0.0)
    totals, hits = Counter(), Counter()
    for first, second in gold:
        if first[0] >= sources or second[0] < sources:
            continue  # only source -> version pairs
        bucket = f"{int(rate_of[second] * 20) * 5:02d}-{int(rate_of[second] * 20) * 5 + 5:02d}%"
        totals[bucket] += 1
        hits[bucket] += (first, second) not in missed
    return {bucket: round(hits[bucket] / totals[bucket], 4) for bucket in sorted(totals)}
