"""``lagebild eval events-gold``: the shipped gold's form, the scoring, and a run on a small corpus of our own."""

from __future__ import annotations

import gzip
import json
from itertools import count

import pytest

from conftest import shared_data
from helpers import run_cli
from lagebild.eval.events_gold import GOLD, LABELS, Pair, confusion, read_gold, score, split_of

HEADER = "split\tlanguage\turl_a\turl_b\tlabel\tnote\n"
CORPORA = {"de": "realnews_de/covid_de_2020-03_to_05.jsonl.gz", "en": "realnews_en/allsides_en_2019.jsonl.gz"}


def test_the_gold_has_enough_valid_pairs_of_both_languages():
    gold = read_gold(GOLD)  # raises on a bad label, split, column count or header
    assert len(gold.pairs) >= 300
    by_language = {language: [p for p in gold.pairs if p.language == language] for language in ("de", "en")}
    assert len(by_language["de"]) >= 200 and len(by_language["en"]) >= 100
    assert sum(p.label == "same_event" for p in gold.pairs) >= 100
    assert {p.label for p in gold.pairs} == set(LABELS)
    assert {w.language for w in gold.windows} == {"de", "en"}


def test_the_gold_holds_each_pair_once_split_by_its_smaller_url_and_noted():
    pairs = read_gold(GOLD).pairs
    keys = [frozenset((p.url_a, p.url_b)) for p in pairs]
    assert len(set(keys)) == len(keys)
    assert all(p.split == split_of(p.url_a, p.url_b) for p in pairs)
    assert 0.3 < sum(p.split == "dev" for p in pairs) / len(pairs) < 0.5
    assert all(p.note.strip() for p in pairs)


