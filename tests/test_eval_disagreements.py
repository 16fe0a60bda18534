"""``lagebild eval disagreements``: the shipped gold of number pairs, the scores, the false alarms."""

from __future__ import annotations

import json

import pytest

from conftest import shared_data
from helpers import run_cli
from lagebild.eval import disagreements


def test_the_gold_holds_enough_pairs_with_train_and_dev_split_by_article():
    pairs = disagreements.gold_pairs()
    assert len(pairs) >= 300
    documents = {split: {m.doc for p in pairs if p.split == split for m in (p.a, p.b)} for split in ("train", "dev")}
    assert documents["train"] and documents["dev"] and not documents["train"] & documents["dev"]
    assert all(p.same for p in pairs if p.conflict)  # a conflict is between figures of one quantity
    for split in ("train", "dev"):
        assert sum(p.conflict for p in pairs if p.split == split) >= 5


def _tiny_gold(monkeypatch, chosen):
    every = disagreements.gold_pairs()
    monkeypatch.setattr(disagreements, "gold_pairs", lambda: [p for p in every if chosen(p)])


def test_the_union_and_the_police_counting_strikers_is_a_conflict_found(monkeypatch, tmp_path):
    # the example corpus ships with the repository: no ../shared needed
    _tiny_gold(monkeypatch, lambda p: p.a.doc.startswith("examples:nordwerk/"))
    output = disagreements.evaluate(tmp_path / "no-wikinews", split="all", unrelated_articles=0)
    assert output["pairs"] >= 10 and output["pairs_without_text"] == 0
    assert set(output["splits"]) == {"train", "dev"}
    for scores in (output["metrics"], *output["splits"].values()):
        assert set(scores["same"]) >= {"precision", "recall", "f1", "true_positives", "predicted", "gold"}
        assert set(scores["conflicting"]) >= {"precision", "recall", "f1", "true_positives", "predicted", "gold"}
    [strike] = [p for p in disagreements.gold_pairs() if p.a.text == "3.000" and p.b.text == "1.800"]
    assert strike.conflict
    assert not any(error["a"][2] == "3.000" and error["b"][2] == "1.800" for error in output["errors"])  # scored right


def test_the_command_prints_metrics_and_false_alarms(monkeypatch, tmp_path):
    wikinews = shared_data("wikinews_quotes_de")
    _tiny_gold(monkeypatch, lambda p: p.split == "dev" and p.a.doc in {"wikinews:41694", "wikinews:5248", "wikinews:12611"})
    unrelated = tmp_path / "unrelated.jsonl"
    unrelated.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in [
        {"title": "Fähre auf Grund gelaufen", "date": "2026-03-14", "text": "Vor Rügen ist eine Fähre mit rund 350 Menschen an Bord auf Grund gelaufen. Sieben Menschen wurden leicht verletzt, teilte die Polizei mit."},
        {"title": "Warnstreik bei Nordwerk", "date": "2026-10-06", "text": "Bei Nordwerk haben rund 3.000 Menschen die Arbeit niedergelegt. Das Unternehmen bot Gespräche für kommende Woche an."},
    ]), encoding="utf-8")
    result = run_cli("eval", "disagreements", wikinews, "--split", "dev", "--unrelated", unrelated, "--unrelated-articles", "2")
    assert result.exit_code == 0
    output = json.loads(result.stdout)
    assert output["task"] == "disagreements" and output["split"] == "dev" and output["pairs"] >= 3
    assert output["false_alarms"]["articles"] == 2
    assert output["metrics"]["conflicting_per_25_unrelated"] == output["false_alarms"]["conflicting_per_25"]
    # "rund 7.000 Menschen" (the organisers) against "4.000 Demonstrationsteilnehmern" (the police)
    assert not any(error["a"][0] == "wikinews:41694" and error["gold"] == [True, True] for error in output["errors"])


def test_a_bad_split_is_a_clear_error():
    result = run_cli("eval", "disagreements", "--split", "test")
    assert result.exit_code == 2
    assert "--split" in result.output


@pytest.mark.parametrize("split", ["train", "dev"])
def test_each_split_scores_on_its_own_pairs(monkeypatch, tmp_path, split):
    _tiny_gold(monkeypatch, lambda p: p.a.doc.startswith("examples:"))
    output = disagreements.evaluate(tmp_path / "no-wikinews", split=split, unrelated_articles=0)
    assert set(output["splits"]) == {split}
    assert output["pairs"] == output["splits"][split]["pairs"]


def test_the_false_alarm_run_can_start_later_in_its_corpus(monkeypatch, tmp_path):
    # a slice after the first articles is one no rule was written from
    _tiny_gold(monkeypatch, lambda p: p.a.doc.startswith("examples:nordwerk/"))
    unrelated = tmp_path / "unrelated.jsonl"
    unrelated.write_text("".join(json.dumps({"title": f"Meldung {n}", "date": "2026-03-14", "text": text}, ensure_ascii=False) + "\n" for n, text in enumerate([
        "Im Landkreis wurden 12 Menschen verletzt, teilte die Polizei mit.",
        "Der Verein zählt 300 Mitglieder. Der Vorstand wurde wiedergewählt.",
        "Im Landkreis wurden nach anderen Angaben 40 Menschen verletzt.",
    ])), encoding="utf-8")
    (tmp_path / "wikinews").mkdir()  # none of the gold's Wikinews texts: the example corpus alone
    result = run_cli("eval", "disagreements", tmp_path / "wikinews", "--split", "dev", "--unrelated", unrelated,
                     "--unrelated-articles", "5", "--unrelated-skip", "1")
    assert result.exit_code == 0
    alarms = json.loads(result.stdout)["false_alarms"]
    assert (alarms["skipped"], alarms["articles"]) == (1, 2)
