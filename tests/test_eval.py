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


def test_claims_eval_reads_the_annotated_set_with_the_corpus():
    output = run_eval("claims", shared_data("wikinews_quotes_de/train.jsonl"))
    assert output["gold_claims"] >= 300 and output["articles"] >= 80
    assert set(output["splits"]) == {"tune", "heldout"}
    metrics = output["metrics"]
    assert set(metrics) >= {"precision", "recall", "unit_accuracy"}
    assert metrics["precision"] > 0.9 and metrics["recall"] > 0.85  # regression guard; values in docs/benchmarks.md
    assert set(output["roles"]) == {"with_role", "without_role", "all"} and metrics["role_accuracy"] > 0.85


def test_claims_labels_hold_offsets_and_labels_but_no_corpus_text():
    from importlib import resources

    rows = resources.files("lagebild.eval").joinpath("claims_wikinews_de.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[0].split("\t") == ["doc", "sha1", "start", "end", "value", "low", "high", "qualifier", "unit", "split"]
    assert len(rows) > 300 and all(len(row.split("\t")) == 10 for row in rows)


def test_summary_eval_scores_the_gold_events_by_source():
    output = run_eval("summaries", shared_data("wikinews_quotes_de"))
    assert {"examples", "wikinews_train", "wikinews_dev"} <= set(output["by_source"])
    metrics = output["metrics"]
    assert metrics["events"] >= 20
    assert set(metrics) >= {"fact_recall", "lead_first", "standalone", "readable", "cited"}
    assert metrics["cited"] == 1.0 and metrics["readable"] == 1.0  # cited where it stands; never without its antecedent
    assert metrics["lead_first"] >= 0.75 and metrics["fact_recall"] >= 0.75  # regression guard; figures in docs/benchmarks.md


def test_a_fact_is_stated_when_one_sentence_names_every_part():
    from lagebild.eval.summaries import states

    fact = [["Telefonat", "telefonier"], ["Putin", "Staatschefs"]]
    assert states("Nach einem Telefonat beider Staatschefs ...", fact)
    assert not states("Putin dankte Kim.", fact)


def test_a_corpus_of_another_kind_is_one_line_naming_what_is_wrong(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (tmp_path / "table.tsv").write_text("1\tWort\tO\tO\n", encoding="utf-8")
    (tmp_path / "latin1.jsonl").write_bytes('{"text": "Gr\xfc\xdfe"}\n'.encode("latin-1"))
    (tmp_path / "headlines.csv").write_text("ID,TITLE\n1,Quake\n", encoding="utf-8")
    for task, path, reason in (
        ("quotes", folder, "a folder, where the task reads a file"),
        ("sentences", tmp_path / "table.tsv", "not JSON lines"),
        ("claims", tmp_path / "latin1.jsonl", "not UTF-8 text"),
        ("clusters", tmp_path / "headlines.csv", "no 'TIMESTAMP' field or column"),
    ):
        result = run_cli("eval", task, path, *(["--no-embeddings"] if task == "clusters" else []))
        assert result.exit_code == 2, (task, result.output)
        assert "Traceback" not in result.output and f"cannot read {path} as this task's corpus: {reason}" in result.output, (task, result.output)


def test_a_corpus_with_nothing_the_task_scores_is_an_error_not_a_zero(tmp_path):
    (tmp_path / "pairs.csv").write_text("pair_id,text\n", encoding="utf-8")
    (tmp_path / "TimeBank").mkdir()
    for task, path, empty in (("language", tmp_path / "pairs.csv", "texts"), ("timex", tmp_path / "TimeBank", "documents")):
        result = run_cli("eval", task, path)
        assert result.exit_code == 2 and f"nothing to score in {path}: {empty} 0" in result.output, (task, result.output)