@pytest.mark.parametrize("language", sorted(CORPORA))
def test_each_gold_pair_lies_within_one_window_of_its_language(language):
    dates = {}
    with gzip.open(shared_data(CORPORA[language]), "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            dates[record["url"]] = record["date"][:10]
    gold = read_gold(GOLD)
    windows = [w for w in gold.windows if w.language == language]
    for pair in (p for p in gold.pairs if p.language == language):
        day_a, day_b = dates[pair.url_a], dates[pair.url_b]
        assert any(w.holds(day_a) and w.holds(day_b) for w in windows), (pair.url_a, pair.url_b)


_NUMBERS = count()


def _pair(label: str) -> Pair:
    return Pair("train", "de", f"https://example.org/{next(_NUMBERS)}", "https://example.org/other", label, "a note")


def test_scores_count_pairs_of_one_event_and_of_one_story():
    found = [
        (_pair("same_event"), "same_event"),  # event: true positive
        (_pair("same_event"), "same_story"),  # event: missed; story: true positive
        (_pair("same_story"), "same_event"),  # event: false positive; story: true positive
        (_pair("unrelated"), "same_story"),  # story: false positive
        (_pair("unrelated"), "unrelated"),
    ]
    scored = score(found)
    assert scored["same_event"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "true_positives": 1, "false_positives": 1, "false_negatives": 1, "gold_positives": 2}
    assert scored["same_story"]["true_positives"] == 3 and scored["same_story"]["false_positives"] == 1
    assert scored["same_story"]["precision"] == 0.75 and scored["same_story"]["recall"] == 1.0
    table = confusion(found)
    assert table["same_event"] == {"same_event": 1, "same_story": 1, "unrelated": 0}
    assert table["unrelated"] == {"same_event": 0, "same_story": 1, "unrelated": 1}


FIRE = (
    "In der Nacht zum Dienstag ist in Kleinwaldheim bei Torgau ein Großbrand in der Lagerhalle der Spedition "
    "Brenner & Söhne ausgebrochen. Die Feuerwehr Kleinwaldheim rückte mit 80 Einsatzkräften aus. "
    "Kreisbrandmeister Holger Pankratz sagte, das Feuer sei gegen zwei Uhr bemerkt worden. "
    "Verletzt wurde niemand, der Schaden wird auf 1,5 Millionen Euro geschätzt. "
    "Die Polizei Torgau ermittelt zur Brandursache in der Lagerhalle."
)
FIRE_AGAIN = (
    "Ein Großbrand hat in Kleinwaldheim nahe Torgau die Lagerhalle der Spedition Brenner & Söhne zerstört. "
    "Nach Angaben von Kreisbrandmeister Holger Pankratz waren 80 Einsatzkräfte der Feuerwehr Kleinwaldheim "
    "bis zum Morgen im Einsatz. Den Schaden schätzt die Polizei Torgau auf 1,5 Millionen Euro. "
    "Menschen kamen nicht zu Schaden; die Ermittlungen zur Brandursache dauern an."
)
MATCH = (
    "Der SV Eintracht Oberfeld hat das Nachholspiel gegen den FC Rotbach mit 3:1 gewonnen. "
    "Trainer Jürgen Mahlke lobte vor 4.000 Zuschauern die Abwehr um Kapitän Tobias Wendt. "
    "Oberfeld rückt damit auf den vierten Tabellenplatz der Regionalliga vor."
)


def _small_corpus(folder):
    records = [
        {"title": "Großbrand in Kleinwaldheim", "text": FIRE, "date": "2021-05-04", "outlet": "a.example", "url": "https://a.example/brand"},
        {"title": "Lagerhalle in Kleinwaldheim abgebrannt", "text": FIRE_AGAIN, "date": "2021-05-04", "outlet": "b.example", "url": "https://b.example/brand"},
        {"title": "Oberfeld siegt gegen Rotbach", "text": MATCH, "date": "2021-05-05", "outlet": "a.example", "url": "https://a.example/fussball"},
        {"title": "Außerhalb des Fensters", "text": MATCH + " Nachtrag.", "date": "2021-06-01", "outlet": "b.example", "url": "https://b.example/spaeter"},
    ]
    corpus = folder / "corpus.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    gold = folder / "gold.tsv"
    rows = [
        ("https://a.example/brand", "https://b.example/brand", "same_event", "both: the warehouse fire"),
        ("https://a.example/brand", "https://a.example/fussball", "unrelated", "fire vs football"),
        ("https://a.example/brand", "https://c.example/fehlt", "unrelated", "an article this corpus lacks"),
    ]
    lines = [f"{split_of(a, b)}\tde\t{a}\t{b}\t{label}\t{note}\n" for a, b, label, note in rows]
    gold.write_text("# window\tde\t2021-05-03\t2021-05-06\n" + HEADER + "".join(lines), encoding="utf-8")
    return corpus, gold


def test_a_run_on_a_small_corpus_analyses_the_windows_and_scores_the_pairs_it_finds(tmp_path):
    corpus, gold = _small_corpus(tmp_path)
    result = run_cli("eval", "events-gold", corpus, "--gold", gold, "--jobs", "1")
    assert result.exit_code == 0
    output = json.loads(result.stdout)
    assert output["articles_analysed"] == 3  # the article of June lies outside the window
    assert (output["gold_pairs"], output["pairs_found"], output["pairs_missing"]) == (3, 2, 1)
    assert output["pairs_by_language"] == {"de": {"gold": 3, "found": 2}}
    event = output["metrics"]["all"]["same_event"]
    assert (event["true_positives"], event["false_positives"], event["false_negatives"]) == (1, 0, 0)
    assert output["confusion"]["unrelated"]["unrelated"] == 1


def test_a_kept_store_is_reused_and_gives_the_same_answer(tmp_path):
    corpus, gold = _small_corpus(tmp_path)
    store = tmp_path / "store.db"
    runs = [run_cli("eval", "events-gold", corpus, "--gold", gold, "--db", store, "--jobs", "1") for _ in range(2)]
    assert [r.exit_code for r in runs] == [0, 0] and store.exists()
    first, second = (json.loads(r.stdout) for r in runs)
    assert first["metrics"] == second["metrics"] and first["confusion"] == second["confusion"]


def test_a_missing_corpus_or_a_bad_gold_line_is_one_clear_line(tmp_path):
    corpus, gold = _small_corpus(tmp_path)
    missing = run_cli("eval", "events-gold", tmp_path / "nope.jsonl")
    assert missing.exit_code == 2 and "no such corpus" in missing.output
    bad = tmp_path / "bad.tsv"
    bad.write_text(gold.read_text(encoding="utf-8").replace("\tsame_event\t", "\tsame_thing\t"), encoding="utf-8")
    result = run_cli("eval", "events-gold", corpus, "--gold", bad)
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "bad label 'same_thing'" in result.output
    no_gold = run_cli("eval", "events-gold", corpus, "--gold", tmp_path / "none.tsv")
    assert no_gold.exit_code == 2 and "no such gold file" in no_gold.output
