"""The eval commands read the public corpora in their native formats and print JSON metrics."""

from __future__ import annotations

import json

from conftest import shared_data
from helpers import run_cli


def run_eval(task: str, path) -> dict:
    result = run_cli("eval", task, path)
    assert result.exit_code == 0
    return json.loads(result.stdout)


def test_sentence_eval_on_german_wikinews():
    output = run_eval("sentences", shared_data("wikinews_quotes_de/dev.jsonl"))
    metrics = output["metrics"]
    assert output["documents"] == 150
    assert set(metrics) >= {"precision", "recall", "f1"}
    assert metrics["f1"] > 0.9  # regression guard; the measured value is in docs/benchmarks.md


def test_language_eval_on_semeval_pairs():
    output = run_eval("language", shared_data("semeval2022_task8/training_set.csv"))
    assert output["metrics"]["accuracy_de"] > 0.95
    assert output["metrics"]["accuracy_en"] > 0.95


def test_eval_of_a_missing_corpus_is_a_clear_error(tmp_path):
    result = run_cli("eval", "sentences", tmp_path / "nope.jsonl")
    assert result.exit_code == 2
    assert "no such corpus" in result.output
