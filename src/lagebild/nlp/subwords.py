"""Words as multilingual sub-word pieces, and the vectors of those pieces.

The table (``models/subword-pieces.tsv``, built by ``scripts/build_subword_pieces.py`` from
multilingual-e5-small, MIT) holds the Latin-script pieces of XLM-R's SentencePiece vocabulary with
their unigram scores; ``models/subword-vectors.npz`` their input embeddings and the model's
output for each piece read alone, both reduced. A word is segmented as SentencePiece would (the
most probable sequence of pieces, "▁" marking its start); its pieces' vectors say what kind of
word it is, also for words no training text contained.
"""

from __future__ import annotations

import io
import unicodedata
from functools import cache, lru_cache
from importlib import resources

import numpy as np

from lagebild import user_cache

TABLE = "subword-pieces.tsv"
VECTORS = "subword-vectors.npz"
WORD_START = "\u2581"
_UNKNOWN_SCORE = -30.0  # a character the table lacks costs more than any piece
_NOT_A_PREFIX = object()


@cache
def _table() -> tuple[dict[str, float], dict[str, int], dict[str, float | None]]:
    """Scores and table rows (from 1) by piece, and every prefix of a piece with its score if it
    is a piece itself (None if not): the segmentation stops extending a piece as soon as no piece
    starts that way, and one look-up tells both. Built once per machine (user_cache)."""
    path = resources.files("lagebild").joinpath("models", TABLE)
    text = path.read_bytes() if path.is_file() else b""
    return user_cache.kept("subword-table", text, lambda: _built_table(text.decode("utf-8")))


def _built_table(text: str) -> tuple[dict[str, float], dict[str, int], dict[str, float | None]]:
    scores: dict[str, float] = {}
    rows: dict[str, int] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            piece, score = line.split("\t")
            scores[piece] = float(score)
            rows[piece] = len(rows) + 1
    prefixes: dict[str, float | None] = {piece[:length]: None for piece in scores for length in range(1, len(piece))}
    prefixes.update(scores)
    return scores, rows, prefixes


@lru_cache(maxsize=2**16)  # bounded: a stream never stops bringing new words
def segment(word: str) -> tuple[str, ...]:
    """The most probable pieces of a word (unigram Viterbi over the table's scores)."""
    scores, _, prefixes = _table()
    text = WORD_START + unicodedata.normalize("NFKC", word)
    if text in scores:
        return (text,)  # a whole-word piece beats any split of it (checked on GermEval's vocabulary)
    size = len(text)
    best = [0.0] + [float("-inf")] * size
    back = [0] * (size + 1)
    for start in range(size):
        base = best[start]
        if text[start] not in scores and base + _UNKNOWN_SCORE > best[start + 1]:
            best[start + 1], back[start + 1] = base + _UNKNOWN_SCORE, start
        for end in range(start + 1, size + 1):
            score = prefixes.get(text[start:end], _NOT_A_PREFIX)
            if score is _NOT_A_PREFIX:
                break
            if score is not None and base + score > best[end]:
                best[end], back[end] = base + score, start
    pieces, end = [], len(text)
    while end > 0:
        pieces.append(text[back[end] : end])
        end = back[end]
    return tuple(reversed(pieces))


def piece_rows(word: str) -> list[int]:
    """The rows of piece_vectors() for the word's pieces; 0 (a zero vector) for a piece not in the
    table. A word-initial piece the table lacks is looked up without its start mark."""
    rows = _table()[1]
    return [rows.get(piece) or rows.get(piece.lstrip(WORD_START), 0) for piece in segment(word)]


@cache
def piece_vectors() -> np.ndarray:
    """One vector per table row, row 0 all zeros (stored as 8-bit integers times a scale per
    piece; the float table is made once per machine and mapped into memory, user_cache)."""
    stored = resources.files("lagebild").joinpath("models", VECTORS).read_bytes()
    return user_cache.kept_array("subword-vectors", stored, lambda: _float_vectors(stored))


def _float_vectors(stored: bytes) -> np.ndarray:
    with np.load(io.BytesIO(stored)) as arrays:
        vectors = arrays["vectors"].astype(np.float32) * arrays["scales"].astype(np.float32)[:, None]
    return np.vstack([np.zeros((1, vectors.shape[1]), dtype=np.float32), vectors])


@lru_cache(maxsize=2**16)
def word_vector(word: str) -> np.ndarray:
    """The mean of the word's pieces' vectors: a static sense of what the word means, shared
    across languages ("war" lies nearer "conflict" than "car")."""
    return piece_vectors()[piece_rows(word)].mean(axis=0)
