"""The merge-gold evaluation: reading the gold, deciding a pair, scoring; real news when ../shared is there."""

from __future__ import annotations

import json


from conftest import shared_data
from helpers import run_cli
from lagebild.eval.merges import GOLD, Pair, decisions, entity_of_side, read_gold, score, split_of


def test_the_shipped_gold_reads_and_holds_both_languages_and_labels():
    slices, pairs = read_gold(GOLD)
    assert set(slices) == {"de", "en"} and len(pairs) >= 200
    assert {p.label for p in pairs} == {"same", "different"}
    assert all(p.split == split_of(p.name_a, p.name_b) for p in pairs)


def test_a_side_is_the_entity_of_its_mentions_a_possessive_folded():
    mentions = [("Blair", "Tony Blair", "e1"), ("Tony Blair", "Tony Blair", "e1"), ("London", "London", "e2")]
    assert entity_of_side(mentions, "Blair's") == "e1"
    assert entity_of_side(mentions, "Prime Minister Tony Blair") == "e1"
    assert entity_of_side(mentions, "Brown") is None


def test_pairs_are_scored_as_merged_or_not():
    def pair(a, b, label):
        return Pair("train", "en", "u1", a, "u2", b, label, "")

    mentions = {"u1": [("Blair", "Blair", "e1"), ("Assad", "Assad", "e3")], "u2": [("Tony Blair", "Tony Blair", "e1"), ("Assad Omar", "Assad Omar", "e3")]}
    decided = decisions([pair("Blair", "Tony Blair", "same"), pair("Assad", "Assad Omar", "different"), pair("Brown", "Tony Blair", "same")], mentions)
    assert [merged for _, merged in decided] == [True, True, None]
    result = score(decided)
    assert (result["precision"], result["recall"], result["false_merges"], result["unfound"]) == (0.5, 0.5, 1, 1)


def test_merges_eval_on_real_news():
    path = shared_data("realnews_en")  # skips when ../shared is absent
    result = run_cli("eval", "merges", path)
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)["metrics"]
    assert metrics["all"]["precision"] >= 0.95  # the acceptance of issue 29; measured values in docs/benchmarks.md
    assert metrics["all"]["recall"] > 0.4
