"""Words as multilingual sub-word pieces, and the clusters those pieces fall in.

The table (``models/subword-clusters.tsv``, built by ``scripts/build_subword_clusters.py`` from
multilingual-e5-small, MIT) holds the Latin-script pieces of XLM-R's SentencePiece vocabulary with
their unigram scores and cluster ids. A word is segmented as SentencePiece would (the most probable
sequence of pieces, "▁" marking its start); how many pieces it takes and which clusters its first
and last piece belong to say what kind of word it is, also for words no training text contained.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources

TABLE = "subword-clusters.tsv"
WORD_START = "\u2581"
_UNKNOWN_SCORE = -30.0  # a character the table lacks costs more than any piece


@cache
def _table() -> tuple[dict[str, float], dict[str, tuple[str, ...]], int]:
    path = resources.files("lagebild").joinpath("models", TABLE)
    scores: dict[str, float] = {}
    clusters: dict[str, tuple[str, ...]] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                continue
            piece, score, *ids = line.split("\t")
            scores[piece] = float(score)
            clusters[piece] = tuple(ids)
    return scores, clusters, max(map(len, scores), default=1)


def available() -> bool:
    return bool(_table()[0])


@cache
def segment(word: str) -> tuple[str, ...]:
    """The most probable pieces of a word (unigram Viterbi over the table's scores)."""
    scores, _, longest = _table()
    text = WORD_START + unicodedata.normalize("NFKC", word)
    best = [0.0] + [float("-inf")] * len(text)
    back = [0] * (len(text) + 1)
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - longest), end):
            score = scores.get(text[start:end])
            if score is None:
                score = _UNKNOWN_SCORE if end - start == 1 else None
            if score is not None and best[start] + score > best[end]:
                best[end], back[end] = best[start] + score, start
    pieces, end = [], len(text)
    while end > 0:
        pieces.append(text[back[end] : end])
        end = back[end]
    return tuple(reversed(pieces))


@cache
def piece_features(word: str) -> tuple[str, ...]:
    """'spn=2' (how many pieces), the clusters of the first piece at each granularity ('sf0=..'),
    and of the last piece at the middle one when there are several ('sl=..')."""
    clusters = _table()[1]
    pieces = segment(word)
    first = clusters.get(pieces[0]) or clusters.get(pieces[0].lstrip(WORD_START), ())
    features = [f"spn={min(len(pieces), 4)}", *(f"sf{level}={cluster}" for level, cluster in enumerate(first))]
    if len(pieces) > 1 and pieces[-1] in clusters:
        features.append(f"sl={clusters[pieces[-1]][1]}")
    return tuple(features)
