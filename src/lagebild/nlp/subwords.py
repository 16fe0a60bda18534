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
def _table() -> tuple[dict[str, float], dict[str, tuple[str, ...]], frozenset[str]]:
    """Scores and clusters by piece, and every prefix of a piece (the segmentation stops extending
    a piece as soon as no piece starts that way)."""
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
    prefixes = frozenset(piece[:length] for piece in scores for length in range(1, len(piece) + 1))
    return scores, clusters, prefixes


@cache
def segment(word: str) -> tuple[str, ...]:
    """The most probable pieces of a word (unigram Viterbi over the table's scores)."""
    scores, _, prefixes = _table()
    text = WORD_START + unicodedata.normalize("NFKC", word)
    if text in scores:
        return (text,)  # a whole-word piece beats any split of it (checked on GermEval's vocabulary)
    best = [0.0] + [float("-inf")] * len(text)
    back = [0] * (len(text) + 1)
    for start in range(len(text)):
        base = best[start]
        if text[start] not in scores and base + _UNKNOWN_SCORE > best[start + 1]:
            best[start + 1], back[start + 1] = base + _UNKNOWN_SCORE, start
        end = start + 1
        while end <= len(text) and text[start:end] in prefixes:
            score = scores.get(text[start:end])
            if score is not None and base + score > best[end]:
                best[end], back[end] = base + score, start
            end += 1
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
